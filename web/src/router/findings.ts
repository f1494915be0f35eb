import type { RouteRecordRaw } from 'vue-router'

// 问题台账: the ledger list and one finding's detail page.
export const findingRoutes: RouteRecordRaw[] = [
  {
    path: 'findings',
    name: 'findings',
    component: () => import('@/views/findings/FindingsView.vue'),
    meta: { title: '问题台账', permission: 'finding.read' },
  },
  {
    path: 'findings/:id(\\d+)',
    name: 'finding-detail',
    component: () => import('@/views/findings/FindingDetailView.vue'),
    meta: { title: '问题详情', permission: 'finding.read' },
  },
]
