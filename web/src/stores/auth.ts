import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api, unwrap } from '@/api/client'
import { ApiError } from '@/api/errors'
import type { Me } from '@/api/types'

export const useAuthStore = defineStore('auth', () => {
  const me = ref<Me | null>(null)
  /** True once we asked the server who we are (whatever the answer). */
  const checked = ref(false)

  const isLoggedIn = computed(() => me.value !== null)
  const permissions = computed(() => new Set(me.value?.permissions ?? []))

  function can(permission?: string | null): boolean {
    if (!permission) return true
    return permissions.value.has(permission)
  }

  /** Asks the server for the session's user; a 401 means signed out. */
  async function fetchMe(): Promise<Me | null> {
    try {
      me.value = await unwrap(api.GET('/api/auth/me'))
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) {
        checked.value = true
        throw e
      }
      me.value = null
    }
    checked.value = true
    return me.value
  }

  async function ensureChecked(): Promise<void> {
    if (!checked.value) await fetchMe()
  }

  async function login(username: string, password: string): Promise<Me> {
    const res = await unwrap(api.POST('/api/auth/login', { body: { username, password } }))
    me.value = res.user
    checked.value = true
    return res.user
  }

  async function logout(): Promise<void> {
    try {
      await unwrap(api.POST('/api/auth/logout'))
    } finally {
      clear()
    }
  }

  /** Forgets the user locally (session expired on the server). */
  function clear() {
    me.value = null
    checked.value = true
  }

  return { me, checked, isLoggedIn, can, fetchMe, ensureChecked, login, logout, clear }
})
