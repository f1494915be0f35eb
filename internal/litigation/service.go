package litigation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
)

// Units resolves the defendant unit (org's unscoped lookups, adapted at
// wiring).
type Units interface {
	UnitNamePath(ctx context.Context, id int64) (name, path string, err error)
	UnitByNameOrCode(ctx context.Context, nameOrCode string) (id int64, name, path string, err error)
}

// Problem is a lost lawsuit as the findings ledger records it for the
// defendant unit.
type Problem struct {
	UnitID      int64
	Title       string
	Description string
	SourceRef   string
	FoundOn     string
}

// Ledger registers problems in the one findings ledger inside the caller's
// transaction (finding.RaiseTx, adapted at wiring).
type Ledger interface {
	Raise(ctx context.Context, tx *db.Tx, p Problem) (int64, error)
}

// ReconCase is what litigation needs of a linked reconsideration case.
type ReconCase struct {
	ID          int64
	Code        string
	Act         string
	Decided     bool   // a decision was made (the applicant may then sue)
	Corrected   bool   // the decision corrected the act (变更, 撤销, 确认违法, 确认无效, 责令履行)
	Outcome     string // the outcome's Chinese label
	ConcludedOn string
	Sued        bool
}

// Reconsiderations reaches 行政复议 (adapted at wiring): Case reads a case
// within the actor in ctx's scope; MarkSued records the applicant's
// lawsuit on it (the reconsideration step 登记申请人起诉).
type Reconsiderations interface {
	Case(ctx context.Context, id int64) (ReconCase, error)
	MarkSued(ctx context.Context, id int64, day calendar.Date, note string) error
}

// EnforcementCase is what litigation needs of a linked enforcement case:
// the officers whose certificate did not cover the case date, and the open
// rule hits of the enforcement register.
type EnforcementCase struct {
	ID            int64
	Code          string
	Date          string // the act's date: decided, else filed
	LapsedOfficer []string
	OpenHits      []string
}

// EnforcementCases reaches the enforcement register (adapted at wiring):
// Case reads a case within the actor in ctx's scope.
type EnforcementCases interface {
	Case(ctx context.Context, id int64) (EnforcementCase, error)
}

// Deps are the other modules the service reaches (each may be nil: the
// link or the rule is then unavailable).
type Deps struct {
	Units       Units
	Ledger      Ledger
	Recon       Reconsiderations
	Enforcement EnforcementCases
}

// Service holds every litigation rule.
type Service struct {
	db    *db.DB
	st    Store
	cal   *calendar.Calendar
	rules *calendar.Registry
	deps  Deps
	now   func() time.Time
}

// extraRules are the named periods the shipped calendar registry lacks.
// Neither period is confirmed in DOMAIN.md: both are configurable.
var extraRules = []calendar.Rule{
	{Name: RuleSuggestionReply, Label: "司法建议书面回复",
		Basis:  "《最高人民法院关于加强司法建议工作的意见》及本省规定（回复期限未经确认，默认收到之日起两个月，可按省配置）",
		Period: calendar.Period{N: 2, Unit: calendar.Months}},
	{Name: RuleActReview, Label: "败诉案件被诉行政行为复查",
		Basis:  "本区行政应诉工作规则（败诉后复查被诉行政行为，期限未经确认，默认判决之日起三十日，可配置）",
		Period: calendar.Period{N: 30, Unit: calendar.CalendarDays}},
}

// NewService builds the service and registers the named rules the shipped
// registry does not hold (configuration may still override them).
func NewService(d *db.DB, cal *calendar.Calendar, rules *calendar.Registry, deps Deps) (*Service, error) {
	for _, r := range extraRules {
		if _, err := rules.Get(r.Name); err == nil {
			continue
		}
		if err := rules.Register(r); err != nil {
			return nil, err
		}
	}
	if _, err := rules.Get(RuleDefence); err != nil {
		return nil, err
	}
	return &Service{db: d, cal: cal, rules: rules, deps: deps, now: time.Now}, nil
}

// SetNow replaces the wall clock (tests).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

func (s *Service) clock(ctx context.Context) time.Time { return clock.Now(ctx, s.now) }
func (s *Service) today(ctx context.Context) calendar.Date {
	return calendar.Today(s.clock(ctx))
}

