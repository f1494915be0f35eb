import type { Component } from 'vue'
import { Calendar } from '@element-plus/icons-vue'
import { DataAnalysis, EditPen, SetUp, Stamp, Tickets } from '@element-plus/icons-vue'
import { Collection, Files, Guide, Menu, Reading } from '@element-plus/icons-vue'
import { Brush, Memo, Notebook } from '@element-plus/icons-vue'
import { Briefcase, ChatDotRound, Connection, Histogram, List } from '@element-plus/icons-vue'
import { Management, Postcard } from '@element-plus/icons-vue'
import { Bell, Checked, Document, HomeFilled, Key, Lock, OfficeBuilding, Setting, User, Warning } from '@element-plus/icons-vue'

// The left menu as data. Later modules add a row here (and a route in
// router/routes.ts); an entry shows only when its route exists and the user
// holds its permission, and a group shows only when one of its entries does.

export interface MenuGroup {
  key: string
  title: string
  icon: Component
}

export interface MenuEntry {
  path: string
  title: string
  icon: Component
  /** Permission required to see the entry; none means every signed-in user. */
  permission?: string
  /** Key of a MenuGroup; none means a top-level entry. */
  group?: string
}

/** Groups in display order. */
export const menuGroups: MenuGroup[] = [
  { key: 'decision', title: '重大行政决策', icon: Guide },
  { key: 'legalreview', title: '合法性审查', icon: Stamp },
  { key: 'normdoc', title: '规范性文件', icon: Notebook },
  { key: 'disclosure', title: '依申请公开', icon: Tickets },
  { key: 'mediation', title: '人民调解', icon: ChatDotRound },
  { key: 'counsel', title: '法律顾问', icon: Briefcase },
  { key: 'reconsideration', title: '行政复议', icon: Management },
  { key: 'litigation', title: '行政应诉', icon: Postcard },
  { key: 'indicator', title: '示范创建', icon: Histogram },
  { key: 'enforcement', title: '行政执法监督', icon: Stamp },
  { key: 'personal', title: '个人中心', icon: User },
  { key: 'system', title: '系统管理', icon: Setting },
]

