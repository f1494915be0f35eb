package legalreview

import (
	"time"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/workflow"
)

// Label returns the Chinese name of a kind.
func (k Kind) Label() string {
	switch k {
	case KindDecision:
		return "重大行政决策"
	case KindNormdoc:
		return "规范性文件"
	case KindContract:
		return "合同协议"
	case KindPolicy:
		return "涉企政策措施"
	case KindEnforcement:
		return "重大执法决定"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k.Label() != string(k) }

// Kinds lists every kind in display order.
var Kinds = []Kind{KindDecision, KindNormdoc, KindContract, KindPolicy, KindEnforcement}

// Status is where a review stands.
type Status string

const (
	StatusReviewing  Status = "reviewing"  // the chain is running
	StatusConcluding Status = "concluding" // the chain is done; the conclusion and opinion letter are due
	StatusConcluded  Status = "concluded"  // 已办结: conclusion given, opinion letter numbered
	StatusWithdrawn  Status = "withdrawn"  // 已撤回 by the requester
)

// Label returns the Chinese name of a status.
func (s Status) Label() string {
	switch s {
	case StatusReviewing:
		return "审查中"
	case StatusConcluding:
		return "待出具意见"
	case StatusConcluded:
		return "已办结"
	case StatusWithdrawn:
		return "已撤回"
	}
	return string(s)
}

// Statuses lists every status in display order.
var Statuses = []Status{StatusReviewing, StatusConcluding, StatusConcluded, StatusWithdrawn}

// Conclusion is the review's result.
type Conclusion string

const (
	ConclusionPassed            Conclusion = "passed"              // 审查通过
	ConclusionPassedWithChanges Conclusion = "passed_with_changes" // 修改后通过
	ConclusionFailed            Conclusion = "failed"              // 审查不通过
)

// Label returns the Chinese name of a conclusion.
func (c Conclusion) Label() string {
	switch c {
	case ConclusionPassed:
		return "审查通过"
	case ConclusionPassedWithChanges:
		return "修改后通过"
	case ConclusionFailed:
		return "审查不通过"
	}
	return string(c)
}

// Valid reports whether c is a known conclusion.
func (c Conclusion) Valid() bool { return c.Label() != string(c) }

// Adoption is the requester's answer to one opinion item.
type Adoption string

const (
	AdoptionNone     Adoption = ""         // not yet recorded
	AdoptionAdopted  Adoption = "adopted"  // 采纳
	AdoptionPartial  Adoption = "partial"  // 部分采纳
	AdoptionRejected Adoption = "rejected" // 未采纳
)

// Label returns the Chinese name of an adoption answer.
func (a Adoption) Label() string {
	switch a {
	case AdoptionNone:
		return "未反馈"
	case AdoptionAdopted:
		return "采纳"
	case AdoptionPartial:
		return "部分采纳"
	case AdoptionRejected:
		return "未采纳"
	}
	return string(a)
}

// Review is one legality review request.
type Review struct {
	ID             int64      `json:"id"`
	Kind           Kind       `json:"kind"`
	KindLabel      string     `json:"kind_label"`
	Title          string     `json:"title"`
	UnitID         int64      `json:"unit_id"`
	UnitName       string     `json:"unit_name"`
	SubjectType    string     `json:"subject_type"`
	SubjectID      int64      `json:"subject_id"`
	Summary        string     `json:"summary"`
	FileIDs        []int64    `json:"file_ids"`
	RequesterID    int64      `json:"requester_id"`
	RequesterName  string     `json:"requester_name"`
	Status         Status     `json:"status"`
	StatusLabel    string     `json:"status_label"`
	Conclusion     Conclusion `json:"conclusion"`
	ConclusionText string     `json:"conclusion_text" doc:"综合审查意见"`
	SubmittedOn    string     `json:"submitted_on" doc:"提交审查日期"`
	MinOn          string     `json:"min_on" doc:"审查时间不少于7个工作日，最早完成日期"`
	RequestedBy    string     `json:"requested_by" doc:"送审单位要求的完成日期"`
	DueOn          string     `json:"due_on" doc:"审查时限截止日期"`
	DueExplain     string     `json:"due_explain" doc:"审查时限的计算说明"`
	FinishedOn     string     `json:"finished_on"`
	OnTime         *bool      `json:"on_time,omitempty" doc:"办结时是否在审查时限内"`
	Early          bool       `json:"early" doc:"未满最少审查时间（min_on 之前）提前办结"`
	EarlyReason    string     `json:"early_reason" doc:"提前办结的紧急事由"`
	EarlyApprover  string     `json:"early_approver" doc:"批准提前办结的负责人"`
	ChainID        int64      `json:"chain_id"`
	ChainName      string     `json:"chain_name"`
	ReviewerUnitID int64      `json:"reviewer_unit_id"`
	Pending        []int64    `json:"pending" doc:"当前待办人员"`
	CurrentStep    string     `json:"current_step" doc:"当前审查环节"`
	ReturnTo       []StepRef  `json:"return_to" doc:"当前环节可退回的环节"`
	ConcludedBy    string     `json:"concluded_by"`
	ConcludedAt    *time.Time `json:"concluded_at,omitempty" doc:"出具审查结论（意见书）的时间；早期记录为空"`
	OpinionNo      string     `json:"opinion_no" doc:"法律审查意见书文号"`
	FeedbackAt     *time.Time `json:"feedback_at,omitempty" doc:"送审单位最近一次反馈采纳情况的时间"`
	Version        int64      `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`

	Opinions []Opinion `json:"opinions,omitempty"`
	Checks   []Check   `json:"checks,omitempty" doc:"公平竞争审查自查表"`

	unitPath string
	clock    calendar.Clock
	workflow *workflow.Instance
	year     int
	seq      int
}

// StepRef names a chain step.
type StepRef struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Opinion is one opinion item and how the requester answered it.
type Opinion struct {
	ID             int64      `json:"id"`
	Seq            int        `json:"seq"`
	Text           string     `json:"text"`
	Adoption       Adoption   `json:"adoption"`
	AdoptionLabel  string     `json:"adoption_label"`
	AdoptionReason string     `json:"adoption_reason"`
	AdoptedBy      string     `json:"adopted_by"`
	AdoptedAt      *time.Time `json:"adopted_at,omitempty"`
}

// Standard is one item of the fair-competition review standards.
type Standard struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Category string `json:"category"`
	Text     string `json:"text"`
	Basis    string `json:"basis"`
	Sort     int    `json:"sort"`
	Active   bool   `json:"active"`
	Version  int64  `json:"version"`
}

