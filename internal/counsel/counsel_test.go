package counsel

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	xl "fazhi/internal/platform/xlsx"
)

type fakeDir struct{ units []UnitRef }

func (f fakeDir) Units(context.Context) ([]UnitRef, error)           { return f.units, nil }
func (fakeDir) UserActive(_ context.Context, id int64) (bool, error) { return id == 77, nil }

type fakeReviews struct{}

func (fakeReviews) ReviewsOf(_ context.Context, user int64, _ int) ([]ReviewLink, error) {
	if user != 77 {
		return nil, nil
	}
	return []ReviewLink{{ReviewID: 5, Title: "关于老旧小区改造的决定", Step: "法律顾问、公职律师意见", ActedOn: "2026-03-02", Opinion: "同意"}}, nil
}

var units = []UnitRef{{1, "示范区人民政府", "/1/", "district", ""}, {2, "区司法局", "/1/2/", "department", ""}, {3, "办公室", "/1/2/3/", "office", ""},
	{4, "石桥镇", "/1/4/", "town", ""}, {5, "石桥村", "/1/4/5/", "village", ""}, {6, "上坪村", "/1/4/6/", "village", ""}, {7, "白沙镇", "/1/7/", "town", ""}}

func setup(t *testing.T, d *db.DB) *Service {
	t.Helper()
	for _, u := range units {
		var parent any
		if i := strings.LastIndex(strings.TrimSuffix(u.Path, "/"), "/"); i > 0 {
			parent = strings.Split(strings.Trim(u.Path, "/"), "/")[len(strings.Split(strings.Trim(u.Path, "/"), "/"))-2]
		}
		if _, err := d.Exec(context.Background(), "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (?, ?, ?, ?, ?, ?)",
			u.ID, u.Name, u.Name, u.Type, parent, u.Path); err != nil {
			t.Fatal(err)
		}
	}
	s := NewService(d, fakeDir{units}, fakeReviews{})
	s.SetNow(func() time.Time { return time.Date(2026, 6, 30, 2, 0, 0, 0, time.UTC) })
	return s
}

func as(path string, write bool) context.Context {
	sc := auth.Scope{Ranges: []auth.UnitRange{{Path: path, Subtree: true}}}
	if path == "/1/" {
		sc = auth.Scope{All: true}
	}
	a := &auth.Actor{UserID: 9, Name: "经办人", UnitID: 2, Perms: map[string]auth.Scope{PermRead: sc}}
	if write {
		a.Perms[PermWrite] = sc
	}
	return auth.With(context.Background(), a)
}

func want(t *testing.T, err error, code apperr.Code, sub string) {
	t.Helper()
	e := apperr.As(err)
	msg := ""
	if e != nil {
		msg = e.Message
		for _, f := range e.Fields {
			msg += " " + f.Field + ":" + f.Message
		}
	}
	if e == nil || e.Code != code || !strings.Contains(msg, sub) {
		t.Fatalf("want %s %q, got %v (%s)", code, sub, err, msg)
	}
}

