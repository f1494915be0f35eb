package counsel

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"

	"github.com/xuri/excelize/v2"
)

// workbook fills the import template of sheet with rows (from row 2, the
// example replaced).
func workbook(t *testing.T, tpl func() ([]byte, error), sheet string, rows [][]any) []byte {
	t.Helper()
	b, err := tpl()
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := x.RemoveRow(sheet, 2); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// problems renders a report's problems as "row column reason" lines.
func problems(rep *ImportReport) string {
	var out []string
	for _, p := range rep.Problems {
		out = append(out, fmt.Sprintf("%d %s %s", p.Row, p.Column, p.Reason))
	}
	return strings.Join(out, "\n")
}

func wantProblems(t *testing.T, rep *ImportReport, sheet string, want ...string) {
	t.Helper()
	got := problems(rep)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("problems lack %q:\n%s", w, got)
		}
	}
	if len(rep.Problems) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(rep.Problems), len(want), got)
	}
	for _, p := range rep.Problems {
		if p.Sheet != sheet {
			t.Errorf("problem on sheet %q", p.Sheet)
		}
	}
}

func count(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportAdvisers: the pool loads from Excel with each adviser's
// contract; every bad row is reported by sheet, row, column and reason,
// and a batch with any bad row writes nothing.
func TestImportAdvisers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := as("/1/", true)
		good := [][]any{
			{"区司法局", "李律", "区级", "执业律师", "清河律师事务所", "13101200910000009", "行政法", "13900000000", "石桥镇", "2026-01-01", "2026-12-31", 30000, "按年度"},
			{"石桥镇", "周顾问", "镇街级", "基层法律服务工作者", "", "", "", "", "", "", "", "", ""},
		}
		bad := append(append([][]any(nil), good...),
			[]any{"不存在的局", "", "省级", "执业律师", "", "", "", "12", "", "", "", "", ""},
			[]any{"白沙镇", "吴律", "镇街级", "执业律师", "", "13101200910000009", "", "", "上坪村", "2026-13-01", "2026-12-31", "三万", ""},
		)
		rep, err := s.ImportAdvisers(ctx, workbook(t, AdviserTemplate, AdviserSheet, bad))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 4 || rep.Valid != 2 || rep.Created != 0 {
			t.Fatalf("report %+v", rep)
		}
		wantProblems(t, rep, AdviserSheet,
			"4 A（管理单位） 找不到单位「不存在的局」", "4 B（姓名） 请填写法律顾问姓名", "4 C（层级） 层级应为", "4 F（执业证号） 执业律师、公职律师请填写执业证号",
			"4 H（联系电话） 联系电话格式不正确",
			"5 F（执业证号） 执业证号「13101200910000009」与第 2 行重复", "5 J（聘期起） ", "5 L（报酬（元）） 报酬应为整数")
		if n := count(t, d, "counsel_advisers") + count(t, d, "counsel_contracts"); n != 0 {
			t.Fatalf("a bad batch wrote %d rows", n)
		}
		// A town's clerk may not load advisers of the bureau.
		rep, err = s.ImportAdvisers(as("/1/4/", true), workbook(t, AdviserTemplate, AdviserSheet, good))
		if err != nil {
			t.Fatal(err)
		}
		wantProblems(t, rep, AdviserSheet, "2 A（管理单位） 单位「区司法局」不在您的管理范围内")
		rep, err = s.ImportAdvisers(ctx, workbook(t, AdviserTemplate, AdviserSheet, good))
		if err != nil || rep.Created != 2 || len(rep.Problems) != 0 {
			t.Fatalf("good batch: %+v %v", rep, err)
		}
		page, err := s.List(ctx, AdviserFilter{Q: "李律"}, db.ListReq{})
		if err != nil || len(page.Items) != 1 || page.Items[0].Serving != 1 || page.Items[0].LevelLabel != "区级" {
			t.Fatalf("imported adviser: %+v %v", page.Items, err)
		}
		cov, err := s.Coverage(ctx)
		if err != nil || cov.Covered != 1 {
			t.Fatalf("coverage after import: %+v %v", cov, err)
		}
		// The licence is now in the pool: loading it again is refused.
		rep, err = s.ImportAdvisers(ctx, workbook(t, AdviserTemplate, AdviserSheet, good[:1]))
		if err != nil {
			t.Fatal(err)
		}
		wantProblems(t, rep, AdviserSheet, "2 F（执业证号） 执业证号「13101200910000009」顾问库中已有在册的顾问")
		// Not a workbook, or a sheet without the columns: one clear error.
		if _, err := s.ImportAdvisers(ctx, []byte("not xlsx\x00")); err == nil {
			t.Fatal("garbage accepted")
		}
		if _, err := s.ImportAdvisers(ctx, workbook(t, WorkTemplate, WorkSheet, [][]any{{"x"}})); err == nil {
			t.Fatal("the work sheet accepted as the pool")
		}
	})
}

