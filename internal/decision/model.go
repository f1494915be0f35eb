// Package decision runs major administrative decisions (重大行政决策) through
// the steps of 《重大行政决策程序暂行条例》 (国务院令第713号): the yearly
// catalogue, start, drafting, public participation, expert review, risk
// assessment, legality review, collective decision, report to the party
// committee, publication, implementation, post-decision evaluation and
// archive. The step table below is the procedure; the Service enforces it.
package decision

import (
	"encoding/json"
	"slices"
)

// Step names one step of the procedure.
type Step string

const (
	StepStart          Step = "start"
	StepDraft          Step = "draft"
	StepConsultation   Step = "consultation"
	StepExpert         Step = "expert"
	StepRisk           Step = "risk"
	StepLegalReview    Step = "legal_review"
	StepCollective     Step = "collective"
	StepPartyReport    Step = "party_report"
	StepPublication    Step = "publication"
	StepImplementation Step = "implementation"
	StepEvaluation     Step = "evaluation"
	StepArchive        Step = "archive"
)

// StepDef is one row of the procedure table.
type StepDef struct {
	Step  Step   `json:"step"`
	Label string `json:"label"`
	Basis string `json:"basis"`
	// Requires lists the steps that must be done (or lawfully marked not
	// required) before this one may be recorded.
	Requires []Step `json:"requires"`
	// Skippable steps may be marked not required with a recorded reason.
	Skippable bool   `json:"skippable"`
	SkipNote  string `json:"skip_note,omitempty"`
	// Optional steps are not needed to finish the procedure (post-evaluation
	// is a "may" in art. 35).
	Optional bool `json:"optional"`
	// Missing gives the refusal message when a prerequisite is not met;
	// prerequisites without one get a generic message naming both steps.
	Missing map[Step]string `json:"-"`
}

// Procedure is the regulation as a table, in the order the steps are taken.
var Procedure = []StepDef{
	{Step: StepStart, Label: "决策启动", Basis: "第十条、第十一条：决策机关决定启动并明确决策承办单位"},
	{Step: StepDraft, Label: "拟订决策草案", Basis: "第十二条、第十三条：调查研究、成本效益分析，意见分歧较大的提出两个以上方案", Requires: []Step{StepStart}},
	{Step: StepConsultation, Label: "公众参与", Basis: "第十四条至第十八条：公开征求意见期限一般不少于30日，反馈意见采纳情况", Requires: []Step{StepDraft},
		Skippable: true, SkipNote: "依法不予公开等情形，需说明理由"},
	{Step: StepExpert, Label: "专家论证", Basis: "第十九条至第二十一条：专业性、技术性较强的事项应当组织专家论证，专家书面意见署名", Requires: []Step{StepDraft},
		Skippable: true, SkipNote: "不属于专业性、技术性较强的事项"},
	{Step: StepRisk, Label: "风险评估", Basis: "第二十二条至第二十四条：可能影响社会稳定、公共安全的，应当进行风险评估", Requires: []Step{StepDraft},
		Skippable: true, SkipNote: "经研判不存在社会稳定、公共安全等方面风险"},
	{Step: StepLegalReview, Label: "合法性审查", Basis: "第二十五条至第二十八条：提交集体讨论前应当进行合法性审查，审查时间一般不少于7个工作日",
		Requires: []Step{StepDraft, StepConsultation, StepExpert, StepRisk},
		Missing:  map[Step]string{StepDraft: "决策草案尚未拟订，不得送请合法性审查"}},
	{Step: StepCollective, Label: "集体讨论决定", Basis: "第二十九条、第三十条：常务会议或者全体会议讨论，行政首长最后发表意见并作出决定", Requires: []Step{StepLegalReview},
		Missing: map[Step]string{StepLegalReview: MsgNoLegalReview}},
	{Step: StepPartyReport, Label: "党委请示报告", Basis: "第三十一条：决策出台前按照规定向同级党委请示报告", Requires: []Step{StepCollective},
		Missing: map[Step]string{StepCollective: "决策尚未经集体讨论决定，不能向党委请示报告"}},
	{Step: StepPublication, Label: "决策公布", Basis: "第三十二条：通过政府公报、政府网站和本行政区域内的报刊等途径向社会公布", Requires: []Step{StepCollective, StepPartyReport},
		Missing: map[Step]string{StepCollective: "决策未经集体讨论决定，不得公布", StepPartyReport: "决策出台前未向同级党委请示报告，不得公布"}},
	{Step: StepImplementation, Label: "决策执行", Basis: "第三十四条：明确决策执行单位，跟踪执行情况", Requires: []Step{StepPublication},
		Missing: map[Step]string{StepPublication: "决策尚未公布，不能登记执行情况"}},
	{Step: StepEvaluation, Label: "决策后评估", Basis: "第三十五条、第三十六条：可以委托第三方评估，不得委托原评估机构", Requires: []Step{StepPublication}, Optional: true,
		Missing: map[Step]string{StepPublication: "决策尚未公布实施，不能开展决策后评估"}},
	{Step: StepArchive, Label: "立卷归档", Basis: "第三十三条：决策过程记录和材料归档", Requires: []Step{StepPublication},
		Missing: map[Step]string{StepPublication: "决策尚未公布，不得归档"}},
}

