package reconsideration

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"

	"fazhi/internal/metric"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// filterOf turns a figure's link ("/reconsideration?a=b&…") into the
// register filter it stands for.
func filterOf(t interface{ Fatal(...any) }, link string) Filter {
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	unit, _ := strconv.ParseInt(q.Get("unit_id"), 10, 64)
	return Filter{UnitID: unit, ReceivedFrom: q.Get("received_from"), ReceivedTo: q.Get("received_to"),
		AcceptedFrom: q.Get("accepted_from"), AcceptedTo: q.Get("accepted_to"), ConcludedFrom: q.Get("concluded_from"),
		ConcludedTo: q.Get("concluded_to"), Corrected: q.Get("corrected") == "true", Resolved: q.Get("resolved") == "true",
		AccountableFrom: q.Get("accountable_from"), AccountableTo: q.Get("accountable_to"), OnTime: q.Get("on_time") == "true"}
}

// TestFiguresFromCountersMatchRegister: random inserts and procedure
// writes through the store — acceptance (decided or deemed), decisions of
// every outcome, terminations before and after acceptance, refusals,
// suspensions, lawsuits after a decision, moved deadlines, a changed
// respondent unit, reopened cases — leave no drift in the counters
// (Tally.Verify), and every figure equals the register's total under the
// filter of its link (and of its numerator link), for any period, unit
// subtree and reader's scope.
func TestFiguresFromCountersMatchRegister(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		today := calendar.NewDate(2026, 11, 20)
		now := time.Date(2026, 11, 20, 10, 0, 0, 0, calendar.Shanghai)
		day := func(rt *rapid.T, label string) string {
			return today.AddDays(rapid.IntRange(-400, 90).Draw(rt, label)).String()
		}
		pick := func(rt *rapid.T, label string, from []Option) string {
			return rapid.SampledFrom(from).Draw(rt, label).Value
		}
		rapid.Check(t, func(rt *rapid.T) {
			for _, q := range []string{"DELETE FROM reconsideration_events", "DELETE FROM reconsideration_cases", "DELETE FROM metric_counts"} {
				if _, err := d.Exec(ctx, q); err != nil {
					rt.Fatal(err)
				}
			}
			var ids []int64
			for i := range rapid.IntRange(1, 25).Draw(rt, "writes") {
				err := d.WithTx(ctx, func(tx *db.Tx) error {
					if len(ids) == 0 || rapid.IntRange(0, 3).Draw(rt, "op") == 0 {
						c := &Case{ApplicantName: "甲", ApplicantType: "person", UnitID: int64(rapid.IntRange(2, 4).Draw(rt, "unit")), Act: "行为",
							Category: "penalty", Channel: "window", ReceivedOn: day(rt, "received"), Status: StatusReceived}
						c.AcceptDue, c.DueOn = c.ReceivedOn, c.ReceivedOn
						id, err := f.s.st.insert(ctx, tx, c, fmt.Sprint("tmp", i), now)
						ids = append(ids, id)
						return err
					}
					c, err := f.s.st.get(ctx, tx, rapid.SampledFrom(ids).Draw(rt, "id"))
					if err != nil {
						return err
					}
					accept := func() {
						c.AcceptKind = rapid.SampledFrom([]string{"accepted", "deemed"}).Draw(rt, "kind")
						c.AcceptedOn, c.DecideDue = day(rt, "accepted"), day(rt, "decide due")
					}
					switch rapid.IntRange(0, 7).Draw(rt, "edit") {
					case 0: // accepted, the decision clock running (or paused)
						accept()
						c.Status = rapid.SampledFrom([]Status{StatusAccepted, StatusReplying, StatusReviewing, StatusSuspended}).Draw(rt, "open")
						c.Outcome, c.Termination, c.ConcludedOn = "", "", ""
					case 1: // decided with any outcome, maybe published
						if c.AcceptKind == "" {
							accept()
						}
						c.Status = rapid.SampledFrom([]Status{StatusDecided, StatusPublished}).Draw(rt, "decided")
						c.Outcome, c.Termination, c.ConcludedOn = pick(rt, "outcome", Outcomes), "", day(rt, "decided on")
					case 2: // terminated, before or after acceptance
						if rapid.Bool().Draw(rt, "after acceptance") {
							accept()
						} else {
							c.AcceptKind, c.AcceptedOn, c.DecideDue = "", "", ""
						}
						c.Status, c.Outcome, c.Termination, c.ConcludedOn = StatusTerminated, "", pick(rt, "termination", Terminations), day(rt, "ended")
					case 3: // not accepted
						c.Status, c.AcceptKind, c.AcceptedOn, c.DecideDue = StatusNotAccepted, "", "", ""
						c.Outcome, c.Termination, c.ConcludedOn = "", "", day(rt, "refused")
					case 4: // the applicant sues (or the entry is withdrawn)
						c.Sued = !c.Sued
					case 5: // deadline moved (resumed, extended)
						if c.DecideDue != "" {
							c.DecideDue = day(rt, "new due")
						}
					case 6: // another respondent unit
						c.UnitID = int64(rapid.IntRange(2, 4).Draw(rt, "to unit"))
					default: // a change that counts nowhere
						c.HearingNote = "听证"
					}
					ok, err := f.s.st.save(ctx, tx, c, c.Version, now)
					if err == nil && !ok {
						err = fmt.Errorf("case %d: version %d not saved", c.ID, c.Version)
					}
					return err
				})
				if err != nil {
					rt.Fatal(err)
				}
			}
			if drift, n, err := FigureTally.Verify(ctx, d, 10); err != nil || n != 0 {
				rt.Fatalf("drift: %d %v %v", n, drift, err)
			}
			who := rapid.SampledFrom([]int64{handler, clerk, outsider}).Draw(rt, "actor")
			q := metric.Query{UnitID: int64(rapid.IntRange(0, 4).Draw(rt, "subtree")), From: day(rt, "from"), To: day(rt, "to")}
			if q.To < q.From {
				q.From, q.To = q.To, q.From
			}
			rctx := f.as(who, today.String())
			figs, err := f.s.Figures(rctx, q)
			if err != nil {
				rt.Fatal(err)
			}
			if len(figs) != 6 {
				rt.Fatalf("%d figures", len(figs))
			}
			live := func(link string) int {
				page, err := f.s.List(rctx, filterOf(rt, link), db.ListReq{Size: 1})
				if err != nil {
					rt.Fatal(err)
				}
				return page.Total
			}
			for _, fg := range figs {
				if fg.NumeratorLink == "" {
					if n := live(fg.Link); n != fg.Numerator {
						rt.Fatalf("actor %d %+v: %s = %d, register %d (%s)", who, q, fg.Code, fg.Numerator, n, fg.Link)
					}
					continue
				}
				if n := live(fg.Link); n != fg.Denominator {
					rt.Fatalf("actor %d %+v: %s denominator %d, register %d (%s)", who, q, fg.Code, fg.Denominator, n, fg.Link)
				}
				if n := live(fg.NumeratorLink); n != fg.Numerator {
					rt.Fatalf("actor %d %+v: %s numerator %d, register %d (%s)", who, q, fg.Code, fg.Numerator, n, fg.NumeratorLink)
				}
			}
		})
	})
}