// TestImportWorks: work records load by adviser name (or licence number
// where names repeat) and serving unit, each under a contract in force on
// its day; every bad row is reported and a bad batch writes nothing.
func TestImportWorks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := as("/1/", true)
		a, err := s.CreateAdviser(ctx, AdviserInput{UnitID: 2, Name: "李律", Level: "district", Kind: "lawyer", LicenseNo: "13101200910000009"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddContract(ctx, a.ID, ContractInput{UnitID: 4, StartsOn: "2026-01-01", EndsOn: "2026-12-31"}); err != nil {
			t.Fatal(err)
		}
		good := [][]any{
			{"李律", "", "石桥镇", "出具书面法律意见", "2026-03-02", "关于征收补偿协议的法律意见", ""},
			{"", "13101200910000009", "石桥镇", "审查合同", "2026/4/1", "物业服务合同审查", "无重大风险"},
		}
		bad := append(append([][]any(nil), good...),
			[]any{"李律", "", "白沙镇", "法律咨询", "2026-03-02", "咨询", ""},
			[]any{"王五", "", "不存在的村", "跳舞", "2027-01-01", "", ""},
		)
		rep, err := s.ImportWorks(ctx, workbook(t, WorkTemplate, WorkSheet, bad))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 4 || rep.Valid != 2 || rep.Created != 0 {
			t.Fatalf("report %+v", rep)
		}
		wantProblems(t, rep, WorkSheet, "4 E（日期） 李律 在 2026-03-02 没有与「白沙镇」的有效聘用合同",
			"5 A（法律顾问） 您管理的顾问库中没有「王五」", "5 C（服务单位） 找不到单位「不存在的村」", "5 D（工作类别） 工作类别应为",
			"5 E（日期） ", "5 F（事项） 请填写事项")
		if n := count(t, d, "counsel_works"); n != 0 {
			t.Fatalf("a bad batch wrote %d works", n)
		}
		rep, err = s.ImportWorks(ctx, workbook(t, WorkTemplate, WorkSheet, good))
		if err != nil || rep.Created != 2 {
			t.Fatalf("good batch: %+v %v", rep, err)
		}
		p, err := s.Works(ctx, WorkFilter{AdviserID: a.ID}, db.ListReq{})
		if err != nil || len(p.Items) != 2 || p.Items[0].Day != "2026-04-01" {
			t.Fatalf("imported works: %+v %v", p.Items, err)
		}
		if drift, _, err := FigureTally.Verify(context.Background(), d, 5); err != nil || len(drift) != 0 {
			t.Fatalf("drift %v %v", drift, err)
		}
		// Two advisers of the same name: the name alone is ambiguous.
		if _, err := s.CreateAdviser(ctx, AdviserInput{UnitID: 2, Name: "李律", Level: "district", Kind: "scholar"}); err != nil {
			t.Fatal(err)
		}
		rep, err = s.ImportWorks(ctx, workbook(t, WorkTemplate, WorkSheet, good[:1]))
		if err != nil {
			t.Fatal(err)
		}
		wantProblems(t, rep, WorkSheet, "2 A（法律顾问） 顾问库中有 2 位「李律」，请填写执业证号")
		// Another town's clerk cannot reach the bureau's adviser.
		rep, err = s.ImportWorks(as("/1/7/", true), workbook(t, WorkTemplate, WorkSheet, good[1:]))
		if err != nil {
			t.Fatal(err)
		}
		wantProblems(t, rep, WorkSheet, "2 B（执业证号） 您管理的顾问库中没有执业证号为「13101200910000009」的法律顾问")
	})
}