// MsgNoLegalReview is the refusal of art. 28.
const MsgNoLegalReview = "未经合法性审查或审查未通过，不得提交集体讨论决定"

// Def returns the table row of s.
func Def(s Step) (StepDef, bool) {
	i := slices.IndexFunc(Procedure, func(d StepDef) bool { return d.Step == s })
	if i < 0 {
		return StepDef{}, false
	}
	return Procedure[i], true
}

// Label returns the Chinese name of s.
func (s Step) Label() string {
	if d, ok := Def(s); ok {
		return d.Label
	}
	return string(s)
}

// StepState is how far one step is.
type StepState string

const (
	StatePending     StepState = "pending"      // not started
	StateInProgress  StepState = "in_progress"  // started, not finished (consultation open, review pending)
	StateDone        StepState = "done"         // finished
	StateNotRequired StepState = "not_required" // lawfully not required, reason recorded
)

// Label returns the Chinese name of the state.
func (s StepState) Label() string {
	switch s {
	case StateInProgress:
		return "进行中"
	case StateDone:
		return "已完成"
	case StateNotRequired:
		return "无需进行"
	}
	return "未开始"
}

// Satisfied reports whether a later step may rely on this one.
func (s StepState) Satisfied() bool { return s == StateDone || s == StateNotRequired }

// Status is the state of a whole decision.
type Status string

const (
	StatusActive    Status = "active"    // going through the procedure
	StatusPublished Status = "published" // adopted and published
	StatusRejected  Status = "rejected"  // the collective decision did not adopt it
	StatusArchived  Status = "archived"  // archived
)

// Label returns the Chinese name of the status.
func (s Status) Label() string {
	switch s {
	case StatusActive:
		return "办理中"
	case StatusPublished:
		return "已公布"
	case StatusRejected:
		return "未通过"
	case StatusArchived:
		return "已归档"
	}
	return string(s)
}

// Consultation is where public consultation stands (portal visibility).
type Consultation string

const (
	ConsultNone   Consultation = "none"
	ConsultOpen   Consultation = "open"   // published on the portal, comments accepted in the window
	ConsultClosed Consultation = "closed" // period over, feedback published
)

// CatalogueStatus is the catalogue's approval state.
type CatalogueStatus string

const (
	CatalogueDraft     CatalogueStatus = "draft"
	CatalogueApproved  CatalogueStatus = "approved"
	CataloguePublished CatalogueStatus = "published"
)