// dueOf is the due date of rule counted from from, through the calendar.
func (s *Service) dueOf(rule string, from calendar.Date) (calendar.Date, error) {
	c, err := s.ruleClock(rule, from)
	if err != nil {
		return calendar.Date{}, err
	}
	return c.Due(s.cal)
}

func (s *Service) ruleClock(rule string, from calendar.Date) (*calendar.Clock, error) {
	r, err := s.rules.Get(rule)
	if err != nil {
		return nil, err
	}
	var c calendar.Clock
	if err := c.Start(r, from); err != nil {
		return nil, err
	}
	return &c, nil
}

// ---- reading ----

// canHandle reports whether the actor handles the unit's lawsuits (and so
// sees the plaintiff's personal data in full).
func canHandle(a *auth.Actor, unitPath string) bool { return a != nil && a.CanIn(PermWrite, unitPath) }

// risks lists the loss-risk rules the lawsuit meets today.
func (c *Case) risks(today string) []Risk {
	out := []Risk{}
	add := func(rule, detail string) {
		if detail != "" {
			out = append(out, Risk{Rule: rule, Label: option.Label(RiskRules, rule), Detail: detail})
		}
	}
	add(RiskRecon, c.riskRecon)
	add(RiskLate, c.lateDetail(today))
	add(RiskCert, c.riskCert)
	add(RiskRuleHit, c.riskHit)
	return out
}

// lateDetail is the defence-late rule (the same as lateCond in SQL).
func (c *Case) lateDetail(today string) string {
	var late []string
	if c.DefenceOn != "" && c.DefenceOn > c.DefenceDue {
		late = append(late, "答辩状于 "+c.DefenceOn+" 提交")
	}
	if c.EvidenceOn != "" && c.EvidenceOn > c.DefenceDue {
		late = append(late, "证据和依据于 "+c.EvidenceOn+" 提交")
	}
	if (c.DefenceOn == "" || c.EvidenceOn == "") && c.DefenceDue < today && (c.JudgedOn == "" || c.JudgedOn > c.DefenceDue) {
		if c.DefenceOn == "" {
			late = append(late, "答辩状尚未提交")
		}
		if c.EvidenceOn == "" {
			late = append(late, "证据和依据尚未提交")
		}
	}
	if len(late) == 0 {
		return ""
	}
	return "答辩举证期限 " + c.DefenceDue + "，" + strings.Join(late, "，")
}

// decorate fills the labels and derived fields, and masks personal data
// for actors who only read.
func (s *Service) decorate(c *Case, a *auth.Actor, today calendar.Date) {
	c.StatusLabel = option.Label(Statuses, string(c.Status))
	c.InstanceLabel = option.Label(Instances, c.Instance)
	c.OutcomeLabel = option.Label(Outcomes, c.Outcome)
	c.Risks = c.risks(today.String())
	c.DefenceLate = c.lateDetail(today.String()) != ""
	if !canHandle(a, c.unitPath) {
		c.PlaintiffIDNumber = mask.IDNumber(c.PlaintiffIDNumber)
		c.PlaintiffPhone = mask.Phone(c.PlaintiffPhone)
		c.PlaintiffAddress = mask.Address(c.PlaintiffAddress)
		if c.PlaintiffType == "person" {
			c.PlaintiffName = mask.Name(c.PlaintiffName)
		}
		c.Masked = true
	}
}

func decorateHearing(h *Hearing) {
	h.AppearanceLabel = option.Label(Appearances, h.Appearance)
	if h.Appearance == "" {
		h.AppearanceLabel = "已排期，待登记出庭情况"
	}
	h.HeadCounted = HeadCounts(h.Appearance)
}

// Get returns a lawsuit with its hearings, timeline and steps, within the
// actor's scope (another unit's lawsuit is not found).
func (s *Service) Get(ctx context.Context, id int64) (*Detail, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	c, err := s.st.get(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermRead, c.unitPath) {
		return nil, apperr.New(apperr.NotFound, "行政应诉案件不存在")
	}
	return s.detail(ctx, s.db, c, a)
}

