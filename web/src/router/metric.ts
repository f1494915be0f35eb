import type { RouteRecordRaw } from 'vue-router'

// 驾驶舱 and the metric catalogue (issue 16): inside the layout (/figures, not
// /metrics: the server serves Prometheus metrics there).
export const metricRoutes: RouteRecordRaw[] = [
  {
    path: 'cockpit',
    name: 'cockpit',
    component: () => import('@/views/metric/CockpitView.vue'),
    meta: { title: '驾驶舱', permission: 'dashboard.read' },
  },
  {
    path: 'figures',
    name: 'metrics',
    component: () => import('@/views/metric/MetricCatalogueView.vue'),
    meta: { title: '指标目录', permission: 'dashboard.read' },
  },
  {
    path: 'figures/:code',
    name: 'metric',
    component: () => import('@/views/metric/MetricView.vue'),
    meta: { title: '指标', permission: 'dashboard.read' },
  },
]

// The large display: full screen, outside the layout (signed in).
export const screenRoutes: RouteRecordRaw[] = [
  {
    path: '/screen',
    name: 'screen',
    component: () => import('@/views/metric/ScreenView.vue'),
    meta: { title: '驾驶舱大屏', permission: 'dashboard.read' },
  },
]
