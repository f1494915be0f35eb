// Package enforcement is 行政执法监督 part I: enforcement bodies and the
// towns' entrusted/empowered item lists, enforcement officers and their
// certificates, the case register (entered, imported from Excel or pushed
// by the provincial enforcement platform) and the automatic rules that
// check every case on save and nightly, raising problems in the one
// findings ledger (package finding through a small interface).
package enforcement

import (
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/option"
)

// Permissions.
const (
	PermRead     = "enforcement.read"
	PermWrite    = "enforcement.write"
	PermConfig   = "enforcement.config"   // bodies, grants, platform credentials
	PermPersonal = "enforcement.personal" // parties' ID numbers, phones, addresses in full
	// The 司法局 acknowledges or returns reports of penalties on enterprises.
	PermSupervise = "enforcement.supervise"
)

func init() {
	auth.RegisterPerms("enforcement", map[string]string{
		PermRead: "查看行政执法台账", PermWrite: "登记行政执法人员与案件", PermConfig: "维护执法主体与省级平台接入",
		PermPersonal: "查看执法案件当事人完整身份信息", PermSupervise: "审查涉企处罚报备",
	})
}

// Option is a code with its Chinese label (selects, imports, exports).
type Option = option.Option

// BodyKinds: how a body holds its enforcement power.
var BodyKinds = []Option{
	{Value: "statutory", Label: "法定行政机关"}, {Value: "authorized", Label: "法律法规授权组织"}, {Value: "entrusted", Label: "受委托组织"}, {Value: "town", Label: "乡镇（街道）"},
}

// GrantModes of a town's item list.
var GrantModes = []Option{{Value: "entrusted", Label: "委托"}, {Value: "empowered", Label: "赋权"}}

// CertKinds of enforcement certificates.
var CertKinds = []Option{{Value: "admin", Label: "行政执法证"}, {Value: "supervision", Label: "行政执法监督证"}, {Value: "other", Label: "其他执法证件"}}

// CertStatuses; a certificate counts as valid only when its status is
// valid and the day lies within its issue and expiry dates.
var CertStatuses = []Option{{Value: "valid", Label: "有效"}, {Value: "suspended", Label: "暂扣"}, {Value: "revoked", Label: "注销"}}

// CaseKinds of the register.
var CaseKinds = []Option{{Value: "penalty", Label: "行政处罚"}, {Value: "compulsory", Label: "行政强制措施"}, {Value: "inspection", Label: "行政检查"}, {Value: "licence", Label: "行政许可"}}

// PartyTypes.
var PartyTypes = []Option{{Value: "person", Label: "自然人"}, {Value: "organisation", Label: "法人或其他组织"}}

// Procedures.
var Procedures = []Option{{Value: "general", Label: "普通程序"}, {Value: "on_the_spot", Label: "简易程序（当场处罚）"}}

// CaseSources: how a case reached the register.
var CaseSources = []Option{{Value: "form", Label: "系统登记"}, {Value: "import", Label: "Excel 导入"}, {Value: "platform", Label: "省级执法平台推送"}}

