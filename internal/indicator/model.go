// Package indicator runs the demonstration indicator framework (示范创建
// 指标体系; DOMAIN.md §1): frameworks as versioned data (a level 1/2/3
// tree with points, a scoring method per item, an evidence checklist,
// veto, bonus and deduction items, an optional binding to a dashboard
// figure with thresholds), assessment campaigns with the task breakdown
// (lead and supporting units, due dates, reminders), evidence with an
// effective period, self-scores, the 司法局 review through a workflow
// chain with return for changes, final scores, the progress board, unit
// ranking, the score sheet and the evidence bundle. Items bound to a
// figure are scored from the registers (metric.Registry) for the
// campaign's period and unit subtree; a manual override needs a reason.
package indicator

import (
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/option"
)

// Permissions: every business role reads its scope's assignments; units
// handle their own (evidence, self-score); the 司法局 manages frameworks
// and campaigns and reviews.
const (
	PermRead   = "indicator.read"
	PermWrite  = "indicator.write"
	PermManage = "indicator.manage"
)

func init() {
	auth.RegisterPerms("indicator", map[string]string{PermRead: "查看示范创建指标与评分", PermWrite: "承办示范创建指标（佐证材料、自评）",
		PermManage: "管理示范创建指标体系与测评（分解、复核、定分）"})
}

// RuleReview is the calendar rule of the 司法局's review of a submitted
// self-assessment (working days from submission; configurable).
const RuleReview = "indicator.review"

// Option is a code with its Chinese label.
type Option = option.Option

// Kinds of items.
const (
	KindNormal    = "normal"
	KindVeto      = "veto"
	KindBonus     = "bonus"
	KindDeduction = "deduction"
)

// Kinds lists the item kinds.
var Kinds = []Option{{Value: KindNormal, Label: "计分项"}, {Value: KindVeto, Label: "一票否决项"},
	{Value: KindBonus, Label: "加分项"}, {Value: KindDeduction, Label: "扣分项"}}

// Scoring methods.
const (
	MethodChecklist = "checklist"
	MethodDeduction = "deduction"
	MethodThreshold = "threshold"
	MethodManual    = "manual"
)

// Methods lists the scoring methods.
var Methods = []Option{{Value: MethodChecklist, Label: "对照清单（逐项达成计分）"}, {Value: MethodDeduction, Label: "按次扣分（设上限）"},
	{Value: MethodThreshold, Label: "数据阈值（绑定数据指标）"}, {Value: MethodManual, Label: "人工评分"}}

// Assignment statuses.
const (
	StatusPending   = "pending"
	StatusSubmitted = "submitted"
	StatusReturned  = "returned"
	StatusApproved  = "approved"
)

// Statuses lists the assignment statuses.
var Statuses = []Option{{Value: StatusPending, Label: "待自评"}, {Value: StatusSubmitted, Label: "待复核"},
	{Value: StatusReturned, Label: "退回修改"}, {Value: StatusApproved, Label: "已定分"}}

// Campaign statuses.
var CampaignStatuses = []Option{{Value: "open", Label: "进行中"}, {Value: "closed", Label: "已结束"}}

// Framework is one revision of an indicator framework.
type Framework struct {
	ID         int64     `json:"id"`
	Code       string    `json:"code" doc:"体系代码（同一体系各版本相同）"`
	Name       string    `json:"name"`
	Revision   int       `json:"revision" doc:"版本号"`
	BasedOn    int64     `json:"based_on" doc:"由哪一版本修订而来"`
	Builtin    bool      `json:"builtin" doc:"系统内置默认体系（条目为本系统自拟表述，可编辑）"`
	Superseded bool      `json:"superseded" doc:"已有更新版本"`
	Note       string    `json:"note"`
	ItemCount  int       `json:"item_count" doc:"三级指标数"`
	Bound      int       `json:"bound" doc:"绑定实时数据指标的三级指标数"`
	Points     float64   `json:"points" doc:"基本分合计"`
	Campaigns  int       `json:"campaigns" doc:"使用本版本的测评数"`
	CreatedAt  time.Time `json:"created_at"`
	Version    int64     `json:"version"`
}

// Item is one node of a framework's tree.
type Item struct {
	ID            int64   `json:"id"`
	FrameworkID   int64   `json:"framework_id"`
	ParentID      int64   `json:"parent_id"`
	Level         int     `json:"level" doc:"1 一级、2 二级、3 三级"`
	Seq           int     `json:"seq"`
	Code          string  `json:"code" doc:"编号：一级如 1，二级如 1.2，三级全文连续编号如 7"`
	Title         string  `json:"title"`
	Description   string  `json:"description" doc:"指标内涵与评分说明"`
	Kind          string  `json:"kind"`
	KindLabel     string  `json:"kind_label"`
	Points        float64 `json:"points" doc:"分值（一票否决项为 0）"`
	Method        string  `json:"method"`
	MethodLabel   string  `json:"method_label"`
	PerOccurrence float64 `json:"per_occurrence" doc:"按次扣分：每次扣分"`
	Cap           float64 `json:"cap" doc:"扣分上限（0 为以分值为限）"`
	FigureCode    string  `json:"figure_code" doc:"绑定的数据指标代码（metric）"`
	FullAt        float64 `json:"full_at" doc:"数据阈值：达到即满分"`
	ZeroAt        float64 `json:"zero_at" doc:"数据阈值：低于（越小越好时高于）即零分；与满分阈值之间按比例"`
	Evidence      string  `json:"evidence" doc:"佐证材料清单（每行一项）"`
}

