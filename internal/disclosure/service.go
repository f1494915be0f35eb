package disclosure

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
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/update"
)

// UnitInfo is what the register needs to know about an org unit.
type UnitInfo struct {
	ID   int64
	Name string
	Path string
}

// Directory looks up org units (the org module's data, unscoped).
type Directory interface {
	Unit(ctx context.Context, id int64) (UnitInfo, error)
	UnitByNameOrCode(ctx context.Context, s string) (UnitInfo, error)
}

// FileCounter counts and lists the files attached to a record (the files
// engine).
type FileCounter interface {
	Count(ctx context.Context, q db.Querier, ownerType string, ownerID int64) (int, error)
	ListFor(ctx context.Context, q db.Querier, ownerType string, ownerID int64) ([]files.File, error)
	RegisterOwner(ownerType, label string, check files.OwnerCheck)
}

// Service is the disclosure-request register.
type Service struct {
	db    *db.DB
	st    Store
	dir   Directory
	cal   *calendar.Calendar
	rules *calendar.Registry
	files FileCounter
	now   func() time.Time
	// PublicPerHour is how many online requests one address may submit in
	// an hour through the portal (counted in the database, so it holds
	// across processes).
	PublicPerHour int
}

// NewService builds the register and registers its file owner types.
func NewService(d *db.DB, dir Directory, cal *calendar.Calendar, rules *calendar.Registry, fs FileCounter) (*Service, error) {
	for _, name := range []string{RuleReply, RuleReplyExtension, RuleCorrection, RuleThirdParty} {
		if _, err := rules.Get(name); err != nil {
			return nil, err
		}
	}
	s := &Service{db: d, dir: dir, cal: cal, rules: rules, files: fs, now: time.Now, PublicPerHour: 3}
	if fs != nil {
		fs.RegisterOwner(OwnerMaterials, "依申请公开申请材料", s.fileAccess)
		fs.RegisterOwner(OwnerRelease, "依申请公开提供的政府信息", s.fileAccess)
		fs.RegisterOwner(OwnerRedacted, "依申请公开区分处理后的文本", s.fileAccess)
	}
	return s, nil
}

// SetNow replaces the clock (tests).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

func (s *Service) clock(ctx context.Context) time.Time { return clock.Now(ctx, s.now) }

func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.clock(ctx)) }

// fileAccess lets a reader of a request read its files and a writer add
// files while it is open.
func (s *Service) fileAccess(ctx context.Context, id int64, write bool) (int64, error) {
	perm := PermRead
	if write {
		perm = PermWrite
	}
	_, r, err := s.forWrite(ctx, s.db, perm, id)
	if err != nil {
		return 0, err
	}
	if write && !isOpen(r.Status) {
		return 0, apperr.New(apperr.Precondition, "申请已%s，不能再上传材料", r.StatusLabel)
	}
	return r.UnitID, nil
}

// ---- receipt rules ----

// ReceiptRule is the named rule that decides a channel's receipt date
// (收到申请之日) under 条例 art. 31.
type ReceiptRule struct {
	Name      string `json:"name"`
	Channel   string `json:"channel"`
	Label     string `json:"label"`
	Basis     string `json:"basis"`
	DateField string `json:"date_field" doc:"决定收到申请之日的字段"`
	DateLabel string `json:"date_label"`
}

const art31 = "《政府信息公开条例》第三十一条"

// ReceiptRules are the receipt-date rules, one per channel.
var ReceiptRules = []ReceiptRule{
	{"disclosure.receipt.in_person", ChannelInPerson, "当面提交的，以提交之日为收到申请之日", art31 + "第（一）项", "submitted_on", "提交日期"},
	{"disclosure.receipt.post", ChannelPost, "以邮寄方式提交的，以行政机关签收之日为收到申请之日", art31 + "第（二）项", "signed_on", "签收日期"},
	{"disclosure.receipt.mail", ChannelMail, "以平常信函等无需签收的方式邮寄的，以与申请人确认之日为收到申请之日", art31 + "第（二）项", "confirmed_on", "确认日期"},
	{"disclosure.receipt.online", ChannelOnline, "通过互联网渠道提交的，以双方确认之日为收到申请之日", art31 + "第（三）项", "confirmed_on", "确认日期"},
	{"disclosure.receipt.fax", ChannelFax, "通过传真提交的，以双方确认之日为收到申请之日", art31 + "第（三）项", "confirmed_on", "确认日期"},
}

func receiptRule(channel string) (ReceiptRule, bool) {
	for _, r := range ReceiptRules {
		if r.Channel == channel {
			return r, true
		}
	}
	return ReceiptRule{}, false
}

// ReceiptRuleByName returns the receipt rule called name.
func ReceiptRuleByName(name string) (ReceiptRule, bool) {
	for _, r := range ReceiptRules {
		if r.Name == name {
			return r, true
		}
	}
	return ReceiptRule{}, false
}

