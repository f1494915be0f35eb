import type { RouteRecordRaw } from 'vue-router'

// 工作日历 pages (system management). Reading is open to every signed-in
// user (the calculator is everyone's tool); writing needs calendar.write,
// which the pages check to show their 录入/更正/调整 controls.
export const calendarRoutes: RouteRecordRaw[] = [
  {
    path: 'system/calendar',
    component: () => import('@/views/calendar/CalendarLayout.vue'),
    meta: { title: '工作日历' },
    children: [
      {
        path: '',
        name: 'calendar-years',
        component: () => import('@/views/calendar/YearsView.vue'),
        meta: { title: '工作日历 · 年度放假安排' },
      },
      {
        path: 'years/:year(\\d{4})',
        name: 'calendar-year',
        component: () => import('@/views/calendar/YearDetailView.vue'),
        meta: { title: '工作日历 · 放假安排明细' },
      },
      {
        path: 'rules',
        name: 'calendar-rules',
        component: () => import('@/views/calendar/RulesView.vue'),
        meta: { title: '工作日历 · 期限规则' },
      },
      {
        path: 'deadline',
        name: 'calendar-deadline',
        component: () => import('@/views/calendar/DeadlineCalculatorView.vue'),
        meta: { title: '工作日历 · 期限计算器' },
      },
    ],
  },
]
