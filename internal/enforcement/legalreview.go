package enforcement

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

// Legal review outcome statuses (as the legalreview module answers them).
const (
	ReviewNone              = "none"
	ReviewPending           = "pending"
	ReviewPassed            = "passed"
	ReviewPassedWithChanges = "passed_with_changes"
	ReviewFailed            = "failed"
)

// ReviewOutcome is where a case's 重大执法决定法制审核 stands.
type ReviewOutcome struct {
	ReviewID    int64  `json:"review_id" doc:"合法性审查模块中的审查编号（0：尚未送审）"`
	Status      string `json:"status" enum:"none,pending,passed,passed_with_changes,failed"`
	StatusLabel string `json:"status_label"`
	FinishedOn  string `json:"finished_on" doc:"审核办结日期"`
}

// Passed reports whether the review lets the decision be made.
func (o ReviewOutcome) Passed() bool {
	return o.Status == ReviewPassed || o.Status == ReviewPassedWithChanges
}

func reviewLabel(status string) string {
	switch status {
	case ReviewPending:
		return "审核中"
	case ReviewPassed:
		return "审核通过"
	case ReviewPassedWithChanges:
		return "修改后通过"
	case ReviewFailed:
		return "审核未通过"
	}
	return "未送审"
}

// ReviewRequest is a 法制审核 request opened in the legalreview module for
// a case (kind 重大执法决定, subject the case).
type ReviewRequest struct {
	CaseID      int64
	UnitID      int64
	Title       string
	Summary     string
	RequestedBy string
}

// LegalReviewInput is what the case page sends to open the review.
type LegalReviewInput struct {
	Summary     string `json:"summary" doc:"送审说明（案件事实、证据、依据、拟作出的决定）"`
	RequestedBy string `json:"requested_by,omitempty" doc:"要求完成日期（YYYY-MM-DD），可不填"`
}

const maxReviewSummary = 5000

// OpenLegalReview sends a major case to 法制审核 through the legalreview
// module (kind 重大执法决定, linked to the case). Only a case marked major,
// not yet decided, without a review running or passed; the actor needs the
// write permission over the case's unit (and legalreview's own to submit).
func (s *Service) OpenLegalReview(ctx context.Context, caseID int64, in LegalReviewInput) (*ReviewOutcome, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	c, err := s.st.caseRow(ctx, s.db, caseID)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, PermWrite, c.unitPath); err != nil {
		return nil, apperr.New(apperr.NotFound, "案件不存在或无权查看")
	}
	in.Summary, in.RequestedBy = strings.TrimSpace(in.Summary), strings.TrimSpace(in.RequestedBy)
	var v apperr.Fields
	switch n := utf8.RuneCountInString(in.Summary); {
	case n == 0:
		v.Add("summary", "请填写送审说明（案件事实、证据、依据和拟作出的决定）")
	case n > maxReviewSummary:
		v.Add("summary", "送审说明不能超过%d个字", maxReviewSummary)
	case strings.ContainsRune(in.Summary, 0):
		v.Add("summary", "送审说明含有无效字符")
	}
	calendar.CheckDate(&v, "requested_by", "要求完成日期", in.RequestedBy, false, calendar.Span{})
	if err := v.Err(); err != nil {
		return nil, err
	}
	if !c.Major {
		return nil, apperr.New(apperr.Precondition, "案件 %s 未标记为重大执法决定，无需送法制审核", c.Code)
	}
	if c.DecidedOn != "" {
		return nil, apperr.New(apperr.Precondition, "案件 %s 已于 %s 作出决定：重大执法决定应在作出决定前进行法制审核", c.Code, c.DecidedOn)
	}
	if s.reviews == nil {
		return nil, apperr.New(apperr.Unavailable, "合法性审查模块未启用")
	}
	o, err := s.reviews.Outcome(ctx, caseID)
	if err != nil {
		return nil, err
	}
	switch {
	case o.Status == ReviewPending:
		return nil, apperr.New(apperr.Conflict, "案件 %s 的法制审核（第 %d 号）正在进行，不能重复送审", c.Code, o.ReviewID)
	case o.Passed():
		return nil, apperr.New(apperr.Conflict, "案件 %s 已通过法制审核（第 %d 号），无需重复送审", c.Code, o.ReviewID)
	}
	// Opened outside this module's transaction: legalreview writes (and
	// audits) its own records; nothing of the case changes.
	if _, err := s.reviews.Open(ctx, ReviewRequest{CaseID: caseID, UnitID: c.UnitID, Title: fmt.Sprintf("%s %s", c.Code, c.Title),
		Summary: in.Summary, RequestedBy: in.RequestedBy}); err != nil {
		return nil, err
	}
	return s.CaseReview(ctx, caseID)
}

// CaseReview reads the 法制审核 outcome of a case in the actor's scope.
func (s *Service) CaseReview(ctx context.Context, caseID int64) (*ReviewOutcome, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	c, err := s.st.caseRow(ctx, s.db, caseID)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermRead, c.unitPath) {
		return nil, apperr.New(apperr.NotFound, "案件不存在或无权查看")
	}
	o := ReviewOutcome{Status: ReviewNone}
	if s.reviews != nil {
		if o, err = s.reviews.Outcome(ctx, caseID); err != nil {
			return nil, err
		}
	}
	o.StatusLabel = reviewLabel(o.Status)
	return &o, nil
}

// gateReview is the 法制审核 gate of the form (行政处罚法 art. 58: a major
// decision is not made without a passed review): recording the decision
// date of a case marked major (newly decided, or newly marked major)
// requires the case's review passed, on or before the decision date.
// caseID is 0 for a new case (which cannot have a review yet); old is the
// stored case on an edit. Imports and the platform record decisions made
// elsewhere: the rule enforcement.major_review flags those instead.
func (s *Service) gateReview(ctx context.Context, v *apperr.Fields, caseID int64, in *CaseInput, old *Case) error {
	if in.DecidedOn == "" || !in.Major {
		return nil
	}
	if old != nil && old.DecidedOn != "" && old.Major {
		return nil // decided before as a major case: other edits pass
	}
	const need = "重大执法决定须经法制审核通过后才能作出决定，"
	if caseID == 0 {
		v.Add("decided_on", "%s请先保存案件（不填决定日期），再送法制审核", need)
		return nil
	}
	if s.reviews == nil {
		v.Add("decided_on", "%s合法性审查模块未启用", need)
		return nil
	}
	o, err := s.reviews.Outcome(ctx, caseID)
	if err != nil {
		return err
	}
	switch {
	case o.Status == ReviewNone || o.Status == "":
		v.Add("decided_on", "%s本案尚未送法制审核，不能登记决定日期", need)
	case o.Status == ReviewPending:
		v.Add("decided_on", "%s法制审核（第 %d 号）尚未办结，不能登记决定日期", need, o.ReviewID)
	case !o.Passed():
		v.Add("decided_on", "%s法制审核（第 %d 号）未通过，请补正后重新送审", need, o.ReviewID)
	case o.FinishedOn != "" && in.DecidedOn < o.FinishedOn:
		v.Add("decided_on", "决定日期不能早于法制审核办结日期（%s）", o.FinishedOn)
	}
	return nil
}
