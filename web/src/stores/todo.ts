import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, unwrap, writeCount } from '@/api/client'
import type { TodoCounts } from '@/api/types'

/** How often the header asks for the counts when nothing on this page changed (others' work, deadlines passing). */
export const POLL_INTERVAL_MS = 60_000

// The header's to-do counts (待办). Every count runs the modules' to-do
// queries on the server, so the header does not ask on every navigation: it
// polls once a minute, asks again on navigation only after this page wrote
// something (acting on a record usually ends on another page), and takes the
// counts that come with a to-do list the page loads anyway (set).
export const useTodoStore = defineStore('todo', () => {
  const counts = ref<TodoCounts | null>(null)
  // writeCount() when the counts shown were fetched; -1 before the first.
  let seen = -1
  let inflight: Promise<void> | null = null
  let timer: ReturnType<typeof setInterval> | null = null

  function refresh(): Promise<void> {
    if (inflight) return inflight
    const w = writeCount()
    inflight = unwrap(api.GET('/api/todo/counts'))
      .then((c) => set(c, w))
      .catch(() => {
        // Best effort: keep the last known counts.
      })
      .finally(() => {
        inflight = null
      })
    return inflight
  }

  /** Refetches only if nothing was fetched yet or a write happened since. */
  function refreshIfChanged(): Promise<void> {
    if (counts.value !== null && seen === writeCount()) return Promise.resolve()
    return refresh()
  }

  /** Counts that came with a to-do list (GET /api/todo answers them too). */
  function set(c: TodoCounts, atWrite = writeCount()): void {
    counts.value = c
    seen = atWrite
  }

  function startPolling(): void {
    stopPolling()
    void refreshIfChanged()
    timer = setInterval(() => void refresh(), POLL_INTERVAL_MS)
  }

  function stopPolling(): void {
    if (timer !== null) clearInterval(timer)
    timer = null
  }

  function reset(): void {
    stopPolling()
    counts.value = null
    seen = -1
  }

  return { counts, refresh, refreshIfChanged, set, startPolling, stopPolling, reset }
})