// Check answers.
const (
	AnswerComply   = "comply"  // 不涉及该情形
	AnswerViolate  = "violate" // 涉及，须说明（适用例外情形）
	AnswerNotApply = "na"      // 不适用
)

// AnswerLabel returns the Chinese name of a checklist answer.
func AnswerLabel(a string) string {
	switch a {
	case AnswerComply:
		return "不含该内容"
	case AnswerViolate:
		return "含有该内容"
	case AnswerNotApply:
		return "不适用"
	}
	return a
}

// Check is one answered checklist item of a policy review.
type Check struct {
	StandardID  int64  `json:"standard_id"`
	Category    string `json:"category"`
	Text        string `json:"text"`
	Answer      string `json:"answer" enum:"comply,violate,na"`
	AnswerLabel string `json:"answer_label"`
	Note        string `json:"note"`
}

// Chain is a configured review chain.
type Chain struct {
	ID             int64               `json:"id"`
	Code           string              `json:"code"`
	Name           string              `json:"name"`
	UnitID         int64               `json:"unit_id" doc:"0 表示适用于所有单位"`
	Kind           string              `json:"kind" doc:"空表示适用于所有审查类型"`
	ReviewerUnitID int64               `json:"reviewer_unit_id" doc:"审查机构（出具意见书的单位）"`
	NumberPrefix   string              `json:"number_prefix" doc:"意见书文号前缀，如 清河司审"`
	Definition     workflow.Definition `json:"definition"`
	Version        int64               `json:"version"`
}

// TimelineEntry is one line of a review's timeline: the chain's events,
// then the opinion letter (action "conclude") and the requester's adoption
// feedback (action "adopt"). At is zero only for a conclusion recorded
// before its time was kept; Date then gives its day.
type TimelineEntry struct {
	At      time.Time `json:"at,omitzero"`
	Date    string    `json:"date,omitempty" doc:"只知道日期时的日期（YYYY-MM-DD）"`
	Action  string    `json:"action"`
	Label   string    `json:"label"`
	Step    string    `json:"step"`
	Actor   string    `json:"actor"`
	Opinion string    `json:"opinion"`
	Target  string    `json:"target,omitempty"`
	To      []string  `json:"to,omitempty"`
	DueAt   time.Time `json:"due_at,omitzero"`
	Early   string    `json:"early,omitempty" doc:"提前办结的说明（紧急事由、批准人）"`
}

// Task is one pending review task of the actor.
type Task struct {
	ReviewID  int64     `json:"review_id"`
	Title     string    `json:"title"`
	Kind      Kind      `json:"kind"`
	KindLabel string    `json:"kind_label"`
	UnitName  string    `json:"unit_name"`
	Step      string    `json:"step"`
	StepDue   time.Time `json:"step_due,omitzero"`
	DueOn     string    `json:"due_on"`
}
