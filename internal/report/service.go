package report

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/pdf"
	"fazhi/internal/platform/workflow"
)

// UnitInfo is what the module needs to know of a unit.
type UnitInfo struct {
	ID   int64
	Name string
	Path string
	Type string // org unit type: district, department, town, …
}

// Units resolves units and people whatever the caller's scope (engine
// lookups, wired in internal/app).
type Units interface {
	Unit(ctx context.Context, id int64) (UnitInfo, error)
	// ReportUnits are the units that report every year: the district
	// government(s) and the departments, active ones only.
	ReportUnits(ctx context.Context) ([]UnitInfo, error)
	// UsersInRole returns the active holders of role in the unit, or the
	// nearest ancestor's, or anywhere.
	UsersInRole(ctx context.Context, role string, unitID int64) ([]int64, error)
	UserNames(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Notifier tells users about a task (in-app notifications in the
// transaction; nil sends none).
type Notifier interface {
	Notify(ctx context.Context, tx *db.Tx, users []int64, title, body, link string) error
}

// Deps are the module's collaborators.
type Deps struct {
	// Figures evaluates the metric registry (a.Metrics.Figures).
	Figures func(ctx context.Context, q metric.Query) ([]metric.Figure, error)
	Units   Units
	Notify  Notifier
	PDF     *pdf.Converter
}

// Service runs the annual reports.
type Service struct {
	db    *db.DB
	st    Store
	cal   *calendar.Calendar
	rules *calendar.Registry
	deps  Deps
	wf    *workflow.Engine
	now   func() time.Time
}

// Named deadline rules (厅字〔2019〕28号, DOMAIN.md §2.7), counted from 1
// January of the year after the report's year.
const (
	RuleDepartmentReport  = "report.department_report"
	RuleGovernmentPublish = "report.government_publish"
)

const basis = "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第二十四条及省级工作指引"

var extraRules = []calendar.Rule{
	{Name: RuleDepartmentReport, Label: "部门向本级政府报告上一年度法治政府建设情况（3月1日前）", Basis: basis + "（自次年1月1日起算两个月）",
		Period: calendar.Period{N: 2, Unit: calendar.Months}},
	{Name: RuleGovernmentPublish, Label: "政府公开上一年度法治政府建设年度报告（4月1日前）", Basis: basis + "（自次年1月1日起算三个月）",
		Period: calendar.Period{N: 3, Unit: calendar.Months}},
}

// NewService returns the service and registers its deadline rules.
func NewService(d *db.DB, cal *calendar.Calendar, rules *calendar.Registry, deps Deps) (*Service, error) {
	for _, r := range extraRules {
		if _, err := rules.Get(r.Name); err == nil {
			continue
		}
		if err := rules.Register(r); err != nil {
			return nil, err
		}
	}
	s := &Service{db: d, cal: cal, rules: rules, deps: deps, now: time.Now}
	s.wf = workflow.New(nil, resolver{s})
	return s, nil
}

type resolver struct{ s *Service }

func (r resolver) UsersInRole(role string, unitID int64) ([]int64, error) {
	return r.s.deps.Units.UsersInRole(context.Background(), role, unitID)
}

func (s *Service) clock(ctx context.Context) time.Time { return clock.Now(ctx, s.now) }
func (s *Service) today(ctx context.Context) calendar.Date {
	return calendar.Today(s.clock(ctx))
}

// Deadline is the legal deadline of a report of kind for year: the
// department's report to the government (1 March) or the government's
// publication (1 April), moved off a non-working day by the calendar.
func (s *Service) Deadline(kind string, year int) (calendar.Result, calendar.Rule, error) {
	name := RuleDepartmentReport
	if kind == KindGovernment {
		name = RuleGovernmentPublish
	}
	rule, err := s.rules.Get(name)
	if err != nil {
		return calendar.Result{}, rule, err
	}
	res, err := s.cal.Compute(rule.Period, calendar.NewDate(year+1, time.January, 1))
	return res, rule, err
}

// chain is the review chain of a report of kind.
func chain(kind string) workflow.Definition {
	if kind == KindGovernment {
		return workflow.Definition{Code: "report.government", Name: "政府法治政府建设年度报告审核", Steps: []workflow.Step{
			{Key: "office", Name: "依法治区办审核", Kind: workflow.KindAny, Assignees: []workflow.Assignee{{Role: "supervisor"}}, OpinionRequired: false},
			{Key: "government", Name: "区政府审定", Kind: workflow.KindAny, Assignees: []workflow.Assignee{{Role: "gov_office"}}},
		}}
	}
	return workflow.Definition{Code: "report.department", Name: "部门法治政府建设年度报告审核", Steps: []workflow.Step{
		{Key: "head", Name: "部门负责人审核", Kind: workflow.KindAny, Assignees: []workflow.Assignee{{Role: "head"}}},
		{Key: "office", Name: "依法治区办审核", Kind: workflow.KindAny, Assignees: []workflow.Assignee{{Role: "supervisor"}}},
	}}
}

func kindOf(unitType string) (string, bool) {
	switch unitType {
	case "district":
		return KindGovernment, true
	case "department":
		return KindDepartment, true
	}
	return "", false
}

// Title is the report's default title.
func Title(unitName string, year int) string {
	return fmt.Sprintf("%s关于%d年度法治政府建设情况的报告", unitName, year)
}

func auditReport(ctx context.Context, tx *db.Tx, action string, r *Report, before, after any, summary string) error {
	return audit.Record(ctx, tx, audit.Event{Action: action, ObjectType: "report", ObjectID: fmt.Sprint(r.ID), UnitID: r.UnitID,
		Before: before, After: after, Summary: summary})
}

// ---- reading ----

// Filter selects reports in the list.
type Filter struct {
	Year   int    `query:"year" doc:"年度"`
	UnitID int64  `query:"unit_id" doc:"单位"`
	Status string `query:"status" enum:"draft,reviewing,returned,approved,published," doc:"状态"`
	Kind   string `query:"kind" enum:"government,department," doc:"类型"`
}

// List pages the reports in the actor's scope (content left out).
func (s *Service) List(ctx context.Context, flt Filter, req db.ListReq) (db.Paged[Report], error) {
	l, err := s.listSQL(ctx, flt)
	if err != nil {
		return db.Paged[Report]{Items: []Report{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, scanReport, func(r Report) []any { return []any{r.Year, r.ID} })
}

var shanghai = calendar.Shanghai

func itoa(n int) string { return fmt.Sprint(n) }

// load reads a report the actor may read (another unit's is not found).
func (s *Service) load(ctx context.Context, q db.Querier, id int64, perm string) (*auth.Actor, *Report, error) {
	a, err := auth.Require(ctx, perm)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.st.get(ctx, q, id)
	if err != nil {
		return nil, nil, err
	}
	if !a.CanIn(PermRead, r.unitPath) || !a.CanIn(perm, r.unitPath) {
		return nil, nil, apperr.New(apperr.NotFound, "年度报告不存在")
	}
	return a, r, nil
}

// Get returns a report with its text, figures, chain and versions.
func (s *Service) Get(ctx context.Context, id int64) (*Detail, error) {
	a, r, err := s.load(ctx, s.db, id, PermRead)
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, a, r)
}

func editable(status string) bool { return status == StatusDraft || status == StatusReturned }

func (s *Service) detail(ctx context.Context, a *auth.Actor, r *Report) (*Detail, error) {
	render(r.Sections, r.Figures)
	d := &Detail{Report: *r, Flow: []Task{}, History: []VersionRef{}}
	hs, err := s.st.versions(ctx, s.db, r.ID)
	if err != nil {
		return nil, err
	}
	for i := range hs {
		hs[i].Published = hs[i].Seq == r.PublishedNo
	}
	d.History = hs
	canWrite := a.CanIn(PermWrite, r.unitPath)
	d.CanEdit = canWrite && editable(r.Status)
	d.CanSubmit = d.CanEdit
	d.CanPublish = r.Status == StatusApproved && a.CanIn(PermPublish, r.unitPath)
	if r.flow != nil {
		d.FlowStatus = r.flow.Status.Label()
		if r.flow.Status == workflow.Running {
			d.CurrentStep = r.flow.CurrentStep().Name
			d.CanAct = a.Can(PermApprove) && slices.Contains(r.flow.Pending(), a.UserID)
		}
	}
	var ids []int64
	for _, fl := range r.flows {
		for _, st := range fl.Steps {
			for _, t := range st.Tasks {
				ids = append(ids, t.Assignee)
			}
		}
	}
	names, err := s.deps.Units.UserNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for round, fl := range r.flows {
		for i, st := range fl.Steps {
			for _, t := range st.Tasks {
				tk := Task{Step: st.Key, StepName: fl.Definition.Steps[i].Name, Assignee: names[t.Assignee], Status: string(t.Status),
					Label: t.Status.Label(), Opinion: t.Opinion, Round: round + 1}
				if !t.ActedAt.IsZero() {
					at := t.ActedAt
					tk.ActedAt = &at
				}
				d.Flow = append(d.Flow, tk)
			}
		}
	}
	if res, rule, err := s.Deadline(r.Kind, r.Year); err == nil {
		d.Deadline, d.DeadlineFor = res.Due.String(), rule.Label
		if res.Provisional {
			d.DeadlineNote = fmt.Sprintf("工作日历尚未录入 %s 年的放假安排，日期可能调整", strings.Trim(fmt.Sprint(res.UncoveredYears), "[]"))
		}
	}
	return d, nil
}

// ---- generating ----

// CreateInput starts a report.
type CreateInput struct {
	Year   int   `json:"year" doc:"报告年度"`
	UnitID int64 `json:"unit_id" doc:"报告单位（区政府或区直部门）"`
}

// figures evaluates the registry for the report's unit subtree and year.
// Figures are the report's own (an official document of the unit): they
// are computed as the system over the whole unit subtree, whoever asks.
func (s *Service) figures(ctx context.Context, unitID int64, unitName string, year int) (map[string]Source, error) {
	q := metric.Query{UnitID: unitID, From: fmt.Sprintf("%04d-01-01", year), To: fmt.Sprintf("%04d-12-31", year)}
	figs, err := s.deps.Figures(auth.With(ctx, auth.SystemActor("年度报告")), q)
	if err != nil {
		return nil, err
	}
	return sources(figs, q, unitName), nil
}

// Create generates a report for a unit and year from the template, with
// every figure filled from the metric registry.
func (s *Service) Create(ctx context.Context, in CreateInput) (*Detail, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	var v apperr.Fields
	thisYear := s.today(ctx).Year
	if in.Year < 2000 || in.Year > thisYear {
		v.Add("year", "报告年度应在 2000 至 %d 之间", thisYear)
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择报告单位")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	u, err := s.deps.Units.Unit(ctx, in.UnitID)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.Field("unit_id", "报告单位不存在")
		}
		return nil, err
	}
	if !a.CanIn(PermWrite, u.Path) {
		return nil, apperr.New(apperr.NotFound, "报告单位不存在或无权编制其报告")
	}
	kind, ok := kindOf(u.Type)
	if !ok {
		return nil, apperr.Field("unit_id", "年度报告由区人民政府或区直部门编制，「%s」不是", u.Name)
	}
	if id, err := s.st.exists(ctx, s.db, u.ID, in.Year); err != nil {
		return nil, err
	} else if id != 0 {
		return nil, apperr.Field("year", "%s %d 年度的报告已存在", u.Name, in.Year)
	}
	figs, err := s.figures(ctx, u.ID, u.Name, in.Year)
	if err != nil {
		return nil, err
	}
	now := s.clock(ctx)
	r := &Report{UnitID: u.ID, UnitName: u.Name, Year: in.Year, Kind: kind, Title: Title(u.Name, in.Year), Status: StatusDraft,
		Sections: generate(u.Name, in.Year), Figures: figs, GeneratedAt: now.UTC(), CreatedBy: a.UserID, unitPath: u.Path}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.st.insert(ctx, tx, r, now); err != nil {
			return err
		}
		return auditReport(ctx, tx, "report.create", r, nil, map[string]any{"year": r.Year, "unit_id": r.UnitID, "title": r.Title},
			fmt.Sprintf("生成年度报告「%s」", r.Title))
	})
	if err != nil {
		return nil, err
	}
	r.KindLabel, r.StatusLabel = KindLabel(r.Kind), StatusLabel(r.Status)
	return s.detail(ctx, a, r)
}

// VersionInput carries the version the caller read.
type VersionInput struct {
	Version int64 `json:"version" doc:"读取时的版本号（并发控制）"`
}

func (s *Service) mutate(ctx context.Context, id, version int64, perm string, change func(tx *db.Tx, a *auth.Actor, r *Report) (action, summary string, err error)) (*Detail, error) {
	var a *auth.Actor
	var r *Report
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		a, r, err = s.load(ctx, tx, id, perm)
		if err != nil {
			return err
		}
		if version != r.Version {
			return apperr.New(apperr.Conflict, "报告已被他人修改，请刷新后重试")
		}
		before := map[string]any{"status": r.Status, "version": r.Version}
		action, summary, err := change(tx, a, r)
		if err != nil {
			return err
		}
		ok, err := s.st.save(ctx, tx, r, version, s.clock(ctx))
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.Conflict, "报告已被他人修改，请刷新后重试")
		}
		return auditReport(ctx, tx, action, r, before, map[string]any{"status": r.Status, "version": r.Version}, summary)
	})
	if err != nil {
		return nil, err
	}
	r.StatusLabel = StatusLabel(r.Status)
	return s.detail(ctx, a, r)
}

