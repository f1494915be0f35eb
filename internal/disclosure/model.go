// Package disclosure is 依申请公开: information disclosure requests under the
// 政府信息公开条例 (2019). A request is registered with the receipt date its
// channel's named rule gives (art. 31), then follows the statutory clock:
// correction notice within 7 working days with the reply clock restarting
// from the corrected request (art. 30), third-party consultation that does
// not count (art. 32), a reply within 20 working days extendable once by up
// to 20 with the approval of the head of the disclosure office (art. 33),
// the secrecy review before anything is released, the reply types of arts.
// 36–39 with the released files and their redacted copies, fees where the
// 信息处理费 rules allow them, the reply letter, and the yearly statistics
// table of the annual report (国办公开办函〔2021〕30号).
package disclosure

import (
	"fazhi/internal/platform/option"
	"time"

	"fazhi/internal/platform/auth"
)

// Permissions.
const (
	PermRead    = "disclosure.read"
	PermWrite   = "disclosure.write"
	PermApprove = "disclosure.approve" // approve an extension, the secrecy review
	// PermPersonal sees applicants' ID numbers, phones and addresses in
	// full; everyone else sees them masked.
	PermPersonal = PermWrite
)

// Calendar rules (shipped by package calendar, configurable per province).
const (
	RuleReply           = "disclosure.reply"
	RuleReplyExtension  = "disclosure.reply_extension"
	RuleCorrection      = "disclosure.correction_notice"
	RuleThirdParty      = "disclosure.third_party"
	maxExtensionDays    = 20
	maxText             = 5000
	maxName             = 100
	OwnerMaterials      = "disclosure"          // the application and the applicant's papers
	OwnerRelease        = "disclosure_release"  // files released to the applicant
	OwnerRedacted       = "disclosure_redacted" // redacted copies released in a partial disclosure
	FigureOnTimeRate    = "disclosure.on_time_rate"
	FigureCorrections   = "disclosure.corrections"
	FigureExtensions    = "disclosure.extensions"
	FigureReceived      = "disclosure.received"
	figureTypeRatePrefx = "disclosure.on_time_rate."
)

func init() {
	auth.RegisterPerms("disclosure", map[string]string{
		PermRead: "查看依申请公开", PermWrite: "办理依申请公开", PermApprove: "审批依申请公开（延期、保密审查）",
	})
}

// Option is a code with its Chinese label.
type Option = option.Option

// Channels of a request (条例 art. 31 decides each one's receipt date).
const (
	ChannelInPerson = "in_person"
	ChannelPost     = "post"
	ChannelOnline   = "online"
	ChannelFax      = "fax"
	ChannelMail     = "mail" // ordinary mail that needs no signature (平常信函)
)

// Channels lists every channel.
var Channels = []Option{
	{Value: ChannelInPerson, Label: "当面提交"}, {Value: ChannelPost, Label: "邮寄"}, {Value: ChannelMail, Label: "平常信函"}, {Value: ChannelOnline, Label: "网络平台"}, {Value: ChannelFax, Label: "传真"},
}

// ApplicantTypes are the columns of the annual report's table.
var ApplicantTypes = []Option{
	{Value: "natural", Label: "自然人"}, {Value: "business", Label: "商业企业"}, {Value: "research", Label: "科研机构"}, {Value: "public_welfare", Label: "社会公益组织"},
	{Value: "legal_service", Label: "法律服务机构"}, {Value: "other_org", Label: "其他"},
}

// Statuses of a request.
const (
	StatusProcessing  = "processing"   // 办理中 (clock running)
	StatusCorrecting  = "correcting"   // 待补正 (clock restarts when the corrected request arrives)
	StatusConsulting  = "consulting"   // 征求意见中 (clock paused)
	StatusAwaitingFee = "awaiting_fee" // 待缴费 (clock paused)
	StatusReplied     = "replied"      // 已答复
	StatusClosed      = "closed"       // 终止办理 (其他处理)
)

// Statuses lists every status.
var Statuses = []Option{
	{Value: StatusProcessing, Label: "办理中"}, {Value: StatusCorrecting, Label: "待补正"}, {Value: StatusConsulting, Label: "征求意见中"},
	{Value: StatusAwaitingFee, Label: "待缴费"}, {Value: StatusReplied, Label: "已答复"}, {Value: StatusClosed, Label: "终止办理"},
}