// ReceivedOn applies the channel's named receipt rule to the dates of a
// request: the day it was submitted in person, the day the post was signed
// for, the day an online, fax or ordinary-mail request was confirmed. It
// refuses a missing or impossible date, naming the field.
func ReceivedOn(channel string, submitted, signed, confirmed calendar.Date) (calendar.Date, ReceiptRule, error) {
	rule, ok := receiptRule(channel)
	if !ok {
		return calendar.Date{}, rule, apperr.Field("channel", "申请渠道「%s」无效，应为：%s", channel, strings.Join(option.Labels(Channels), "、"))
	}
	var d calendar.Date
	switch rule.DateField {
	case "submitted_on":
		d = submitted
	case "signed_on":
		d = signed
	case "confirmed_on":
		d = confirmed
	}
	if d.IsZero() {
		return d, rule, apperr.Field(rule.DateField, "请填写%s（%s）", rule.DateLabel, rule.Label)
	}
	if !submitted.IsZero() && d.Before(submitted) {
		return d, rule, apperr.Field(rule.DateField, "%s %s 不能早于申请日期 %s", rule.DateLabel, d, submitted)
	}
	return d, rule, nil
}

// ---- reading ----

// decorate fills the labels and derived fields and masks personal data
// for an actor who may not handle the request.
func (s *Service) decorate(ctx context.Context, r *Request) {
	r.ChannelLabel = option.Label(Channels, r.Channel)
	r.ApplicantLabel = option.Label(ApplicantTypes, r.ApplicantType)
	r.StatusLabel = option.Label(Statuses, r.Status)
	r.ReplyTypeLabel = option.Label(ReplyTypes, r.ReplyType)
	r.ReplyReasonLabel = option.Label(Reasons[r.ReplyType], r.ReplyReason)
	if rule, ok := ReceiptRuleByName(r.ReceiptRule); ok {
		r.ReceiptExplain = fmt.Sprintf("%s（%s）：%s", rule.Label, rule.Basis, r.ReceivedOn)
	}
	r.Overdue = r.Status == StatusProcessing && r.ReplyDue < s.today(ctx).String()
	a := auth.From(ctx)
	if a == nil || a.System || a.CanIn(PermPersonal, r.unitPath) {
		return
	}
	r.IDNumber, r.Phone, r.Address, r.Masked = mask.IDNumber(r.IDNumber), mask.Phone(r.Phone), mask.Address(r.Address), true
}

func (s *Service) load(ctx context.Context, q db.Querier, id int64) (*Request, error) {
	r, err := s.st.request(ctx, q, id)
	if err != nil {
		return nil, err
	}
	s.decorate(ctx, r)
	return r, nil
}

