// The year view's 12 small month calendars: weeks starting on Monday (as
// Chinese desk calendars do), each day marked 休 (public holiday), 班
// (make-up working day) or as an ordinary weekend/workday, plus the list of
// named periods printed under each month.
import type { CalDay } from './types'

export type DayKind = 'holiday' | 'makeup' | 'weekend' | 'workday'

export interface GridCell {
  date: string
  day: number
  /** 0 Sunday … 6 Saturday */
  weekday: number
  kind: DayKind
  /** Holiday name for 休 and 班 days. */
  name?: string
}

/** A run of consecutive days with the same name and kind (国庆节 10-01–10-08 休). */
export interface MarkRange {
  from: string
  to: string
  name: string
  off: boolean
  /** Days in the run. */
  count: number
  /** "10月1日—8日", "10月10日（星期六）" */
  label: string
}

export interface MonthGrid {
  year: number
  month: number
  /** Rows of 7 cells, Monday first; null pads days outside the month. */
  weeks: (GridCell | null)[][]
  marks: MarkRange[]
}

const DAY_MS = 86_400_000
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六']

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

export function isoDate(y: number, m: number, d: number): string {
  return `${y}-${pad(m)}-${pad(d)}`
}

function utc(date: string): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10))
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Lookup from date to listed day. */
export function indexDays(days: readonly CalDay[] | null | undefined): Map<string, CalDay> {
  const m = new Map<string, CalDay>()
  for (const d of days ?? []) m.set(d.date, d)
  return m
}

export function buildMonthGrid(year: number, month: number, days: readonly CalDay[] | Map<string, CalDay>): MonthGrid {
  const byDate = days instanceof Map ? days : indexDays(days)
  const n = daysInMonth(year, month)
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay()
  const lead = (first + 6) % 7 // Monday-first offset
  const cells: (GridCell | null)[] = Array.from({ length: lead }, () => null)
  for (let d = 1; d <= n; d++) {
    const date = isoDate(year, month, d)
    const weekday = (first + d - 1) % 7
    const listed = byDate.get(date)
    let kind: DayKind
    if (listed) kind = listed.off ? 'holiday' : 'makeup'
    else kind = weekday === 0 || weekday === 6 ? 'weekend' : 'workday'
    cells.push({ date, day: d, weekday, kind, ...(listed ? { name: listed.name } : {}) })
  }
  while (cells.length % 7 !== 0) cells.push(null)
  const weeks: (GridCell | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))

  const prefix = `${year}-${pad(month)}-`
  const inMonth = [...byDate.values()].filter((d) => d.date.startsWith(prefix))
  return { year, month, weeks, marks: groupRanges(inMonth) }
}

export function buildYearGrid(year: number, days: readonly CalDay[] | null | undefined): MonthGrid[] {
  const byDate = indexDays(days)
  return Array.from({ length: 12 }, (_, i) => buildMonthGrid(year, i + 1, byDate))
}

/**
 * Groups listed days into runs of consecutive dates with the same name and
 * kind, in date order. The label names the month once: "10月1日—8日";
 * a single day also gets its weekday, which matters for 班 days.
 */
export function groupRanges(days: readonly CalDay[]): MarkRange[] {
  const sorted = [...days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  const out: MarkRange[] = []
  for (const d of sorted) {
    const last = out[out.length - 1]
    if (last && last.name === d.name && last.off === d.off && utc(d.date) - utc(last.to) === DAY_MS) {
      last.to = d.date
      last.count++
    } else {
      out.push({ from: d.date, to: d.date, name: d.name, off: d.off, count: 1, label: '' })
    }
  }
  for (const r of out) r.label = rangeLabel(r.from, r.to)
  return out
}

export function rangeLabel(from: string, to: string): string {
  const fm = +from.slice(5, 7)
  const fd = +from.slice(8, 10)
  if (from === to) return `${fm}月${fd}日（${WEEKDAYS[new Date(utc(from)).getUTCDay()]}）`
  const tm = +to.slice(5, 7)
  const td = +to.slice(8, 10)
  if (from.slice(0, 4) !== to.slice(0, 4)) return `${from.slice(0, 4)}年${fm}月${fd}日—${to.slice(0, 4)}年${tm}月${td}日`
  return fm === tm ? `${fm}月${fd}日—${td}日` : `${fm}月${fd}日—${tm}月${td}日`
}

/** Listed days that fall outside year (December of the previous year is allowed by the server). */
export function daysOutsideYear(year: number, days: readonly CalDay[] | null | undefined): CalDay[] {
  return (days ?? []).filter((d) => !d.date.startsWith(`${year}-`))
}
