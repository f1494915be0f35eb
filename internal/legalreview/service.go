// Package legalreview runs 合法性审查: review requests for decision drafts,
// normative document drafts, contracts and policy measures (with a
// fair-competition checklist), worked through configured review chains,
// concluded with opinion items and a numbered opinion letter, and answered
// by the requester's adoption record. It is the hub decision and normdoc
// call (Open, Outcome) at their gates.
package legalreview

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/docx"
	"fazhi/internal/platform/update"
	"fazhi/internal/platform/workflow"
)

// Permissions.
const (
	PermRead    = "legalreview.read"
	PermWrite   = "legalreview.write"
	PermApprove = "legalreview.approve"
	// PermConfig edits review chains and the fair-competition standards
	// (司法局 administrators).
	PermConfig = "legalreview.config"
)

func init() {
	auth.RegisterPerms("legalreview", map[string]string{
		PermRead: "查看合法性审查", PermWrite: "办理合法性审查", PermApprove: "审批合法性审查",
		PermConfig: "配置合法性审查流程与公平竞争审查标准",
	})
}

// Named calendar rules. legalreview.min ships with the calendar; the review
// time limit is registered here unless configuration already provides it.
const (
	RuleMin    = "legalreview.min"
	RuleReview = "legalreview.review"
)

// ReviewRule is the default review time limit (德州 and many local rules:
// 15 working days); provinces override it like any other rule.
var ReviewRule = calendar.Rule{
	Name: RuleReview, Label: "合法性审查办理时限",
	Basis:  "地方合法性审查规定（默认自收到送审材料之日起 15 个工作日，可按省配置）",
	Period: calendar.Period{N: 15, Unit: calendar.WorkingDays},
}

// Limits on free text.
const (
	maxTitle    = 200
	maxSummary  = 5000
	maxOpinion  = 2000
	maxOpinions = 50
	maxReason   = 1000
)

// UnitInfo is what the service needs to know about an org unit.
type UnitInfo struct {
	ID   int64
	Name string
	Path string
}

