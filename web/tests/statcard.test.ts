import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import StatCard, { formatFigure } from '@/components/StatCard.vue'

const mountCard = (figure: Record<string, unknown>) =>
  mount(StatCard, { props: { figure: figure as never }, global: { plugins: [ElementPlus] } })

describe('StatCard', () => {
  it('shows a rate with its parts', () => {
    const w = mountCard({ code: 'x.rate', name: '按时办结率', value: 87.5, unit: '%', numerator: 7, denominator: 8, link: '/x' })
    expect(w.find('.stat-value').text()).toBe('87.5')
    expect(w.find('.unit').text()).toBe('%')
    expect(w.find('.parts').text()).toBe('7 / 8')
  })

  it('shows a dash, not 0 %, when there is nothing to compute', () => {
    const w = mountCard({ code: 'x.rate', name: '按时办结率', value: 0, unit: '%', numerator: 0, denominator: 0, no_data: true })
    expect(w.find('.stat-value').text()).toBe('—')
    expect(w.find('.unit').exists()).toBe(false)
    expect(w.find('.parts').text()).toBe('暂无可计算的记录')
  })

  it('emits the drill-down link on click', async () => {
    const w = mountCard({ code: 'org.unit_count', name: '单位数', value: 1234, unit: '个', link: '/system/org-units' })
    expect(w.find('.stat-value').text()).toBe('1,234')
    await w.trigger('click')
    expect(w.emitted('open')?.[0]).toEqual(['/system/org-units'])
  })

  it('shows no parts under a count, which carries itself as the numerator, and the definition on hover', () => {
    const w = mountCard({ code: 'finding.open_count', name: '未销号问题', value: 12, unit: '个', numerator: 12, denominator: 0, no_data: false, definition: '尚未销号的问题个数' })
    expect(w.find('.stat-value').text()).toBe('12')
    expect(w.find('.parts').exists()).toBe(false)
    expect(w.find('.label').attributes('title')).toBe('尚未销号的问题个数')
  })

  it('formats percentages to one decimal', () => {
    expect(formatFigure(66.666, '%')).toBe('66.7')
    expect(formatFigure(Number.NaN, '个')).toBe('—')
  })
})