// Regenerate recomputes every figure from the registry; edited paragraphs
// keep their text, the others take the template's.
func (s *Service) Regenerate(ctx context.Context, id int64, in VersionInput) (*Detail, error) {
	return s.mutate(ctx, id, in.Version, PermWrite, func(tx *db.Tx, a *auth.Actor, r *Report) (string, string, error) {
		if !editable(r.Status) {
			return "", "", apperr.New(apperr.Precondition, "报告%s，不能重新生成（退回修改后才能重新生成）", StatusLabel(r.Status))
		}
		figs, err := s.figures(ctx, r.UnitID, r.UnitName, r.Year)
		if err != nil {
			return "", "", err
		}
		r.Figures = figs
		r.Sections = merge(generate(r.UnitName, r.Year), r.Sections)
		r.GeneratedAt = s.clock(ctx).UTC()
		return "report.regenerate", fmt.Sprintf("重新生成年度报告「%s」的指标", r.Title), nil
	})
}

// EditInput changes the text: the title, the note, and the paragraphs
// named by key (others unchanged).
type EditInput struct {
	Version    int64       `json:"version"`
	Title      string      `json:"title,omitempty" doc:"标题；空为不变"`
	Note       *string     `json:"note,omitempty" doc:"内部备注（不公开）"`
	Paragraphs []ParaInput `json:"paragraphs,omitempty"`
}

