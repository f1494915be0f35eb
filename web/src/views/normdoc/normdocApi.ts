import type { components } from '@/api/schema'
import { getJSON } from '@/api/client'

// Types of the normative-document API (internal/normdoc): the generated schema
// types (response lists are never null: httpx.EmptyLists).

export type Issuer = components['schemas']['NormdocIssuer']
export type Step = components['schemas']['NormdocStep']
export type NormDoc = components['schemas']['NormdocDocument']
export type FilingEvent = components['schemas']['NormdocFilingEvent']
export type PublicDoc = components['schemas']['NormdocPublicDocument']
export type CleanupItem = components['schemas']['NormdocCleanupItem']

export type Cleanup = components['schemas']['NormdocCleanup']

export type Figure = components['schemas']['MetricFigure']
export type ImportProblem = components['schemas']['NormdocImportProblem']

export type ImportReport = components['schemas']['NormdocImportReport']

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


export const getDoc = (id: number | string) => getJSON<NormDoc>(`/api/normdocs/${id}`)
export const listIssuers = (activeOnly = false) =>
  getJSON<{ items: Issuer[] }>('/api/normdoc-issuers', { active_only: activeOnly }).then((r) => r.items)
export const getCleanup = (id: number | string) => getJSON<Cleanup>(`/api/normdoc-cleanups/${id}`)
