package finding

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/notification"
	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/jobs"
	"fazhi/internal/platform/update"
	"fazhi/internal/platform/workflow"
)

// OwnerType is how evidence files name a finding.
const OwnerType = "finding"

// JobEscalate is the overdue escalation job kind.
const JobEscalate = "finding.escalate"

// Shipped rules; provinces may override their periods.
var (
	RectifyRule = calendar.Rule{Name: RuleRectify, Label: "问题整改期限", Basis: "法治督察与问题整改工作规定（默认发现之日起 30 日，可配置）",
		Period: calendar.Period{N: 30, Unit: calendar.CalendarDays}}
	RecheckRule = calendar.Rule{Name: RuleRecheck, Label: "整改销号后回头看", Basis: "问题整改销号后开展“回头看”（默认 6 个月，可配置）",
		Period: calendar.Period{N: 6, Unit: calendar.Months}}
)

// DefaultChain is the close-out review chain shipped with the product (and
// seeded into finding_chains by migration 00028, where administrators edit
// it): the responsible unit's head, then the rule-of-law inspection body
// (supervisor role, found in the unit or its nearest ancestor), which may
// return the matter to the first step. Each step has 5 working days with a
// reminder one working day before; an overdue unit review is escalated to
// the supervisors.
const DefaultChain = `{"code":"finding.closeout","name":"问题整改销号审核","steps":[
 {"key":"unit_review","name":"责任单位负责人审核","kind":"single","assignees":[{"role":"head"}],"deadline_days":5,"remind_before_days":1,
  "escalate_to":{"role":"supervisor"}},
 {"key":"supervisor_review","name":"法治督察机构审核销号","kind":"any","assignees":[{"role":"supervisor"}],"deadline_days":5,"remind_before_days":1,
  "allow_return_to":["unit_review"],"opinion_required":true}
]}`

// Reminder offsets before the rectification deadline.
var remindOffsets = []time.Duration{7 * 24 * time.Hour, 3 * 24 * time.Hour, 24 * time.Hour}

const (
	maxTitle = 200
	maxText  = 5000
)

// Service is the findings ledger.
type Service struct {
	db    *db.DB
	st    Store
	dir   Directory
	cal   *calendar.Calendar
	rules *calendar.Registry
	files *files.Service
	notes *notification.Service
	now   func() time.Time
}

// NewService builds the ledger, registers its calendar rules (unless
// configuration already did) and its evidence owner type.
func NewService(d *db.DB, dir Directory, cal *calendar.Calendar, rules *calendar.Registry, fs *files.Service, ns *notification.Service) (*Service, error) {
	for _, r := range []calendar.Rule{RectifyRule, RecheckRule} {
		if _, err := rules.Get(r.Name); err != nil {
			if err := rules.Register(r); err != nil {
				return nil, err
			}
		}
	}
	if _, err := workflow.ParseDefinition([]byte(DefaultChain)); err != nil {
		return nil, err
	}
	s := &Service{db: d, dir: dir, cal: cal, rules: rules, files: fs, notes: ns, now: time.Now}
	if fs != nil {
		fs.RegisterOwner(OwnerType, "问题台账", s.fileAccess)
	}
	return s, nil
}

// SetNow replaces the clock (tests, demo data).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.clock(ctx)) }

// clock is the time the service reads: the simulated clock the demo
// loader puts on ctx (platform/clock), otherwise the service's own.
func (s *Service) clock(ctx context.Context) time.Time { return clock.Now(ctx, s.now) }

// dueCalc adapts the calendar to the workflow engine: n working days after
// activation end at the end of that day in Shanghai.
type dueCalc struct{ cal *calendar.Calendar }

func (d dueCalc) AddWorkingDays(from time.Time, n int) time.Time {
	day := d.cal.AddWorkingDays(calendar.Today(from), n)
	return time.Date(day.Year, day.Month, day.Day, 23, 59, 59, 0, calendar.Shanghai).UTC()
}

type resolver struct {
	ctx context.Context
	q   db.Querier
	dir Directory
}

func (r resolver) UsersInRole(role string, unitID int64) ([]int64, error) {
	return r.dir.UsersInRole(r.ctx, r.q, role, unitID)
}

func (s *Service) engine(ctx context.Context, q db.Querier) *workflow.Engine {
	return workflow.New(dueCalc{s.cal}, resolver{ctx, q, s.dir})
}

// endOfDay is the instant a due date has passed: 00:00 the next day, Shanghai.
func endOfDay(d calendar.Date) time.Time {
	n := d.AddDays(1)
	return time.Date(n.Year, n.Month, n.Day, 0, 0, 0, 0, calendar.Shanghai)
}