// ParaInput is one paragraph's new text.
type ParaInput struct {
	Key  string `json:"key"`
	Text string `json:"text" doc:"段落文字，指标以 {{指标代码}} 占位"`
}

// Limits of the text.
const (
	MaxParaRunes  = 3000
	MaxTitleRunes = 100
	MaxNoteRunes  = 2000
)

func checkText(v *apperr.Fields, field, label, s string, max int, required bool) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(s)); {
	case n == 0 && required:
		v.Add(field, "请填写%s", label)
	case n > max:
		v.Add(field, "%s不能超过 %d 个字", label, max)
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		v.Add(field, "%s含有无效字符", label)
	}
}

// Edit saves edited text. A paragraph may refer to any figure of the
// report ({{code}}); an unknown code is refused.
func (s *Service) Edit(ctx context.Context, id int64, in EditInput) (*Detail, error) {
	if len(in.Paragraphs) > 500 {
		return nil, apperr.Field("paragraphs", "一次修改的段落过多")
	}
	return s.mutate(ctx, id, in.Version, PermWrite, func(tx *db.Tx, a *auth.Actor, r *Report) (string, string, error) {
		if !editable(r.Status) {
			return "", "", apperr.New(apperr.Precondition, "报告%s，不能修改", StatusLabel(r.Status))
		}
		var v apperr.Fields
		if in.Title != "" {
			checkText(&v, "title", "标题", in.Title, MaxTitleRunes, true)
			r.Title = strings.TrimSpace(in.Title)
		}
		if in.Note != nil {
			checkText(&v, "note", "备注", *in.Note, MaxNoteRunes, false)
			r.Note = strings.TrimSpace(*in.Note)
		}
		byKey := map[string]*Paragraph{}
		walkParas(r.Sections, func(p *Paragraph) { byKey[p.Key] = p })
		changed := 0
		for i, pi := range in.Paragraphs {
			field := fmt.Sprintf("paragraphs[%d].text", i)
			p, ok := byKey[pi.Key]
			if !ok {
				v.Add(fmt.Sprintf("paragraphs[%d].key", i), "段落「%s」不存在", pi.Key)
				continue
			}
			checkText(&v, field, "段落文字", pi.Text, MaxParaRunes, true)
			for _, c := range Codes(pi.Text) {
				if _, ok := r.Figures[c]; !ok {
					v.Add(field, "引用的指标「%s」不在指标目录中", c)
				}
			}
			if strings.Count(pi.Text, "{{") != len(placeholder.FindAllStringIndex(pi.Text, -1)) {
				v.Add(field, "指标占位符格式应为 {{指标代码}}")
			}
			text := strings.TrimSpace(pi.Text)
			if text != p.Text {
				p.Text, p.Edited = text, true
				changed++
			}
		}
		if err := v.Err(); err != nil {
			return "", "", err
		}
		return "report.edit", fmt.Sprintf("修改年度报告「%s」（%d 段）", r.Title, changed), nil
	})
}

