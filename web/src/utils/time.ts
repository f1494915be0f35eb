import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import timezone from 'dayjs/plugin/timezone'

dayjs.extend(utc)
dayjs.extend(timezone)

/** The server keeps timestamps in UTC; users read them in Beijing time,
 * whatever the browser's own zone is set to. */
export const ZONE = 'Asia/Shanghai'

/** Formats a UTC timestamp in Beijing time; empty for missing values and
 * the input itself when it is not a timestamp. */
export function formatTime(t?: string | null, pattern = 'YYYY-MM-DD HH:mm'): string {
  if (!t) return ''
  const d = dayjs(t)
  if (!d.isValid()) return t
  return d.tz(ZONE).format(pattern)
}

/** Today's date in Beijing (YYYY-MM-DD), the default for date fields. */
export function today(): string {
  return dayjs().tz(ZONE).format('YYYY-MM-DD')
}