// TestCoverageGaps: an adviser under contract with the government, the
// bureau, a town and one of its villages; coverage lists the other village
// and the other town (offices need no adviser), and a town's clerk sees
// only its own subtree.
func TestCoverageGaps(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := as("/1/", true)
		a, err := s.CreateAdviser(ctx, AdviserInput{UnitID: 2, Name: "赵明律", Level: "district", Kind: "lawyer", LicenseNo: "13101200910000001",
			Firm: "清河律师事务所", Phone: "13900001234", UserID: 77})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []int64{1, 2, 4, 5} {
			if _, err := s.AddContract(ctx, a.ID, ContractInput{UnitID: u, StartsOn: "2026-01-01", EndsOn: "2026-12-31", Fee: 30000, FeeBasis: "按年度"}); err != nil {
				t.Fatal(err)
			}
		}
		// An expired contract covers nothing.
		b, _ := s.CreateAdviser(ctx, AdviserInput{UnitID: 4, Name: "钱法顾", Level: "town", Kind: "worker"})
		if _, err := s.AddContract(ctx, b.ID, ContractInput{UnitID: 6, StartsOn: "2025-01-01", EndsOn: "2025-12-31"}); err != nil {
			t.Fatal(err)
		}
		cov, err := s.Coverage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var gaps []string
		for _, g := range cov.Gaps {
			gaps = append(gaps, g.Name)
		}
		if strings.Join(gaps, ",") != "上坪村,白沙镇" || cov.Required != 6 || cov.Covered != 4 {
			t.Fatalf("coverage %+v gaps %v", cov, gaps)
		}
		town, err := s.Coverage(as("/1/4/", false))
		if err != nil || town.Required != 3 || town.Covered != 2 || len(town.Gaps) != 1 || town.Gaps[0].ID != 6 {
			t.Fatalf("town coverage %+v %v", town, err)
		}
		figs, err := s.Figures(ctx, metric.Query{})
		if err != nil || figs[0].Numerator != 4 || figs[0].Denominator != 6 {
			t.Fatalf("figures %+v %v", figs, err)
		}
		// The adviser's legality reviews come from the lookup.
		det, err := s.Get(ctx, a.ID)
		if err != nil || len(det.Reviews) != 1 || det.Serving != 4 || len(det.Contracts) != 4 {
			t.Fatalf("detail %+v %v", det, err)
		}
		// A reader without the write right sees the phone masked.
		ro, _ := s.Get(as("/1/", false), a.ID)
		if ro.Phone != "139****1234" || ro.CanWrite {
			t.Fatalf("read-only view %+v", ro.Adviser)
		}
	})
}