// StatusOpen is a list filter: every request not yet answered or closed.
const StatusOpen = "open"

// StatusFilters are the register's status filter options.
var StatusFilters = append([]Option{{Value: StatusOpen, Label: "未办结"}}, Statuses...)

func isOpen(status string) bool { return status != StatusReplied && status != StatusClosed }

// Reply types: the seven of 条例 art. 36 as DOMAIN.md lists them, the
// partial disclosure of art. 37, the refusals to process of arts. 35, 38–39,
// and the closures without a reply (其他处理).
const (
	ReplyAlreadyPublic = "already_public" // (1) 已主动公开，告知获取方式和途径
	ReplyDisclose      = "disclose"       // (2) 予以公开
	ReplyWithhold      = "withhold"       // (3) 不予公开，说明理由
	ReplyNotExist      = "not_exist"      // (4) 政府信息不存在
	ReplyNotOurs       = "not_ours"       // (5) 非本机关负责公开，告知负责机关
	ReplyDuplicate     = "duplicate"      // (6) 重复申请，不予重复处理
	ReplyOtherLaw      = "other_law"      // (7) 法律法规另有规定，告知依其规定办理
	ReplyPartial       = "partial"        // art. 37 部分公开（区分处理）
	ReplyNotProcessed  = "not_processed"  // arts. 35, 38, 39 不予处理
	ReplyOther         = "other"          // 其他处理: no reply (逾期不补正、逾期不缴费、撤回)
)

// ReplyTypes lists the reply types in the order of the reply form.
var ReplyTypes = []Option{
	{Value: ReplyAlreadyPublic, Label: "已主动公开（告知获取途径）"},
	{Value: ReplyDisclose, Label: "予以公开"},
	{Value: ReplyPartial, Label: "部分公开"},
	{Value: ReplyWithhold, Label: "不予公开"},
	{Value: ReplyNotExist, Label: "政府信息不存在（无法提供）"},
	{Value: ReplyNotOurs, Label: "非本机关政府信息（告知负责机关）"},
	{Value: ReplyDuplicate, Label: "重复申请（不予重复处理）"},
	{Value: ReplyOtherLaw, Label: "告知依其他法律法规办理"},
	{Value: ReplyNotProcessed, Label: "不予处理"},
	{Value: ReplyOther, Label: "其他处理（终止办理）"},
}

// Reasons are the sub-rows of the annual report's table a reply type can
// fall in; a type with reasons must name one.
var Reasons = map[string][]Option{
	ReplyWithhold: {
		{Value: "state_secret", Label: "属于国家秘密"}, {Value: "law_forbids", Label: "其他法律行政法规禁止公开"}, {Value: "three_safety", Label: "危及“三安全一稳定”"},
		{Value: "third_party", Label: "保护第三方合法权益"}, {Value: "internal", Label: "属于三类内部事务信息"}, {Value: "process", Label: "属于四类过程性信息"},
		{Value: "enforcement_file", Label: "属于行政执法案卷"}, {Value: "inquiry", Label: "属于行政查询事项"},
	},
	ReplyNotExist: {
		{Value: "not_held", Label: "本机关不掌握相关政府信息"}, {Value: "need_compile", Label: "没有现成信息需要另行制作"}, {Value: "unclear", Label: "补正后申请内容仍不明确"},
	},
	ReplyNotProcessed: {
		{Value: "petition", Label: "信访举报投诉类申请"}, {Value: "publication", Label: "要求提供公开出版物"},
		{Value: "excessive", Label: "无正当理由大量反复申请"}, {Value: "confirm", Label: "要求行政机关确认或重新出具已获取信息"},
	},
	ReplyOther: {
		{Value: "no_correction", Label: "申请人无正当理由逾期不补正"}, {Value: "no_fee", Label: "申请人逾期未按收费通知要求缴纳费用"}, {Value: "other", Label: "其他"},
	},
}

// Stat groups: the six result sections of the annual report's table.
const (
	GroupDisclose     = "disclose"
	GroupPartial      = "partial"
	GroupWithhold     = "withhold"
	GroupUnable       = "unable"
	GroupNotProcessed = "not_processed"
	GroupOther        = "other"
)

// StatGroups lists the result sections in the table's order.
var StatGroups = []Option{
	{Value: GroupDisclose, Label: "予以公开"}, {Value: GroupPartial, Label: "部分公开"}, {Value: GroupWithhold, Label: "不予公开"},
	{Value: GroupUnable, Label: "无法提供"}, {Value: GroupNotProcessed, Label: "不予处理"}, {Value: GroupOther, Label: "其他处理"},
}

