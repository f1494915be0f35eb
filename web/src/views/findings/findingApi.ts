import type { components } from '@/api/schema'
import { sendBody } from '@/api/client'

// Types of the findings ledger API (internal/finding): the generated schema
// types (response lists are never null: httpx.EmptyLists).

export type Option = components['schemas']['Option']

export type Closeout = components['schemas']['FindingCloseout']
export type Finding = components['schemas']['Finding']

export type FindingEvent = components['schemas']['FindingEvent']

export type FindingDetail = components['schemas']['FindingDetail']

export type ImportProblem = components['schemas']['FindingImportProblem']

export type ImportReport = components['schemas']['FindingImportReport']

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