// Label returns the Chinese name.
func (s CatalogueStatus) Label() string {
	switch s {
	case CatalogueDraft:
		return "草拟中"
	case CatalogueApproved:
		return "已审定"
	case CataloguePublished:
		return "已公布"
	}
	return string(s)
}

// Legality-review outcomes, as reported by the legalreview module.
const (
	ReviewNone              = "none"
	ReviewPending           = "pending"
	ReviewPassed            = "passed"
	ReviewPassedWithChanges = "passed_with_changes"
	ReviewFailed            = "failed"
)

// ReviewPassedStatus reports whether a legality-review outcome lets the
// draft go to collective decision.
func ReviewPassedStatus(s string) bool { return s == ReviewPassed || s == ReviewPassedWithChanges }

// ReviewLabel returns the Chinese name of a review outcome.
func ReviewLabel(s string) string {
	switch s {
	case ReviewPending:
		return "审查中"
	case ReviewPassed:
		return "审查通过"
	case ReviewPassedWithChanges:
		return "修改后通过"
	case ReviewFailed:
		return "审查未通过"
	}
	return "未送审"
}

// Category is a catalogue category with its kinds of matters.
type Category struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Kinds   []string `json:"kinds"`
	Sort    int      `json:"sort"`
	Active  bool     `json:"active"`
	Version int      `json:"version"`
}

// Catalogue is one government's decision catalogue for a year.
type Catalogue struct {
	ID            int64           `json:"id"`
	Year          int             `json:"year"`
	UnitID        int64           `json:"unit_id"`
	UnitName      string          `json:"unit_name"`
	Title         string          `json:"title"`
	Status        CatalogueStatus `json:"status"`
	StatusLabel   string          `json:"status_label"`
	PartyAgreedOn string          `json:"party_agreed_on"`
	PartyNote     string          `json:"party_note"`
	ApprovedBy    string          `json:"approved_by"`
	ApprovedAt    string          `json:"approved_at"`
	PublishedOn   string          `json:"published_on"`
	PublishedBy   string          `json:"published_by"`
	ItemCount     int             `json:"item_count"`
	Items         []CatalogueItem `json:"items,omitempty"`
	Version       int             `json:"version"`
	CreatedAt     string          `json:"created_at"`
	UpdatedAt     string          `json:"updated_at"`
}

// CatalogueItem is one matter in the catalogue.
type CatalogueItem struct {
	ID           int64  `json:"id"`
	CatalogueID  int64  `json:"catalogue_id"`
	CategoryID   int64  `json:"category_id"`
	CategoryName string `json:"category_name"`
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	UnitID       int64  `json:"unit_id"`
	UnitName     string `json:"unit_name"`
	Basis        string `json:"basis"`
	Planned      string `json:"planned"`
	Sort         int    `json:"sort"`
	Version      int    `json:"version"`
	// Decisions started from this item.
	DecisionIDs []int64 `json:"decision_ids"`
}

// Decision is one major administrative decision.
type Decision struct {
	ID                int64        `json:"id"`
	Code              string       `json:"code"`
	Title             string       `json:"title"`
	CatalogueItemID   int64        `json:"catalogue_item_id"`
	CatalogueItem     string       `json:"catalogue_item"`
	UnitID            int64        `json:"unit_id" doc:"决策承办单位"`
	UnitName          string       `json:"unit_name"`
	UnitPath          string       `json:"-"`
	DecisionBody      string       `json:"decision_body" doc:"决策机关"`
	BodyUnitID        int64        `json:"decision_body_unit_id" doc:"决策机关对应的单位（集体讨论决定、党委请示报告、决策公布由代表该单位的账号登记）"`
	Stage             Step         `json:"stage" doc:"当前所处步骤"`
	StageLabel        string       `json:"stage_label"`
	Status            Status       `json:"status"`
	StatusLabel       string       `json:"status_label"`
	StartedOn         string       `json:"started_on"`
	Consultation      Consultation `json:"consultation"`
	CommentStart      string       `json:"comment_start"`
	CommentEnd        string       `json:"comment_end"`
	PublicSummary     string       `json:"public_summary"`
	PublicFeedback    string       `json:"public_feedback"`
	LegalReviewID     int64        `json:"legal_review_id"`
	LegalReviewStatus string       `json:"legal_review_status"`
	LegalReviewLabel  string       `json:"legal_review_label"`
	CollectiveOn      string       `json:"collective_on"`
	CollectiveReview  string       `json:"collective_review" doc:"集体讨论时的合法性审查结论"`
	PublishedOn       string       `json:"published_on"`
	PublicText        string       `json:"public_text"`
	ArchivedOn        string       `json:"archived_on"`
	CreatedBy         string       `json:"created_by"`
	Corrections       int          `json:"corrections"`
	Version           int          `json:"version"`
	CreatedAt         string       `json:"created_at"`
	UpdatedAt         string       `json:"updated_at"`
}

