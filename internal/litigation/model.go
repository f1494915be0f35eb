// Package litigation runs 行政应诉 (litigation response; DOMAIN.md §2.5):
// lawsuits against the government and its units with the plaintiff's
// personal data masked for roles that do not handle them, the defence
// statement and evidence due 15 days after the copy of the complaint is
// received (calendar rule litigation.defence), hearings with who appeared
// for the defendant (the head or the deputy in charge counts towards the
// head-in-court rate; a staff member or a lawyer alone does not), the
// outcome, judicial suggestions with their replies, a finding and a review
// of the act for a lost case, and loss-risk warnings from named rules over
// the linked reconsideration and enforcement cases.
package litigation

import (
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/option"
)

// Permissions: reading is every business role's (a defendant unit sees the
// lawsuits against it); handling is the defendant unit's and the 司法局's.
const (
	PermRead  = "litigation.read"
	PermWrite = "litigation.write"
)

func init() {
	auth.RegisterPerms("litigation", map[string]string{PermRead: "查看行政应诉案件", PermWrite: "办理行政应诉案件"})
}

// Calendar rules. RuleDefence ships with the calendar; the service
// registers the other two when missing (their periods are not confirmed
// in DOMAIN.md and stay configurable).
const (
	RuleDefence         = "litigation.defence"
	RuleSuggestionReply = "litigation.suggestion_reply"
	RuleActReview       = "litigation.act_review"
)

// Option is a code with its Chinese label.
type Option = option.Option

// Status is where a lawsuit stands.
type Status string

const (
	StatusOpen      Status = "open"      // 应诉中
	StatusConcluded Status = "concluded" // 已结案
)

// Statuses lists the statuses.
var Statuses = []Option{{Value: string(StatusOpen), Label: "应诉中"}, {Value: string(StatusConcluded), Label: "已结案"}}

// Instances of a lawsuit.
var Instances = []Option{{Value: "first", Label: "一审"}, {Value: "second", Label: "二审"}, {Value: "retrial", Label: "再审"}}

// PlaintiffTypes.
var PlaintiffTypes = []Option{{Value: "person", Label: "自然人"}, {Value: "org", Label: "法人或其他组织"}}

// Outcomes of a lawsuit. Lost and partly lost raise a finding and a review
// of the act.
var Outcomes = []Option{{Value: "won", Label: "胜诉"}, {Value: "lost", Label: "败诉"}, {Value: "partly_lost", Label: "部分败诉"},
	{Value: "withdrawn", Label: "原告撤诉"}, {Value: "settled", Label: "调解或和解结案"}}

// IsLoss reports whether outcome counts as a loss.
func IsLoss(outcome string) bool { return outcome == "lost" || outcome == "partly_lost" }

// Appearances: who appeared in court for the defendant.
var Appearances = []Option{{Value: "head", Label: "行政机关正职负责人出庭"}, {Value: "deputy", Label: "分管负责人出庭"},
	{Value: "staff", Label: "仅工作人员出庭"}, {Value: "lawyer", Label: "仅委托律师出庭"}, {Value: "none", Label: "无人出庭"}}

// HeadCounts reports whether a hearing counts as 负责人出庭: the head or the
// deputy in charge appeared (《行政诉讼法》第三条; 法释〔2020〕3号).
func HeadCounts(appearance string) bool { return appearance == "head" || appearance == "deputy" }

// Risk rules (named; the warning on the lawsuit page and list says which).
const (
	RiskRecon   = "recon_corrected"
	RiskLate    = "defence_late"
	RiskCert    = "cert_lapsed"
	RiskRuleHit = "enforcement_hit"
)

// RiskRules lists the loss-risk rules with their Chinese names.
var RiskRules = []Option{
	{Value: RiskRecon, Label: "同一行政行为已在行政复议中被纠错"},
	{Value: RiskLate, Label: "答辩或举证逾期"},
	{Value: RiskCert, Label: "执法人员在执法时执法证件已失效"},
	{Value: RiskRuleHit, Label: "关联执法案件存在未销号的执法监督规则预警"},
}

// Risk is one loss-risk rule a lawsuit meets, with the facts.
type Risk struct {
	Rule   string `json:"rule"`
	Label  string `json:"label"`
	Detail string `json:"detail"`
}

