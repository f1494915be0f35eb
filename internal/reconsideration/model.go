// Package reconsideration runs 行政复议 (administrative reconsideration,
// 《行政复议法》 2023 revision, in force 2024-01-01; DOMAIN.md §2.2): the
// application register with the applicant's personal data masked for roles
// that do not handle cases, the acceptance review (deemed accepted when the
// 5 working days pass), the correction notice with the applicant's 10
// working days and the acceptance clock restarting on the corrected
// application, simple-procedure eligibility, the copy to the respondent and
// its reply, hearings, suspension (the decision clock pauses), extension
// (once, up to 30 days, with notice), termination, the decision with every
// outcome the law lists, publication with personal data removed, and the
// 意见书/建议书 with its 60-day follow-up. A correcting outcome raises a
// finding for the respondent unit.
package reconsideration

import (
	"time"

	"fazhi/internal/platform/auth"
)

// Permissions: reading is every business role's (a respondent unit sees the
// cases against it); handling is the 复议机构's (the 司法局).
const (
	PermRead  = "reconsideration.read"
	PermWrite = "reconsideration.write"
)

func init() {
	auth.RegisterPerms("reconsideration", map[string]string{PermRead: "查看行政复议案件", PermWrite: "办理行政复议案件"})
}

// Calendar rules (named; periods configurable per province). The shipped
// registry holds all but RuleHearingNotice, RuleFollowup and
// RuleSuspensionLimit, which the service registers when they are missing.
const (
	RuleAccept           = "reconsideration.accept"
	RuleCorrectionNotice = "reconsideration.correction_notice"
	RuleCorrection       = "reconsideration.applicant_correction"
	RuleReply            = "reconsideration.respondent_reply"
	RuleReplySimple      = "reconsideration.respondent_reply_simple"
	RuleDecide           = "reconsideration.decide"
	RuleDecideSimple     = "reconsideration.decide_simple"
	RuleExtension        = "reconsideration.decide_extension"
	RuleCopy             = "reconsideration.copy_to_respondent"
	RuleCopySimple       = "reconsideration.copy_to_respondent_simple"
	RuleHearingNotice    = "reconsideration.hearing_notice"
	RuleFollowup         = "reconsideration.opinion_followup"
	// RuleSuspensionLimit: a suspension of some grounds that reaches 60
	// days ends the case (art. 41).
	RuleSuspensionLimit = "reconsideration.suspension_limit"
)

// Option is a code with its Chinese label.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

func label(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// valueOf accepts a code or its label (imports carry labels).
func valueOf(opts []Option, s string) (string, bool) {
	for _, o := range opts {
		if s == o.Value || s == o.Label {
			return o.Value, true
		}
	}
	return "", false
}

func labels(opts []Option) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = o.Label
	}
	return out
}

// Status is where a case stands.
type Status string

const (
	StatusReceived    Status = "received"     // 待受理审查
	StatusCorrecting  Status = "correcting"   // 补正中
	StatusAccepted    Status = "accepted"     // 已受理（待发送答复通知）
	StatusNotAccepted Status = "not_accepted" // 不予受理
	StatusReplying    Status = "replying"     // 待被申请人答复
	StatusReviewing   Status = "reviewing"    // 审理中
	StatusSuspended   Status = "suspended"    // 中止审理
	StatusTerminated  Status = "terminated"   // 终止
	StatusDecided     Status = "decided"      // 已作出决定
	StatusPublished   Status = "published"    // 决定书已公开
)

// Statuses lists every status in procedure order.
var Statuses = []Option{
	{string(StatusReceived), "待受理审查"}, {string(StatusCorrecting), "补正中"}, {string(StatusAccepted), "已受理"},
	{string(StatusNotAccepted), "不予受理"}, {string(StatusReplying), "待被申请人答复"}, {string(StatusReviewing), "审理中"},
	{string(StatusSuspended), "中止审理"}, {string(StatusTerminated), "终止"}, {string(StatusDecided), "已作出决定"},
	{string(StatusPublished), "决定书已公开"},
}

// StatusOpen is a list filter, not a status: every case still under way.
const StatusOpen = "open"

// openStatuses are the statuses with a clock running or paused.
var openStatuses = []Status{StatusReceived, StatusCorrecting, StatusAccepted, StatusReplying, StatusReviewing, StatusSuspended}