// statRow maps a reply to its row of the annual report's table (group and
// row code). The mapping follows 国办公开办函〔2021〕30号: an already public
// item counts as 予以公开; information of another agency counts as 本机关不
// 掌握; a duplicate as 不予处理·重复申请; a referral to another statutory
// procedure (art. 36(7)) as 其他处理·其他.
func statRow(replyType, reason string) (group, row string) {
	switch replyType {
	case ReplyAlreadyPublic, ReplyDisclose:
		return GroupDisclose, GroupDisclose
	case ReplyPartial:
		return GroupPartial, GroupPartial
	case ReplyWithhold:
		return GroupWithhold, "withhold." + reason
	case ReplyNotExist:
		return GroupUnable, "unable." + reason
	case ReplyNotOurs:
		return GroupUnable, "unable.not_held"
	case ReplyDuplicate:
		return GroupNotProcessed, "not_processed.duplicate"
	case ReplyNotProcessed:
		return GroupNotProcessed, "not_processed." + reason
	case ReplyOtherLaw:
		return GroupOther, "other.other"
	case ReplyOther:
		return GroupOther, "other." + reason
	}
	return "", ""
}

// releases reports whether a reply type hands information over (and so
// needs the secrecy review first).
func releases(replyType string) bool { return replyType == ReplyDisclose || replyType == ReplyPartial }

// Secrecy review results.
const (
	SecrecyCleared = "cleared" // 无涉密内容，同意公开
	SecrecySecret  = "secret"  // 涉及国家秘密，不得公开
)

// SecrecyResults lists the results.
var SecrecyResults = []Option{{Value: SecrecyCleared, Label: "经审查不涉密，同意公开"}, {Value: SecrecySecret, Label: "涉及国家秘密，不得公开"}}

// Consultation results.
var ConsultResults = []Option{{Value: "agree", Label: "同意公开"}, {Value: "object", Label: "不同意公开"}, {Value: "no_reply", Label: "逾期未提出意见"}}

// Fee methods (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号).
var FeeMethods = []Option{{Value: "pages", Label: "按量计收"}, {Value: "items", Label: "按件计收"}}