// Case is one lawsuit.
type Case struct {
	ID                int64     `json:"id"`
	Code              string    `json:"code" doc:"应诉案件编号"`
	CaseNo            string    `json:"case_no" doc:"案号"`
	Court             string    `json:"court"`
	Cause             string    `json:"cause" doc:"案由"`
	Instance          string    `json:"instance"`
	InstanceLabel     string    `json:"instance_label"`
	PlaintiffName     string    `json:"plaintiff_name"`
	PlaintiffType     string    `json:"plaintiff_type"`
	PlaintiffIDNumber string    `json:"plaintiff_id_number" doc:"身份证件号码（无办理权限时脱敏）"`
	PlaintiffPhone    string    `json:"plaintiff_phone" doc:"联系电话（无办理权限时脱敏）"`
	PlaintiffAddress  string    `json:"plaintiff_address" doc:"住址（无办理权限时脱敏）"`
	Masked            bool      `json:"masked"`
	UnitID            int64     `json:"unit_id" doc:"被告（单位）"`
	UnitName          string    `json:"unit_name"`
	Act               string    `json:"act" doc:"被诉行政行为"`
	ActRef            string    `json:"act_ref"`
	ReconCaseID       int64     `json:"recon_case_id,omitempty"`
	ReconCode         string    `json:"recon_code"`
	EnforcementCaseID int64     `json:"enforcement_case_id,omitempty"`
	EnforcementCode   string    `json:"enforcement_code"`
	ReceivedOn        string    `json:"received_on" doc:"收到起诉状副本日期"`
	DefenceDue        string    `json:"defence_due" doc:"答辩举证期限"`
	DefenceOn         string    `json:"defence_on,omitempty" doc:"提交答辩状日期"`
	EvidenceOn        string    `json:"evidence_on,omitempty" doc:"提交证据和依据日期"`
	DefenceLate       bool      `json:"defence_late" doc:"答辩或举证逾期（已逾期提交或期限已过仍未提交）"`
	Status            Status    `json:"status"`
	StatusLabel       string    `json:"status_label"`
	HearingsHeld      int       `json:"hearings_held"`
	Outcome           string    `json:"outcome"`
	OutcomeLabel      string    `json:"outcome_label"`
	JudgedOn          string    `json:"judged_on,omitempty"`
	JudgementNo       string    `json:"judgement_no"`
	JudgementNote     string    `json:"judgement_note"`
	FindingID         int64     `json:"finding_id,omitempty"`
	ReviewDue         string    `json:"review_due" doc:"败诉行为复查期限"`
	ReviewOn          string    `json:"review_on,omitempty"`
	ReviewBy          string    `json:"review_by"`
	ReviewConclusion  string    `json:"review_conclusion"`
	SuggestionOn      string    `json:"suggestion_on,omitempty" doc:"收到司法建议日期"`
	SuggestionText    string    `json:"suggestion_text"`
	SuggestionDue     string    `json:"suggestion_due" doc:"司法建议回复期限"`
	SuggestionReplyOn string    `json:"suggestion_reply_on,omitempty"`
	SuggestionReply   string    `json:"suggestion_reply"`
	Risks             []Risk    `json:"risks" doc:"败诉风险预警"`
	RiskCheckedOn     string    `json:"risk_checked_on"`
	CreatedBy         int64     `json:"created_by"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
	Version           int64     `json:"version"`

	unitPath      string
	riskRecon     string
	riskCert      string
	riskHit       string
	defenceDoneOn string
}

// Hearing is one hearing of a lawsuit.
type Hearing struct {
	ID              int64  `json:"id"`
	CaseID          int64  `json:"case_id"`
	CaseCode        string `json:"case_code"`
	CaseNo          string `json:"case_no"`
	UnitName        string `json:"unit_name"`
	HeldOn          string `json:"held_on" doc:"开庭日期"`
	Appearance      string `json:"appearance" doc:"出庭情况（空：已排期未登记）"`
	AppearanceLabel string `json:"appearance_label"`
	HeadCounted     bool   `json:"head_counted" doc:"计入负责人出庭"`
	Attendee        string `json:"attendee" doc:"出庭负责人或人员姓名、职务"`
	Note            string `json:"note"`
	Version         int64  `json:"version"`
}

// Event is one line of a lawsuit's timeline.
type Event struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"`
	Label     string    `json:"label"`
	Note      string    `json:"note"`
}

// Detail is a lawsuit with its hearings, timeline and steps.
type Detail struct {
	Case
	Hearings    []Hearing  `json:"hearings"`
	Events      []Event    `json:"events"`
	Steps       []StepView `json:"steps"`
	DefenceRule string     `json:"defence_rule" doc:"答辩举证期限的计算说明"`
	CanHandle   bool       `json:"can_handle"`
}

// Filter narrows the register. Period filters match the figures' links.
type Filter struct {
	Q            string `query:"q" doc:"编号、案号、原告、法院或被诉行为"`
	Status       string `query:"status" enum:",open,concluded"`
	UnitID       int64  `query:"unit_id" doc:"被告（含下级）"`
	Year         int    `query:"year" doc:"收到起诉状副本年度"`
	Court        string `query:"court"`
	Outcome      string `query:"outcome"`
	Risk         string `query:"risk" doc:"any 任一风险；或风险规则代码"`
	ReceivedFrom string `query:"received_from"`
	ReceivedTo   string `query:"received_to"`
	JudgedFrom   string `query:"judged_from"`
	JudgedTo     string `query:"judged_to"`
	Lost         bool   `query:"lost" doc:"只看败诉和部分败诉"`
	// Defence on time: the figure's denominator and numerator.
	DefenceFrom   string `query:"defence_from" doc:"应答辩举证期间起（期间内提交完毕的，及期限在期间内已过仍未提交的）"`
	DefenceTo     string `query:"defence_to"`
	DefenceOnTime bool   `query:"defence_on_time" doc:"只看按期答辩举证的"`
	// Judicial suggestions: the figure's denominator and numerator.
	SuggestionFrom   string `query:"suggestion_from" doc:"应回复司法建议期间起（期间内回复的，及期限在期间内已过仍未回复的）"`
	SuggestionTo     string `query:"suggestion_to"`
	SuggestionOnTime bool   `query:"suggestion_on_time" doc:"只看按期回复司法建议的"`
	ReviewOpen       bool   `query:"review_open" doc:"只看败诉后复查尚未办结的"`
}

// HearingFilter narrows the hearing list behind the head-in-court rate.
type HearingFilter struct {
	From        string `query:"from" doc:"开庭日期起"`
	To          string `query:"to"`
	UnitID      int64  `query:"unit_id"`
	HeadCounted bool   `query:"head_counted" doc:"只看正职或分管负责人出庭的"`
	CaseID      int64  `query:"case_id"`
}
