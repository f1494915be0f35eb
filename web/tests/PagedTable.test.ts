import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { h, reactive } from 'vue'
import { ElConfigProvider, ElTableColumn } from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import PagedTable from '@/components/PagedTable.vue'

function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

afterEach(() => vi.unstubAllGlobals())

describe('PagedTable', () => {
  it('requests page/page_size with the filters and renders rows', async () => {
    const fetchMock = vi.fn(async () => jsonResponse({ items: [{ id: 1, name: '区司法局' }, { id: 2, name: '区公安分局' }], total: 42 }))
    vi.stubGlobal('fetch', fetchMock)
    const filters = reactive({ q: '局', type: '' })
    // Inside the zh-CN config provider, as in App.vue.
    const wrapper = mount(
      () =>
        h(ElConfigProvider, { locale: zhCn }, () =>
          h(PagedTable, { endpoint: '/api/org/units', filters, exportName: '组织机构' }, () =>
            h(ElTableColumn, { prop: 'name', label: '名称' }),
          ),
        ),
      { attachTo: document.body },
    )
    // Cast: once any other component uses <el-table>, vue-tsc types findComponent()
    // of this generic component as a DOMWrapper (no .vm); at run time it is a VueWrapper.
    const table = wrapper.findComponent(PagedTable) as unknown as { vm: unknown }
    await flushPromises()
    expect(fetchMock).toHaveBeenCalledTimes(1)
    const url = String((fetchMock.mock.calls[0] as unknown[])[0])
    expect(url).toBe('/api/org/units?q=%E5%B1%80&page=1&page_size=20')
    expect(wrapper.text()).toContain('区司法局')
    expect(wrapper.text()).toContain('共 42 条')
    expect(wrapper.text()).toContain('导出Excel')

    filters.type = 'town'
    await (table.vm as unknown as { search: () => Promise<void> }).search()
    await flushPromises()
    expect(String((fetchMock.mock.calls[1] as unknown[])[0])).toBe('/api/org/units?q=%E5%B1%80&type=town&page=1&page_size=20')

    await (table.vm as unknown as { reset: () => Promise<void> }).reset()
    await flushPromises()
    expect(filters).toEqual({ q: '局', type: '' })
    wrapper.unmount()
  })

  it('shows 暂无数据 when the list is empty and no export button without exportName', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ items: [], total: 0 })))
    const wrapper = mount(PagedTable, {
      props: { endpoint: '/api/notifications' },
      slots: { default: () => h(ElTableColumn, { prop: 'title', label: '标题' }) },
      attachTo: document.body,
    })
    await flushPromises()
    expect(wrapper.text()).toContain('暂无数据')
    expect(wrapper.text()).not.toContain('导出Excel')
    wrapper.unmount()
  })

  it('shows the server message when loading fails', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ code: 'forbidden', message: '没有查看组织机构的权限' }, 403)))
    const wrapper = mount(PagedTable, {
      props: { endpoint: '/api/org/units' },
      slots: { default: () => h(ElTableColumn, { prop: 'name', label: '名称' }) },
      attachTo: document.body,
    })
    await flushPromises()
    expect(wrapper.text()).toContain('加载失败：没有查看组织机构的权限')
    wrapper.unmount()
  })

  it('shows a capped total and follows the cursor past the numbered pages', async () => {
    const page = (n: number, next: string) => ({ items: [{ id: n, title: `问题${n}` }], total: 10000, total_capped: true, page: n, next })
    const fetchMock = vi.fn(async (url: string) => {
      if (url.includes('after=c501')) return jsonResponse(page(501, 'c502'))
      if (url.includes('after=c502')) return jsonResponse(page(502, ''))
      if (url.includes('page=500')) return jsonResponse(page(500, 'c501'))
      return jsonResponse(page(1, 'c2'))
    })
    vi.stubGlobal('fetch', fetchMock)
    // The pager swaps between el-pagination and the cursor bar, which runs
    // transitions: happy-dom has no requestAnimationFrame.
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0))
    const wrapper = mount(
      () =>
        h(ElConfigProvider, { locale: zhCn }, () =>
          h(PagedTable, { endpoint: '/api/findings' }, () => h(ElTableColumn, { prop: 'title', label: '标题' })),
        ),
      { attachTo: document.body },
    )
    await flushPromises()
    expect(wrapper.text()).toContain('共 10,000+ 条')
    // Page 1 is not the last numbered page: no cursor button yet.
    expect(wrapper.findAll('button').some((b) => b.text() === '下一页')).toBe(false)

    // Jump to the last numbered page (10,000 / 20 = 500) by number.
    const table = wrapper.findComponent(PagedTable) as unknown as { vm: { $: { setupState: { page: number; byNumber: () => Promise<void> } } } }
    table.vm.$.setupState.page = 500
    await table.vm.$.setupState.byNumber()
    await flushPromises()
    expect(String(fetchMock.mock.calls.at(-1)?.[0])).toBe('/api/findings?page=500&page_size=20')
    const follow = () => wrapper.findAll('button').find((b) => b.text() === '下一页')!
    await follow().trigger('click')
    await flushPromises()
    expect(String(fetchMock.mock.calls.at(-1)?.[0])).toBe('/api/findings?after=c501&page_size=20')
    expect(wrapper.text()).toContain('第 501 页')
    expect(wrapper.text()).toContain('问题501')
    await follow().trigger('click')
    await flushPromises()
    expect(wrapper.text()).toContain('第 502 页')
    // The last page: no further cursor.
    expect(wrapper.findAll('button').some((b) => b.text() === '下一页')).toBe(false)
    const first = wrapper.findAll('button').find((b) => b.text() === '回到第一页')!
    await first.trigger('click')
    await flushPromises()
    expect(String(fetchMock.mock.calls.at(-1)?.[0])).toBe('/api/findings?page=1&page_size=20')
    expect(wrapper.text()).toContain('问题1')
    await new Promise((r) => setTimeout(r, 10))
    wrapper.unmount()
  })
})
