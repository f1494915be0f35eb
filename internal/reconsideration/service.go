package reconsideration

import (
	"context"
	"encoding/json"
	"fazhi/internal/platform/option"
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
	"fazhi/internal/platform/update"
)

// Units resolves the respondent unit (org's unscoped lookups, adapted at
// wiring).
type Units interface {
	UnitNamePath(ctx context.Context, id int64) (name, path string, err error)
	UnitByNameOrCode(ctx context.Context, nameOrCode string) (id int64, name, path string, err error)
}

// FindingInput is a problem a correcting decision found in the respondent
// unit's act.
type FindingInput struct {
	UnitID      int64
	Title       string
	Description string
	SourceRef   string
	FoundOn     string
}

// Findings registers problems in the one findings ledger inside the
// caller's transaction (the finding engine, adapted at wiring).
type Findings interface {
	Raise(ctx context.Context, tx *db.Tx, in FindingInput) (int64, error)
}

// Service holds every reconsideration rule.
type Service struct {
	db       *db.DB
	st       Store
	cal      *calendar.Calendar
	rules    *calendar.Registry
	units    Units
	findings Findings
	now      func() time.Time
}

// extraRules are the named periods the shipped calendar registry lacks.
var extraRules = []calendar.Rule{
	{Name: RuleHearingNotice, Label: "行政复议听证通知（不少于）", Basis: "《行政复议法》第五十一条、第八十八条（听证五日前通知）", Period: calendar.Period{N: 5, Unit: calendar.WorkingDays}, Minimum: true},
	{Name: RuleFollowup, Label: "行政复议意见书整改情况报送", Basis: "《行政复议法》第七十六条（收到意见书之日起六十日内）", Period: calendar.Period{N: 60, Unit: calendar.CalendarDays}},
	{Name: RuleSuspensionLimit, Label: "行政复议中止满六十日终止", Basis: "《行政复议法》第四十一条", Period: calendar.Period{N: 60, Unit: calendar.CalendarDays}, Minimum: true},
}

// NewService builds the service; it registers the named rules the shipped
// registry does not hold (a province's configuration may still override
// them).
func NewService(d *db.DB, cal *calendar.Calendar, rules *calendar.Registry, units Units, findings Findings) (*Service, error) {
	for _, r := range extraRules {
		if _, err := rules.Get(r.Name); err == nil {
			continue
		}
		if err := rules.Register(r); err != nil {
			return nil, err
		}
	}
	return &Service{db: d, cal: cal, rules: rules, units: units, findings: findings, now: time.Now}, nil
}

// SetNow replaces the wall clock (tests).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

func (s *Service) clock(ctx context.Context) time.Time { return clock.Now(ctx, s.now) }
func (s *Service) today(ctx context.Context) calendar.Date {
	return calendar.Today(s.clock(ctx))
}

// ---- clocks ----

// startClock starts rule on from and returns the clock's JSON and due date.
func (s *Service) startClock(rule string, from calendar.Date) (string, calendar.Date, error) {
	r, err := s.rules.Get(rule)
	if err != nil {
		return "", calendar.Date{}, err
	}
	var c calendar.Clock
	if err := c.Start(r, from); err != nil {
		return "", calendar.Date{}, err
	}
	return s.encode(&c)
}

// dueOf is the due date of rule counted from from (a one-off computation,
// such as the last day to send a correction notice).
func (s *Service) dueOf(rule string, from calendar.Date) (calendar.Date, error) {
	_, due, err := s.startClock(rule, from)
	return due, err
}

func (s *Service) encode(c *calendar.Clock) (string, calendar.Date, error) {
	st, err := c.Status(s.cal)
	if err != nil {
		return "", calendar.Date{}, err
	}
	b, err := json.Marshal(c)
	return string(b), st.Due, err
}

func decodeClock(js string) (*calendar.Clock, error) {
	var c calendar.Clock
	if js == "" {
		return &c, nil
	}
	if err := json.Unmarshal([]byte(js), &c); err != nil {
		return nil, fmt.Errorf("reconsideration: clock: %w", err)
	}
	return &c, nil
}

// ---- reading ----

// canHandle reports whether the actor handles cases of the unit (and so
// sees the applicant's personal data in full).
func canHandle(a *auth.Actor, unitPath string) bool { return a != nil && a.CanIn(PermWrite, unitPath) }

