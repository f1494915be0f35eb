import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { api, sendJSON } from '@/api/client'
import { POLL_INTERVAL_MS, useTodoStore } from '@/stores/todo'

const counts = (total: number) => ({ total, overdue: 0, modules: [] })
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

describe('to-do counts store', () => {
  let served = 0
  const countCalls = () => fetchMock.mock.calls.filter(([r]) => String(r instanceof Request ? r.url : r).includes('/api/todo/counts')).length
  const fetchMock = vi.fn(async (r: Request | string) => {
    const url = String(r instanceof Request ? r.url : r)
    if (url.includes('/api/todo/counts')) return json(counts(++served))
    return json({ id: 1, version: 2 })
  })

  beforeEach(() => {
    setActivePinia(createPinia())
    served = 0
    fetchMock.mockClear()
    vi.stubGlobal('fetch', fetchMock)
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('asks once, again on navigation only after a write, and not while a request is in flight', async () => {
    const s = useTodoStore()
    await Promise.all([s.refreshIfChanged(), s.refreshIfChanged()])
    expect(countCalls()).toBe(1)
    expect(s.counts?.total).toBe(1)

    // Navigating around without writing costs nothing.
    await s.refreshIfChanged()
    await s.refreshIfChanged()
    expect(countCalls()).toBe(1)

    // A write the server accepted makes the next navigation ask again.
    await sendJSON('POST', '/api/legalreviews/1/act', { action: 'approve', version: 1 })
    await s.refreshIfChanged()
    expect(countCalls()).toBe(2)
    expect(s.counts?.total).toBe(2)
    await s.refreshIfChanged()
    expect(countCalls()).toBe(2)

    // A refused write changes nothing.
    fetchMock.mockImplementationOnce(async () => json({ code: 'invalid', message: '版本号不能为空' }, 422))
    await sendJSON('POST', '/api/legalreviews/1/act', {}).catch(() => undefined)
    await s.refreshIfChanged()
    expect(countCalls()).toBe(2)
  })

  it('counts writes made through the typed client too', async () => {
    const s = useTodoStore()
    await s.refreshIfChanged()
    await api.POST('/api/auth/logout-all')
    await s.refreshIfChanged()
    expect(countCalls()).toBe(2)
  })

  it('takes the counts a to-do list brought instead of asking', async () => {
    const s = useTodoStore()
    s.set(counts(7))
    await s.refreshIfChanged()
    expect(countCalls()).toBe(0)
    expect(s.counts?.total).toBe(7)
  })

  it('polls once a minute until stopped, and forgets the counts on reset', async () => {
    vi.useFakeTimers()
    const s = useTodoStore()
    s.startPolling()
    await vi.advanceTimersByTimeAsync(0)
    expect(countCalls()).toBe(1)
    await vi.advanceTimersByTimeAsync(POLL_INTERVAL_MS)
    expect(countCalls()).toBe(2)
    s.reset()
    expect(s.counts).toBeNull()
    await vi.advanceTimersByTimeAsync(3 * POLL_INTERVAL_MS)
    expect(countCalls()).toBe(2)
  })
})
