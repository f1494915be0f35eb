package mediation

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"fazhi/internal/metric"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/testenv"
	xl "fazhi/internal/platform/xlsx"
)

// yearRows generates n cases of one committee over the first half of 2026:
// about 99% concluded with an agreement (a third of them written, some
// confirmed by the court, most fulfilled), the rest failed or still open.
func yearRows(n int, committee string) [][]any {
	rows := make([][]any, 0, n)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		rec := start.AddDate(0, 0, i%150)
		closed := rec.AddDate(0, 0, 1+i%5)
		day := func(t time.Time) string { return t.Format("2006-01-02") }
		r := make([]any, len(importHeaders))
		set := func(h string, v any) {
			for j, x := range importHeaders {
				if x == h {
					r[j] = v
				}
			}
		}
		set(hCommittee, committee)
		set(hCaseNo, fmt.Sprintf("（2026）石调字第%d号", i+1))
		set(hType, DisputeTypes[i%len(DisputeTypes)].Label)
		set(hSource, Sources[i%2].Label)
		set(hReceived, day(rec))
		set(hParties, fmt.Sprintf("当事人甲%d、当事人乙%d", i, i))
		set(hPhone, fmt.Sprintf("138%08d", i))
		set(hSummary, "纠纷简要情况：邻里之间因生活琐事发生争执")
		switch {
		case i%100 == 7:
			set(hResult, "调解不成")
			set(hClosed, day(closed))
			set(hFailed, "双方分歧较大")
		case i%100 == 8 && i > n-200:
			set(hResult, "调解中")
		default:
			set(hResult, "调解成功")
			set(hClosed, day(closed))
			set(hTerms, "双方自愿达成协议")
			if i%3 == 0 {
				set(hForm, "书面协议")
				if i%9 == 0 {
					set(hApplied, day(closed.AddDate(0, 0, 5)))
					set(hCourt, "示范区人民法院")
					set(hConfirm, "确认有效")
					set(hConfirmOn, day(closed.AddDate(0, 0, 12)))
				}
			} else {
				set(hForm, "口头协议")
			}
			if i%10 != 3 {
				set(hFulfilment, "已履行")
				set(hFulfilledOn, day(closed.AddDate(0, 0, 10)))
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func workbook(t testing.TB, rows [][]any) []byte {
	t.Helper()
	cols := make([]xl.Column, len(importHeaders))
	for i, h := range importHeaders {
		cols[i] = xl.Column{Title: h}
	}
	b, err := xl.StreamBytes(xl.Sheet{Name: SheetName, Columns: cols}, xl.Slice(rows))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestImportYear imports a district's year (13,000 cases) in one
// transaction, then checks the figures against the register and the
// counters for drift; a workbook with bad rows reports each one by sheet,
// row, column and reason, and writes nothing.
func TestImportYear(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := as(townClerk)
		committee(t, s, unitVillage, "石桥村人民调解委员会")
		const n = 13000

		// A bad workbook first: nothing is written from it.
		bad := yearRows(50, "石桥村人民调解委员会")
		bad[3][0] = "不存在的调解委员会"                                            // row 5
		bad[10][5] = "2026-13-45"                                          // row 12: 受理日期
		bad[20][2] = "打架"                                                  // row 22: 纠纷类型
		bad[30][14], bad[30][17], bad[30][18] = "口头协议", "2026-03-01", "法院" // row 32: oral agreement confirmed
		bad[40][12], bad[40][13] = "调解成功", ""                              // row 42: success without a date
		rep, err := s.Import(ctx, workbook(t, bad))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 0 || rep.Rows != 50 || rep.Valid != 45 || count(t, d, "SELECT COUNT(*) FROM mediation_cases") != 0 {
			t.Fatalf("bad workbook: %+v", rep)
		}
		want := map[int]string{5: "A（调解委员会）", 12: "F（受理日期）", 22: "C（纠纷类型）", 32: "R（申请司法确认日期）", 42: "N（结案日期）"}
		got := map[int]string{}
		for _, p := range rep.Problems {
			if p.Sheet != SheetName || p.Reason == "" {
				t.Errorf("problem without sheet or reason: %+v", p)
			}
			got[p.Row] = p.Column
		}
		for row, col := range want {
			if got[row] != col {
				t.Errorf("row %d: want column %s, got %q (%+v)", row, col, got[row], rep.Problems)
			}
		}
		if len(got) != len(want) {
			t.Errorf("problems on rows %v, want %v", got, want)
		}

		// The year.
		data := workbook(t, yearRows(n, "石桥村人民调解委员会"))
		t0 := time.Now()
		rep, err = s.Import(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: imported %d cases in %s", d.Dialect(), rep.Created, time.Since(t0).Round(time.Millisecond))
		if rep.Created != n || len(rep.Problems) != 0 {
			t.Fatalf("import: %+v", rep.Problems[:min(5, len(rep.Problems))])
		}
		if c := count(t, d, "SELECT COUNT(*) FROM mediation_cases WHERE code IS NULL OR code NOT LIKE 'TJ2026-%'"); c != 0 {
			t.Fatalf("%d cases without a register number", c)
		}
		if c := count(t, d, "SELECT COUNT(*) FROM mediation_steps WHERE kind = 'import'"); c != n {
			t.Fatalf("%d import steps", c)
		}
		// Figures equal the register behind each link; no counter drift.
		figs, err := s.Figures(ctx, metric.Query{From: "2026-01-01", To: "2026-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		// The oracle: a live count over the list filter behind each link.
		total := func(f Filter) int {
			w, args := Store{}.where(f)
			return count(t, d, "SELECT COUNT(*) FROM mediation_cases c WHERE "+w, args...)
		}
		period := Filter{ClosedFrom: "2026-01-01", ClosedTo: "2026-06-30"}
		succ := period
		succ.Status = StatusSucceeded
		checks := []struct {
			code string
			want int
		}{
			{FigureCases, total(Filter{ReceivedFrom: "2026-01-01", ReceivedTo: "2026-06-30"})},
			{FigureFulfilled, total(Filter{FulfilledFrom: "2026-01-01", FulfilledTo: "2026-06-30"})},
			{FigureConfirmed, total(Filter{ConfirmedFrom: "2026-01-01", ConfirmedTo: "2026-06-30"})},
		}
		for _, f := range figs {
			for _, c := range checks {
				if f.Code == c.code && f.Numerator != c.want {
					t.Errorf("%s = %d, register %d", f.Code, f.Numerator, c.want)
				}
			}
			if f.Code == FigureSuccessRate {
				if f.Numerator != total(succ) || f.Denominator != total(period) || f.Value < 98 || f.Value > 100 {
					t.Errorf("success rate %+v (register %d/%d)", f, total(succ), total(period))
				}
			}
		}
		if figs[0].Numerator != n {
			t.Errorf("cases = %d, want %d", figs[0].Numerator, n)
		}
		drift, _, err := FigureTally.Verify(t.Context(), d, 10)
		if err != nil || len(drift) != 0 {
			t.Fatalf("counter drift: %v %v", drift, err)
		}
		// One audit event per case (and one for the import), chained.
		if c := count(t, d, "SELECT COUNT(DISTINCT object_id) FROM audit_events WHERE action = 'mediation.case.import' AND object_id <> ''"); c != n {
			t.Fatalf("%d import events for %d cases", c, n)
		}
		var code string
		if err := d.QueryRow(t.Context(), "SELECT c.code FROM mediation_cases c WHERE c.id = (SELECT MAX(CAST(object_id AS BIGINT)) FROM audit_events WHERE action = 'mediation.case.import' AND object_id <> '')").Scan(&code); err != nil ||
			count(t, d, "SELECT COUNT(*) FROM audit_events WHERE summary LIKE ?", "%"+code+"%") != 1 {
			t.Fatalf("the newest case's event does not name its number %q: %v", code, err)
		}
		if res, err := audit.Verify(t.Context(), d); err != nil || res.Broken != nil {
			t.Fatalf("audit chain: %+v %v", res, err)
		}
		// The outsider's import cannot name this committee.
		rep, err = s.Import(as(outsider), workbook(t, yearRows(1, "石桥村人民调解委员会")))
		if err != nil || rep.Created != 0 || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Reason, "不在您的数据权限范围内") {
			t.Fatalf("outsider import: %+v %v", rep, err)
		}
	})
}

// TestImportBench (make bench: scripts/bench-mediation.sh sets
// FAZHI_BENCH_MEDIATION=1) prints the import's rows per second — reading
// the workbook with excelize's row iterator, checking every row, writing in
// one transaction — beside a raw batch insert of the same rows (the same
// multi-row INSERTs in one transaction, without workbook or checks).
func TestImportBench(t *testing.T) {
	if testenv.BenchMediation == "" {
		t.Skip("set FAZHI_BENCH_MEDIATION=1 (make bench)")
	}
	const n = 13000
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := as(townClerk)
		committee(t, s, unitVillage, "石桥村人民调解委员会")
		data := workbook(t, yearRows(n, "石桥村人民调解委员会"))
		a := auth.From(ctx)
		_, rows, err := s.checkImport(ctx, a, data)
		if err != nil || len(rows) != n {
			t.Fatalf("check: %v %d", err, len(rows))
		}
		// CPU time of this process beside the wall clock: the machine is
		// shared, and on SQLite (in process) the CPU is the cost itself.
		cpu := func() time.Duration {
			var ru syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
		c0 := cpu()
		t0 := time.Now()
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			_, err := s.st.insertBatch(ctx, tx, rows)
			return err
		})
		raw, rawCPU := time.Since(t0), cpu()-c0
		if err != nil {
			t.Fatal(err)
		}
		exec(t, d, "DELETE FROM mediation_cases")
		// The second baseline writes every row the import writes — each
		// case, its "imported" step and its audit event (unsigned, not
		// chained) — raw, in one transaction: against it the ratio is what
		// reading, checking, counting and signing cost.
		c0, t0 = cpu(), time.Now()
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			ids, err := s.st.insertBatch(ctx, tx, rows)
			if err != nil {
				return err
			}
			steps := make([][]any, len(rows))
			evs := make([][]any, len(rows))
			at := time.Now().UTC()
			for i, r := range rows {
				steps[i] = []any{ids[i], "import", r.ReceivedOn, "", a.UserID, a.Username, at}
				evs[i] = []any{int64(1_000_000 + i), at.Format("2006-01-02T15:04:05.000000Z"), a.UserID, a.Username, "", "mediation.case.import", "mediation_case",
					strconv.FormatInt(ids[i], 10), r.UnitID, "人民调解案件 导入 " + r.CaseNo, "", "", "ok", "raw", "", strings.Repeat("0", 64), strings.Repeat("1", 64)}
			}
			if err := db.InsertMany(ctx, tx, "mediation_steps", []string{"case_id", "kind", "day", "note", "actor_id", "actor_name", "at"}, steps); err != nil {
				return err
			}
			return db.InsertMany(ctx, tx, "audit_events", []string{"seq", "at", "actor_id", "actor_name", "ip", "action", "object_type", "object_id", "unit_id", "summary",
				"before_data", "after_data", "result", "alg", "key_id", "prev_hash", "hash"}, evs)
		})
		all, allCPU := time.Since(t0), cpu()-c0
		if err != nil {
			t.Fatal(err)
		}
		exec(t, d, "DELETE FROM audit_events WHERE alg = 'raw'")
		exec(t, d, "DELETE FROM mediation_steps")
		exec(t, d, "DELETE FROM mediation_cases")
		c0, t0 = cpu(), time.Now()
		rep, err := s.Import(ctx, data)
		imp, impCPU := time.Since(t0), cpu()-c0
		if err != nil || rep.Created != n {
			t.Fatalf("import: %v %+v", err, rep)
		}
		rawRate, impRate := float64(n)/raw.Seconds(), float64(n)/imp.Seconds()
		fmt.Printf("BENCH mediation import %-8s %6d 行：导入 %8.0f 行/秒（%s）；原始批量插入 %8.0f 行/秒（%s）；比值 %.2f（目标 ≥ 0.5）\n",
			d.Dialect(), n, impRate, imp.Round(time.Millisecond), rawRate, raw.Round(time.Millisecond), impRate/rawRate)
		fmt.Printf("BENCH mediation import %-8s 本进程 CPU：导入 %s，原始批量插入 %s；CPU 比值 %.2f（PostgreSQL 不含数据库服务器的 CPU）\n",
			d.Dialect(), impCPU.Round(time.Millisecond), rawCPU.Round(time.Millisecond), rawCPU.Seconds()/impCPU.Seconds())
		fmt.Printf("BENCH mediation import %-8s 与导入写入的全部行（案件、导入步骤、审计事件各 %d 行）的原始批量插入 %8.0f 行/秒（%s，CPU %s）相比：比值 %.2f，CPU 比值 %.2f\n",
			d.Dialect(), n, float64(n)/all.Seconds(), all.Round(time.Millisecond), allCPU.Round(time.Millisecond), all.Seconds()/imp.Seconds(), allCPU.Seconds()/impCPU.Seconds())
	})
}
