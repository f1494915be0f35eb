import type { RouteRecordRaw } from 'vue-router'

// 行政应诉: the lawsuit register, one lawsuit's page (defence, hearings,
// outcome, suggestions, review), the hearings behind the head-in-court rate
// and the figures.
export const litigationRoutes: RouteRecordRaw[] = [
  {
    path: 'litigation',
    name: 'litigation',
    component: () => import('@/views/litigation/LitigationView.vue'),
    meta: { title: '行政应诉案件', permission: 'litigation.read' },
  },
  {
    path: 'litigation/overview',
    name: 'litigation-overview',
    component: () => import('@/views/litigation/LitigationOverviewView.vue'),
    meta: { title: '行政应诉指标', permission: 'litigation.read' },
  },
  {
    path: 'litigation/hearings',
    name: 'litigation-hearings',
    component: () => import('@/views/litigation/LitigationHearingsView.vue'),
    meta: { title: '庭审与负责人出庭', permission: 'litigation.read' },
  },
  {
    path: 'litigation/:id(\\d+)',
    name: 'litigation-detail',
    component: () => import('@/views/litigation/LitigationDetailView.vue'),
    meta: { title: '行政应诉案件详情', permission: 'litigation.read' },
  },
]
