import type { components } from '@/api/schema'
import { sendBody } from '@/api/client'

// Types of the 示范创建 API (internal/indicator), generated from the schema.

export type Option = components['schemas']['Option']
export type Framework = components['schemas']['IndicatorFramework']
export type FrameworkDetail = components['schemas']['IndicatorFrameworkDetail']
export type Item = components['schemas']['IndicatorItem']
export type Campaign = components['schemas']['IndicatorCampaign']
export type CampaignDetail = components['schemas']['IndicatorCampaignDetail']
export type Row = components['schemas']['IndicatorRow']
export type Assignment = components['schemas']['IndicatorAssignment']
export type AssignmentDetail = components['schemas']['IndicatorAssignmentDetail']
export type Board = components['schemas']['IndicatorBoard']
export type Meta = components['schemas']['IndicatorMeta']
export type ImportReport = components['schemas']['IndicatorImportReport']
export type FigureRef = components['schemas']['IndicatorFigureRef']

export const emptyMeta: Meta = { kinds: [], methods: [], statuses: [], campaign_statuses: [], actions: [] }

/** A flat list with parent ids as a tree for el-table (children arrays). */
export function toTree<T extends { id: number; parent_id: number }>(rows: T[]): (T & { children?: T[] })[] {
  const byId = new Map<number, T & { children?: T[] }>()
  const roots: (T & { children?: T[] })[] = []
  for (const r of rows) byId.set(r.id, { ...r })
  for (const r of rows) {
    const node = byId.get(r.id)!
    const parent = r.parent_id ? byId.get(r.parent_id) : undefined
    if (parent) (parent.children ??= []).push(node)
    else roots.push(node)
  }
  return roots
}

/** Posts a framework workbook to the import endpoint. */
export function importFramework(file: File, code: string, name: string): Promise<ImportReport> {
  const q = new URLSearchParams({ code, name })
  return sendBody<ImportReport>('POST', `/api/indicator/frameworks/import?${q}`, file, 'application/octet-stream')
}

/** Uploads one piece of evidence with its effective period. */
export function uploadEvidence(id: number, file: File, validFrom: string, validTo: string): Promise<AssignmentDetail> {
  const q = new URLSearchParams({ name: file.name })
  if (validFrom) q.set('valid_from', validFrom)
  if (validTo) q.set('valid_to', validTo)
  return sendBody<AssignmentDetail>('POST', `/api/indicator/assignments/${id}/evidence?${q}`, file, 'application/octet-stream')
}

/** Element Plus tag type of an assignment status. */
export function statusTag(s: string): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  return ({ approved: 'success', submitted: 'primary', returned: 'danger', pending: 'info' } as const)[s as 'approved'] ?? 'info'
}

export function fmt(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toFixed(2).replace(/\.?0+$/, '')
}