// Categories of the act under review. Warnings and disclosure cases are
// simple-procedure grounds (art. 53).
var Categories = []Option{
	{"penalty", "行政处罚"}, {"warning", "警告、通报批评"}, {"coercion", "行政强制"}, {"license", "行政许可"},
	{"disclosure", "政府信息公开"}, {"inaction", "不履行法定职责"}, {"confirmation", "行政确认"},
	{"expropriation", "征收征用及补偿"}, {"work_injury", "工伤认定"}, {"agreement", "行政协议"}, {"other", "其他"},
}

// Channels an application arrives by.
var Channels = []Option{{"window", "当面递交"}, {"mail", "邮寄"}, {"online", "网上申请"}, {"transferred", "转送"}}

// ApplicantTypes.
var ApplicantTypes = []Option{{"person", "自然人"}, {"org", "法人或其他组织"}}

// Outcomes of a decision (arts. 63–73). Corrections are the outcomes that
// find the act wrong.
var Outcomes = []Option{
	{"uphold", "维持"}, {"dismiss", "驳回复议请求"}, {"change", "变更"}, {"revoke", "撤销"},
	{"confirm_illegal", "确认违法"}, {"order_perform", "责令履行"}, {"confirm_void", "确认无效"}, {"mediation", "调解"},
}

// Corrections are the outcomes counted in the correction rate and raising a
// finding for the respondent unit.
var Corrections = []string{"change", "revoke", "confirm_illegal", "order_perform", "confirm_void"}

// IsCorrection reports whether outcome corrects the act.
func IsCorrection(outcome string) bool {
	for _, c := range Corrections {
		if c == outcome {
			return true
		}
	}
	return false
}

// Terminations are the grounds of 终止 (art. 41, 74).
var Terminations = []Option{
	{"withdrawn", "申请人撤回申请"}, {"settlement", "和解后撤回申请"}, {"lapsed", "逾期不补正视为放弃"},
	{"suspension_limit", "中止满六十日终止"}, {"other", "其他法定终止情形"},
}

// OpinionKinds are the follow-up letters (art. 76).
var OpinionKinds = []Option{{"opinion", "行政复议意见书"}, {"suggestion", "行政复议建议书"}}

