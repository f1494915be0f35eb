package mediation

import (
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/update"
)

// CaseInput registers a dispute (and edits it before it is concluded).
type CaseInput struct {
	CommitteeID   int64  `json:"committee_id" doc:"受理的调解委员会"`
	MediatorID    int64  `json:"mediator_id,omitempty" doc:"主持调解的调解员"`
	CaseNo        string `json:"case_no,omitempty" doc:"调解委员会案号"`
	DisputeType   string `json:"dispute_type" doc:"纠纷类型"`
	Source        string `json:"source" doc:"案件来源"`
	SourceRef     string `json:"source_ref,omitempty" doc:"移送、委派文书编号（人民法院委派委托的必填）"`
	ReceivedOn    string `json:"received_on" doc:"受理日期 YYYY-MM-DD"`
	Parties       string `json:"parties" doc:"当事人（多人用、分隔）"`
	PartyPhone    string `json:"party_phone,omitempty"`
	PartyIDNumber string `json:"party_id_number,omitempty"`
	PartyAddress  string `json:"party_address,omitempty"`
	Summary       string `json:"summary,omitempty" doc:"纠纷简要情况"`
	Version       int    `json:"version,omitempty" doc:"仅修改时必填"`
}

var idNumberRE = regexp.MustCompile(`^[0-9]{17}[0-9Xx]$|^[0-9]{15}$`)

// checkIntake validates the intake fields into r (committee and mediator
// are resolved by the caller); problems are added to v by field.
func checkIntake(in CaseInput, today calendar.Date, r *newCase, v *apperr.Fields) {
	r.CaseNo = strings.TrimSpace(in.CaseNo)
	if utf8.RuneCountInString(r.CaseNo) > 50 {
		v.Add("case_no", "案号不能超过 50 个字")
	}
	if t, ok := option.Value(DisputeTypes, strings.TrimSpace(in.DisputeType)); ok {
		r.DisputeType = t
	} else {
		v.Add("dispute_type", "纠纷类型「%s」无效，应为：%s", in.DisputeType, strings.Join(option.Labels(DisputeTypes), "、"))
	}
	r.SourceRef = strings.TrimSpace(in.SourceRef)
	if src, ok := option.Value(Sources, strings.TrimSpace(in.Source)); ok {
		r.Source = src
		if src == "court" && r.SourceRef == "" {
			v.Add("source_ref", "人民法院委派、委托调解的案件请填写委派（委托）文书编号")
		}
	} else {
		v.Add("source", "案件来源「%s」无效，应为：%s", in.Source, strings.Join(option.Labels(Sources), "、"))
	}
	if utf8.RuneCountInString(r.SourceRef) > 100 {
		v.Add("source_ref", "文书编号不能超过 100 个字")
	}
	if d := calendar.CheckDate(v, "received_on", "受理日期", strings.TrimSpace(in.ReceivedOn), true, calendar.Happened(earliest, today)); !d.IsZero() {
		r.ReceivedOn = d.String()
	}
	r.Parties = strings.TrimSpace(in.Parties)
	switch n := utf8.RuneCountInString(r.Parties); {
	case n == 0:
		v.Add("parties", "请填写当事人")
	case n > 200:
		v.Add("parties", "当事人不能超过 200 个字")
	}
	r.PartyPhone = strings.TrimSpace(in.PartyPhone)
	if r.PartyPhone != "" && !phoneRE.MatchString(r.PartyPhone) {
		v.Add("party_phone", "联系电话格式不正确")
	}
	r.PartyIDNumber = strings.ToUpper(strings.TrimSpace(in.PartyIDNumber))
	if r.PartyIDNumber != "" && !idNumberRE.MatchString(r.PartyIDNumber) {
		v.Add("party_id_number", "身份证号码应为 18 位（或 15 位）")
	}
	r.PartyAddress = strings.TrimSpace(in.PartyAddress)
	if utf8.RuneCountInString(r.PartyAddress) > 200 {
		v.Add("party_address", "住址不能超过 200 个字")
	}
	r.Summary = strings.TrimSpace(in.Summary)
	if utf8.RuneCountInString(r.Summary) > maxText {
		v.Add("summary", "纠纷简要情况不能超过 %d 个字", maxText)
	}
}

