package legalreview

import (
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestParticipationsOf lists the reviews an adviser held a task in, with
// the step, the day they acted and their opinion; another adviser's
// reviews and the reviews they had no task in are not listed.
func TestParticipationsOf(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		a := f.open(t, OpenInput{Title: "参与审查甲", Summary: "甲"})
		f.pass(t, a.ID)
		b := f.open(t, OpenInput{Title: "参与审查乙", Summary: "乙"})
		f.act(t, "sifaju2", b.ID, ActInput{Action: "approve", Opinion: "初审同意"})
		got, err := f.svc.ParticipationsOf(f.as(t, "sifaju"), f.ids["counsel_zhao"], 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ReviewID != b.ID || got[1].ReviewID != a.ID {
			t.Fatalf("participations: %+v", got)
		}
		if got[1].Step != "法律顾问、公职律师意见" || got[1].Opinion != "同意" || got[1].ActedOn == "" || got[0].ActedOn != "" {
			t.Fatalf("acted: %+v", got)
		}
		none, err := f.svc.ParticipationsOf(f.as(t, "sifaju"), f.ids["clerk_zjj"], 50)
		if err != nil || len(none) != 0 {
			t.Fatalf("requester is no participant: %+v %v", none, err)
		}
	})
}