// Submit freezes the current text as a new version and starts the review
// chain.
func (s *Service) Submit(ctx context.Context, id int64, in VersionInput) (*Detail, error) {
	return s.mutate(ctx, id, in.Version, PermWrite, func(tx *db.Tx, a *auth.Actor, r *Report) (string, string, error) {
		if !editable(r.Status) {
			return "", "", apperr.New(apperr.Precondition, "报告%s，不能提交审核", StatusLabel(r.Status))
		}
		if a.System || a.UserID <= 0 {
			a = &auth.Actor{UserID: r.CreatedBy}
			if a.UserID <= 0 {
				a.UserID = 1
			}
		}
		now := s.clock(ctx)
		in, evs, err := s.wf.Start(chain(r.Kind), a.UserID, r.UnitID, now)
		if err != nil {
			if ae := apperr.As(err); ae != nil && ae.Code == apperr.Invalid {
				return "", "", apperr.New(apperr.Precondition, "审核流程无法发起：%s（请先为相应岗位配置人员）", ae.Message)
			}
			return "", "", err
		}
		r.flow = in
		r.flows = append(r.flows, in)
		r.Versions++
		r.Status = StatusReviewing
		render(r.Sections, r.Figures)
		submitter := auth.From(ctx).Name
		if err := s.st.insertVersion(ctx, tx, r.ID, FrozenVersion{VersionRef: VersionRef{Seq: r.Versions, Title: r.Title, Submitter: submitter,
			SubmittedAt: now.UTC()}, Sections: r.Sections, Figures: r.Figures}, a.UserID); err != nil {
			return "", "", err
		}
		if users := activated(evs); s.deps.Notify != nil && len(users) > 0 {
			if err := s.deps.Notify.Notify(ctx, tx, users, "年度报告待审核："+r.Title, in.CurrentStep().Name, fmt.Sprintf("/reports/%d", r.ID)); err != nil {
				return "", "", err
			}
		}
		return "report.submit", fmt.Sprintf("提交年度报告「%s」第 %d 版审核", r.Title, r.Versions), nil
	})
}