// resolve loads the committee (active, writable by a) and the mediator
// (on its roll) of an intake into r.
func (s *Service) resolve(ctx context.Context, q db.Querier, a *auth.Actor, in CaseInput, r *newCase, v *apperr.Fields) error {
	if in.CommitteeID <= 0 {
		v.Add("committee_id", "请选择受理的调解委员会")
		return nil
	}
	c, err := s.st.committee(ctx, q, in.CommitteeID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		v.Add("committee_id", "调解委员会不存在")
		return nil
	case err != nil:
		return err
	case !a.CanIn(PermWrite, c.unitPath):
		v.Add("committee_id", "无权为「%s」登记案件（不在您的数据权限范围内）", c.Name)
		return nil
	case !c.Active:
		v.Add("committee_id", "调解委员会「%s」已撤销", c.Name)
		return nil
	}
	r.CommitteeID, r.UnitID = c.ID, c.UnitID
	if in.MediatorID > 0 {
		m, err := s.st.mediator(ctx, q, in.MediatorID)
		switch {
		case apperr.Is(err, apperr.NotFound) || (err == nil && m.CommitteeID != c.ID):
			v.Add("mediator_id", "调解员不是「%s」的成员", c.Name)
		case err != nil:
			return err
		case !m.Active:
			v.Add("mediator_id", "调解员 %s 已不在册", m.Name)
		default:
			r.MediatorID = m.ID
		}
	}
	return nil
}

