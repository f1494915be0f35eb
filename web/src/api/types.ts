import type { components } from './schema'

type S = components['schemas']
export type Me = S['OrgMe']
export type DashboardSummary = S['DashboardSummary']
export type Figure = S['MetricFigure']
export type UnitTypeCount = S['DashboardTypeCount']
export type AppNotification = S['Notification']
export type ErrorBody = S['ErrorBody']

/** The shape every list endpoint returns for ?page=&page_size=. */
export interface Page<T> {
  items: T[]
  total: number
}
