import { describe, expect, it } from 'vitest'
import { createRouter, createMemoryHistory } from 'vue-router'
import { buildMenu, menuEntries, menuGroups, type MenuEntry, type MenuGroup } from '@/router/menu'
import { routeExists } from '@/router'
import { routes } from '@/router/routes'

const Dummy = { template: '<div />' }
const groups: MenuGroup[] = [
  { key: 'system', title: '系统管理', icon: Dummy },
  { key: 'decision', title: '重大行政决策', icon: Dummy },
]
const entries: MenuEntry[] = [
  { path: '/', title: '首页', icon: Dummy },
  { path: '/decisions', title: '决策事项', icon: Dummy, permission: 'decision.read', group: 'decision' },
  { path: '/system/org-units', title: '组织机构', icon: Dummy, permission: 'org.read', group: 'system' },
  { path: '/system/users', title: '用户管理', icon: Dummy, permission: 'user.read', group: 'system' },
  { path: '/system/audit', title: '审计日志', icon: Dummy, permission: 'audit.read', group: 'system' },
]

const allRoutes = () => true
const granted = (perms: string[]) => (p?: string) => !p || perms.includes(p)

describe('buildMenu', () => {
  it('shows only entries whose permission the user holds', () => {
    const menu = buildMenu(entries, groups, granted(['org.read']), allRoutes)
    expect(menu).toHaveLength(2)
    expect(menu[0]).toMatchObject({ kind: 'entry', entry: { title: '首页' } })
    expect(menu[1].kind).toBe('group')
    if (menu[1].kind !== 'group') throw new Error('expected a group')
    expect(menu[1].group.title).toBe('系统管理')
    expect(menu[1].entries.map((e) => e.title)).toEqual(['组织机构'])
  })

  it('drops a group when none of its entries is visible', () => {
    const menu = buildMenu(entries, groups, granted([]), allRoutes)
    expect(menu.map((m) => (m.kind === 'entry' ? m.entry.title : m.group.title))).toEqual(['首页'])
  })

  it('hides entries whose route does not exist yet', () => {
    const menu = buildMenu(entries, groups, granted(['org.read', 'user.read', 'decision.read']), (p) => p !== '/system/users')
    const system = menu.find((m) => m.kind === 'group' && m.group.key === 'system')
    expect(system && system.kind === 'group' && system.entries.map((e) => e.path)).toEqual(['/system/org-units'])
  })

  it('orders groups as declared, not as entries appear', () => {
    const menu = buildMenu(entries, groups, granted(['org.read', 'decision.read']), allRoutes)
    expect(menu.map((m) => (m.kind === 'entry' ? m.entry.path : m.group.key))).toEqual(['/', 'system', 'decision'])
  })

  it('with the real route table, planned pages stay hidden', () => {
    const router = createRouter({ history: createMemoryHistory(), routes })
    expect(routeExists(router, '/')).toBe(true)
    expect(routeExists(router, '/notifications')).toBe(true)
    expect(routeExists(router, '/no/such/page')).toBe(false)
    const menu = buildMenu(menuEntries, menuGroups, granted(['org.read', 'user.read']), (p) => routeExists(router, p))
    const paths = menu.flatMap((m) => (m.kind === 'entry' ? [m.entry.path] : m.entries.map((e) => e.path)))
    expect(paths).toContain('/')
    expect(paths).toContain('/notifications')
    for (const p of paths) expect(routeExists(router, p)).toBe(true)
  })
})
