import type { RouteRecordRaw } from 'vue-router'

// 案卷评查 and 行政执法监督 pages: plans, a plan, the file register and a
// file; notices and a notice; monitors, contact points and feedback.
export const caseReviewRoutes: RouteRecordRaw[] = [
  {
    path: 'case-review/plans',
    name: 'review-plans',
    component: () => import('@/views/casereview/ReviewPlansView.vue'),
    meta: { title: '案卷评查计划', permission: 'casereview.read' },
  },
  {
    path: 'case-review/plans/:id(\\d+)',
    name: 'review-plan',
    component: () => import('@/views/casereview/ReviewPlanView.vue'),
    meta: { title: '评查计划', permission: 'casereview.read' },
  },
  {
    path: 'case-review/files',
    name: 'review-files',
    component: () => import('@/views/casereview/ReviewFilesView.vue'),
    meta: { title: '评查案卷', permission: 'casereview.read' },
  },
  {
    path: 'case-review/files/:id(\\d+)',
    name: 'review-file',
    component: () => import('@/views/casereview/ReviewFileView.vue'),
    meta: { title: '评查案卷', permission: 'casereview.read' },
  },
  {
    path: 'case-review/notices',
    name: 'supervision-notices',
    component: () => import('@/views/casereview/NoticesView.vue'),
    meta: { title: '监督意见书', permission: 'casereview.read' },
  },
  {
    path: 'case-review/notices/:id(\\d+)',
    name: 'supervision-notice',
    component: () => import('@/views/casereview/NoticeView.vue'),
    meta: { title: '监督文书', permission: 'casereview.read' },
  },
  {
    path: 'case-review/monitors',
    name: 'enforcement-monitors',
    component: () => import('@/views/casereview/MonitorsView.vue'),
    meta: { title: '执法监督员与企业联系点', permission: 'casereview.read' },
  },
]
