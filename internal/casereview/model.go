// Package casereview is 案卷评查 and 行政执法监督: rubrics kept as data
// (veto items, sections with point caps, itemised deductions, configurable
// grade cut-offs), review plans whose case files are drawn from the closed
// cases of the enforcement register with the verifiable draw of
// platform/draw (commitment first, seed revealed with the result), cross
// review with recusal (a reviewer never gets a file of their own unit),
// scores per file with every problem raised in the findings ledger, unit
// rankings and the plan's review report (Word); supervision notices
// (行政执法监督意见书/建议书) numbered per year without gaps, with a reply
// deadline (calendar rule casereview.notice_reply), the body's reply, the
// rectification tracked through the findings ledger and escalation when
// the reply is overdue; enforcement monitors and enterprise contact points
// with their feedback. The enforcement register is reached through the
// small Enforcement interface adapted in internal/app.
package casereview

import (
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/option"
)

// Permissions.
const (
	PermRead   = "casereview.read"
	PermWrite  = "casereview.write"
	PermManage = "casereview.manage"
)

func init() {
	auth.RegisterPerms("casereview", map[string]string{
		PermRead:   "查看案卷评查与执法监督",
		PermWrite:  "答复监督意见书、登记本单位企业联系点及反馈",
		PermManage: "组织案卷评查（评查标准、计划、抽取、评分）、签发监督意见书、管理执法监督员",
	})
}

// RuleNoticeReply is the calendar rule of a body's reply to a notice.
const RuleNoticeReply = "casereview.notice_reply"

// Option is a code with its Chinese label.
type Option = option.Option

func labelOf(opts []Option, v string) string { return option.Label(opts, v) }

// Plan statuses.
const (
	StatusDraft     = "draft"
	StatusCommitted = "committed"
	StatusDrawn     = "drawn"
)

// PlanStatuses with labels.
var PlanStatuses = []Option{{Value: StatusDraft, Label: "编制中"}, {Value: StatusCommitted, Label: "已公布名录承诺"}, {Value: StatusDrawn, Label: "已抽取"}}

// File statuses.
const (
	FilePending = "pending"
	FileScored  = "scored"
)

// FileStatuses with labels.
var FileStatuses = []Option{{Value: FilePending, Label: "待评查"}, {Value: FileScored, Label: "已评查"}}

// Notice kinds.
var NoticeKinds = []Option{{Value: "opinion", Label: "行政执法监督意见书"}, {Value: "suggestion", Label: "行政执法监督建议书"}}

// Notice statuses.
const (
	NoticeIssued  = "issued"
	NoticeReplied = "replied"
)

// NoticeStatuses with labels.
var NoticeStatuses = []Option{{Value: NoticeIssued, Label: "待答复"}, {Value: NoticeReplied, Label: "已答复"}}

// FeedbackSources with labels.
var FeedbackSources = []Option{{Value: "monitor", Label: "特邀行政执法监督员"}, {Value: "contact", Label: "企业联系点"}}

// Plan is a case-file review plan.
type Plan struct {
	ID             int64    `json:"id"`
	Code           string   `json:"code"`
	Year           int      `json:"year"`
	Title          string   `json:"title"`
	UnitID         int64    `json:"unit_id" doc:"组织单位"`
	UnitName       string   `json:"unit_name"`
	RubricID       int64    `json:"rubric_id"`
	RubricName     string   `json:"rubric_name"`
	PerUnit        int      `json:"per_unit" doc:"每个被评查单位抽取案卷数"`
	PerFile        int      `json:"per_file" doc:"每卷评查人数"`
	UnitIDs        []int64  `json:"unit_ids" doc:"被评查单位"`
	UnitNames      []string `json:"unit_names"`
	Reviewers      int      `json:"reviewers" doc:"评查人员数"`
	Status         string   `json:"status"`
	StatusLabel    string   `json:"status_label"`
	SnapshotSHA256 string   `json:"snapshot_sha256"`
	SeedSHA256     string   `json:"seed_sha256" doc:"种子承诺值（SHA-256）"`
	Seed           string   `json:"seed" doc:"抽取后公开的种子；抽取前为空"`
	CommittedAt    string   `json:"committed_at"`
	DrawnAt        string   `json:"drawn_at"`
	Files          int      `json:"files"`
	Scored         int      `json:"scored"`
	Version        int64    `json:"version"`
	unitPath       string
	seed           string
}

// Reviewer is one member of a plan's reviewer pool.
type Reviewer struct {
	OfficerID int64  `json:"officer_id"`
	Name      string `json:"name"`
	UnitID    int64  `json:"unit_id"`
	UnitName  string `json:"unit_name"`
}

// File is one drawn case file.
type File struct {
	ID          int64     `json:"id"`
	PlanID      int64     `json:"plan_id"`
	PlanCode    string    `json:"plan_code"`
	PlanTitle   string    `json:"plan_title"`
	Seq         int       `json:"seq"`
	CaseID      int64     `json:"case_id"`
	CaseCode    string    `json:"case_code"`
	CaseTitle   string    `json:"case_title"`
	BodyName    string    `json:"body_name"`
	ClosedOn    string    `json:"closed_on"`
	UnitID      int64     `json:"unit_id" doc:"被评查单位"`
	UnitName    string    `json:"unit_name"`
	Reviewers   string    `json:"reviewers" doc:"评查人员，顿号分隔"`
	ReviewerIDs []int64   `json:"reviewer_ids"`
	Status      string    `json:"status"`
	StatusLabel string    `json:"status_label"`
	Score       int       `json:"score"`
	Grade       string    `json:"grade"`
	GradeLabel  string    `json:"grade_label"`
	Vetoed      bool      `json:"vetoed"`
	Problems    int       `json:"problems" doc:"发现问题数（否决项与扣分项）"`
	Scoring     *Scored   `json:"scoring,omitempty"`
	Comment     string    `json:"comment"`
	ReviewedOn  string    `json:"reviewed_on"`
	Findings    []Problem `json:"findings,omitempty"`
	Version     int64     `json:"version"`
	unitPath    string
	planPath    string
	scoring     string
}