// activated lists the users a step was handed to in evs.
func activated(evs []workflow.Event) []int64 {
	var out []int64
	for _, e := range evs {
		if e.Action == workflow.ActActivate {
			out = append(out, e.To...)
		}
	}
	return out
}

// ActInput is a reviewer's decision.
type ActInput struct {
	Version int64  `json:"version"`
	Action  string `json:"action" enum:"approve,reject" doc:"approve 同意；reject 退回修改"`
	Opinion string `json:"opinion,omitempty" doc:"审核意见（退回时必填）"`
}

// Act records a reviewer's approval or return. The last approval makes
// the report approved; a return sends it back for editing.
func (s *Service) Act(ctx context.Context, id int64, in ActInput) (*Detail, error) {
	var v apperr.Fields
	if in.Action != "approve" && in.Action != "reject" {
		v.Add("action", "办理方式应为同意或退回修改")
	}
	checkText(&v, "opinion", "审核意见", in.Opinion, 1000, in.Action == "reject")
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermApprove, func(tx *db.Tx, a *auth.Actor, r *Report) (string, string, error) {
		if r.Status != StatusReviewing || r.flow == nil {
			return "", "", apperr.New(apperr.Precondition, "报告%s，没有待审核的版本", StatusLabel(r.Status))
		}
		step := r.flow.CurrentStep().Name
		act := workflow.Act{Actor: a.UserID, At: s.clock(ctx), Opinion: strings.TrimSpace(in.Opinion)}
		var n *workflow.Instance
		var evs []workflow.Event
		var err error
		if in.Action == "approve" {
			n, evs, err = s.wf.Approve(r.flow, act)
		} else {
			n, evs, err = s.wf.Reject(r.flow, act)
		}
		if err != nil {
			return "", "", err
		}
		r.flow = n
		r.flows[len(r.flows)-1] = n
		switch n.Status {
		case workflow.Approved:
			r.Status = StatusApproved
		case workflow.Rejected:
			r.Status = StatusReturned
		}
		if err := s.cancelReminders(ctx, tx, r); err != nil {
			return "", "", err
		}
		if users := activated(evs); s.deps.Notify != nil && len(users) > 0 {
			if err := s.deps.Notify.Notify(ctx, tx, users, "年度报告待审核："+r.Title, n.CurrentStep().Name, fmt.Sprintf("/reports/%d", r.ID)); err != nil {
				return "", "", err
			}
		}
		verb := map[string]string{"approve": "同意", "reject": "退回修改"}[in.Action]
		return "report." + in.Action, fmt.Sprintf("%s：%s年度报告「%s」第 %d 版", step, verb, r.Title, r.Versions), nil
	})
}

