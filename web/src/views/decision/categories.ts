import type { components } from '@/api/schema'
import { lines, type Category } from './decisionApi'

// Helpers of the 决策事项分类 page (CategoriesView.vue).

export type CategoryInput = components['schemas']['DecisionCategoryInput']

/** Permission the category routes require for writes (decision.SaveCategory: PermApprove). */
export const CATEGORY_WRITE = 'decision.approve'

export interface CategoryForm {
  name: string
  kinds: string
  sort: number
  active: boolean
}

/** The dialog's form for a category (undefined: a new one, sorted after `count` existing). */
export function categoryForm(c: Category | undefined, count: number): CategoryForm {
  if (!c) return { name: '', kinds: '', sort: count + 1, active: true }
  return { name: c.name, kinds: (c.kinds ?? []).join('\n'), sort: c.sort, active: c.active }
}

/** The request body: kinds one per line, the edited record's version for the optimistic check. */
export function categoryBody(f: CategoryForm, editing?: Category): CategoryInput {
  return { name: f.name, kinds: lines(f.kinds), sort: f.sort, active: f.active, version: editing?.version ?? 0 }
}

/** Body that flips a category's 启用 state, keeping everything else. */
export function toggleBody(c: Category): CategoryInput {
  return { name: c.name, kinds: c.kinds ?? [], sort: c.sort, active: !c.active, version: c.version }
}

/** Categories in display order (sort, then id). */
export function sortCategories(list: Category[] | null): Category[] {
  return [...(list ?? [])].sort((a, b) => a.sort - b.sort || a.id - b.id)
}
