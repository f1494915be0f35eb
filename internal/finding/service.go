package finding

import (
	"context"
	"encoding/json"
	"fazhi/internal/platform/option"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/notification"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
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
	f.SourceLabel = option.Label(Sources, f.Source)
	f.SeverityLabel = option.Label(Severities, f.Severity)
	f.StatusLabel = option.Label(Statuses, f.Status)
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
	return s.checkWith(ctx, q, actor, in, nil)
}

// checkCache holds what an import's rows share: units by id and the
// rectification deadline by finding day (one lookup each per workbook, not
// per row).
type checkCache struct {
	units map[int64]unitResult
	dues  map[calendar.Date]dueResult
}

type unitResult struct {
	u   UnitInfo
	err error
}

type dueResult struct {
	due     calendar.Date
	prov    bool
	explain string
}

func newCheckCache() *checkCache {
	return &checkCache{units: map[int64]unitResult{}, dues: map[calendar.Date]dueResult{}}
}

func (s *Service) unit(ctx context.Context, q db.Querier, id int64, cc *checkCache) (UnitInfo, error) {
	if cc == nil {
		return s.dir.Unit(ctx, q, id)
	}
	if r, ok := cc.units[id]; ok {
		return r.u, r.err
	}
	u, err := s.dir.Unit(ctx, q, id)
	if err == nil || apperr.Is(err, apperr.NotFound) {
		cc.units[id] = unitResult{u, err}
	}
	return u, err
}

// checkWith is check with an import's cache (nil: none).
func (s *Service) checkWith(ctx context.Context, q db.Querier, actor *auth.Actor, in CreateInput, cc *checkCache) (*checked, apperr.Fields, error) {
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
	if src, ok := option.Value(Sources, strings.TrimSpace(in.Source)); ok {
		c.in.Source = src
	} else {
		v.Add("source", "问题来源「%s」无效，应为：%s", in.Source, option.Joined(Sources))
	}
	if sev, ok := option.Value(Severities, strings.TrimSpace(in.Severity)); ok {
		c.in.Severity = sev
	} else {
		v.Add("severity", "严重程度「%s」无效，应为：%s", in.Severity, option.Joined(Severities))
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择责任单位")
	} else if u, err := s.unit(ctx, q, in.UnitID, cc); err != nil {
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
	if cc != nil {
		if d, ok := cc.dues[c.found]; ok {
			c.due, c.prov, c.explain = d.due, d.prov, d.explain
			return c, nil, nil
		}
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
	if cc != nil {
		cc.dues[c.found] = dueResult{c.due, c.prov, c.explain}
	}
	return c, nil, nil
}

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
		sev, ok := option.Value(Severities, in.Severity)
		if !ok {
			v.Add("severity", "严重程度无效，应为：%s", option.Joined(Severities))
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

func itoa(n int) string { return strconv.Itoa(n) }
