import type { components } from '@/api/schema'
import { sendBody } from '@/api/client'

// Types of the 行政复议 API (internal/reconsideration): the generated schema
// types (response lists are never null: httpx.EmptyLists).

export type Option = components['schemas']['Option']
export type Case = components['schemas']['ReconsiderationCase']
export type CaseDetail = components['schemas']['ReconsiderationDetail']
export type StepView = components['schemas']['ReconsiderationStepView']
export type StepInput = components['schemas']['ReconsiderationStepInput']
export type Meta = components['schemas']['ReconsiderationMeta']
export type ImportReport = components['schemas']['ReconsiderationImportReport']

/** Posts a year's ledger workbook to the import endpoint. */
export function importWorkbook(file: File): Promise<ImportReport> {
  return sendBody<ImportReport>('POST', '/api/reconsiderations/import', file, 'application/octet-stream')
}

/** Element Plus tag type for a case's status. */
export function statusTag(c: Pick<Case, 'status' | 'overdue'>): 'danger' | 'warning' | 'success' | 'info' {
  if (c.overdue) return 'danger'
  if (c.status === 'decided' || c.status === 'published') return 'success'
  if (c.status === 'suspended' || c.status === 'correcting') return 'warning'
  return 'info'
}

/** Amount in fen as yuan. */
export function yuan(fen: number): string {
  return fen ? (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2 }) + ' 元' : '—'
}

/**
 * The fields each step asks for (besides the date). Keys are StepInput's;
 * the dialog shows exactly these.
 */
export const stepFields: Record<string, (keyof StepInput)[]> = {
  request_correction: ['items'],
  accept: ['simple'],
  not_accept: ['reason'],
  hearing: ['notice_on', 'text'],
  suspend: ['reason'],
  extend: ['days', 'approved_by', 'reason', 'notice_on'],
  to_normal: ['approved_by', 'reason'],
  terminate: ['termination', 'reason'],
  decide: ['outcome', 'decision_no', 'reason'],
  opinion: ['kind', 'text'],
  followup: ['text'],
  sued: ['reason'],
}
