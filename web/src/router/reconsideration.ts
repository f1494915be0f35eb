import type { RouteRecordRaw } from 'vue-router'

// 行政复议: the case register, one case's page (the procedure's steps) and
// the figures.
export const reconsiderationRoutes: RouteRecordRaw[] = [
  {
    path: 'reconsideration',
    name: 'reconsideration',
    component: () => import('@/views/reconsideration/ReconsiderationView.vue'),
    meta: { title: '行政复议案件', permission: 'reconsideration.read' },
  },
  {
    path: 'reconsideration/overview',
    name: 'reconsideration-overview',
    component: () => import('@/views/reconsideration/ReconsiderationOverviewView.vue'),
    meta: { title: '行政复议指标', permission: 'reconsideration.read' },
  },
  {
    path: 'reconsideration/:id(\\d+)',
    name: 'reconsideration-detail',
    component: () => import('@/views/reconsideration/ReconsiderationDetailView.vue'),
    meta: { title: '行政复议案件详情', permission: 'reconsideration.read' },
  },
]
