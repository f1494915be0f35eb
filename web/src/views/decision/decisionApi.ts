import { networkError, toApiError } from '@/api/errors'
import { getJSON } from '@/api/client'

// Types of the decision API (internal/decision); they mirror the Go structs
// in model.go and the generated schema.

export interface Category {
  id: number
  name: string
  kinds: string[]
  sort: number
  active: boolean
  version: number
}

export interface CatalogueItem {
  id: number
  catalogue_id: number
  category_id: number
  category_name: string
  kind: string
  title: string
  unit_id: number
  unit_name: string
  basis: string
  planned: string
  sort: number
  version: number
  decision_ids: number[]
}

export interface Catalogue {
  id: number
  year: number
  unit_id: number
  unit_name: string
  title: string
  status: 'draft' | 'approved' | 'published'
  status_label: string
  party_agreed_on: string
  party_note: string
  approved_by: string
  approved_at: string
  published_on: string
  published_by: string
  item_count: number
  items?: CatalogueItem[]
  version: number
}

export interface Decision {
  id: number
  code: string
  title: string
  catalogue_item_id: number
  catalogue_item: string
  unit_id: number
  unit_name: string
  decision_body: string
  stage: string
  stage_label: string
  status: string
  status_label: string
  started_on: string
  consultation: string
  comment_start: string
  comment_end: string
  legal_review_id: number
  legal_review_status: string
  legal_review_label: string
  collective_on: string
  collective_review: string
  published_on: string
  archived_on: string
  corrections: number
  version: number
}

export interface TimelineStep {
  step: string
  label: string
  basis: string
  requires: string[] | null
  skippable: boolean
  skip_note?: string
  optional: boolean
  state: 'pending' | 'in_progress' | 'done' | 'not_required'
  state_label: string
  data?: Record<string, unknown>
  file_ids: number[]
  done_on: string
  recorded_by: string
  recorded_at: string
  blocked: string[]
}

export interface ExpertOpinion {
  id: number
  expert_name: string
  expert_title: string
  employer: string
  opinion: string
  signed_on: string
}

export interface Progress {
  id: number
  reported_on: string
  content: string
  percent: number
}

export interface Correction {
  id: number
  authority: string
  corrected_on: string
  kind: string
  description: string
}

export interface Detail extends Decision {
  timeline: TimelineStep[]
  opinions: ExpertOpinion[]
  progress: Progress[]
  correction_list: Correction[]
  comment_count: number
}

export interface Expert {
  id: number
  name: string
  title: string
  field: string
  employer: string
  unit_id: number
  phone: string
  active: boolean
  version: number
}

export interface Comment {
  id: number
  author: string
  contact: string
  content: string
  adopted: string
  reply: string
  created_at: string
}

export interface Figure {
  key: string
  label: string
  value: number
  unit: string
  numerator: number
  denominator: number
  link: string
  note: string
}

export interface PublicDecision {
  id: number
  code: string
  title: string
  decision_body: string
  unit_name: string
  consultation: string
  open: boolean
  comment_start: string
  comment_end: string
  summary: string
  feedback: string
  comment_count: number
  published_on: string
  public_text: string
}

export interface UnitOption {
  id: number
  name: string
}

/** Sends JSON and returns the parsed reply, throwing ApiError on failure. */
export async function send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
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
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  if (!res.ok) throw toApiError(res.status, parsed)
  return parsed as T
}

export const getDecision = (id: number | string) => getJSON<Detail>(`/api/decisions/${id}`)
export const getCatalogue = (id: number | string) => getJSON<Catalogue>(`/api/decision-catalogues/${id}`)
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
