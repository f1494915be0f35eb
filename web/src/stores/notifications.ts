import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, unwrap } from '@/api/client'
import type { AppNotification } from '@/api/types'

export const POLL_INTERVAL_MS = 60_000

export const useNotificationStore = defineStore('notifications', () => {
  const unreadCount = ref(0)
  const recent = ref<AppNotification[]>([])
  const loadingRecent = ref(false)
  let timer: ReturnType<typeof setInterval> | null = null

  async function refreshCount(): Promise<void> {
    try {
      const res = await unwrap(api.GET('/api/notifications/unread_count'))
      unreadCount.value = res.count
    } catch {
      // Polling is best effort: keep the last known count.
    }
  }

  async function loadRecent(): Promise<void> {
    loadingRecent.value = true
    try {
      const res = await unwrap(
        api.GET('/api/notifications', { params: { query: { page: 1, page_size: 10, unread: true } } }),
      )
      recent.value = res.items ?? []
      unreadCount.value = Math.max(unreadCount.value, res.total)
    } finally {
      loadingRecent.value = false
    }
  }

  async function markRead(id: number): Promise<void> {
    await unwrap(api.POST('/api/notifications/{id}/read', { params: { path: { id } } }))
    const n = recent.value.find((x) => x.id === id)
    if (n && !n.read_at) {
      n.read_at = new Date().toISOString()
      unreadCount.value = Math.max(0, unreadCount.value - 1)
    }
    recent.value = recent.value.filter((x) => x.id !== id)
  }

  function startPolling(): void {
    stopPolling()
    void refreshCount()
    timer = setInterval(() => void refreshCount(), POLL_INTERVAL_MS)
  }

  function stopPolling(): void {
    if (timer !== null) clearInterval(timer)
    timer = null
  }

  function reset(): void {
    stopPolling()
    unreadCount.value = 0
    recent.value = []
  }

  return { unreadCount, recent, loadingRecent, refreshCount, loadRecent, markRead, startPolling, stopPolling, reset }
})
