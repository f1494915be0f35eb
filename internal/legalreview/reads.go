package legalreview

import (
	"context"
	"slices"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
)

// Outcome returns the latest review outcome for a subject (withdrawn
// requests do not count). decision and normdoc call it at their gates,
// after checking the caller's access to the subject; handlers use
// ReadOutcome.
func (s *Service) Outcome(ctx context.Context, subjectType string, subjectID int64) (Outcome, error) {
	if auth.From(ctx) == nil {
		return Outcome{}, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	r, ok, err := s.st.latestForSubject(ctx, s.db, subjectType, subjectID)
	if err != nil {
		return Outcome{}, err
	}
	return outcomeOf(r, ok), nil
}

// ReadOutcome is Outcome for a caller asking directly (the API): the
// review behind the answer is read like any other — the read permission
// over its unit, or a part in its chain; otherwise it is not found.
func (s *Service) ReadOutcome(ctx context.Context, subjectType string, subjectID int64) (Outcome, error) {
	actor := auth.From(ctx)
	if actor == nil {
		return Outcome{}, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	r, ok, err := s.st.latestForSubject(ctx, s.db, subjectType, subjectID)
	if err != nil {
		return Outcome{}, err
	}
	if ok && (actor.CanIn(PermRead, r.unitPath) || participates(r, actor.UserID)) {
		return outcomeOf(r, ok), nil
	}
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return Outcome{}, err
	}
	if ok {
		return Outcome{}, apperr.New(apperr.NotFound, "合法性审查记录不存在或无权查看")
	}
	return outcomeOf(r, ok), nil
}

func outcomeOf(r Review, ok bool) Outcome {
	if !ok {
		return Outcome{Status: OutcomeNone}
	}
	o := Outcome{ReviewID: r.ID, Status: OutcomePending}
	if r.Status == StatusConcluded {
		o.Status, o.FinishedOn = string(r.Conclusion), r.FinishedOn
	}
	return o
}

// load reads a review and checks that the actor may see it: read
// permission over its unit, or a part in its chain.
func (s *Service) load(ctx context.Context, q db.Querier, id int64) (*auth.Actor, Review, error) {
	actor := auth.From(ctx)
	if actor == nil {
		return nil, Review{}, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	r, err := s.st.review(ctx, q, id)
	if err != nil {
		if _, perr := auth.Require(ctx, PermRead); perr != nil && !actor.System {
			return nil, r, perr
		}
		if apperr.Is(err, apperr.NotFound) {
			return nil, r, apperr.New(apperr.NotFound, "合法性审查记录不存在或无权查看")
		}
		return nil, r, err
	}
	if actor.CanIn(PermRead, r.unitPath) || participates(r, actor.UserID) {
		return actor, r, nil
	}
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, Review{}, err
	}
	return nil, Review{}, apperr.New(apperr.NotFound, "合法性审查记录不存在或无权查看")
}

func participates(r Review, user int64) bool {
	if user == 0 || r.workflow == nil {
		return false
	}
	for _, st := range r.workflow.Steps {
		for _, t := range st.Tasks {
			if t.Assignee == user {
				return true
			}
		}
	}
	return false
}

// decorate fills labels and computed fields.
func (s *Service) decorate(r *Review) {
	r.KindLabel = r.Kind.Label()
	r.StatusLabel = r.Status.Label()
	if r.Status == StatusConcluded && r.FinishedOn != "" {
		ok := r.FinishedOn <= r.DueOn
		r.OnTime = &ok
		r.Early = r.FinishedOn < r.MinOn
	}
	r.ReturnTo = []StepRef{}
	if r.workflow != nil && r.workflow.Status == workflow.Running {
		cur := r.workflow.CurrentStep()
		r.CurrentStep = cur.Name
		for i, st := range r.workflow.Definition.Steps[:r.workflow.Current] {
			if cur.AllowReturnTo.AnyEarlier || slices.Contains(cur.AllowReturnTo.Keys, st.Key) {
				r.ReturnTo = append(r.ReturnTo, StepRef{Key: st.Key, Name: r.workflow.Definition.Steps[i].Name})
			}
		}
	}
	if x, err := r.clock.Explain(s.cal); err == nil {
		r.DueExplain = x
	}
}

// Get returns one review with its opinion items and checklist.
func (s *Service) Get(ctx context.Context, id int64) (*Review, error) {
	_, r, err := s.load(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if r.Opinions, err = s.st.opinions(ctx, s.db, id); err != nil {
		return nil, err
	}
	if r.Checks, err = s.st.checks(ctx, s.db, id); err != nil {
		return nil, err
	}
	s.decorate(&r)
	return &r, nil
}

// List returns one page of the ledger within the actor's scope (keyset
// paging; the total is counted up to db.CountCap).
func (s *Service) List(ctx context.Context, f Filter, req db.ListReq) (db.Paged[Review], error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.Paged[Review]{Items: []Review{}}, err
	}
	if err := validateFilter(f); err != nil {
		return db.Paged[Review]{Items: []Review{}}, err
	}
	scope, args := auth.ScopeClause(actor, PermRead, "r.unit_id")
	f.today = s.today(ctx).String()
	p, err := s.st.list(ctx, s.db, scope, args, f, req)
	if err != nil {
		return p, err
	}
	for i := range p.Items {
		s.decorate(&p.Items[i])
	}
	return p, nil
}

func validateFilter(f Filter) error {
	var v apperr.Fields
	if f.Kind != "" && !Kind(f.Kind).Valid() {
		v.Add("kind", "审查类型无效")
	}
	if f.Status != "" && Status(f.Status).Label() == f.Status {
		v.Add("status", "办理状态无效")
	}
	if f.Conclusion != "" && !Conclusion(f.Conclusion).Valid() {
		v.Add("conclusion", "审查结论无效")
	}
	for _, d := range []struct{ field, label, value string }{
		{"from", "提交起始日期", f.From}, {"to", "提交截止日期", f.To},
		{"finished_from", "办结起始日期", f.FinishedFrom}, {"finished_to", "办结截止日期", f.FinishedTo},
		{"accountable_from", "应办结期间起始日期", f.AccountableFrom}, {"accountable_to", "应办结期间截止日期", f.AccountableTo},
	} {
		calendar.CheckDate(&v, d.field, d.label, d.value, false, calendar.Span{})
	}
	if f.OnTime != "" && f.OnTime != "yes" && f.OnTime != "no" {
		v.Add("on_time", "按时办结筛选只能是 yes 或 no")
	}
	if f.Feedback != "" && f.Feedback != "yes" && f.Feedback != "adopted" {
		v.Add("feedback", "采纳情况筛选只能是 yes 或 adopted")
	}
	return v.Err()
}

// Tasks lists the reviews waiting for the actor's action.
func (s *Service) Tasks(ctx context.Context) ([]Task, error) {
	actor := auth.From(ctx)
	if actor == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	page, err := s.st.list(ctx, s.db, "1=1", nil, Filter{Status: string(StatusReviewing), Pending: actor.UserID}, db.ListReq{Size: db.MaxPageSize})
	if err != nil {
		return nil, err
	}
	out := []Task{}
	for _, r := range page.Items {
		t := Task{ReviewID: r.ID, Title: r.Title, Kind: r.Kind, KindLabel: r.Kind.Label(), UnitName: r.UnitName, DueOn: r.DueOn}
		if r.workflow != nil && r.workflow.Status == workflow.Running {
			t.Step = r.workflow.CurrentStep().Name
			t.StepDue = r.workflow.Steps[r.workflow.Current].DueAt
		}
		out = append(out, t)
	}
	return out, nil
}
