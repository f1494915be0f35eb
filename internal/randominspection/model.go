// Package randominspection is 双随机、一公开: the inspection matters list
// per enforcement body, annual plans (one body, or a joint plan of several)
// with an entity pool by risk level and an inspector pool of certified
// officers, conflicts excluded before the draw, the publicly verifiable
// draw (package platform/draw: commitment published first, seed revealed
// with the result), the checks drawn with their results (problems go to the
// findings ledger) and their publication within 20 working days (calendar
// rule randominspection.publish). Enforcement bodies and officers are
// reached through small interfaces adapted in internal/app.
package randominspection

import (
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/option"
)

// Permissions.
const (
	PermRead  = "randominspection.read"
	PermWrite = "randominspection.write"
)

func init() {
	auth.RegisterPerms("randominspection", map[string]string{
		PermRead: "查看双随机抽查", PermWrite: "办理双随机抽查（事项清单、抽查计划、抽取、结果）",
	})
}

// RulePublish is the calendar rule of publishing a check's result.
const RulePublish = "randominspection.publish"

// Option is a code with its Chinese label.
type Option = option.Option

// Risks are the risk levels of inspected entities (the draw's strata).
var Risks = []Option{{Value: "high", Label: "高风险"}, {Value: "medium", Label: "中风险"}, {Value: "low", Label: "低风险"}}

// EntityKinds: an organisation's name and credit code are public; a natural
// person (个体工商户经营者 and the like) never reaches the public files.
var EntityKinds = []Option{{Value: "organisation", Label: "企业或其他组织"}, {Value: "person", Label: "个体工商户或自然人"}}

// Methods of inspection.
var Methods = []Option{{Value: "onsite", Label: "现场检查"}, {Value: "document", Label: "书面检查"}, {Value: "online", Label: "网络监测"}, {Value: "sampling", Label: "抽样检验"}}

// Plan statuses.
const (
	StatusDraft     = "draft"
	StatusCommitted = "committed"
	StatusDrawn     = "drawn"
)

// PlanStatuses with labels.
var PlanStatuses = []Option{{Value: StatusDraft, Label: "编制中"}, {Value: StatusCommitted, Label: "已公布名录承诺"}, {Value: StatusDrawn, Label: "已抽取"}}

// Check statuses.
const (
	CheckPending   = "pending"
	CheckRecorded  = "recorded"
	CheckPublished = "published"
)

// CheckStatuses with labels.
var CheckStatuses = []Option{{Value: CheckPending, Label: "待检查"}, {Value: CheckRecorded, Label: "已录入结果待公示"}, {Value: CheckPublished, Label: "已公示"}}

// Results of a check.
const (
	ResultClean    = "clean"
	ResultProblems = "problems"
	ResultAbsent   = "absent"
)

// Results with labels.
var Results = []Option{{Value: ResultClean, Label: "未发现问题"}, {Value: ResultProblems, Label: "发现问题"}, {Value: ResultAbsent, Label: "通过登记的住所（经营场所）无法联系"}}

// MinInspectors is the legal minimum of inspectors per check.
const MinInspectors = 2

// Matter is one item of a body's 随机抽查事项清单.
type Matter struct {
	ID          int64  `json:"id"`
	UnitID      int64  `json:"unit_id"`
	UnitName    string `json:"unit_name"`
	BodyID      int64  `json:"body_id"`
	BodyName    string `json:"body_name"`
	Name        string `json:"name"`
	LegalBasis  string `json:"legal_basis"`
	ObjectKind  string `json:"object_kind" doc:"检查对象类别"`
	Method      string `json:"method"`
	MethodLabel string `json:"method_label"`
	Version     int64  `json:"version"`
	unitPath    string
}

// Ratios are the sampling ratios per risk level in per mille (30 = 3%).
type Ratios struct {
	High   int `json:"high" doc:"高风险抽取比例（千分比，300 即 30%）"`
	Medium int `json:"medium" doc:"中风险抽取比例（千分比）"`
	Low    int `json:"low" doc:"低风险抽取比例（千分比）"`
}

