import type { RouteRecordRaw } from 'vue-router'

// 重大行政决策 pages (inside the app layout).
export const decisionRoutes: RouteRecordRaw[] = [
  {
    path: 'decisions',
    name: 'decisions',
    component: () => import('@/views/decision/DecisionListView.vue'),
    meta: { title: '重大行政决策', permission: 'decision.read' },
  },
  {
    path: 'decisions/overview',
    name: 'decision-overview',
    component: () => import('@/views/decision/DecisionOverviewView.vue'),
    meta: { title: '决策指标概览', permission: 'decision.read' },
  },
  {
    path: 'decisions/catalogues',
    name: 'decision-catalogues',
    component: () => import('@/views/decision/CatalogueListView.vue'),
    meta: { title: '决策事项目录', permission: 'decision.read' },
  },
  {
    path: 'decisions/catalogues/:id(\\d+)',
    name: 'decision-catalogue',
    component: () => import('@/views/decision/CatalogueDetailView.vue'),
    meta: { title: '决策事项目录详情', permission: 'decision.read' },
  },
  {
    path: 'decisions/categories',
    name: 'decision-categories',
    component: () => import('@/views/decision/CategoriesView.vue'),
    meta: { title: '决策事项分类', permission: 'decision.read' },
  },
  {
    path: 'decisions/experts',
    name: 'decision-experts',
    component: () => import('@/views/decision/ExpertsView.vue'),
    meta: { title: '决策咨询专家库', permission: 'decision.read' },
  },
  {
    path: 'decisions/:id(\\d+)',
    name: 'decision',
    component: () => import('@/views/decision/DecisionDetailView.vue'),
    meta: { title: '决策详情', permission: 'decision.read' },
  },
]

// The public consultation pages: no login (meta.public bypasses the guard).
export const decisionPublicRoutes: RouteRecordRaw[] = [
  {
    path: '/public/consultations',
    name: 'public-consultations',
    component: () => import('@/views/decision/PublicConsultationsView.vue'),
    meta: { title: '重大行政决策公开征求意见', public: true },
  },
  {
    path: '/public/consultations/:id(\\d+)',
    name: 'public-consultation',
    component: () => import('@/views/decision/PublicConsultationsView.vue'),
    meta: { title: '重大行政决策公开征求意见', public: true },
  },
]
