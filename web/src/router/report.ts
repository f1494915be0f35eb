import type { RouteRecordRaw } from 'vue-router'

// 法治政府建设年度报告: the list (generate a report for a year and unit) and
// one report's page (text with figure hovers, editing, review chain,
// versions and their comparison, Word/PDF, publication).
export const reportRoutes: RouteRecordRaw[] = [
  {
    path: 'reports',
    name: 'reports',
    component: () => import('@/views/report/ReportListView.vue'),
    meta: { title: '法治政府建设年度报告', permission: 'report.read' },
  },
  {
    path: 'reports/:id(\\d+)',
    name: 'report-detail',
    component: () => import('@/views/report/ReportDetailView.vue'),
    meta: { title: '年度报告', permission: 'report.read' },
  },
]
