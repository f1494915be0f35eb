package decision

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/update"
)

// ---- legality review ----

// SubmitReviewInput sends the draft to legality review.
type SubmitReviewInput struct {
	Version int     `json:"version"`
	Summary string  `json:"summary" doc:"送审说明"`
	FileIDs []int64 `json:"file_ids"`
}

// SubmitLegalReview opens a legality review in the legalreview module. The
// draft, public participation, expert review and risk assessment must be
// done (or lawfully not required) first.
func (s *Service) SubmitLegalReview(ctx context.Context, id int64, in SubmitReviewInput) (*Detail, error) {
	d, a, err := s.load(ctx, id, PermWrite)
	if err != nil {
		return nil, err
	}
	if err := update.RequireVersion(int64(in.Version)); err != nil {
		return nil, err
	}
	if in.Version != d.Version {
		return nil, update.Conflict()
	}
	var v apperr.Fields
	checkText(&v, "summary", "送审说明", in.Summary, true, 5000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	steps, err := s.st.ListSteps(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if err := gate(d, steps, StepLegalReview); err != nil {
		return nil, err
	}
	if d.LegalReviewStatus == ReviewPending || ReviewPassedStatus(d.LegalReviewStatus) {
		return nil, apperr.New(apperr.Precondition, "合法性审查%s，不能重复送审", ReviewLabel(d.LegalReviewStatus))
	}
	if s.review == nil {
		return nil, apperr.New(apperr.Unavailable, "合法性审查模块未启用")
	}
	if err := s.checkFiles(ctx, id, cleanIDs(in.FileIDs)); err != nil {
		return nil, err
	}
	// The review is opened outside this module's transaction: legalreview
	// writes its own records (and SQLite has one writer).
	reviewID, err := s.review.Open(ctx, ReviewRequest{Title: d.Title, UnitID: d.UnitID, SubjectID: d.ID, Summary: in.Summary, FileIDs: cleanIDs(in.FileIDs)})
	if err != nil {
		return nil, err
	}
	return s.mutateLoaded(ctx, d, a, in.Version, "decision.legal_review.submit", func(c *change) (string, error) {
		c.d.LegalReviewID, c.d.LegalReviewStatus = reviewID, ReviewPending
		data := LegalReviewData{ReviewID: reviewID, Summary: in.Summary, SubmittedOn: s.today(ctx).String(), Status: ReviewPending}
		return fmt.Sprintf("送请合法性审查（审查 #%d）", reviewID), c.put(StepLegalReview, StateInProgress, data, in.FileIDs, "")
	})
}

// VersionInput carries only the version.
type VersionInput struct {
	Version int `json:"version"`
}

// RefreshLegalReview records the latest legality-review outcome.
func (s *Service) RefreshLegalReview(ctx context.Context, id int64, in VersionInput) (*Detail, error) {
	d, a, err := s.load(ctx, id, PermWrite)
	if err != nil {
		return nil, err
	}
	if d.LegalReviewID == 0 {
		return nil, apperr.New(apperr.Precondition, "尚未送请合法性审查")
	}
	out, err := s.outcome(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.mutateLoaded(ctx, d, a, in.Version, "decision.legal_review.outcome", func(c *change) (string, error) {
		return "合法性审查结论：" + ReviewLabel(out.Status), c.applyOutcome(out)
	})
}

func (c *change) applyOutcome(out ReviewOutcome) error {
	rec := c.steps[StepLegalReview]
	var data LegalReviewData
	_ = unmarshal(rec.Data, &data)
	if out.ReviewID != 0 {
		data.ReviewID, c.d.LegalReviewID = out.ReviewID, out.ReviewID
	}
	data.Status, data.FinishedOn = out.Status, out.FinishedOn
	c.d.LegalReviewStatus = out.Status
	state, done := StateInProgress, ""
	if ReviewPassedStatus(out.Status) {
		state, done = StateDone, out.FinishedOn
	}
	if out.Status == ReviewNone {
		state = ""
	}
	if state == "" {
		return nil
	}
	return c.put(StepLegalReview, state, data, rec.FileIDs, done)
}

func (s *Service) outcome(ctx context.Context, id int64) (ReviewOutcome, error) {
	if s.review == nil {
		return ReviewOutcome{Status: ReviewNone}, nil
	}
	return s.review.Outcome(ctx, SubjectType, id)
}

// ---- collective decision ----

// CollectiveInput records the collective decision.
type CollectiveInput struct {
	Version         int      `json:"version"`
	MeetingType     string   `json:"meeting_type" enum:"常务会议,全体会议"`
	MeetingName     string   `json:"meeting_name"`
	MeetingOn       string   `json:"meeting_on"`
	Attendees       []string `json:"attendees"`
	Votes           []Vote   `json:"votes"`
	HeadName        string   `json:"head_name"`
	HeadDecision    string   `json:"head_decision" enum:"adopt,adopt_amended,reject,defer"`
	DepartureReason string   `json:"departure_reason"`
	Dissent         []string `json:"dissent"`
	FileIDs         []int64  `json:"file_ids"`
}

// HeadDecisionLabel names the head's decision.
func HeadDecisionLabel(s string) string {
	switch s {
	case "adopt":
		return "通过"
	case "adopt_amended":
		return "修改后通过"
	case "reject":
		return "不予通过"
	case "defer":
		return "暂缓决定"
	}
	return s
}

// RecordCollective records the meeting that decides (art. 29–30). It is
// refused unless the latest legality review passed (art. 28).
func (s *Service) RecordCollective(ctx context.Context, id int64, in CollectiveInput) (*Detail, error) {
	d, a, err := s.loadForBody(ctx, id, StepCollective)
	if err != nil {
		return nil, err
	}
	// The gate asks legalreview for the latest outcome, not a cached copy.
	out, err := s.outcome(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ReviewPassedStatus(out.Status) {
		return nil, apperr.New(apperr.Precondition, "%s", MsgNoLegalReview)
	}
	var v apperr.Fields
	if in.MeetingType != "常务会议" && in.MeetingType != "全体会议" {
		v.Add("meeting_type", "会议类型应为政府常务会议或全体会议")
	}
	checkText(&v, "meeting_name", "会议名称", in.MeetingName, true, 100)
	s.checkDone(ctx, &v, "meeting_on", "会议日期", in.MeetingOn, true)
	in.Attendees = cleanList(in.Attendees)
	if len(in.Attendees) < 2 {
		v.Add("attendees", "请填写出席会议人员")
	}
	checkText(&v, "head_name", "行政首长", in.HeadName, true, 50)
	if !slices.Contains([]string{"adopt", "adopt_amended", "reject", "defer"}, in.HeadDecision) {
		v.Add("head_decision", "请选择行政首长的决定")
	}
	agree, disagree := 0, 0
	for i, vt := range in.Votes {
		vt.Name = strings.TrimSpace(vt.Name)
		in.Votes[i] = vt
		if vt.Name == "" {
			v.Add(fmt.Sprintf("votes[%d].name", i), "第 %d 条意见缺少发言人", i+1)
		}
		if vt.Name != "" && vt.Name == strings.TrimSpace(in.HeadName) {
			v.Add(fmt.Sprintf("votes[%d].name", i), "行政首长应当最后发表意见，其决定请填写在“行政首长决定”中")
		}
		switch vt.Opinion {
		case "agree":
			agree++
		case "disagree":
			disagree++
			if !slices.Contains(in.Dissent, vt.Name+"："+vt.Note) {
				in.Dissent = append(in.Dissent, strings.TrimRight(vt.Name+"："+vt.Note, "："))
			}
		case "abstain":
		default:
			v.Add(fmt.Sprintf("votes[%d].opinion", i), "第 %d 条意见应为同意、不同意或保留", i+1)
		}
	}
	if len(in.Votes) == 0 {
		v.Add("votes", "请按发言顺序记录与会人员意见")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	adopts := in.HeadDecision == "adopt" || in.HeadDecision == "adopt_amended"
	departs := (adopts && disagree > agree) || (in.HeadDecision == "reject" && agree > disagree)
	if departs && strings.TrimSpace(in.DepartureReason) == "" {
		return nil, apperr.Field("departure_reason", "行政首长的决定与会议组成人员多数人的意见不一致，应当在会上说明理由")
	}
	return s.mutateLoaded(ctx, d, a, in.Version, "decision.collective", func(c *change) (string, error) {
		if err := c.applyOutcome(out); err != nil {
			return "", err
		}
		if err := gate(c.d, c.steps, StepCollective); err != nil {
			return "", err
		}
		if st := c.steps[StepCollective].State; st == StateDone {
			return "", apperr.New(apperr.Precondition, "集体讨论决定已经登记")
		}
		if in.MeetingOn < c.steps[StepLegalReview].DoneOn {
			return "", apperr.Field("meeting_on", "会议日期不能早于合法性审查完成日期 %s", c.steps[StepLegalReview].DoneOn)
		}
		data := CollectiveData{MeetingType: in.MeetingType, MeetingName: in.MeetingName, MeetingOn: in.MeetingOn, Attendees: in.Attendees, Votes: in.Votes,
			HeadName: in.HeadName, HeadDecision: in.HeadDecision, DepartureReason: in.DepartureReason, Dissent: cleanList(in.Dissent),
			ReviewStatus: out.Status, ReviewID: out.ReviewID}
		state := StateDone
		switch in.HeadDecision {
		case "reject":
			c.d.Status = StatusRejected
		case "defer":
			state = StateInProgress
		}
		if state == StateDone {
			c.d.CollectiveOn, c.d.CollectiveReview = in.MeetingOn, out.Status
		}
		return in.MeetingName + "：" + in.HeadName + HeadDecisionLabel(in.HeadDecision), c.put(StepCollective, state, data, in.FileIDs, in.MeetingOn)
	})
}