// Directory is the org lookup the service needs (implemented over the org
// service at wiring time).
type Directory interface {
	Unit(ctx context.Context, id int64) (UnitInfo, error)
	// UsersInRole returns the active users holding role in unitID.
	UsersInRole(ctx context.Context, role string, unitID int64) ([]int64, error)
	UserNames(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Notifier delivers reminders; nil means reminders are only recorded on the
// review's timeline and in the audit log.
type Notifier interface {
	// key identifies the reminder; a user gets one notification per key.
	Notify(ctx context.Context, userIDs []int64, key, title, body, link string) error
}

// Service is what handlers, other modules and jobs call.
type Service struct {
	db       *db.DB
	st       Store
	dir      Directory
	cal      *calendar.Calendar
	rules    *calendar.Registry
	now      func() time.Time
	notifier Notifier
	pdf      PDFMaker
}

// NewService builds the service and registers the legalreview.review rule
// in rules if it is not there yet.
func NewService(d *db.DB, dir Directory, cal *calendar.Calendar, rules *calendar.Registry) (*Service, error) {
	if _, err := rules.Get(RuleReview); err != nil {
		if err := rules.Register(ReviewRule); err != nil {
			return nil, err
		}
	}
	if _, err := rules.Get(RuleMin); err != nil {
		return nil, err
	}
	return &Service{db: d, dir: dir, cal: cal, rules: rules, now: time.Now}, nil
}

// SetNow replaces the clock (tests, demo data).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

// SetNotifier plugs in reminder delivery.
func (s *Service) SetNotifier(n Notifier) { s.notifier = n }

func (s *Service) today() calendar.Date { return calendar.Today(s.now()) }

// dueCalc adapts the statutory calendar to the workflow engine: a step due
// n working days after activation ends at the end of that day in Shanghai.
type dueCalc struct{ cal *calendar.Calendar }

func (d dueCalc) AddWorkingDays(from time.Time, n int) time.Time {
	day := d.cal.AddWorkingDays(calendar.Today(from), n)
	return time.Date(day.Year, day.Month, day.Day, 23, 59, 59, 0, calendar.Shanghai).UTC()
}

type resolver struct {
	ctx context.Context
	dir Directory
}

func (r resolver) UsersInRole(role string, unitID int64) ([]int64, error) {
	return r.dir.UsersInRole(r.ctx, role, unitID)
}

func (s *Service) engine(ctx context.Context) *workflow.Engine {
	return workflow.New(dueCalc{s.cal}, resolver{ctx, s.dir})
}

// CheckInput answers one fair-competition standard.
type CheckInput struct {
	StandardID int64  `json:"standard_id"`
	Answer     string `json:"answer" enum:"comply,violate,na"`
	Note       string `json:"note,omitempty"`
}

// Open creates a review request linked to its subject and starts its chain.
func (s *Service) Open(ctx context.Context, in OpenInput) (*Review, error) {
	return s.open(ctx, in, nil)
}

// Submit is Open for requests made by users, with the fair-competition
// checklist that policy measures need.
func (s *Service) Submit(ctx context.Context, in OpenInput, checks []CheckInput) (*Review, error) {
	return s.open(ctx, in, checks)
}

func (s *Service) open(ctx context.Context, in OpenInput, checks []CheckInput) (*Review, error) {
	actor, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	in.Title = strings.TrimSpace(in.Title)
	in.Summary = strings.TrimSpace(in.Summary)
	in.RequestedBy = strings.TrimSpace(in.RequestedBy)
	if in.UnitID == 0 {
		in.UnitID = actor.UnitID
	}
	today := s.today()
	minRule, err := s.rules.Get(RuleMin)
	if err != nil {
		return nil, err
	}
	minRes, err := s.cal.Compute(minRule.Period, today)
	if err != nil {
		return nil, err
	}

	var v apperr.Fields
	kind := Kind(in.Kind)
	if !kind.Valid() {
		v.Add("kind", "请选择审查类型（重大行政决策、规范性文件、合同协议或涉企政策措施）")
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		v.Add("title", "请填写送审事项名称")
	case n > maxTitle:
		v.Add("title", "送审事项名称不能超过%d个字", maxTitle)
	}
	if utf8.RuneCountInString(in.Summary) > maxSummary {
		v.Add("summary", "送审说明不能超过%d个字", maxSummary)
	}
	if (in.SubjectType == "") != (in.SubjectID == 0) || in.SubjectID < 0 {
		v.Add("subject_id", "关联事项类型和编号须同时填写")
	}
	var unit UnitInfo
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择送审单位")
	} else if unit, err = s.dir.Unit(ctx, in.UnitID); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		v.Add("unit_id", "送审单位不存在")
	} else if !actor.CanIn(PermWrite, unit.Path) {
		return nil, apperr.New(apperr.NotFound, "送审单位不存在或您无权以其名义送审")
	}
	requested := minRes.Due
	if in.RequestedBy != "" {
		d, err := calendar.ParseDate(in.RequestedBy)
		switch {
		case err != nil:
			v.Add("requested_by", "要求完成日期格式应为 YYYY-MM-DD")
		case d.Before(minRes.Due):
			v.Add("requested_by", "要求完成日期不得早于 %s（%s）：合法性审查时间自提交之日（%s）起不少于%s", minRes.Due, minRes.Due.WeekdayZH(), today, minRule.Period)
		default:
			requested = d
		}
	}
	for _, id := range in.FileIDs {
		if id <= 0 {
			v.Add("file_ids", "附件编号无效")
			break
		}
	}
	var checkRows []Check
	if kind == KindPolicy || len(checks) > 0 {
		rows, err := s.validateChecks(ctx, kind, checks, &v)
		if err != nil {
			return nil, err
		}
		checkRows = rows
	}
	if err := v.Err(); err != nil {
		return nil, err
	}

	chain, err := s.chainFor(ctx, unit.ID, kind)
	if err != nil {
		return nil, err
	}
	// The chain runs in the reviewing unit: role assignees resolve there
	// (0: anywhere in the district).
	reviewerUnit := chain.ReviewerUnitID
	now := s.now()
	inst, _, err := s.engine(ctx).Start(chain.Definition, actor.UserID, reviewerUnit, now)
	if err != nil {
		return nil, err
	}
	reviewRule, err := s.rules.Get(RuleReview)
	if err != nil {
		return nil, err
	}
	r := &Review{
		Kind: kind, Title: in.Title, UnitID: unit.ID, UnitName: unit.Name, unitPath: unit.Path,
		SubjectType: in.SubjectType, SubjectID: in.SubjectID, Summary: in.Summary, FileIDs: slices.Clone(in.FileIDs),
		RequesterID: actor.UserID, RequesterName: actorName(actor), Status: StatusReviewing,
		SubmittedOn: today.String(), MinOn: minRes.Due.String(), RequestedBy: requested.String(),
		ChainID: chain.ID, ChainName: chain.Name, ReviewerUnitID: reviewerUnit,
		workflow: inst, Pending: inst.Pending(),
	}
	if r.FileIDs == nil {
		r.FileIDs = []int64{}
	}
	if err := r.clock.Start(reviewRule, today); err != nil {
		return nil, err
	}
	due, err := r.clock.Due(s.cal)
	if err != nil {
		return nil, err
	}
	r.DueOn = due.String()

	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if r.SubjectType != "" {
			prev, ok, err := s.st.latestForSubject(ctx, tx, r.SubjectType, r.SubjectID)
			if err != nil {
				return err
			}
			if ok && (prev.Status == StatusReviewing || prev.Status == StatusConcluding) {
				return apperr.New(apperr.Conflict, "该事项已有正在进行的合法性审查（第 %d 号），不能重复送审", prev.ID)
			}
		}
		if err := s.st.insertReview(ctx, tx, r, now); err != nil {
			return err
		}
		for _, c := range checkRows {
			if err := s.st.insertCheck(ctx, tx, r.ID, c); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "legalreview.open", ObjectType: "legalreview",
			ObjectID: fmt.Sprint(r.ID), UnitID: r.UnitID, After: r,
			Summary: fmt.Sprintf("提交合法性审查：%s（%s），审查时限至 %s", r.Title, kind.Label(), r.DueOn)})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, r.ID)
}