// Get returns a request with its clock and timeline if the actor may read it.
func (s *Service) Get(ctx context.Context, id int64) (*Detail, error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	r, err := s.load(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !actor.CanIn(PermRead, r.unitPath) {
		return nil, apperr.New(apperr.NotFound, "依申请公开申请不存在或无权查看")
	}
	evs, err := s.st.events(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	d := &Detail{Request: *r, Events: evs, Clock: []ClockStep{}}
	var c calendar.Clock
	if json.Unmarshal(r.clock, &c) == nil {
		if st, err := c.Status(s.cal); err == nil {
			for _, step := range st.Steps {
				d.Clock = append(d.Clock, ClockStep{Date: step.Date.String(), Due: step.Due.String(), Text: step.Text})
			}
		}
	}
	return d, nil
}

// List returns a page of the register within the actor's scope.
func (s *Service) List(ctx context.Context, flt Filter, req db.ListReq) (db.Paged[Request], error) {
	l, err := s.listSQL(ctx, flt)
	if err != nil {
		return db.Paged[Request]{Items: []Request{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Request, error) { return s.scanListed(ctx, sc) }, func(r Request) []any { return []any{r.ID} })
}

func (s *Service) listSQL(ctx context.Context, flt Filter) (db.ListSQL, error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, sargs := auth.ScopeClause(actor, PermRead, "r.unit_id")
	return s.st.listSQL(flt, s.today(ctx).String(), scope, sargs), nil
}

func (s *Service) scanListed(ctx context.Context, sc db.Scanner) (Request, error) {
	r, err := scanRequest(sc)
	if err != nil {
		return Request{}, err
	}
	s.decorate(ctx, r)
	return *r, nil
}

// forWrite loads a request in q for an actor with perm in its unit.
func (s *Service) forWrite(ctx context.Context, q db.Querier, perm string, id int64) (*auth.Actor, *Request, error) {
	actor, err := auth.Require(ctx, perm)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.load(ctx, q, id)
	if err != nil {
		return nil, nil, err
	}
	if !actor.CanIn(PermRead, r.unitPath) && !actor.CanIn(perm, r.unitPath) {
		return nil, nil, apperr.New(apperr.NotFound, "依申请公开申请不存在或无权查看")
	}
	if !actor.CanIn(perm, r.unitPath) {
		return nil, nil, apperr.New(apperr.Forbidden, "无权办理「%s」的依申请公开申请", r.UnitName)
	}
	return actor, r, nil
}

// ---- writing ----

// edit is one change of a request: its timeline action and note, the
// columns it writes ("col = ?" with args).
type edit struct {
	action, note string
	sets         []string
	args         []any
}

func (e *edit) set(col string, v any) {
	e.sets = append(e.sets, col+" = ?")
	e.args = append(e.args, v)
}

// update runs one edit of request id at version through update.Run.
func (s *Service) update(ctx context.Context, id int64, version int, perm string, fn func(r *Request, e *edit) error) (*Detail, error) {
	e := &edit{}
	_, err := update.Run(ctx, s.db, int64(version), update.Update[*Request]{
		Load: func(ctx context.Context, tx *db.Tx) (*Request, error) {
			_, r, err := s.forWrite(ctx, tx, perm, id)
			return r, err
		},
		Version: func(r *Request) int64 { return int64(r.Version) },
		Change: func(ctx context.Context, tx *db.Tx, r **Request) (audit.Event, error) {
			if err := fn(*r, e); err != nil {
				return audit.Event{}, err
			}
			return auditEvent(*r, e.action, e.note), nil
		},
		Write: func(ctx context.Context, tx *db.Tx, r *Request, loaded int64) (bool, error) {
			return s.st.bump(ctx, tx, id, int(loaded), s.clock(ctx), e.sets, e.args...)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Request) (*Request, error) { return s.load(ctx, tx, id) },
		After: func(ctx context.Context, tx *db.Tx, after *Request) error {
			return s.timeline(ctx, tx, after.ID, e.action, e.note)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

func (s *Service) timeline(ctx context.Context, q db.Querier, id int64, action, note string) error {
	a := auth.From(ctx)
	var actorID int64
	name := "系统"
	if a != nil && !a.System {
		actorID, name = a.UserID, a.Name
		if name == "" {
			name = a.Username
		}
	} else if a != nil && a.Name != "" {
		name = a.Name
	}
	return s.st.addEvent(ctx, q, id, actorID, name, action, note, s.clock(ctx))
}

func auditEvent(r *Request, action, note string) audit.Event {
	summary := fmt.Sprintf("依申请公开 %s：%s", r.Code, actionLabels[action])
	if note != "" {
		summary += "（" + note + "）"
	}
	return audit.Event{Action: "disclosure." + action, ObjectType: "disclosure_request", ObjectID: strconv.FormatInt(r.ID, 10),
		UnitID: r.UnitID, Summary: summary}
}

// clockOf reads the stored reply clock.
func clockOf(r *Request) (*calendar.Clock, error) {
	var c calendar.Clock
	if err := json.Unmarshal(r.clock, &c); err != nil {
		return nil, fmt.Errorf("disclosure: request %d clock: %w", r.ID, err)
	}
	return &c, nil
}

// saveClock adds the clock and its computed due date to the edit.
func (s *Service) saveClock(e *edit, c *calendar.Clock) error {
	st, err := c.Status(s.cal)
	if err != nil {
		return err
	}
	explain, err := c.Explain(s.cal)
	if err != nil {
		return err
	}
	js, err := json.Marshal(c)
	if err != nil {
		return err
	}
	prov := 0
	if st.Provisional {
		prov = 1
	}
	e.set("clock", string(js))
	e.set("reply_due", st.Due.String())
	e.set("due_explain", explain)
	e.set("due_provisional", prov)
	return nil
}

// checkText trims a text field and checks its length.
func checkText(v *apperr.Fields, field, lbl, s string, required bool, max int) string {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && required:
		v.Add(field, "请填写%s", lbl)
	case n > max:
		v.Add(field, "%s不能超过 %d 个字", lbl, max)
	}
	return s
}

// stepDate checks the date of a procedure step: required, not in the future
// and not before the request was received.
func (s *Service) stepDate(ctx context.Context, v *apperr.Fields, field, lbl, value string, r *Request) calendar.Date {
	from := calendar.MustDate(r.ReceivedOn)
	return calendar.CheckDate(v, field, lbl, strings.TrimSpace(value), true, calendar.Happened(from, s.today(ctx)))
}

// lastEvent is the date of the clock's latest event (a later step may not
// be dated before it).
func lastEvent(c *calendar.Clock) calendar.Date {
	return c.Events[len(c.Events)-1].Date
}

func notBefore(v *apperr.Fields, field, lbl string, d, last calendar.Date) {
	if !d.IsZero() && d.Before(last) {
		v.Add(field, "%s %s 早于上一办理步骤的日期 %s", lbl, d, last)
	}
}
