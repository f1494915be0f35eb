import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { definitionErrors, describeStep, fieldPlace, formatDefinition, parseDefinitionText, type ChainStep, type FindingChain } from '@/views/findings/chainEditor'
import FindingChainEditor from '@/views/findings/FindingChainEditor.vue'
import { routes } from '@/router/routes'

const steps: ChainStep[] = [
  { key: 'unit_review', name: '责任单位负责人审核', kind: 'single', assignees: [{ role: 'head' }], deadline_days: 5, remind_before_days: 1, escalate_to: { role: 'supervisor' } },
  { key: 'supervisor_review', name: '法治督察机构审核销号', kind: 'any', assignees: [{ role: 'supervisor' }], deadline_days: 5, opinion_required: true },
]

const chain: FindingChain = {
  id: 1,
  code: 'closeout',
  name: '问题整改销号审核流程',
  version: 3,
  updated_by: 0,
  updated_at: '2026-11-20T02:00:00Z',
  definition: {
    code: 'finding.closeout',
    name: '问题整改销号审核',
    steps,
  },
}

describe('close-out chain helpers', () => {
  it('describes a step in Chinese', () => {
    expect(describeStep(steps[0])).toBe('单人审批 · 部门负责人 · 5 个工作日 · 提前 1 个工作日提醒 · 超期督办：司法局监督审核人员')
    expect(describeStep(steps[1])).toBe('或签 · 司法局监督审核人员 · 5 个工作日 · 须填写意见')
  })

  it('round-trips the definition through the editor text', () => {
    expect(parseDefinitionText(formatDefinition(chain.definition)).value).toEqual(chain.definition)
  })

  it('refuses text that is not a JSON object before sending', () => {
    expect(parseDefinitionText('')).toEqual({ error: '请填写审批流程定义' })
    expect(parseDefinitionText('{"code": "x",')).toHaveProperty('error')
    expect(parseDefinitionText('{"code": "x",').error).toContain('不是有效的 JSON')
    expect(parseDefinitionText('[1, 2]').error).toContain('JSON 对象')
  })

  it('places server field errors on their step', () => {
    expect(fieldPlace('definition.steps[1].kind')).toBe('第2步 · kind')
    expect(fieldPlace('definition.steps[0]')).toBe('第1步')
    expect(fieldPlace('definition.opinion_requird')).toBe('opinion_requird')
    expect(fieldPlace('definition')).toBe('流程定义')
    expect(
      definitionErrors([
        { field: 'name', message: '请填写流程名称' },
        { field: 'body.definition.steps[1].kind', message: '第2步「督察审核」：审批方式须为 single（单人）、countersign（会签）或 any（或签）' },
      ]),
    ).toEqual([{ place: '第2步 · kind', message: '第2步「督察审核」：审批方式须为 single（单人）、countersign（会签）或 any（或签）' }])
  })

  it('has a route for the chain page', () => {
    const children = routes.flatMap((r) => r.children ?? [])
    expect(children.some((c) => c.path === 'findings/chains' && c.meta?.permission === 'finding.read')).toBe(true)
  })
})

describe('FindingChainEditor', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('does not send broken JSON and says why', async () => {
    const fetchMock = vi.fn()
    vi.stubGlobal('fetch', fetchMock)
    const w = mount(FindingChainEditor, { props: { chain } })
    await w.find('textarea[data-test="definition"]').setValue('{"code": "finding.closeout",')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(fetchMock).not.toHaveBeenCalled()
    expect(w.text()).toContain('不是有效的 JSON')
    w.unmount()
  })

  it('lists the server refusal by step and keeps the text as typed', async () => {
    const body = {
      code: 'invalid',
      message: '流程定义有误',
      fields: [
        { field: 'definition.steps[0].remind_before_days', message: '第1步「责任单位负责人审核」：提前提醒天数须小于办理时限' },
        { field: 'definition.steps[1].assignees[0]', message: '角色 supervisr 不存在' },
      ],
    }
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify(body), { status: 422 }))
    vi.stubGlobal('fetch', fetchMock)
    const w = mount(FindingChainEditor, { props: { chain } })
    const typed = formatDefinition({ ...chain.definition, steps: [{ ...steps[0], remind_before_days: 5 }, { ...steps[1], assignees: [{ role: 'supervisr' }] }] })
    await w.find('textarea[data-test="definition"]').setValue(typed)
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(fetchMock).toHaveBeenCalledOnce()
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/finding-chains/1')
    expect(init.method).toBe('PUT')
    const sent = JSON.parse(init.body as string)
    expect(sent.version).toBe(3)
    expect(sent.definition.steps[1].assignees[0].role).toBe('supervisr')
    const problems = w.find('[data-test="problems"]')
    expect(problems.exists()).toBe(true)
    expect(problems.text()).toContain('第1步 · remind_before_days')
    expect(problems.text()).toContain('提前提醒天数须小于办理时限')
    expect(problems.text()).toContain('第2步 · assignees[0]')
    expect(problems.text()).toContain('角色 supervisr 不存在')
    expect((w.find('textarea[data-test="definition"]').element as HTMLTextAreaElement).value).toBe(typed)
    expect(w.emitted('saved')).toBeUndefined()
    w.unmount()
  })

  it('emits the saved chain', async () => {
    const saved = { ...chain, version: 4, name: '简易销号流程' }
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(saved), { status: 200 })))
    const w = mount(FindingChainEditor, { props: { chain } })
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.emitted('saved')?.[0]).toEqual([saved])
    w.unmount()
  })
})