// Of is the ratio of a risk level.
func (r Ratios) Of(risk string) int {
	switch risk {
	case "high":
		return r.High
	case "medium":
		return r.Medium
	}
	return r.Low
}

// Plan is an annual random-inspection plan.
type Plan struct {
	ID             int64    `json:"id"`
	Code           string   `json:"code"`
	Year           int      `json:"year"`
	Title          string   `json:"title"`
	UnitID         int64    `json:"unit_id"`
	UnitName       string   `json:"unit_name"`
	Joint          bool     `json:"joint" doc:"部门联合抽查"`
	BodyIDs        []int64  `json:"body_ids"`
	BodyNames      []string `json:"body_names"`
	MatterIDs      []int64  `json:"matter_ids"`
	MatterNames    []string `json:"matter_names"`
	Ratios         Ratios   `json:"ratios"`
	PerCheck       int      `json:"per_check" doc:"每户检查人员数（不少于 2）"`
	Status         string   `json:"status"`
	StatusLabel    string   `json:"status_label"`
	Entities       int      `json:"entities" doc:"检查对象名录户数"`
	Inspectors     int      `json:"inspectors" doc:"检查人员名录人数"`
	Relations      int      `json:"relations" doc:"申报的回避关系数"`
	SnapshotSHA256 string   `json:"snapshot_sha256"`
	SeedSHA256     string   `json:"seed_sha256" doc:"种子承诺值（SHA-256）"`
	Seed           string   `json:"seed" doc:"抽取后公开的种子；抽取前为空"`
	CommittedAt    string   `json:"committed_at"`
	DrawnAt        string   `json:"drawn_at"`
	Checks         int      `json:"checks"`
	Version        int64    `json:"version"`
	unitPath       string
	seed           string
}

// Entity is one member of a plan's entity pool.
type Entity struct {
	ID         int64  `json:"id"`
	PlanID     int64  `json:"plan_id"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
	Kind       string `json:"kind"`
	KindLabel  string `json:"kind_label"`
	Risk       string `json:"risk"`
	RiskLabel  string `json:"risk_label"`
	UnitID     int64  `json:"unit_id" doc:"对象所属单位（如有，同单位的检查人员回避）"`
	UnitName   string `json:"unit_name"`
}

// Inspector is one member of a plan's inspector pool.
type Inspector struct {
	OfficerID int64  `json:"officer_id"`
	Name      string `json:"name"`
	UnitID    int64  `json:"unit_id"`
	UnitName  string `json:"unit_name"`
}

// Relation is a declared inspector–entity relation (回避).
type Relation struct {
	OfficerID   int64  `json:"officer_id"`
	OfficerName string `json:"officer_name"`
	EntityID    int64  `json:"entity_id"`
	EntityName  string `json:"entity_name"`
	Note        string `json:"note"`
}

// Check is one drawn entity with its inspectors.
type Check struct {
	ID           int64  `json:"id"`
	PlanID       int64  `json:"plan_id"`
	PlanCode     string `json:"plan_code"`
	PlanTitle    string `json:"plan_title"`
	Seq          int    `json:"seq"`
	EntityID     int64  `json:"entity_id"`
	EntityName   string `json:"entity_name"`
	CreditCode   string `json:"credit_code"`
	Risk         string `json:"risk"`
	RiskLabel    string `json:"risk_label"`
	UnitID       int64  `json:"unit_id"`
	UnitName     string `json:"unit_name"`
	Inspectors   string `json:"inspectors" doc:"检查人员，顿号分隔"`
	Status       string `json:"status"`
	StatusLabel  string `json:"status_label"`
	CheckedOn    string `json:"checked_on"`
	Result       string `json:"result"`
	ResultLabel  string `json:"result_label"`
	Problems     string `json:"problems"`
	FindingID    int64  `json:"finding_id"`
	PublishDue   string `json:"publish_due"`
	PublishedOn  string `json:"published_on"`
	PublishLate  bool   `json:"publish_late" doc:"公示已超过期限（或超期未公示）"`
	Version      int64  `json:"version"`
	unitPath     string
	entityKind   string
	planUnitPath string
}
