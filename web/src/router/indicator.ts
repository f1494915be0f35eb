import type { RouteRecordRaw } from 'vue-router'

// 示范创建: frameworks (tree, edit, import/export), campaigns (tree with
// scores rolling up, breakdown, board and ranking, exports), one
// assignment's page (evidence, self-score, review) and a unit's to-do list.
export const indicatorRoutes: RouteRecordRaw[] = [
  {
    path: 'indicator/frameworks',
    name: 'indicator-frameworks',
    component: () => import('@/views/indicator/FrameworksView.vue'),
    meta: { title: '指标体系', permission: 'indicator.read' },
  },
  {
    path: 'indicator/frameworks/:id(\\d+)',
    name: 'indicator-framework',
    component: () => import('@/views/indicator/FrameworkView.vue'),
    meta: { title: '指标体系详情', permission: 'indicator.read' },
  },
  {
    path: 'indicator/campaigns',
    name: 'indicator-campaigns',
    component: () => import('@/views/indicator/CampaignsView.vue'),
    meta: { title: '示范创建测评', permission: 'indicator.read' },
  },
  {
    path: 'indicator/campaigns/:id(\\d+)',
    name: 'indicator-campaign',
    component: () => import('@/views/indicator/CampaignView.vue'),
    meta: { title: '测评详情', permission: 'indicator.read' },
  },
  {
    path: 'indicator/assignments',
    name: 'indicator-assignments',
    component: () => import('@/views/indicator/AssignmentsView.vue'),
    meta: { title: '我的指标任务', permission: 'indicator.read' },
  },
  {
    path: 'indicator/assignments/:id(\\d+)',
    name: 'indicator-assignment',
    component: () => import('@/views/indicator/AssignmentView.vue'),
    meta: { title: '指标任务', permission: 'indicator.read' },
  },
]
