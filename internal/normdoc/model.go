// Package normdoc runs 规范性文件 (normative documents): the issuing-body list,
// each document's procedure (drafting, evaluation and public comment for
// important documents, legality review, collective deliberation, unified
// registration and numbering, publication, filing with the level above and
// the filing-review result), validity periods with expiry reminders,
// clean-up campaigns, the public library with Chinese full-text search, and
// the Excel ledger (import and export). Facts: DOMAIN.md §2.6.
package normdoc

import "time"

// Status is where a document stands in its procedure.
type Status string

const (
	StatusDrafting    Status = "drafting"    // 起草中
	StatusReviewing   Status = "reviewing"   // 合法性审核中
	StatusDeliberated Status = "deliberated" // 已集体审议
	StatusRegistered  Status = "registered"  // 已统一登记编号
	StatusPublished   Status = "published"   // 现行有效（已公布）
	StatusExpired     Status = "expired"     // 有效期届满失效
	StatusRepealed    Status = "repealed"    // 已废止
	StatusRevoked     Status = "revoked"     // 备案审查被撤销
)

// Statuses lists every status in procedure order.
var Statuses = []Status{StatusDrafting, StatusReviewing, StatusDeliberated, StatusRegistered, StatusPublished, StatusExpired, StatusRepealed, StatusRevoked}

// Label is the Chinese name of the status.
func (s Status) Label() string {
	switch s {
	case StatusDrafting:
		return "起草中"
	case StatusReviewing:
		return "合法性审核中"
	case StatusDeliberated:
		return "已集体审议"
	case StatusRegistered:
		return "已统一登记编号"
	case StatusPublished:
		return "现行有效"
	case StatusExpired:
		return "已失效"
	case StatusRepealed:
		return "已废止"
	case StatusRevoked:
		return "已被撤销"
	}
	return string(s)
}

// ValidityPending is the public library's word for a document published
// but not yet in force (before its effective date).
const ValidityPending = "尚未施行"

// Validity is the document's standing on today (YYYY-MM-DD) as a reader
// is told it — the one answer the staff ledger, its export and the public
// library all give: a published document is 尚未施行 before its effective
// date, and 已失效 once its validity period has ended (before the expiry job
// marks it so), with that date as its end; otherwise its status's label
// and its recorded end date.
func (d *Document) Validity(today string) (label, endedOn string) {
	switch {
	case d.Status == StatusPublished && d.EffectiveOn > today:
		return ValidityPending, d.EndedOn
	case d.Status == StatusPublished && d.ExpiresOn != "" && d.ExpiresOn < today:
		return StatusExpired.Label(), d.ExpiresOn
	}
	return d.Status.Label(), d.EndedOn
}

// IsPublic reports whether the document was published (the public library
// shows it, whether still in force or not).
func (s Status) IsPublic() bool {
	return s == StatusPublished || s == StatusExpired || s == StatusRepealed || s == StatusRevoked
}

// FilingResult is the level above's filing-review conclusion.
type FilingResult string

const (
	FilingPassed     FilingResult = "passed"     // 审查通过
	FilingCorrection FilingResult = "correction" // 责令纠正
	FilingRevoked    FilingResult = "revoked"    // 予以撤销
)

// Label is the Chinese name of the result.
func (r FilingResult) Label() string {
	switch r {
	case FilingPassed:
		return "审查通过"
	case FilingCorrection:
		return "责令纠正"
	case FilingRevoked:
		return "予以撤销"
	case "":
		return ""
	}
	return string(r)
}

// Filing-review history entry kinds.
const (
	EventResult     = "result"     // a filing-review result of the level above
	EventCorrection = "correction" // the issuing body's correction after 责令纠正
)

// What may be recorded next in the filing review (Document.FilingNext).
const (
	NextResult     = "result"     // 登记备案审查结果
	NextCorrection = "correction" // 登记纠正情况
)

