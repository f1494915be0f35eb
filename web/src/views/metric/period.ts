import { computed, reactive, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import type { components } from '@/api/schema'

export type Cockpit = components['schemas']['DashboardCockpit']
export type MetricPage = components['schemas']['DashboardMetricPage']
export type Catalogue = components['schemas']['DashboardCatalogue']
export type MetricEntry = components['schemas']['MetricEntry']
export type TreeUnit = components['schemas']['DashboardTreeUnit']
export type Value = components['schemas']['DashboardValue']

/** The chosen unit subtree and period, kept in the page's query string so a link or a refresh shows the same. */
export interface PeriodState {
  unit: number
  kind: 'year' | 'quarter' | 'month' | 'custom'
  year: number
  quarter: number
  month: number
  from: string
  to: string
}

function num(v: unknown, d: number): number {
  const n = Number(Array.isArray(v) ? v[0] : v)
  return Number.isFinite(n) && n > 0 ? n : d
}
function str(v: unknown): string {
  return String((Array.isArray(v) ? v[0] : v) ?? '')
}

/** The server's period spec for a state ("2026", "2026-Q2", "2026-03" or "custom"). */
export function periodSpec(s: PeriodState): string {
  switch (s.kind) {
    case 'quarter':
      return `${s.year}-Q${s.quarter}`
    case 'month':
      return `${s.year}-${String(s.month).padStart(2, '0')}`
    case 'custom':
      return 'custom'
  }
  return String(s.year)
}

/** The query the API takes for a state. */
export function periodQuery(s: PeriodState): { unit_id?: number; period: string; from?: string; to?: string } {
  const q: { unit_id?: number; period: string; from?: string; to?: string } = { period: periodSpec(s) }
  if (s.unit > 0) q.unit_id = s.unit
  if (s.kind === 'custom') {
    q.from = s.from
    q.to = s.to
  }
  return q
}

/** usePeriod reads the state from the route's query and writes it back on change (then calls load). */
export function usePeriod(load: () => void) {
  const route = useRoute()
  const router = useRouter()
  const now = new Date()
  const p = str(route.query.period)
  const state = reactive<PeriodState>({
    unit: num(route.query.unit_id, 0),
    kind: 'year',
    year: now.getFullYear(),
    quarter: Math.floor(now.getMonth() / 3) + 1,
    month: now.getMonth() + 1,
    from: str(route.query.from),
    to: str(route.query.to),
  })
  let m: RegExpMatchArray | null
  if ((m = p.match(/^(\d{4})$/))) state.year = Number(m[1])
  else if ((m = p.match(/^(\d{4})-[Qq]([1-4])$/))) Object.assign(state, { kind: 'quarter', year: Number(m[1]), quarter: Number(m[2]) })
  else if ((m = p.match(/^(\d{4})-(\d{2})$/))) Object.assign(state, { kind: 'month', year: Number(m[1]), month: Number(m[2]) })
  else if (p === 'custom') state.kind = 'custom'
  const query = computed(() => periodQuery(state))
  watch(
    () => JSON.stringify(query.value),
    () => {
      if (state.kind === 'custom' && (!state.from || !state.to)) return
      void router.replace({ query: { ...route.query, ...Object.fromEntries(Object.entries(query.value).map(([k, v]) => [k, String(v)])), ...(state.unit ? {} : { unit_id: undefined }) } })
      load()
    },
  )
  return { state, query }
}

/** A value as shown: one decimal for rates, thousands separators for counts, — without data. */
export function show(v: { value: number; no_data: boolean } | undefined, unit: string): string {
  if (!v || v.no_data) return '—'
  if (unit === '%') return (Math.round(v.value * 10) / 10).toLocaleString('zh-CN', { maximumFractionDigits: 1 }) + '%'
  return v.value.toLocaleString('zh-CN', { maximumFractionDigits: 2 })
}

/** The change from an earlier value: "↑3.2" / "↓1" / "持平", percentage points for rates. */
export function change(cur: { value: number; no_data: boolean }, before: { value: number; no_data: boolean } | undefined, unit: string): string {
  if (cur.no_data || !before || before.no_data) return '—'
  const d = Math.round((cur.value - before.value) * 10) / 10
  if (d === 0) return '持平'
  const mag = Math.abs(d).toLocaleString('zh-CN', { maximumFractionDigits: 1 }) + (unit === '%' ? ' 个百分点' : '')
  return (d > 0 ? '↑' : '↓') + mag
}

/** A period query as route query values. */
export function routeQuery(q: { unit_id?: number; period: string; from?: string; to?: string }): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]))
}

/** The records link a chart item carries. */
export function linkOf(p: { data?: unknown }): string | undefined {
  const d = p.data as { link?: string } | null | undefined
  return d?.link
}