// TestGates: work only under a contract in force with that unit; no
// overlapping contracts; evaluation once a year, after 1 December, for a
// year served; a retired adviser takes no contract; scope.
func TestGates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := as("/1/4/", true)
		_, err := s.CreateAdviser(ctx, AdviserInput{UnitID: 4, Name: "孙", Level: "town", Kind: "lawyer"})
		want(t, err, apperr.Invalid, "license_no:")
		_, err = s.CreateAdviser(ctx, AdviserInput{UnitID: 7, Name: "孙", Level: "town", Kind: "worker"})
		want(t, err, apperr.NotFound, "")
		a, err := s.CreateAdviser(ctx, AdviserInput{UnitID: 4, Name: "孙法顾", Level: "town", Kind: "worker"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.AddContract(ctx, a.ID, ContractInput{UnitID: 5, StartsOn: "2026-03-01", EndsOn: "2026-02-01"})
		want(t, err, apperr.Invalid, "ends_on:")
		if _, err = s.AddContract(ctx, a.ID, ContractInput{UnitID: 5, StartsOn: "2026-03-01", EndsOn: "2027-02-28", Fee: 12000}); err != nil {
			t.Fatal(err)
		}
		_, err = s.AddContract(ctx, a.ID, ContractInput{UnitID: 5, StartsOn: "2027-01-01", EndsOn: "2027-12-31"})
		want(t, err, apperr.Invalid, "重叠")
		_, err = s.AddContract(ctx, a.ID, ContractInput{UnitID: 7, StartsOn: "2026-03-01", EndsOn: "2026-12-31"})
		want(t, err, apperr.Invalid, "unit_id:")
		// Work before the contract, or for another unit: refused.
		_, err = s.AddWork(ctx, a.ID, WorkInput{UnitID: 5, Kind: "opinion", Day: "2026-02-20", Title: "村规民约合法性意见"})
		want(t, err, apperr.Precondition, "没有与该单位的有效聘用合同")
		_, err = s.AddWork(ctx, a.ID, WorkInput{UnitID: 6, Kind: "opinion", Day: "2026-04-20", Title: "意见"})
		want(t, err, apperr.Precondition, "没有与该单位的有效聘用合同")
		if _, err = s.AddWork(ctx, a.ID, WorkInput{UnitID: 5, Kind: "出具书面法律意见", Day: "2026-04-20", Title: "村规民约合法性意见"}); err != nil {
			t.Fatal(err)
		}
		figs, _ := s.Figures(ctx, metric.Query{From: "2026-01-01", To: "2026-06-30"})
		if figs[1].Numerator != 1 || figs[2].Numerator != 1 {
			t.Fatalf("opinions %+v", figs)
		}
		p, err := s.Works(ctx, WorkFilter{Kind: "opinion"}, db.ListReq{})
		if err != nil || len(p.Items) != 1 {
			t.Fatalf("works %v %+v", err, p)
		}
		// The work-record export: the same list, read back from the workbook;
		// a unit outside the reader's scope exports nothing of this unit.
		l, err := s.WorksSQL(ctx, WorkFilter{Kind: "opinion"})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := s.ExportWorksTo(ctx, &buf, l); err != nil {
			t.Fatal(err)
		}
		tab, err := xl.Read(buf.Bytes(), xl.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(tab.Rows) != 2 || tab.Rows[1][1] != "孙法顾" || tab.Rows[1][3] != "出具书面法律意见" || tab.Rows[1][4] != "村规民约合法性意见" {
			t.Fatalf("exported work records: %q", tab.Rows)
		}
		if _, err := s.WorksSQL(ctx, WorkFilter{From: "2026-13-01"}); err == nil {
			t.Fatal("a bad date was accepted by the export")
		}
		other, _ := s.WorksSQL(as("/1/6/", false), WorkFilter{})
		buf.Reset()
		if err := s.ExportWorksTo(ctx, &buf, other); err != nil {
			t.Fatal(err)
		}
		if tab, _ := xl.Read(buf.Bytes(), xl.Options{}); len(tab.Rows) != 1 {
			t.Fatalf("another unit's reader exported %q", tab.Rows)
		}
		// Evaluation: too early, a year not served, then once.
		_, err = s.Evaluate(ctx, a.ID, EvaluationInput{Year: 2026, Score: 90, Grade: "优秀", EvaluatedOn: "2026-06-01"})
		want(t, err, apperr.Invalid, "evaluated_on:")
		_, err = s.Evaluate(ctx, a.ID, EvaluationInput{Year: 2025, Score: 90, Grade: "优秀", EvaluatedOn: "2025-12-20"})
		want(t, err, apperr.Precondition, "没有聘用合同")
		s.SetNow(func() time.Time { return time.Date(2026, 12, 20, 2, 0, 0, 0, time.UTC) })
		det, err := s.Evaluate(ctx, a.ID, EvaluationInput{Year: 2026, SelectionOK: true, ManagementOK: true, DutiesOK: true, PayOK: true,
			Score: 92, Grade: "优秀", EvaluatedOn: "2026-12-18"})
		if err != nil || len(det.Evaluations) != 1 || det.Evaluations[0].GradeLabel != "优秀" {
			t.Fatalf("evaluate: %v", err)
		}
		_, err = s.Evaluate(ctx, a.ID, EvaluationInput{Year: 2026, Score: 80, Grade: "称职", EvaluatedOn: "2026-12-19"})
		want(t, err, apperr.Invalid, "已登记")
		// Scope: another town's clerk does not see the adviser.
		_, err = s.Get(as("/1/7/", true), a.ID)
		want(t, err, apperr.NotFound, "")
		// A retired adviser takes no new contract.
		off := false
		det, err = s.UpdateAdviser(ctx, a.ID, AdviserInput{Name: "孙法顾", Level: "town", Kind: "worker", Active: &off, Version: a.Version})
		if err != nil || det.Active {
			t.Fatalf("retire: %v", err)
		}
		_, err = s.AddContract(ctx, a.ID, ContractInput{UnitID: 4, StartsOn: "2027-03-01", EndsOn: "2027-12-31"})
		want(t, err, apperr.Precondition, "已解聘出库")
		drift, _, err := FigureTally.Verify(context.Background(), d, 5)
		if err != nil || len(drift) != 0 {
			t.Fatalf("drift %v %v", drift, err)
		}
	})
}
