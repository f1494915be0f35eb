import { beforeEach, describe, expect, it, vi, afterEach } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { guard, safeRedirect } from '@/router'
import { routes } from '@/router/routes'

const me = { id: 1, username: 'sifaju', name: '王晓明', unit: { id: 2, code: 'SFJ', name: '区司法局' }, roles: ['staff'], permissions: ['org.read'] }

function makeRouter() {
  const router = createRouter({ history: createMemoryHistory(), routes })
  router.beforeEach(guard)
  return router
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

describe('safeRedirect', () => {
  it('only follows same-app paths', () => {
    expect(safeRedirect('/notifications?x=1')).toBe('/notifications?x=1')
    expect(safeRedirect('https://evil.example')).toBe('/')
    expect(safeRedirect('//evil.example/x')).toBe('/')
    expect(safeRedirect('/\\evil.example')).toBe('/')
    expect(safeRedirect('/login?redirect=/')).toBe('/')
    expect(safeRedirect(undefined)).toBe('/')
  })
})

describe('route guard', () => {
  it('sends a visitor without a session to /login with the redirect', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ code: 'unauthenticated', message: '请先登录' }), { status: 401 })))
    const router = makeRouter()
    await router.push('/notifications')
    expect(router.currentRoute.value.name).toBe('login')
    expect(router.currentRoute.value.query.redirect).toBe('/notifications')
  })

  it('lets a signed-in user in, and bounces /login to the app', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(me), { status: 200, headers: { 'Content-Type': 'application/json' } })))
    const router = makeRouter()
    await router.push('/notifications')
    expect(router.currentRoute.value.name).toBe('notifications')
    await router.push('/login?redirect=/notifications')
    expect(router.currentRoute.value.fullPath).toBe('/notifications')
  })

  it('shows the 404 page for unknown paths without asking for a session', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 401 })))
    const router = makeRouter()
    await router.push('/no/such/page')
    expect(router.currentRoute.value.name).toBe('not-found')
  })
})
