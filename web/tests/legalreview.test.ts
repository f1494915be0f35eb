import { describe, expect, it } from 'vitest'
import { figureLocation, labelOf, kinds, requestedByError } from '@/views/legalreview/lrapi'
import { routes } from '@/router/routes'
import { menuEntries } from '@/router/menu'

describe('legalreview helpers', () => {
  it('refuses a requested date before the 7-working-day minimum', () => {
    expect(requestedByError('2026-10-12', '2026-10-13')).toContain('不得早于 2026-10-13')
    expect(requestedByError('2026-10-13', '2026-10-13')).toBe('')
    expect(requestedByError('', '2026-10-13')).toBe('')
    expect(requestedByError('13/10/2026', '2026-10-13')).toContain('YYYY-MM-DD')
  })

  it('opens a figure link as a filtered ledger', () => {
    const loc = figureLocation('/legalreviews?finished_from=2026-01-01&on_time=yes&status=concluded')
    expect(loc.path).toBe('/legalreviews')
    expect(loc.query).toEqual({ finished_from: '2026-01-01', on_time: 'yes', status: 'concluded' })
    expect(figureLocation('/legalreviews').query).toEqual({})
  })

  it('labels kinds in Chinese', () => {
    expect(labelOf(kinds, 'policy')).toBe('涉企政策措施')
    expect(labelOf(kinds, 'unknown')).toBe('unknown')
  })

  it('has a route for every legalreview menu entry', () => {
    const children = routes.flatMap((r) => r.children ?? [])
    for (const e of menuEntries.filter((m) => m.path.startsWith('/legalreviews'))) {
      expect(children.some((c) => '/' + c.path === e.path)).toBe(true)
    }
  })
})