// decorate fills the labels and derived fields, and masks personal data
// for actors who only read.
func (s *Service) decorate(c *Case, a *auth.Actor, today calendar.Date) {
	c.StatusLabel = option.Label(Statuses, string(c.Status))
	c.CategoryLabel = option.Label(Categories, c.Category)
	c.ChannelLabel = option.Label(Channels, c.Channel)
	c.OutcomeLabel = option.Label(Outcomes, c.Outcome)
	c.TerminationLabel = option.Label(Terminations, c.Termination)
	if c.Outcome != "" && c.DecideDue != "" && c.ConcludedOn != "" {
		ok := c.ConcludedOn <= c.DecideDue
		c.OnTime = &ok
	}
	c.Overdue = c.DueOn != "" && c.Status != StatusSuspended && isOpen(c.Status) && c.DueOn < today.String()
	if !canHandle(a, c.unitPath) {
		c.ApplicantIDNumber = mask.IDNumber(c.ApplicantIDNumber)
		c.ApplicantPhone = mask.Phone(c.ApplicantPhone)
		c.ApplicantAddress = mask.Address(c.ApplicantAddress)
		c.Masked = true
	}
}

func isOpen(st Status) bool {
	for _, o := range openStatuses {
		if o == st {
			return true
		}
	}
	return false
}

// Get returns a case with its timeline, clocks and steps, within the
// actor's scope (another unit's case is not found).
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
		return nil, apperr.New(apperr.NotFound, "行政复议案件不存在")
	}
	return s.detail(ctx, s.db, c, a)
}

