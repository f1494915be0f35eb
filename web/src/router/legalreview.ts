import type { RouteRecordRaw } from 'vue-router'

// 合法性审查 pages.
export const legalreviewRoutes: RouteRecordRaw[] = [
  {
    path: 'legalreviews',
    name: 'legalreviews',
    component: () => import('@/views/legalreview/LegalReviewListView.vue'),
    meta: { title: '合法性审查台账', permission: 'legalreview.read' },
  },
  {
    path: 'legalreviews/new',
    name: 'legalreview-new',
    component: () => import('@/views/legalreview/LegalReviewFormView.vue'),
    meta: { title: '提交合法性审查', permission: 'legalreview.write' },
  },
  {
    path: 'legalreviews/overview',
    name: 'legalreview-overview',
    component: () => import('@/views/legalreview/LegalReviewOverviewView.vue'),
    meta: { title: '合法性审查概览', permission: 'legalreview.read' },
  },
  {
    path: 'legalreviews/config',
    name: 'legalreview-config',
    component: () => import('@/views/legalreview/LegalReviewStandardsView.vue'),
    meta: { title: '合法性审查配置', permission: 'legalreview.read' },
  },
  {
    path: 'legalreviews/:id(\\d+)',
    name: 'legalreview',
    component: () => import('@/views/legalreview/LegalReviewDetailView.vue'),
    meta: { title: '合法性审查详情' },
  },
]
