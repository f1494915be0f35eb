import type { components } from '@/api/schema'
import { sendBody } from '@/api/client'

// Types of the findings ledger API (internal/finding): generated schema types
// where they match; the rest are hand-written where the schema's nil-able
// slices (`T[] | null`) would need guards in every template.

export type Option = components['schemas']['FindingOption']

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

export type FindingEvent = components['schemas']['FindingEvent']

export interface FindingDetail extends Finding {
  events: FindingEvent[]
}

export type ImportProblem = components['schemas']['FindingImportProblem']

export interface ImportReport {
  rows: number
  valid: number
  created: number
  problems: ImportProblem[]
}

export type Meta = components['schemas']['FindingMeta']


/** Posts an Excel workbook to the import endpoint. */
export function importWorkbook(file: File, validOnly: boolean): Promise<ImportReport> {
  return sendBody<ImportReport>('POST', `/api/findings/import?valid_only=${validOnly}`, file, 'application/octet-stream')
}

/** Element Plus tag type for a status. */
export function statusTag(f: Pick<Finding, 'status' | 'overdue'>): 'danger' | 'warning' | 'success' | 'info' {
  if (f.overdue) return 'danger'
  if (f.status === 'closing') return 'warning'
  if (f.status === 'closed') return 'success'
  return 'info'
}
