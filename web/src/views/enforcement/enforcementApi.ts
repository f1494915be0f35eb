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

// 包容审慎监管 (internal/enforcement report.go, leniency.go, inspection.go).
export type CaseInclusive = components['schemas']['EnforcementCaseInclusive']
export type PenaltyReport = components['schemas']['EnforcementPenaltyReport']
export type LeniencyList = components['schemas']['EnforcementLeniencyList']
export type LeniencyImportReport = components['schemas']['EnforcementLeniencyImportReport']
export type LeniencyItem = components['schemas']['EnforcementLeniencyItem']
export type InspectionPlan = components['schemas']['EnforcementInspectionPlan']
export type Inspection = components['schemas']['EnforcementInspection']
export type Grant = components['schemas']['EnforcementGrant']
export type PlatformToken = components['schemas']['EnforcementPlatformToken']
export type NewToken = components['schemas']['EnforcementNewToken']

export const leniencyKinds = [
  { value: 'no_penalty', label: '不予处罚' },
  { value: 'exempt', label: '免予处罚' },
  { value: 'light', label: '从轻处罚' },
]
export const leniencyConditions = [
  { value: 'first', label: '初次违法' },
  { value: 'minor', label: '危害后果轻微' },
  { value: 'corrected', label: '及时改正' },
]
