package randominspection

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
	xl "fazhi/internal/platform/xlsx"
)

// fakeEnforcement answers bodies and officers set by the test, scoped by
// the actor's enforcement.read like the real adapter.
type fakeEnforcement struct {
	bodies   map[int64]BodyRef
	officers map[int64]OfficerRef
	paths    map[int64]string // unit id → path
}

func (f *fakeEnforcement) visible(ctx context.Context, unit int64) bool {
	return auth.From(ctx).CanIn("enforcement.read", f.paths[unit])
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

func (f *fakeEnforcement) Body(ctx context.Context, id int64) (BodyRef, error) {
	b, ok := f.bodies[id]
	if !ok || !f.visible(ctx, b.UnitID) {
		return BodyRef{}, apperr.New(apperr.NotFound, "执法主体不存在")
	}
	return b, nil
}

func (f *fakeEnforcement) Officer(ctx context.Context, id int64) (OfficerRef, error) {
	o, ok := f.officers[id]
	if !ok || !f.visible(ctx, o.UnitID) {
		return OfficerRef{}, apperr.New(apperr.NotFound, "执法人员不存在")
	}
	return o, nil
}

func (f *fakeEnforcement) CertifiedOfficers(ctx context.Context, unitID int64) ([]OfficerRef, error) {
	var out []OfficerRef
	for id := int64(1); id <= int64(len(f.officers)); id++ {
		o := f.officers[id]
		if o.Certified && o.UnitID == unitID && f.visible(ctx, o.UnitID) {
			out = append(out, o)
		}
	}
	return out, nil
}

// fakeLedger writes minimal findings rows and records what was raised.
type fakeLedger struct{ raised []Problem }

func (l *fakeLedger) Raise(ctx context.Context, tx *db.Tx, p Problem) (int64, error) {
	l.raised = append(l.raised, p)
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO findings (code, title, description, source, source_ref, unit_id, severity, found_on, rectify_due)
VALUES (?, ?, ?, 'auto_rule', ?, ?, 'general', ?, ?) RETURNING id`, fmt.Sprintf("T-%d-%d", time.Now().UnixNano(), len(l.raised)),
		p.Title, p.Description, p.SourceRef, p.UnitID, p.FoundOn, p.FoundOn).Scan(&id)
	return id, err
}

// fixture: 区政府 → 区司法局, 区市场监管局 (→ 南坪市场监管所), 区教育局;
// bodies of 市场监管局 and 教育局; officers of 市场监管局 (four certified
// in two units, one lapsed) and one of 教育局.
type fixture struct {
	t                          *testing.T
	d                          *db.DB
	s                          *Service
	en                         *fakeEnforcement
	ledger                     *fakeLedger
	root, sj, station, jy      int64
	sjBody, jyBody             int64
	admin, clerk, outsider     context.Context
	o1, o2, o3, o4, lapsed, o6 int64
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

// testToday is the service's today in every test.
var testToday = time.Date(2026, 12, 1, 10, 0, 0, 0, calendar.Shanghai)

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, d: d, ledger: &fakeLedger{}}
	f.en = &fakeEnforcement{bodies: map[int64]BodyRef{}, officers: map[int64]OfficerRef{}, paths: map[int64]string{}}
	f.s = NewService(d, calendar.Default(), calendar.DefaultRegistry(), f.en, f.ledger)
	f.s.SetNow(func() time.Time { return testToday })
	var rootPath, sjPath, stPath, jyPath string
	f.root, rootPath = addUnit(t, d, "QH", "清河区人民政府", 0, "")
	f.sj, sjPath = addUnit(t, d, "SJ", "区市场监管局", f.root, rootPath)
	f.station, stPath = addUnit(t, d, "NP", "南坪市场监管所", f.sj, sjPath)
	f.jy, jyPath = addUnit(t, d, "JY", "区教育局", f.root, rootPath)
	f.en.paths = map[int64]string{f.root: rootPath, f.sj: sjPath, f.station: stPath, f.jy: jyPath}
	all := auth.Scope{All: true}
	sub := func(p string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: p, Subtree: true}}} }
	f.admin = actor(1, "sifaju", f.root, rootPath, map[string]auth.Scope{PermRead: all, PermWrite: all, "enforcement.read": all})
	f.clerk = actor(2, "clerk_sj", f.sj, sjPath, map[string]auth.Scope{PermRead: sub(sjPath), PermWrite: sub(sjPath), "enforcement.read": sub(sjPath)})
	f.outsider = actor(3, "clerk_jy", f.jy, jyPath, map[string]auth.Scope{PermRead: sub(jyPath), PermWrite: sub(jyPath), "enforcement.read": sub(jyPath)})
	body := func(unit int64, name string) int64 {
		var id int64
		if err := d.QueryRow(context.Background(), `INSERT INTO enforcement_bodies (unit_id, name, kind) VALUES (?, ?, 'statutory') RETURNING id`, unit, name).Scan(&id); err != nil {
			t.Fatal(err)
		}
		f.en.bodies[id] = BodyRef{ID: id, Name: name, UnitID: unit}
		return id
	}
	f.sjBody = body(f.sj, "清河区市场监督管理局")
	f.jyBody = body(f.jy, "清河区教育局")
	officer := func(name string, unit int64, unitName string, certified bool) int64 {
		id := int64(len(f.en.officers) + 1)
		f.en.officers[id] = OfficerRef{ID: id, Name: name, UnitID: unit, UnitName: unitName, Certified: certified}
		return id
	}
	f.o1 = officer("张明", f.sj, "区市场监管局", true)
	f.o2 = officer("李华", f.sj, "区市场监管局", true)
	f.o3 = officer("陈静", f.station, "南坪市场监管所", true)
	f.o4 = officer("刘洋", f.station, "南坪市场监管所", true)
	f.lapsed = officer("王强", f.sj, "区市场监管局", false)
	f.o6 = officer("赵敏", f.jy, "区教育局", true)
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

// entityBook is an entity pool workbook.
func entityBook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	cols := []xl.Column{{Title: "名称*"}, {Title: "统一社会信用代码"}, {Title: "对象类型*"}, {Title: "风险等级*"}, {Title: "所属单位"}}
	b, err := xl.StreamBytes(xl.Sheet{Name: EntitySheet, Columns: cols}, xl.Slice(rows))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// creditCodeN is a well-formed credit code numbered n.
func creditCodeN(n int) string { return fmt.Sprintf("91500108MA%08d", n) }

// matter adds a matter of the market regulator.
func (f *fixture) matter() *Matter {
	f.t.Helper()
	return must[*Matter](f.t)(f.s.CreateMatter(f.clerk, MatterInput{BodyID: f.sjBody, Name: "食品经营者落实食品安全主体责任情况检查",
		LegalBasis: "《食品安全法》第一百一十条", ObjectKind: "食品经营者", Method: "onsite"}))
}

// plan opens a plan with 20 high-, 30 medium- and 50 low-risk entities
// (ratios 30% / 10% / 3%: 6 + 3 + 2 drawn), the station's unit on the
// first ten, four inspectors in two units and one declared relation.
func (f *fixture) plan() (*Plan, *Pool) {
	f.t.Helper()
	m := f.matter()
	p := must[*Plan](f.t)(f.s.CreatePlan(f.clerk, PlanInput{Year: 2026, Title: "2026 年度食品经营者双随机抽查", UnitID: f.sj,
		BodyIDs: []int64{f.sjBody}, MatterIDs: []int64{m.ID}, Ratios: Ratios{High: 300, Medium: 100, Low: 30}, PerCheck: 2}))
	var rows [][]any
	for i := range 100 {
		risk := "低风险"
		switch {
		case i < 20:
			risk = "高风险"
		case i < 50:
			risk = "中风险"
		}
		unit := ""
		if i < 10 {
			unit = "南坪市场监管所"
		}
		kind, code := "企业或其他组织", creditCodeN(i+1)
		if i%25 == 7 {
			kind, code = "个体工商户或自然人", ""
		}
		rows = append(rows, []any{fmt.Sprintf("清河区第%d食品经营户", i+1), code, kind, risk, unit})
	}
	rep := must[*ImportReport](f.t)(f.s.ImportEntities(f.clerk, p.ID, entityBook(f.t, rows), false))
	if rep.Created != 100 || len(rep.Problems) != 0 {
		f.t.Fatalf("import: %+v", rep)
	}
	must[*Pool](f.t)(f.s.AddInspectors(f.clerk, p.ID, InspectorsInput{OfficerIDs: []int64{f.o1, f.o2, f.o3, f.o4}}))
	pool := must[*Pool](f.t)(f.s.GetPool(f.clerk, p.ID))
	pool = must[*Pool](f.t)(f.s.AddRelation(f.clerk, p.ID, RelationInput{OfficerID: f.o1, EntityID: pool.Entities[15].ID, Note: "配偶在该企业任职"}))
	return must[*Plan](f.t)(f.s.GetPlan(f.clerk, p.ID)), pool
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
