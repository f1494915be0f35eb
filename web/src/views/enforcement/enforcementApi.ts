import type { components } from '@/api/schema'

// Types of the enforcement API (internal/enforcement): the generated schema
// types (response lists are never null: httpx.EmptyLists).

export type Case = components['schemas']['EnforcementCase']
export type Officer = components['schemas']['EnforcementOfficer']
export type Body = components['schemas']['EnforcementBody']
export type Hit = components['schemas']['EnforcementHit']
export type RuleView = components['schemas']['EnforcementRuleView']
export type ImportReport = components['schemas']['EnforcementImportReport']

export const caseKinds = [
  { value: 'penalty', label: '行政处罚' },
  { value: 'compulsory', label: '行政强制措施' },
  { value: 'inspection', label: '行政检查' },
  { value: 'licence', label: '行政许可' },
]

/** Formats an amount in fen as yuan. */
export function yuan(fen: number): string {
  return (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 })
}
