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
    // A count has no parts line (and, since issue 12, no code line either).
    expect(cards[1].findAll('.note')).toHaveLength(0)
    expect(w.findAllComponents(RouterLinkStub).map((l) => l.props('to'))).toEqual(['/normdocs/ledger?filed=1', '/decisions'])
    expect(w.find('.extra').text()).toBe('更多')
  })
  it("links a rate's numerator to its own records and shows no parts under a count", async () => {
    const figures: OverviewFigure[] = [
      { code: 'legalreview.on_time_rate', name: '按时办结率', value: 87.5, unit: '%', numerator: 7, denominator: 8, no_data: false, link: '/legalreviews?finished_from=2026-01-01', numerator_link: '/legalreviews?finished_from=2026-01-01&on_time=yes', definition: '按时办结数 / 办结数' },
      { code: 'finding.open_count', name: '未销号问题', value: 12, unit: '个', numerator: 12, denominator: 0, no_data: false, link: '/findings', definition: '' },
    ]
    const w = mount(FigureOverview, {
      props: { title: '合法性审查指标', load: async () => figures },
      global: { plugins: [ElementPlus], stubs: { RouterLink: RouterLinkStub } },
    })
    await flushPromises()
    const cards = w.findAll('.fig')
    // No figure code on screen (issue 12): the note under a rate is its parts only.
    expect(cards[0].find('.note').text()).toBe('分子 7 / 分母 8')
    expect(cards[0].text()).not.toContain('legalreview.on_time_rate')
    expect(cards[0].text()).toContain('按时办结数 / 办结数')
    expect(cards[1].find('.note').exists()).toBe(false)
    expect(cards[1].text()).not.toContain('finding.open_count')
    expect(cards[1].text()).not.toContain('分母')
    // The rate's numerator, then each card's 查看明细记录.
    expect(w.findAllComponents(RouterLinkStub).map((l) => l.props('to'))).toEqual([
      '/legalreviews?finished_from=2026-01-01&on_time=yes',
      '/legalreviews?finished_from=2026-01-01',
      '/findings',
    ])
  })
})