func (s *Service) detail(ctx context.Context, q db.Querier, c *Case, a *auth.Actor) (*Detail, error) {
	today := s.today(ctx)
	evs, err := s.st.events(ctx, q, c.ID)
	if err != nil {
		return nil, err
	}
	hs, err := s.st.hearings(ctx, q, c.ID)
	if err != nil {
		return nil, err
	}
	for i := range hs {
		decorateHearing(&hs[i])
	}
	d := &Detail{Case: *c, Events: evs, Hearings: hs, CanHandle: canHandle(a, c.unitPath), Steps: []StepView{}}
	if recv, err := calendar.ParseDate(c.ReceivedOn); err == nil {
		if cl, err := s.ruleClock(RuleDefence, recv); err == nil {
			d.DefenceRule, _ = cl.Explain(s.cal)
		}
	}
	if d.CanHandle {
		d.Steps = s.steps(c, hs, today)
	}
	s.decorate(&d.Case, a, today)
	return d, nil
}

// List returns a page of the register within the actor's scope.
func (s *Service) List(ctx context.Context, flt Filter, req db.ListReq) (db.Paged[Case], error) {
	l, err := s.listSQL(ctx, flt)
	if err != nil {
		return db.Paged[Case]{Items: []Case{}}, err
	}
	a, today := auth.From(ctx), s.today(ctx)
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Case, error) {
		c, err := scanCase(sc)
		if err != nil {
			return Case{}, err
		}
		s.decorate(c, a, today)
		return *c, nil
	}, func(c Case) []any { return []any{c.ID} })
}

// checkDates refuses a filter date that is not YYYY-MM-DD.
func checkDates(dates map[string]string) error {
	var v apperr.Fields
	for field, d := range dates {
		if d != "" {
			if _, err := calendar.ParseDate(d); err != nil {
				v.Add(field, "日期格式应为 YYYY-MM-DD")
			}
		}
	}
	return v.Err()
}

func (s *Service) listSQL(ctx context.Context, flt Filter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	if err := checkDates(map[string]string{"received_from": flt.ReceivedFrom, "received_to": flt.ReceivedTo, "judged_from": flt.JudgedFrom,
		"judged_to": flt.JudgedTo, "defence_from": flt.DefenceFrom, "defence_to": flt.DefenceTo, "suggestion_from": flt.SuggestionFrom,
		"suggestion_to": flt.SuggestionTo}); err != nil {
		return db.ListSQL{}, err
	}
	if flt.Risk != "" && flt.Risk != "any" {
		if _, ok := option.Value(RiskRules, flt.Risk); !ok {
			return db.ListSQL{}, apperr.Field("risk", "风险规则「%s」无效", flt.Risk)
		}
	}
	if flt.Outcome != "" {
		if _, ok := option.Value(Outcomes, flt.Outcome); !ok {
			return db.ListSQL{}, apperr.Field("outcome", "裁判结果「%s」无效", flt.Outcome)
		}
	}
	if flt.Year != 0 && (flt.Year < 1990 || flt.Year > 2100) {
		return db.ListSQL{}, apperr.Field("year", "年度应在 1990 至 2100 之间")
	}
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	return s.st.listSQL(flt, s.today(ctx).String(), scope, args), nil
}

// ListHearings returns a page of the hearings (held ones: the head-in-court
// rate's records) within the actor's scope.
func (s *Service) ListHearings(ctx context.Context, flt HearingFilter, req db.ListReq) (db.Paged[Hearing], error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.Paged[Hearing]{Items: []Hearing{}}, err
	}
	if err := checkDates(map[string]string{"from": flt.From, "to": flt.To}); err != nil {
		return db.Paged[Hearing]{Items: []Hearing{}}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "h.unit_id")
	return db.Fetch(ctx, s.db, s.st.hearingSQL(flt, scope, args), req, func(sc db.Scanner) (Hearing, error) {
		h, err := scanHearing(sc)
		decorateHearing(&h)
		return h, err
	}, func(h Hearing) []any { return []any{h.ID} })
}

// ---- intake ----

// CaseInput registers a lawsuit (or edits its facts).
type CaseInput struct {
	CaseNo            string `json:"case_no,omitempty" doc:"案号"`
	Court             string `json:"court" doc:"受理法院"`
	Cause             string `json:"cause,omitempty" doc:"案由"`
	Instance          string `json:"instance" doc:"审级：first 一审；second 二审；retrial 再审"`
	PlaintiffName     string `json:"plaintiff_name" doc:"原告"`
	PlaintiffType     string `json:"plaintiff_type,omitempty" doc:"person 自然人；org 法人或其他组织"`
	PlaintiffIDNumber string `json:"plaintiff_id_number,omitempty"`
	PlaintiffPhone    string `json:"plaintiff_phone,omitempty"`
	PlaintiffAddress  string `json:"plaintiff_address,omitempty"`
	UnitID            int64  `json:"unit_id" doc:"被告（单位）"`
	Act               string `json:"act" doc:"被诉行政行为"`
	ActRef            string `json:"act_ref,omitempty" doc:"行政行为文书号"`
	ReconCaseID       int64  `json:"recon_case_id,omitempty" doc:"关联的行政复议案件"`
	EnforcementCaseID int64  `json:"enforcement_case_id,omitempty" doc:"关联的行政执法案件"`
	ReceivedOn        string `json:"received_on" doc:"收到起诉状副本日期 YYYY-MM-DD"`
}

