package litigation

import (
	"context"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"fazhi/internal/metric"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The register's figures come from counters moved in each write's
// transaction. Random lawsuits and edits through the store — defence
// dates, outcomes, suggestions and replies, moves between units — and
// random hearings leave no drift (metric.Tally.Verify), and every figure
// equals the total of the list behind its link.
func TestFiguresFromCountersMatchLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		today := calendar.NewDate(2026, 11, 20)
		day := func(t *rapid.T, label string) string {
			return today.AddDays(rapid.IntRange(-400, 60).Draw(t, label)).String()
		}
		maybe := func(t *rapid.T, label string) string {
			if rapid.Bool().Draw(t, label+"?") {
				return day(t, label)
			}
			return ""
		}
		rapid.Check(t, func(rt *rapid.T) {
			for _, q := range []string{"DELETE FROM litigation_hearings", "DELETE FROM litigation_cases", "DELETE FROM metric_counts"} {
				if _, err := d.Exec(ctx, q); err != nil {
					rt.Fatal(err)
				}
			}
			var ids []int64
			for i := range rapid.IntRange(1, 15).Draw(rt, "writes") {
				err := d.WithTx(ctx, func(tx *db.Tx) error {
					if len(ids) == 0 || rapid.IntRange(0, 2).Draw(rt, "op") == 0 {
						recv := day(rt, "received")
						c := &Case{Court: "法院", Instance: "first", PlaintiffName: "p", UnitID: int64(rapid.IntRange(2, 4).Draw(rt, "unit")), Act: "a",
							ReceivedOn: recv, DefenceDue: calendar.MustDate(recv).AddDays(15).String(), Status: StatusOpen}
						id, err := f.s.st.insert(ctx, tx, c, fmt.Sprint("tmp", i), 2026, time.Now())
						ids = append(ids, id)
						return err
					}
					id := rapid.SampledFrom(ids).Draw(rt, "id")
					if rapid.Bool().Draw(rt, "hearing") {
						c, err := f.s.st.get(ctx, tx, id)
						if err != nil {
							return err
						}
						h := Hearing{HeldOn: day(rt, "held"), Appearance: rapid.SampledFrom([]string{"", "head", "deputy", "staff", "lawyer", "none"}).Draw(rt, "app")}
						hid, err := f.s.st.insertHearing(ctx, tx, id, c.UnitID, h, time.Now())
						if err != nil || !rapid.Bool().Draw(rt, "edit hearing") {
							return err
						}
						h.ID, h.Appearance = hid, rapid.SampledFrom([]string{"head", "staff"}).Draw(rt, "app2")
						_, err = f.s.st.saveHearing(ctx, tx, h, 1)
						return err
					}
					c, err := f.s.st.get(ctx, tx, id)
					if err != nil {
						return err
					}
					c.DefenceOn, c.EvidenceOn = maybe(rt, "defence"), maybe(rt, "evidence")
					c.defenceDoneOn = ""
					if c.DefenceOn != "" && c.EvidenceOn != "" {
						c.defenceDoneOn = max(c.DefenceOn, c.EvidenceOn)
					}
					c.Outcome, c.JudgedOn, c.Status = "", "", StatusOpen
					if rapid.Bool().Draw(rt, "judged") {
						c.Outcome, c.JudgedOn, c.Status = rapid.SampledFrom([]string{"won", "lost", "partly_lost", "withdrawn", "settled"}).Draw(rt, "outcome"), day(rt, "judged_on"), StatusConcluded
					}
					c.SuggestionOn, c.SuggestionDue, c.SuggestionReplyOn = maybe(rt, "sugg"), "", ""
					if c.SuggestionOn != "" {
						c.SuggestionDue = day(rt, "sugg due")
						c.SuggestionReplyOn = maybe(rt, "reply")
					}
					_, err = f.s.st.save(ctx, tx, c, c.Version, time.Now())
					return err
				})
				if err != nil {
					rt.Fatal(err)
				}
			}
			for _, tl := range Tallies {
				drift, _, err := tl.Verify(ctx, d, 10)
				if err != nil {
					rt.Fatal(err)
				}
				if len(drift) > 0 {
					rt.Fatalf("tally %s drifted: %+v", tl.Name, drift)
				}
			}
			from, to := today.AddDays(-rapid.IntRange(0, 400).Draw(rt, "from")).String(), today.String()
			for _, who := range []int64{handler, clerk} {
				actx := f.as(who, today.String())
				figs, err := f.s.Figures(actx, metric.Query{From: from, To: to})
				if err != nil {
					rt.Fatal(err)
				}
				total := func(flt Filter) int {
					p, err := f.s.List(actx, flt, db.ListReq{Size: 500})
					if err != nil {
						rt.Fatal(err)
					}
					return len(p.Items)
				}
				hearings := func(flt HearingFilter) int {
					p, err := f.s.ListHearings(actx, flt, db.ListReq{Size: 500})
					if err != nil {
						rt.Fatal(err)
					}
					return len(p.Items)
				}
				for _, k := range []struct {
					code     string
					num, den int
				}{
					{FigureReceived, total(Filter{ReceivedFrom: from, ReceivedTo: to}), 0},
					{FigureJudged, total(Filter{JudgedFrom: from, JudgedTo: to}), 0},
					{FigureLossRate, total(Filter{JudgedFrom: from, JudgedTo: to, Lost: true}), total(Filter{JudgedFrom: from, JudgedTo: to})},
					{FigureDefenceOnTime, total(Filter{DefenceFrom: from, DefenceTo: to, DefenceOnTime: true}), total(Filter{DefenceFrom: from, DefenceTo: to})},
					{FigureSuggestion, total(Filter{SuggestionFrom: from, SuggestionTo: to, SuggestionOnTime: true}), total(Filter{SuggestionFrom: from, SuggestionTo: to})},
					{FigureHeadInCourt, hearings(HearingFilter{From: from, To: to, HeadCounted: true}), hearings(HearingFilter{From: from, To: to})},
				} {
					var fig metric.Figure
					for _, g := range figs {
						if g.Code == k.code {
							fig = g
						}
					}
					if fig.Code == "" || fig.Numerator != k.num || (fig.Unit != "件" && fig.Denominator != k.den) {
						rt.Fatalf("user %d %s: figure %d/%d, ledger %d/%d", who, k.code, fig.Numerator, fig.Denominator, k.num, k.den)
					}
				}
			}
		})
	})
}