// StepRecord is what was recorded for one step.
type StepRecord struct {
	Step         Step            `json:"step"`
	State        StepState       `json:"state"`
	Data         json.RawMessage `json:"data"`
	FileIDs      []int64         `json:"file_ids"`
	DoneOn       string          `json:"done_on"`
	RecordedBy   string          `json:"recorded_by"`
	RecordedByID int64           `json:"recorded_by_id"`
	RecordedAt   string          `json:"recorded_at"`
}

// TimelineStep is one row of the detail page's timeline.
type TimelineStep struct {
	StepDef
	State      StepState       `json:"state"`
	StateLabel string          `json:"state_label"`
	Data       json.RawMessage `json:"data,omitempty"`
	FileIDs    []int64         `json:"file_ids"`
	DoneOn     string          `json:"done_on"`
	RecordedBy string          `json:"recorded_by"`
	RecordedAt string          `json:"recorded_at"`
	// Blocked names the unmet prerequisites (empty when the step may be recorded).
	Blocked []string `json:"blocked"`
}

// Detail is the decision with its whole procedure.
type Detail struct {
	Decision
	Timeline    []TimelineStep   `json:"timeline"`
	Opinions    []ExpertOpinion  `json:"opinions"`
	Progress    []ProgressReport `json:"progress"`
	Corrections []Correction     `json:"correction_list"`
	Comments    int              `json:"comment_count"`
}

// Step payloads, stored as decision_steps.data.

// StartData is 决策启动.
type StartData struct {
	Proposer string `json:"proposer" doc:"决策建议提出方"`
	Reason   string `json:"reason" doc:"启动理由、依据"`
	Approver string `json:"approver" doc:"决定启动的决策机关负责人或会议"`
}

// DraftData is 拟订决策草案.
type DraftData struct {
	Options         []string `json:"options" doc:"决策方案（意见分歧较大的应提出两个以上）"`
	CostBenefit     string   `json:"cost_benefit" doc:"成本效益分析"`
	ConsultedBodies string   `json:"consulted_bodies" doc:"征求意见的有关单位"`
	Summary         string   `json:"summary" doc:"草案主要内容"`
}

// ConsultationData is 公众参与.
type ConsultationData struct {
	Channels     []string `json:"channels"`
	Summary      string   `json:"summary" doc:"公开的草案说明"`
	CommentStart string   `json:"comment_start"`
	CommentEnd   string   `json:"comment_end"`
	MinimumEnd   string   `json:"minimum_end" doc:"按期限规则计算的最早截止日"`
	Rule         string   `json:"rule"`
	Explanation  string   `json:"explanation" doc:"期限计算过程"`
	ShortReason  string   `json:"short_reason,omitempty" doc:"征求意见期限少于30日的理由"`
	Feedback     string   `json:"feedback,omitempty" doc:"意见采纳情况反馈"`
	CommentCount int      `json:"comment_count"`
	SkipReason   string   `json:"skip_reason,omitempty"`
}