// receivedFrom is the earliest receipt date taken: the register follows the
// 2014 amendment of the 行政诉讼法, in force 2015-05-01.
var receivedFrom = calendar.NewDate(2015, 5, 1)

func text(v *apperr.Fields, field, lbl, val string, required bool, max int) string {
	val = strings.TrimSpace(val)
	switch n := utf8.RuneCountInString(val); {
	case n == 0 && required:
		v.Add(field, "请填写%s", lbl)
	case n > max:
		v.Add(field, "%s不能超过 %d 个字", lbl, max)
	case strings.ContainsRune(val, 0):
		v.Add(field, "%s含有无效字符", lbl)
	}
	return val
}

// checkCase validates in into a new Case (shared by Create, Update and
// Import); a unit outside the actor's write scope is refused. Links are
// checked by checkLinks.
func (s *Service) checkCase(ctx context.Context, a *auth.Actor, in CaseInput) (*Case, apperr.Fields, error) {
	var v apperr.Fields
	c := &Case{Status: StatusOpen}
	c.CaseNo = text(&v, "case_no", "案号", in.CaseNo, false, 100)
	c.Court = text(&v, "court", "受理法院", in.Court, true, 100)
	c.Cause = text(&v, "cause", "案由", in.Cause, false, 200)
	c.PlaintiffName = text(&v, "plaintiff_name", "原告", in.PlaintiffName, true, 100)
	c.PlaintiffIDNumber = text(&v, "plaintiff_id_number", "身份证件号码", in.PlaintiffIDNumber, false, 30)
	c.PlaintiffPhone = text(&v, "plaintiff_phone", "联系电话", in.PlaintiffPhone, false, 30)
	c.PlaintiffAddress = text(&v, "plaintiff_address", "住址", in.PlaintiffAddress, false, 200)
	c.Act = text(&v, "act", "被诉行政行为", in.Act, true, 300)
	c.ActRef = text(&v, "act_ref", "行政行为文书号", in.ActRef, false, 100)
	if ins, ok := option.Value(Instances, strings.TrimSpace(in.Instance)); ok {
		c.Instance = ins
	} else {
		v.Add("instance", "审级「%s」无效，应为：%s", in.Instance, strings.Join(option.Labels(Instances), "、"))
	}
	typ := strings.TrimSpace(in.PlaintiffType)
	if typ == "" {
		typ = "person"
	}
	if t, ok := option.Value(PlaintiffTypes, typ); ok {
		c.PlaintiffType = t
	} else {
		v.Add("plaintiff_type", "原告类型「%s」无效，应为：%s", typ, strings.Join(option.Labels(PlaintiffTypes), "、"))
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择被告（单位）")
	} else if name, path, err := s.deps.Units.UnitNamePath(ctx, in.UnitID); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return nil, nil, err
		}
		v.Add("unit_id", "被告（单位）不存在")
	} else if !a.CanIn(PermWrite, path) {
		v.Add("unit_id", "无权登记以「%s」为被告的案件（不在您的数据权限范围内）", name)
	} else {
		c.UnitID, c.UnitName, c.unitPath = in.UnitID, name, path
	}
	if in.ReconCaseID < 0 {
		v.Add("recon_case_id", "关联的行政复议案件无效")
	}
	if in.EnforcementCaseID < 0 {
		v.Add("enforcement_case_id", "关联的行政执法案件无效")
	}
	c.ReconCaseID, c.EnforcementCaseID = max(in.ReconCaseID, 0), max(in.EnforcementCaseID, 0)
	recv := calendar.CheckDate(&v, "received_on", "收到起诉状副本日期", strings.TrimSpace(in.ReceivedOn), true, calendar.Happened(receivedFrom, s.today(ctx)))
	if len(v) > 0 {
		return nil, v, nil
	}
	c.ReceivedOn = recv.String()
	due, err := s.dueOf(RuleDefence, recv)
	if err != nil {
		return nil, nil, err
	}
	c.DefenceDue = due.String()
	return c, nil, nil
}

