import type { components } from './schema'

type S = components['schemas']
export type Me = S['OrgMe']
export type DashboardSummary = S['DashboardSummary']
export type Figure = S['MetricFigure']
export type UnitTypeCount = S['DashboardTypeCount']
export type AppNotification = S['Notification']
export type TodoItem = S['TodoItem']
export type TodoCounts = S['TodoCounts']
export type ErrorBody = S['ErrorBody']
export type AuthSettings = S['AuthSettings']

/**
 * The shape every list endpoint returns for ?page=&page_size= (or
 * ?after=<cursor>&page_size=). Register lists (db.Paged on the server) also
 * say whether the total was capped ("10,000+"), which page this is, and the
 * cursor of the next page ('' on the last page); older lists send only
 * items and total.
 */
export interface Page<T> {
  items: T[]
  total: number
  total_capped?: boolean
  page?: number
  next?: string
}
