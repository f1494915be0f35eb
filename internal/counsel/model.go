// Package counsel is the legal adviser register (法律顾问): a three-level
// pool (district, town, village/community), each adviser managed by a unit,
// with qualifications, contracts with the units served (period, fee), work
// records (consultations, meetings attended, written opinions, contracts
// reviewed, cases represented), the legality reviews they took part in
// (linked from legalreview through ReviewLookup) and the yearly evaluation
// under the "five unified" management (统一选聘、统一管理、统一职责、
// 统一报酬、统一考核). Coverage lists every unit without an adviser under an
// active contract.
package counsel

import (
	"fazhi/internal/platform/option"
	"time"

	"fazhi/internal/platform/auth"
)

// Permissions.
const (
	PermRead  = "counsel.read"
	PermWrite = "counsel.write"
)

// Figure codes.
const (
	FigureCoverage = "counsel.coverage_rate"
	FigureOpinions = "counsel.opinion_count"
	FigureWorks    = "counsel.work_count"
)

func init() {
	auth.RegisterPerms("counsel", map[string]string{PermRead: "查看法律顾问", PermWrite: "管理法律顾问"})
}

// Option is a code with its Chinese label.
type Option = option.Option

// Levels of the pool.
var Levels = []Option{{Value: "district", Label: "区级"}, {Value: "town", Label: "镇街级"}, {Value: "village", Label: "村居级"}}

// Kinds of adviser.
var Kinds = []Option{{Value: "lawyer", Label: "执业律师"}, {Value: "public", Label: "公职律师"}, {Value: "scholar", Label: "法学专家学者"}, {Value: "worker", Label: "基层法律服务工作者"}}

// WorkKinds are the kinds of work record.
var WorkKinds = []Option{{Value: "consultation", Label: "法律咨询"}, {Value: "meeting", Label: "列席会议"}, {Value: "opinion", Label: "出具书面法律意见"},
	{Value: "contract", Label: "审查合同"}, {Value: "case", Label: "代理诉讼、复议案件"}}

// Grades of the yearly evaluation.
var Grades = []Option{{Value: "excellent", Label: "优秀"}, {Value: "competent", Label: "称职"}, {Value: "basic", Label: "基本称职"}, {Value: "incompetent", Label: "不称职"}}

// Adviser is one legal adviser of the pool.
type Adviser struct {
	ID            int64     `json:"id"`
	UnitID        int64     `json:"unit_id" doc:"管理单位"`
	UnitName      string    `json:"unit_name"`
	Name          string    `json:"name"`
	Level         string    `json:"level"`
	LevelLabel    string    `json:"level_label"`
	Kind          string    `json:"kind"`
	KindLabel     string    `json:"kind_label"`
	Firm          string    `json:"firm" doc:"执业机构"`
	LicenseNo     string    `json:"license_no" doc:"执业证号"`
	Qualification string    `json:"qualification" doc:"资格、专长"`
	Phone         string    `json:"phone"`
	UserID        int64     `json:"user_id,omitempty" doc:"系统账号（参与合法性审查的账号）"`
	Active        bool      `json:"active"`
	Serving       int       `json:"serving" doc:"当前有效聘用合同数"`
	UpdatedAt     time.Time `json:"updated_at"`
	Version       int       `json:"version"`

	unitPath string
}

// Contract is an adviser's engagement by a unit.
type Contract struct {
	ID        int64  `json:"id"`
	AdviserID int64  `json:"adviser_id"`
	UnitID    int64  `json:"unit_id" doc:"服务单位"`
	UnitName  string `json:"unit_name"`
	StartsOn  string `json:"starts_on"`
	EndsOn    string `json:"ends_on"`
	Fee       int64  `json:"fee" doc:"报酬（元）"`
	FeeBasis  string `json:"fee_basis" doc:"计酬方式"`
	Note      string `json:"note"`
	Current   bool   `json:"current" doc:"今天在合同期内"`
	Version   int    `json:"version"`
}

// Work is one work record.
type Work struct {
	ID          int64  `json:"id"`
	AdviserID   int64  `json:"adviser_id"`
	AdviserName string `json:"adviser_name"`
	UnitID      int64  `json:"unit_id"`
	UnitName    string `json:"unit_name"`
	Kind        string `json:"kind"`
	KindLabel   string `json:"kind_label"`
	Day         string `json:"day"`
	Title       string `json:"title"`
	Note        string `json:"note"`
}

// Evaluation is one year's evaluation of an adviser.
type Evaluation struct {
	ID           int64  `json:"id"`
	Year         int    `json:"year"`
	SelectionOK  bool   `json:"selection_ok" doc:"统一选聘"`
	ManagementOK bool   `json:"management_ok" doc:"统一管理"`
	DutiesOK     bool   `json:"duties_ok" doc:"统一职责"`
	PayOK        bool   `json:"pay_ok" doc:"统一报酬"`
	Score        int    `json:"score" doc:"统一考核得分"`
	Grade        string `json:"grade"`
	GradeLabel   string `json:"grade_label"`
	Note         string `json:"note"`
	EvaluatedOn  string `json:"evaluated_on"`
}

// ReviewLink is a legality review the adviser took part in (from
// legalreview through ReviewLookup).
type ReviewLink struct {
	ReviewID    int64  `json:"review_id"`
	Title       string `json:"title"`
	KindLabel   string `json:"kind_label"`
	UnitName    string `json:"unit_name"`
	StatusLabel string `json:"status_label"`
	Step        string `json:"step"`
	ActedOn     string `json:"acted_on,omitempty"`
	Opinion     string `json:"opinion,omitempty"`
	OpinionNo   string `json:"opinion_no,omitempty"`
}

// Detail is an adviser with contracts, recent work, evaluations and the
// legality reviews they took part in.
type Detail struct {
	Adviser
	Contracts   []Contract   `json:"contracts"`
	Works       []Work       `json:"works" doc:"最近的工作记录（至多 100 条）"`
	Evaluations []Evaluation `json:"evaluations"`
	Reviews     []ReviewLink `json:"reviews" doc:"参与的合法性审查"`
	CanWrite    bool         `json:"can_write"`
}

// UnitRef is an org unit as coverage sees it.
type UnitRef struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Path      string `json:"-"`
	Type      string `json:"type"`
	TypeLabel string `json:"type_label"`
}

// Coverage is which units have an adviser under an active contract.
type Coverage struct {
	Required int       `json:"required" doc:"应配备法律顾问的单位数"`
	Covered  int       `json:"covered"`
	Rate     float64   `json:"rate"`
	Gaps     []UnitRef `json:"gaps" doc:"尚未配备法律顾问的单位"`
	ByType   []TypeRow `json:"by_type"`
	AsOf     string    `json:"as_of"`
}

// TypeRow is coverage of one unit type.
type TypeRow struct {
	Type     string `json:"type"`
	Label    string `json:"label"`
	Required int    `json:"required"`
	Covered  int    `json:"covered"`
}
