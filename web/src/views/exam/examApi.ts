import type { components } from '@/api/schema'

// Types of the exam API (internal/exam): the generated schema types. The
// candidate's types (Paper, PaperQuestion, MyExam, Result) have no answer
// field: the key never leaves the server.

export type Question = components['schemas']['ExamQuestion']
export type Exam = components['schemas']['Exam']
export type Quota = components['schemas']['ExamQuota']
export type Meta = components['schemas']['ExamMeta']
export type Candidate = components['schemas']['ExamCandidate']
export type UnitCoverage = components['schemas']['ExamUnitCoverage']
export type MyExam = components['schemas']['ExamMyExam']
export type Paper = components['schemas']['ExamPaper']
export type PaperQuestion = components['schemas']['ExamPaperQuestion']
export type Saved = components['schemas']['ExamSaved']
export type ImportReport = components['schemas']['ExamImportReport']
export type CandidatesAdded = components['schemas']['ExamCandidatesAdded']
export type UnitTraining = components['schemas']['EnforcementUnitTraining']

export const LETTERS = 'ABCDEF'

/** The percentage a/b with one decimal, or '—' when b is 0. */
export function pct(a: number, b: number): string {
  return b > 0 ? `${((a * 100) / b).toFixed(1)}%` : '—'
}

/** Seconds as mm:ss (or h:mm:ss). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  const two = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${two(m)}:${two(sec)}`
}
