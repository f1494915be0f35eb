import type { components } from '@/api/schema'

// Types for the system pages (org tree, accounts, roles, audit): the
// generated schema types (response lists are never null: httpx.EmptyLists).

export type Unit = components['schemas']['OrgUnit']
export type Assignment = components['schemas']['OrgAssignment']

export type User = components['schemas']['OrgUser']

export type Role = components['schemas']['OrgRole']

export type Permission = components['schemas']['AuthPermission']
export type AuditEvent = components['schemas']['AuditEvent']
export type AuditVerification = components['schemas']['AuditVerification']

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
