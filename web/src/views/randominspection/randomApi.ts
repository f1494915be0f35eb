import type { components } from '@/api/schema'

// Types of the random-inspection API (internal/randominspection).
export type Matter = components['schemas']['RandominspectionMatter']
export type Plan = components['schemas']['RandominspectionPlan']
export type Pool = components['schemas']['RandominspectionPool']
export type Check = components['schemas']['RandominspectionCheck']
export type PublicPlan = components['schemas']['RandominspectionPublicPlan']
export type ImportReport = components['schemas']['RandominspectionImportReport']

export const methods = [
  { value: 'onsite', label: '现场检查' },
  { value: 'document', label: '书面检查' },
  { value: 'online', label: '网络监测' },
  { value: 'sampling', label: '抽样检验' },
]

export const results = [
  { value: 'clean', label: '未发现问题' },
  { value: 'problems', label: '发现问题' },
  { value: 'absent', label: '通过登记的住所（经营场所）无法联系' },
]

/** Per mille as a percentage text: 300 → 30%. */
export function permille(n: number): string {
  return `${n / 10}%`
}
