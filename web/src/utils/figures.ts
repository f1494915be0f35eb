import type { Figure } from '@/api/types'

/** The work areas figures belong to, by the module part of their code, in page order. */
export const AREAS: { key: string; label: string }[] = [
  { key: 'decision', label: '重大行政决策' },
  { key: 'legalreview', label: '合法性审查' },
  { key: 'normdoc', label: '规范性文件' },
  { key: 'finding', label: '问题整改' },
  { key: 'disclosure', label: '依申请公开' },
  { key: 'reconsideration', label: '行政复议' },
  { key: 'randominspection', label: '双随机抽查' },
  { key: 'org', label: '组织机构' },
]

/** The Chinese name of a figure's area ("其他" for a module not listed). */
export function areaLabel(code: string): string {
  const key = code.split('.')[0]
  return AREAS.find((a) => a.key === key)?.label ?? '其他'
}

/** Figures grouped by area, areas in page order, figures in their own order. */
export function byArea(figures: Figure[]): { label: string; figures: Figure[] }[] {
  const groups = new Map<string, Figure[]>()
  for (const f of figures) {
    const label = areaLabel(f.code)
    groups.set(label, [...(groups.get(label) ?? []), f])
  }
  const order = [...AREAS.map((a) => a.label), '其他']
  return order.filter((l) => groups.has(l)).map((label) => ({ label, figures: groups.get(label)! }))
}

/** The rates among figures: the ones departments and months are compared on. */
export function rates(figures: Figure[]): Figure[] {
  return figures.filter((f) => f.unit === '%')
}
