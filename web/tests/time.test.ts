import { afterEach, describe, expect, it, vi } from 'vitest'
import { formatTime, today } from '@/utils/time'

describe('formatTime', () => {
  it('shows UTC timestamps in Beijing time whatever the browser zone', () => {
    expect(formatTime('2026-11-22T01:33:21Z')).toBe('2026-11-22 09:33')
    // 23:30 UTC is already the next day in Beijing.
    expect(formatTime('2026-09-30T23:30:00Z', 'YYYY-MM-DD')).toBe('2026-10-01')
    expect(formatTime('2026-07-06T01:00:00.123456Z', 'MM-DD HH:mm')).toBe('07-06 09:00')
  })

  it('leaves missing and non-timestamp values readable', () => {
    expect(formatTime(undefined)).toBe('')
    expect(formatTime(null)).toBe('')
    expect(formatTime('尚未办结')).toBe('尚未办结')
  })
})

describe('today', () => {
  afterEach(() => vi.useRealTimers())

  it('is the Beijing date, which runs ahead of UTC from 16:00 UTC', () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-09-30T15:59:00Z'))
    expect(today()).toBe('2026-09-30')
    vi.setSystemTime(new Date('2026-09-30T16:00:00Z'))
    expect(today()).toBe('2026-10-01')
  })
})
