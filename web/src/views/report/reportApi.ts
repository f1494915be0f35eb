// Types of the 年度报告 API (internal/report). Lists in responses are never
// null (httpx.EmptyLists).

export interface Part {
  text: string
  code?: string
}
export interface Paragraph {
  key: string
  text: string
  edited: boolean
  rendered: string
  parts: Part[]
}
export interface Section {
  key: string
  heading: string
  paragraphs: Paragraph[]
  sub?: Section[] | null
}
export interface Source {
  code: string
  name: string
  unit: string
  value: number
  numerator: number
  denominator: number
  no_data: boolean
  text: string
  from: string
  to: string
  unit_id: number
  unit_name: string
  link: string
  definition: string
  missing?: boolean
}
export interface Report {
  id: number
  unit_id: number
  unit_name: string
  year: number
  kind: string
  kind_label: string
  title: string
  status: string
  status_label: string
  generated_at: string
  note: string
  versions: number
  published_no: number
  published_at?: string
  version: number
  updated_at: string
  sections?: Section[]
  figures?: Record<string, Source>
}
export interface VersionRef {
  seq: number
  title: string
  submitter: string
  submitted_at: string
  published: boolean
}
export interface Task {
  step: string
  step_name: string
  assignee: string
  status: string
  label: string
  opinion: string
  acted_at?: string
  round: number
}
export interface Detail extends Report {
  flow: Task[]
  flow_status: string
  history: VersionRef[]
  can_edit: boolean
  can_submit: boolean
  can_act: boolean
  can_publish: boolean
  current_step: string
  deadline: string
  deadline_for: string
  deadline_note?: string
}
export interface Op {
  op: 'eq' | 'del' | 'ins'
  text: string
}
export interface ParaDiff {
  key: string
  heading: string
  change: 'same' | 'changed' | 'added' | 'removed'
  ops: Op[]
}
export interface Comparison {
  from: VersionRef
  to: VersionRef
  title_from: string
  title_to: string
  paragraphs: ParaDiff[]
  figures: { code: string; name: string; before: string; after: string }[]
  changed: number
}

export const statusOptions = [
  { value: 'draft', label: '起草中' },
  { value: 'reviewing', label: '审核中' },
  { value: 'returned', label: '退回修改' },
  { value: 'approved', label: '已审定' },
  { value: 'published', label: '已公布' },
]

export function statusTag(s: string): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  return ({ published: 'success', approved: 'primary', reviewing: 'warning', returned: 'danger' } as const)[s as 'published'] ?? 'info'
}

const cn = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十']
/** Chinese numeral for 1–19 (headings 一、（一）). */
export function chineseNumber(n: number): string {
  if (n <= 10) return cn[n] ?? String(n)
  if (n < 20) return '十' + cn[n - 10]
  return String(n)
}

/** The figure's source, as the hover shows it. */
export function sourceLines(s?: Source): string[] {
  if (!s) return ['指标目录中没有该指标']
  const lines = [`${s.name}（${s.code}）：${s.text}`]
  if (s.unit === '%') lines.push(`分子 ${s.numerator} ÷ 分母 ${s.denominator}${s.no_data ? '（分母为零，无数据）' : ''}`)
  else lines.push(`记录数 ${s.numerator}`)
  lines.push(`统计期间 ${s.from} 至 ${s.to}；统计单位 ${s.unit_name}（含下级）`)
  if (s.definition) lines.push(`口径：${s.definition}`)
  return lines
}