// FilingEvent is one entry of a document's filing-review history. Entries
// are only appended: a later result never overwrites an earlier one.
type FilingEvent struct {
	Seq              int          `json:"seq"`
	Kind             string       `json:"kind" enum:"result,correction" doc:"result 备案审查结果；correction 纠正情况"`
	Result           FilingResult `json:"result" doc:"kind 为 result 时的审查结果"`
	Label            string       `json:"label"`
	Date             string       `json:"date" doc:"审查结论日期或纠正完成日期"`
	CorrectedVersion string       `json:"corrected_version" doc:"纠正后的文本（版本、文号等）"`
	Note             string       `json:"note"`
	RecordedBy       string       `json:"recorded_by"`
	RecordedAt       time.Time    `json:"recorded_at"`
}

// CleanupOutcome is a clean-up campaign's conclusion about one document.
type CleanupOutcome string

const (
	OutcomeKeep   CleanupOutcome = "keep"   // 继续有效
	OutcomeAmend  CleanupOutcome = "amend"  // 修改
	OutcomeRepeal CleanupOutcome = "repeal" // 废止
)

// Label is the Chinese name of the outcome.
func (o CleanupOutcome) Label() string {
	switch o {
	case OutcomeKeep:
		return "继续有效"
	case OutcomeAmend:
		return "修改"
	case OutcomeRepeal:
		return "废止"
	case "":
		return "未决定"
	}
	return string(o)
}

// CleanupStatus is where a clean-up campaign stands.
type CleanupStatus string

const (
	CleanupOpen      CleanupStatus = "open"      // 清理中
	CleanupFinished  CleanupStatus = "finished"  // 已完成
	CleanupPublished CleanupStatus = "published" // 结果已公布
)

// Label is the Chinese name of the campaign status.
func (s CleanupStatus) Label() string {
	switch s {
	case CleanupOpen:
		return "清理中"
	case CleanupFinished:
		return "已完成"
	case CleanupPublished:
		return "结果已公布"
	}
	return string(s)
}

// Issuer is one entry of the issuing-body list (制定主体清单).
type Issuer struct {
	ID       int64  `json:"id"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Name     string `json:"name" doc:"制定主体名称，如 清河区人民政府"`
	Prefix   string `json:"prefix" doc:"文号前缀（机关代字），如 清河府规"`
	Basis    string `json:"basis" doc:"制定权依据"`
	Active   bool   `json:"active"`
	ListedOn string `json:"listed_on"`
	Version  int64  `json:"version"`
}

// Document is one normative document with its whole procedure record.
type Document struct {
	ID          int64  `json:"id"`
	IssuerID    int64  `json:"issuer_id"`
	IssuerName  string `json:"issuer_name"`
	UnitID      int64  `json:"unit_id"`
	UnitName    string `json:"unit_name"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Body        string `json:"body"`
	Important   bool   `json:"important" doc:"是否重要规范性文件（须评估论证、公开征求意见）"`
	Status      Status `json:"status"`
	StatusLabel string `json:"status_label"`
	Source      string `json:"source" doc:"system 在系统中制定；import 导入的存量文件"`

	DraftedOn           string `json:"drafted_on"`
	EvaluationOn        string `json:"evaluation_on"`
	EvaluationNote      string `json:"evaluation_note"`
	CommentFrom         string `json:"comment_from"`
	CommentTo           string `json:"comment_to"`
	CommentCount        int    `json:"comment_count"`
	CommentSummary      string `json:"comment_summary"`
	ReviewID            int64  `json:"review_id"`
	ReviewSubmittedOn   string `json:"review_submitted_on"`
	ReviewStatus        string `json:"review_status" doc:"进入集体审议时的合法性审核结论"`
	DeliberationMeeting string `json:"deliberation_meeting"`
	DeliberationOn      string `json:"deliberation_on"`
	DeliberationNote    string `json:"deliberation_note"`

	DocNo        string `json:"doc_no" doc:"统一编号，如 清河府规〔2026〕3号"`
	NumberYear   int    `json:"number_year"`
	NumberSeq    int    `json:"number_seq"`
	RegisteredOn string `json:"registered_on"`
	PublishedOn  string `json:"published_on"`
	EffectiveOn  string `json:"effective_on"`
	Urgent       bool   `json:"urgent"`
	UrgentReason string `json:"urgent_reason"`
	ValidYears   int    `json:"valid_years"`
	ExpiresOn    string `json:"expires_on"`

	FilingDue         string        `json:"filing_due"`
	FilingExplain     string        `json:"filing_explain" doc:"备案期限的计算过程"`
	FilingTo          string        `json:"filing_to"`
	FiledOn           string        `json:"filed_on"`
	FiledOnTime       *bool         `json:"filed_on_time"`
	FilingResult      FilingResult  `json:"filing_result"`
	FilingResultLabel string        `json:"filing_result_label"`
	FilingResultOn    string        `json:"filing_result_on"`
	FilingResultNote  string        `json:"filing_result_note"`
	FilingNext        string        `json:"filing_next,omitempty" enum:"result,correction," doc:"（详情接口返回）备案审查下一步可登记的事项：result 备案审查结果，correction 纠正情况，空表示无（未报送备案，或结果为审查通过、予以撤销的最终结论）"`
	FilingHistory     []FilingEvent `json:"filing_history,omitempty" doc:"备案审查记录（每次审查结果与纠正情况，按先后顺序；详情接口返回）"`

	EndedOn      string `json:"ended_on" doc:"失效、废止或撤销的日期"`
	EndReason    string `json:"end_reason"`
	InternalNote string `json:"internal_note" doc:"内部备注（不公开）"`
	Version      int64  `json:"version"`
	Timeline     []Step `json:"timeline,omitempty" doc:"程序时间轴（详情接口返回）"`

	filingClock string

	score float64 // text-search score in a list (the keyset cursor needs it)
}

