package indicator

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
)

// Users of the fixture.
const (
	manager  = 12 // 区司法局: manage everywhere, the reviewer
	clerk    = 10 // 区市场监管局 clerk: read/write own unit
	outsider = 13 // 区教育局 clerk: read/write own unit
	leader   = 11 // reads everything, writes nothing
)

type fx struct {
	d    *db.DB
	s    *Service
	sim  *clock.Sim
	ctx  context.Context
	figs map[string]metric.Figure // what the fake registry answers
	asks []metric.Query
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
	store, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := &fx{d: d, figs: map[string]metric.Figure{}}
	provider := func(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
		if a := auth.From(ctx); a == nil || !a.System {
			t.Errorf("figures read as %+v, want the system", a)
		}
		f.asks = append(f.asks, q)
		out := []metric.Figure{}
		for _, v := range f.figs {
			out = append(out, v)
		}
		return out, nil
	}
	s, err := NewService(d, calendar.Default(), calendar.DefaultRegistry(), Deps{Units: org.NewService(d), Files: files.NewService(d, store, files.Options{}),
		Figures: provider, Reviewers: func(context.Context) ([]int64, error) { return []int64{manager}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	f.s = s
	f.ctx, f.sim = clock.Simulate(context.Background())
	return f
}

// as returns the fixture's context for user id on day (10:00 Beijing).
func (f *fx) as(id int64, day string) context.Context {
	if day != "" {
		f.sim.At(calendar.MustDate(day), 10)
	}
	own := func(path string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: path}}} }
	a := &auth.Actor{UserID: id, Perms: map[string]auth.Scope{}}
	switch id {
	case manager:
		a.Name, a.UnitID, a.UnitPath = "司法局复核人", 2, "/1/2/"
		a.Perms[PermRead], a.Perms[PermWrite], a.Perms[PermManage] = auth.Scope{All: true}, auth.Scope{All: true}, auth.Scope{All: true}
	case clerk:
		a.Name, a.UnitID, a.UnitPath = "市场监管局经办人", 3, "/1/3/"
		a.Perms[PermRead], a.Perms[PermWrite] = own("/1/3/"), own("/1/3/")
	case outsider:
		a.Name, a.UnitID, a.UnitPath = "教育局经办人", 4, "/1/4/"
		a.Perms[PermRead], a.Perms[PermWrite] = own("/1/4/"), own("/1/4/")
	case leader:
		a.Name, a.UnitID, a.UnitPath = "区领导", 1, "/1/"
		a.Perms[PermRead] = auth.Scope{All: true}
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

// rowOf finds a campaign row by item code.
func rowOf(t *testing.T, d *CampaignDetail, code string) Row {
	t.Helper()
	for _, r := range d.Rows {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("no item %s", code)
	return Row{}
}

// campaign installs the default framework and starts the 2026 campaign.
func (f *fx) campaign(t *testing.T) *CampaignDetail {
	t.Helper()
	ctx := f.as(manager, "2026-03-02")
	fw, err := f.s.EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.s.CreateCampaign(ctx, CampaignInput{Name: "2026年度示范创建自评", Year: 2026, FrameworkID: fw, UnitID: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