func (s *Service) decorate(f *Finding) {
	f.SourceLabel = label(Sources, f.Source)
	f.SeverityLabel = label(Severities, f.Severity)
	f.StatusLabel = label(Statuses, f.Status)
	if f.Status == string(StatusClosed) && f.RecheckedOn != "" {
		f.StatusLabel = "已销号（已回头看）"
	}
	f.Overdue = f.Status == string(StatusOpen) && f.RectifyDue < calendar.Today(s.now()).String()
	if f.Status == string(StatusClosed) && f.RectifiedOn != "" {
		onTime := f.RectifiedOn <= f.RectifyDue
		f.ClosedOnTime = &onTime
	}
}

func (s *Service) closeoutView(f *Finding, actor *auth.Actor) {
	if len(f.closeout) == 0 {
		return
	}
	var in workflow.Instance
	if json.Unmarshal(f.closeout, &in) != nil {
		return
	}
	c := &Closeout{Status: string(in.Status), StatusLabel: in.Status.Label(), Pending: in.Pending()}
	if c.Pending == nil {
		c.Pending = []int64{}
	}
	for _, st := range in.Definition.Steps {
		c.Steps = append(c.Steps, CloseoutStep{Key: st.Key, Name: st.Name})
	}
	if in.Status == workflow.Running {
		c.CurrentStep = in.CurrentStep().Name
		c.CanAct = actor != nil && slices.Contains(c.Pending, actor.UserID)
	}
	f.Closeout = c
}

// record writes the timeline event and the audit event of one write.
func (s *Service) record(ctx context.Context, q db.Querier, f *Finding, action, note string, before, after any) error {
	if err := s.timeline(ctx, q, f, action, note); err != nil {
		return err
	}
	ev := auditEvent(f, action, note)
	ev.Before, ev.After = before, after
	return audit.Record(ctx, q, ev)
}

// timeline writes the timeline entry of one action on f.
func (s *Service) timeline(ctx context.Context, q db.Querier, f *Finding, action, note string) error {
	a := auth.From(ctx)
	var actorID int64
	actorName := "系统"
	if a != nil && !a.System {
		actorID = a.UserID
		actorName = a.Name
		if actorName == "" {
			actorName = a.Username
		}
	}
	return s.st.addEvent(ctx, q, f.ID, actorID, actorName, action, note, s.clock(ctx))
}

// auditEvent is the audit event of one action on f (before/after unset).
func auditEvent(f *Finding, action, note string) audit.Event {
	summary := fmt.Sprintf("问题台账 %s「%s」：%s", f.Code, f.Title, actionLabels[action])
	if note != "" {
		summary += "（" + note + "）"
	}
	return audit.Event{Action: "finding." + action, ObjectType: "finding", ObjectID: strconv.FormatInt(f.ID, 10),
		UnitID: f.UnitID, Summary: summary}
}

// CreateInput registers a problem.
type CreateInput struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Source      string `json:"source" doc:"问题来源"`
	SourceRef   string `json:"source_ref,omitempty"`
	UnitID      int64  `json:"unit_id" doc:"责任单位"`
	Severity    string `json:"severity"`
	FoundOn     string `json:"found_on" doc:"发现日期 YYYY-MM-DD（必填，整改期限由此计算）"`
	PreviousID  int64  `json:"previous_id,omitempty" doc:"复发时关联的已销号问题"`
}

// foundFrom is the earliest found date the ledger takes: a problem found
// before 2000 is a typing error (0000-01-01, 1926 for 2026), not a record
// to compute a rectification deadline from.
var foundFrom = calendar.NewDate(2000, 1, 1)

type checked struct {
	in      CreateInput
	unit    UnitInfo
	found   calendar.Date
	due     calendar.Date
	explain string
	prov    bool
}

