// The 录入/更正 dialog edits one year either as a table of days or as pasted
// JSON in the server's format ({year, source, days:[{date, name, off}]}).
// These pure functions convert between the two, build the request body, and
// place the server's field errors (days[3].date …) back on table rows.
import type { FieldError } from '@/api/errors'
import { normalizeField } from '@/api/errors'
import type { CalDay, CalYear } from './types'

export interface DayRow {
  /** Stable key for v-for (rows are added, removed and sorted). */
  key: number
  date: string
  name: string
  /** true 放假, false 调休上班 */
  off: boolean
}

export interface YearDraft {
  year: number | null
  source: string
  rows: DayRow[]
}

let nextKey = 1
export function newRow(partial: Partial<Omit<DayRow, 'key'>> = {}): DayRow {
  return { key: nextKey++, date: partial.date ?? '', name: partial.name ?? '', off: partial.off ?? true }
}

export function emptyDraft(year: number | null = null): YearDraft {
  return { year, source: '', rows: [newRow()] }
}

export function draftFromYear(y: CalYear): YearDraft {
  return { year: y.year, source: y.source ?? '', rows: (y.days ?? []).map((d) => newRow(d)) }
}

function isBlank(r: DayRow): boolean {
  return r.date.trim() === '' && r.name.trim() === ''
}

export type PayloadDay = Omit<CalDay, 'date'> & { date?: string }

export interface Payload {
  body: { year?: number; source: string; days: PayloadDay[] }
  /** rowIndex[i] is the table row that became days[i] (blank rows are skipped). */
  rowIndex: number[]
}

/**
 * The request body for a draft. Rows left completely blank are skipped (an
 * 添加一行 the user did not fill); every other row is sent as typed, in table
 * order, so that the server's days[i] errors point back at the right row.
 */
export function draftToPayload(d: YearDraft): Payload {
  const days: PayloadDay[] = []
  const rowIndex: number[] = []
  d.rows.forEach((r, i) => {
    if (isBlank(r)) return
    // An empty date is left out so the server says 缺少日期 rather than 格式不正确.
    const date = r.date.trim()
    days.push(date ? { date, name: r.name.trim(), off: r.off } : { name: r.name.trim(), off: r.off })
    rowIndex.push(i)
  })
  // year first, as in the notices' JSON; a missing year is left out so the
  // server reports it as missing rather than as 0.
  const body: Payload['body'] =
    d.year !== null && Number.isFinite(d.year) ? { year: d.year, source: d.source.trim(), days } : { source: d.source.trim(), days }
  return { body, rowIndex }
}

/** Pretty JSON for the paste box: one day per line, as the notices read. */
export function draftToJSON(d: YearDraft): string {
  const { body } = draftToPayload(d)
  const lines: string[] = ['{']
  if (body.year !== undefined) lines.push(`  "year": ${JSON.stringify(body.year)},`)
  lines.push(`  "source": ${JSON.stringify(body.source)},`)
  if (body.days.length === 0) {
    lines.push('  "days": []')
  } else {
    lines.push('  "days": [')
    body.days.forEach((day, i) => {
      const sep = i < body.days.length - 1 ? ',' : ''
      lines.push(`    {"date": ${JSON.stringify(day.date ?? '')}, "name": ${JSON.stringify(day.name)}, "off": ${day.off}}${sep}`)
    })
    lines.push('  ]')
  }
  lines.push('}')
  return lines.join('\n')
}

export type ParseResult = { ok: true; draft: YearDraft } | { ok: false; errors: string[] }

const YEAR_KEYS = new Set(['year', 'source', 'days'])
const DAY_KEYS = new Set(['date', 'name', 'off'])

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Reads pasted JSON into a table draft. It refuses (with Chinese messages)
 * anything the table cannot hold without losing it: invalid JSON, unknown
 * fields, values of the wrong type. Missing values become empty cells, which
 * the server then reports on the row.
 */
