import type { RouteRecordRaw } from 'vue-router'

// 人民调解 (cases, committees) and 法律顾问 (pool, coverage, work records).
export const mediationRoutes: RouteRecordRaw[] = [
  {
    path: 'mediation/cases',
    name: 'mediation-cases',
    component: () => import('@/views/mediation/MediationCasesView.vue'),
    meta: { title: '人民调解案件', permission: 'mediation.read' },
  },
  {
    path: 'mediation/cases/:id(\\d+)',
    name: 'mediation-case',
    component: () => import('@/views/mediation/MediationCaseView.vue'),
    meta: { title: '调解案件详情', permission: 'mediation.read' },
  },
  {
    path: 'mediation/committees',
    name: 'mediation-committees',
    component: () => import('@/views/mediation/MediationCommitteesView.vue'),
    meta: { title: '调解委员会', permission: 'mediation.read' },
  },
]

export const counselRoutes: RouteRecordRaw[] = [
  {
    path: 'counsel/advisers',
    name: 'counsel-advisers',
    component: () => import('@/views/counsel/CounselAdvisersView.vue'),
    meta: { title: '法律顾问库', permission: 'counsel.read' },
  },
  {
    path: 'counsel/advisers/:id(\\d+)',
    name: 'counsel-adviser',
    component: () => import('@/views/counsel/CounselAdviserView.vue'),
    meta: { title: '法律顾问详情', permission: 'counsel.read' },
  },
  {
    path: 'counsel/coverage',
    name: 'counsel-coverage',
    component: () => import('@/views/counsel/CounselCoverageView.vue'),
    meta: { title: '法律顾问覆盖情况', permission: 'counsel.read' },
  },
  {
    path: 'counsel/works',
    name: 'counsel-works',
    component: () => import('@/views/counsel/CounselWorksView.vue'),
    meta: { title: '法律顾问工作记录', permission: 'counsel.read' },
  },
]
