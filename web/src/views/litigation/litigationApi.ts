import type { components } from '@/api/schema'
import { sendBody } from '@/api/client'

// Types of the 行政应诉 API (internal/litigation): the generated schema
// types (response lists are never null: httpx.EmptyLists).

export type Option = components['schemas']['Option']
export type Case = components['schemas']['LitigationCase']
export type CaseDetail = components['schemas']['LitigationDetail']
export type Hearing = components['schemas']['LitigationHearing']
export type StepView = components['schemas']['LitigationStepView']
export type StepInput = components['schemas']['LitigationStepInput']
export type Meta = components['schemas']['LitigationMeta']
export type ImportReport = components['schemas']['LitigationImportReport']

export const emptyMeta: Meta = { statuses: [], instances: [], plaintiff_types: [], outcomes: [], appearances: [], risk_rules: [], actions: [] }

/** Posts a year's ledger workbook to the import endpoint. */
export function importWorkbook(file: File): Promise<ImportReport> {
  return sendBody<ImportReport>('POST', '/api/litigation/import', file, 'application/octet-stream')
}

/** Element Plus tag type for a lawsuit's outcome or status. */
export function outcomeTag(c: Pick<Case, 'status' | 'outcome'>): 'danger' | 'warning' | 'success' | 'info' {
  if (c.outcome === 'lost') return 'danger'
  if (c.outcome === 'partly_lost') return 'warning'
  if (c.status === 'concluded') return 'success'
  return 'info'
}

/** The fields each step asks for (besides the date). */
export const stepFields: Record<string, (keyof StepInput)[]> = {
  defence: [],
  evidence: [],
  outcome: ['outcome', 'judgement_no', 'text'],
  suggestion: ['text'],
  suggestion_reply: ['text'],
  review: ['by', 'text'],
  recheck: [],
}

export const textLabels: Record<string, string> = { outcome: '裁判要旨', suggestion: '司法建议内容', suggestion_reply: '回复内容', review: '复查结论' }