func (s *Service) detail(ctx context.Context, q db.Querier, c *Case, a *auth.Actor) (*Detail, error) {
	today := s.today(ctx)
	evs, err := s.st.events(ctx, q, c.ID)
	if err != nil {
		return nil, err
	}
	d := &Detail{Case: *c, Events: evs, SimpleGrounds: SimpleGrounds(c)}
	for _, k := range []struct{ name, js string }{{"受理审查", c.acceptClock}, {"申请人补正", c.correctionClock},
		{"被申请人答复", c.replyClock}, {"作出复议决定", c.decideClock}} {
		if k.js == "" {
			continue
		}
		cl, err := decodeClock(k.js)
		if err != nil {
			return nil, err
		}
		st, err := cl.Status(s.cal)
		if err != nil {
			return nil, err
		}
		ex, err := cl.Explain(s.cal)
		if err != nil {
			return nil, err
		}
		d.Clocks = append(d.Clocks, ClockView{Name: k.name, Due: st.Due.String(), Paused: st.Paused, Explain: ex})
	}
	if canHandle(a, c.unitPath) {
		d.Steps = s.steps(c, today)
	} else {
		d.Steps = []StepView{}
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

func (s *Service) listSQL(ctx context.Context, flt Filter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	var v apperr.Fields
	for field, d := range map[string]string{"received_from": flt.ReceivedFrom, "received_to": flt.ReceivedTo, "accepted_from": flt.AcceptedFrom,
		"accepted_to": flt.AcceptedTo, "concluded_from": flt.ConcludedFrom, "concluded_to": flt.ConcludedTo,
		"accountable_from": flt.AccountableFrom, "accountable_to": flt.AccountableTo} {
		if d != "" {
			if _, err := calendar.ParseDate(d); err != nil {
				v.Add(field, "日期格式应为 YYYY-MM-DD")
			}
		}
	}
	if err := v.Err(); err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	return s.st.listSQL(flt, s.today(ctx).String(), scope, args), nil
}

// ---- intake ----

// ApplicationInput registers an application (行政复议申请).
type ApplicationInput struct {
	ApplicantName     string `json:"applicant_name" doc:"申请人"`
	ApplicantType     string `json:"applicant_type,omitempty" doc:"person 自然人；org 法人或其他组织"`
	ApplicantIDNumber string `json:"applicant_id_number,omitempty" doc:"身份证件号码或统一社会信用代码"`
	ApplicantPhone    string `json:"applicant_phone,omitempty"`
	ApplicantAddress  string `json:"applicant_address,omitempty"`
	UnitID            int64  `json:"unit_id" doc:"被申请人（单位）"`
	Act               string `json:"act" doc:"被申请复议的行政行为"`
	ActRef            string `json:"act_ref,omitempty" doc:"行政行为文书号"`
	Category          string `json:"category" doc:"案件类别"`
	AmountFen         int64  `json:"amount_fen,omitempty" doc:"涉及款额（分）"`
	OnTheSpot         bool   `json:"on_the_spot,omitempty" doc:"当场作出的行政行为"`
	Consent           bool   `json:"consent,omitempty" doc:"当事人各方同意适用简易程序"`
	Channel           string `json:"channel" doc:"申请方式"`
	ReceivedOn        string `json:"received_on" doc:"收到申请日期 YYYY-MM-DD"`
	Request           string `json:"request,omitempty" doc:"复议请求"`
}

// receivedFrom is the earliest receipt date taken: the revised law is in
// force from 2024-01-01, and the register starts there.
var receivedFrom = calendar.NewDate(2024, 1, 1)

// checkApplication validates in into a new Case (shared by Create and
// Import); a unit outside the actor's write scope is refused.
func (s *Service) checkApplication(ctx context.Context, a *auth.Actor, in ApplicationInput) (*Case, apperr.Fields, error) {
	var v apperr.Fields
	c := &Case{ApplicantName: strings.TrimSpace(in.ApplicantName), ApplicantIDNumber: strings.TrimSpace(in.ApplicantIDNumber),
		ApplicantPhone: strings.TrimSpace(in.ApplicantPhone), ApplicantAddress: strings.TrimSpace(in.ApplicantAddress),
		Act: strings.TrimSpace(in.Act), ActRef: strings.TrimSpace(in.ActRef), Request: strings.TrimSpace(in.Request),
		AmountFen: in.AmountFen, OnTheSpot: in.OnTheSpot, Consent: in.Consent, Status: StatusReceived}
	text := func(field, lbl, val string, required bool, max int) {
		switch n := utf8.RuneCountInString(val); {
		case n == 0 && required:
			v.Add(field, "请填写%s", lbl)
		case n > max:
			v.Add(field, "%s不能超过 %d 个字", lbl, max)
		}
	}
	text("applicant_name", "申请人", c.ApplicantName, true, 100)
	text("applicant_id_number", "身份证件号码", c.ApplicantIDNumber, false, 30)
	text("applicant_phone", "联系电话", c.ApplicantPhone, false, 30)
	text("applicant_address", "住址", c.ApplicantAddress, false, 200)
	text("act", "被申请复议的行政行为", c.Act, true, 300)
	text("act_ref", "行政行为文书号", c.ActRef, false, 100)
	text("request", "复议请求", c.Request, false, 2000)
	typ := strings.TrimSpace(in.ApplicantType)
	if typ == "" {
		typ = "person"
	}
	if t, ok := option.Value(ApplicantTypes, typ); ok {
		c.ApplicantType = t
	} else {
		v.Add("applicant_type", "申请人类型「%s」无效，应为：%s", typ, strings.Join(option.Labels(ApplicantTypes), "、"))
	}
	if cat, ok := option.Value(Categories, strings.TrimSpace(in.Category)); ok {
		c.Category = cat
	} else {
		v.Add("category", "案件类别「%s」无效，应为：%s", in.Category, strings.Join(option.Labels(Categories), "、"))
	}
	if ch, ok := option.Value(Channels, strings.TrimSpace(in.Channel)); ok {
		c.Channel = ch
	} else {
		v.Add("channel", "申请方式「%s」无效，应为：%s", in.Channel, strings.Join(option.Labels(Channels), "、"))
	}
	if in.AmountFen < 0 {
		v.Add("amount_fen", "涉及款额不能为负数")
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择被申请人")
	} else if name, path, err := s.units.UnitNamePath(ctx, in.UnitID); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return nil, nil, err
		}
		v.Add("unit_id", "被申请人（单位）不存在")
	} else if !a.CanIn(PermWrite, path) {
		v.Add("unit_id", "无权登记以「%s」为被申请人的案件（不在您的数据权限范围内）", name)
	} else {
		c.UnitID, c.UnitName, c.unitPath = in.UnitID, name, path
	}
	recv := calendar.CheckDate(&v, "received_on", "收到申请日期", strings.TrimSpace(in.ReceivedOn), true, calendar.Happened(receivedFrom, s.today(ctx)))
	if len(v) > 0 {
		return nil, v, nil
	}
	c.ReceivedOn = recv.String()
	js, due, err := s.startClock(RuleAccept, recv)
	if err != nil {
		return nil, nil, err
	}
	c.acceptClock, c.AcceptDue, c.DueOn, c.DueStep = js, due.String(), due.String(), "受理审查"
	return c, nil, nil
}

