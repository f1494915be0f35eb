import type { components } from './schema'

type S = components['schemas']
export type Me = S['Me']
export type DashboardSummary = S['DashboardSummary']
export type Figure = S['Figure']
export type UnitTypeCount = S['UnitTypeCount']
export type AppNotification = S['Notification']
export type ErrorBody = S['ErrorBody']

/** The shape every list endpoint returns for ?page=&page_size=. */
export interface Page<T> {
  items: T[]
  total: number
}
