// Package finding is the one findings ledger (问题台账): problems from every
// source (inspection, case-file review, supervision notices, audit,
// reconsideration corrections, lost lawsuits, complaints, hotline clues,
// automatic rules) followed from discovery through rectification (整改) and
// close-out (销号, through a review chain) to the re-check (回头看), with
// reminders before the rectification deadline and escalation after it.
package finding

import (
	"fazhi/internal/platform/option"
	"time"

	"fazhi/internal/platform/auth"
)

// Permissions.
const (
	PermRead    = "finding.read"
	PermWrite   = "finding.write"
	PermApprove = "finding.approve"
	PermConfig  = "finding.config" // edit the close-out chain
)

// Calendar rules (configurable per province like every rule).
const (
	RuleRectify = "finding.rectify" // default 30 days from discovery
	RuleRecheck = "finding.recheck" // default 6 months after close-out
)

// Figure names (stable, for the metrics catalogue).
const (
	FigureOpen             = "finding.open_count"
	FigureOverdue          = "finding.overdue_count"
	FigureClosedOnTimeRate = "finding.closed_on_time_rate"
)

func init() {
	auth.RegisterPerms("finding", map[string]string{
		PermRead: "查看问题台账", PermWrite: "办理问题整改", PermApprove: "审核问题销号", PermConfig: "配置问题销号审核流程",
	})
}

// Source is where a problem was found.
type Source string

const (
	SourceInspection      Source = "inspection"
	SourceCaseReview      Source = "case_review"
	SourceSupervision     Source = "supervision_notice"
	SourceAudit           Source = "audit"
	SourceReconsideration Source = "reconsideration_correction"
	SourceLostLawsuit     Source = "lost_lawsuit"
	SourceComplaint       Source = "complaint"
	SourceHotline         Source = "hotline"
	SourceAutoRule        Source = "auto_rule"
)

// Option is a code with its Chinese label (for selects and imports).
type Option = option.Option

// Sources lists every source in display order.
var Sources = []Option{
	{Value: string(SourceInspection), Label: "法治督察"},
	{Value: string(SourceCaseReview), Label: "案卷评查"},
	{Value: string(SourceSupervision), Label: "执法监督意见书"},
	{Value: string(SourceAudit), Label: "审计"},
	{Value: string(SourceReconsideration), Label: "行政复议纠错"},
	{Value: string(SourceLostLawsuit), Label: "行政诉讼败诉"},
	{Value: string(SourceComplaint), Label: "投诉举报"},
	{Value: string(SourceHotline), Label: "12345热线"},
	{Value: string(SourceAutoRule), Label: "系统规则预警"},
}

// Severity of a problem.
type Severity string

const (
	SeverityGeneral Severity = "general"
	SeveritySerious Severity = "serious"
	SeverityMajor   Severity = "major"
)

// Severities lists every severity.
var Severities = []Option{
	{Value: string(SeverityGeneral), Label: "一般"},
	{Value: string(SeveritySerious), Label: "较重"},
	{Value: string(SeverityMajor), Label: "严重"},
}

// Status of a finding.
type Status string

const (
	StatusOpen    Status = "open"    // 待整改
	StatusClosing Status = "closing" // 销号审核中
	StatusClosed  Status = "closed"  // 已销号
)

// Statuses lists every status.
var Statuses = []Option{
	{Value: string(StatusOpen), Label: "整改中"},
	{Value: string(StatusClosing), Label: "销号审核中"},
	{Value: string(StatusClosed), Label: "已销号"},
}

// StatusUnclosed is a ledger filter, not a status: every finding not yet
// closed (整改中 and 销号审核中) — what the 未销号问题 figure counts.
const StatusUnclosed = "unclosed"

// StatusFilters are the ledger's status filter options.
var StatusFilters = append([]Option{{Value: StatusUnclosed, Label: "未销号"}}, Statuses...)

// Recheck results.
const (
	RecheckOK       = "ok"       // 整改成效巩固
	RecheckRecurred = "recurred" // 问题反弹
)

// Closeout is the close-out chain as the detail page shows it.
type Closeout struct {
	Status      string         `json:"status" doc:"running/approved/rejected/withdrawn"`
	StatusLabel string         `json:"status_label"`
	CurrentStep string         `json:"current_step"`
	Pending     []int64        `json:"pending" doc:"当前待办理人"`
	CanAct      bool           `json:"can_act" doc:"当前用户是否为待办理人"`
	Steps       []CloseoutStep `json:"steps"`
}

