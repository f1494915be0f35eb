// Package report is the annual rule-of-law government report (法治政府建设
// 年度报告, DOMAIN.md §2.7): generated for a year and a government or a
// department in the five required parts from a template whose paragraphs
// carry figure placeholders ({{metric.code}}) filled from the metric
// registry, each figure keeping its source; narrative editable; approval
// through a review chain (platform/workflow) with every submission frozen
// as a version that can be compared; Word in 公文 layout and PDF; publication
// on the portal; reminders for the 1 March and 1 April deadlines.
package report

import (
	"time"

	"fazhi/internal/platform/workflow"
)

// Permissions.
const (
	PermRead    = "report.read"
	PermWrite   = "report.write"
	PermApprove = "report.approve"
	PermPublish = "report.publish"
)

// Kinds of report: a government's (the district) or a department's.
const (
	KindGovernment = "government"
	KindDepartment = "department"
)

// KindLabel is the Chinese name of a kind.
func KindLabel(k string) string {
	if k == KindGovernment {
		return "政府年度报告"
	}
	return "部门年度报告"
}

// Status of a report.
const (
	StatusDraft     = "draft"     // 起草中: editable
	StatusReviewing = "reviewing" // 审核中: the chain is running, frozen
	StatusReturned  = "returned"  // 退回修改: editable, resubmit
	StatusApproved  = "approved"  // 已审定: may be published
	StatusPublished = "published" // 已公布
)

// StatusLabel is the Chinese name of a status.
func StatusLabel(s string) string {
	switch s {
	case StatusDraft:
		return "起草中"
	case StatusReviewing:
		return "审核中"
	case StatusReturned:
		return "退回修改"
	case StatusApproved:
		return "已审定"
	case StatusPublished:
		return "已公布"
	}
	return s
}

// Paragraph is one narrative paragraph. Text keeps the placeholders
// ({{metric.code}}); Rendered has them replaced by the figures' values.
type Paragraph struct {
	Key      string `json:"key" doc:"段落标识（模板中固定）"`
	Text     string `json:"text" doc:"段落文字，指标以 {{指标代码}} 占位"`
	Edited   bool   `json:"edited" doc:"经人工修改：重新生成时保留文字，只刷新指标"`
	Rendered string `json:"rendered" doc:"填入指标数值后的文字"`
	// Parts is Rendered split into text and figures, for the page's hovers.
	Parts []Part `json:"parts"`
}

// Part is a run of a rendered paragraph: plain text, or one figure.
type Part struct {
	Text string `json:"text"`
	Code string `json:"code,omitempty" doc:"指标代码（为指标时）"`
}

// Section is one of the five parts; Sub are its second-level headings
// (（一）…), each with paragraphs, or the section's own paragraphs.
type Section struct {
	Key        string      `json:"key"`
	Heading    string      `json:"heading" doc:"标题（不含序号）"`
	Paragraphs []Paragraph `json:"paragraphs"`
	Sub        []Section   `json:"sub,omitempty"`
}

// Source is where a filled figure came from: the metric and the query it
// was computed for.
type Source struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Unit        string  `json:"unit"`
	Value       float64 `json:"value"`
	Numerator   int     `json:"numerator"`
	Denominator int     `json:"denominator"`
	NoData      bool    `json:"no_data"`
	Text        string  `json:"text" doc:"填入报告的文字，如 96.3%、125件"`
	From        string  `json:"from" doc:"统计期间起"`
	To          string  `json:"to" doc:"统计期间止"`
	UnitID      int64   `json:"unit_id" doc:"统计单位（含下级）"`
	UnitName    string  `json:"unit_name"`
	Link        string  `json:"link" doc:"指标背后的记录"`
	Definition  string  `json:"definition" doc:"口径"`
	Missing     bool    `json:"missing,omitempty" doc:"指标目录中没有该指标"`
}

// Report is one annual report.
type Report struct {
	ID          int64             `json:"id"`
	UnitID      int64             `json:"unit_id"`
	UnitName    string            `json:"unit_name"`
	Year        int               `json:"year"`
	Kind        string            `json:"kind"`
	KindLabel   string            `json:"kind_label"`
	Title       string            `json:"title"`
	Status      string            `json:"status"`
	StatusLabel string            `json:"status_label"`
	GeneratedAt time.Time         `json:"generated_at" doc:"指标最近一次生成的时间"`
	Note        string            `json:"note" doc:"内部备注（不公开）"`
	Versions    int               `json:"versions" doc:"已提交的版本数"`
	PublishedNo int               `json:"published_no" doc:"已公布的版本号"`
	PublishedAt *time.Time        `json:"published_at,omitempty"`
	CreatedBy   int64             `json:"created_by"`
	Version     int64             `json:"version"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	Sections    []Section         `json:"sections,omitempty"`
	Figures     map[string]Source `json:"figures,omitempty"`

	unitPath string
	// flows are the review chains, one per submission (version); flow is
	// the last, the one that decides the status.
	flows []*workflow.Instance
	flow  *workflow.Instance
}

// VersionRef is one frozen submission.
type VersionRef struct {
	Seq         int       `json:"seq"`
	Title       string    `json:"title"`
	Submitter   string    `json:"submitter"`
	SubmittedAt time.Time `json:"submitted_at"`
	Published   bool      `json:"published"`
}

// FrozenVersion is a submission's whole text.
type FrozenVersion struct {
	VersionRef
	Sections []Section         `json:"sections"`
	Figures  map[string]Source `json:"figures"`
}

// Task is one person's step in the review chain, as shown on the page.
type Task struct {
	Step     string     `json:"step"`
	StepName string     `json:"step_name"`
	Assignee string     `json:"assignee"`
	Status   string     `json:"status"`
	Label    string     `json:"label"`
	Opinion  string     `json:"opinion"`
	ActedAt  *time.Time `json:"acted_at,omitempty"`
	Round    int        `json:"round" doc:"第几次提交（审核的版本号）"`
}

// Detail is a report with its chain and versions for the page.
type Detail struct {
	Report
	Flow        []Task       `json:"flow" doc:"审核流程各步骤办理情况"`
	FlowStatus  string       `json:"flow_status" doc:"审核流程状态"`
	History     []VersionRef `json:"history" doc:"已提交的版本"`
	CanEdit     bool         `json:"can_edit"`
	CanSubmit   bool         `json:"can_submit"`
	CanAct      bool         `json:"can_act" doc:"当前用户有待办的审核任务"`
	CanPublish  bool         `json:"can_publish"`
	CurrentStep string       `json:"current_step"`
	Deadline    string       `json:"deadline" doc:"本报告的法定期限（部门 3 月 1 日前报送，政府 4 月 1 日前公布）"`
	DeadlineFor string       `json:"deadline_for"`
	// DeadlineNote warns when the calendar has no holiday schedule for the
	// deadline's year (the date may still move).
	DeadlineNote string `json:"deadline_note,omitempty"`
}
