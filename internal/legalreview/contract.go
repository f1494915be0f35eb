package legalreview

// This file holds the contract other modules (decision, normdoc) compile
// against. Keep it stable: they declare small interfaces over
// Service.Open and Service.Outcome.

// Kind is what a review request is about.
type Kind string

const (
	KindDecision Kind = "decision" // 重大行政决策草案
	KindNormdoc  Kind = "normdoc"  // 规范性文件草案
	KindContract Kind = "contract" // 合同、协议
	KindPolicy   Kind = "policy"   // 涉及市场主体经济活动的政策措施（含公平竞争审查）
	// KindEnforcement is 重大执法决定法制审核 (行政处罚法 art. 58), opened
	// only by the enforcement module from a case (SubjectType
	// "enforcement_case"). The 7-working-day minimum of decision reviews
	// (legalreview.min) does not apply to it.
	KindEnforcement Kind = "enforcement"
)

// OpenInput opens a review request linked to a subject record of another
// module (SubjectType "decision"/"normdoc", SubjectID its ID). Requests made
// directly by users (contracts, policies) may leave SubjectType empty.
type OpenInput struct {
	Kind        string  `json:"kind"`
	Title       string  `json:"title"`
	UnitID      int64   `json:"unit_id"`
	SubjectType string  `json:"subject_type,omitempty"`
	SubjectID   int64   `json:"subject_id,omitempty"`
	Summary     string  `json:"summary,omitempty"`
	FileIDs     []int64 `json:"file_ids,omitempty"`
	// RequestedBy is the requested completion date (YYYY-MM-DD). It may not
	// be earlier than 7 working days after submission (rule legalreview.min).
	// Empty means "the earliest allowed date".
	RequestedBy string `json:"requested_by,omitempty"`
}

// Outcome statuses.
const (
	OutcomeNone              = "none"
	OutcomePending           = "pending"
	OutcomePassed            = "passed"
	OutcomePassedWithChanges = "passed_with_changes"
	OutcomeFailed            = "failed"
)

// Outcome is the latest review result for a subject.
type Outcome struct {
	ReviewID   int64  `json:"review_id"`
	Status     string `json:"status"`      // none, pending, passed, passed_with_changes, failed
	FinishedOn string `json:"finished_on"` // YYYY-MM-DD, empty until concluded
}

// Passed reports whether the outcome lets the subject proceed
// (passed or passed_with_changes).
func (o Outcome) Passed() bool {
	return o.Status == OutcomePassed || o.Status == OutcomePassedWithChanges
}
