import type { components } from '@/api/schema'

// Types of the case-review and supervision API (internal/casereview).
export type Rubric = components['schemas']['CasereviewRubric']
export type Plan = components['schemas']['CasereviewPlan']
export type Reviewer = components['schemas']['CasereviewReviewer']
export type ReviewFile = components['schemas']['CasereviewFile']
export type Ranking = components['schemas']['CasereviewRanking']
export type Notice = components['schemas']['CasereviewNotice']
export type Monitor = components['schemas']['CasereviewMonitor']
export type Contact = components['schemas']['CasereviewContact']
export type Feedback = components['schemas']['CasereviewFeedback']

export type Body = { id: number; name: string; unit_id: number; unit_name?: string }

export const grades = [
  { value: 'excellent', label: '优秀' },
  { value: 'pass', label: '合格' },
  { value: 'fail', label: '不合格' },
]

export const noticeKinds = [
  { value: 'opinion', label: '行政执法监督意见书' },
  { value: 'suggestion', label: '行政执法监督建议书' },
]

/** Today in Beijing as YYYY-MM-DD. */
export function today(): string {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}