// Body is an enforcement body (执法主体).
type Body struct {
	ID         int64  `json:"id"`
	UnitID     int64  `json:"unit_id"`
	UnitName   string `json:"unit_name"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	KindLabel  string `json:"kind_label"`
	LegalBasis string `json:"legal_basis"`
	Categories string `json:"categories" doc:"执法类别，用顿号分隔"`
	Version    int64  `json:"version"`
	unitPath   string
}

// Grant is one item a town exercises by entrustment or empowerment.
type Grant struct {
	ID          int64  `json:"id"`
	UnitID      int64  `json:"unit_id"`
	UnitName    string `json:"unit_name"`
	Mode        string `json:"mode"`
	ModeLabel   string `json:"mode_label"`
	Item        string `json:"item"`
	GrantingDoc string `json:"granting_doc"`
	GrantedOn   string `json:"granted_on"`
	Version     int64  `json:"version"`
	unitPath    string
}

// Officer is an enforcement officer with the certificate.
type Officer struct {
	ID              int64  `json:"id"`
	UnitID          int64  `json:"unit_id"`
	UnitName        string `json:"unit_name"`
	Name            string `json:"name"`
	Phone           string `json:"phone"`
	CertNo          string `json:"cert_no"`
	CertKind        string `json:"cert_kind"`
	CertKindLabel   string `json:"cert_kind_label"`
	CertAuthority   string `json:"cert_authority"`
	CertIssuedOn    string `json:"cert_issued_on"`
	CertExpiresOn   string `json:"cert_expires_on"`
	CertStatus      string `json:"cert_status"`
	CertStatusLabel string `json:"cert_status_label"`
	CertValidToday  bool   `json:"cert_valid_today"`
	TrainingHours   int    `json:"training_hours" doc:"本年度法律知识培训学时"`
	TrainingYear    int    `json:"training_year"`
	UserID          *int64 `json:"user_id,omitempty" doc:"关联的系统账号（参加在线考试）"`
	Username        string `json:"username" doc:"关联账号的用户名（未关联为空）"`
	Version         int64  `json:"version"`
	unitPath        string
}

// Case is one enforcement case in the register.
type Case struct {
	ID              int64          `json:"id"`
	Code            string         `json:"code"`
	PlatformNo      string         `json:"platform_no"`
	Source          string         `json:"source"`
	SourceLabel     string         `json:"source_label"`
	UnitID          int64          `json:"unit_id"`
	UnitName        string         `json:"unit_name"`
	BodyID          int64          `json:"body_id"`
	BodyName        string         `json:"body_name"`
	Kind            string         `json:"kind"`
	KindLabel       string         `json:"kind_label"`
	Title           string         `json:"title"`
	PartyType       string         `json:"party_type"`
	PartyTypeLabel  string         `json:"party_type_label"`
	PartyName       string         `json:"party_name"`
	PartyIDNo       string         `json:"party_id_no"`
	PartyPhone      string         `json:"party_phone"`
	PartyAddress    string         `json:"party_address"`
	Masked          bool           `json:"masked" doc:"当事人身份信息已脱敏"`
	Procedure       string         `json:"procedure"`
	ProcedureLabel  string         `json:"procedure_label"`
	AmountFen       int64          `json:"amount_fen"`
	LegalBasis      string         `json:"legal_basis"`
	DiscretionBand  string         `json:"discretion_band"`
	Major           bool           `json:"major" doc:"重大执法决定（须法制审核）"`
	HearingMeasure  bool           `json:"hearing_measure" doc:"拟作出吊销许可证、责令停产停业等应告知听证的处罚"`
	Extended        bool           `json:"extended" doc:"已依法批准延长办案期限"`
	ExtensionNote   string         `json:"extension_note"`
	FiledOn         string         `json:"filed_on"`
	PriorNoticeOn   string         `json:"prior_notice_on"`
	HearingNoticeOn string         `json:"hearing_notice_on"`
	HearingOn       string         `json:"hearing_on"`
	DecidedOn       string         `json:"decided_on"`
	ServedOn        string         `json:"served_on"`
	ClosedOn        string         `json:"closed_on"`
	DisclosedOn     string         `json:"disclosed_on"`
	Officers        []CaseOfficer  `json:"officers"`
	OpenHits        []Hit          `json:"open_hits"`
	LegalReview     *ReviewOutcome `json:"legal_review,omitempty" doc:"重大执法决定的法制审核（只对重大执法决定）"`
	Version         int64          `json:"version"`
	unitPath        string
}

// CaseOfficer is an officer on a case, with the certificate as it stood on
// the filing day.
type CaseOfficer struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	CertNo        string `json:"cert_no"`
	ValidOnFiling bool   `json:"valid_on_filing"`
}

// Hit is one automatic rule hit on a case.
type Hit struct {
	ID          int64  `json:"id"`
	CaseID      int64  `json:"case_id"`
	CaseCode    string `json:"case_code"`
	CaseTitle   string `json:"case_title"`
	UnitName    string `json:"unit_name"`
	Rule        string `json:"rule"`
	RuleLabel   string `json:"rule_label"`
	RuleVersion int    `json:"rule_version"`
	Detail      string `json:"detail"`
	Status      string `json:"status"`
	FindingID   int64  `json:"finding_id"`
	OpenedOn    string `json:"opened_on"`
	ClosedOn    string `json:"closed_on"`
}
