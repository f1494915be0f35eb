import type { RouteRecordRaw } from 'vue-router'

// 在线考试 (internal/exam) and enforcement's training overview.
export const examRoutes: RouteRecordRaw[] = [
  {
    path: 'exam/questions',
    name: 'exam-questions',
    component: () => import('@/views/exam/ExamQuestionsView.vue'),
    meta: { title: '考试题库', permission: 'exam.manage' },
  },
  {
    path: 'exam/exams',
    name: 'exam-exams',
    component: () => import('@/views/exam/ExamListView.vue'),
    meta: { title: '在线考试', permission: 'exam.manage' },
  },
  {
    path: 'exam/exams/:id(\\d+)',
    name: 'exam-exam',
    component: () => import('@/views/exam/ExamDetailView.vue'),
    meta: { title: '考试详情', permission: 'exam.manage' },
  },
  {
    path: 'exam/results',
    name: 'exam-results',
    component: () => import('@/views/exam/ExamResultsView.vue'),
    meta: { title: '考试成绩', permission: 'exam.read' },
  },
  {
    path: 'exam/my',
    name: 'exam-my',
    component: () => import('@/views/exam/MyExamsView.vue'),
    meta: { title: '我的考试', permission: 'exam.take' },
  },
  {
    path: 'exam/attempts/:id(\\d+)',
    name: 'exam-attempt',
    component: () => import('@/views/exam/ExamTakeView.vue'),
    meta: { title: '在线答题', permission: 'exam.take' },
  },
  {
    path: 'enforcement/training',
    name: 'enforcement-training',
    component: () => import('@/views/exam/TrainingView.vue'),
    meta: { title: '培训与考试', permission: 'enforcement.read' },
  },
]