// check validates a CreateInput for actor; it is shared by Create and Import.
func (s *Service) check(ctx context.Context, q db.Querier, actor *auth.Actor, in CreateInput) (*checked, apperr.Fields, error) {
	var v apperr.Fields
	c := &checked{in: in}
	c.in.Title = strings.TrimSpace(in.Title)
	c.in.Description = strings.TrimSpace(in.Description)
	c.in.SourceRef = strings.TrimSpace(in.SourceRef)
	switch n := utf8.RuneCountInString(c.in.Title); {
	case n == 0:
		v.Add("title", "请填写问题标题")
	case n > maxTitle:
		v.Add("title", "问题标题不能超过 %d 个字", maxTitle)
	}
	if utf8.RuneCountInString(c.in.Description) > maxText {
		v.Add("description", "问题描述不能超过 %d 个字", maxText)
	}
	if utf8.RuneCountInString(c.in.SourceRef) > 100 {
		v.Add("source_ref", "来源编号不能超过 100 个字")
	}
	if src, ok := valueOf(Sources, strings.TrimSpace(in.Source)); ok {
		c.in.Source = src
	} else {
		v.Add("source", "问题来源「%s」无效，应为：%s", in.Source, labels(Sources))
	}
	if sev, ok := valueOf(Severities, strings.TrimSpace(in.Severity)); ok {
		c.in.Severity = sev
	} else {
		v.Add("severity", "严重程度「%s」无效，应为：%s", in.Severity, labels(Severities))
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择责任单位")
	} else if u, err := s.dir.Unit(ctx, q, in.UnitID); err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			return nil, nil, err
		}
		v.Add("unit_id", "责任单位不存在")
	} else if !actor.CanIn(PermWrite, u.Path) {
		v.Add("unit_id", "无权为「%s」登记问题（不在您的数据权限范围内）", u.Name)
	} else {
		c.unit = u
	}
	c.found = calendar.CheckDate(&v, "found_on", "发现日期", strings.TrimSpace(in.FoundOn), true, calendar.Happened(foundFrom, s.today(ctx)))
	if in.PreviousID > 0 {
		prev, err := s.load(ctx, q, in.PreviousID)
		switch {
		case apperr.Is(err, apperr.NotFound):
			v.Add("previous_id", "关联的原问题不存在")
		case err != nil:
			return nil, nil, err
		case prev.Status != string(StatusClosed):
			v.Add("previous_id", "只有已销号的问题才能关联为复发问题（%s 尚未销号）", prev.Code)
		}
	}
	if len(v) > 0 {
		return nil, v, nil
	}
	rule, err := s.rules.Get(RuleRectify)
	if err != nil {
		return nil, nil, err
	}
	var clock calendar.Clock
	if err := clock.Start(rule, c.found); err != nil {
		return nil, nil, err
	}
	st, err := clock.Status(s.cal)
	if err != nil {
		return nil, nil, err
	}
	c.due, c.prov = st.Due, st.Provisional
	if c.explain, err = clock.Explain(s.cal); err != nil {
		return nil, nil, err
	}
	return c, nil, nil
}

func labels(opts []Option) string { return strings.Join(optionLabels(opts), "、") }

