import type { Query, QueryValue } from '@/api/client'
import { toSearchParams } from '@/api/client'

export const DEFAULT_PAGE_SIZE = 20
export const PAGE_SIZES = [10, 20, 50, 100]

/**
 * Query for one page of a list endpoint: the filters plus page and page_size,
 * or, past the numbered pages, the `after` cursor the previous page returned.
 */
export function buildListQuery(filters: Record<string, unknown>, page: number, pageSize: number, after = ''): Query {
  if (after) return { ...cleanFilters(filters), after, page_size: pageSize }
  return { ...cleanFilters(filters), page: Math.max(1, Math.floor(page)), page_size: pageSize }
}

/** "10,000+" for a capped total, the number otherwise. */
export function formatTotal(total: number, capped: boolean): string {
  const n = total.toLocaleString('en-US')
  return capped ? `${n}+` : n
}

/** Query for `<endpoint>/export.xlsx`: the same filters, no paging. */
export function buildExportQuery(filters: Record<string, unknown>): Query {
  return cleanFilters(filters)
}

/** URL of the Excel export for an endpoint and its filters. */
export function exportUrl(endpoint: string, filters: Record<string, unknown>): string {
  const qs = toSearchParams(buildExportQuery(filters)).toString()
  const base = `${endpoint.replace(/\/+$/, '')}/export.xlsx`
  return qs ? `${base}?${qs}` : base
}

/**
 * Keeps filter values a query string can carry; drops empty ones so the server
 * sees "no filter" rather than "filter by empty". Strings are trimmed, Dates
 * become YYYY-MM-DD (Asia/Shanghai is the browser's zone in practice), and
 * keys with the reserved names page/page_size/after are ignored.
 */
export function cleanFilters(filters: Record<string, unknown>): Query {
  const out: Query = {}
  for (const [k, raw] of Object.entries(filters)) {
    if (k === 'page' || k === 'page_size' || k === 'after') continue
    const v = cleanValue(raw)
    if (v === undefined) continue
    out[k] = v
  }
  return out
}

function cleanValue(v: unknown): QueryValue | undefined {
  if (v === null || v === undefined) return undefined
  if (typeof v === 'string') {
    const t = v.trim()
    return t === '' ? undefined : t
  }
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined
  if (typeof v === 'boolean') return v
  if (v instanceof Date) return formatDate(v)
  if (Array.isArray(v)) {
    const items = v
      .map((x) => (x instanceof Date ? formatDate(x) : x))
      .filter((x): x is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof x) && x !== '')
    return items.length ? items : undefined
  }
  return undefined
}

function formatDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}
