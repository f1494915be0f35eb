package app

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/finding"
	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/reconsideration"
	"fazhi/internal/todo"
)

// A correcting reconsideration decision raises a finding for the respondent
// unit through the findings engine, in the decision's transaction; the
// respondent's clerk reads the case with personal data masked and has the
// reply on the to-do list; the figures reach the registry.
func TestReconsiderationCorrectionRaisesFinding(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := demoApp(t, dsn)
		people := demoPeople{a.Org}
		sup, err := people.Actor(ctx, "sifaju")
		if err != nil {
			t.Fatal(err)
		}
		clerk, err := people.Actor(ctx, "clerk_sj")
		if err != nil {
			t.Fatal(err)
		}
		asSup, asClerk := auth.With(ctx, sup), auth.With(ctx, clerk)
		svc, today := a.Reconsideration(), rcToday()
		c, err := svc.Create(asSup, reconsideration.ApplicationInput{ApplicantName: "纠错测试申请人", ApplicantIDNumber: "110101199003071234",
			ApplicantPhone: "13800138000", UnitID: clerk.UnitID, Act: "纠错测试行政处罚决定", Category: "penalty", Channel: "window", ReceivedOn: today})
		if err != nil {
			t.Fatal(err)
		}
		step := func(action string, in reconsideration.StepInput) {
			t.Helper()
			in.Version, in.Date = c.Version, today
			if c, err = svc.Step(asSup, c.ID, action, in); err != nil {
				t.Fatalf("%s: %v", action, err)
			}
		}
		step("accept", reconsideration.StepInput{})
		step("send_copy", reconsideration.StepInput{})
		// The respondent's clerk: masked personal data, the reply to do.
		got, err := svc.Get(asClerk, c.ID)
		if err != nil || !got.Masked || got.ApplicantPhone == "13800138000" {
			t.Fatalf("clerk reads %+v, %v", got, err)
		}
		items, err := a.Todo.List(asClerk, todo.Filter{Module: "reconsideration", Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range items.Items {
			found = found || (it.Number == c.Code && strings.Contains(it.Action, "答复"))
		}
		if !found {
			t.Fatalf("respondent's to-do lacks the reply: %+v", items.Items)
		}
		step("reply", reconsideration.StepInput{})
		step("decide", reconsideration.StepInput{Outcome: "confirm_illegal", DecisionNo: "纠错测试复决1号", Reason: "程序违法"})
		if c.FindingID == 0 {
			t.Fatal("no finding raised")
		}
		f, err := a.Engines().Findings.Get(asSup, c.FindingID)
		if err != nil {
			t.Fatal(err)
		}
		if f.Source != string(finding.SourceReconsideration) || f.UnitID != clerk.UnitID || f.SourceRef != "纠错测试复决1号" || f.Status != string(finding.StatusOpen) {
			t.Fatalf("finding: %+v", f.Finding)
		}
		figs, err := a.Metrics.Figures(asSup, metric.Query{From: today, To: today})
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string]metric.Figure{}
		for _, f := range figs {
			byCode[f.Code] = f
		}
		if byCode[reconsideration.FigureCorrection].Numerator < 1 || byCode[reconsideration.FigureReceived].Numerator < 1 {
			t.Fatalf("figures: %+v", byCode)
		}
		if drift, _, err := reconsideration.FigureTally.Verify(ctx, a.DB, 10); err != nil || len(drift) > 0 {
			t.Fatalf("counter drift %v %v", drift, err)
		}
		var n int
		if err := a.DB.QueryRow(ctx, "SELECT COUNT(*) FROM findings WHERE source = 'reconsideration_correction' AND source_ref = ?", "纠错测试复决1号").Scan(&n); err != nil || n != 1 {
			t.Fatalf("findings %d %v", n, err)
		}

		// An application nobody decided on in its five working days is
		// deemed accepted by the nightly job, the day after the period.
		recv := calendar.MustDate(today).AddDays(-20).String()
		late, err := svc.Create(asSup, reconsideration.ApplicationInput{ApplicantName: "视为受理测试申请人", UnitID: clerk.UnitID,
			Act: "视为受理测试行政处罚决定", Category: "penalty", Channel: "mail", ReceivedOn: recv})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.Exec(ctx, "UPDATE jobs SET run_at = 0 WHERE kind = 'reconsideration.nightly' AND status = 'pending'"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Engines().Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		got, err = svc.Get(asSup, late.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := calendar.MustDate(late.AcceptDue).AddDays(1).String(); got.AcceptKind != "deemed" || got.AcceptedOn != want {
			t.Fatalf("nightly job: %s %s %s, want deemed on %s", got.Status, got.AcceptKind, got.AcceptedOn, want)
		}
	})
}
