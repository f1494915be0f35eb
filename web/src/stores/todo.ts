import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, unwrap } from '@/api/client'
import type { TodoCounts } from '@/api/types'

// The header's to-do counts (待办), refreshed on navigation and after an action.
export const useTodoStore = defineStore('todo', () => {
  const counts = ref<TodoCounts | null>(null)

  async function refresh(): Promise<void> {
    try {
      counts.value = await unwrap(api.GET('/api/todo/counts'))
    } catch {
      // Best effort: keep the last known counts.
    }
  }

  function reset(): void {
    counts.value = null
  }

  return { counts, refresh, reset }
})