// ExpertData is 专家论证 (the opinions themselves are separate rows).
type ExpertData struct {
	Summary    string `json:"summary,omitempty" doc:"论证意见综述"`
	SkipReason string `json:"skip_reason,omitempty"`
}

// RiskData is 风险评估.
type RiskData struct {
	AssessorID      int64    `json:"assessor_id" doc:"评估机构（专家库中的机构记录）；承办单位自行评估的为 0"`
	Assessor        string   `json:"assessor" doc:"评估机构"`
	Report          string   `json:"report" doc:"评估报告摘要"`
	RiskPoints      []string `json:"risk_points" doc:"风险点"`
	Measures        []string `json:"measures" doc:"防范化解措施"`
	ContingencyPlan string   `json:"contingency_plan" doc:"处置预案"`
	Level           string   `json:"level" doc:"风险等级：低/中/高"`
	SkipReason      string   `json:"skip_reason,omitempty"`
}

// LegalReviewData is 合法性审查.
type LegalReviewData struct {
	ReviewID    int64  `json:"review_id"`
	Summary     string `json:"summary"`
	SubmittedOn string `json:"submitted_on"`
	Status      string `json:"status"`
	FinishedOn  string `json:"finished_on"`
}

// Vote is one participant's view at the collective decision.
type Vote struct {
	Name    string `json:"name"`
	Opinion string `json:"opinion" doc:"agree 同意、disagree 不同意、abstain 保留"`
	Note    string `json:"note"`
}

// CollectiveData is 集体讨论决定.
type CollectiveData struct {
	MeetingType     string   `json:"meeting_type" doc:"常务会议 或 全体会议"`
	MeetingName     string   `json:"meeting_name"`
	MeetingOn       string   `json:"meeting_on"`
	Attendees       []string `json:"attendees"`
	Votes           []Vote   `json:"votes" doc:"与会人员意见（按发言顺序）"`
	HeadName        string   `json:"head_name" doc:"行政首长（最后发表意见）"`
	HeadDecision    string   `json:"head_decision" doc:"adopt 通过、adopt_amended 修改后通过、reject 不予通过、defer 暂缓"`
	DepartureReason string   `json:"departure_reason" doc:"与多数意见不一致时当场说明的理由"`
	Dissent         []string `json:"dissent" doc:"不同意见记录"`
	ReviewStatus    string   `json:"review_status" doc:"讨论时合法性审查结论"`
	ReviewID        int64    `json:"review_id"`
}

// PartyReportData is 党委请示报告.
type PartyReportData struct {
	Committee  string `json:"committee"`
	ReportedOn string `json:"reported_on"`
	DocNo      string `json:"doc_no"`
	Reply      string `json:"reply" doc:"党委意见"`
}

// PublicationData is 决策公布.
type PublicationData struct {
	PublishedOn  string   `json:"published_on"`
	DocNo        string   `json:"doc_no"`
	Channels     []string `json:"channels"`
	AdoptionNote string   `json:"adoption_note" doc:"公众意见、专家意见采纳情况说明"`
	Text         string   `json:"text" doc:"公布的决策内容或解读"`
}

// ImplementationData is 决策执行.
type ImplementationData struct {
	ExecutionUnit string `json:"execution_unit"`
	Supervisor    string `json:"supervisor"`
	Plan          string `json:"plan"`
}

// EvaluationData is 决策后评估.
type EvaluationData struct {
	EvaluatorID int64  `json:"evaluator_id" doc:"开展后评估的第三方（专家库中的机构记录）"`
	Evaluator   string `json:"evaluator"`
	Trigger     string `json:"trigger" doc:"启动评估的原因"`
	Conclusion  string `json:"conclusion"`
	Suggestion  string `json:"suggestion"`
}