// Create registers a problem, computes its rectification deadline and
// schedules the reminders and the overdue escalation.
func (s *Service) Create(ctx context.Context, in CreateInput) (*Detail, error) {
	actor, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	// A unit outside the actor's scope is answered as for any record there.
	if in.UnitID > 0 {
		if u, err := s.dir.Unit(ctx, s.db, in.UnitID); err == nil && !actor.CanIn(PermWrite, u.Path) {
			return nil, apperr.New(apperr.NotFound, "责任单位不存在或不在您的数据权限范围内")
		}
	}
	c, bad, err := s.check(ctx, s.db, actor, in)
	if err != nil {
		return nil, err
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		id, err = s.insert(ctx, tx, actor, c, "create")
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

func (s *Service) insert(ctx context.Context, tx *db.Tx, actor *auth.Actor, c *checked, action string) (int64, error) {
	tmp := fmt.Sprintf("tmp-%d-%d", s.clock(ctx).UnixNano(), actor.UserID)
	id, err := s.st.insert(ctx, tx, insertRow{Title: c.in.Title, Description: c.in.Description, Source: c.in.Source, SourceRef: c.in.SourceRef,
		UnitID: c.unit.ID, Severity: c.in.Severity, FoundOn: c.found.String(), RectifyDue: c.due.String(), DueExplain: c.explain,
		Provisional: c.prov, PreviousID: c.in.PreviousID, CreatedBy: actor.UserID, At: s.clock(ctx)}, tmp)
	if err != nil {
		return 0, err
	}
	if err := s.st.setCode(ctx, tx, id, fmt.Sprintf("WT%d-%05d", c.found.Year, id)); err != nil {
		return 0, err
	}
	f, err := s.load(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	note := "整改期限 " + f.RectifyDue
	if f.PreviousID > 0 {
		note += "；系 " + f.PreviousCode + " 的复发问题"
	}
	if err := s.record(ctx, tx, f, action, note, nil, f); err != nil {
		return 0, err
	}
	return id, s.scheduleClock(ctx, tx, f)
}

func clockKey(id int64) string   { return fmt.Sprintf("finding:%d:rectify", id) }
func groupKey(id int64) string   { return fmt.Sprintf("finding:%d", id) }
func recheckKey(id int64) string { return fmt.Sprintf("finding:%d:recheck", id) }

type escalatePayload struct {
	ID  int64  `json:"id"`
	Due string `json:"due"`
}

// scheduleClock enqueues reminders before the rectification deadline and
// the escalation job for the moment it passes.
func (s *Service) scheduleClock(ctx context.Context, q db.Querier, f *Finding) error {
	due, err := calendar.ParseDate(f.RectifyDue)
	if err != nil {
		return err
	}
	at := endOfDay(due)
	_, err = reminders.Schedule(ctx, q, reminders.Reminder{
		Key: clockKey(f.ID), UnitID: f.UnitID, UserIDs: []int64{f.CreatedBy},
		Title: fmt.Sprintf("问题整改期限将至：%s", f.Title),
		Body:  fmt.Sprintf("问题 %s「%s」的整改期限为 %s，请按期完成整改、上传佐证材料并申请销号。", f.Code, f.Title, f.RectifyDue),
		Link:  fmt.Sprintf("/findings/%d", f.ID), Due: at, Offsets: remindOffsets,
	})
	if err != nil {
		return err
	}
	_, _, err = jobs.Enqueue(ctx, q, jobs.New{Kind: JobEscalate, UniqueKey: fmt.Sprintf("finding:%d:escalate:%s", f.ID, f.RectifyDue),
		GroupKey: groupKey(f.ID), RunAt: at, Payload: escalatePayload{ID: f.ID, Due: f.RectifyDue}})
	return err
}

func (s *Service) cancelClock(ctx context.Context, q db.Querier, id int64) error {
	if err := reminders.Cancel(ctx, q, clockKey(id)); err != nil {
		return err
	}
	_, err := jobs.CancelGroup(ctx, q, groupKey(id))
	return err
}

// Get returns a finding with its timeline if the actor may read it.
func (s *Service) Get(ctx context.Context, id int64) (*Detail, error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	f, err := s.load(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !actor.CanIn(PermRead, f.unitPath) {
		return nil, apperr.New(apperr.NotFound, "问题不存在或无权查看")
	}
	s.closeoutView(f, actor)
	evs, err := s.st.events(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return &Detail{Finding: *f, Events: evs}, nil
}

// List returns a page of the ledger within the actor's scope (keyset paging,
// newest first; the total is counted up to db.CountCap).
func (s *Service) List(ctx context.Context, flt Filter, req db.ListReq) (db.Paged[Finding], error) {
	l, err := s.listSQL(ctx, flt)
	if err != nil {
		return db.Paged[Finding]{Items: []Finding{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, s.scanListed, findingKeys)
}

// listSQL is the ledger query for flt within the actor's scope: the list, the
// export's cursor and the EXPLAIN test all run it.
func (s *Service) listSQL(ctx context.Context, flt Filter) (db.ListSQL, error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, sargs := auth.ScopeClause(actor, PermRead, "f.unit_id")
	return s.st.listSQL(flt, s.today(ctx).String(), scope, sargs), nil
}

func (s *Service) scanListed(sc db.Scanner) (Finding, error) {
	f, err := scanFinding(sc)
	if err != nil {
		return Finding{}, err
	}
	s.decorate(f)
	return *f, nil
}

func findingKeys(f Finding) []any { return []any{f.ID} }

// load reads a finding with its derived fields.
func (s *Service) load(ctx context.Context, q db.Querier, id int64) (*Finding, error) {
	f, err := s.st.finding(ctx, q, id)
	if err != nil {
		return nil, err
	}
	s.decorate(f)
	return f, nil
}

// forWrite loads a finding in tx for a change by an actor with perm in its
// unit.
func (s *Service) forWrite(ctx context.Context, tx db.Querier, perm string, id int64) (*auth.Actor, *Finding, error) {
	actor, err := auth.Require(ctx, perm)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.load(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	if !actor.CanIn(PermRead, f.unitPath) && !actor.CanIn(perm, f.unitPath) {
		return nil, nil, apperr.New(apperr.NotFound, "问题不存在或无权查看")
	}
	if !actor.CanIn(perm, f.unitPath) {
		return nil, nil, apperr.New(apperr.Forbidden, "无权办理「%s」的问题", f.UnitName)
	}
	return actor, f, nil
}

// bump updates the row a background job loaded (escalation, close-out
// reminders) with the version check; sets are "col = ?" pairs. Edits by a
// person go through update instead.
func bump(ctx context.Context, tx db.Querier, f *Finding, sets []string, args ...any) error {
	ok, err := Store{}.bump(ctx, tx, f.ID, f.Version, clock.Now(ctx, time.Now), sets, args...)
	if err != nil {
		return err
	}
	if !ok {
		return update.Conflict()
	}
	return nil
}

// edit is one change of a finding: the action and note of its timeline
// entry and audit event, the columns it writes ("col = ?" with args), and
// the follow-ups once it is written (same transaction; after is the
// finding as stored).
type edit struct {
	action, note string
	sets         []string
	args         []any
	then         func(tx *db.Tx, after *Finding) error
}

// update runs one edit of finding id at version through the platform
// update path (update.Run): forWrite's checks, the version, fn's rules and
// edit, the versioned write (the figures' counters move with it), the
// timeline entry, the follow-ups and the audit event with before/after.
func (s *Service) update(ctx context.Context, id int64, version int, perm string, fn func(tx *db.Tx, actor *auth.Actor, f *Finding) (*edit, error)) error {
	var actor *auth.Actor
	var e *edit
	_, err := update.Run(ctx, s.db, int64(version), update.Update[*Finding]{
		Load: func(ctx context.Context, tx *db.Tx) (*Finding, error) {
			a, f, err := s.forWrite(ctx, tx, perm, id)
			actor = a
			return f, err
		},
		Version: func(f *Finding) int64 { return int64(f.Version) },
		Change: func(ctx context.Context, tx *db.Tx, f **Finding) (audit.Event, error) {
			var err error
			if e, err = fn(tx, actor, *f); err != nil {
				return audit.Event{}, err
			}
			return auditEvent(*f, e.action, e.note), nil
		},
		Write: func(ctx context.Context, tx *db.Tx, f *Finding, loaded int64) (bool, error) {
			return s.st.bump(ctx, tx, id, int(loaded), s.clock(ctx), e.sets, e.args...)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Finding) (*Finding, error) { return s.load(ctx, tx, id) },
		After: func(ctx context.Context, tx *db.Tx, after *Finding) error {
			if err := s.timeline(ctx, tx, after, e.action, e.note); err != nil {
				return err
			}
			if e.then == nil {
				return nil
			}
			return e.then(tx, after)
		},
	})
	return err
}

// UpdateInput edits an open finding.
type UpdateInput struct {
	Version     int    `json:"version"`
	Title       string `json:"title"`
	Description string `json:"description"`
	SourceRef   string `json:"source_ref"`
	Severity    string `json:"severity"`
	Measures    string `json:"measures"`
}

// Update edits the descriptive fields of a finding under rectification.
func (s *Service) Update(ctx context.Context, id int64, in UpdateInput) (*Detail, error) {
	err := s.update(ctx, id, in.Version, PermWrite, func(tx *db.Tx, _ *auth.Actor, f *Finding) (*edit, error) {
		if f.Status != string(StatusOpen) {
			return nil, apperr.New(apperr.Precondition, "问题已%s，不能修改", f.StatusLabel)
		}
		var v apperr.Fields
		title := strings.TrimSpace(in.Title)
		if title == "" || utf8.RuneCountInString(title) > maxTitle {
			v.Add("title", "问题标题不能为空且不超过 %d 个字", maxTitle)
		}
		sev, ok := valueOf(Severities, in.Severity)
		if !ok {
			v.Add("severity", "严重程度无效，应为：%s", labels(Severities))
		}
		if utf8.RuneCountInString(in.Description) > maxText || utf8.RuneCountInString(in.Measures) > maxText {
			v.Add("description", "问题描述和整改措施均不能超过 %d 个字", maxText)
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		f.Title = title
		return &edit{action: "update", sets: []string{"title = ?", "description = ?", "source_ref = ?", "severity = ?", "measures = ?"},
			args: []any{title, strings.TrimSpace(in.Description), strings.TrimSpace(in.SourceRef), sev, strings.TrimSpace(in.Measures)}}, nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// RectifyInput reports rectification and asks for close-out.
type RectifyInput struct {
	Version     int    `json:"version"`
	Measures    string `json:"measures" doc:"整改措施及成效"`
	RectifiedOn string `json:"rectified_on" doc:"整改完成日期"`
}

// pending notifications to deliver after commit
type outbox struct {
	users []int64
	msg   notification.New
}

func (s *Service) notifyIn(ctx context.Context, tx db.Querier, box *[]outbox, users []int64, msg notification.New) error {
	if s.notes == nil || len(users) == 0 {
		return nil
	}
	msg.UserIDs = users
	got, err := s.notes.Create(ctx, tx, msg)
	if err != nil {
		return err
	}
	*box = append(*box, outbox{got, msg})
	return nil
}

func (s *Service) flush(ctx context.Context, box []outbox) {
	for _, o := range box {
		s.notes.Deliver(context.WithoutCancel(ctx), o.users, o.msg)
	}
}

// workflowNotices turns chain events into to-do notifications.
func (s *Service) workflowNotices(ctx context.Context, tx db.Querier, box *[]outbox, f *Finding, evs []workflow.Event) error {
	for _, e := range evs {
		if e.Action != workflow.ActActivate || len(e.To) == 0 {
			continue
		}
		err := s.notifyIn(ctx, tx, box, e.To, notification.New{
			Title:     "待审核：问题整改销号",
			Body:      fmt.Sprintf("问题 %s「%s」已报送整改情况，请审核销号。", f.Code, f.Title),
			Link:      fmt.Sprintf("/findings/%d", f.ID),
			SourceKey: fmt.Sprintf("finding:%d:closeout:%s:%d:%d", f.ID, e.Step, e.Round, e.Seq),
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Rectify records the measures, starts the close-out chain and stops the
// rectification reminders. At least one piece of evidence is required.
func (s *Service) Rectify(ctx context.Context, id int64, in RectifyInput) (*Detail, error) {
	var box []outbox
	err := s.update(ctx, id, in.Version, PermWrite, func(tx *db.Tx, actor *auth.Actor, f *Finding) (*edit, error) {
		if f.Status != string(StatusOpen) {
			return nil, apperr.New(apperr.Precondition, "问题已%s，不能重复申请销号", f.StatusLabel)
		}
		var v apperr.Fields
		measures := strings.TrimSpace(in.Measures)
		if measures == "" {
			measures = f.Measures
		}
		if measures == "" {
			v.Add("measures", "请填写整改措施及成效")
		} else if utf8.RuneCountInString(measures) > maxText {
			v.Add("measures", "整改措施不能超过 %d 个字", maxText)
		}
		// Required: a missing date never silently becomes today (the form
		// prefills today for the user to see and change).
		done := calendar.CheckDate(&v, "rectified_on", "整改完成日期", strings.TrimSpace(in.RectifiedOn), true, calendar.Happened(calendar.MustDate(f.FoundOn), s.today(ctx)))
		if err := v.Err(); err != nil {
			return nil, err
		}
		if s.files != nil {
			n, err := s.files.Count(ctx, tx, OwnerType, f.ID)
			if err != nil {
				return nil, err
			}
			if n == 0 {
				return nil, apperr.New(apperr.Precondition, "请先上传整改佐证材料，再申请销号")
			}
		}
		chain, err := s.closeoutChain(ctx, tx)
		if err != nil {
			return nil, err
		}
		inst, evs, err := s.engine(ctx, tx).Start(chain, actor.UserID, f.UnitID, s.clock(ctx))
		if err != nil {
			return nil, err
		}
		if len(inst.Pending()) == 0 && inst.Status == workflow.Running {
			return nil, apperr.New(apperr.Precondition, "销号审核人员未配置（%s），请联系管理员", inst.CurrentStep().Name)
		}
		js, err := json.Marshal(inst)
		if err != nil {
			return nil, err
		}
		note := "整改完成于 " + done.String()
		if done.String() > f.RectifyDue {
			note += "（超过整改期限 " + f.RectifyDue + "）"
		}
		return &edit{action: "rectify", note: note,
			sets: []string{"measures = ?", "rectified_on = ?", "status = ?", "closeout = ?"},
			args: []any{measures, done.String(), string(StatusClosing), string(js)},
			then: func(tx *db.Tx, after *Finding) error {
				if err := s.cancelClock(ctx, tx, f.ID); err != nil {
					return err
				}
				if err := s.scheduleSteps(ctx, tx, after.ID, inst); err != nil {
					return err
				}
				return s.workflowNotices(ctx, tx, &box, after, evs)
			}}, nil
	})
	if err != nil {
		return nil, err
	}
	s.flush(ctx, box)
	return s.Get(ctx, id)
}

// ActInput is a close-out reviewer's decision.
type ActInput struct {
	Version int    `json:"version"`
	Opinion string `json:"opinion,omitempty"`
	ToStep  string `json:"to_step,omitempty" doc:"退回到的步骤（退回时）"`
}

// Close-out actions.
const (
	ActApprove = "approve"
	ActReject  = "reject"
	ActReturn  = "return"
)

// Act applies a reviewer's approve, reject or return to the close-out
// chain. Approval of the last step closes the finding (销号) and schedules
// the re-check; a rejection sends it back to rectification with its
// reminders and escalation restored.
func (s *Service) Act(ctx context.Context, id int64, action string, in ActInput) (*Detail, error) {
	var box []outbox
	err := s.update(ctx, id, in.Version, PermApprove, func(tx *db.Tx, actor *auth.Actor, f *Finding) (*edit, error) {
		if f.Status != string(StatusClosing) || len(f.closeout) == 0 {
			return nil, apperr.New(apperr.Precondition, "问题当前为「%s」，不在销号审核中", f.StatusLabel)
		}
		var inst workflow.Instance
		if err := json.Unmarshal(f.closeout, &inst); err != nil {
			return nil, err
		}
		act := workflow.Act{Actor: actor.UserID, At: s.clock(ctx), Opinion: strings.TrimSpace(in.Opinion)}
		eng := s.engine(ctx, tx)
		var next *workflow.Instance
		var evs []workflow.Event
		var err error
		switch action {
		case ActApprove:
			next, evs, err = eng.Approve(&inst, act)
		case ActReject:
			next, evs, err = eng.Reject(&inst, act)
		case ActReturn:
			next, evs, err = eng.Return(&inst, act, in.ToStep)
		default:
			return nil, apperr.Field("action", "未知的审核操作「%s」", action)
		}
		if err != nil {
			return nil, err
		}
		js, err := json.Marshal(next)
		if err != nil {
			return nil, err
		}
		sets := []string{"closeout = ?"}
		args := []any{string(js)}
		var followUp string
		switch next.Status {
		case workflow.Approved:
			today := s.today(ctx)
			rule, err := s.rules.Get(RuleRecheck)
			if err != nil {
				return nil, err
			}
			res, err := s.cal.Compute(rule.Period, today)
			if err != nil {
				return nil, err
			}
			sets = append(sets, "status = ?", "closed_on = ?", "recheck_due = ?")
			args = append(args, string(StatusClosed), today.String(), res.Due.String())
			followUp = "closed"
		case workflow.Rejected:
			sets = append(sets, "status = ?")
			args = append(args, string(StatusOpen))
			followUp = "reopen"
		}
		return &edit{action: "closeout." + action, note: act.Opinion, sets: sets, args: args,
			then: func(tx *db.Tx, after *Finding) error {
				switch followUp {
				case "closed":
					if err := s.record(ctx, tx, after, "closed", "回头看期限 "+after.RecheckDue, nil, nil); err != nil {
						return err
					}
					rd, _ := calendar.ParseDate(after.RecheckDue)
					if _, err := reminders.Schedule(ctx, tx, reminders.Reminder{
						Key: recheckKey(id), UserIDs: []int64{after.CreatedBy}, UnitID: after.UnitID,
						Title: fmt.Sprintf("问题整改“回头看”期限将至：%s", after.Title),
						Body:  fmt.Sprintf("问题 %s 已于 %s 销号，请在 %s 前开展“回头看”。", after.Code, after.ClosedOn, after.RecheckDue),
						Link:  fmt.Sprintf("/findings/%d", id), Due: endOfDay(rd), Offsets: []time.Duration{7 * 24 * time.Hour},
					}); err != nil {
						return err
					}
					if err := s.notifyIn(ctx, tx, &box, []int64{after.CreatedBy}, notification.New{Title: "问题已销号：" + after.Title,
						Body: fmt.Sprintf("问题 %s 销号审核通过。", after.Code), Link: fmt.Sprintf("/findings/%d", id),
						SourceKey: fmt.Sprintf("finding:%d:closed:%d", id, after.Version)}); err != nil {
						return err
					}
				case "reopen":
					if err := s.record(ctx, tx, after, "reopen", "销号审核未通过，继续整改", nil, nil); err != nil {
						return err
					}
					if err := s.scheduleClock(ctx, tx, after); err != nil {
						return err
					}
					if err := s.notifyIn(ctx, tx, &box, []int64{after.CreatedBy}, notification.New{Title: "销号审核未通过：" + after.Title,
						Body: fmt.Sprintf("问题 %s 销号审核未通过：%s", after.Code, act.Opinion), Link: fmt.Sprintf("/findings/%d", id),
						SourceKey: fmt.Sprintf("finding:%d:reopen:%d", id, after.Version)}); err != nil {
						return err
					}
				}
				if err := s.scheduleSteps(ctx, tx, id, next); err != nil {
					return err
				}
				return s.workflowNotices(ctx, tx, &box, after, evs)
			}}, nil
	})
	if err != nil {
		return nil, err
	}
	s.flush(ctx, box)
	return s.Get(ctx, id)
}

// RecheckInput records the re-check (回头看).
type RecheckInput struct {
	Version     int    `json:"version"`
	Result      string `json:"result" enum:"ok,recurred" doc:"ok 整改成效巩固；recurred 问题反弹"`
	Note        string `json:"note"`
	RecheckedOn string `json:"rechecked_on" doc:"回头看日期"`
}

// Recheck records the 回头看 of a closed finding. When the problem recurred
// a new finding is registered, linked to this one, and its id returned.
func (s *Service) Recheck(ctx context.Context, id int64, in RecheckInput) (*Detail, error) {
	err := s.update(ctx, id, in.Version, PermWrite, func(tx *db.Tx, actor *auth.Actor, f *Finding) (*edit, error) {
		if f.Status != string(StatusClosed) {
			return nil, apperr.New(apperr.Precondition, "只有已销号的问题才能开展回头看")
		}
		if f.RecheckedOn != "" {
			return nil, apperr.New(apperr.Conflict, "该问题已于 %s 完成回头看", f.RecheckedOn)
		}
		var v apperr.Fields
		if in.Result != RecheckOK && in.Result != RecheckRecurred {
			v.Add("result", "请选择回头看结论（整改成效巩固或问题反弹）")
		}
		note := strings.TrimSpace(in.Note)
		if note == "" {
			v.Add("note", "请填写回头看情况")
		} else if utf8.RuneCountInString(note) > maxText {
			v.Add("note", "回头看情况不能超过 %d 个字", maxText)
		}
		// Required, as the rectification date.
		day := calendar.CheckDate(&v, "rechecked_on", "回头看日期", strings.TrimSpace(in.RecheckedOn), true, calendar.Happened(calendar.MustDate(f.ClosedOn), s.today(ctx)))
		if err := v.Err(); err != nil {
			return nil, err
		}
		result := "整改成效巩固"
		if in.Result == RecheckRecurred {
			result = "问题反弹"
		}
		return &edit{action: "recheck", note: result + "：" + note,
			sets: []string{"rechecked_on = ?", "recheck_result = ?", "recheck_note = ?"}, args: []any{day.String(), in.Result, note},
			then: func(tx *db.Tx, after *Finding) error {
				if err := reminders.Cancel(ctx, tx, recheckKey(id)); err != nil {
					return err
				}
				if in.Result != RecheckRecurred {
					return nil
				}
				c, bad, err := s.check(ctx, tx, actor, CreateInput{
					Title: f.Title, Description: "回头看发现问题反弹：" + note + "\n\n原问题描述：" + f.Description,
					Source: f.Source, SourceRef: f.SourceRef, UnitID: f.UnitID, Severity: f.Severity, FoundOn: day.String(), PreviousID: f.ID,
				})
				if err != nil {
					return err
				}
				if err := bad.Err(); err != nil {
					return err
				}
				newID, err := s.insert(ctx, tx, actor, c, "create")
				if err != nil {
					return err
				}
				created, err := s.load(ctx, tx, newID)
				if err != nil {
					return err
				}
				return s.record(ctx, tx, after, "recurred", "新问题 "+created.Code, nil, nil)
			}}, nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// fileAccess lets evidence follow the finding's permissions: reading needs
// finding.read in its unit; adding needs finding.write and a finding not
// yet closed.
func (s *Service) fileAccess(ctx context.Context, id int64, write bool) (int64, error) {
	perm := PermRead
	if write {
		perm = PermWrite
	}
	actor, err := auth.Require(ctx, perm)
	if err != nil {
		return 0, err
	}
	f, err := s.load(ctx, s.db, id)
	if err != nil {
		return 0, err
	}
	if !actor.CanIn(PermRead, f.unitPath) {
		return 0, apperr.New(apperr.NotFound, "问题不存在或无权查看")
	}
	if write {
		if !actor.CanIn(PermWrite, f.unitPath) {
			return 0, apperr.New(apperr.Forbidden, "无权为该问题上传佐证材料")
		}
		if f.Status == string(StatusClosed) {
			return 0, apperr.New(apperr.Precondition, "问题已销号，不能再上传佐证材料")
		}
	}
	return f.UnitID, nil
}

// RegisterJobs adds the overdue escalation and the close-out step deadline
// job kinds.
func (s *Service) RegisterJobs(r *jobs.Runner) {
	r.Register(jobs.Kind{Name: JobEscalate, Timeout: 30 * time.Second, Handler: s.escalate})
	r.Register(jobs.Kind{Name: JobStepDeadline, Timeout: 30 * time.Second, Handler: s.stepDeadline})
}

// escalate runs when a rectification deadline has passed: if the finding
// is still under rectification with that deadline, it is marked escalated
// (超期督办), the timeline and audit log record it, and the unit's heads,
// the supervisors and the registrar are notified.
func (s *Service) escalate(ctx context.Context, q db.Querier, j *jobs.Job) error {
	var p escalatePayload
	if err := j.Decode(&p); err != nil {
		return err
	}
	f, err := s.load(ctx, q, p.ID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if f.Status != string(StatusOpen) || f.RectifyDue != p.Due {
		return nil // rectified in time, or the deadline changed
	}
	ctx = auth.With(ctx, auth.SystemActor("超期督办"))
	if err := bump(ctx, q, f, []string{"escalated_at = ?"}, s.clock(ctx).UTC()); err != nil {
		return err
	}
	after, err := s.load(ctx, q, f.ID)
	if err != nil {
		return err
	}
	if err := s.record(ctx, q, after, "escalate", "整改期限 "+f.RectifyDue+" 已过，问题仍未整改销号", nil, nil); err != nil {
		return err
	}
	supervisors, err := s.dir.UsersInRole(ctx, q, "supervisor", f.UnitID)
	if err != nil {
		return err
	}
	msg := notification.New{
		UserIDs: append([]int64{f.CreatedBy}, supervisors...), UnitID: f.UnitID,
		Title: "问题整改已超期：" + f.Title,
		Body:  fmt.Sprintf("问题 %s「%s」（责任单位：%s）整改期限 %s 已过，仍未整改销号，请督办。", f.Code, f.Title, f.UnitName, f.RectifyDue),
		Link:  fmt.Sprintf("/findings/%d", f.ID), SourceKey: j.UniqueKey,
	}
	if s.notes == nil {
		return nil
	}
	users, err := s.notes.Create(ctx, q, msg)
	if err != nil {
		return err
	}
	j.AfterCommit(func() { s.notes.Deliver(context.WithoutCancel(ctx), users, msg) })
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
