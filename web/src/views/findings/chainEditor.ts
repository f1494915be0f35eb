import { mapFieldErrors, type FieldError } from '@/api/errors'
import type { components } from '@/api/schema'

// The close-out chain (问题销号审核流程) as the API returns it (generated
// schema FindingChain) and the helpers of its JSON editor.

type S = components['schemas']

export type ChainAssignee = S['WorkflowAssignee']
export type ChainStep = S['WorkflowStep']
export type ChainDefinition = S['WorkflowDefinition']
export type FindingChain = S['FindingChain']

const kindLabels: Record<string, string> = { single: '单人审批', countersign: '会签', any: '或签' }
const roleLabels: Record<string, string> = { head: '部门负责人', supervisor: '司法局监督审核人员', clerk: '部门经办人', leader: '区领导' }

/** The definition as the editor shows it: indented JSON. */
export function formatDefinition(def: ChainDefinition): string {
  return JSON.stringify(def, null, 2)
}

/**
 * Checks that the editor text is JSON before it is sent; the server checks
 * everything else. Returns the parsed value or a Chinese message.
 */
export function parseDefinitionText(text: string): { value?: unknown; error?: string } {
  if (!text.trim()) return { error: '请填写审批流程定义' }
  try {
    const value = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: '审批流程定义应为一个 JSON 对象（以 { 开头）' }
    return { value }
  } catch (e) {
    const msg = e instanceof Error ? e.message : ''
    const pos = /position (\d+)/.exec(msg)
    return { error: pos ? `审批流程定义不是有效的 JSON（第 ${pos[1]} 个字符附近）` : '审批流程定义不是有效的 JSON' }
  }
}

/** "definition.steps[1].kind" → "第2步 · kind" (where the problem is). */
export function fieldPlace(field: string): string {
  const path = field.replace(/^definition\.?/, '')
  if (!path) return '流程定义'
  const m = /^steps\[(\d+)\]\.?(.*)$/.exec(path)
  if (m) return m[2] ? `第${Number(m[1]) + 1}步 · ${m[2]}` : `第${Number(m[1]) + 1}步`
  return path
}

/** Server field errors about the definition, in server order, with where they are. */
export function definitionErrors(fields: FieldError[]): { place: string; message: string }[] {
  const all = mapFieldErrors(fields)
  return Object.entries(all)
    .filter(([k]) => k === 'definition' || k.startsWith('definition.'))
    .map(([k, message]) => ({ place: fieldPlace(k), message }))
}

function who(a?: ChainAssignee): string {
  if (!a) return ''
  if (a.user_id) return `用户 ${a.user_id}`
  const role = a.role ? roleLabels[a.role] ?? a.role : ''
  return a.unit_id ? `单位 ${a.unit_id} 的${role}` : role
}

/** One line describing a step: kind, people, deadline, reminder, escalation. */
export function describeStep(s: ChainStep): string {
  const parts = [kindLabels[s.kind] ?? s.kind, (s.assignees ?? []).map(who).join('、')]
  if (s.deadline_days) parts.push(`${s.deadline_days} 个工作日`)
  if (s.remind_before_days) parts.push(`提前 ${s.remind_before_days} 个工作日提醒`)
  if (s.escalate_to) parts.push(`超期督办：${who(s.escalate_to)}`)
  if (s.opinion_required) parts.push('须填写意见')
  return parts.filter(Boolean).join(' · ')
}
