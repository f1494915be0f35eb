import { describe, expect, it } from 'vitest'
import { areaLabel, byArea, rates } from '@/utils/figures'
import type { Figure } from '@/api/types'

const fig = (code: string, unit = '个'): Figure =>
  ({ code, name: code, unit, value: 1, numerator: 1, denominator: 0, no_data: false, link: '', definition: '' }) as Figure

describe('figure areas', () => {
  it('names a figure area in Chinese, never by its code', () => {
    expect(areaLabel('decision.legal_review_rate')).toBe('重大行政决策')
    expect(areaLabel('normdoc.filed_on_time_rate')).toBe('规范性文件')
    expect(areaLabel('unknown.x')).toBe('其他')
  })
  it('groups in page order and keeps the rates', () => {
    const fs = [fig('finding.open'), fig('decision.legal_review_rate', '%'), fig('finding.closed_on_time_rate', '%'), fig('x.y')]
    expect(byArea(fs).map((g) => [g.label, g.figures.length])).toEqual([
      ['重大行政决策', 1],
      ['问题整改', 2],
      ['其他', 1],
    ])
    expect(rates(fs).map((f) => f.code)).toEqual(['decision.legal_review_rate', 'finding.closed_on_time_rate'])
  })
})