// Create registers an application and starts the acceptance clock.
func (s *Service) Create(ctx context.Context, in ApplicationInput) (*Detail, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	if in.UnitID > 0 {
		if _, path, err := s.units.UnitNamePath(ctx, in.UnitID); err == nil && !a.CanIn(PermWrite, path) {
			return nil, apperr.New(apperr.NotFound, "被申请人（单位）不存在或不在您的数据权限范围内")
		}
	}
	c, bad, err := s.checkApplication(ctx, a, in)
	if err != nil {
		return nil, err
	}
	if err := bad.Err(); err != nil {
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

func (s *Service) insert(ctx context.Context, tx *db.Tx, a *auth.Actor, c *Case, action string) (int64, error) {
	at := s.clock(ctx)
	c.CreatedBy = a.UserID
	id, err := s.st.insert(ctx, tx, c, fmt.Sprintf("tmp-%d-%d-%s", at.UnixNano(), a.UserID, c.ApplicantName), at)
	if err != nil {
		return 0, err
	}
	recv, _ := calendar.ParseDate(c.ReceivedOn)
	c.ID, c.Code = id, fmt.Sprintf("FY%d-%05d", recv.Year, id)
	if err := s.st.setCode(ctx, tx, id, c.Code); err != nil {
		return 0, err
	}
	return id, s.record(ctx, tx, c, action, "受理审查期限 "+c.AcceptDue, nil, c)
}

// record writes the timeline entry and the audit event of one write.
func (s *Service) record(ctx context.Context, q db.Querier, c *Case, action, note string, before, after any) error {
	if err := s.timeline(ctx, q, c, action, note); err != nil {
		return err
	}
	ev := auditEvent(c, action, note)
	ev.Before, ev.After = before, after
	return audit.Record(ctx, q, ev)
}

func (s *Service) timeline(ctx context.Context, q db.Querier, c *Case, action, note string) error {
	a := auth.From(ctx)
	var id int64
	name := "系统"
	if a != nil && !a.System {
		id, name = a.UserID, a.Name
		if name == "" {
			name = a.Username
		}
	}
	return s.st.addEvent(ctx, q, c.ID, id, name, action, note, s.clock(ctx))
}

func auditEvent(c *Case, action, note string) audit.Event {
	summary := fmt.Sprintf("行政复议 %s（申请人 %s）：%s", c.Code, c.ApplicantName, actionLabel(action))
	if note != "" {
		summary += "（" + note + "）"
	}
	return audit.Event{Action: "reconsideration." + action, ObjectType: "reconsideration_case", ObjectID: strconv.FormatInt(c.ID, 10),
		UnitID: c.UnitID, Summary: summary}
}

// ---- editing the application ----

// UpdateInput edits the application's facts (not the procedure).
type UpdateInput struct {
	ApplicationInput
	Version int64 `json:"version"`
}

// Update edits the application while the acceptance review is open (the
// facts the clocks and the simple-procedure grounds rest on may not change
// once the case is accepted).
func (s *Service) Update(ctx context.Context, id int64, in UpdateInput) (*Detail, error) {
	return s.mutate(ctx, id, in.Version, func(tx *db.Tx, a *auth.Actor, c *Case) (string, string, error) {
		if c.Status != StatusReceived && c.Status != StatusCorrecting {
			return "", "", apperr.New(apperr.Precondition, "修改申请：案件已%s，申请事项不能再修改", option.Label(Statuses, string(c.Status)))
		}
		in.ReceivedOn = c.ReceivedOn
		n, bad, err := s.checkApplication(ctx, a, in.ApplicationInput)
		if err != nil {
			return "", "", err
		}
		if err := bad.Err(); err != nil {
			return "", "", err
		}
		c.ApplicantName, c.ApplicantType, c.ApplicantIDNumber, c.ApplicantPhone, c.ApplicantAddress = n.ApplicantName, n.ApplicantType, n.ApplicantIDNumber, n.ApplicantPhone, n.ApplicantAddress
		c.Act, c.ActRef, c.Category, c.AmountFen, c.OnTheSpot, c.Consent, c.Channel, c.Request = n.Act, n.ActRef, n.Category, n.AmountFen, n.OnTheSpot, n.Consent, n.Channel, n.Request
		if n.UnitID != c.UnitID {
			c.UnitID, c.UnitName, c.unitPath = n.UnitID, n.UnitName, n.unitPath
		}
		return "update", "", nil
	})
}

// mutate runs one change of a case through update.Run: scope check first
// (another unit's case is not found whatever the input), the version, the
// change (which names its action and timeline note), the versioned write,
// the audit event and the timeline.
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
				return nil, apperr.New(apperr.NotFound, "行政复议案件不存在")
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
			return s.timeline(ctx, tx, c, action, note)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, s.db, c, a)
}
