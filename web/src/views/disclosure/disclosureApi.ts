import type { components } from '@/api/schema'
import { sendBody } from '@/api/client'

// Types of the disclosure-request API (internal/disclosure), generated from
// the server's OpenAPI document.

export type Option = components['schemas']['Option']
export type Request = components['schemas']['DisclosureRequest']
export type Detail = components['schemas']['DisclosureDetail']
export type Meta = components['schemas']['DisclosureMeta']
export type ImportReport = components['schemas']['DisclosureImportReport']
export type AnnualTable = components['schemas']['DisclosureAnnualTable']

/** Posts an Excel workbook to the import endpoint. */
export function importWorkbook(file: File, validOnly: boolean): Promise<ImportReport> {
  return sendBody<ImportReport>('POST', `/api/disclosure/requests/import?valid_only=${validOnly}`, file, 'application/octet-stream')
}

/** Element Plus tag type for a request's state. */
export function statusTag(r: Pick<Request, 'status' | 'overdue' | 'on_time'>): 'danger' | 'warning' | 'success' | 'info' {
  if (r.overdue) return 'danger'
  if (r.status === 'replied') return r.on_time ? 'success' : 'warning'
  if (r.status === 'closed') return 'info'
  if (r.status === 'processing') return 'info'
  return 'warning'
}
