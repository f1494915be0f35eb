package enforcement

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// fakeLedger writes minimal rows into findings (the hits reference them)
// and records what was raised and resolved.
type fakeLedger struct {
	d        *db.DB
	raised   []Problem
	resolved []int64
}

func (l *fakeLedger) Raise(ctx context.Context, tx *db.Tx, p Problem) (int64, error) {
	l.raised = append(l.raised, p)
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO findings (code, title, description, source, source_ref, unit_id, severity, found_on, rectify_due)
VALUES (?, ?, ?, 'auto_rule', ?, ?, 'general', ?, ?) RETURNING id`, fmt.Sprintf("T-%d-%d", time.Now().UnixNano(), len(l.raised)),
		p.Title, p.Description, p.SourceRef, p.UnitID, p.FoundOn, p.FoundOn).Scan(&id)
	return id, err
}

func (l *fakeLedger) Resolve(ctx context.Context, tx *db.Tx, id int64, note string) error {
	l.resolved = append(l.resolved, id)
	_, err := tx.Exec(ctx, "UPDATE findings SET status = 'closed' WHERE id = ?", id)
	return err
}

// fakeReviews answers 法制审核 outcomes set by the test.
type fakeReviews map[int64]bool

func (f fakeReviews) Passed(_ context.Context, id int64) (bool, error) { return f[id], nil }

// Outcome: passed (on 2026-03-30) when the test set it, else none.
func (f fakeReviews) Outcome(_ context.Context, id int64) (ReviewOutcome, error) {
	if f[id] {
		return ReviewOutcome{ReviewID: id, Status: ReviewPassed, FinishedOn: "2026-03-30"}, nil
	}
	return ReviewOutcome{Status: ReviewNone}, nil
}

// Open is refused: the fake has no review module (app tests open real ones).
func (f fakeReviews) Open(context.Context, ReviewRequest) (int64, error) {
	return 0, apperr.New(apperr.Unavailable, "测试：无合法性审查模块")
}

// fixture: 区政府 → 区司法局, 区市场监管局 (→ 执法大队), 区教育局; a body in
// 市场监管局, officers (two valid, one lapsed) and actors.
type fixture struct {
	t                  *testing.T
	d                  *db.DB
	s                  *Service
	ledger             *fakeLedger
	reviews            fakeReviews
	root, sj, team, jy int64
	body, jyBody       *Body
	valid1, valid2     *Officer
	lapsed             *Officer
	admin              context.Context // 司法局: everything, district-wide, personal data
	clerk              context.Context // 市场监管局 clerk: read/write own subtree, no personal data
	outsider           context.Context // 教育局 clerk
}

func addUnit(t *testing.T, d *db.DB, code, name, typ string, parent int64, parentPath string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	var p any
	if parent != 0 {
		p = parent
	}
	if err := d.QueryRow(ctx, "INSERT INTO org_units (code, name, type, parent_id, path) VALUES (?, ?, ?, ?, '') RETURNING id", code, name, typ, p).Scan(&id); err != nil {
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

func actor(id int64, name string, unit int64, perms map[string]auth.Scope) context.Context {
	return auth.With(context.Background(), &auth.Actor{UserID: id, Username: name, Name: name, UnitID: unit, Perms: perms})
}

// testToday is the service's today in every test (rules and date spans).
var testToday = time.Date(2026, 12, 1, 10, 0, 0, 0, calendar.Shanghai)

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, d: d, ledger: &fakeLedger{d: d}, reviews: fakeReviews{}}
	f.s = NewService(d, calendar.Default(), calendar.DefaultRegistry(), f.ledger, f.reviews, nil, Options{})
	f.s.SetNow(func() time.Time { return testToday })
	var rootPath, sjPath, jyPath string
	f.root, rootPath = addUnit(t, d, "QH", "清河区人民政府", "government", 0, "")
	addUnit(t, d, "SFJ", "区司法局", "department", f.root, rootPath)
	f.sj, sjPath = addUnit(t, d, "SJ", "区市场监管局", "department", f.root, rootPath)
	f.team, _ = addUnit(t, d, "SJDD", "区市场监管综合执法大队", "department", f.sj, sjPath)
	f.jy, jyPath = addUnit(t, d, "JY", "区教育局", "department", f.root, rootPath)
	all := auth.Scope{All: true}
	f.admin = actor(1, "sifaju", f.root, map[string]auth.Scope{PermRead: all, PermWrite: all, PermConfig: all, PermPersonal: all})
	sub := func(p string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: p, Subtree: true}}} }
	f.clerk = actor(2, "clerk_sj", f.sj, map[string]auth.Scope{PermRead: sub(sjPath), PermWrite: sub(sjPath)})
	f.outsider = actor(3, "clerk_jy", f.jy, map[string]auth.Scope{PermRead: sub(jyPath), PermWrite: sub(jyPath)})
	var err error
	if f.body, err = f.s.CreateBody(f.admin, BodyInput{UnitID: f.sj, Name: "清河区市场监督管理局", Kind: "statutory",
		LegalBasis: "《清河区市场监督管理局职能配置、内设机构和人员编制规定》", Categories: "市场监管、食品安全"}); err != nil {
		t.Fatal(err)
	}
	if f.jyBody, err = f.s.CreateBody(f.admin, BodyInput{UnitID: f.jy, Name: "清河区教育局", Kind: "statutory", LegalBasis: "三定规定", Categories: "教育"}); err != nil {
		t.Fatal(err)
	}
	f.valid1 = f.officer("张明", "SJ-0001", "2024-01-01", "2028-12-31", "valid", f.sj)
	f.valid2 = f.officer("李华", "SJ-0002", "2023-06-01", "2027-06-30", "valid", f.team)
	f.lapsed = f.officer("王强", "SJ-0003", "2020-01-01", "2025-12-31", "valid", f.sj)
	return f
}

func (f *fixture) officer(name, cert, issued, expires, status string, unit int64) *Officer {
	f.t.Helper()
	h := 40
	o, err := f.s.CreateOfficer(f.admin, OfficerInput{UnitID: unit, Name: name, Phone: "13912345678", CertNo: cert, CertKind: "admin",
		CertAuthority: "清河市人民政府", CertIssuedOn: issued, CertExpiresOn: expires, CertStatus: status, TrainingHours: &h})
	if err != nil {
		f.t.Fatal(err)
	}
	return o
}

// penalty is a well-formed decided, disclosed general-procedure penalty
// on a natural person that breaks no rule.
func (f *fixture) penalty() CaseInput {
	return CaseInput{BodyID: f.body.ID, Kind: "penalty", Title: "销售过期食品", PartyType: "person", PartyName: "赵六",
		PartyIDNo: "110101199003071234", PartyPhone: "13800138000", PartyAddress: "清河区幸福路 8 号", Procedure: "general",
		AmountFen: 5_000_00, LegalBasis: "《食品安全法》第一百二十四条", DiscretionBand: "一般", FiledOn: "2026-03-02",
		PriorNoticeOn: "2026-03-20", DecidedOn: "2026-04-01", ServedOn: "2026-04-02", DisclosedOn: "2026-04-03",
		OfficerIDs: []int64{f.valid1.ID, f.valid2.ID}}
}

func (f *fixture) create(in CaseInput) *Case {
	f.t.Helper()
	c, err := f.s.CreateCase(f.admin, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newFixture(t, d)) })
}
