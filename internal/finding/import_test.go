package finding

import (
	"fmt"
	"strings"
	"testing"

	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// An imported finding leaves what a registered one does — its number, the
// timeline line, the counters, one signed audit event in an unbroken
// chain, the reminder jobs and the escalation — only written in batches.
func TestImportWritesWhatCreateWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		created, err := f.s.Create(as(clerk), CreateInput{Title: "单条登记", Source: "审计", UnitID: 3, Severity: "一般", FoundOn: "2026-09-01"})
		if err != nil {
			t.Fatal(err)
		}
		rows := [][]any{{"问题标题*", "问题描述", "问题来源*", "来源编号", "责任单位*", "严重程度*", "发现日期*"}}
		const n = 600
		for i := range n {
			rows = append(rows, []any{fmt.Sprintf("导入问题%d", i), "描述", "审计", "", []string{"SJJ", "区市场监管局"}[i%2], "一般", "2026-09-01"})
		}
		rep, err := f.s.Import(as(clerk), workbook(t, rows), false)
		if err != nil || rep.Created != n || len(rep.Problems) != 0 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		jobsOf := func(id int64) string {
			var c int
			var kinds []string
			for _, k := range []string{"finding:%d:escalate:%%", "reminder:finding:%d:rectify@%%"} {
				if err := d.QueryRow(t.Context(), "SELECT COUNT(*) FROM jobs WHERE status = 'pending' AND unique_key LIKE ?", fmt.Sprintf(k, id)).Scan(&c); err != nil {
					t.Fatal(err)
				}
				kinds = append(kinds, fmt.Sprint(c))
			}
			return strings.Join(kinds, "/")
		}
		var last int64
		var code, due string
		if err := d.QueryRow(t.Context(), "SELECT MAX(id) FROM findings").Scan(&last); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(t.Context(), "SELECT code, rectify_due FROM findings WHERE id = ?", last).Scan(&code, &due); err != nil {
			t.Fatal(err)
		}
		if code != fmt.Sprintf("WT2026-%05d", last) || due != created.RectifyDue {
			t.Fatalf("imported %s due %s; registered %s due %s", code, due, created.Code, created.RectifyDue)
		}
		if want, got := jobsOf(created.ID), jobsOf(last); got != want || want == "0/0" {
			t.Fatalf("jobs of an imported finding %s, of a registered one %s", got, want)
		}
		if c := f.count(t, "SELECT COUNT(*) FROM finding_events WHERE action = 'import'"); c != n {
			t.Fatalf("%d timeline lines", c)
		}
		if c := f.count(t, "SELECT COUNT(DISTINCT object_id) FROM audit_events WHERE action = 'finding.import'"); c != n {
			t.Fatalf("%d audit events", c)
		}
		var after string
		if err := d.QueryRow(t.Context(), "SELECT after_data FROM audit_events WHERE action = 'finding.import' AND object_id = ?", fmt.Sprint(last)).Scan(&after); err != nil ||
			!strings.Contains(after, `"code":"`+code+`"`) || !strings.Contains(after, `"unit_name":"区市场监管局"`) || !strings.Contains(after, `"status":"open"`) {
			t.Fatalf("audit after: %s %v", after, err)
		}
		if res, err := audit.Verify(t.Context(), d); err != nil || res.Broken != nil {
			t.Fatalf("audit chain: %+v %v", res, err)
		}
		if drift, k, err := FigureTally.Verify(t.Context(), d, 5); err != nil || k != 0 {
			t.Fatalf("counter drift %d %v %v", k, drift, err)
		}
		d1, err := f.s.Get(as(clerk), last)
		if err != nil || d1.Status != "open" || d1.UnitName != "区市场监管局" || len(d1.Events) != 1 {
			t.Fatalf("the imported finding reads back wrong: %+v %v", d1, err)
		}
	})
}
