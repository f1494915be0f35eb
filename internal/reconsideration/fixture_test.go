package reconsideration

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
	handler  = 12 // 区司法局 复议机构: read/write everywhere
	clerk    = 10 // 区市场监管局 clerk: read own unit (the respondent)
	outsider = 13 // 区教育局 clerk: read own unit
)

// fakeFindings records the findings a decision raises (the real engine is
// wired and tested in internal/app).
type fakeFindings struct{ raised []FindingInput }

func (f *fakeFindings) Raise(ctx context.Context, tx *db.Tx, in FindingInput) (int64, error) {
	f.raised = append(f.raised, in)
	return int64(900 + len(f.raised)), nil
}

type fx struct {
	d   *db.DB
	s   *Service
	fnd *fakeFindings
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
	f := &fakeFindings{}
	s, err := NewService(d, calendar.Default(), calendar.DefaultRegistry(), org.NewService(d), f)
	if err != nil {
		t.Fatal(err)
	}
	ctx, sim := clock.Simulate(context.Background())
	return &fx{d: d, s: s, fnd: f, sim: sim, ctx: ctx}
}

// as returns the fixture's context for user id on day (the simulated
// clock set to 10:00 Beijing time).
func (f *fx) as(id int64, day string) context.Context {
	f.sim.At(calendar.MustDate(day), 10)
	own := func(path string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: path}}} }
	a := &auth.Actor{UserID: id, Perms: map[string]auth.Scope{}}
	switch id {
	case handler:
		a.Username, a.Name, a.UnitID, a.UnitPath = "fy", "司法局复议科", 2, "/1/2/"
		a.Perms[PermRead], a.Perms[PermWrite] = auth.Scope{All: true}, auth.Scope{All: true}
	case clerk:
		a.Username, a.Name, a.UnitID, a.UnitPath = "sj", "市场监管局经办人", 3, "/1/3/"
		a.Perms[PermRead] = own("/1/3/")
	case outsider:
		a.Username, a.Name, a.UnitID, a.UnitPath = "edu", "教育局经办人", 4, "/1/4/"
		a.Perms[PermRead] = own("/1/4/")
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

// application is a normal-procedure application against 区市场监管局.
func application(received string) ApplicationInput {
	return ApplicationInput{ApplicantName: "张三", ApplicantIDNumber: "110101199003071234", ApplicantPhone: "13800138000",
		ApplicantAddress: "示范区幸福路88号3单元", UnitID: 3, Act: "罚款五万元的行政处罚决定", ActRef: "示市监罚〔2026〕12号",
		Category: "penalty", AmountFen: 5000000, Channel: "window", ReceivedOn: received, Request: "请求撤销该行政处罚决定"}
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
