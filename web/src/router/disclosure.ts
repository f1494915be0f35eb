import type { RouteRecordRaw } from 'vue-router'

// 依申请公开: the register, one request's page, and the figures with the
// annual report's statistics table.
export const disclosureRoutes: RouteRecordRaw[] = [
  {
    path: 'disclosure',
    name: 'disclosure',
    component: () => import('@/views/disclosure/DisclosureListView.vue'),
    meta: { title: '依申请公开登记', permission: 'disclosure.read' },
  },
  {
    path: 'disclosure/annual',
    name: 'disclosure-annual',
    component: () => import('@/views/disclosure/DisclosureAnnualView.vue'),
    meta: { title: '依申请公开统计', permission: 'disclosure.read' },
  },
  {
    path: 'disclosure/:id(\\d+)',
    name: 'disclosure-detail',
    component: () => import('@/views/disclosure/DisclosureDetailView.vue'),
    meta: { title: '依申请公开详情', permission: 'disclosure.read' },
  },
]
