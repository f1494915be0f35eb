import type { RouteRecordRaw } from 'vue-router'
import { calendarRoutes } from './calendar'
import { legalreviewRoutes } from './legalreview'
import { findingRoutes } from './findings'
import { decisionPublicRoutes, decisionRoutes } from './decision'
import { normdocPublicRoutes, normdocRoutes } from './normdoc'
import { disclosureRoutes } from './disclosure'
import { counselRoutes, mediationRoutes } from './mediation'
import { reconsiderationRoutes } from './reconsideration'
import { enforcementRoutes } from './enforcement'
import { publicRandomInspectionRoutes, randomInspectionRoutes } from './randominspection'
import { examRoutes } from './exam'
import { caseReviewRoutes } from './casereview'
import { litigationRoutes } from './litigation'
import { reportRoutes } from './report'
import { indicatorRoutes } from './indicator'
import { metricRoutes, screenRoutes } from './metric'

// Route table. meta.title feeds the browser title and the breadcrumb;
// meta.public marks pages reachable without a session; meta.permission
// guards pages (the same string as the menu entry).

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    public?: boolean
    permission?: string
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/LoginView.vue'),
    meta: { title: '登录', public: true },
  },
  {
    path: '/',
    component: () => import('@/layout/AppLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/views/HomeView.vue'), meta: { title: '首页' } },
      ...calendarRoutes,
      ...legalreviewRoutes,
      ...findingRoutes,
      ...decisionRoutes,
      ...normdocRoutes,
      ...disclosureRoutes,
      ...mediationRoutes,
      ...counselRoutes,
      ...reconsiderationRoutes,
      ...litigationRoutes,
      ...reportRoutes,
      ...indicatorRoutes,
      ...enforcementRoutes,
      ...randomInspectionRoutes,
      ...caseReviewRoutes,
      ...examRoutes,
      ...metricRoutes,
      { path: 'todo', name: 'todo', component: () => import('@/views/TodoView.vue'), meta: { title: '我的待办' } },
      {
        path: 'notifications',
        name: 'notifications',
        component: () => import('@/views/NotificationsView.vue'),
        meta: { title: '消息通知' },
      },
      { path: 'account', name: 'account', component: () => import('@/views/system/MyAccountView.vue'), meta: { title: '我的账号' } },
      {
        path: 'system/org-units',
        name: 'org-units',
        component: () => import('@/views/system/OrgUnitsView.vue'),
        meta: { title: '组织机构', permission: 'org.read' },
      },
      {
        path: 'system/users',
        name: 'users',
        component: () => import('@/views/system/UsersView.vue'),
        meta: { title: '用户管理', permission: 'user.read' },
      },
      {
        path: 'system/roles',
        name: 'roles',
        component: () => import('@/views/system/RolesView.vue'),
        meta: { title: '角色权限', permission: 'role.read' },
      },
      {
        path: 'system/audit',
        name: 'audit',
        component: () => import('@/views/system/AuditView.vue'),
        meta: { title: '审计日志', permission: 'audit.read' },
      },
    ],
  },
  ...screenRoutes,
  ...decisionPublicRoutes,
  ...normdocPublicRoutes,
  ...publicRandomInspectionRoutes,
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/NotFoundView.vue'),
    meta: { title: '页面不存在', public: true },
  },
]
