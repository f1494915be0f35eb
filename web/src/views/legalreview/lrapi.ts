import type { components } from '@/api/schema'

// Types of the 合法性审查 API (internal/legalreview): the generated schema
// types (response lists are never null: httpx.EmptyLists).
export type Opinion = components['schemas']['LegalreviewOpinion']
export type Check = components['schemas']['LegalreviewCheck']
export type StepRef = components['schemas']['LegalreviewStepRef']
export type Review = components['schemas']['LegalreviewReview']
export type TimelineEntry = components['schemas']['LegalreviewTimelineEntry']
export type Figure = components['schemas']['MetricFigure']
export type StatRow = components['schemas']['LegalreviewStatRow']
export type Stats = components['schemas']['LegalreviewStats']
export type Standard = components['schemas']['LegalreviewStandard']
export type Chain = components['schemas']['LegalreviewChain']
export type DeadlinePreview = components['schemas']['LegalreviewDeadlinePreview']

export const kinds = [
  { value: 'decision', label: '重大行政决策' },
  { value: 'normdoc', label: '规范性文件' },
  { value: 'contract', label: '合同协议' },
  { value: 'policy', label: '涉企政策措施' },
  { value: 'enforcement', label: '重大执法决定' },
]
// Kinds a user submits on the form (重大执法决定 is sent from its case).
export const formKinds = kinds.filter((k) => k.value !== 'enforcement')
export const statuses = [
  { value: 'reviewing', label: '审查中' },
  { value: 'concluding', label: '待出具意见' },
  { value: 'concluded', label: '已办结' },
  { value: 'withdrawn', label: '已撤回' },
]
export const conclusions = [
  { value: 'passed', label: '审查通过' },
  { value: 'passed_with_changes', label: '修改后通过' },
  { value: 'failed', label: '审查不通过' },
]
export const adoptions = [
  { value: 'adopted', label: '采纳' },
  { value: 'partial', label: '部分采纳' },
  { value: 'rejected', label: '未采纳' },
]
export const answers = [
  { value: 'comply', label: '不含该内容' },
  { value: 'violate', label: '含有该内容' },
  { value: 'na', label: '不适用' },
]

export const labelOf = (list: { value: string; label: string }[], v?: string | null) =>
  list.find((x) => x.value === v)?.label ?? v ?? ''

export function statusType(status: string): 'primary' | 'warning' | 'success' | 'info' {
  return ({ reviewing: 'primary', concluding: 'warning', concluded: 'success' } as const)[status as 'reviewing'] ?? 'info'
}

export function conclusionType(c: string): 'success' | 'warning' | 'danger' | 'info' {
  return ({ passed: 'success', passed_with_changes: 'warning', failed: 'danger' } as const)[c as 'passed'] ?? 'info'
}

/**
 * Checks the requested completion date against the earliest allowed date
 * (legalreview.min from the server's preview): the same rule the service
 * enforces, shown inline before submitting. Dates are YYYY-MM-DD strings.
 */
export function requestedByError(requested: string, minOn: string): string {
  if (!requested) return ''
  if (!/^\d{4}-\d{2}-\d{2}$/.test(requested)) return '要求完成日期格式应为 YYYY-MM-DD'
  if (minOn && requested < minOn) return `要求完成日期不得早于 ${minOn}（合法性审查时间不少于7个工作日）`
  return ''
}

/** Turns a figure's ledger link (/legalreviews?…) into a router location. */
export function figureLocation(link: string): { path: string; query: Record<string, string> } {
  const [path, qs = ''] = link.split('?')
  const query: Record<string, string> = {}
  for (const [k, v] of new URLSearchParams(qs)) query[k] = v
  return { path, query }
}

