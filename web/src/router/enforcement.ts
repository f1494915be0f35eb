import type { RouteRecordRaw } from 'vue-router'

// 行政执法监督 pages: the case register and a case, the officer roster, the
// automatic rules with their hits.
export const enforcementRoutes: RouteRecordRaw[] = [
  {
    path: 'enforcement/cases',
    name: 'enforcement-cases',
    component: () => import('@/views/enforcement/EnforcementCasesView.vue'),
    meta: { title: '行政执法案件', permission: 'enforcement.read' },
  },
  {
    path: 'enforcement/cases/:id(\\d+)',
    name: 'enforcement-case',
    component: () => import('@/views/enforcement/EnforcementCaseView.vue'),
    meta: { title: '执法案件详情', permission: 'enforcement.read' },
  },
  {
    path: 'enforcement/officers',
    name: 'enforcement-officers',
    component: () => import('@/views/enforcement/EnforcementOfficersView.vue'),
    meta: { title: '执法人员名册', permission: 'enforcement.read' },
  },
  {
    path: 'enforcement/rules',
    name: 'enforcement-rules',
    component: () => import('@/views/enforcement/EnforcementRulesView.vue'),
    meta: { title: '执法规则预警', permission: 'enforcement.read' },
  },
  {
    path: 'enforcement/reports',
    name: 'enforcement-reports',
    component: () => import('@/views/enforcement/EnforcementReportsView.vue'),
    meta: { title: '涉企处罚报备', permission: 'enforcement.read' },
  },
  {
    path: 'enforcement/leniency',
    name: 'enforcement-leniency',
    component: () => import('@/views/enforcement/EnforcementLeniencyView.vue'),
    meta: { title: '不罚轻罚清单', permission: 'enforcement.read' },
  },
  {
    path: 'enforcement/inspections',
    name: 'enforcement-inspections',
    component: () => import('@/views/enforcement/EnforcementInspectionsView.vue'),
    meta: { title: '涉企行政检查', permission: 'enforcement.read' },
  },
  {
    path: 'enforcement/bodies',
    name: 'enforcement-bodies',
    component: () => import('@/views/enforcement/EnforcementBodiesView.vue'),
    meta: { title: '执法主体', permission: 'enforcement.read' },
  },
]