func actorName(a *auth.Actor) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Username
}

// validateChecks checks a policy's checklist: every active standard
// answered, "含有该内容" explained.
func (s *Service) validateChecks(ctx context.Context, kind Kind, checks []CheckInput, v *apperr.Fields) ([]Check, error) {
	if kind != KindPolicy {
		v.Add("checks", "只有涉企政策措施需要填写公平竞争审查自查表")
		return nil, nil
	}
	stds, err := s.st.standards(ctx, s.db, true)
	if err != nil {
		return nil, err
	}
	byID := map[int64]CheckInput{}
	for i, c := range checks {
		if _, dup := byID[c.StandardID]; dup {
			v.Add(fmt.Sprintf("checks[%d].standard_id", i), "公平竞争审查第 %d 项重复填写", i+1)
		}
		byID[c.StandardID] = c
	}
	var out []Check
	for i, st := range stds {
		c, ok := byID[st.ID]
		field := fmt.Sprintf("checks[%d]", i)
		switch {
		case !ok || c.Answer == "":
			v.Add(field+".answer", "请填写公平竞争审查“%s”第%d项：%s", st.Category, i+1, st.Text)
			continue
		case c.Answer != AnswerComply && c.Answer != AnswerViolate && c.Answer != AnswerNotApply:
			v.Add(field+".answer", "公平竞争审查第%d项的回答无效", i+1)
			continue
		case c.Answer == AnswerViolate && strings.TrimSpace(c.Note) == "":
			v.Add(field+".note", "公平竞争审查第%d项含有限制竞争内容，请说明理由及适用的例外情形", i+1)
			continue
		case utf8.RuneCountInString(c.Note) > maxReason:
			v.Add(field+".note", "公平竞争审查第%d项的说明不能超过%d个字", i+1, maxReason)
			continue
		}
		delete(byID, st.ID)
		out = append(out, Check{StandardID: st.ID, Category: st.Category, Text: st.Text, Answer: c.Answer, Note: strings.TrimSpace(c.Note)})
	}
	if len(byID) > 0 {
		v.Add("checks", "公平竞争审查自查表含有不存在或已停用的审查标准")
	}
	return out, nil
}