// asUnit is a clerk of the unit (path) who may manage its advisers.
func asUnit(id int64, path string, write bool) context.Context {
	ctx := as(path, write)
	a := *auth.From(ctx)
	a.UnitID, a.UnitPath = id, path
	return auth.With(context.Background(), &a)
}

// TestTodo: the to-do items of a unit managing advisers — a contract
// ending within 60 days and not renewed (due on its last day), and a
// served year's evaluation not recorded (due 31 January of the next year,
// overdue after it; this year's from 1 December) — and nothing for another
// unit or a reader.
func TestTodo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		town := asUnit(4, "/1/4/", true)
		mk := func(name string, unit int64) *Detail {
			a, err := s.CreateAdviser(as("/1/", true), AdviserInput{UnitID: unit, Name: name, Level: "town", Kind: "worker"})
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		contract := func(a *Detail, unit int64, from, to string) {
			if _, err := s.AddContract(as("/1/", true), a.ID, ContractInput{UnitID: unit, StartsOn: from, EndsOn: to}); err != nil {
				t.Fatal(err)
			}
		}
		a, b, c := mk("甲顾问", 4), mk("乙顾问", 4), mk("丙顾问", 7)
		contract(a, 5, "2026-01-01", "2026-08-28") // today 6/30 + 59 days: the last day in the window
		contract(a, 6, "2026-01-01", "2026-08-29") // one day later: not yet
		contract(a, 4, "2025-01-01", "2025-12-31") // served 2025, not evaluated
		contract(b, 5, "2026-01-01", "2026-07-10")
		contract(b, 5, "2026-07-11", "2027-07-10") // renewed
		contract(c, 7, "2026-01-01", "2026-07-31") // another town's adviser
		list := func(ctx context.Context, now time.Time) string {
			items, err := s.Todo(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range items {
				out = append(out, fmt.Sprintf("%s|%s|%s|%v|%s", it.Action, it.Title, it.Due, it.Overdue, it.Link))
			}
			return strings.Join(out, "\n")
		}
		june := time.Date(2026, 6, 30, 2, 0, 0, 0, time.UTC)
		want := fmt.Sprintf("续聘或另行选聘法律顾问|甲顾问（服务单位：石桥村）聘用合同 2026-08-28 期满|2026-08-28|false|/counsel/advisers/%d\n"+
			"登记法律顾问年度考核|甲顾问 2025 年度考核（“五统一”）|2026-01-31|true|/counsel/advisers/%d", a.ID, a.ID)
		if got := list(town, june); got != want {
			t.Fatalf("town's items:\n%s\nwant:\n%s", got, want)
		}
		if got := list(asUnit(4, "/1/4/", false), june); got != "" {
			t.Fatalf("a reader's items: %s", got)
		}
		if got := list(asUnit(7, "/1/7/", true), june); !strings.Contains(got, "丙顾问") || strings.Contains(got, "甲顾问") {
			t.Fatalf("other town's items: %s", got)
		}
		// Recorded: the 2025 item goes. In December, 2026's evaluations are
		// due (not yet overdue) for both advisers serving in 2026.
		s.SetNow(func() time.Time { return time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC) })
		if _, err := s.Evaluate(town, a.ID, EvaluationInput{Year: 2025, Score: 85, Grade: "称职", EvaluatedOn: "2025-12-20"}); err != nil {
			t.Fatal(err)
		}
		got := list(town, time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC))
		if strings.Contains(got, "2025 年度") || !strings.Contains(got, "甲顾问 2026 年度考核（“五统一”）|2027-01-31|false") ||
			!strings.Contains(got, "乙顾问 2026 年度考核（“五统一”）|2027-01-31|false") {
			t.Fatalf("December items:\n%s", got)
		}
	})
}
