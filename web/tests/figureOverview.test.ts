import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import FigureOverview, { type OverviewFigure, type Period } from '@/components/FigureOverview.vue'

describe('FigureOverview', () => {
  it('loads this year, shows one card per figure with its parts and link, and the slot below', async () => {
    const figures: OverviewFigure[] = [
      { code: 'normdoc.filed_on_time_rate', name: '按时报备率', value: 75, unit: '%', numerator: 3, denominator: 4, no_data: false, link: '/normdocs/ledger?filed=1', note: '按登记日期', definition: '' },
      { code: 'decision.count', name: '决策事项', value: 2, unit: '件', numerator: 2, denominator: 2, no_data: false, link: '/decisions', note: '', definition: '' },
    ]
    const load = vi.fn(async (_p: Period) => figures)
    const w = mount(FigureOverview, {
      props: { title: '规范性文件指标', load },
      slots: { default: '<p class="extra">更多</p>' },
      global: { plugins: [ElementPlus], stubs: { RouterLink: RouterLinkStub } },
    })
    await flushPromises()
    const year = new Date().getFullYear()
    expect(load).toHaveBeenCalledWith({ from: `${year}-01-01`, to: `${year}-12-31` })
    expect(w.text()).toContain('规范性文件指标')
    const cards = w.findAll('.fig')
    expect(cards).toHaveLength(2)
    expect(cards[0].attributes('data-key')).toBe('normdoc.filed_on_time_rate')
    expect(cards[0].find('.value').text()).toBe('75%')
    expect(cards[0].text()).toContain('分子 3 / 分母 4')
    expect(cards[0].text()).toContain('按登记日期')
    expect(cards[1].findAll('.note')).toHaveLength(1)
    expect(w.findAllComponents(RouterLinkStub).map((l) => l.props('to'))).toEqual(['/normdocs/ledger?filed=1', '/decisions'])
    expect(w.find('.extra').text()).toBe('更多')
  })
})
