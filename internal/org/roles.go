package org

import "fazhi/internal/platform/auth"

// Role codes of the built-in roles.
const (
	RoleSysadmin   = "sysadmin"
	RoleSecadmin   = "secadmin"
	RoleAuditor    = "auditor"
	RoleSupervisor = "supervisor"
	RoleClerk      = "clerk"
	RoleHead       = "head"
	RoleLeader     = "leader"
	RoleCounsel    = "legal_counsel"
	RoleGovOffice  = "gov_office"
)

// AdminRoles are the three separated administrator roles (三员).
var AdminRoles = []string{RoleSysadmin, RoleSecadmin, RoleAuditor}

// IsAdminRole reports whether code is one of the three administrators.
func IsAdminRole(code string) bool {
	for _, r := range AdminRoles {
		if r == code {
			return true
		}
	}
	return false
}

// Permissions declared by this package and, for the roles table below, the
// business modules' codes (modules re-register theirs; duplicates are kept
// once).
var orgPerms = map[string]string{
	"org.read":          "查看组织机构",
	"org.write":         "维护组织机构",
	"user.read":         "查看用户",
	"user.write":        "维护用户账号",
	"role.read":         "查看角色权限",
	"role.write":        "维护角色权限与授权",
	"security.write":    "维护安全策略",
	"audit.read":        "查看审计日志",
	"notification.read": "查看通知",
	"calendar.write":    "维护工作日历",
}

var businessPerms = map[string]string{
	"decision.read": "查看重大行政决策", "decision.write": "办理重大行政决策", "decision.approve": "审批重大行政决策",
	"legalreview.read": "查看合法性审查", "legalreview.write": "办理合法性审查", "legalreview.approve": "审批合法性审查",
	"normdoc.read": "查看规范性文件", "normdoc.write": "办理规范性文件", "normdoc.approve": "审批规范性文件",
	"finding.read": "查看问题台账", "finding.write": "办理问题整改", "finding.approve": "审核问题销号",
	"enforcement.read": "查看行政执法台账", "enforcement.write": "登记行政执法人员与案件",
	"enforcement.config": "维护执法主体与省级平台接入", "enforcement.personal": "查看执法案件当事人完整身份信息",
	"enforcement.supervise": "审查涉企处罚报备",
	"file.read":             "查看附件", "file.write": "上传附件",
	"mediation.read": "查看人民调解", "mediation.write": "办理人民调解",
	"counsel.read": "查看法律顾问", "counsel.write": "管理法律顾问",
	"disclosure.read": "查看依申请公开", "disclosure.write": "办理依申请公开", "disclosure.approve": "审批依申请公开（延期、保密审查）",
	"reconsideration.read": "查看行政复议案件", "reconsideration.write": "办理行政复议案件",
	"randominspection.read": "查看双随机抽查", "randominspection.write": "办理双随机抽查（事项清单、抽查计划、抽取、结果）",
	"exam.manage": "维护考试题库、组织在线考试", "exam.read": "查看考试参考与成绩情况", "exam.take": "参加在线考试",
	"litigation.read": "查看行政应诉案件", "litigation.write": "办理行政应诉案件",
	"report.read": "查看法治政府建设年度报告", "report.write": "编制法治政府建设年度报告", "report.approve": "审核法治政府建设年度报告",
	"report.publish": "公布法治政府建设年度报告",
	"indicator.read": "查看示范创建指标与评分", "indicator.write": "承办示范创建指标（佐证材料、自评）",
	"indicator.manage": "管理示范创建指标体系与测评（分解、复核、定分）",
	"casereview.read":  "查看案卷评查与执法监督", "casereview.write": "答复监督意见书、登记本单位企业联系点及反馈",
	"casereview.manage": "组织案卷评查（评查标准、计划、抽取、评分）、签发监督意见书、管理执法监督员",
	// Steps a body records in its own name, granted for exactly the units
	// of the role's scope (auth.Actor.ActsFor): the decision body's
	// collective decision, party-committee report and publication; the
	// issuing body's collective deliberation of a normative document.
	"decision.certify": "代表决策机关登记集体讨论决定、党委请示报告和决策公布",
	"normdoc.certify":  "代表制定机关登记规范性文件集体审议",
}

func init() {
	auth.RegisterPerms("org", orgPerms)
	auth.RegisterPerms("business", businessPerms)
}

// BuiltinRole is one row of the built-in role → permission → scope table.
type BuiltinRole struct {
	Code, Name, Description string
	Admin                   bool
	Scope                   auth.ScopeKind
	Perms                   []string
}