// checkLinks reads the linked cases within the actor's scope (a case the
// actor may not see is "not found") and fills their codes.
func (s *Service) checkLinks(ctx context.Context, c *Case) (apperr.Fields, error) {
	var v apperr.Fields
	c.ReconCode, c.EnforcementCode = "", ""
	if c.ReconCaseID > 0 {
		if s.deps.Recon == nil {
			v.Add("recon_case_id", "行政复议模块未启用，不能关联复议案件")
		} else if rc, err := s.deps.Recon.Case(ctx, c.ReconCaseID); err != nil {
			if e := apperr.As(err); e == nil || (e.Code != apperr.NotFound && e.Code != apperr.Forbidden) {
				return nil, err
			}
			v.Add("recon_case_id", "关联的行政复议案件不存在或不在您的数据权限范围内")
		} else if !rc.Decided {
			v.Add("recon_case_id", "关联的行政复议案件 %s 尚未作出复议决定，不能登记为经复议后起诉", rc.Code)
		} else if rc.ConcludedOn > c.ReceivedOn {
			v.Add("recon_case_id", "行政复议决定日期（%s）晚于收到起诉状副本日期（%s）", rc.ConcludedOn, c.ReceivedOn)
		} else {
			c.ReconCode = rc.Code
		}
	}
	if c.EnforcementCaseID > 0 {
		if s.deps.Enforcement == nil {
			v.Add("enforcement_case_id", "行政执法模块未启用，不能关联执法案件")
		} else if ec, err := s.deps.Enforcement.Case(ctx, c.EnforcementCaseID); err != nil {
			if e := apperr.As(err); e == nil || (e.Code != apperr.NotFound && e.Code != apperr.Forbidden) {
				return nil, err
			}
			v.Add("enforcement_case_id", "关联的行政执法案件不存在或不在您的数据权限范围内")
		} else {
			c.EnforcementCode = ec.Code
		}
	}
	return v, nil
}

// evaluateRisk runs the stored loss-risk rules (the linked reconsideration
// and enforcement cases) as the system: the links were checked against the
// actor's scope when they were made.
func (s *Service) evaluateRisk(ctx context.Context, c *Case) error {
	sys := auth.With(ctx, auth.SystemActor("行政应诉败诉风险评估"))
	c.riskRecon, c.riskCert, c.riskHit = "", "", ""
	if c.ReconCaseID > 0 && s.deps.Recon != nil {
		rc, err := s.deps.Recon.Case(sys, c.ReconCaseID)
		if err != nil {
			return err
		}
		if rc.Corrected {
			c.riskRecon = fmt.Sprintf("行政复议案件 %s 于 %s 决定%s", rc.Code, rc.ConcludedOn, rc.Outcome)
		}
	}
	if c.EnforcementCaseID > 0 && s.deps.Enforcement != nil {
		ec, err := s.deps.Enforcement.Case(sys, c.EnforcementCaseID)
		if err != nil {
			return err
		}
		if len(ec.LapsedOfficer) > 0 {
			c.riskCert = fmt.Sprintf("执法案件 %s（%s）：%s 的执法证件在该日不在有效期内", ec.Code, ec.Date, strings.Join(ec.LapsedOfficer, "、"))
		}
		if len(ec.OpenHits) > 0 {
			c.riskHit = fmt.Sprintf("执法案件 %s 未销号的规则预警：%s", ec.Code, strings.Join(ec.OpenHits, "；"))
		}
	}
	c.RiskCheckedOn = s.today(ctx).String()
	return nil
}

