// Calls to /api/calendar/*. Reads use the typed client (which also sends an
// expired session to the login page); writes use sendJSON below, which
// deliberately does NOT redirect on 401: the 录入 dialog must keep what the
// administrator typed, so a lost session is shown as a message instead.
import { api, unwrap } from '@/api/client'
import { networkError, toApiError } from '@/api/errors'
import type { CalYear, DeadlineView, PeriodUnit, RuleView, YearList } from './types'

async function sendJSON<T>(method: 'POST' | 'PUT', path: string, body: string): Promise<T | undefined> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body,
    })
  } catch {
    throw networkError()
  }
  const text = await res.text()
  let parsed: unknown
  if (text) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
  }
  if (!res.ok) throw toApiError(res.status, parsed)
  return parsed as T | undefined
}

export const calendarApi = {
  years: (): Promise<YearList> => unwrap(api.GET('/api/calendar/years')),
  year: (year: number): Promise<CalYear> => unwrap(api.GET('/api/calendar/years/{year}', { params: { path: { year } } })),
  /** body is the JSON text of one year ({year, source, days}), sent as typed. */
  importYear: (body: string) => sendJSON<CalYear>('POST', '/api/calendar/years', body),
  rules: (): Promise<{ items: RuleView[] | null }> => unwrap(api.GET('/api/calendar/rules')),
  overrideRule: (rule: string, n: number, unit: PeriodUnit, reason: string) =>
    sendJSON<void>('PUT', `/api/calendar/rules/${encodeURIComponent(rule)}`, JSON.stringify({ n, unit, reason })),
  deadline: (rule: string, from: string): Promise<DeadlineView> =>
    unwrap(api.GET('/api/calendar/deadline', { params: { query: { rule, from } } })),
}