var everyone = []string{"dashboard.read", "notification.read"}

var businessRead = []string{"decision.read", "legalreview.read", "normdoc.read", "finding.read", "file.read", "mediation.read", "counsel.read",
	"disclosure.read", "reconsideration.read", "enforcement.read", "randominspection.read", "exam.read", "exam.take", "litigation.read", "report.read",
	"indicator.read", "casereview.read"}
var businessWrite = []string{"decision.write", "legalreview.write", "normdoc.write", "finding.write", "file.write", "mediation.write", "counsel.write",
	"disclosure.write", "enforcement.write", "randominspection.write", "litigation.write", "report.write", "indicator.write", "casereview.write"}
var businessApprove = []string{"decision.approve", "legalreview.approve", "normdoc.approve", "finding.approve",
	"disclosure.approve", "report.approve"}

func join(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// BuiltinRoles is the one place where built-in roles, their permissions and
// default data scopes are defined. It is inserted into the roles tables on
// first start; from then on the security administrator edits the data.
var BuiltinRoles = []BuiltinRole{
	{RoleSysadmin, "系统管理员", "管理组织机构、工作日历等系统设置；不管理账号，不接触业务数据与审计日志", true, auth.ScopeAll,
		join(everyone, []string{"org.read", "org.write", "user.read", "calendar.write"})},
	{RoleSecadmin, "安全管理员", "管理业务账号、角色授权与安全策略（三员账号只能由服务器命令行管理）", true, auth.ScopeAll,
		join(everyone, []string{"org.read", "user.read", "user.write", "role.read", "role.write", "security.write"})},
	{RoleAuditor, "审计管理员", "只查看审计日志", true, auth.ScopeAll,
		join(everyone, []string{"audit.read"})},
	{RoleSupervisor, "司法局监督审核人员", "区司法局：全区业务的监督、审核", false, auth.ScopeAll,
		join(everyone, []string{"org.read", "calendar.write", "legalreview.config", "finding.config", "reconsideration.write", "enforcement.config", "enforcement.personal", "enforcement.supervise", "exam.manage", "report.publish", "indicator.manage", "casereview.manage"}, businessRead, businessWrite, businessApprove)},
	{RoleClerk, "部门经办人", "本单位及下级的业务经办", false, auth.ScopeSubtree,
		join(everyone, []string{"org.read"}, businessRead, businessWrite)},
	{RoleHead, "部门负责人", "本单位及下级的业务审批；以本单位名义登记本单位制定的规范性文件的集体审议", false, auth.ScopeSubtree,
		join(everyone, []string{"org.read", "normdoc.certify"}, businessRead, businessWrite, businessApprove)},
	{RoleLeader, "区领导", "只读查看驾驶舱与业务数据", false, auth.ScopeAll,
		join(everyone, []string{"org.read"}, businessRead)},
	// Legal advisers and government lawyers give opinions in legality
	// reviews; they reach the reviews through their chain tasks.
	{RoleCounsel, "法律顾问/公职律师", "参与合法性审查，出具法律意见", false, auth.ScopeOwn,
		join(everyone, []string{"legalreview.read", "legalreview.approve", "file.read", "file.write"})},
	// The office acting for a government (决策机关、制定机关): it records the
	// steps the body takes in its own name, for exactly the units of its
	// scope (本单位: the government the account belongs to). Viewing the
	// records comes from a reading role held beside it.
	{RoleGovOffice, "政府办公室（决策机关）", "代表本级政府登记重大行政决策的集体讨论决定、党委请示报告、决策公布，以及规范性文件的集体审议", false, auth.ScopeOwn,
		join(everyone, []string{"decision.certify", "normdoc.certify", "report.read", "report.approve", "report.publish"})},
}

// ValidScope reports whether k is a scope kind.
func ValidScope(k auth.ScopeKind) bool {
	switch k {
	case auth.ScopeOwn, auth.ScopeSubtree, auth.ScopeChosen, auth.ScopeAll:
		return true
	}
	return false
}

// ScopeLabel is the Chinese name of a scope kind.
func ScopeLabel(k auth.ScopeKind) string {
	switch k {
	case auth.ScopeOwn:
		return "本单位"
	case auth.ScopeSubtree:
		return "本单位及下级"
	case auth.ScopeChosen:
		return "指定单位"
	case auth.ScopeAll:
		return "全部"
	}
	return string(k)
}