// Case is one reconsideration case.
type Case struct {
	ID                int64     `json:"id"`
	Code              string    `json:"code" doc:"案件编号"`
	ApplicantName     string    `json:"applicant_name"`
	ApplicantType     string    `json:"applicant_type"`
	ApplicantIDNumber string    `json:"applicant_id_number" doc:"身份证件号码（无办理权限时脱敏）"`
	ApplicantPhone    string    `json:"applicant_phone" doc:"联系电话（无办理权限时脱敏）"`
	ApplicantAddress  string    `json:"applicant_address" doc:"住址（无办理权限时脱敏）"`
	Masked            bool      `json:"masked" doc:"个人信息已脱敏"`
	UnitID            int64     `json:"unit_id" doc:"被申请人（单位）"`
	UnitName          string    `json:"unit_name"`
	Act               string    `json:"act" doc:"被申请复议的行政行为"`
	ActRef            string    `json:"act_ref" doc:"行政行为文书号"`
	Category          string    `json:"category"`
	CategoryLabel     string    `json:"category_label"`
	AmountFen         int64     `json:"amount_fen" doc:"涉及款额（分）"`
	OnTheSpot         bool      `json:"on_the_spot" doc:"当场作出的行政行为"`
	Consent           bool      `json:"consent" doc:"当事人各方同意适用简易程序"`
	Channel           string    `json:"channel"`
	ChannelLabel      string    `json:"channel_label"`
	ReceivedOn        string    `json:"received_on"`
	Request           string    `json:"request" doc:"复议请求"`
	Status            Status    `json:"status"`
	StatusLabel       string    `json:"status_label"`
	Simple            bool      `json:"simple" doc:"适用简易程序"`
	AcceptDue         string    `json:"accept_due"`
	AcceptKind        string    `json:"accept_kind" doc:"accepted 决定受理；deemed 视为受理"`
	AcceptedOn        string    `json:"accepted_on,omitempty"`
	CorrectionOn      string    `json:"correction_on,omitempty"`
	CorrectionItems   string    `json:"correction_items"`
	CorrectionDue     string    `json:"correction_due"`
	CorrectedOn       string    `json:"corrected_on,omitempty"`
	ClosedReason      string    `json:"closed_reason" doc:"不予受理或终止的理由"`
	CopySentOn        string    `json:"copy_sent_on,omitempty"`
	ReplyDue          string    `json:"reply_due"`
	RepliedOn         string    `json:"replied_on,omitempty"`
	ReplyLate         bool      `json:"reply_late" doc:"被申请人逾期答复或未答复"`
	HearingOn         string    `json:"hearing_on,omitempty"`
	HearingNote       string    `json:"hearing_note"`
	DecideDue         string    `json:"decide_due"`
	Extended          bool      `json:"extended"`
	DueOn             string    `json:"due_on" doc:"当前期限"`
	DueStep           string    `json:"due_step" doc:"当前期限对应的步骤"`
	Overdue           bool      `json:"overdue"`
	ConcludedOn       string    `json:"concluded_on,omitempty" doc:"审结日期（决定或终止）"`
	Termination       string    `json:"termination"`
	TerminationLabel  string    `json:"termination_label"`
	Outcome           string    `json:"outcome"`
	OutcomeLabel      string    `json:"outcome_label"`
	DecisionNo        string    `json:"decision_no"`
	DecisionReason    string    `json:"decision_reason"`
	OnTime            *bool     `json:"on_time,omitempty" doc:"是否在决定期限内作出"`
	FindingID         int64     `json:"finding_id,omitempty"`
	PublishedOn       string    `json:"published_on,omitempty"`
	OpinionKind       string    `json:"opinion_kind"`
	OpinionOn         string    `json:"opinion_on,omitempty"`
	OpinionText       string    `json:"opinion_text"`
	FollowupDue       string    `json:"followup_due"`
	FollowupOn        string    `json:"followup_on,omitempty"`
	FollowupNote      string    `json:"followup_note"`
	Sued              bool      `json:"sued" doc:"申请人已就此提起行政诉讼"`
	CreatedBy         int64     `json:"created_by"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
	Version           int64     `json:"version"`

	unitPath        string
	acceptClock     string
	correctionClock string
	replyClock      string
	decideClock     string
	resumeStatus    string
}

// Event is one line of a case's timeline.
type Event struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"`
	Label     string    `json:"label"`
	Note      string    `json:"note"`
}

// ClockView is one statutory clock as the case page shows it.
type ClockView struct {
	Name    string `json:"name"`
	Due     string `json:"due"`
	Paused  bool   `json:"paused"`
	Explain string `json:"explain" doc:"期限计算说明（规则、起算、中止、延长）"`
}

// Detail is a case with its timeline, clocks and next steps.
type Detail struct {
	Case
	Events []Event     `json:"events"`
	Clocks []ClockView `json:"clocks"`
	Steps  []StepView  `json:"steps"`
	// SimpleGrounds are the art. 53 grounds the application meets (empty:
	// simple procedure not available).
	SimpleGrounds []string `json:"simple_grounds"`
}

// Filter narrows the register. Period filters match the figures' links.
type Filter struct {
	Q               string `query:"q" doc:"编号、申请人、行政行为或决定书号"`
	Status          string `query:"status"`
	Category        string `query:"category"`
	Outcome         string `query:"outcome"`
	UnitID          int64  `query:"unit_id" doc:"被申请人（含下级）"`
	Simple          string `query:"simple" enum:",true,false" doc:"是否简易程序"`
	Overdue         bool   `query:"overdue" doc:"当前期限已过"`
	ReceivedFrom    string `query:"received_from"`
	ReceivedTo      string `query:"received_to"`
	AcceptedFrom    string `query:"accepted_from"`
	AcceptedTo      string `query:"accepted_to"`
	ConcludedFrom   string `query:"concluded_from" doc:"审结（决定或受理后终止）期间起"`
	ConcludedTo     string `query:"concluded_to"`
	Corrected       bool   `query:"corrected" doc:"只看纠错决定（变更、撤销、确认违法、责令履行、确认无效）"`
	Resolved        bool   `query:"resolved" doc:"只看化解的案件（调解、和解撤回、维持或驳回后未起诉）"`
	AccountableFrom string `query:"accountable_from" doc:"应作出决定期间起（期间内作出决定的，及决定期限在期间内且已超期未决定的）"`
	AccountableTo   string `query:"accountable_to"`
	OnTime          bool   `query:"on_time" doc:"只看在期限内作出决定的"`
}