// Create registers a lawsuit, computes the defence deadline, evaluates the
// loss-risk rules and, when it follows a reconsideration decision, records
// the lawsuit on that case.
func (s *Service) Create(ctx context.Context, in CaseInput) (*Detail, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	if in.UnitID > 0 {
		if _, path, err := s.deps.Units.UnitNamePath(ctx, in.UnitID); err == nil && !a.CanIn(PermWrite, path) {
			return nil, apperr.New(apperr.NotFound, "被告（单位）不存在或不在您的数据权限范围内")
		}
	}
	c, bad, err := s.checkCase(ctx, a, in)
	if err != nil {
		return nil, err
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	if bad, err = s.checkLinks(ctx, c); err != nil {
		return nil, err
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	if err := s.evaluateRisk(ctx, c); err != nil {
		return nil, err
	}
	// The reconsideration case is marked first (its own transaction): a
	// refusal there refuses the registration; the lawsuit's insert below
	// fails only on a database error.
	if err := s.markSued(ctx, c); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		id, err = s.insert(ctx, tx, a, c, "create")
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// markSued records the lawsuit on the linked reconsideration case unless
// it is already recorded there.
func (s *Service) markSued(ctx context.Context, c *Case) error {
	if c.ReconCaseID == 0 || s.deps.Recon == nil {
		return nil
	}
	sys := auth.With(ctx, auth.SystemActor("行政应诉登记"))
	rc, err := s.deps.Recon.Case(sys, c.ReconCaseID)
	if err != nil || rc.Sued {
		return err
	}
	recv, _ := calendar.ParseDate(c.ReceivedOn)
	note := fmt.Sprintf("申请人向%s提起行政诉讼（%s%s），行政应诉登记", c.Court, option.Label(Instances, c.Instance), prefixed("，案号 ", c.CaseNo))
	return s.deps.Recon.MarkSued(sys, c.ReconCaseID, recv, note)
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func (s *Service) insert(ctx context.Context, tx *db.Tx, a *auth.Actor, c *Case, action string) (int64, error) {
	at := s.clock(ctx)
	c.CreatedBy = a.UserID
	recv, _ := calendar.ParseDate(c.ReceivedOn)
	id, err := s.st.insert(ctx, tx, c, fmt.Sprintf("tmp-%d-%d", at.UnixNano(), a.UserID), recv.Year, at)
	if err != nil {
		return 0, err
	}
	c.ID, c.Code = id, fmt.Sprintf("YS%d-%05d", recv.Year, id)
	if err := s.st.setCode(ctx, tx, id, c.Code); err != nil {
		return 0, err
	}
	// The risk columns are written by save (the insert keeps to the facts).
	want := *c
	want.ID = id
	if ok, err := s.st.save(ctx, tx, &want, 1, at); err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("litigation: lawsuit %d changed while it was registered", id)
		}
		return 0, err
	}
	return id, s.record(ctx, tx, c, action, "答辩举证期限 "+c.DefenceDue, nil, c)
}

// record writes the timeline entry and the audit event of one write.
func (s *Service) record(ctx context.Context, q db.Querier, c *Case, action, note string, before, after any) error {
	if err := s.timeline(ctx, q, c.ID, action, note); err != nil {
		return err
	}
	ev := auditEvent(c, action, note)
	ev.Before, ev.After = before, after
	return audit.Record(ctx, q, ev)
}

func (s *Service) timeline(ctx context.Context, q db.Querier, id int64, action, note string) error {
	a := auth.From(ctx)
	var uid int64
	name := "系统"
	if a != nil && !a.System {
		uid, name = a.UserID, a.Name
		if name == "" {
			name = a.Username
		}
	}
	return s.st.addEvent(ctx, q, id, uid, name, action, note, s.clock(ctx))
}

func auditEvent(c *Case, action, note string) audit.Event {
	summary := fmt.Sprintf("行政应诉 %s（原告 %s）：%s", c.Code, c.PlaintiffName, actionLabel(action))
	if note != "" {
		summary += "（" + note + "）"
	}
	return audit.Event{Action: "litigation." + action, ObjectType: "litigation_case", ObjectID: strconv.FormatInt(c.ID, 10),
		UnitID: c.UnitID, Summary: summary}
}

// UpdateInput edits the lawsuit's facts.
type UpdateInput struct {
	CaseInput
	Version int64 `json:"version"`
}

// Update edits the facts of an open lawsuit. The receipt date (and so the
// defence deadline) and the defendant may change only before the defence
// or any hearing was recorded; the links are checked again and the
// loss-risk rules re-evaluated.
func (s *Service) Update(ctx context.Context, id int64, in UpdateInput) (*Detail, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.ReconCaseID > 0 && in.ReconCaseID != cur.ReconCaseID && cur.Status == StatusOpen && canHandle(auth.From(ctx), cur.unitPath) {
		// A newly linked reconsideration case is marked (its own
		// transaction) before the lawsuit's: a refusal there refuses the
		// edit.
		link := &Case{ReconCaseID: in.ReconCaseID, ReceivedOn: cur.ReceivedOn, Court: strings.TrimSpace(in.Court), Instance: in.Instance, CaseNo: strings.TrimSpace(in.CaseNo)}
		bad, err := s.checkLinks(ctx, link)
		if err != nil {
			return nil, err
		}
		if err := bad.Err(); err != nil {
			return nil, err
		}
		if err := s.markSued(ctx, link); err != nil {
			return nil, err
		}
	}
	return s.mutate(ctx, id, in.Version, func(tx *db.Tx, a *auth.Actor, c *Case) (string, string, error) {
		if c.Status != StatusOpen {
			return "", "", apperr.New(apperr.Precondition, "修改案件信息：案件已结案，不能再修改")
		}
		n, bad, err := s.checkCase(ctx, a, in.CaseInput)
		if err != nil {
			return "", "", err
		}
		if err := bad.Err(); err != nil {
			return "", "", err
		}
		started := c.DefenceOn != "" || c.EvidenceOn != "" || c.HearingsHeld > 0
		if started && (n.ReceivedOn != c.ReceivedOn || n.UnitID != c.UnitID) {
			return "", "", apperr.New(apperr.Precondition, "修改案件信息：已登记答辩、举证或庭审，收到起诉状副本日期和被告不能再修改")
		}
		if n.ReconCaseID != c.ReconCaseID || n.EnforcementCaseID != c.EnforcementCaseID {
			if bad, err = s.checkLinks(ctx, n); err != nil {
				return "", "", err
			}
			if err := bad.Err(); err != nil {
				return "", "", err
			}
		} else {
			n.ReconCode, n.EnforcementCode = c.ReconCode, c.EnforcementCode
		}
		if n.ReceivedOn != c.ReceivedOn {
			return "", "", apperr.Field("received_on", "收到起诉状副本日期登记后不能修改（答辩举证期限据此计算），如有误请作废后重新登记")
		}
		c.CaseNo, c.Court, c.Cause, c.Instance = n.CaseNo, n.Court, n.Cause, n.Instance
		c.PlaintiffName, c.PlaintiffType, c.PlaintiffIDNumber, c.PlaintiffPhone, c.PlaintiffAddress = n.PlaintiffName, n.PlaintiffType, n.PlaintiffIDNumber, n.PlaintiffPhone, n.PlaintiffAddress
		c.Act, c.ActRef = n.Act, n.ActRef
		c.UnitID, c.UnitName, c.unitPath = n.UnitID, n.UnitName, n.unitPath
		c.ReconCaseID, c.ReconCode, c.EnforcementCaseID, c.EnforcementCode = n.ReconCaseID, n.ReconCode, n.EnforcementCaseID, n.EnforcementCode
		if err := s.evaluateRisk(ctx, c); err != nil {
			return "", "", err
		}
		return "update", "", nil
	})
}

// mutate runs one change of a lawsuit through update.Run: scope check
// first (another unit's lawsuit is not found whatever the input), the
// version, the change, the versioned write, the audit event and the
// timeline.
func (s *Service) mutate(ctx context.Context, id, version int64, change func(tx *db.Tx, a *auth.Actor, c *Case) (action, note string, err error)) (*Detail, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	var action, note string
	c, err := update.Run(ctx, s.db, version, update.Update[*Case]{
		Load: func(ctx context.Context, tx *db.Tx) (*Case, error) {
			c, err := s.st.get(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if !a.CanIn(PermWrite, c.unitPath) {
				return nil, apperr.New(apperr.NotFound, "行政应诉案件不存在")
			}
			return c, nil
		},
		Version: func(c *Case) int64 { return c.Version },
		Change: func(ctx context.Context, tx *db.Tx, c **Case) (audit.Event, error) {
			var err error
			action, note, err = change(tx, a, *c)
			if err != nil {
				return audit.Event{}, err
			}
			return auditEvent(*c, action, note), nil
		},
		Write: func(ctx context.Context, tx *db.Tx, c *Case, loaded int64) (bool, error) {
			return s.st.save(ctx, tx, c, loaded, s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, c *Case) (*Case, error) { return s.st.get(ctx, tx, c.ID) },
		After: func(ctx context.Context, tx *db.Tx, c *Case) error {
			return s.timeline(ctx, tx, c.ID, action, note)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, s.db, c, a)
}
