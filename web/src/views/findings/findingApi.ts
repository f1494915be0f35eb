import { toApiError, networkError } from '@/api/errors'

// Types of the findings ledger API (internal/finding); they mirror the Go
// structs and the generated schema.

export interface Option {
  value: string
  label: string
}

export interface Closeout {
  status: string
  status_label: string
  current_step: string
  pending: number[]
  can_act: boolean
  steps: { key: string; name: string }[]
}

export interface Finding {
  id: number
  code: string
  title: string
  description: string
  source: string
  source_label: string
  source_ref: string
  unit_id: number
  unit_name: string
  severity: string
  severity_label: string
  found_on: string
  rectify_due: string
  due_explain: string
  due_provisional: boolean
  measures: string
  rectified_on?: string
  status: string
  status_label: string
  overdue: boolean
  closed_on_time?: boolean
  escalated_at?: string
  closed_on?: string
  recheck_due?: string
  rechecked_on?: string
  recheck_result?: string
  recheck_note?: string
  previous_id?: number
  previous_code?: string
  recurrence_id?: number
  version: number
  closeout?: Closeout
}

export interface FindingEvent {
  id: number
  at: string
  actor_name: string
  action: string
  label: string
  note: string
}

export interface FindingDetail extends Finding {
  events: FindingEvent[]
}

export interface ImportProblem {
  sheet: string
  row: number
  column: string
  reason: string
}

export interface ImportReport {
  rows: number
  valid: number
  created: number
  problems: ImportProblem[]
}

export interface Meta {
  sources: Option[]
  severities: Option[]
  statuses: Option[]
}

/** Sends JSON and returns the decoded reply. */
export async function send<T>(method: 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw networkError()
  }
  const text = await res.text()
  const data = text ? JSON.parse(text) : undefined
  if (!res.ok) throw toApiError(res.status, data)
  return data as T
}

/** Posts an Excel workbook to the import endpoint. */
export async function importWorkbook(file: File, validOnly: boolean): Promise<ImportReport> {
  let res: Response
  try {
    res = await fetch(`/api/findings/import?valid_only=${validOnly}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
      body: file,
    })
  } catch {
    throw networkError()
  }
  const text = await res.text()
  const data = text ? JSON.parse(text) : undefined
  if (!res.ok) throw toApiError(res.status, data)
  return data as ImportReport
}

/** Element Plus tag type for a status. */
export function statusTag(f: Pick<Finding, 'status' | 'overdue'>): 'danger' | 'warning' | 'success' | 'info' {
  if (f.overdue) return 'danger'
  if (f.status === 'closing') return 'warning'
  if (f.status === 'closed') return 'success'
  return 'info'
}