// CloseoutStep is one step of the close-out chain.
type CloseoutStep struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Finding is one problem in the ledger.
type Finding struct {
	ID             int64      `json:"id"`
	Code           string     `json:"code" doc:"台账编号"`
	Title          string     `json:"title"`
	Description    string     `json:"description"`
	Source         string     `json:"source"`
	SourceLabel    string     `json:"source_label"`
	SourceRef      string     `json:"source_ref" doc:"来源文书编号，如督察通知书号"`
	UnitID         int64      `json:"unit_id"`
	UnitName       string     `json:"unit_name"`
	Severity       string     `json:"severity"`
	SeverityLabel  string     `json:"severity_label"`
	FoundOn        string     `json:"found_on" doc:"发现日期 YYYY-MM-DD"`
	RectifyDue     string     `json:"rectify_due" doc:"整改期限 YYYY-MM-DD"`
	DueExplain     string     `json:"due_explain" doc:"期限计算说明"`
	DueProvisional bool       `json:"due_provisional"`
	Measures       string     `json:"measures" doc:"整改措施"`
	RectifiedOn    string     `json:"rectified_on,omitempty"`
	Status         string     `json:"status"`
	StatusLabel    string     `json:"status_label"`
	Overdue        bool       `json:"overdue"`
	ClosedOnTime   *bool      `json:"closed_on_time,omitempty"`
	EscalatedAt    *time.Time `json:"escalated_at,omitempty"`
	ClosedOn       string     `json:"closed_on,omitempty"`
	RecheckDue     string     `json:"recheck_due,omitempty"`
	RecheckedOn    string     `json:"rechecked_on,omitempty"`
	RecheckResult  string     `json:"recheck_result,omitempty"`
	RecheckNote    string     `json:"recheck_note,omitempty"`
	PreviousID     int64      `json:"previous_id,omitempty" doc:"复发问题所关联的原问题"`
	PreviousCode   string     `json:"previous_code,omitempty"`
	RecurrenceID   int64      `json:"recurrence_id,omitempty" doc:"本问题复发后新建的问题"`
	CreatedBy      int64      `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Version        int        `json:"version"`
	Closeout       *Closeout  `json:"closeout,omitempty"`

	unitPath string
	closeout []byte
}

// Event is one line of a finding's timeline.
type Event struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"`
	Label     string    `json:"label"`
	Note      string    `json:"note"`
}

var actionLabels = map[string]string{
	"create": "登记问题", "update": "修改问题", "rectify": "报送整改情况并申请销号",
	"closeout.approve": "销号审核同意", "closeout.reject": "销号审核不同意", "closeout.return": "销号审核退回",
	"closed": "已销号", "reopen": "退回整改", "escalate": "超期督办", "recheck": "回头看",
	"recurred": "问题复发，已重新立项", "import": "导入登记",
	"closeout.remind": "销号审核到期提醒", "closeout.escalate": "销号审核超期督办",
	"auto_close": "规则复核已纠正，自动销号",
}

// Detail is a finding with its timeline.
type Detail struct {
	Finding
	Events []Event `json:"events"`
}

// Filter narrows the ledger.
type Filter struct {
	Q        string `query:"q" doc:"标题、编号或来源编号"`
	Source   string `query:"source"`
	Status   string `query:"status"`
	Severity string `query:"severity"`
	UnitID   int64  `query:"unit_id" doc:"责任单位（含下级）"`
	Overdue  bool   `query:"overdue" doc:"只看已超期未销号"`
	Year     int    `query:"year" doc:"发现年度"`
	// The figure 问题按期整改销号率 over a period: the findings that had to
	// be closed in it — closed in the period, or still not closed with the
	// rectification deadline in the period and passed.
	AccountableFrom string `query:"accountable_from" doc:"应销号期间起（期间内销号的，及整改期限在期间内且已超期未销号的）"`
	AccountableTo   string `query:"accountable_to" doc:"应销号期间止"`
	OnTime          bool   `query:"on_time" doc:"只看按期整改销号的（已销号且整改完成日期不晚于整改期限）"`
}
