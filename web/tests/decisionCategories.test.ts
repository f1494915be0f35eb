import { describe, expect, it } from 'vitest'
import { CATEGORY_WRITE, categoryBody, categoryForm, sortCategories, toggleBody } from '@/views/decision/categories'
import type { Category } from '@/views/decision/decisionApi'
import { menuEntries } from '@/router/menu'
import { routes } from '@/router/routes'

const cat: Category = { id: 3, name: '公共服务', kinds: ['教育', '医疗卫生'], sort: 2, active: true, version: 4 }

describe('decision category helpers', () => {
  it('fills the form from a category and starts a new one after the existing ones', () => {
    expect(categoryForm(cat, 5)).toEqual({ name: '公共服务', kinds: '教育\n医疗卫生', sort: 2, active: true })
    expect(categoryForm({ ...cat, kinds: null as unknown as string[] }, 5).kinds).toBe('')
    expect(categoryForm(undefined, 5)).toEqual({ name: '', kinds: '', sort: 6, active: true })
  })

  it('sends kinds one per line without blanks and the edited version', () => {
    const f = { name: '公共服务', kinds: ' 教育 \n\n医疗卫生\n', sort: 2, active: false }
    expect(categoryBody(f, cat)).toEqual({ name: '公共服务', kinds: ['教育', '医疗卫生'], sort: 2, active: false, version: 4 })
    expect(categoryBody(f).version).toBe(0)
  })

  it('toggles only the active flag, keeping the version for the optimistic check', () => {
    expect(toggleBody(cat)).toEqual({ name: '公共服务', kinds: ['教育', '医疗卫生'], sort: 2, active: false, version: 4 })
    expect(toggleBody({ ...cat, active: false, kinds: null as unknown as string[] })).toMatchObject({ active: true, kinds: [] })
  })

  it('orders by sort then id and tolerates a null list', () => {
    const list = [{ ...cat, id: 9, sort: 1 }, { ...cat, id: 2, sort: 3 }, { ...cat, id: 1, sort: 1 }]
    expect(sortCategories(list).map((c) => c.id)).toEqual([1, 9, 2])
    expect(sortCategories(null)).toEqual([])
  })

  it('writes need the permission the API checks (decision.approve)', () => {
    expect(CATEGORY_WRITE).toBe('decision.approve')
  })

  it('has a route and a menu entry in the decision group', () => {
    const paths = JSON.stringify(routes, (_k, v) => (typeof v === 'function' ? undefined : v))
    expect(paths).toContain('"decisions/categories"')
    expect(menuEntries.find((e) => e.path === '/decisions/categories')).toMatchObject({ title: '决策事项分类', group: 'decision', permission: 'decision.read' })
  })
})
