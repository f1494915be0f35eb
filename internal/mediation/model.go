// Package mediation is the people's mediation register (人民调解): the
// mediation committees attached to org units (village, town, industry) and
// their mediators, and the cases — intake with the dispute's type and
// source (a party's application, police, court, petition or hotline
// referral …), the mediation sessions, the outcome (an agreement, written or
// oral, or failure), the parties' joint application for judicial
// confirmation within 30 days of the agreement and its result, follow-up
// visits and fulfilment, and the links with litigation (诉调对接: cases a
// court delegated, failed cases guided to litigation). 人民调解法 sets no
// time limit for mediation itself; the one clock is the confirmation window.
package mediation

import (
	"fazhi/internal/platform/option"
	"time"

	"fazhi/internal/platform/auth"
)

// Permissions.
const (
	PermRead  = "mediation.read"
	PermWrite = "mediation.write"
)

// RuleConfirm is the calendar rule of the judicial-confirmation window: the
// parties may apply jointly within 30 days of the agreement taking effect
// (人民调解法 art. 33) — calendar days, not working days, as the statute
// counts them.
const RuleConfirm = "mediation.confirm"

// Figure codes (stable, for the metrics catalogue).
const (
	FigureCases       = "mediation.case_count"
	FigureSuccessRate = "mediation.success_rate"
	FigureFulfilled   = "mediation.fulfilled_count"
	FigureConfirmed   = "mediation.confirmed_count"
)

func init() {
	auth.RegisterPerms("mediation", map[string]string{PermRead: "查看人民调解", PermWrite: "办理人民调解"})
}

// Option is a code with its Chinese label (selects, filters, imports).
type Option = option.Option

// Committee kinds.
var CommitteeKinds = []Option{
	{Value: "village", Label: "村（居）民委员会人民调解委员会"},
	{Value: "town", Label: "乡镇（街道）人民调解委员会"},
	{Value: "industry", Label: "行业性专业性人民调解委员会"},
}

// DisputeTypes are the kinds of dispute in the register (the statistical
// categories of 司法行政统计).
var DisputeTypes = []Option{
	{Value: "family", Label: "婚姻家庭纠纷"}, {Value: "neighbour", Label: "邻里纠纷"}, {Value: "housing", Label: "房屋宅基地纠纷"}, {Value: "contract", Label: "合同纠纷"},
	{Value: "business", Label: "生产经营纠纷"}, {Value: "damage", Label: "损害赔偿纠纷"}, {Value: "labour", Label: "劳动争议纠纷"}, {Value: "land", Label: "山林土地纠纷"},
	{Value: "demolition", Label: "征地拆迁纠纷"}, {Value: "medical", Label: "医疗纠纷"}, {Value: "traffic", Label: "道路交通事故纠纷"}, {Value: "property", Label: "物业纠纷"},
	{Value: "other", Label: "其他纠纷"},
}

// Sources say how a dispute came to the committee. "court" is the
// diversion from litigation (诉前委派、诉中委托调解).
var Sources = []Option{
	{Value: "application", Label: "当事人申请"}, {Value: "initiative", Label: "主动调解"}, {Value: "police", Label: "公安机关移送"}, {Value: "court", Label: "人民法院委派委托"},
	{Value: "petition", Label: "信访部门移交"}, {Value: "hotline", Label: "12345热线转办"}, {Value: "department", Label: "其他部门移送"},
}

// Case statuses.
const (
	StatusAccepted  = "accepted"  // 已受理: registered, no session yet
	StatusMediating = "mediating" // 调解中: at least one session held
	StatusSucceeded = "succeeded" // 调解成功: an agreement was reached
	StatusFailed    = "failed"    // 调解不成
)

// Statuses lists every status in order.
var Statuses = []Option{
	{Value: StatusAccepted, Label: "已受理"}, {Value: StatusMediating, Label: "调解中"}, {Value: StatusSucceeded, Label: "调解成功"}, {Value: StatusFailed, Label: "调解不成"},
}

// StatusOpen is a list filter, not a status: cases not yet concluded.
const StatusOpen = "open"

// StatusFilters are the register's status filter options.
var StatusFilters = append([]Option{{Value: StatusOpen, Label: "未结案"}}, Statuses...)

// Agreement forms (人民调解法 arts. 28–30).
const (
	FormWritten = "written" // 书面协议: effective when signed and sealed
	FormOral    = "oral"    // 口头协议: effective when reached
)

// AgreementForms lists the forms.
var AgreementForms = []Option{{Value: FormWritten, Label: "书面协议"}, {Value: FormOral, Label: "口头协议"}}

// Confirmation results.
const (
	ConfirmValid    = "confirmed" // 裁定确认协议有效
	ConfirmRejected = "rejected"  // 裁定驳回申请
)

// ConfirmResults lists the court's possible rulings.
var ConfirmResults = []Option{{Value: ConfirmValid, Label: "确认有效"}, {Value: ConfirmRejected, Label: "驳回申请"}}

// Fulfilment states.
const (
	FulfilDone    = "fulfilled"
	FulfilPartial = "partial"
	FulfilNone    = "unfulfilled"
)

// Fulfilments lists the fulfilment states a follow-up can record.
var Fulfilments = []Option{{Value: FulfilDone, Label: "已履行"}, {Value: FulfilPartial, Label: "部分履行"}, {Value: FulfilNone, Label: "未履行"}}

