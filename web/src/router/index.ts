import { createRouter, createWebHistory, type Router, type RouteLocationNormalized } from 'vue-router'
import { routes } from './routes'
import { useAuthStore } from '@/stores/auth'

export const APP_NAME = '法治政府建设管理平台'

/** Only same-app absolute paths are followed after login (no open redirects). */
export function safeRedirect(target: unknown): string {
  if (typeof target !== 'string') return '/'
  if (!target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/'
  if (target.startsWith('/login')) return '/'
  return target
}

/** The navigation guard, exported for tests. */
export async function guard(to: RouteLocationNormalized) {
  const auth = useAuthStore()
  try {
    await auth.ensureChecked()
  } catch {
    // Server unreachable: let public pages render, send the rest to login.
  }
  if (to.meta.public) {
    if (to.name === 'login' && auth.isLoggedIn) return safeRedirect(to.query.redirect)
    return true
  }
  if (!auth.isLoggedIn) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : { redirect: '/' } }
  }
  if (to.meta.permission && !auth.can(to.meta.permission)) {
    return { name: 'home' }
  }
  return true
}

/** True when a menu path resolves to a real page (not the catch-all 404). */
export function routeExists(router: Router, path: string): boolean {
  const r = router.resolve(path)
  return r.matched.length > 0 && r.name !== 'not-found'
}

export function createAppRouter(): Router {
  const router = createRouter({ history: createWebHistory(), routes })
  router.beforeEach(guard)
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} - ${APP_NAME}` : APP_NAME
  })
  return router
}
