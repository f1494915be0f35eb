package legalreview

import (
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/docx"
)

// 重大执法决定法制审核 is opened by the enforcement module from a case: a
// user's own request of that kind, or one without the case, is refused
// naming the kind; opened with the case it has no 7-working-day minimum
// (concluded the same day without an urgent reason), its outcome is read
// by the case, and its letter cites 行政处罚法 art. 58.
func TestEnforcementKindOpenedFromACase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := f.as(t, "clerk_zjj")
		unit := f.units["QH109000"]
		in := OpenInput{Kind: string(KindEnforcement), Title: "对某建筑公司罚款50万元", UnitID: unit}
		_, err := f.svc.Submit(ctx, in, nil)
		if e := wantCode(t, err, apperr.Invalid); !strings.Contains(hasField(e, "kind"), "执法案件页面") {
			t.Fatalf("user request of the enforcement kind: %v", err)
		}
		_, err = f.svc.Open(ctx, in)
		if e := wantCode(t, err, apperr.Invalid); hasField(e, "kind") == "" {
			t.Fatalf("enforcement kind without its case: %v", err)
		}
		in.SubjectType, in.SubjectID = EnforcementSubject, 42
		_, err = f.svc.Submit(ctx, in, nil)
		wantCode(t, err, apperr.Invalid)

		r, err := f.svc.Open(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Kind != KindEnforcement || r.KindLabel != "重大执法决定" || r.MinOn != r.SubmittedOn {
			t.Fatalf("opened: kind %s %s, min %s submitted %s", r.Kind, r.KindLabel, r.MinOn, r.SubmittedOn)
		}
		if _, err := f.svc.Open(ctx, in); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second review of the same case while one runs: %v", err)
		}
		if o, err := f.svc.Outcome(ctx, EnforcementSubject, 42); err != nil || o.Status != OutcomePending || o.ReviewID != r.ID {
			t.Fatalf("pending outcome: %+v %v", o, err)
		}
		f.pass(t, r.ID)
		got, err := f.svc.Conclude(f.as(t, "sifaju"), r.ID, ConcludeInput{Conclusion: "passed", Summary: "审核通过", Version: f.ver(t, r.ID)})
		if err != nil || got.Early {
			t.Fatalf("same-day conclusion without an urgent reason: %+v %v", got, err)
		}
		if o, err := f.svc.Outcome(ctx, EnforcementSubject, 42); err != nil || !o.Passed() {
			t.Fatalf("passed outcome: %+v %v", o, err)
		}
		if o, _ := f.svc.Outcome(ctx, EnforcementSubject, 43); o.Status != OutcomeNone {
			t.Fatalf("another case's outcome: %+v", o)
		}
		letter, err := renderLetter(got, "区司法局", nil)
		if err != nil {
			t.Fatalf("letter: %v", err)
		}
		if text, _ := docx.Text(letter); !strings.Contains(text, "行政处罚法》第五十八条") || !strings.Contains(text, "重大执法决定") {
			t.Fatalf("letter of an enforcement review: %s", text)
		}
	})
}
