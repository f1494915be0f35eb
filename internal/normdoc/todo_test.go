package normdoc

import (
	"context"
	"strconv"
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/todo"
)

// A published document is its unit's head's 报送备案 item (due on the
// filing deadline) until it is filed; a 责令纠正 result is the unit's
// clerk's item until the correction is recorded; a document whose validity
// ends within the expiry-reminder window is the clerk's item due on its
// expiry date; an open clean-up campaign is the organising unit's head's
// item until its result is published. Other units see none of them.
func TestTodoFilingCorrectionExpiryCleanup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		path, _, err := f.s.store.UnitInfo(context.Background(), d, f.mzj)
		if err != nil {
			t.Fatal(err)
		}
		own := auth.Scope{Ranges: []auth.UnitRange{{Path: path, Subtree: true}}}
		head := auth.With(context.Background(), &auth.Actor{UserID: 40, Username: "head_mz", UnitID: f.mzj, UnitPath: path,
			Perms: map[string]auth.Scope{PermRead: own, PermWrite: own, PermApprove: own}})
		clerk := auth.With(context.Background(), &auth.Actor{UserID: 41, Username: "clerk_mz", UnitID: f.mzj, UnitPath: path,
			Perms: map[string]auth.Scope{PermRead: own, PermWrite: own}})
		items := func(ctx context.Context, link string) []todo.Item {
			t.Helper()
			all, err := f.s.Todo(ctx, fixedNow)
			if err != nil {
				t.Fatal(err)
			}
			var out []todo.Item
			for _, it := range all {
				if it.Link == link {
					out = append(out, it)
				}
			}
			return out
		}
		want := func(ctx context.Context, who, link, action, due string) {
			t.Helper()
			got := items(ctx, link)
			if action == "" {
				if len(got) != 0 {
					t.Fatalf("%s: unexpected items %+v", who, got)
				}
				return
			}
			if len(got) != 1 || got[0].Action != action || got[0].Due != due || got[0].UnitName != "区民政局" {
				t.Fatalf("%s: %+v, want one %q due %q", who, got, action, due)
			}
		}
		m := must[*Document](t)

		doc := f.publishDoc(f.civil, "清河区临时救助实施办法", "", "2026-11-02")
		link := "/normdocs/" + itoa(doc.ID)
		want(head, "head after publication", link, "报送备案", doc.FilingDue)
		want(clerk, "clerk (may not record the filing)", link, "", "")
		want(f.outsider, "another unit", link, "", "")
		doc = m(f.s.File(head, doc.ID, FilingInput{FiledOn: "2026-11-10", FilingTo: "清河市人民政府", Version: doc.Version}))
		want(head, "head after filing", link, "", "")

		doc = m(f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingCorrection, Date: "2026-11-12", Note: "第三条与上位法不一致", Version: doc.Version}))
		want(clerk, "clerk after 责令纠正", link, "备案审查责令纠正：登记纠正情况", "")
		m(f.s.RecordCorrection(clerk, doc.ID, CorrectionInput{CorrectedOn: "2026-11-18", CorrectedVersion: "修订稿", Note: "已删除第三条", Version: doc.Version}))
		want(clerk, "clerk after the correction", link, "", "")

		// Published 2021-11-01, in force 30 days later for 5 years: ends
		// 2026-11-30, within 90 days of 2026-11-20.
		old := f.publishDoc(f.civil, "清河区殡葬管理办法", "", "2021-11-01")
		oldLink := "/normdocs/" + itoa(old.ID)
		want(clerk, "clerk, document near expiry", oldLink, "有效期届满前评估：继续施行的应修订或重新公布", old.ExpiresOn)

		c := must[*Cleanup](t)(f.s.CreateCleanup(f.admin, CleanupInput{UnitID: f.mzj, Title: "2026年度规范性文件清理", StartedOn: "2026-11-01"}))
		cLink := "/normdocs/cleanups/" + itoa(c.ID)
		want(head, "head, open campaign", cLink, "文件清理：尚有 2 件文件未作出清理结论", "")
		want(f.outsider, "another unit", cLink, "", "")
		for _, it := range c.Items {
			c = must[*Cleanup](t)(f.s.DecideItem(head, c.ID, it.ID, DecisionInput{Outcome: OutcomeKeep, Reason: "继续施行", Date: "2026-11-15"}))
		}
		c = must[*Cleanup](t)(f.s.FinishCleanup(head, c.ID, DateInput{Date: "2026-11-16", Version: c.Version}))
		want(head, "head, finished campaign", cLink, "文件清理：公布清理结果", "")
		must[*Cleanup](t)(f.s.PublishCleanup(head, c.ID, DateInput{Date: "2026-11-17", Version: c.Version}))
		want(head, "head, published campaign", cLink, "", "")
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
