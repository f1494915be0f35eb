import type { components } from '@/api/schema'
import { sendBody } from '@/api/client'

// Types of the people's mediation API (internal/mediation).

export type Case = components['schemas']['MediationCase']
export type CaseDetail = components['schemas']['MediationDetail']
export type Committee = components['schemas']['MediationCommittee']
export type Mediator = components['schemas']['MediationMediator']
export type Meta = components['schemas']['MediationMeta']
export type ImportReport = components['schemas']['MediationImportReport']

export const emptyMeta: Meta = {
  committee_kinds: [], dispute_types: [], sources: [], statuses: [], agreement_forms: [], confirm_results: [], fulfilments: [],
}

/** Posts an Excel workbook to the import endpoint. */
export function importWorkbook(file: File): Promise<ImportReport> {
  return sendBody<ImportReport>('POST', '/api/mediation/cases/import', file, 'application/octet-stream')
}

/** Element Plus tag type for a case status. */
export function statusTag(status: string): 'success' | 'danger' | 'warning' | 'info' {
  if (status === 'succeeded') return 'success'
  if (status === 'failed') return 'danger'
  if (status === 'mediating') return 'warning'
  return 'info'
}