// ArchiveData is 立卷归档.
type ArchiveData struct {
	ArchiveNo string `json:"archive_no"`
	Keeper    string `json:"keeper"`
}

// Pool record kinds: a person (expert) or an assessing organisation.
const (
	PoolExpert = "expert"
	PoolOrg    = "org"
)

// Expert is one record of the expert/assessor pool: an expert, or an
// assessing organisation (Kind "org") identified by its credit code.
type Expert struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind" enum:"expert,org" doc:"expert 专家；org 评估机构"`
	CreditCode string `json:"credit_code" doc:"统一社会信用代码（评估机构）"`
	OrgID      int64  `json:"org_id" doc:"专家所在机构在库中的记录（用于识别同一机构）"`
	OrgName    string `json:"org_name"`
	Name       string `json:"name"`
	Title      string `json:"title"`
	Field      string `json:"field"`
	Employer   string `json:"employer"`
	UnitID     int64  `json:"unit_id"`
	Phone      string `json:"phone"`
	Active     bool   `json:"active"`
	Version    int    `json:"version"`
}

// ExpertOpinion is one expert's signed written opinion.
type ExpertOpinion struct {
	ID               int64   `json:"id"`
	DecisionID       int64   `json:"decision_id"`
	ExpertID         int64   `json:"expert_id"`
	ExpertName       string  `json:"expert_name"`
	ExpertTitle      string  `json:"expert_title"`
	Employer         string  `json:"employer"`
	ConflictDeclared bool    `json:"conflict_declared"`
	ConflictNote     string  `json:"conflict_note"`
	Opinion          string  `json:"opinion"`
	SignedOn         string  `json:"signed_on"`
	FileIDs          []int64 `json:"file_ids"`
	RecordedBy       string  `json:"recorded_by"`
	RecordedAt       string  `json:"recorded_at"`
}

// ProgressReport is one implementation progress report.
type ProgressReport struct {
	ID         int64   `json:"id"`
	DecisionID int64   `json:"decision_id"`
	ReportedOn string  `json:"reported_on"`
	Content    string  `json:"content"`
	Percent    int     `json:"percent"`
	FileIDs    []int64 `json:"file_ids"`
	RecordedBy string  `json:"recorded_by"`
	RecordedAt string  `json:"recorded_at"`
}

// Correction is a correction by a higher authority.
type Correction struct {
	ID          int64  `json:"id"`
	DecisionID  int64  `json:"decision_id"`
	Authority   string `json:"authority"`
	CorrectedOn string `json:"corrected_on"`
	Kind        string `json:"kind"`
	Description string `json:"description"`
	RecordedBy  string `json:"recorded_by"`
	RecordedAt  string `json:"recorded_at"`
}

// Comment is a public comment (staff view).
type Comment struct {
	ID         int64  `json:"id"`
	DecisionID int64  `json:"decision_id"`
	Author     string `json:"author"`
	Contact    string `json:"contact"`
	Content    string `json:"content"`
	Adopted    string `json:"adopted" doc:"adopted 采纳、partly 部分采纳、not_adopted 未采纳；空为未处理"`
	Reply      string `json:"reply"`
	CreatedAt  string `json:"created_at"`
}

// PublicDecision is what the portal shows: no internal fields, no comment
// authors or contacts.
type PublicDecision struct {
	ID           int64        `json:"id"`
	Code         string       `json:"code"`
	Title        string       `json:"title"`
	DecisionBody string       `json:"decision_body"`
	UnitName     string       `json:"unit_name"`
	Consultation Consultation `json:"consultation"`
	Open         bool         `json:"open" doc:"当前是否接受意见"`
	CommentStart string       `json:"comment_start"`
	CommentEnd   string       `json:"comment_end"`
	Summary      string       `json:"summary"`
	Feedback     string       `json:"feedback"`
	CommentCount int          `json:"comment_count"`
	PublishedOn  string       `json:"published_on"`
	PublicText   string       `json:"public_text"`
}