// Campaign is one year's assessment.
type Campaign struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	Year          int       `json:"year"`
	FrameworkID   int64     `json:"framework_id"`
	FrameworkName string    `json:"framework_name"`
	Revision      int       `json:"revision"`
	UnitID        int64     `json:"unit_id" doc:"被测评地区（数据指标按其下级计算）"`
	UnitName      string    `json:"unit_name"`
	PeriodFrom    string    `json:"period_from"`
	PeriodTo      string    `json:"period_to"`
	Status        string    `json:"status"`
	StatusLabel   string    `json:"status_label"`
	ClosedOn      string    `json:"closed_on"`
	FiguresAt     string    `json:"figures_at" doc:"数据指标最近计算时间"`
	CreatedBy     int64     `json:"created_by"`
	CreatedAt     time.Time `json:"created_at"`
	Version       int64     `json:"version"`
	unitPath      string
}

// Assignment is one indicator of a campaign broken down to a lead unit.
type Assignment struct {
	ID              int64     `json:"id"`
	CampaignID      int64     `json:"campaign_id"`
	ItemID          int64     `json:"item_id"`
	ItemCode        string    `json:"item_code"`
	ItemTitle       string    `json:"item_title"`
	Kind            string    `json:"kind"`
	Method          string    `json:"method"`
	Points          float64   `json:"points"`
	FigureCode      string    `json:"figure_code"`
	UnitID          int64     `json:"unit_id" doc:"牵头单位"`
	UnitName        string    `json:"unit_name"`
	Supporting      []int64   `json:"supporting" doc:"配合单位"`
	SupportingNames string    `json:"supporting_names"`
	DueOn           string    `json:"due_on" doc:"完成时限"`
	Overdue         bool      `json:"overdue"`
	Status          string    `json:"status"`
	StatusLabel     string    `json:"status_label"`
	Checked         []bool    `json:"checked" doc:"佐证清单各项是否达成"`
	Occurrences     int       `json:"occurrences" doc:"按次扣分：发生次数"`
	SelfScore       *float64  `json:"self_score" doc:"自评分"`
	SelfNote        string    `json:"self_note" doc:"自评说明"`
	VetoFailed      bool      `json:"veto_failed" doc:"一票否决项：未达标"`
	AutoValue       *float64  `json:"auto_value" doc:"绑定数据指标的实时值"`
	AutoScore       *float64  `json:"auto_score" doc:"按实时数据计算的得分"`
	AutoNote        string    `json:"auto_note"`
	AutoLink        string    `json:"auto_link" doc:"数据指标背后的记录"`
	Score           *float64  `json:"score" doc:"当前得分：定分后为最终得分，否则为按规则试算的得分"`
	FinalScore      *float64  `json:"final_score"`
	Overridden      bool      `json:"overridden" doc:"人工调整了得分"`
	OverrideReason  string    `json:"override_reason"`
	ReviewNote      string    `json:"review_note"`
	ReviewDue       string    `json:"review_due" doc:"复核期限（按工作日历计算）"`
	Rounds          int       `json:"rounds" doc:"提交复核次数"`
	EvidenceCount   int       `json:"evidence_count"`
	UpdatedAt       time.Time `json:"updated_at"`
	Version         int64     `json:"version"`

	unitPath string
	checked  string
	flow     string
	campaign int64
}

// Evidence is one piece of evidence of an assignment with its effective
// period.
type Evidence struct {
	ID           int64  `json:"id"`
	AssignmentID int64  `json:"assignment_id"`
	FileID       int64  `json:"file_id"`
	Name         string `json:"name"`
	ValidFrom    string `json:"valid_from" doc:"有效期起"`
	ValidTo      string `json:"valid_to" doc:"有效期止"`
	ReusedFrom   int64  `json:"reused_from" doc:"沿用的上年材料所在任务"`
	Stale        bool   `json:"stale" doc:"有效期未覆盖本次测评期间"`
	Warning      string `json:"warning"`
}

// Event is one line of an assignment's timeline.
type Event struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"`
	Label     string    `json:"label"`
	Note      string    `json:"note"`
}

// Actions of the timeline.
var Actions = []Option{{Value: "assign", Label: "任务分解"}, {Value: "evidence", Label: "上传佐证材料"}, {Value: "reuse", Label: "沿用上年材料"},
	{Value: "self", Label: "自评"}, {Value: "submit", Label: "提交复核"}, {Value: "approve", Label: "复核通过并定分"},
	{Value: "return", Label: "退回修改"}, {Value: "override", Label: "人工调整得分"}, {Value: "auto", Label: "按实时数据计分"}}
