import { networkError, toApiError } from '@/api/errors'
import { getJSON } from '@/api/client'

// Types of the normative-document API (internal/normdoc); they mirror the Go
// structs in model.go and the generated schema.

export interface Issuer {
  id: number
  unit_id: number
  unit_name: string
  name: string
  prefix: string
  basis: string
  active: boolean
  listed_on: string
  version: number
}

export interface Step {
  key: string
  label: string
  date: string
  done: boolean
  note: string
}

export interface NormDoc {
  id: number
  issuer_id: number
  issuer_name: string
  unit_id: number
  unit_name: string
  title: string
  summary: string
  body: string
  important: boolean
  status: string
  status_label: string
  source: string
  drafted_on: string
  evaluation_on: string
  evaluation_note: string
  comment_from: string
  comment_to: string
  comment_count: number
  comment_summary: string
  review_id: number
  review_submitted_on: string
  review_status: string
  deliberation_meeting: string
  deliberation_on: string
  deliberation_note: string
  doc_no: string
  registered_on: string
  published_on: string
  effective_on: string
  urgent: boolean
  urgent_reason: string
  valid_years: number
  expires_on: string
  filing_due: string
  filing_explain: string
  filing_to: string
  filed_on: string
  filed_on_time: boolean | null
  filing_result: string
  filing_result_label: string
  filing_result_on: string
  filing_result_note: string
  /** detail only: what the filing review allows next (result, correction) or nothing */
  filing_next?: '' | 'result' | 'correction'
  /** detail only: every filing-review result and correction, in order */
  filing_history?: FilingEvent[]
  ended_on: string
  end_reason: string
  internal_note: string
  version: number
  timeline?: Step[]
}

export interface FilingEvent {
  seq: number
  kind: 'result' | 'correction'
  result: string
  label: string
  date: string
  corrected_version: string
  note: string
  recorded_by: string
  recorded_at: string
}

export interface PublicDoc {
  id: number
  issuer_name: string
  title: string
  doc_no: string
  summary: string
  body?: string
  published_on: string
  effective_on: string
  expires_on: string
  validity: string
  ended_on?: string
}

export interface CleanupItem {
  id: number
  document_id: number
  title: string
  doc_no: string
  issuer_name: string
  outcome: string
  outcome_label: string
  reason: string
  decided_on: string
}

export interface Cleanup {
  id: number
  unit_id: number
  unit_name: string
  title: string
  basis: string
  status: string
  status_label: string
  started_on: string
  finished_on: string
  published_on: string
  item_count: number
  decided: number
  version: number
  items?: CleanupItem[]
}

export interface Figure {
  key: string
  label: string
  value: number
  numerator: number
  denominator: number
  unit: string
  link: string
  note?: string
}

export interface ImportProblem {
  sheet: string
  row: number
  column: string
  reason: string
}

export interface ImportReport {
  mode: string
  rows: number
  valid: number
  imported: number
  problems: ImportProblem[]
  message: string
}

export const statusOptions = [
  { value: 'drafting', label: '起草中' },
  { value: 'reviewing', label: '合法性审核中' },
  { value: 'deliberated', label: '已集体审议' },
  { value: 'registered', label: '已统一登记编号' },
  { value: 'published', label: '现行有效' },
  { value: 'expired', label: '已失效' },
  { value: 'repealed', label: '已废止' },
  { value: 'revoked', label: '已被撤销' },
]

export const filingResults = [
  { value: 'passed', label: '审查通过' },
  { value: 'correction', label: '责令纠正' },
  { value: 'revoked', label: '予以撤销' },
]

export const cleanupOutcomes = [
  { value: 'keep', label: '继续有效' },
  { value: 'amend', label: '修改' },
  { value: 'repeal', label: '废止' },
]

export function statusTag(status: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' {
  switch (status) {
    case 'published':
      return 'success'
    case 'drafting':
      return 'info'
    case 'reviewing':
    case 'deliberated':
    case 'registered':
      return 'warning'
    case 'revoked':
      return 'danger'
  }
  return 'info'
}

/** Sends JSON (or a raw body) and returns the parsed reply, throwing ApiError on failure. */
export async function send<T>(method: 'POST' | 'PUT', path: string, body?: unknown, raw?: Blob): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        'Content-Type': raw ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/json',
        Accept: 'application/json',
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    })
  } catch {
    throw networkError()
  }
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  if (!res.ok) throw toApiError(res.status, parsed)
  return parsed as T
}

export const getDoc = (id: number | string) => getJSON<NormDoc>(`/api/normdocs/${id}`)
export const listIssuers = (activeOnly = false) =>
  getJSON<{ items: Issuer[] }>('/api/normdoc-issuers', { active_only: activeOnly }).then((r) => r.items)
export const getCleanup = (id: number | string) => getJSON<Cleanup>(`/api/normdoc-cleanups/${id}`)

export function today(): string {
  const d = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}