export function parseYearText(text: string): ParseResult {
  if (text.trim() === '') return { ok: false, errors: ['请粘贴放假安排 JSON'] }
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch (e) {
    const detail = e instanceof Error ? e.message : ''
    return { ok: false, errors: [`不是有效的 JSON${detail ? `：${detail}` : ''}`] }
  }
  if (!isObject(v)) return { ok: false, errors: ['JSON 应为一个对象：{"year": …, "source": …, "days": […]}'] }
  const errors: string[] = []
  for (const k of Object.keys(v)) if (!YEAR_KEYS.has(k)) errors.push(`无法识别的字段“${k}”（只允许 year、source、days）`)
  const draft: YearDraft = { year: null, source: '', rows: [] }
  if (v.year !== undefined && v.year !== null) {
    if (typeof v.year === 'number' && Number.isInteger(v.year)) draft.year = v.year
    else errors.push('year 应为整数年份，如 2027')
  }
  if (v.source !== undefined && v.source !== null) {
    if (typeof v.source === 'string') draft.source = v.source
    else errors.push('source 应为文字（通知标题和文号）')
  }
  if (v.days !== undefined && v.days !== null) {
    if (!Array.isArray(v.days)) {
      errors.push('days 应为数组')
    } else {
      v.days.forEach((raw: unknown, i: number) => {
        const at = `第 ${i + 1} 条（days[${i}]）`
        if (!isObject(raw)) {
          errors.push(`${at}应为 {"date", "name", "off"} 对象`)
          return
        }
        for (const k of Object.keys(raw)) if (!DAY_KEYS.has(k)) errors.push(`${at}有无法识别的字段“${k}”`)
        const row = newRow({ date: '', name: '' })
        if (raw.date !== undefined && raw.date !== null) {
          if (typeof raw.date === 'string') row.date = raw.date
          else errors.push(`${at} date 应为 "YYYY-MM-DD" 文字`)
        }
        if (raw.name !== undefined && raw.name !== null) {
          if (typeof raw.name === 'string') row.name = raw.name
          else errors.push(`${at} name 应为文字`)
        }
        if (typeof raw.off === 'boolean') row.off = raw.off
        else errors.push(`${at} off 应为 true（放假）或 false（调休上班）`)
        draft.rows.push(row)
      })
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, draft }
}

export interface RowErrors {
  /** Keyed by table row index. */
  rows: Record<number, Partial<Record<'date' | 'name' | 'off', string>>>
  /** year, source, days (the whole list). */
  general: Partial<Record<'year' | 'source' | 'days', string>>
  /** Anything else, as text (shown above the table). */
  other: string[]
}

const DAY_FIELD = /^days\[(\d+)\]\.(date|name|off)$/

/** Places server field errors on the table rows that produced them. */
export function placeFieldErrors(fields: readonly FieldError[], rowIndex: readonly number[]): RowErrors {
  const out: RowErrors = { rows: {}, general: {}, other: [] }
  for (const f of fields) {
    const field = normalizeField(f.field)
    const m = DAY_FIELD.exec(field)
    if (m) {
      const sent = Number(m[1])
      const row = rowIndex[sent]
      if (row === undefined) {
        out.other.push(f.message)
        continue
      }
      const cell = (out.rows[row] ??= {})
      const key = m[2] as 'date' | 'name' | 'off'
      // Several problems with one cell (a duplicate and out of the year) are all shown.
      cell[key] = cell[key] ? `${cell[key]}；${f.message}` : f.message
    } else if (field === 'year' || field === 'source' || field === 'days') {
      out.general[field] = out.general[field] ? `${out.general[field]}；${f.message}` : f.message
    } else {
      out.other.push(f.message)
    }
  }
  return out
}

function parseDate(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return null
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3])
  const d = new Date(t)
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null
  return t
}

function fmt(t: number): string {
  return new Date(t).toISOString().slice(0, 10)
}

/**
 * Adds every day from..to (inclusive) as a holiday named name, e.g. 国庆节
 * 10-01 to 10-08. Dates already in the table are updated in place rather than
 * duplicated; the blank starter row is dropped. Rows come back sorted by date.
 */
export function addHolidayRange(rows: readonly DayRow[], from: string, to: string, name: string): DayRow[] {
  const a = parseDate(from)
  const b = parseDate(to)
  if (a === null || b === null || b < a) return sortRows(rows)
  const out = rows.filter((r) => !isBlank(r)).map((r) => ({ ...r }))
  for (let t = a; t <= b; t += 86_400_000) {
    const date = fmt(t)
    const existing = out.find((r) => r.date === date)
    if (existing) {
      existing.name = name
      existing.off = true
    } else {
      out.push(newRow({ date, name, off: true }))
    }
  }
  return sortRows(out)
}

/** Rows by date; rows without a date keep their order at the end. */
export function sortRows(rows: readonly DayRow[]): DayRow[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      const a = x.r.date
      const b = y.r.date
      if (a && b && a !== b) return a < b ? -1 : 1
      if (a && !b) return -1
      if (!a && b) return 1
      return x.i - y.i
    })
    .map((x) => x.r)
}
