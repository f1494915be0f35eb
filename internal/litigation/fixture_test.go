package litigation

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
)

// Users of the fixture.
const (
	handler  = 12 // 区司法局: read/write everywhere
	clerk    = 10 // 区市场监管局 clerk: read/write own unit (the defendant)
	reader   = 11 // 区领导-like reader: read everywhere, writes nothing
	outsider = 13 // 区教育局 clerk: read/write own unit
)

// fakeLedger records the problems a lost lawsuit raises (the real engine
// is wired and tested in internal/app).
type fakeLedger struct{ raised []Problem }

func (f *fakeLedger) Raise(ctx context.Context, tx *db.Tx, p Problem) (int64, error) {
	f.raised = append(f.raised, p)
	return int64(900 + len(f.raised)), nil
}

// fakeRecon is a reconsideration register of a few cases; unit decides
// who sees a case (the handler sees all, a clerk only unit 3's).
type fakeRecon struct {
	cases map[int64]*ReconCase
	unit  map[int64]int64
	sued  []int64
}

func (f *fakeRecon) Case(ctx context.Context, id int64) (ReconCase, error) {
	c, ok := f.cases[id]
	a := auth.From(ctx)
	if !ok || a == nil || (!a.System && !a.CanIn("reconsideration.read", unitPath(f.unit[id]))) {
		return ReconCase{}, apperr.New(apperr.NotFound, "行政复议案件不存在")
	}
	return *c, nil
}

func (f *fakeRecon) MarkSued(ctx context.Context, id int64, day calendar.Date, note string) error {
	c := f.cases[id]
	if c.Sued {
		return apperr.New(apperr.Precondition, "登记申请人起诉：已登记申请人起诉")
	}
	if day.String() < c.ConcludedOn {
		return apperr.Field("date", "办理日期不能早于决定日期")
	}
	c.Sued = true
	f.sued = append(f.sued, id)
	return nil
}

// fakeEnforcement is an enforcement register of a few cases.
type fakeEnforcement struct{ cases map[int64]*EnforcementCase }

func (f *fakeEnforcement) Case(ctx context.Context, id int64) (EnforcementCase, error) {
	c, ok := f.cases[id]
	if !ok {
		return EnforcementCase{}, apperr.New(apperr.NotFound, "案件不存在或无权查看")
	}
	return *c, nil
}

func unitPath(id int64) string {
	return map[int64]string{1: "/1/", 2: "/1/2/", 3: "/1/3/", 4: "/1/4/"}[id]
}

type fx struct {
	d   *db.DB
	s   *Service
	led *fakeLedger
	rc  *fakeRecon
	ef  *fakeEnforcement
	sim *clock.Sim
	ctx context.Context // carries the simulated clock
}

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func setup(t *testing.T, d *db.DB) *fx {
	t.Helper()
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (1, 'D', '示范区', 'district', NULL, '/1/')")
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (2, 'SFJ', '区司法局', 'department', 1, '/1/2/')")
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (3, 'SJJ', '区市场监管局', 'department', 1, '/1/3/')")
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (4, 'JYJ', '区教育局', 'department', 1, '/1/4/')")
	f := &fx{d: d, led: &fakeLedger{}, rc: &fakeRecon{cases: map[int64]*ReconCase{}, unit: map[int64]int64{}},
		ef: &fakeEnforcement{cases: map[int64]*EnforcementCase{}}}
	s, err := NewService(d, calendar.Default(), calendar.DefaultRegistry(), Deps{Units: org.NewService(d), Ledger: f.led, Recon: f.rc, Enforcement: f.ef})
	if err != nil {
		t.Fatal(err)
	}
	f.s = s
	f.ctx, f.sim = clock.Simulate(context.Background())
	return f
}

// as returns the fixture's context for user id on day (the simulated
// clock set to 10:00 Beijing time).
func (f *fx) as(id int64, day string) context.Context {
	if day != "" { // "": the day stays where it is
		f.sim.At(calendar.MustDate(day), 10)
	}
	own := func(path string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: path}}} }
	a := &auth.Actor{UserID: id, Perms: map[string]auth.Scope{}}
	switch id {
	case handler:
		a.Username, a.Name, a.UnitID, a.UnitPath = "ys", "司法局应诉科", 2, "/1/2/"
		a.Perms[PermRead], a.Perms[PermWrite], a.Perms["reconsideration.read"] = auth.Scope{All: true}, auth.Scope{All: true}, auth.Scope{All: true}
	case clerk:
		a.Username, a.Name, a.UnitID, a.UnitPath = "sj", "市场监管局经办人", 3, "/1/3/"
		a.Perms[PermRead], a.Perms[PermWrite], a.Perms["reconsideration.read"] = own("/1/3/"), own("/1/3/"), own("/1/3/")
	case reader:
		a.Username, a.Name, a.UnitID, a.UnitPath = "ld", "区领导", 1, "/1/"
		a.Perms[PermRead] = auth.Scope{All: true}
	case outsider:
		a.Username, a.Name, a.UnitID, a.UnitPath = "edu", "教育局经办人", 4, "/1/4/"
		a.Perms[PermRead], a.Perms[PermWrite] = own("/1/4/"), own("/1/4/")
	}
	return auth.With(f.ctx, a)
}

func wantErr(t *testing.T, err error, code apperr.Code, substr ...string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	full := e.Error()
	for _, f := range e.Fields {
		full += " " + f.Field + ":" + f.Message
	}
	for _, s := range substr {
		if !strings.Contains(full, s) {
			t.Fatalf("want %s containing %q, got %s", code, s, full)
		}
	}
}

// lawsuit is a first-instance lawsuit against 区市场监管局.
func lawsuit(received string) CaseInput {
	return CaseInput{CaseNo: "（2026）示0102行初12号", Court: "示范区人民法院", Cause: "行政处罚", Instance: "first", PlaintiffName: "张三",
		PlaintiffIDNumber: "110101199003071234", PlaintiffPhone: "13800138000", PlaintiffAddress: "示范区幸福路88号3单元", UnitID: 3,
		Act: "罚款五万元的行政处罚决定", ActRef: "示市监罚〔2026〕12号", ReceivedOn: received}
}

func (f *fx) create(t *testing.T, in CaseInput) *Detail {
	t.Helper()
	c, err := f.s.Create(f.as(handler, in.ReceivedOn), in)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// step takes one step as the handler on day and fails the test on error.
func (f *fx) step(t *testing.T, c *Detail, action, day string, in StepInput) *Detail {
	t.Helper()
	in.Version, in.Date = c.Version, day
	d, err := f.s.Step(f.as(handler, day), c.ID, action, in)
	if err != nil {
		t.Fatalf("%s on %s: %v", action, day, err)
	}
	return d
}

func (f *fx) try(c *Detail, action, day string, in StepInput) error {
	in.Version, in.Date = c.Version, day
	_, err := f.s.Step(f.as(handler, day), c.ID, action, in)
	return err
}

// hearing records a held hearing as the handler on day.
func (f *fx) hearing(t *testing.T, c *Detail, day, appearance, attendee string) *Detail {
	t.Helper()
	d, err := f.s.AddHearing(f.as(handler, day), c.ID, HearingInput{Version: c.Version, HeldOn: day, Appearance: appearance, Attendee: attendee})
	if err != nil {
		t.Fatalf("hearing on %s: %v", day, err)
	}
	return d
}
