import type { RouteRecordRaw } from 'vue-router'

// 问题台账: the ledger list, one finding's detail page and the close-out
// chain (问题销号审核流程).
export const findingRoutes: RouteRecordRaw[] = [
  {
    path: 'findings',
    name: 'findings',
    component: () => import('@/views/findings/FindingsView.vue'),
    meta: { title: '问题台账', permission: 'finding.read' },
  },
  {
    path: 'findings/chains',
    name: 'finding-chains',
    component: () => import('@/views/findings/FindingChainsView.vue'),
    meta: { title: '问题销号审核流程', permission: 'finding.read' },
  },
  {
    path: 'findings/:id(\\d+)',
    name: 'finding-detail',
    component: () => import('@/views/findings/FindingDetailView.vue'),
    meta: { title: '问题详情', permission: 'finding.read' },
  },
]
