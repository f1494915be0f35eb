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
	"fazhi/internal/platform/option"
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
type Option = option.Option

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
	{Value: string(StatusReceived), Label: "待受理审查"}, {Value: string(StatusCorrecting), Label: "补正中"}, {Value: string(StatusAccepted), Label: "已受理"},
	{Value: string(StatusNotAccepted), Label: "不予受理"}, {Value: string(StatusReplying), Label: "待被申请人答复"}, {Value: string(StatusReviewing), Label: "审理中"},
	{Value: string(StatusSuspended), Label: "中止审理"}, {Value: string(StatusTerminated), Label: "终止"}, {Value: string(StatusDecided), Label: "已作出决定"},
	{Value: string(StatusPublished), Label: "决定书已公开"},
}

// StatusOpen is a list filter, not a status: every case still under way.
const StatusOpen = "open"

// openStatuses are the statuses with a clock running or paused.
var openStatuses = []Status{StatusReceived, StatusCorrecting, StatusAccepted, StatusReplying, StatusReviewing, StatusSuspended}

// Categories of the act under review. Warnings and disclosure cases are
// simple-procedure grounds (art. 53).
var Categories = []Option{
	{Value: "penalty", Label: "行政处罚"}, {Value: "warning", Label: "警告、通报批评"}, {Value: "coercion", Label: "行政强制"}, {Value: "license", Label: "行政许可"},
	{Value: "disclosure", Label: "政府信息公开"}, {Value: "inaction", Label: "不履行法定职责"}, {Value: "confirmation", Label: "行政确认"},
	{Value: "expropriation", Label: "征收征用及补偿"}, {Value: "work_injury", Label: "工伤认定"}, {Value: "agreement", Label: "行政协议"}, {Value: "other", Label: "其他"},
}

// Channels an application arrives by.
var Channels = []Option{{Value: "window", Label: "当面递交"}, {Value: "mail", Label: "邮寄"}, {Value: "online", Label: "网上申请"}, {Value: "transferred", Label: "转送"}}

// ApplicantTypes.
var ApplicantTypes = []Option{{Value: "person", Label: "自然人"}, {Value: "org", Label: "法人或其他组织"}}

// Outcomes of a decision (arts. 63–73). Corrections are the outcomes that
// find the act wrong.
var Outcomes = []Option{
	{Value: "uphold", Label: "维持"}, {Value: "dismiss", Label: "驳回复议请求"}, {Value: "change", Label: "变更"}, {Value: "revoke", Label: "撤销"},
	{Value: "confirm_illegal", Label: "确认违法"}, {Value: "order_perform", Label: "责令履行"}, {Value: "confirm_void", Label: "确认无效"}, {Value: "mediation", Label: "调解"},
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
	{Value: "withdrawn", Label: "申请人撤回申请"}, {Value: "settlement", Label: "和解后撤回申请"}, {Value: "lapsed", Label: "逾期不补正视为放弃"},
	{Value: "suspension_limit", Label: "中止满六十日终止"}, {Value: "other", Label: "其他法定终止情形"},
}

// OpinionKinds are the follow-up letters (art. 76).
var OpinionKinds = []Option{{Value: "opinion", Label: "行政复议意见书"}, {Value: "suggestion", Label: "行政复议建议书"}}

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