// Publish publishes the approved version on the portal.
func (s *Service) Publish(ctx context.Context, id int64, in VersionInput) (*Detail, error) {
	return s.mutate(ctx, id, in.Version, PermPublish, func(tx *db.Tx, a *auth.Actor, r *Report) (string, string, error) {
		if r.Status != StatusApproved {
			return "", "", apperr.New(apperr.Precondition, "报告%s，审定后才能公布", StatusLabel(r.Status))
		}
		now := s.clock(ctx).UTC()
		r.Status, r.PublishedNo, r.PublishedAt = StatusPublished, r.Versions, &now
		if err := s.st.setPublishedBy(ctx, tx, r.ID, a.UserID); err != nil {
			return "", "", err
		}
		if err := s.cancelReminders(ctx, tx, r); err != nil {
			return "", "", err
		}
		return "report.publish", fmt.Sprintf("公布年度报告「%s」第 %d 版", r.Title, r.Versions), nil
	})
}

// Version returns one frozen version.
func (s *Service) Version(ctx context.Context, id int64, seq int) (*FrozenVersion, error) {
	_, r, err := s.load(ctx, s.db, id, PermRead)
	if err != nil {
		return nil, err
	}
	v, err := s.st.version(ctx, s.db, r.ID, seq)
	if err != nil {
		return nil, err
	}
	v.Published = v.Seq == r.PublishedNo
	render(v.Sections, v.Figures)
	return v, nil
}

// Compare diffs two frozen versions; to = 0 compares with the current text.
func (s *Service) Compare(ctx context.Context, id int64, from, to int) (*Comparison, error) {
	_, r, err := s.load(ctx, s.db, id, PermRead)
	if err != nil {
		return nil, err
	}
	if from <= 0 {
		return nil, apperr.Field("from", "请选择要比较的版本")
	}
	a, err := s.st.version(ctx, s.db, r.ID, from)
	if err != nil {
		return nil, apperr.Field("from", "第 %d 版不存在", from)
	}
	var b *FrozenVersion
	if to == 0 {
		b = &FrozenVersion{VersionRef: VersionRef{Title: r.Title, Submitter: "当前文稿", SubmittedAt: r.UpdatedAt}, Sections: r.Sections, Figures: r.Figures}
	} else if b, err = s.st.version(ctx, s.db, r.ID, to); err != nil {
		return nil, apperr.Field("to", "第 %d 版不存在", to)
	}
	render(a.Sections, a.Figures)
	render(b.Sections, b.Figures)
	c := compare(*a, *b)
	return &c, nil
}

// Sources returns the report's figures sorted by code (the figure picker).
func (s *Service) Sources(ctx context.Context, id int64) ([]Source, error) {
	_, r, err := s.load(ctx, s.db, id, PermRead)
	if err != nil {
		return nil, err
	}
	out := make([]Source, 0, len(r.Figures))
	for _, f := range r.Figures {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b Source) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}
