package randominspection

import (
	"testing"
	"time"

	"fazhi/internal/metric"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"

	"pgregory.net/rapid"
)

// TestFiguresFollowTheRegister: random results and publications over a
// drawn plan; the counters never drift from the register and each figure
// equals what its link lists.
func TestFiguresFollowTheRegister(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p, _ := f.plan()
		f.s.SetNow(func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Shanghai) })
		p = must[*Plan](t)(f.s.Commit(f.clerk, p.ID, VersionInput{Version: p.Version}))
		p = must[*Plan](t)(f.s.Draw(f.clerk, p.ID, VersionInput{Version: p.Version}))
		f.s.SetNow(func() time.Time { return testToday })
		rapid.Check(t, func(rt *rapid.T) {
			items := must[db.Paged[Check]](t)(f.s.ListChecks(f.clerk, CheckFilter{PlanID: p.ID}, db.ListReq{Size: 100})).Items
			c := items[rapid.IntRange(0, len(items)-1).Draw(rt, "check")]
			day := calendar.NewDate(2026, 3, 2).AddDays(rapid.IntRange(0, 250).Draw(rt, "day"))
			switch c.Status {
			case CheckPending, CheckRecorded:
				if c.Status == CheckPending || rapid.Bool().Draw(rt, "again") {
					res := rapid.SampledFrom([]string{ResultClean, ResultProblems, ResultAbsent}).Draw(rt, "result")
					if _, err := f.s.RecordResult(f.clerk, c.ID, ResultInput{CheckedOn: day.String(), Result: res, Problems: "问题", Version: c.Version}); err != nil {
						rt.Fatal(err)
					}
					return
				}
				pub := day
				if pub.String() < c.CheckedOn {
					pub, _ = calendar.ParseDate(c.CheckedOn)
				}
				if _, err := f.s.Publish(f.clerk, c.ID, PublishInput{PublishedOn: pub.String(), Version: c.Version}); err != nil {
					rt.Fatal(err)
				}
			}
		})
		drift, _, err := FigureTally.Verify(t.Context(), f.d, 10)
		if err != nil || len(drift) > 0 {
			t.Fatalf("counters drift: %v %+v", err, drift)
		}
		q := metric.Query{From: "2026-01-01", To: "2026-12-01"}
		figs := must[[]metric.Figure](t)(f.s.Figures(f.clerk, q))
		count := func(flt CheckFilter) int {
			return must[db.Paged[Check]](t)(f.s.ListChecks(f.clerk, flt, db.ListReq{Size: 500})).Total
		}
		done := count(CheckFilter{CheckedFrom: q.From, CheckedTo: q.To})
		problems := count(CheckFilter{CheckedFrom: q.From, CheckedTo: q.To, Result: ResultProblems})
		due := count(CheckFilter{PublishDueFrom: q.From, PublishDueTo: q.To})
		onTime := count(CheckFilter{PublishDueFrom: q.From, PublishDueTo: q.To, PublishedOnTime: true})
		if done == 0 {
			t.Fatal("the property run recorded nothing")
		}
		byCode := map[string]metric.Figure{}
		for _, fg := range figs {
			byCode[fg.Code] = fg
		}
		if g := byCode[FigureChecksDone]; g.Numerator != done {
			t.Fatalf("checks done %d, register %d", g.Numerator, done)
		}
		if g := byCode[FigureProblemRate]; g.Numerator != problems || g.Denominator != done {
			t.Fatalf("problem rate %d/%d, register %d/%d", g.Numerator, g.Denominator, problems, done)
		}
		if g := byCode[FigurePublishRate]; g.Numerator != onTime || g.Denominator != due {
			t.Fatalf("publish rate %d/%d, register %d/%d", g.Numerator, g.Denominator, onTime, due)
		}
		if out := must[[]metric.Figure](t)(f.s.Figures(f.outsider, q)); out[0].Numerator != 0 {
			t.Fatal("another department counts these checks")
		}
	})
}