// Problem is one problem found in a file, with its finding.
type Problem struct {
	Kind      string `json:"kind" doc:"veto 否决项；deduction 扣分项"`
	ItemCode  string `json:"item_code"`
	ItemText  string `json:"item_text"`
	Points    int    `json:"points"`
	Reason    string `json:"reason"`
	FindingID int64  `json:"finding_id"`
}

// Ranking is one unit's row of a plan's ranking.
type Ranking struct {
	Rank      int     `json:"rank"`
	UnitID    int64   `json:"unit_id"`
	UnitName  string  `json:"unit_name"`
	Files     int     `json:"files"`
	Scored    int     `json:"scored"`
	Average   float64 `json:"average" doc:"已评查案卷平均分"`
	Excellent int     `json:"excellent"`
	Pass      int     `json:"pass"`
	Fail      int     `json:"fail"`
	Problems  int     `json:"problems"`
}

// Notice is a supervision notice.
type Notice struct {
	ID             int64        `json:"id"`
	Number         string       `json:"number" doc:"文号"`
	Year           int          `json:"year"`
	Kind           string       `json:"kind"`
	KindLabel      string       `json:"kind_label"`
	UnitID         int64        `json:"unit_id"`
	UnitName       string       `json:"unit_name"`
	BodyID         int64        `json:"body_id"`
	BodyName       string       `json:"body_name"`
	IssuerName     string       `json:"issuer_name"`
	Subject        string       `json:"subject" doc:"事由"`
	Basis          string       `json:"basis" doc:"依据"`
	Requirement    string       `json:"requirement" doc:"整改要求"`
	IssuedOn       string       `json:"issued_on"`
	ReplyDue       string       `json:"reply_due"`
	DueExplain     string       `json:"due_explain"`
	Status         string       `json:"status"`
	StatusLabel    string       `json:"status_label"`
	RepliedOn      string       `json:"replied_on"`
	Reply          string       `json:"reply"`
	RepliedOnTime  bool         `json:"replied_on_time"`
	Overdue        bool         `json:"overdue" doc:"超过答复期限仍未答复"`
	EscalatedOn    string       `json:"escalated_on" doc:"逾期督办日期"`
	Items          []NoticeItem `json:"items"`
	Rectified      int          `json:"rectified" doc:"已整改销号的问题数"`
	Version        int64        `json:"version"`
	unitPath       string
	escalationFind int64
	issuerUnitID   int64
}

// NoticeItem is one finding stated in a notice.
type NoticeItem struct {
	Seq         int    `json:"seq"`
	Text        string `json:"text"`
	FindingID   int64  `json:"finding_id"`
	FindingCode string `json:"finding_code"`
	Status      string `json:"status" doc:"问题台账中的状态"`
	StatusLabel string `json:"status_label"`
}

// Monitor is a 特邀行政执法监督员.
type Monitor struct {
	ID          int64  `json:"id"`
	UnitID      int64  `json:"unit_id" doc:"聘任单位"`
	UnitName    string `json:"unit_name"`
	Name        string `json:"name"`
	Workplace   string `json:"workplace" doc:"工作单位"`
	Identity    string `json:"identity" doc:"身份（人大代表、政协委员、律师、企业代表等）"`
	Phone       string `json:"phone"`
	AppointedOn string `json:"appointed_on"`
	TermEnd     string `json:"term_end"`
	Active      bool   `json:"active" doc:"在聘期内"`
	Feedback    int    `json:"feedback"`
	Version     int64  `json:"version"`
	unitPath    string
}

// Contact is an enterprise contact point (涉企行政执法监督联系点).
type Contact struct {
	ID            int64  `json:"id"`
	UnitID        int64  `json:"unit_id" doc:"联系单位"`
	UnitName      string `json:"unit_name"`
	Name          string `json:"name" doc:"企业名称"`
	CreditCode    string `json:"credit_code"`
	ContactPerson string `json:"contact_person"`
	Phone         string `json:"phone"`
	EstablishedOn string `json:"established_on"`
	Feedback      int    `json:"feedback"`
	Version       int64  `json:"version"`
	unitPath      string
}

// Feedback is one feedback record of a monitor or a contact point.
type Feedback struct {
	ID          int64  `json:"id"`
	Source      string `json:"source"`
	SourceLabel string `json:"source_label"`
	MonitorID   int64  `json:"monitor_id"`
	ContactID   int64  `json:"contact_id"`
	SourceName  string `json:"source_name"`
	UnitID      int64  `json:"unit_id" doc:"涉及单位"`
	UnitName    string `json:"unit_name"`
	ReceivedOn  string `json:"received_on"`
	Content     string `json:"content"`
	Handling    string `json:"handling"`
	FindingID   int64  `json:"finding_id"`
	Version     int64  `json:"version"`
	unitPath    string
}