// Request is one disclosure request.
type Request struct {
	ID               int64     `json:"id"`
	Code             string    `json:"code" doc:"登记编号"`
	UnitID           int64     `json:"unit_id" doc:"办理机关"`
	UnitName         string    `json:"unit_name"`
	Channel          string    `json:"channel"`
	ChannelLabel     string    `json:"channel_label"`
	ApplicantType    string    `json:"applicant_type"`
	ApplicantLabel   string    `json:"applicant_type_label"`
	ApplicantName    string    `json:"applicant_name"`
	IDNumber         string    `json:"id_number"`
	Phone            string    `json:"phone"`
	Address          string    `json:"address"`
	Masked           bool      `json:"masked" doc:"个人信息已脱敏"`
	Content          string    `json:"content" doc:"申请公开的政府信息"`
	Purpose          string    `json:"purpose"`
	SubmittedOn      string    `json:"submitted_on" doc:"申请日期（提交、寄出或在线提交之日）"`
	SignedOn         string    `json:"signed_on" doc:"邮件签收日期"`
	ConfirmedOn      string    `json:"confirmed_on" doc:"网络、传真申请双方确认之日"`
	ReceivedOn       string    `json:"received_on" doc:"收到申请之日（按渠道规则确定）"`
	ReceiptRule      string    `json:"receipt_rule"`
	ReceiptExplain   string    `json:"receipt_explain"`
	Status           string    `json:"status"`
	StatusLabel      string    `json:"status_label"`
	ReplyDue         string    `json:"reply_due" doc:"答复期限"`
	DueExplain       string    `json:"due_explain"`
	DueProvisional   bool      `json:"due_provisional"`
	Overdue          bool      `json:"overdue"`
	CorrectionDue    string    `json:"correction_due" doc:"补正告知期限（收到申请后 7 个工作日）"`
	CorrectionOn     string    `json:"correction_on"`
	CorrectionItems  string    `json:"correction_items"`
	CorrectionUntil  string    `json:"correction_until" doc:"申请人补正期限"`
	CorrectedOn      string    `json:"corrected_on"`
	ConsultParty     string    `json:"consult_party"`
	ConsultOn        string    `json:"consult_on"`
	ConsultDue       string    `json:"consult_due" doc:"第三方答复期限（15 个工作日）"`
	ConsultClosedOn  string    `json:"consult_closed_on"`
	ConsultResult    string    `json:"consult_result"`
	ExtendedOn       string    `json:"extended_on"`
	ExtensionDays    int       `json:"extension_days"`
	ExtensionBy      string    `json:"extension_by"`
	ExtensionReason  string    `json:"extension_reason"`
	SecrecyOn        string    `json:"secrecy_on"`
	SecrecyBy        string    `json:"secrecy_by"`
	SecrecyResult    string    `json:"secrecy_result"`
	SecrecyNote      string    `json:"secrecy_note"`
	FeeMethod        string    `json:"fee_method"`
	FeeQuantity      int       `json:"fee_quantity"`
	FeeFen           int64     `json:"fee_fen" doc:"信息处理费（分）"`
	FeeNoticedOn     string    `json:"fee_noticed_on"`
	FeePaidOn        string    `json:"fee_paid_on"`
	ReplyType        string    `json:"reply_type"`
	ReplyTypeLabel   string    `json:"reply_type_label"`
	ReplyReason      string    `json:"reply_reason"`
	ReplyReasonLabel string    `json:"reply_reason_label"`
	StatGroup        string    `json:"stat_group"`
	StatRow          string    `json:"stat_row"`
	ReplyNo          string    `json:"reply_no" doc:"答复书文号"`
	ReplyText        string    `json:"reply_text" doc:"答复内容、理由或获取途径"`
	DoneOn           string    `json:"done_on" doc:"答复或终止日期"`
	OnTime           bool      `json:"on_time"`
	CreatedBy        int64     `json:"created_by"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	Version          int       `json:"version"`
	unitPath         string
	clock            []byte
}

// Event is one line of a request's timeline.
type Event struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"`
	Label     string    `json:"label"`
	Note      string    `json:"note"`
}

var actionLabels = map[string]string{
	"create": "登记申请", "import": "导入登记", "public_intake": "网上申请提交", "correction": "告知补正",
	"corrected": "收到补正申请", "consult": "征求第三方意见", "consult_closed": "第三方意见办结", "extend": "延长答复期限",
	"secrecy": "保密审查", "fee_notice": "发出收费通知", "fee_paid": "缴纳信息处理费", "reply": "作出答复", "close": "终止办理",
}

// ClockStep is one computed step of the reply clock, in Chinese.
type ClockStep struct {
	Date string `json:"date"`
	Due  string `json:"due"`
	Text string `json:"text"`
}

// Detail is a request with its timeline, clock steps and files.
type Detail struct {
	Request
	Clock  []ClockStep `json:"clock"`
	Events []Event     `json:"events"`
}

// Filter narrows the register.
type Filter struct {
	Q             string `query:"q" doc:"编号、申请人或申请内容"`
	Status        string `query:"status"`
	Channel       string `query:"channel"`
	ApplicantType string `query:"applicant_type"`
	ReplyType     string `query:"reply_type"`
	StatGroup     string `query:"stat_group" doc:"答复结果（年报分类）"`
	UnitID        int64  `query:"unit_id" doc:"办理机关（含下级）"`
	Overdue       bool   `query:"overdue" doc:"只看已超期未答复"`
	Year          int    `query:"year" doc:"收到申请年度"`
	// The on-time figure over a period: the requests that had to be answered
	// in it — answered in it, or still open with the reply deadline in it
	// and passed.
	AccountableFrom string `query:"accountable_from" doc:"应答复期间起"`
	AccountableTo   string `query:"accountable_to" doc:"应答复期间止"`
	OnTime          bool   `query:"on_time" doc:"只看按期答复的"`
	ReceivedFrom    string `query:"received_from" doc:"收到申请日期起"`
	ReceivedTo      string `query:"received_to" doc:"收到申请日期止"`
	CorrectionFrom  string `query:"correction_from" doc:"告知补正日期起"`
	CorrectionTo    string `query:"correction_to" doc:"告知补正日期止"`
	ExtendedFrom    string `query:"extended_from" doc:"延期日期起"`
	ExtendedTo      string `query:"extended_to" doc:"延期日期止"`
}
