import { toApiError, networkError } from '@/api/errors'

// Types and a small JSON sender for the system pages (org tree, accounts,
// roles, audit). They mirror the Go structs in internal/org and
// internal/platform/audit; the typed client takes over once web/openapi.json
// is regenerated from the server.

export interface Unit {
  id: number
  code: string
  name: string
  type: string
  type_label: string
  parent_id?: number
  path: string
  sort: number
  status: string
  version: number
}

export interface Assignment {
  role: string
  role_name?: string
  scope: string
  scope_units?: number[]
}

export interface User {
  id: number
  username: string
  name: string
  phone: string
  unit: { id: number; code: string; name: string }
  status: string
  roles: Assignment[]
  locked: boolean
  must_change_password: boolean
  last_login_at?: string
  version: number
}

export interface Role {
  id: number
  code: string
  name: string
  description: string
  admin: boolean
  builtin: boolean
  default_scope: string
  perms: string[]
  version: number
}

export interface Permission {
  code: string
  label: string
  module: string
}

export interface AuditEvent {
  seq: number
  at: string
  actor_name: string
  ip: string
  action: string
  object_type: string
  object_id: string
  summary: string
  before?: string
  after?: string
  result: string
  hash: string
}

export const unitTypes = [
  { value: 'district', label: '区县' },
  { value: 'department', label: '部门' },
  { value: 'town', label: '镇街' },
  { value: 'office', label: '科室' },
  { value: 'village', label: '村居' },
]

export const scopes = [
  { value: 'own', label: '本单位' },
  { value: 'subtree', label: '本单位及下级' },
  { value: 'chosen', label: '指定单位' },
  { value: 'all', label: '全部' },
]

export const scopeLabel = (s: string) => scopes.find((x) => x.value === s)?.label ?? s

/** Sends JSON and returns the decoded reply (undefined for 204). */
export async function sendJSON<T>(method: 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw networkError()
  }
  const text = await res.text()
  const data = text ? JSON.parse(text) : undefined
  if (!res.ok) throw toApiError(res.status, data)
  return data as T
}

/** Nests units (ordered by path) into a tree for el-tree / el-table. */
export interface UnitNode extends Unit {
  children?: UnitNode[]
}

export function nest(units: Unit[]): UnitNode[] {
  const byId = new Map<number, UnitNode>()
  const roots: UnitNode[] = []
  for (const u of units) byId.set(u.id, { ...u })
  for (const u of units) {
    const node = byId.get(u.id)!
    const parent = u.parent_id ? byId.get(u.parent_id) : undefined
    if (parent) (parent.children ??= []).push(node)
    else roots.push(node)
  }
  return roots
}