// Create registers a dispute the committee accepted.
func (s *Service) Create(ctx context.Context, in CaseInput) (*Detail, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	// A committee outside the actor's scope is answered as for any record there.
	if in.CommitteeID > 0 {
		if c, err := s.st.committee(ctx, s.db, in.CommitteeID); err == nil && !a.CanIn(PermWrite, c.unitPath) {
			return nil, apperr.New(apperr.NotFound, "调解委员会不存在或不在您的数据权限范围内")
		}
	}
	r := &newCase{Status: StatusAccepted, At: s.clock(ctx)}
	r.CreatedBy, _ = actorName(a)
	var v apperr.Fields
	if err := s.resolve(ctx, s.db, a, in, r, &v); err != nil {
		return nil, err
	}
	checkIntake(in, s.today(ctx), r, &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if id, err = s.st.insertCase(ctx, tx, r); err != nil {
			return err
		}
		c, err := s.st.caseByID(ctx, tx, id)
		if err != nil {
			return err
		}
		uid, name := actorName(a)
		if err := s.st.addStep(ctx, tx, id, "register", c.ReceivedOn, c.SourceLabelOf(), uid, name, s.clock(ctx)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, caseAudit(c, "register", "", nil, c))
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// SourceLabelOf is the register step's note: where the case came from.
func (c *Case) SourceLabelOf() string {
	n := "来源：" + option.Label(Sources, c.Source)
	if c.SourceRef != "" {
		n += "（" + c.SourceRef + "）"
	}
	return n
}

func caseAudit(c *Case, kind, note string, before, after any) audit.Event {
	summary := fmt.Sprintf("人民调解案件 %s：%s", c.Code, stepLabels[kind])
	if note != "" {
		summary += "（" + note + "）"
	}
	return audit.Event{Action: "mediation.case." + kind, ObjectType: "mediation_case", ObjectID: strconv.FormatInt(c.ID, 10),
		UnitID: c.UnitID, Summary: summary, Before: before, After: after}
}

// decorate fills the labels and masks personal data for a reader who may
// not handle the case.
func (s *Service) decorate(a *auth.Actor, c *Case) {
	c.DisputeTypeLabel = option.Label(DisputeTypes, c.DisputeType)
	c.SourceLabel = option.Label(Sources, c.Source)
	c.StatusLabel = option.Label(Statuses, c.Status)
	c.AgreementLabel = option.Label(AgreementForms, c.AgreementForm)
	c.ConfirmLabel = option.Label(ConfirmResults, c.ConfirmResult)
	c.FulfilmentLabel = option.Label(Fulfilments, c.Fulfilment)
	if c.Status == StatusSucceeded && c.Fulfilment == "" {
		c.FulfilmentLabel = "待履行"
	}
	if !a.CanIn(PermWrite, c.unitPath) {
		c.Parties, c.PartyPhone = mask.Name(c.Parties), mask.Phone(c.PartyPhone)
		c.PartyIDNumber, c.PartyAddress = mask.IDNumber(c.PartyIDNumber), mask.Address(c.PartyAddress)
		c.Masked = true
	}
}

// Get returns a case with its steps if the actor may read it.
func (s *Service) Get(ctx context.Context, id int64) (*Detail, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	c, err := s.st.caseByID(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermRead, c.unitPath) {
		return nil, apperr.New(apperr.NotFound, "调解案件不存在或无权查看")
	}
	s.decorate(a, c)
	steps, err := s.st.steps(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return &Detail{Case: *c, Steps: steps, CanWrite: a.CanIn(PermWrite, c.unitPath)}, nil
}

// List returns a page of the register within the actor's scope.
func (s *Service) List(ctx context.Context, f Filter, req db.ListReq) (db.Paged[Case], error) {
	a, l, err := s.listSQL(ctx, f)
	if err != nil {
		return db.Paged[Case]{Items: []Case{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, s.scanner(a), func(c Case) []any { return []any{c.ID} })
}

func (s *Service) scanner(a *auth.Actor) func(db.Scanner) (Case, error) {
	return func(sc db.Scanner) (Case, error) {
		c, err := scanCase(sc)
		if err == nil {
			s.decorate(a, &c)
		}
		return c, err
	}
}

// listSQL is the register query for f within the actor's scope.
func (s *Service) listSQL(ctx context.Context, f Filter) (*auth.Actor, db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, db.ListSQL{}, err
	}
	var v apperr.Fields
	for field, d := range map[string]string{"received_from": f.ReceivedFrom, "received_to": f.ReceivedTo, "closed_from": f.ClosedFrom,
		"closed_to": f.ClosedTo, "fulfilled_from": f.FulfilledFrom, "fulfilled_to": f.FulfilledTo, "confirmed_from": f.ConfirmedFrom, "confirmed_to": f.ConfirmedTo} {
		if d != "" {
			if _, err := calendar.ParseDate(d); err != nil {
				v.Add(field, "日期格式应为 YYYY-MM-DD")
			}
		}
	}
	if f.Status != "" {
		if _, ok := option.Value(StatusFilters, f.Status); !ok {
			v.Add("status", "案件状态无效")
		}
	}
	if err := v.Err(); err != nil {
		return nil, db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	return a, s.st.listSQL(f, scope, args), nil
}

// edit is one step on a case: its kind, day and note (the step line and
// the audit summary) and the columns it writes ("col = ?" with args).
type edit struct {
	kind, day, note string
	sets            []string
	args            []any
}

func (e *edit) set(col string, v any) {
	e.sets = append(e.sets, col+" = ?")
	e.args = append(e.args, v)
}

// changes is a step's edit writing each (column, value) pair of colVals.
func changes(kind, day, note string, colVals ...any) *edit {
	e := &edit{kind: kind, day: day, note: note}
	for i := 0; i+1 < len(colVals); i += 2 {
		e.set(colVals[i].(string), colVals[i+1])
	}
	return e
}

// takeStep runs a step whose gates and change need only the case, its
// input and today (fn) through s.step.
func takeStep[T any](ctx context.Context, s *Service, id int64, version int, in T, fn func(*Case, T, calendar.Date) (*edit, error)) (*Detail, error) {
	return s.step(ctx, id, version, func(_ context.Context, _ *db.Tx, c *Case, today calendar.Date) (*edit, error) {
		return fn(c, in, today)
	})
}

// step runs one step of case id at version through update.Run: the scope
// and permission check, the version, fn's gates and change, the versioned
// write (the figures' counters move with it), the audit event and the
// step line.
func (s *Service) step(ctx context.Context, id int64, version int, fn func(ctx context.Context, tx *db.Tx, c *Case, today calendar.Date) (*edit, error)) (*Detail, error) {
	var e *edit
	var actor *auth.Actor
	_, err := update.Run(ctx, s.db, int64(version), update.Update[*Case]{
		Load: func(ctx context.Context, tx *db.Tx) (*Case, error) {
			a, err := auth.Require(ctx, PermWrite)
			if err != nil {
				return nil, err
			}
			actor = a
			c, err := s.st.caseByID(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if !a.CanIn(PermRead, c.unitPath) && !a.CanIn(PermWrite, c.unitPath) {
				return nil, apperr.New(apperr.NotFound, "调解案件不存在或无权查看")
			}
			if !a.CanIn(PermWrite, c.unitPath) {
				return nil, apperr.New(apperr.Forbidden, "无权办理「%s」的调解案件", c.CommitteeName)
			}
			return c, nil
		},
		Version: func(c *Case) int64 { return int64(c.Version) },
		Change: func(ctx context.Context, tx *db.Tx, c **Case) (audit.Event, error) {
			n := **c
			var err error
			if e, err = fn(ctx, tx, &n, s.today(ctx)); err != nil {
				return audit.Event{}, err
			}
			*c = &n
			return caseAudit(&n, e.kind, e.note, nil, nil), nil
		},
		Write: func(ctx context.Context, tx *db.Tx, c *Case, loaded int64) (bool, error) {
			return s.st.bump(ctx, tx, id, int(loaded), s.clock(ctx), e.sets, e.args...)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Case) (*Case, error) { return s.st.caseByID(ctx, tx, id) },
		After: func(ctx context.Context, tx *db.Tx, c *Case) error {
			uid, name := actorName(actor)
			return s.st.addStep(ctx, tx, id, e.kind, e.day, e.note, uid, name, s.clock(ctx))
		},
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Update edits the intake of a case not yet concluded.
func (s *Service) Update(ctx context.Context, id int64, in CaseInput) (*Detail, error) {
	return s.step(ctx, id, in.Version, func(ctx context.Context, tx *db.Tx, c *Case, today calendar.Date) (*edit, error) {
		if c.Status != StatusAccepted && c.Status != StatusMediating {
			return nil, apperr.New(apperr.Precondition, "案件已%s，不能修改受理信息", option.Label(Statuses, c.Status))
		}
		r := &newCase{}
		var v apperr.Fields
		if in.MediatorID > 0 {
			m, err := s.st.mediator(ctx, tx, in.MediatorID)
			switch {
			case apperr.Is(err, apperr.NotFound) || (err == nil && m.CommitteeID != c.CommitteeID):
				v.Add("mediator_id", "调解员不是「%s」的成员", c.CommitteeName)
			case err != nil:
				return nil, err
			case !m.Active && m.ID != c.MediatorID:
				v.Add("mediator_id", "调解员 %s 已不在册", m.Name)
			default:
				r.MediatorID = m.ID
			}
		}
		checkIntake(in, today, r, &v)
		if c.Sessions > 0 && r.ReceivedOn != "" && r.ReceivedOn != c.ReceivedOn {
			v.Add("received_on", "已记录调解过程，受理日期不能修改")
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		e := &edit{kind: "update", day: today.String()}
		var med any
		if r.MediatorID > 0 {
			med = r.MediatorID
		}
		for _, kv := range []struct {
			col string
			v   any
		}{{"case_no", r.CaseNo}, {"mediator_id", med}, {"dispute_type", r.DisputeType}, {"source", r.Source}, {"source_ref", r.SourceRef},
			{"received_on", r.ReceivedOn}, {"parties", r.Parties}, {"party_phone", r.PartyPhone}, {"party_id_number", r.PartyIDNumber},
			{"party_address", r.PartyAddress}, {"summary", r.Summary}} {
			e.set(kv.col, kv.v)
		}
		return e, nil
	})
}

// stepDay checks a step's date: required, not before from (the step it
// follows) and not after today.
func stepDay(v *apperr.Fields, field, lbl, value string, from string, today calendar.Date) calendar.Date {
	f := earliest
	if d, err := calendar.ParseDate(from); err == nil {
		f = d
	}
	return calendar.CheckDate(v, field, lbl, strings.TrimSpace(value), true, calendar.Happened(f, today))
}

// SessionInput records one mediation session.
type SessionInput struct {
	Version int    `json:"version"`
	Day     string `json:"day" doc:"调解日期"`
	Note    string `json:"note" doc:"调解情况"`
}

// Session records a mediation session (调解过程): a case accepted or under
// mediation.
func (s *Service) Session(ctx context.Context, id int64, in SessionInput) (*Detail, error) {
	return takeStep(ctx, s, id, in.Version, in, session)
}

func session(c *Case, in SessionInput, today calendar.Date) (*edit, error) {
	if c.Status != StatusAccepted && c.Status != StatusMediating {
		return nil, apperr.New(apperr.Precondition, "案件已%s，不能再记录调解", option.Label(Statuses, c.Status))
	}
	var v apperr.Fields
	d := stepDay(&v, "day", "调解日期", in.Day, c.ReceivedOn, today)
	note := strings.TrimSpace(in.Note)
	if note == "" {
		v.Add("note", "请填写调解情况")
	} else if utf8.RuneCountInString(note) > maxText {
		v.Add("note", "调解情况不能超过 %d 个字", maxText)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c.Status, c.Sessions = StatusMediating, c.Sessions+1
	return changes("session", d.String(), note, "status", c.Status, "sessions", c.Sessions), nil
}

// AgreementInput records the agreement reached.
type AgreementInput struct {
	Version int    `json:"version"`
	Day     string `json:"day" doc:"协议生效日期（书面协议为签字盖章之日，口头协议为达成之日）"`
	Form    string `json:"form" doc:"协议形式 written/oral"`
	Terms   string `json:"terms" doc:"协议内容"`
}

// Agree records the agreement: only after a mediation session. A written
// agreement opens the judicial-confirmation window (rule mediation.confirm).
func (s *Service) Agree(ctx context.Context, id int64, in AgreementInput) (*Detail, error) {
	return s.step(ctx, id, in.Version, func(ctx context.Context, tx *db.Tx, c *Case, today calendar.Date) (*edit, error) {
		return s.agree(c, in, today)
	})
}

func (s *Service) agree(c *Case, in AgreementInput, today calendar.Date) (*edit, error) {
	if c.Status == StatusAccepted {
		return nil, apperr.New(apperr.Precondition, "尚未记录调解过程，不能登记调解协议")
	}
	if c.Status != StatusMediating {
		return nil, apperr.New(apperr.Precondition, "案件已%s，不能再登记调解协议", option.Label(Statuses, c.Status))
	}
	var v apperr.Fields
	d := stepDay(&v, "day", "协议生效日期", in.Day, c.ReceivedOn, today)
	form, ok := option.Value(AgreementForms, strings.TrimSpace(in.Form))
	if !ok {
		v.Add("form", "协议形式应为：书面协议、口头协议")
	}
	terms := strings.TrimSpace(in.Terms)
	if terms == "" {
		// 人民调解法 art. 30: an oral agreement's content is recorded too.
		v.Add("terms", "请填写协议内容")
	} else if utf8.RuneCountInString(terms) > maxText {
		v.Add("terms", "协议内容不能超过 %d 个字", maxText)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c.Status, c.ClosedOn, c.AgreementForm, c.AgreementTerms = StatusSucceeded, d.String(), form, terms
	c.ConfirmDue = ""
	if form == FormWritten {
		due, err := s.confirmDue(d)
		if err != nil {
			return nil, err
		}
		c.ConfirmDue = due.String()
	}
	e := &edit{kind: "agreement", day: d.String(), note: option.Label(AgreementForms, form)}
	if c.ConfirmDue != "" {
		e.note += "；申请司法确认期限至 " + c.ConfirmDue
	}
	e.set("status", c.Status)
	e.set("closed_on", c.ClosedOn)
	e.set("agreement_form", form)
	e.set("agreement_terms", terms)
	e.set("confirm_due", nullable(c.ConfirmDue))
	return e, nil
}

// FailInput records that mediation failed.
type FailInput struct {
	Version int    `json:"version"`
	Day     string `json:"day" doc:"调解终结日期"`
	Reason  string `json:"reason" doc:"调解不成的原因"`
}

// Fail concludes a case without agreement: only after a mediation session.
func (s *Service) Fail(ctx context.Context, id int64, in FailInput) (*Detail, error) {
	return takeStep(ctx, s, id, in.Version, in, fail)
}

func fail(c *Case, in FailInput, today calendar.Date) (*edit, error) {
	if c.Status == StatusAccepted {
		return nil, apperr.New(apperr.Precondition, "尚未记录调解过程，不能终结调解")
	}
	if c.Status != StatusMediating {
		return nil, apperr.New(apperr.Precondition, "案件已%s，不能终结调解", option.Label(Statuses, c.Status))
	}
	var v apperr.Fields
	d := stepDay(&v, "day", "调解终结日期", in.Day, c.ReceivedOn, today)
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		v.Add("reason", "请填写调解不成的原因")
	} else if utf8.RuneCountInString(reason) > maxText {
		v.Add("reason", "原因不能超过 %d 个字", maxText)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c.Status, c.ClosedOn, c.FailedReason = StatusFailed, d.String(), reason
	return changes("failed", d.String(), reason, "status", c.Status, "closed_on", c.ClosedOn, "failed_reason", reason), nil
}

// ConfirmApplyInput records the parties' joint application.
type ConfirmApplyInput struct {
	Version int    `json:"version"`
	Day     string `json:"day" doc:"申请日期"`
	Court   string `json:"court" doc:"受理申请的人民法院"`
}

// ApplyConfirm records the joint application for judicial confirmation: a
// written agreement, within the window of rule mediation.confirm.
func (s *Service) ApplyConfirm(ctx context.Context, id int64, in ConfirmApplyInput) (*Detail, error) {
	return takeStep(ctx, s, id, in.Version, in, applyConfirm)
}

func applyConfirm(c *Case, in ConfirmApplyInput, today calendar.Date) (*edit, error) {
	switch {
	case c.Status != StatusSucceeded:
		return nil, apperr.New(apperr.Precondition, "只有达成调解协议的案件才能申请司法确认")
	case c.AgreementForm != FormWritten:
		return nil, apperr.New(apperr.Precondition, "口头调解协议不能申请司法确认，请先制作书面调解协议书")
	case c.ConfirmAppliedOn != "":
		return nil, apperr.New(apperr.Precondition, "已于 %s 申请司法确认", c.ConfirmAppliedOn)
	}
	var v apperr.Fields
	d := stepDay(&v, "day", "申请日期", in.Day, c.ClosedOn, today)
	if !d.IsZero() && d.String() > c.ConfirmDue {
		v.Add("day", "已超过申请司法确认的期限（协议生效之日起 30 日，至 %s 止）", c.ConfirmDue)
	}
	court := strings.TrimSpace(in.Court)
	if court == "" || utf8.RuneCountInString(court) > 100 {
		v.Add("court", "请填写受理申请的人民法院（不超过 100 个字）")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c.ConfirmAppliedOn, c.ConfirmCourt = d.String(), court
	return changes("confirm_apply", d.String(), court, "confirm_applied_on", c.ConfirmAppliedOn, "confirm_court", court), nil
}

// ConfirmResultInput records the court's ruling.
type ConfirmResultInput struct {
	Version int    `json:"version"`
	Day     string `json:"day" doc:"裁定日期"`
	Result  string `json:"result" doc:"confirmed 确认有效 / rejected 驳回申请"`
}

// ConfirmResult records the court's ruling on an application.
func (s *Service) ConfirmResult(ctx context.Context, id int64, in ConfirmResultInput) (*Detail, error) {
	return takeStep(ctx, s, id, in.Version, in, confirmResult)
}

func confirmResult(c *Case, in ConfirmResultInput, today calendar.Date) (*edit, error) {
	switch {
	case c.ConfirmAppliedOn == "":
		return nil, apperr.New(apperr.Precondition, "尚未申请司法确认，不能登记确认结果")
	case c.ConfirmResult != "":
		return nil, apperr.New(apperr.Precondition, "已登记司法确认结果（%s）", option.Label(ConfirmResults, c.ConfirmResult))
	}
	var v apperr.Fields
	d := stepDay(&v, "day", "裁定日期", in.Day, c.ConfirmAppliedOn, today)
	res, ok := option.Value(ConfirmResults, strings.TrimSpace(in.Result))
	if !ok {
		v.Add("result", "确认结果应为：确认有效、驳回申请")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c.ConfirmResult, c.ConfirmResultOn = res, d.String()
	return changes("confirm_result", d.String(), option.Label(ConfirmResults, res), "confirm_result", res, "confirm_result_on", c.ConfirmResultOn), nil
}

// FollowupInput records a follow-up visit and, optionally, the fulfilment
// it found.
type FollowupInput struct {
	Version    int    `json:"version"`
	Day        string `json:"day" doc:"回访日期"`
	Note       string `json:"note" doc:"回访情况"`
	Fulfilment string `json:"fulfilment,omitempty" doc:"履行情况 fulfilled/partial/unfulfilled；不填则不变"`
}

// Followup records a visit after the agreement; a fulfilled agreement is
// dated by the visit that found it fulfilled and stays so.
func (s *Service) Followup(ctx context.Context, id int64, in FollowupInput) (*Detail, error) {
	return takeStep(ctx, s, id, in.Version, in, followup)
}

func followup(c *Case, in FollowupInput, today calendar.Date) (*edit, error) {
	if c.Status != StatusSucceeded {
		return nil, apperr.New(apperr.Precondition, "只有达成调解协议的案件才需回访履行情况")
	}
	var v apperr.Fields
	d := stepDay(&v, "day", "回访日期", in.Day, c.ClosedOn, today)
	note := strings.TrimSpace(in.Note)
	if note == "" {
		v.Add("note", "请填写回访情况")
	} else if utf8.RuneCountInString(note) > maxText {
		v.Add("note", "回访情况不能超过 %d 个字", maxText)
	}
	ful := ""
	if f := strings.TrimSpace(in.Fulfilment); f != "" {
		var ok bool
		if ful, ok = option.Value(Fulfilments, f); !ok {
			v.Add("fulfilment", "履行情况应为：已履行、部分履行、未履行")
		} else if c.Fulfilment == FulfilDone && ful != FulfilDone {
			v.Add("fulfilment", "协议已于 %s 履行完毕，不能改为%s", c.FulfilledOn, option.Label(Fulfilments, ful))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c.Followups++
	e := &edit{kind: "followup", day: d.String(), note: note}
	e.set("followups", c.Followups)
	if ful != "" && c.Fulfilment != FulfilDone {
		c.Fulfilment = ful
		e.note += "；" + option.Label(Fulfilments, ful)
		e.set("fulfilment", ful)
		if ful == FulfilDone {
			c.FulfilledOn = d.String()
			e.set("fulfilled_on", c.FulfilledOn)
		}
	}
	return e, nil
}

// LitigationInput records that the parties were guided to litigation.
type LitigationInput struct {
	Version int    `json:"version"`
	Day     string `json:"day" doc:"引导诉讼日期"`
	Note    string `json:"note,omitempty" doc:"说明（如告知起诉的人民法院）"`
}

// Litigation records the hand-over to the courts (诉调对接): mediation
// failed, the court refused to confirm the agreement (art. 33 para. 3) or
// the agreement was not (fully) fulfilled (art. 32).
func (s *Service) Litigation(ctx context.Context, id int64, in LitigationInput) (*Detail, error) {
	return takeStep(ctx, s, id, in.Version, in, litigation)
}

func litigation(c *Case, in LitigationInput, today calendar.Date) (*edit, error) {
	allowed := c.Status == StatusFailed || c.ConfirmResult == ConfirmRejected ||
		(c.Status == StatusSucceeded && (c.Fulfilment == FulfilNone || c.Fulfilment == FulfilPartial))
	switch {
	case c.LitigationOn != "":
		return nil, apperr.New(apperr.Precondition, "已于 %s 引导诉讼", c.LitigationOn)
	case !allowed:
		return nil, apperr.New(apperr.Precondition, "只有调解不成、司法确认被驳回或协议未履行的案件才能引导诉讼")
	}
	var v apperr.Fields
	d := stepDay(&v, "day", "引导诉讼日期", in.Day, c.ClosedOn, today)
	note := strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(note) > maxText {
		v.Add("note", "说明不能超过 %d 个字", maxText)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c.LitigationOn = d.String()
	return changes("litigation", d.String(), note, "litigation_on", c.LitigationOn), nil
}
