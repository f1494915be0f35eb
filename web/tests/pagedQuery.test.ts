import { describe, expect, it } from 'vitest'
import { buildExportQuery, buildListQuery, exportUrl, formatTotal } from '@/components/pagedQuery'
import { filenameFromDisposition, toSearchParams, withQuery } from '@/api/client'
import { formatFigure } from '@/components/StatCard.vue'

describe('PagedTable query building', () => {
  it('adds page and page_size to cleaned filters', () => {
    const q = buildListQuery({ q: '  司法局 ', status: '', unit_id: 7, tags: ['a', 'b'], empty: [], none: null }, 3, 50)
    expect(q).toEqual({ q: '司法局', unit_id: 7, tags: ['a', 'b'], page: 3, page_size: 50 })
    expect(toSearchParams(q).toString()).toBe('q=%E5%8F%B8%E6%B3%95%E5%B1%80&unit_id=7&tags=a&tags=b&page=3&page_size=50')
  })

  it('never lets filters override paging and clamps the page to 1', () => {
    const q = buildListQuery({ page: 9, page_size: 1000, unread: true }, 0, 20)
    expect(q).toEqual({ unread: true, page: 1, page_size: 20 })
  })

  it('formats dates and date ranges as YYYY-MM-DD', () => {
    const q = buildExportQuery({ from: new Date(2026, 0, 5), range: [new Date(2026, 1, 1), new Date(2026, 1, 28)] })
    expect(q).toEqual({ from: '2026-01-05', range: ['2026-02-01', '2026-02-28'] })
  })

  it('exports with the same filters and without paging', () => {
    expect(exportUrl('/api/org/units/', { q: '镇', page: 2, type: 'town' })).toBe('/api/org/units/export.xlsx?q=%E9%95%87&type=town')
    expect(exportUrl('/api/org/units', {})).toBe('/api/org/units/export.xlsx')
  })

  it('keeps false booleans (an explicit filter) but drops undefined', () => {
    expect(withQuery('/api/notifications', { unread: false, x: undefined })).toBe('/api/notifications?unread=false')
  })
})

describe('helpers', () => {
  it('reads the file name from Content-Disposition', () => {
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E7%BB%84%E7%BB%87%E6%9C%BA%E6%9E%84.xlsx", 'x.xlsx')).toBe('组织机构.xlsx')
    expect(filenameFromDisposition('attachment; filename="units.xlsx"', 'x.xlsx')).toBe('units.xlsx')
    expect(filenameFromDisposition(null, '导出.xlsx')).toBe('导出.xlsx')
  })

  it('formats figures', () => {
    expect(formatFigure(12345, '个')).toBe('12,345')
    expect(formatFigure(97.456, '%')).toBe('97.5')
    expect(formatFigure(Number.NaN, '人')).toBe('—')
  })

  it('past the numbered pages asks for the cursor instead of a page number', () => {
    expect(buildListQuery({ q: '局', after: 'stale' }, 501, 20, 'eyJwIjo1MDJ9')).toEqual({ q: '局', after: 'eyJwIjo1MDJ9', page_size: 20 })
    expect(buildListQuery({ q: '局', after: 'stale' }, 2, 20)).toEqual({ q: '局', page: 2, page_size: 20 })
  })

  it('formats a capped total as 10,000+', () => {
    expect(formatTotal(10000, true)).toBe('10,000+')
    expect(formatTotal(9999, false)).toBe('9,999')
  })
})
