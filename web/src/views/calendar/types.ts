// Shapes of the /api/calendar/* responses (internal/platform/calendar/calstore),
// generated from openapi.json: a change on the server breaks the build here.
import type { components } from '@/api/schema'

type S = components['schemas']

/** origin: "shipped" 内置 (State Council notice shipped with fazhi) / "entered" 管理员录入 */
export type YearSummary = S['CalstoreYearSummary']
export type YearList = S['CalstoreYearList']
/** One listed day: a public holiday (off) or a make-up working day (!off). */
export type CalDay = S['CalendarDay']
export type CalYear = S['CalendarYear']
export type Period = S['CalendarPeriod']
export type RuleView = S['CalstoreRuleView']
export type DeadlineView = S['CalstoreDeadlineView']

export type PeriodUnit = 'working_days' | 'calendar_days' | 'months'

export const UNIT_OPTIONS: { value: PeriodUnit; label: string }[] = [
  { value: 'working_days', label: '工作日' },
  { value: 'calendar_days', label: '日' },
  { value: 'months', label: '月' },
]

/** "20 个工作日", "60 日", "6 个月"; floors read "不少于 30 日". */
export function formatPeriod(p: Period, minimum = false): string {
  let s: string
  switch (p.unit) {
    case 'working_days':
      s = `${p.n} 个工作日`
      break
    case 'calendar_days':
      s = `${p.n} 日`
      break
    case 'months':
      s = `${p.n} 个月`
      break
    default:
      s = `${p.n} ${p.unit}`
  }
  return minimum ? `不少于 ${s}` : s
}

const WEEKDAYS_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六']

/** Weekday of a YYYY-MM-DD date in Chinese ("星期五"); '' when malformed. */
export function weekdayZH(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return ''
  return WEEKDAYS_ZH[new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay()]
}
