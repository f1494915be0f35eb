import type { components } from '@/api/schema'
import { getJSON } from '@/api/client'

// Types of the decision API (internal/decision): the generated schema types
// (response lists are never null: httpx.EmptyLists).

export type Category = components['schemas']['DecisionCategory']
export type CatalogueItem = components['schemas']['DecisionCatalogueItem']
export type Catalogue = components['schemas']['DecisionCatalogue']
export type Decision = components['schemas']['Decision']

export type TimelineStep = components['schemas']['DecisionTimelineStep']

export type ExpertOpinion = components['schemas']['DecisionExpertOpinion']
export type Progress = components['schemas']['DecisionProgressReport']
export type Correction = components['schemas']['DecisionCorrection']

export type Detail = components['schemas']['DecisionDetail']

export type Expert = components['schemas']['DecisionExpert']
export type Comment = components['schemas']['DecisionComment']
export type Figure = components['schemas']['MetricFigure']
export type PublicDecision = components['schemas']['DecisionPublicDecision']

export interface UnitOption {
  id: number
  name: string
}


export const getDecision = (id: number | string) => getJSON<Detail>(`/api/decisions/${id}`)
export const getCatalogue = (id: number | string) => getJSON<Catalogue>(`/api/decision-catalogues/${id}`)
/** The pool's experts or assessing organisations, for pickers (the first 200). */
export const listPool = async (kind: 'expert' | 'org') =>
  (await getJSON<{ items: Expert[] }>('/api/decision-experts', { page_size: 200, kind })).items
export const listCategories = () => getJSON<Category[]>('/api/decision-categories', { active: true })

/** Units for pickers (org tree, flattened). */
export async function listUnits(): Promise<UnitOption[]> {
  const res = await getJSON<{ items: UnitOption[] }>('/api/org/units', { page_size: 500 })
  return res.items
}

export function stateTag(state: string): 'success' | 'warning' | 'info' | 'primary' {
  switch (state) {
    case 'done':
      return 'success'
    case 'in_progress':
      return 'warning'
    case 'not_required':
      return 'info'
  }
  return 'primary'
}

export const headDecisions = [
  { value: 'adopt', label: '通过' },
  { value: 'adopt_amended', label: '修改后通过' },
  { value: 'reject', label: '不予通过' },
  { value: 'defer', label: '暂缓决定' },
]

/** Splits a textarea into a list of non-empty lines. */
export function lines(s: string): string[] {
  return s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
}
