package report

import (
	"context"
	"strings"
	"sync"
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
)

// Users of the fixture.
const (
	drafter  = 10 // 司法局 (依法治区办): writes and reviews everywhere
	office   = 20 // 区政府办公室: approves and publishes the government's report
	clerkSJ  = 30 // 区市场监管局 clerk: writes its own unit's
	headSJ   = 31 // 区市场监管局 head: reviews its own unit's
	clerkEdu = 40 // 区教育局 clerk
)

var units = map[int64]UnitInfo{
	1: {ID: 1, Name: "示范区人民政府", Path: "/1/", Type: "district"},
	2: {ID: 2, Name: "区司法局", Path: "/1/2/", Type: "department"},
	3: {ID: 3, Name: "区市场监管局", Path: "/1/3/", Type: "department"},
	4: {ID: 4, Name: "区教育局", Path: "/1/4/", Type: "department"},
	5: {ID: 5, Name: "市场监管所", Path: "/1/3/5/", Type: "office"},
}

type fakeUnits struct{}

func (fakeUnits) Unit(ctx context.Context, id int64) (UnitInfo, error) {
	u, ok := units[id]
	if !ok {
		return UnitInfo{}, apperr.New(apperr.NotFound, "单位不存在")
	}
	return u, nil
}

func (fakeUnits) ReportUnits(ctx context.Context) ([]UnitInfo, error) {
	return []UnitInfo{units[1], units[2], units[3], units[4]}, nil
}

func (fakeUnits) UsersInRole(ctx context.Context, role string, unitID int64) ([]int64, error) {
	switch role {
	case "supervisor":
		return []int64{drafter}, nil
	case "gov_office":
		return []int64{office}, nil
	case "head":
		if unitID == 3 || unitID == 5 {
			return []int64{headSJ}, nil
		}
	}
	return nil, nil
}

func (fakeUnits) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	names := map[int64]string{drafter: "王建国", office: "赵文博", clerkSJ: "张晓明", headSJ: "刘海涛", clerkEdu: "周敏"}
	out := map[int64]string{}
	for _, id := range ids {
		out[id] = names[id]
	}
	return out, nil
}

// fakeMetrics is a registry of fixed figures per unit; set changes one.
type fakeMetrics struct {
	mu      sync.Mutex
	figs    map[string]metric.Figure
	queries []metric.Query
}

func newMetrics() *fakeMetrics {
	m := &fakeMetrics{figs: map[string]metric.Figure{}}
	for i, c := range TemplateCodes() {
		f := metric.Figure{Code: c, Name: "指标" + c, Link: "/records?code=" + c, Definition: "口径 " + c}
		if strings.HasSuffix(c, "_rate") {
			f = f.Rate(90+i%10, 100)
		} else {
			f.Unit, f.Value, f.Numerator = "件", float64(10+i), 10+i
		}
		m.figs[c] = f
	}
	// One figure the template uses has no records: "—".
	m.figs["litigation.loss_rate"] = metric.Figure{Code: "litigation.loss_rate", Name: "行政诉讼败诉率"}.Rate(0, 0)
	// And one the catalogue does not have at all.
	delete(m.figs, "counsel.opinion_count")
	m.figs["extra.count"] = metric.Figure{Code: "extra.count", Name: "其他指标", Unit: "个", Value: 7, Numerator: 7}
	return m
}

func (m *fakeMetrics) Figures(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
	if a := auth.From(ctx); a == nil || !a.System {
		panic("report figures must be computed as the system")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.queries = append(m.queries, q)
	out := []metric.Figure{}
	for _, f := range m.figs {
		out = append(out, f)
	}
	return out, nil
}

func (m *fakeMetrics) set(code string, num, den int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.figs[code] = m.figs[code].Rate(num, den)
}

type fx struct {
	d   *db.DB
	s   *Service
	m   *fakeMetrics
	sim *clock.Sim
	ctx context.Context
}

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func setup(t *testing.T, d *db.DB) *fx {
	t.Helper()
	for _, id := range []int64{1, 2, 3, 4, 5} {
		u := units[id]
		var parent any
		if id > 1 {
			parent = int64(1)
		}
		if id == 5 {
			parent = int64(3)
		}
		exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (?, ?, ?, ?, ?, ?)", u.ID, "U"+u.Path, u.Name, u.Type, parent, u.Path)
	}
	m := newMetrics()
	s, err := NewService(d, calendar.Default(), calendar.DefaultRegistry(), Deps{Figures: m.Figures, Units: fakeUnits{}})
	if err != nil {
		t.Fatal(err)
	}
	f := &fx{d: d, s: s, m: m}
	f.ctx, f.sim = clock.Simulate(context.Background())
	f.sim.At(calendar.MustDate("2026-03-02"), 10)
	return f
}

// as is the fixture's context for user id.
func (f *fx) as(id int64) context.Context {
	own := func(path string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: path, Subtree: true}}} }
	a := &auth.Actor{UserID: id, Perms: map[string]auth.Scope{}}
	all := auth.Scope{All: true}
	switch id {
	case drafter:
		a.Name, a.UnitID, a.UnitPath = "王建国", 2, "/1/2/"
		a.Perms[PermRead], a.Perms[PermWrite], a.Perms[PermApprove], a.Perms[PermPublish] = all, all, all, all
	case office:
		a.Name, a.UnitID, a.UnitPath = "赵文博", 1, "/1/"
		one := auth.Scope{Ranges: []auth.UnitRange{{Path: "/1/"}}}
		a.Perms[PermRead], a.Perms[PermApprove], a.Perms[PermPublish] = one, one, one
	case clerkSJ:
		a.Name, a.UnitID, a.UnitPath = "张晓明", 3, "/1/3/"
		a.Perms[PermRead], a.Perms[PermWrite] = own("/1/3/"), own("/1/3/")
	case headSJ:
		a.Name, a.UnitID, a.UnitPath = "刘海涛", 3, "/1/3/"
		a.Perms[PermRead], a.Perms[PermWrite], a.Perms[PermApprove] = own("/1/3/"), own("/1/3/"), own("/1/3/")
	case clerkEdu:
		a.Name, a.UnitID, a.UnitPath = "周敏", 4, "/1/4/"
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

func (f *fx) create(t *testing.T, who, unit int64, year int) *Detail {
	t.Helper()
	d, err := f.s.Create(f.as(who), CreateInput{Year: year, UnitID: unit})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// para finds a paragraph by key.
func para(t *testing.T, ss []Section, key string) Paragraph {
	t.Helper()
	var out *Paragraph
	walkParas(ss, func(p *Paragraph) {
		if p.Key == key {
			cp := *p
			out = &cp
		}
	})
	if out == nil {
		t.Fatalf("no paragraph %s", key)
	}
	return *out
}

func auditCount(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE object_type = 'report'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
