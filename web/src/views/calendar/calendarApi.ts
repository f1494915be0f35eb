// Calls to /api/calendar/*. Reads use the typed client (which also sends an
// expired session to the login page); writes use sendBody (sent as typed), which
// deliberately does NOT redirect on 401: the 录入 dialog must keep what the
// administrator typed, so a lost session is shown as a message instead.
import { api, sendBody, sendJSON, unwrap } from '@/api/client'
import type { CalYear, DeadlineView, PeriodUnit, RuleView, YearList } from './types'

export const calendarApi = {
  years: (): Promise<YearList> => unwrap(api.GET('/api/calendar/years')),
  year: (year: number): Promise<CalYear> => unwrap(api.GET('/api/calendar/years/{year}', { params: { path: { year } } })),
  /** body is the JSON text of one year ({year, source, days}), sent as typed. */
  importYear: (body: string) => sendBody<CalYear | undefined>('POST', '/api/calendar/years', body, 'application/json'),
  rules: (): Promise<{ items: RuleView[] | null }> => unwrap(api.GET('/api/calendar/rules')),
  overrideRule: (rule: string, n: number, unit: PeriodUnit, reason: string) =>
    sendJSON<void>('PUT', `/api/calendar/rules/${encodeURIComponent(rule)}`, { n, unit, reason }),
  deadline: (rule: string, from: string): Promise<DeadlineView> =>
    unwrap(api.GET('/api/calendar/deadline', { params: { query: { rule, from } } })),
}
