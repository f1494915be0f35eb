import type { RouteRecordRaw } from 'vue-router'

// 双随机抽查 pages (行政执法监督): plans and matters, a plan, the checks and a check.
export const randomInspectionRoutes: RouteRecordRaw[] = [
  {
    path: 'random-inspections/plans',
    name: 'random-plans',
    component: () => import('@/views/randominspection/RandomPlansView.vue'),
    meta: { title: '双随机抽查计划', permission: 'randominspection.read' },
  },
  {
    path: 'random-inspections/plans/:id(\\d+)',
    name: 'random-plan',
    component: () => import('@/views/randominspection/RandomPlanView.vue'),
    meta: { title: '抽查计划', permission: 'randominspection.read' },
  },
  {
    path: 'random-inspections/checks',
    name: 'random-checks',
    component: () => import('@/views/randominspection/RandomChecksView.vue'),
    meta: { title: '双随机抽查结果', permission: 'randominspection.read' },
  },
  {
    path: 'random-inspections/checks/:id(\\d+)',
    name: 'random-check',
    component: () => import('@/views/randominspection/RandomCheckView.vue'),
    meta: { title: '抽查记录', permission: 'randominspection.read' },
  },
]

// The public page: no login (meta.public lets the router guard pass it).
export const publicRandomInspectionRoutes: RouteRecordRaw[] = [
  {
    path: '/public/random-inspections/:id(\\d+)?',
    name: 'public-random-inspections',
    component: () => import('@/views/randominspection/PublicRandomInspectionsView.vue'),
    meta: { title: '“双随机、一公开”抽查公示', public: true },
  },
]
