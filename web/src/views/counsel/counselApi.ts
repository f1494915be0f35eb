import type { components } from '@/api/schema'

// Types of the legal adviser API (internal/counsel).

export type Adviser = components['schemas']['CounselAdviser']
export type AdviserDetail = components['schemas']['CounselDetail']
export type Coverage = components['schemas']['CounselCoverage']
export type Meta = components['schemas']['CounselMeta']
export type Work = components['schemas']['CounselWork']

export const emptyMeta: Meta = { levels: [], kinds: [], work_kinds: [], grades: [] }
export type ImportReport = components['schemas']['CounselImportReport']
