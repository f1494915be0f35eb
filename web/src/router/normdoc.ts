import type { RouteRecordRaw } from 'vue-router'

// 规范性文件 pages (inside the app layout).
export const normdocRoutes: RouteRecordRaw[] = [
  {
    path: 'normdocs',
    name: 'normdoc-overview',
    component: () => import('@/views/normdoc/NormdocOverviewView.vue'),
    meta: { title: '规范性文件指标', permission: 'normdoc.read' },
  },
  {
    path: 'normdocs/ledger',
    name: 'normdoc-ledger',
    component: () => import('@/views/normdoc/NormdocLedgerView.vue'),
    meta: { title: '规范性文件台账', permission: 'normdoc.read' },
  },
  {
    path: 'normdocs/issuers',
    name: 'normdoc-issuers',
    component: () => import('@/views/normdoc/NormdocIssuersView.vue'),
    meta: { title: '制定主体清单', permission: 'normdoc.read' },
  },
  {
    path: 'normdocs/cleanups',
    name: 'normdoc-cleanups',
    component: () => import('@/views/normdoc/NormdocCleanupsView.vue'),
    meta: { title: '规范性文件清理', permission: 'normdoc.read' },
  },
  {
    path: 'normdocs/cleanups/:id(\\d+)',
    name: 'normdoc-cleanup',
    component: () => import('@/views/normdoc/NormdocCleanupDetailView.vue'),
    meta: { title: '清理详情', permission: 'normdoc.read' },
  },
  {
    path: 'normdocs/:id(\\d+)',
    name: 'normdoc',
    component: () => import('@/views/normdoc/NormdocDetailView.vue'),
    meta: { title: '规范性文件详情', permission: 'normdoc.read' },
  },
]

// The public library: no login (meta.public lets the router guard pass it).
export const normdocPublicRoutes: RouteRecordRaw[] = [
  {
    path: '/public/normdocs',
    name: 'public-normdocs',
    component: () => import('@/views/normdoc/PublicNormdocsView.vue'),
    meta: { title: '行政规范性文件库', public: true },
  },
]