// chainFor picks the chain configured for a unit and kind: the most
// specific of (unit, kind), (unit, any), (any unit, kind), (any, any).
func (s *Service) chainFor(ctx context.Context, unitID int64, kind Kind) (Chain, error) {
	chains, err := s.st.chains(ctx, s.db)
	if err != nil {
		return Chain{}, err
	}
	for _, want := range [][2]any{{unitID, string(kind)}, {unitID, ""}, {int64(0), string(kind)}, {int64(0), ""}} {
		for _, c := range chains {
			if c.UnitID == want[0].(int64) && c.Kind == want[1].(string) {
				return c, nil
			}
		}
	}
	return Chain{}, apperr.New(apperr.Precondition, "尚未配置“%s”的合法性审查流程，请联系司法局配置审查流程", kind.Label())
}

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
	f.today = s.today().String()
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
	for field, d := range map[string]string{"from": f.From, "to": f.To, "finished_from": f.FinishedFrom, "finished_to": f.FinishedTo,
		"accountable_from": f.AccountableFrom, "accountable_to": f.AccountableTo} {
		if d != "" {
			if _, err := calendar.ParseDate(d); err != nil {
				v.Add(field, "日期格式应为 YYYY-MM-DD")
			}
		}
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

// ActInput is a reviewer's action on their task.
type ActInput struct {
	Action  string `json:"action" enum:"approve,return,transfer,add_signer" doc:"approve 同意并提出意见、return 退回、transfer 转办、add_signer 加签"`
	Opinion string `json:"opinion,omitempty" doc:"审查意见"`
	ToStep  string `json:"to_step,omitempty" doc:"退回到的步骤标识"`
	ToUser  int64  `json:"to_user,omitempty" doc:"转办或加签的人员"`
	Version int64  `json:"version" doc:"记录版本，防止覆盖他人的修改"`
}

var actionLabels = map[string]string{"approve": "同意", "return": "退回", "transfer": "转办", "add_signer": "加签"}

// Act records a reviewer's action on the current step.
func (s *Service) Act(ctx context.Context, id int64, in ActInput) (*Review, error) {
	return s.update(ctx, id, in.Version, PermRead, func(tx *db.Tx, actor *auth.Actor, r *Review) (audit.Event, error) {
		if r.Status != StatusReviewing || r.workflow == nil {
			return audit.Event{}, apperr.New(apperr.Conflict, "该审查%s，不能再办理", r.Status.Label())
		}
		act := workflow.Act{Actor: actor.UserID, At: s.now(), Opinion: strings.TrimSpace(in.Opinion)}
		eng := s.engine(ctx)
		var next *workflow.Instance
		var err error
		switch in.Action {
		case "approve":
			next, _, err = eng.Approve(r.workflow, act)
		case "return":
			if in.ToStep == "" {
				return audit.Event{}, apperr.Field("to_step", "请选择退回到哪个环节")
			}
			next, _, err = eng.Return(r.workflow, act, in.ToStep)
		case "transfer":
			next, _, err = eng.Transfer(r.workflow, act, in.ToUser)
		case "add_signer":
			next, _, err = eng.AddSigner(r.workflow, act, in.ToUser)
		default:
			return audit.Event{}, apperr.Field("action", "办理操作无效，应为同意、退回、转办或加签")
		}
		if err != nil {
			return audit.Event{}, err
		}
		step := r.workflow.CurrentStep().Name
		r.workflow, r.Pending = next, next.Pending()
		if next.Status != workflow.Running {
			r.Status = StatusConcluding
		}
		return audit.Event{Action: "legalreview." + in.Action,
			Summary: fmt.Sprintf("%s：%s「%s」%s", r.Title, step, actionLabels[in.Action], act.Opinion)}, nil
	})
}

// update runs one action on review id through the platform update path
// (update.Run): it checks perm, loads the review (load checks that the
// actor may see it), requires the version the actor read, lets fn check and
// change r, writes r back if its stored version has not moved meanwhile,
// records the audit event fn returns (object fields and before/after filled
// in) and returns the review as stored.
func (s *Service) update(ctx context.Context, id, version int64, perm string, fn func(tx *db.Tx, actor *auth.Actor, r *Review) (audit.Event, error)) (*Review, error) {
	if _, err := auth.Require(ctx, perm); err != nil {
		return nil, err
	}
	var actor *auth.Actor
	_, err := update.Run(ctx, s.db, version, update.Update[Review]{
		Load: func(ctx context.Context, tx *db.Tx) (Review, error) {
			a, r, err := s.load(ctx, tx, id)
			actor = a
			return r, err
		},
		Version: func(r Review) int64 { return r.Version },
		Change: func(ctx context.Context, tx *db.Tx, r *Review) (audit.Event, error) {
			ev, err := fn(tx, actor, r)
			ev.ObjectType, ev.ObjectID, ev.UnitID = "legalreview", fmt.Sprint(r.ID), r.UnitID
			return ev, err
		},
		Write: func(ctx context.Context, tx *db.Tx, r Review, loaded int64) (bool, error) {
			return s.st.updateReview(ctx, tx, r, loaded, s.now())
		},
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

func staleErr() error { return update.Conflict() }

// Withdraw lets the requester take back a review still under way.
func (s *Service) Withdraw(ctx context.Context, id int64, version int64, reason string) (*Review, error) {
	reason = strings.TrimSpace(reason)
	return s.update(ctx, id, version, PermWrite, func(tx *db.Tx, actor *auth.Actor, r *Review) (audit.Event, error) {
		if !actor.CanIn(PermWrite, r.unitPath) {
			return audit.Event{}, apperr.New(apperr.Forbidden, "只有送审单位可以撤回审查申请")
		}
		if reason == "" {
			return audit.Event{}, apperr.Field("reason", "请填写撤回原因")
		}
		if r.Status != StatusReviewing {
			return audit.Event{}, apperr.New(apperr.Conflict, "该审查%s，不能撤回", r.Status.Label())
		}
		next, _, err := s.engine(ctx).Withdraw(r.workflow, workflow.Act{Actor: actor.UserID, At: s.now(), Opinion: reason})
		if err != nil {
			return audit.Event{}, err
		}
		r.workflow, r.Pending, r.Status = next, nil, StatusWithdrawn
		return audit.Event{Action: "legalreview.withdraw", Summary: fmt.Sprintf("撤回合法性审查：%s（%s）", r.Title, reason)}, nil
	})
}

// ConcludeInput is the review's conclusion.
type ConcludeInput struct {
	Conclusion string   `json:"conclusion" enum:"passed,passed_with_changes,failed" doc:"审查结论"`
	Summary    string   `json:"summary,omitempty" doc:"综合审查意见"`
	Opinions   []string `json:"opinions" doc:"具体审查意见，每条一项"`
	// Concluding before the minimum review time (min_on) needs the urgent
	// matter and who approved concluding early; both are kept and shown.
	EarlyReason   string `json:"early_reason,omitempty" doc:"未满最少审查时间提前办结的紧急事由"`
	EarlyApprover string `json:"early_approver,omitempty" doc:"批准提前办结的负责人（姓名、职务）"`
	Version       int64  `json:"version"`
}

// Conclude gives the conclusion once the chain has finished, numbers the
// opinion letter (gap-free per issuing unit and year) and closes the review.
func (s *Service) Conclude(ctx context.Context, id int64, in ConcludeInput) (*Review, error) {
	return s.update(ctx, id, in.Version, PermApprove, func(tx *db.Tx, actor *auth.Actor, r *Review) (audit.Event, error) {
		if err := s.concluder(ctx, actor, r); err != nil {
			return audit.Event{}, err
		}
		var v apperr.Fields
		c := Conclusion(in.Conclusion)
		if !c.Valid() {
			v.Add("conclusion", "请选择审查结论（审查通过、修改后通过或审查不通过）")
		}
		in.Summary = strings.TrimSpace(in.Summary)
		if utf8.RuneCountInString(in.Summary) > maxSummary {
			v.Add("summary", "综合审查意见不能超过%d个字", maxSummary)
		}
		var items []string
		for i, o := range in.Opinions {
			o = strings.TrimSpace(o)
			switch {
			case o == "":
				v.Add(fmt.Sprintf("opinions[%d]", i), "第%d条审查意见不能为空", i+1)
			case utf8.RuneCountInString(o) > maxOpinion:
				v.Add(fmt.Sprintf("opinions[%d]", i), "第%d条审查意见不能超过%d个字", i+1, maxOpinion)
			}
			items = append(items, o)
		}
		if len(items) > maxOpinions {
			v.Add("opinions", "审查意见不能超过%d条", maxOpinions)
		}
		if (c == ConclusionPassedWithChanges || c == ConclusionFailed) && len(items) == 0 {
			v.Add("opinions", "“%s”须至少提出一条具体审查意见", c.Label())
		}
		if err := v.Err(); err != nil {
			return audit.Event{}, err
		}
		switch r.Status {
		case StatusReviewing:
			return audit.Event{}, apperr.New(apperr.Precondition, "审查流程尚未办完（当前环节：%s），不能出具审查结论", r.workflow.CurrentStep().Name)
		case StatusConcluding:
		default:
			return audit.Event{}, apperr.New(apperr.Conflict, "该审查%s，不能再出具结论", r.Status.Label())
		}
		today := s.today()
		in.EarlyReason, in.EarlyApprover = strings.TrimSpace(in.EarlyReason), strings.TrimSpace(in.EarlyApprover)
		early := today.String() < r.MinOn
		if early {
			if in.EarlyReason == "" {
				v.Add("early_reason", "审查时间不少于%s（最早 %s 办结）；今日提前办结须填写紧急事由", minPeriodLabel(s), r.MinOn)
			}
			if in.EarlyApprover == "" {
				v.Add("early_approver", "提前办结须写明批准人（姓名、职务）")
			}
		} else {
			in.EarlyReason, in.EarlyApprover = "", ""
		}
		if utf8.RuneCountInString(in.EarlyReason) > maxReason {
			v.Add("early_reason", "紧急事由不能超过%d个字", maxReason)
		}
		if utf8.RuneCountInString(in.EarlyApprover) > 100 {
			v.Add("early_approver", "批准人不能超过100个字")
		}
		if err := v.Err(); err != nil {
			return audit.Event{}, err
		}
		chain, err := s.st.chain(ctx, tx, r.ChainID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return audit.Event{}, err
		}
		prefix := chain.NumberPrefix
		if prefix == "" {
			prefix = "法审"
		}
		seq, err := s.st.nextNumber(ctx, tx, r.ReviewerUnitID, today.Year)
		if err != nil {
			return audit.Event{}, err
		}
		r.year, r.seq = today.Year, seq
		r.OpinionNo = docx.DocNumberText(prefix, today.Year, seq)
		r.Status, r.Conclusion, r.ConclusionText = StatusConcluded, c, in.Summary
		now := s.now().UTC()
		r.FinishedOn, r.ConcludedBy, r.ConcludedAt = today.String(), actorName(actor), &now
		r.EarlyReason, r.EarlyApprover = in.EarlyReason, in.EarlyApprover
		for i, text := range items {
			if err := s.st.insertOpinion(ctx, tx, r.ID, i+1, text); err != nil {
				return audit.Event{}, err
			}
		}
		summary := fmt.Sprintf("出具法律审查意见书 %s：%s，结论“%s”，意见 %d 条", r.OpinionNo, r.Title, c.Label(), len(items))
		if early {
			summary += fmt.Sprintf("；未满最少审查时间（%s）提前办结，紧急事由：%s，批准人：%s", r.MinOn, r.EarlyReason, r.EarlyApprover)
		}
		return audit.Event{Action: "legalreview.conclude", Summary: summary}, nil
	})
}

// concluder checks that the actor concludes for the reviewing body: the
// one who approved the chain's last step, or an account holding
// legalreview.approve for exactly the reviewing unit (auth.Actor.ActsFor).
// The requesting unit never concludes the review of its own draft, however
// wide its approval rights.
func (s *Service) concluder(ctx context.Context, actor *auth.Actor, r *Review) error {
	reviewer := UnitInfo{Name: "审查机构"}
	if r.ReviewerUnitID != 0 {
		u, err := s.dir.Unit(ctx, r.ReviewerUnitID)
		if err != nil {
			return err
		}
		reviewer = u
	}
	forBody := actor.ActsFor(PermApprove, reviewer.Path)
	if actor.Within(r.unitPath) && !(forBody && actor.Within(reviewer.Path)) {
		return apperr.New(apperr.Forbidden, "送审单位（%s）不能对本单位送审的事项出具审查结论，应由审查机构（%s）出具", r.UnitName, reviewer.Name)
	}
	if !forBody && !finalApprover(*r, actor.UserID) {
		return apperr.New(apperr.Forbidden, "只有审查机构（%s）可以出具审查结论", reviewer.Name)
	}
	return nil
}

// minPeriodLabel names the minimum review time (规则 legalreview.min).
func minPeriodLabel(s *Service) string {
	if rule, err := s.rules.Get(RuleMin); err == nil {
		return rule.Period.String()
	}
	return "最少审查时间"
}

// finalApprover reports whether user approved the chain's last step.
func finalApprover(r Review, user int64) bool {
	if r.workflow == nil || r.workflow.Status != workflow.Approved {
		return false
	}
	last := r.workflow.Steps[len(r.workflow.Steps)-1]
	for _, t := range last.Tasks {
		if t.Round == last.Round && t.ActedBy == user && t.Status == workflow.TaskApproved {
			return true
		}
	}
	return false
}

// AdoptionItem answers one opinion item.
type AdoptionItem struct {
	Seq      int    `json:"seq" doc:"意见序号"`
	Adoption string `json:"adoption" enum:"adopted,partial,rejected" doc:"采纳、部分采纳、未采纳"`
	Reason   string `json:"reason,omitempty" doc:"部分采纳或未采纳的理由"`
}

// AdoptInput records the requester's answers.
type AdoptInput struct {
	Items   []AdoptionItem `json:"items"`
	Version int64          `json:"version"`
}

// Adopt records, per opinion item, whether the requester adopted it.
func (s *Service) Adopt(ctx context.Context, id int64, in AdoptInput) (*Review, error) {
	return s.update(ctx, id, in.Version, PermWrite, func(tx *db.Tx, actor *auth.Actor, r *Review) (audit.Event, error) {
		if !actor.CanIn(PermWrite, r.unitPath) {
			return audit.Event{}, apperr.New(apperr.Forbidden, "只有送审单位可以反馈意见采纳情况")
		}
		if r.Status != StatusConcluded {
			return audit.Event{}, apperr.New(apperr.Precondition, "审查尚未办结，不能反馈意见采纳情况")
		}
		ops, err := s.st.opinions(ctx, tx, id)
		if err != nil {
			return audit.Event{}, err
		}
		if len(ops) == 0 {
			return audit.Event{}, apperr.New(apperr.Precondition, "该审查没有具体审查意见，无需反馈采纳情况")
		}
		var v apperr.Fields
		if len(in.Items) == 0 {
			v.Add("items", "请至少反馈一条意见的采纳情况")
		}
		seen := map[int]bool{}
		for i, it := range in.Items {
			f := fmt.Sprintf("items[%d]", i)
			a := Adoption(it.Adoption)
			switch {
			case it.Seq < 1 || it.Seq > len(ops):
				v.Add(f+".seq", "第%d行：意见序号 %d 不存在", i+1, it.Seq)
			case seen[it.Seq]:
				v.Add(f+".seq", "第%d行：第%d条意见重复反馈", i+1, it.Seq)
			}
			seen[it.Seq] = true
			if a != AdoptionAdopted && a != AdoptionPartial && a != AdoptionRejected {
				v.Add(f+".adoption", "第%d条意见：请选择采纳、部分采纳或未采纳", it.Seq)
			} else if a != AdoptionAdopted && strings.TrimSpace(it.Reason) == "" {
				v.Add(f+".reason", "第%d条意见%s，须说明理由", it.Seq, a.Label())
			}
			if utf8.RuneCountInString(it.Reason) > maxReason {
				v.Add(f+".reason", "第%d条意见的理由不能超过%d个字", it.Seq, maxReason)
			}
		}
		if err := v.Err(); err != nil {
			return audit.Event{}, err
		}
		now := s.now()
		for _, it := range in.Items {
			if err := s.st.setAdoption(ctx, tx, id, it.Seq, Adoption(it.Adoption), strings.TrimSpace(it.Reason), actorName(actor), now); err != nil {
				return audit.Event{}, err
			}
		}
		// The review's feedback time moves and its version with it
		// (adoption answers change the record).
		r.FeedbackAt = &now
		return audit.Event{Action: "legalreview.adopt", After: in.Items,
			Summary: fmt.Sprintf("反馈审查意见采纳情况：%s（%d 条）", r.Title, len(in.Items))}, nil
	})
}

// Timeline turns the chain's history into lines with names, followed by
// the opinion letter (conclusion and its document number) and the
// requester's adoption feedback, in the order they happened.
func (s *Service) Timeline(ctx context.Context, id int64) ([]TimelineEntry, error) {
	_, r, err := s.load(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	out := []TimelineEntry{}
	if r.workflow == nil {
		return out, nil
	}
	var ids []int64
	for _, e := range r.workflow.History {
		ids = append(ids, e.Actor, e.User)
		ids = append(ids, e.To...)
	}
	names, err := s.dir.UserNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	name := func(id int64) string {
		if id == 0 {
			return "系统"
		}
		if n, ok := names[id]; ok {
			return n
		}
		return fmt.Sprintf("用户%d", id)
	}
	stepName := map[string]string{}
	for _, st := range r.workflow.Definition.Steps {
		stepName[st.Key] = st.Name
	}
	for _, e := range r.workflow.History {
		t := TimelineEntry{At: e.At, Action: string(e.Action), Label: e.Action.Label(), Step: stepName[e.Step],
			Actor: name(e.Actor), Opinion: e.Opinion, Target: stepName[e.TargetStep], DueAt: e.DueAt}
		if e.Action == workflow.ActFinish {
			// The chain's end says nothing about the conclusion, which the
			// opinion letter entry below gives.
			t.Label = "审查流程办结"
			if e.Result != workflow.Approved {
				t.Label = "审查流程终止（" + e.Result.Label() + "）"
			}
		}
		for _, u := range e.To {
			t.To = append(t.To, name(u))
		}
		if e.User != 0 {
			t.To = append(t.To, name(e.User))
		}
		out = append(out, t)
	}
	if r.Status != StatusConcluded {
		return out, nil
	}
	concl := TimelineEntry{Action: "conclude", Actor: r.ConcludedBy, Opinion: r.ConclusionText,
		Label: fmt.Sprintf("出具法律审查意见书 %s（%s）", r.OpinionNo, r.Conclusion.Label())}
	if r.EarlyReason != "" {
		concl.Early = fmt.Sprintf("未满最少审查时间（%s）提前办结。紧急事由：%s；批准人：%s", r.MinOn, r.EarlyReason, r.EarlyApprover)
	}
	if r.ConcludedAt != nil {
		concl.At = *r.ConcludedAt
	} else {
		concl.Date = r.FinishedOn // concluded before the time was recorded
	}
	out = append(out, concl)
	ops, err := s.st.opinions(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if fb, ok := feedbackEntry(ops, r.FeedbackAt); ok {
		out = append(out, fb)
	}
	return out, nil
}

// feedbackEntry summarises the requester's adoption record: counts per
// answer, the reasons given for the opinions not (fully) adopted, who
// answered last and when (the review's feedback time, or for records made
// before it was kept, the latest answer's time).
func feedbackEntry(ops []Opinion, at *time.Time) (TimelineEntry, bool) {
	count := map[Adoption]int{}
	var reasons []string
	var last *Opinion
	for i, o := range ops {
		count[o.Adoption]++
		if o.Adoption == AdoptionNone {
			continue
		}
		if o.AdoptionReason != "" {
			reasons = append(reasons, fmt.Sprintf("第%d条%s：%s", o.Seq, o.Adoption.Label(), o.AdoptionReason))
		}
		if o.AdoptedAt != nil && (last == nil || last.AdoptedAt.Before(*o.AdoptedAt)) {
			last = &ops[i]
		}
	}
	if last == nil {
		return TimelineEntry{}, false
	}
	var parts []string
	for _, a := range []Adoption{AdoptionAdopted, AdoptionPartial, AdoptionRejected, AdoptionNone} {
		if count[a] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 条", a.Label(), count[a]))
		}
	}
	t := TimelineEntry{At: *last.AdoptedAt, Action: "adopt", Actor: last.AdoptedBy,
		Label: "送审单位反馈采纳情况（" + strings.Join(parts, "、") + "）", Opinion: strings.Join(reasons, "；")}
	if at != nil {
		t.At = *at
	}
	return t, true
}

// PDFMaker turns a generated .docx into PDF (platform/pdf.Converter).
type PDFMaker interface {
	FromDOCX(ctx context.Context, docx []byte) ([]byte, error)
}

// SetPDF wires the PDF converter used by LetterPDF.
func (s *Service) SetPDF(p PDFMaker) { s.pdf = p }

// LetterPDF is Letter printed to PDF, with its file name.
func (s *Service) LetterPDF(ctx context.Context, id int64) ([]byte, string, error) {
	b, name, err := s.Letter(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if s.pdf == nil {
		return nil, "", apperr.New(apperr.Precondition, "未配置 PDF 转换，暂不能生成 PDF 版意见书")
	}
	out, err := s.pdf.FromDOCX(ctx, b)
	if err != nil {
		return nil, "", fmt.Errorf("legalreview: letter %d to PDF: %w", id, err)
	}
	return out, strings.TrimSuffix(name, ".docx") + ".pdf", nil
}

// Letter renders the opinion letter (法律审查意见书) of a concluded review in
// 公文 layout and returns it with a file name.
func (s *Service) Letter(ctx context.Context, id int64) ([]byte, string, error) {
	r, err := s.Get(ctx, id)
	if err != nil {
		return nil, "", err
	}
	if r.Status != StatusConcluded {
		return nil, "", apperr.New(apperr.Precondition, "审查尚未办结，还没有法律审查意见书")
	}
	issuer := "司法局"
	if u, err := s.dir.Unit(ctx, r.ReviewerUnitID); err == nil {
		issuer = u.Name
	}
	b, err := renderLetter(r, issuer)
	if err != nil {
		return nil, "", err
	}
	return b, fmt.Sprintf("法律审查意见书-%s.docx", r.OpinionNo), nil
}

// letterBasis is, per review kind, what the letter says was reviewed and
// on which legal basis, and what follows a failed review.
var letterBasis = map[Kind]struct {
	subject, basis, scope, failed string
}{
	KindDecision: {"重大行政决策事项",
		"根据《重大行政决策程序暂行条例》第二十五条至第二十八条的规定",
		"从决策权限、决策程序和决策内容是否符合法律、法规、规章和国家政策等方面进行了合法性审查",
		"依照《重大行政决策程序暂行条例》第二十五条，经审查不合法的决策草案不得提交决策机关讨论。请修改完善后重新送审。"},
	KindNormdoc: {"行政规范性文件送审稿",
		"根据《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）和《国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见》（国办发〔2018〕115号）",
		"从制定主体、制定权限、制定程序和文件内容等方面进行了合法性审核",
		"依照国办发〔2018〕37号的规定，未经合法性审核或者经审核不合法的文件不得提交集体审议，不得印发。请修改完善后重新送审。"},
	KindContract: {"合同文本",
		"根据《中华人民共和国民法典》等法律法规的规定",
		"从合同主体资格、签订依据和程序、合同条款和权利义务约定等方面进行了合法性审查",
		"合同文本未通过合法性审查，不得签订。请修改完善后重新送审。"},
	KindPolicy: {"涉及经营主体经济活动的政策措施",
		"根据《公平竞争审查条例》等规定",
		"从制定权限、制定程序、政策内容以及是否排除、限制竞争等方面进行了合法性审查",
		"政策措施未通过合法性审查，不得出台。请修改完善后重新送审。"},
}

// renderLetter writes the 法律审查意见书 on the shared 公文 builder. Its text
// is chosen by the review kind; no internal configuration (chain names)
// appears in it.
func renderLetter(r *Review, issuer string) ([]byte, error) {
	d, err := docx.New()
	if err != nil {
		return nil, err
	}
	basis, ok := letterBasis[r.Kind]
	if !ok {
		basis = letterBasis[KindDecision]
	}
	d.Title("法律审查意见书")
	d.DocNumber(r.OpinionNo)
	d.Blank()
	d.Addressee(r.UnitName)
	submitted, _ := calendar.ParseDate(r.SubmittedOn)
	d.Para(fmt.Sprintf("你单位于%s报送的《%s》（%s）收悉。%s，我局%s。现提出意见如下：",
		docx.ChineseDate(dateTime(submitted)), strings.Trim(r.Title, "《》"), basis.subject, basis.basis, basis.scope))
	d.Heading(1, "审查结论")
	d.Para(conclusionText(r))
	if r.EarlyReason != "" {
		// Concluded before the minimum review time: said in the letter,
		// with the recorded urgent matter and who approved it.
		d.Para(fmt.Sprintf("本件审查未满最少审查时间（%s 届满）即办结，系提前办结。紧急事由：%s；批准人：%s。",
			r.MinOn, strings.TrimRight(r.EarlyReason, "。"), strings.TrimRight(r.EarlyApprover, "。")))
	}
	if len(r.Opinions) > 0 {
		d.Heading(1, "具体意见")
		for _, o := range r.Opinions {
			d.Para(fmt.Sprintf("%d．%s", o.Seq, o.Text))
		}
	}
	if len(r.Checks) > 0 {
		n := 0
		for _, c := range r.Checks {
			if c.Answer == AnswerViolate {
				n++
			}
		}
		d.Heading(1, "公平竞争审查")
		if n == 0 {
			d.Para(fmt.Sprintf("经对照公平竞争审查标准逐项审查（共 %d 项），未发现排除、限制竞争的内容。", len(r.Checks)))
		} else {
			d.Para(fmt.Sprintf("经对照公平竞争审查标准逐项审查（共 %d 项），有 %d 项涉及限制竞争内容，送审单位已说明适用例外情形的理由，请严格按照例外规定实施并定期评估。", len(r.Checks), n))
		}
	}
	switch r.Conclusion {
	case ConclusionPassedWithChanges:
		d.Para("请根据上述意见修改完善后按程序办理，并在系统中反馈审查意见采纳情况。")
	case ConclusionFailed:
		d.Para(basis.failed)
	default:
		d.Para("请按程序办理。")
	}
	finished, _ := calendar.ParseDate(r.FinishedOn)
	d.Signature(issuer, dateTime(finished))
	return d.Bytes()
}

// conclusionText states the conclusion once: a reviewer's note that already
// names it (e.g. "审查通过，…") is not prefixed with it again.
func conclusionText(r *Review) string {
	label := r.Conclusion.Label()
	note := strings.TrimSpace(r.ConclusionText)
	if note == "" {
		return "经审查，结论为" + label + "。"
	}
	if strings.Contains(note, label) {
		if !strings.HasSuffix(note, "。") {
			note += "。"
		}
		return "经审查，" + strings.TrimPrefix(note, "经审查，")
	}
	return "经审查，结论为" + label + "。" + note
}

func dateTime(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}
