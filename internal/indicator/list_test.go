package indicator

import (
	"fmt"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestList: a unit's to-do list holds its own and its supporting
// assignments only; the filters narrow it; paging walks by keyset.
func TestList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := f.campaign(t)
		mctx := f.as(manager, "2026-03-02")
		if _, err := f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{rowOf(t, c, "1.1").ID}, UnitID: 3, DueOn: "2026-06-30"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{rowOf(t, c, "1.2").ID}, UnitID: 2, Supporting: []int64{4}, DueOn: "2026-12-30"}); err != nil {
			t.Fatal(err)
		}
		count := func(u int64, day string, fl AssignmentFilter) int {
			t.Helper()
			p, err := f.s.Assignments(f.as(u, day), fl, db.ListReq{Size: 2})
			if err != nil {
				t.Fatal(err)
			}
			n := len(p.Items)
			for p.Next != "" {
				if p, err = f.s.Assignments(f.as(u, ""), fl, db.ListReq{Size: 2, After: p.Next}); err != nil {
					t.Fatal(err)
				}
				n += len(p.Items)
			}
			return n
		}
		all := AssignmentFilter{CampaignID: c.ID}
		for _, k := range []struct {
			user int64
			fl   AssignmentFilter
			want int
		}{
			{manager, all, 6}, {leader, all, 6}, {clerk, all, 3}, {outsider, all, 3},
			{manager, AssignmentFilter{CampaignID: c.ID, UnitID: 3}, 3},
			{manager, AssignmentFilter{CampaignID: c.ID, Status: StatusApproved}, 0},
		} {
			if got := count(k.user, "2026-03-02", k.fl); got != k.want {
				t.Errorf("user %d %+v: %d, want %d", k.user, k.fl, got, k.want)
			}
		}
		if got := count(manager, "2026-07-01", AssignmentFilter{CampaignID: c.ID, Overdue: true}); got != 3 {
			t.Errorf("overdue on 7/1: %d, want 3", got)
		}
		p, _ := f.s.Assignments(f.as(outsider, ""), all, db.ListReq{})
		for _, a := range p.Items {
			if a.UnitID != 2 || a.SupportingNames != "区教育局" {
				t.Errorf("supporting unit sees %+v", a)
			}
		}
	})
}

// TestTodo: the lead unit's handler sees assignments to do (returned ones
// with the return action), the reviewer sees submissions whose task is
// theirs; nothing for other units.
func TestTodo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := f.campaign(t)
		mctx := f.as(manager, "2026-03-02")
		it := rowOf(t, c, "35")
		if _, err := f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{it.ID}, UnitID: 3, DueOn: "2026-06-30"}); err != nil {
			t.Fatal(err)
		}
		actions := func(u int64) []string {
			t.Helper()
			items, err := f.s.Todo(f.as(u, "2026-07-01"), f.sim.Now())
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, x := range items {
				out = append(out, x.Action)
				if x.Link == "" || x.Due == "" {
					t.Errorf("to-do item without link or due: %+v", x)
				}
			}
			return out
		}
		if got := actions(clerk); len(got) != 1 || got[0] != "上传佐证材料并自评" {
			t.Fatalf("clerk's to-do %v", got)
		}
		if got := actions(outsider); len(got) != 0 {
			t.Fatalf("other unit's to-do %v", got)
		}
		if got := actions(manager); len(got) != 0 {
			t.Fatalf("the 司法局 is handed another unit's work: %v", got)
		}
		c, _ = f.s.Campaign(mctx, c.ID)
		as := rowOf(t, c, "35").Assignment
		cctx := f.as(clerk, "2026-04-01")
		dt, _ := f.s.SelfAssess(cctx, as.ID, SelfInput{Version: as.Version, Checked: []bool{true}, SelfNote: "四次"})
		dt, _ = f.s.AddEvidence(cctx, as.ID, EvidenceInput{Name: "议程.pdf"}, pdf)
		if _, err := f.s.Submit(cctx, as.ID, dt.Version); err != nil {
			t.Fatal(err)
		}
		if got := actions(clerk); len(got) != 0 {
			t.Fatalf("clerk's to-do after submitting %v", got)
		}
		if got := actions(manager); len(got) != 1 || got[0] != "复核自评（通过定分或退回修改）" {
			t.Fatalf("reviewer's to-do %v", got)
		}
	})
}

