package casereview

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// fakeEnforcement answers cases, officers and bodies set by the test,
// scoped by the actor's enforcement.read like the real adapter.
type fakeEnforcement struct {
	cases    []CaseRef
	officers map[int64]OfficerRef
	bodies   map[int64]BodyRef
	paths    map[int64]string
}

func (f *fakeEnforcement) visible(ctx context.Context, unit int64) bool {
	return auth.From(ctx).CanIn("enforcement.read", f.paths[unit])
}

func (f *fakeEnforcement) ClosedCases(ctx context.Context, unitID int64, year int) ([]CaseRef, error) {
	var out []CaseRef
	for _, c := range f.cases {
		if strings.HasPrefix(f.paths[c.UnitID], f.paths[unitID]) && strings.HasPrefix(c.ClosedOn, fmt.Sprint(year)) && f.visible(ctx, c.UnitID) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (f *fakeEnforcement) Officer(ctx context.Context, id int64) (OfficerRef, error) {
	o, ok := f.officers[id]
	if !ok || !f.visible(ctx, o.UnitID) {
		return OfficerRef{}, apperr.New(apperr.NotFound, "执法人员不存在")
	}
	return o, nil
}

func (f *fakeEnforcement) Body(ctx context.Context, id int64) (BodyRef, error) {
	b, ok := f.bodies[id]
	if !ok || !f.visible(ctx, b.UnitID) {
		return BodyRef{}, apperr.New(apperr.NotFound, "执法主体不存在")
	}
	return b, nil
}

func (f *fakeEnforcement) Bodies(ctx context.Context) ([]BodyRef, error) {
	var out []BodyRef
	for _, b := range f.bodies {
		if f.visible(ctx, b.UnitID) {
			out = append(out, b)
		}
	}
	return out, nil
}

func (f *fakeEnforcement) Officers(ctx context.Context, unitID int64) ([]OfficerRef, error) {
	var out []OfficerRef
	for id := int64(1); id <= int64(len(f.officers)); id++ {
		if o := f.officers[id]; strings.HasPrefix(f.paths[o.UnitID], f.paths[unitID]) && f.visible(ctx, o.UnitID) {
			out = append(out, o)
		}
	}
	return out, nil
}

// fakeLedger writes minimal findings rows and reads their status back.
type fakeLedger struct {
	d      *db.DB
	raised []Raise
}

func (l *fakeLedger) Raise(ctx context.Context, tx *db.Tx, p Raise) (int64, error) {
	l.raised = append(l.raised, p)
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO findings (code, title, description, source, source_ref, unit_id, severity, found_on, rectify_due)
VALUES (?, ?, ?, ?, ?, ?, 'general', ?, ?) RETURNING id`, fmt.Sprintf("T-%d-%d", time.Now().UnixNano(), len(l.raised)),
		p.Title, p.Description, p.Source, p.SourceRef, p.UnitID, p.FoundOn, p.FoundOn).Scan(&id)
	return id, err
}

func (l *fakeLedger) States(ctx context.Context, ids []int64) (map[int64]FindingState, error) {
	out := map[int64]FindingState{}
	for _, id := range ids {
		var st FindingState
		if err := l.d.QueryRow(ctx, "SELECT code, status FROM findings WHERE id = ?", id).Scan(&st.Code, &st.Status); err != nil {
			return nil, err
		}
		st.Closed = st.Status == "closed"
		out[id] = st
	}
	return out, nil
}

// fixture: 清河区人民政府 → 区司法局, 区市场监管局 (→ 南坪市场监管所),
// 区教育局, 区交通运输局; closed cases of the three departments (the
// station's count as 市场监管局's); officers of every unit; bodies.
type fixture struct {
	t                              *testing.T
	d                              *db.DB
	s                              *Service
	en                             *fakeEnforcement
	ledger                         *fakeLedger
	root, sfj, sj, station, jy, jt int64
	sjBody, jyBody                 int64
	admin, clerkSJ, clerkJY        context.Context
	rubric                         *Rubric
	officers                       []int64
}

func addUnit(t *testing.T, d *db.DB, code, name string, parent int64, parentPath string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	var p any
	if parent != 0 {
		p = parent
	}
	if err := d.QueryRow(ctx, "INSERT INTO org_units (code, name, type, parent_id, path) VALUES (?, ?, 'department', ?, '') RETURNING id", code, name, p).Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("%s%d/", parentPath, id)
	if parentPath == "" {
		path = fmt.Sprintf("/%d/", id)
	}
	if _, err := d.Exec(ctx, "UPDATE org_units SET path = ? WHERE id = ?", path, id); err != nil {
		t.Fatal(err)
	}
	return id, path
}

func actor(id int64, name string, unit int64, unitPath string, perms map[string]auth.Scope) context.Context {
	return auth.With(context.Background(), &auth.Actor{UserID: id, Username: name, Name: name, UnitID: unit, UnitPath: unitPath, Perms: perms})
}

var testToday = time.Date(2026, 12, 1, 10, 0, 0, 0, calendar.Shanghai)

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, d: d, ledger: &fakeLedger{d: d}}
	f.en = &fakeEnforcement{officers: map[int64]OfficerRef{}, bodies: map[int64]BodyRef{}, paths: map[int64]string{}}
	f.s = NewService(d, calendar.Default(), calendar.DefaultRegistry(), f.en, f.ledger)
	f.s.SetNow(func() time.Time { return testToday })
	var rootPath, sfjPath, sjPath, stPath, jyPath, jtPath string
	f.root, rootPath = addUnit(t, d, "QH", "清河区人民政府", 0, "")
	f.sfj, sfjPath = addUnit(t, d, "SFJ", "清河区司法局", f.root, rootPath)
	f.sj, sjPath = addUnit(t, d, "SJ", "区市场监管局", f.root, rootPath)
	f.station, stPath = addUnit(t, d, "NP", "南坪市场监管所", f.sj, sjPath)
	f.jy, jyPath = addUnit(t, d, "JY", "区教育局", f.root, rootPath)
	f.jt, jtPath = addUnit(t, d, "JT", "区交通运输局", f.root, rootPath)
	f.en.paths = map[int64]string{f.root: rootPath, f.sfj: sfjPath, f.sj: sjPath, f.station: stPath, f.jy: jyPath, f.jt: jtPath}
	all := auth.Scope{All: true}
	sub := func(p string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: p, Subtree: true}}} }
	f.admin = actor(1, "sifaju", f.sfj, sfjPath, map[string]auth.Scope{PermRead: all, PermWrite: all, PermManage: all, "enforcement.read": all})
	f.clerkSJ = actor(2, "clerk_sj", f.sj, sjPath, map[string]auth.Scope{PermRead: sub(sjPath), PermWrite: sub(sjPath), "enforcement.read": sub(sjPath)})
	f.clerkJY = actor(3, "clerk_jy", f.jy, jyPath, map[string]auth.Scope{PermRead: sub(jyPath), PermWrite: sub(jyPath), "enforcement.read": sub(jyPath)})
	names := map[int64]string{f.sj: "区市场监管局", f.station: "南坪市场监管所", f.jy: "区教育局", f.jt: "区交通运输局", f.sfj: "清河区司法局"}
	n := int64(0)
	for _, u := range []int64{f.sj, f.station, f.jy, f.jt} {
		for i := range 12 {
			n++
			f.en.cases = append(f.en.cases, CaseRef{ID: 1000 + n, Code: fmt.Sprintf("清%s罚〔2026〕%d号", string([]rune(names[u])[1:3]), i+1), Title: fmt.Sprintf("违法行为案 %d", n),
				BodyName: names[u], UnitID: u, ClosedOn: fmt.Sprintf("2026-%02d-15", i%11+1)})
		}
		// a case closed the year before and one still open are never drawn
		f.en.cases = append(f.en.cases, CaseRef{ID: 5000 + n, Code: "旧案", Title: "2025 年办结", BodyName: names[u], UnitID: u, ClosedOn: "2025-12-30"})
	}
	id := int64(0)
	for _, u := range []int64{f.sj, f.station, f.jy, f.jt, f.sfj} {
		for i := range 2 {
			id++
			f.en.officers[id] = OfficerRef{ID: id, Name: fmt.Sprintf("%s评查员%d", names[u], i+1), UnitID: u, UnitName: names[u]}
			f.officers = append(f.officers, id)
		}
	}
	f.en.bodies[1] = BodyRef{ID: 1, Name: "清河区市场监督管理局", UnitID: f.sj}
	f.en.bodies[2] = BodyRef{ID: 2, Name: "清河区教育局", UnitID: f.jy}
	f.sjBody, f.jyBody = 1, 2
	r := DefaultRubric()
	f.rubric = must[*Rubric](t)(f.s.CreateRubric(f.admin, RubricInput{Name: r.Name, Definition: r.Definition, ExcellentMin: r.ExcellentMin, PassMin: r.PassMin}))
	return f
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newFixture(t, d)) })
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// plan opens a plan over 市场监管局, 教育局 and 交通运输局, 4 files each,
// with every officer as a reviewer.
func (f *fixture) plan(perFile int) *Plan {
	f.t.Helper()
	p := must[*Plan](f.t)(f.s.CreatePlan(f.admin, PlanInput{Year: 2026, Title: "2026 年度行政处罚案卷评查", UnitID: f.sfj, RubricID: f.rubric.ID,
		UnitIDs: []int64{f.sj, f.jy, f.jt}, PerUnit: 4, PerFile: perFile}))
	must[[]Reviewer](f.t)(f.s.AddReviewers(f.admin, p.ID, ReviewersInput{OfficerIDs: f.officers}))
	return must[*Plan](f.t)(f.s.GetPlan(f.admin, p.ID))
}

func (f *fixture) drawn(perFile int) *Plan {
	f.t.Helper()
	p := f.plan(perFile)
	p = must[*Plan](f.t)(f.s.Commit(f.admin, p.ID, VersionInput{Version: p.Version}))
	return must[*Plan](f.t)(f.s.Draw(f.admin, p.ID, VersionInput{Version: p.Version}))
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want a refusal on %s, got none", field)
	}
	ae := apperr.As(err)
	if ae == nil {
		t.Fatalf("want an apperr on %s, got %v", field, err)
	}
	for _, fe := range ae.Fields {
		if fe.Field == field {
			return
		}
	}
	t.Fatalf("want a refusal on %s, got %v (%+v)", field, err, ae.Fields)
}

func wantCode(t *testing.T, err error, code apperr.Code, part string) {
	t.Helper()
	if err == nil || !apperr.Is(err, code) {
		t.Fatalf("want %s, got %v", code, err)
	}
	if part != "" && !strings.Contains(err.Error(), part) {
		t.Fatalf("want a message with %q, got %v", part, err)
	}
}