// Committee is a people's mediation committee.
type Committee struct {
	ID            int64     `json:"id"`
	UnitID        int64     `json:"unit_id"`
	UnitName      string    `json:"unit_name"`
	Name          string    `json:"name"`
	Kind          string    `json:"kind"`
	KindLabel     string    `json:"kind_label"`
	EstablishedOn string    `json:"established_on"`
	Note          string    `json:"note"`
	Active        bool      `json:"active"`
	Mediators     int       `json:"mediators" doc:"在册调解员人数"`
	UpdatedAt     time.Time `json:"updated_at"`
	Version       int       `json:"version"`

	unitPath string
}

// Mediator is a member of a committee.
type Mediator struct {
	ID          int64  `json:"id"`
	CommitteeID int64  `json:"committee_id"`
	UnitID      int64  `json:"unit_id"`
	Name        string `json:"name"`
	Duty        string `json:"duty" doc:"职务：主任、副主任、委员、专职调解员等"`
	Phone       string `json:"phone"`
	FullTime    bool   `json:"full_time" doc:"专职调解员"`
	Active      bool   `json:"active"`
	Version     int    `json:"version"`
}

// Case is one dispute in the register. Personal data (parties' names,
// phone, ID number, address) is masked for readers who may not handle the
// case (Service.mask).
type Case struct {
	ID               int64     `json:"id"`
	Code             string    `json:"code" doc:"登记编号"`
	CaseNo           string    `json:"case_no" doc:"调解委员会案号"`
	CommitteeID      int64     `json:"committee_id"`
	CommitteeName    string    `json:"committee_name"`
	UnitID           int64     `json:"unit_id"`
	UnitName         string    `json:"unit_name"`
	MediatorID       int64     `json:"mediator_id,omitempty"`
	MediatorName     string    `json:"mediator_name"`
	DisputeType      string    `json:"dispute_type"`
	DisputeTypeLabel string    `json:"dispute_type_label"`
	Source           string    `json:"source"`
	SourceLabel      string    `json:"source_label"`
	SourceRef        string    `json:"source_ref" doc:"移送、委派文书编号"`
	ReceivedOn       string    `json:"received_on" doc:"受理日期"`
	Parties          string    `json:"parties" doc:"当事人"`
	PartyPhone       string    `json:"party_phone"`
	PartyIDNumber    string    `json:"party_id_number"`
	PartyAddress     string    `json:"party_address"`
	Masked           bool      `json:"masked" doc:"个人信息已脱敏"`
	Summary          string    `json:"summary" doc:"纠纷简要情况"`
	Status           string    `json:"status"`
	StatusLabel      string    `json:"status_label"`
	Sessions         int       `json:"sessions" doc:"调解次数"`
	ClosedOn         string    `json:"closed_on,omitempty" doc:"结案日期（达成协议或调解终结之日）"`
	FailedReason     string    `json:"failed_reason"`
	AgreementForm    string    `json:"agreement_form"`
	AgreementLabel   string    `json:"agreement_label"`
	AgreementTerms   string    `json:"agreement_terms"`
	ConfirmDue       string    `json:"confirm_due,omitempty" doc:"申请司法确认的最后一日"`
	ConfirmAppliedOn string    `json:"confirm_applied_on,omitempty"`
	ConfirmCourt     string    `json:"confirm_court"`
	ConfirmResult    string    `json:"confirm_result"`
	ConfirmLabel     string    `json:"confirm_label"`
	ConfirmResultOn  string    `json:"confirm_result_on,omitempty"`
	Followups        int       `json:"followups" doc:"回访次数"`
	Fulfilment       string    `json:"fulfilment"`
	FulfilmentLabel  string    `json:"fulfilment_label"`
	FulfilledOn      string    `json:"fulfilled_on,omitempty"`
	LitigationOn     string    `json:"litigation_on,omitempty" doc:"引导诉讼日期"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	Version          int       `json:"version"`

	unitPath string
}

// Step is one line of a case's history.
type Step struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Label     string    `json:"label"`
	Day       string    `json:"day"`
	Note      string    `json:"note"`
	ActorName string    `json:"actor_name"`
	At        time.Time `json:"at"`
}

var stepLabels = map[string]string{
	"register": "受理登记", "import": "导入登记", "update": "修改案件信息", "session": "调解", "agreement": "达成调解协议",
	"failed": "调解不成", "confirm_apply": "申请司法确认", "confirm_result": "司法确认结果", "followup": "回访",
	"fulfil": "登记履行情况", "litigation": "引导诉讼",
}

// Detail is a case with its steps.
type Detail struct {
	Case
	Steps []Step `json:"steps"`
	// CanWrite says whether the actor may record steps on this case.
	CanWrite bool `json:"can_write"`
}

// Filter narrows the register.
type Filter struct {
	Q           string `query:"q" doc:"编号、案号、当事人或纠纷简要情况"`
	Status      string `query:"status"`
	DisputeType string `query:"dispute_type"`
	Source      string `query:"source"`
	CommitteeID int64  `query:"committee_id"`
	UnitID      int64  `query:"unit_id" doc:"所属单位（含下级）"`
	// The figures' periods: each narrows by the date the figure counts on.
	ReceivedFrom  string `query:"received_from" doc:"受理日期起"`
	ReceivedTo    string `query:"received_to" doc:"受理日期止"`
	ClosedFrom    string `query:"closed_from" doc:"结案日期起"`
	ClosedTo      string `query:"closed_to" doc:"结案日期止"`
	FulfilledFrom string `query:"fulfilled_from" doc:"履行完毕日期起（只看已履行）"`
	FulfilledTo   string `query:"fulfilled_to" doc:"履行完毕日期止"`
	ConfirmedFrom string `query:"confirmed_from" doc:"司法确认有效日期起（只看确认有效）"`
	ConfirmedTo   string `query:"confirmed_to" doc:"司法确认有效日期止"`
	Litigation    bool   `query:"litigation" doc:"只看已引导诉讼的"`
}