/** Entries in display order (within their group). */
export const menuEntries: MenuEntry[] = [
  { path: '/', title: '首页', icon: HomeFilled },
  { path: '/todo', title: '我的待办', icon: Checked },
  { path: '/cockpit', title: '驾驶舱', icon: DataAnalysis, permission: 'dashboard.read' },
  { path: '/figures', title: '指标目录', icon: Histogram, permission: 'dashboard.read' },
  { path: '/findings', title: '问题台账', icon: Warning, permission: 'finding.read' },
  { path: '/reports', title: '年度报告', icon: Document, permission: 'report.read' },
  { path: '/decisions/catalogues', title: '决策事项目录', icon: Collection, permission: 'decision.read', group: 'decision' },
  { path: '/decisions/categories', title: '决策事项分类', icon: Menu, permission: 'decision.read', group: 'decision' },
  { path: '/decisions', title: '决策事项', icon: Files, permission: 'decision.read', group: 'decision' },
  { path: '/decisions/experts', title: '专家库', icon: Reading, permission: 'decision.read', group: 'decision' },
  { path: '/decisions/overview', title: '决策指标', icon: DataAnalysis, permission: 'decision.read', group: 'decision' },
  { path: '/legalreviews', title: '审查台账', icon: Tickets, permission: 'legalreview.read', group: 'legalreview' },
  { path: '/legalreviews/new', title: '提交审查申请', icon: EditPen, permission: 'legalreview.write', group: 'legalreview' },
  { path: '/legalreviews/overview', title: '统计概览', icon: DataAnalysis, permission: 'legalreview.read', group: 'legalreview' },
  { path: '/legalreviews/config', title: '审查标准与流程', icon: SetUp, permission: 'legalreview.read', group: 'legalreview' },
  { path: '/normdocs/ledger', title: '文件台账', icon: Memo, permission: 'normdoc.read', group: 'normdoc' },
  { path: '/normdocs/issuers', title: '制定主体清单', icon: Stamp, permission: 'normdoc.read', group: 'normdoc' },
  { path: '/normdocs/cleanups', title: '文件清理', icon: Brush, permission: 'normdoc.read', group: 'normdoc' },
  { path: '/normdocs', title: '备案指标', icon: DataAnalysis, permission: 'normdoc.read', group: 'normdoc' },
  { path: '/disclosure', title: '申请登记', icon: Files, permission: 'disclosure.read', group: 'disclosure' },
  { path: '/disclosure/annual', title: '统计与年报', icon: DataAnalysis, permission: 'disclosure.read', group: 'disclosure' },
  { path: '/mediation/cases', title: '调解案件', icon: List, permission: 'mediation.read', group: 'mediation' },
  { path: '/mediation/committees', title: '调解委员会', icon: Connection, permission: 'mediation.read', group: 'mediation' },
  { path: '/counsel/advisers', title: '法律顾问库', icon: Briefcase, permission: 'counsel.read', group: 'counsel' },
  { path: '/counsel/coverage', title: '覆盖情况', icon: Histogram, permission: 'counsel.read', group: 'counsel' },
  { path: '/counsel/works', title: '工作记录', icon: Memo, permission: 'counsel.read', group: 'counsel' },
  { path: '/reconsideration', title: '复议案件', icon: Tickets, permission: 'reconsideration.read', group: 'reconsideration' },
  { path: '/reconsideration/overview', title: '复议指标', icon: DataAnalysis, permission: 'reconsideration.read', group: 'reconsideration' },
  { path: '/litigation', title: '应诉案件', icon: Tickets, permission: 'litigation.read', group: 'litigation' },
  { path: '/litigation/hearings', title: '庭审与出庭', icon: User, permission: 'litigation.read', group: 'litigation' },
  { path: '/litigation/overview', title: '应诉指标', icon: DataAnalysis, permission: 'litigation.read', group: 'litigation' },
  { path: '/indicator/campaigns', title: '测评与评分', icon: DataAnalysis, permission: 'indicator.read', group: 'indicator' },
  { path: '/indicator/assignments', title: '我的指标任务', icon: Checked, permission: 'indicator.read', group: 'indicator' },
  { path: '/indicator/frameworks', title: '指标体系', icon: Collection, permission: 'indicator.read', group: 'indicator' },
  { path: '/enforcement/cases', title: '执法案件', icon: Files, permission: 'enforcement.read', group: 'enforcement' },
  { path: '/enforcement/officers', title: '执法人员', icon: User, permission: 'enforcement.read', group: 'enforcement' },
  { path: '/enforcement/rules', title: '规则预警', icon: Warning, permission: 'enforcement.read', group: 'enforcement' },
  { path: '/random-inspections/plans', title: '双随机抽查', icon: Tickets, permission: 'randominspection.read', group: 'enforcement' },
  { path: '/random-inspections/checks', title: '抽查结果', icon: List, permission: 'randominspection.read', group: 'enforcement' },
  { path: '/case-review/plans', title: '案卷评查', icon: Stamp, permission: 'casereview.read', group: 'enforcement' },
  { path: '/case-review/files', title: '评查案卷', icon: Files, permission: 'casereview.read', group: 'enforcement' },
  { path: '/case-review/notices', title: '监督意见书', icon: Document, permission: 'casereview.read', group: 'enforcement' },
  { path: '/case-review/monitors', title: '监督员与联系点', icon: Connection, permission: 'casereview.read', group: 'enforcement' },
  { path: '/enforcement/training', title: '培训与考试', icon: Histogram, permission: 'enforcement.read', group: 'enforcement' },
  { path: '/exam/questions', title: '考试题库', icon: Collection, permission: 'exam.manage', group: 'enforcement' },
  { path: '/exam/exams', title: '在线考试', icon: EditPen, permission: 'exam.manage', group: 'enforcement' },
  { path: '/exam/results', title: '考试成绩', icon: DataAnalysis, permission: 'exam.read', group: 'enforcement' },
  { path: '/exam/my', title: '我的考试', icon: Reading, permission: 'exam.take', group: 'enforcement' },
  { path: '/enforcement/reports', title: '涉企处罚报备', icon: Checked, permission: 'enforcement.read', group: 'enforcement' },
  { path: '/enforcement/leniency', title: '不罚轻罚清单', icon: Notebook, permission: 'enforcement.read', group: 'enforcement' },
  { path: '/enforcement/inspections', title: '涉企行政检查', icon: Guide, permission: 'enforcement.read', group: 'enforcement' },
  { path: '/enforcement/bodies', title: '执法主体', icon: OfficeBuilding, permission: 'enforcement.read', group: 'enforcement' },
  { path: '/notifications', title: '消息通知', icon: Bell, group: 'personal' },
  { path: '/account', title: '我的账号', icon: Lock, group: 'personal' },
  { path: '/system/org-units', title: '组织机构', icon: OfficeBuilding, permission: 'org.read', group: 'system' },
  { path: '/system/users', title: '用户管理', icon: User, permission: 'user.read', group: 'system' },
  { path: '/system/roles', title: '角色权限', icon: Key, permission: 'role.read', group: 'system' },
  { path: '/system/audit', title: '审计日志', icon: Document, permission: 'audit.read', group: 'system' },
  { path: '/system/calendar', title: '工作日历', icon: Calendar, group: 'system' },
]

export type MenuItem =
  | { kind: 'entry'; entry: MenuEntry }
  | { kind: 'group'; group: MenuGroup; entries: MenuEntry[] }

/**
 * Builds the visible menu: entries whose route exists and whose permission the
 * user holds. Top-level entries come first (in table order), then the groups in
 * menuGroups order; groups without a visible entry are dropped.
 */
export function buildMenu(
  entries: readonly MenuEntry[],
  groups: readonly MenuGroup[],
  can: (permission?: string) => boolean,
  routeExists: (path: string) => boolean,
): MenuItem[] {
  const visible = entries.filter((e) => routeExists(e.path) && can(e.permission))
  const items: MenuItem[] = visible.filter((e) => !e.group).map((entry) => ({ kind: 'entry', entry }))
  for (const group of groups) {
    const inGroup = visible.filter((e) => e.group === group.key)
    if (inGroup.length > 0) items.push({ kind: 'group', group, entries: inGroup })
  }
  return items
}