// Step is one entry of a document's procedure timeline.
type Step struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Date  string `json:"date"`
	Done  bool   `json:"done"`
	Note  string `json:"note"`
}

// PublicDocument is what the portal may show: no internal notes, no review
// or deliberation records.
type PublicDocument struct {
	ID          int64  `json:"id"`
	IssuerName  string `json:"issuer_name"`
	Title       string `json:"title"`
	DocNo       string `json:"doc_no"`
	Summary     string `json:"summary"`
	Body        string `json:"body,omitempty"`
	PublishedOn string `json:"published_on"`
	EffectiveOn string `json:"effective_on"`
	ExpiresOn   string `json:"expires_on"`
	Validity    string `json:"validity" doc:"效力状态：尚未施行、现行有效、已失效、已废止、已被撤销"`
	EndedOn     string `json:"ended_on,omitempty"`
}

// Cleanup is a clean-up campaign (清理).
type Cleanup struct {
	ID          int64         `json:"id"`
	UnitID      int64         `json:"unit_id"`
	UnitName    string        `json:"unit_name"`
	Title       string        `json:"title"`
	Basis       string        `json:"basis"`
	Status      CleanupStatus `json:"status"`
	StatusLabel string        `json:"status_label"`
	StartedOn   string        `json:"started_on"`
	FinishedOn  string        `json:"finished_on"`
	PublishedOn string        `json:"published_on"`
	ItemCount   int           `json:"item_count"`
	Decided     int           `json:"decided"`
	Version     int64         `json:"version"`
	Items       []CleanupItem `json:"items,omitempty"`
}

// CleanupItem is one document's conclusion in a campaign.
type CleanupItem struct {
	ID           int64          `json:"id"`
	DocumentID   int64          `json:"document_id"`
	Title        string         `json:"title"`
	DocNo        string         `json:"doc_no"`
	IssuerName   string         `json:"issuer_name"`
	Outcome      CleanupOutcome `json:"outcome"`
	OutcomeLabel string         `json:"outcome_label"`
	Reason       string         `json:"reason"`
	DecidedOn    string         `json:"decided_on"`
}