// TestReuseEvidence: last year's evidence of the same indicator is linked
// with a staleness warning; without an earlier campaign the gate refuses.
func TestReuseEvidence(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		mctx := f.as(manager, "2025-03-03")
		fw, err := f.s.EnsureDefault(mctx)
		if err != nil {
			t.Fatal(err)
		}
		assign := func(year int) *Assignment {
			t.Helper()
			c, err := f.s.CreateCampaign(mctx, CampaignInput{Name: "测评", Year: year, FrameworkID: fw, UnitID: 1})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{rowOf(t, c, "39").ID}, UnitID: 3, DueOn: fmt.Sprintf("%d-06-30", year)}); err != nil {
				t.Fatal(err)
			}
			c, _ = f.s.Campaign(mctx, c.ID)
			return rowOf(t, c, "39").Assignment
		}
		old := assign(2025)
		_, err = f.s.ReuseEvidence(mctx, old.ID, old.Version)
		wantErr(t, err, apperr.Precondition, "往年")
		if _, err := f.s.AddEvidence(f.as(clerk, ""), old.ID, EvidenceInput{Name: "2025年度报告.pdf"}, pdf); err != nil {
			t.Fatal(err)
		}
		cur := assign(2026)
		dt, err := f.s.ReuseEvidence(f.as(clerk, "2026-02-02"), cur.ID, cur.Version)
		if err != nil {
			t.Fatal(err)
		}
		if len(dt.Evidence) != 1 || dt.Evidence[0].ReusedFrom != old.ID || !dt.Evidence[0].Stale || dt.StaleWarning == "" ||
			!strings.Contains(dt.Evidence[0].Warning, "沿用上年材料") {
			t.Fatalf("reused evidence %+v, warning %q", dt.Evidence, dt.StaleWarning)
		}
		// Reusing again finds nothing new.
		_, err = f.s.ReuseEvidence(f.as(clerk, ""), cur.ID, dt.Version)
		wantErr(t, err, apperr.Precondition, "没有可沿用")
	})
}

// TestBadInput: NUL bytes, year-0 dates, huge inputs and other units' ids
// are refused with the field named, and nothing is written.
func TestBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := f.campaign(t)
		mctx := f.as(manager, "2026-03-02")
		_, err := f.s.CreateCampaign(mctx, CampaignInput{Name: "x\x00", Year: 0, FrameworkID: c.FrameworkID, PeriodFrom: "0000-01-01", PeriodTo: "2026-13-01"})
		wantErr(t, err, apperr.Invalid, "name", "year", "period_from", "period_to")
		_, err = f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{rowOf(t, c, "1").ID}, UnitID: 999, Supporting: []int64{998}, DueOn: "0000-01-01"})
		wantErr(t, err, apperr.Invalid, "unit_id", "supporting", "due_on")
		_, err = f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{987654}, UnitID: 3, DueOn: "2026-06-30"})
		wantErr(t, err, apperr.Invalid, "item_ids")
		_, err = f.s.Breakdown(f.as(clerk, ""), c.ID, BreakdownInput{ItemIDs: []int64{rowOf(t, c, "1").ID}, UnitID: 3, DueOn: "2026-06-30"})
		wantErr(t, err, apperr.Forbidden)
		if _, err := f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{rowOf(t, c, "1").ID}, UnitID: 3, DueOn: "2026-06-30"}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.s.Campaign(mctx, c.ID)
		as := rowOf(t, c, "1").Assignment
		cctx := f.as(clerk, "")
		_, err = f.s.SelfAssess(cctx, as.ID, SelfInput{Version: as.Version, SelfNote: "a\x00b", Occurrences: -1})
		wantErr(t, err, apperr.Invalid, "self_note", "occurrences")
		_, err = f.s.SelfAssess(cctx, as.ID, SelfInput{Version: as.Version, SelfNote: strings.Repeat("长", maxText+1)})
		wantErr(t, err, apperr.Invalid, "self_note")
		_, err = f.s.AddEvidence(cctx, as.ID, EvidenceInput{Name: "a.pdf", ValidFrom: "0000-01-01"}, pdf)
		wantErr(t, err, apperr.Invalid, "valid_from")
		_, err = f.s.AddEvidence(cctx, as.ID, EvidenceInput{Name: "../a.pdf"}, pdf)
		wantErr(t, err, apperr.Invalid)
		// Another unit's assignment is not there for the outsider.
		_, err = f.s.Assignment(f.as(outsider, ""), as.ID)
		wantErr(t, err, apperr.NotFound)
		_, err = f.s.SelfAssess(f.as(outsider, ""), as.ID, SelfInput{Version: as.Version, SelfNote: "x"})
		wantErr(t, err, apperr.NotFound)
		dt, _ := f.s.Assignment(cctx, as.ID)
		if dt.Version != as.Version || len(dt.Evidence) != 0 || dt.SelfNote != "" || len(dt.Events) != 1 {
			t.Fatalf("refused input wrote: %+v", dt.Assignment)
		}
	})
}
