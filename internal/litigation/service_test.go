package litigation

import (
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestDefenceClock: the defence statement and evidence are due 15 days
// after the copy is received (rule litigation.defence, 《行政诉讼法》第六十七条),
// counted by days; a last day on a holiday or weekend moves to the next
// working day, one on a make-up working day stays (2026: Spring Festival
// 2/15–2/23 off, Saturdays 2/14 and 2/28 worked).
func TestDefenceClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		for _, k := range []struct{ received, due, why string }{
			{"2026-02-04", "2026-02-24", "day 15 (2/19) is in the Spring Festival holiday: the first working day after it"},
			{"2026-01-31", "2026-02-24", "day 15 (2/15) is the holiday's first day"},
			{"2026-01-30", "2026-02-14", "day 15 is Saturday 2/14, a make-up working day: it stays"},
			{"2026-02-13", "2026-02-28", "day 15 is Saturday 2/28, a make-up working day"},
			{"2026-01-23", "2026-02-09", "day 15 is an ordinary Saturday (2/7): Monday"},
			{"2026-03-02", "2026-03-17", "no holiday: 15 days"},
		} {
			c := f.create(t, lawsuit(k.received))
			if c.DefenceDue != k.due {
				t.Errorf("received %s: due %s, want %s (%s)", k.received, c.DefenceDue, k.due, k.why)
			}
			if c.DefenceRule == "" {
				t.Errorf("received %s: no explanation of the defence deadline", k.received)
			}
		}
	})
}

// TestGates: every gate is enforced by the service with a Chinese message
// naming the step or the field, and a refused step writes nothing.
func TestGates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		events := func(id int64) int {
			var n int
			if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM litigation_events WHERE case_id = ?", id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		refused := func(c *Detail, action, day string, in StepInput, code apperr.Code, substr ...string) {
			t.Helper()
			before := events(c.ID)
			wantErr(t, f.try(c, action, day, in), code, substr...)
			if events(c.ID) != before {
				t.Fatalf("%s: a refused step wrote", action)
			}
		}
		// Intake: required fields named, a future receipt refused, NUL bytes,
		// a year-0 date, another unit outside the clerk's scope.
		_, err := f.s.Create(f.as(handler, "2026-03-02"), CaseInput{})
		wantErr(t, err, apperr.Invalid, "court:请填写受理法院", "plaintiff_name:请填写原告", "unit_id:请选择被告", "act:请填写被诉行政行为", "instance:", "received_on:")
		in := lawsuit("2026-03-03")
		_, err = f.s.Create(f.as(handler, "2026-03-02"), in)
		wantErr(t, err, apperr.Invalid, "received_on:")
		in = lawsuit("0000-01-01")
		_, err = f.s.Create(f.as(handler, "2026-03-02"), in)
		wantErr(t, err, apperr.Invalid, "received_on:")
		in = lawsuit("2026-03-02")
		in.Act = "罚款\x00"
		_, err = f.s.Create(f.as(handler, "2026-03-02"), in)
		wantErr(t, err, apperr.Invalid, "act:被诉行政行为含有无效字符")
		in = lawsuit("2026-03-02")
		in.UnitID = 4
		_, err = f.s.Create(f.as(clerk, "2026-03-02"), in)
		wantErr(t, err, apperr.NotFound, "不在您的数据权限范围内")
		_, err = f.s.Create(f.as(reader, "2026-03-02"), lawsuit("2026-03-02"))
		wantErr(t, err, apperr.Forbidden)

		c := f.create(t, lawsuit("2026-03-02")) // due 3/17
		// Another unit's clerk does not find it; a reader may not step.
		_, err = f.s.Get(f.as(outsider, "2026-03-03"), c.ID)
		wantErr(t, err, apperr.NotFound)
		_, err = f.s.Step(f.as(outsider, "2026-03-03"), c.ID, ActDefence, StepInput{Version: c.Version, Date: "2026-03-03"})
		wantErr(t, err, apperr.NotFound)
		// Dates: before the receipt, in the future, missing.
		refused(c, ActDefence, "2026-03-01", StepInput{}, apperr.Invalid, "date:办理日期不能早于 2026-03-02")
		before := events(c.ID)
		_, err = f.s.Step(f.as(handler, "2026-03-03"), c.ID, ActDefence, StepInput{Version: c.Version, Date: "2026-03-04"})
		wantErr(t, err, apperr.Invalid, "date:")
		if events(c.ID) != before {
			t.Fatal("a future-dated step wrote")
		}
		refused(c, ActDefence, "", StepInput{}, apperr.Invalid, "date:")
		// No outcome before a hearing, except a withdrawal.
		refused(c, ActOutcome, "2026-03-05", StepInput{Outcome: "won"}, apperr.Precondition, "登记裁判结果", "尚未登记已开庭的庭审")
		// No hearing before the receipt, no appearance recorded for a future day.
		_, err = f.s.AddHearing(f.as(handler, "2026-03-05"), c.ID, HearingInput{Version: c.Version, HeldOn: "2026-03-01", Appearance: "head", Attendee: "王局长"})
		wantErr(t, err, apperr.Invalid, "held_on:")
		_, err = f.s.AddHearing(f.as(handler, "2026-03-05"), c.ID, HearingInput{Version: c.Version, HeldOn: "2026-03-06", Appearance: "head", Attendee: "王局长"})
		wantErr(t, err, apperr.Invalid, "held_on:")
		// The head or deputy appearing must be named; an unknown appearance refused.
		_, err = f.s.AddHearing(f.as(handler, "2026-03-05"), c.ID, HearingInput{Version: c.Version, HeldOn: "2026-03-05", Appearance: "deputy"})
		wantErr(t, err, apperr.Invalid, "attendee:")
		_, err = f.s.AddHearing(f.as(handler, "2026-03-05"), c.ID, HearingInput{Version: c.Version, HeldOn: "2026-03-05", Appearance: "mayor"})
		wantErr(t, err, apperr.Invalid, "appearance:")
		if events(c.ID) != before {
			t.Fatal("a refused hearing wrote")
		}
		// A scheduled hearing does not allow an outcome; recording it on its day does.
		c, err = f.s.AddHearing(f.as(handler, "2026-03-05"), c.ID, HearingInput{Version: c.Version, HeldOn: "2026-04-10"})
		if err != nil {
			t.Fatal(err)
		}
		refused(c, ActOutcome, "2026-03-06", StepInput{Outcome: "won"}, apperr.Precondition, "尚未登记已开庭的庭审")
		_, err = f.s.RecordHearing(f.as(handler, "2026-04-09"), c.ID, c.Hearings[0].ID, HearingInput{Version: c.Version, HeldOn: "2026-04-10", Appearance: "staff"})
		wantErr(t, err, apperr.Invalid, "held_on:")
		c, err = f.s.RecordHearing(f.as(handler, "2026-04-10"), c.ID, c.Hearings[0].ID, HearingInput{Version: c.Version, HeldOn: "2026-04-10", Appearance: "staff"})
		if err != nil {
			t.Fatal(err)
		}
		// Stale version: the one conflict wording.
		_, err = f.s.Step(f.as(handler, "2026-04-11"), c.ID, ActDefence, StepInput{Version: c.Version - 1, Date: "2026-04-11"})
		wantErr(t, err, apperr.Conflict)
		// Judgement not before the hearing; an invalid outcome named.
		refused(c, ActOutcome, "2026-04-09", StepInput{Outcome: "won"}, apperr.Precondition, "不能早于最近一次开庭日期 2026-04-10")
		refused(c, ActOutcome, "2026-04-20", StepInput{Outcome: "victory"}, apperr.Invalid, "outcome:请选择裁判结果")
		// Suggestion reply before a suggestion; review without a loss.
		refused(c, ActSuggestionReply, "2026-04-20", StepInput{Text: "已整改"}, apperr.Precondition, "尚未登记司法建议")
		refused(c, ActReview, "2026-04-20", StepInput{Text: "结论", By: "某"}, apperr.Precondition, "只有败诉或部分败诉")
		c = f.step(t, c, ActOutcome, "2026-04-20", StepInput{Outcome: "won"})
		// Concluded: no second outcome, no defence, no hearing, no edit.
		refused(c, ActOutcome, "2026-04-21", StepInput{Outcome: "lost"}, apperr.Precondition, "案件已结案")
		refused(c, ActDefence, "2026-04-21", StepInput{}, apperr.Precondition, "案件已结案")
		_, err = f.s.AddHearing(f.as(handler, "2026-04-21"), c.ID, HearingInput{Version: c.Version, HeldOn: "2026-04-21", Appearance: "head", Attendee: "王局长"})
		wantErr(t, err, apperr.Precondition, "案件已结案")
		up := UpdateInput{CaseInput: lawsuit("2026-03-02"), Version: c.Version}
		_, err = f.s.Update(f.as(handler, "2026-04-21"), c.ID, up)
		wantErr(t, err, apperr.Precondition, "已结案")
		// A suggestion after the judgement, its reply not before it, not twice.
		c = f.step(t, c, ActSuggestion, "2026-04-25", StepInput{Text: "建议规范执法"})
		refused(c, ActSuggestionReply, "2026-04-24", StepInput{Text: "已整改"}, apperr.Precondition, "回复日期不能早于收到司法建议日期 2026-04-25")
		refused(c, ActSuggestion, "2026-04-26", StepInput{Text: "再建议"}, apperr.Precondition, "已于 2026-04-25 登记司法建议")

		// A withdrawal needs no hearing.
		w := f.create(t, lawsuit("2026-03-02"))
		w = f.step(t, w, ActOutcome, "2026-03-10", StepInput{Outcome: "withdrawn"})
		if w.Status != StatusConcluded || w.OutcomeLabel != "原告撤诉" {
			t.Fatalf("withdrawal: %s %s", w.Status, w.OutcomeLabel)
		}
	})
}

// TestHeadInCourtRate: four hearings where the head, a deputy in charge, a
// staff member and only a lawyer appeared give 50 % (only the first two
// count), by hearing; a scheduled hearing not yet held counts nowhere.
func TestHeadInCourtRate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		a := f.create(t, lawsuit("2026-03-02"))
		a = f.hearing(t, a, "2026-04-01", "head", "王局长")
		a = f.hearing(t, a, "2026-04-15", "deputy", "李副局长（分管）")
		b := f.create(t, lawsuit("2026-03-09"))
		b = f.hearing(t, b, "2026-04-20", "staff", "")
		b = f.hearing(t, b, "2026-05-06", "lawyer", "")
		if _, err := f.s.AddHearing(f.as(handler, "2026-05-06"), b.ID, HearingInput{Version: b.Version, HeldOn: "2026-06-01"}); err != nil {
			t.Fatal(err)
		}
		figs, err := f.s.Figures(f.as(handler, "2026-06-30"), metric.Query{From: "2026-01-01", To: "2026-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		rate := figure(t, figs, FigureHeadInCourt)
		if rate.NoData || rate.Value != 50 || rate.Numerator != 2 || rate.Denominator != 4 {
			t.Fatalf("head-in-court rate %+v, want 2/4 = 50%%", rate)
		}
		// The records behind it: the hearing list with the same filters.
		p, err := f.s.ListHearings(f.as(handler, "2026-06-30"), HearingFilter{From: "2026-01-01", To: "2026-06-30"}, db.ListReq{})
		if err != nil {
			t.Fatal(err)
		}
		hp, err := f.s.ListHearings(f.as(handler, "2026-06-30"), HearingFilter{From: "2026-01-01", To: "2026-06-30", HeadCounted: true}, db.ListReq{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 4 || hp.Total != 2 {
			t.Fatalf("hearing lists %d/%d, want 4/2", p.Total, hp.Total)
		}
		for _, h := range hp.Items {
			if h.Appearance != "head" && h.Appearance != "deputy" {
				t.Fatalf("head-counted list holds %s", h.Appearance)
			}
		}
		// Another unit's clerk sees none of them, and no figure.
		figs, err = f.s.Figures(f.as(outsider, "2026-06-30"), metric.Query{From: "2026-01-01", To: "2026-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		if r := figure(t, figs, FigureHeadInCourt); !r.NoData {
			t.Fatalf("outsider sees head-in-court %+v", r)
		}
	})
}

func figure(t *testing.T, figs []metric.Figure, code string) metric.Figure {
	t.Helper()
	for _, f := range figs {
		if f.Code == code {
			return f
		}
	}
	t.Fatalf("no figure %s", code)
	return metric.Figure{}
}

// TestLostCaseFindingAndReview: a lost (or partly lost) lawsuit raises one
// finding for the defendant unit and opens a review of the act with its
// due date from rule litigation.act_review; the review stays a to-do item
// until concluded. A won lawsuit raises nothing.
func TestLostCaseFindingAndReview(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		won := f.create(t, lawsuit("2026-03-02"))
		won = f.hearing(t, won, "2026-04-01", "head", "王局长")
		f.step(t, won, ActOutcome, "2026-04-20", StepInput{Outcome: "won"})
		if len(f.led.raised) != 0 {
			t.Fatalf("a won lawsuit raised %d findings", len(f.led.raised))
		}
		c := f.create(t, lawsuit("2026-03-02"))
		c = f.hearing(t, c, "2026-04-01", "deputy", "李副局长")
		c = f.step(t, c, ActOutcome, "2026-04-20", StepInput{Outcome: "lost", JudgementNo: "（2026）示0102行初12号", Text: "主要证据不足"})
		if len(f.led.raised) != 1 {
			t.Fatalf("raised %d findings, want 1", len(f.led.raised))
		}
		p := f.led.raised[0]
		if p.UnitID != 3 || p.FoundOn != "2026-04-20" || p.SourceRef != "（2026）示0102行初12号" || c.FindingID != 901 {
			t.Fatalf("finding %+v (lawsuit finding %d)", p, c.FindingID)
		}
		if c.ReviewDue != "2026-05-20" {
			t.Fatalf("review due %s, want 2026-05-20 (30 days)", c.ReviewDue)
		}
		// Raised once: a second outcome is refused and raises nothing.
		if err := f.try(c, ActOutcome, "2026-04-21", StepInput{Outcome: "partly_lost"}); err == nil {
			t.Fatal("a second outcome was taken")
		}
		if len(f.led.raised) != 1 {
			t.Fatalf("raised %d findings after a second outcome, want 1", len(f.led.raised))
		}
		items, err := f.s.Todo(f.as(handler, "2026-05-21"), f.sim.Now())
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range items {
			if it.Action == "复查败诉案件的被诉行政行为" && it.Number == c.Code {
				found = it.Overdue && it.Due == "2026-05-20"
			}
		}
		if !found {
			t.Fatalf("no overdue review item in %+v", items)
		}
		wantErr(t, f.try(c, ActReview, "2026-05-21", StepInput{Text: "已复查"}), apperr.Invalid, "by:请填写复查人")
		c = f.step(t, c, ActReview, "2026-05-21", StepInput{Text: "调查取证不充分，责成重新调查", By: "应诉科张三"})
		items, _ = f.s.Todo(f.as(handler, "2026-05-21"), f.sim.Now())
		for _, it := range items {
			if it.Number == c.Code {
				t.Fatalf("concluded review still listed: %+v", it)
			}
		}
		figs, err := f.s.Figures(f.as(handler, "2026-06-30"), metric.Query{From: "2026-01-01", To: "2026-06-30"})
		if err != nil {
			t.Fatal(err)
		}
		if r := figure(t, figs, FigureLossRate); r.Numerator != 1 || r.Denominator != 2 || r.Value != 50 {
			t.Fatalf("loss rate %+v, want 1/2", r)
		}
	})
}

func hasRisk(c *Detail, rule string) bool {
	for _, r := range c.Risks {
		if r.Rule == rule {
			return true
		}
	}
	return false
}

// TestRiskRules: each loss-risk rule flags a lawsuit that meets it and not
// one that does not, on the page, the list filter agrees, and the linked
// reconsideration case records the lawsuit.
func TestRiskRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		f.rc.cases[1] = &ReconCase{ID: 1, Code: "FY2026-00001", Decided: true, Corrected: true, Outcome: "撤销", ConcludedOn: "2026-02-20"}
		f.rc.cases[2] = &ReconCase{ID: 2, Code: "FY2026-00002", Decided: true, Outcome: "维持", ConcludedOn: "2026-02-20"}
		f.rc.cases[3] = &ReconCase{ID: 3, Code: "FY2026-00003", Outcome: "", ConcludedOn: ""}
		f.rc.unit[1], f.rc.unit[2], f.rc.unit[3] = 3, 3, 4
		f.ef.cases[7] = &EnforcementCase{ID: 7, Code: "ZF-7", Date: "2026-01-10", LapsedOfficer: []string{"赵六（证号 X1）"}}
		f.ef.cases[8] = &EnforcementCase{ID: 8, Code: "ZF-8", Date: "2026-01-10", OpenHits: []string{"未经法制审核作出重大执法决定"}}
		f.ef.cases[9] = &EnforcementCase{ID: 9, Code: "ZF-9", Date: "2026-01-10"}

		mk := func(recon, enf int64) *Detail {
			in := lawsuit("2026-03-02")
			in.ReconCaseID, in.EnforcementCaseID = recon, enf
			return f.create(t, in)
		}
		corrected, upheld := mk(1, 0), mk(2, 0)
		if !hasRisk(corrected, RiskRecon) || hasRisk(upheld, RiskRecon) {
			t.Fatalf("recon rule: corrected %v, upheld %v", corrected.Risks, upheld.Risks)
		}
		if corrected.ReconCode != "FY2026-00001" || len(f.rc.sued) != 2 || !f.rc.cases[1].Sued {
			t.Fatalf("link back: code %q, sued %v", corrected.ReconCode, f.rc.sued)
		}
		// An undecided case, or one the clerk cannot see, is refused.
		in := lawsuit("2026-03-02")
		in.ReconCaseID = 3
		_, err := f.s.Create(f.as(handler, "2026-03-02"), in)
		wantErr(t, err, apperr.Invalid, "recon_case_id:", "尚未作出复议决定")
		in.ReconCaseID = 99
		_, err = f.s.Create(f.as(handler, "2026-03-02"), in)
		wantErr(t, err, apperr.Invalid, "recon_case_id:", "不存在")
		f.rc.cases[5] = &ReconCase{ID: 5, Code: "FY2026-00005", Decided: true, ConcludedOn: "2026-02-01"}
		f.rc.unit[5] = 4
		in.ReconCaseID = 5
		_, err = f.s.Create(f.as(clerk, "2026-03-02"), in)
		wantErr(t, err, apperr.Invalid, "recon_case_id:", "不在您的数据权限范围内")
		if f.rc.cases[5].Sued {
			t.Fatal("a refused registration marked the reconsideration case")
		}

		lapsed, hit, clean := mk(0, 7), mk(0, 8), mk(0, 9)
		if !hasRisk(lapsed, RiskCert) || hasRisk(clean, RiskCert) || hasRisk(hit, RiskCert) {
			t.Fatalf("cert rule: lapsed %v, clean %v", lapsed.Risks, clean.Risks)
		}
		if !hasRisk(hit, RiskRuleHit) || hasRisk(clean, RiskRuleHit) || hasRisk(lapsed, RiskRuleHit) {
			t.Fatalf("hit rule: hit %v, clean %v", hit.Risks, clean.Risks)
		}
		if len(clean.Risks) != 0 {
			t.Fatalf("clean lawsuit flagged: %v", clean.Risks)
		}
		// The hit is corrected in the enforcement register: recheck clears it.
		f.ef.cases[8].OpenHits = nil
		hit = f.step(t, hit, ActRecheck, "", StepInput{})
		if hasRisk(hit, RiskRuleHit) {
			t.Fatalf("recheck kept %v", hit.Risks)
		}
		f.ef.cases[10] = &EnforcementCase{ID: 10, Code: "ZF-10", Date: "2026-01-10", OpenHits: []string{"超过办案期限"}}
		mk(0, 10)

		// Defence late: submitted after the deadline (3/17), or missing once it passed.
		onTime := f.step(t, f.step(t, clean, ActDefence, "2026-03-10", StepInput{}), ActEvidence, "2026-03-17", StepInput{})
		lateEv := f.step(t, f.step(t, lapsed, ActDefence, "2026-03-10", StepInput{}), ActEvidence, "2026-03-18", StepInput{})
		if hasRisk(onTime, RiskLate) || !hasRisk(lateEv, RiskLate) || !lateEv.DefenceLate {
			t.Fatalf("late rule: on time %v, late %v", onTime.Risks, lateEv.Risks)
		}
		missing, err := f.s.Get(f.as(handler, "2026-03-18"), upheld.ID)
		if err != nil {
			t.Fatal(err)
		}
		notYet, _ := f.s.Get(f.as(handler, "2026-03-17"), upheld.ID)
		if !hasRisk(missing, RiskLate) || hasRisk(notYet, RiskLate) {
			t.Fatalf("missing defence: day after %v, on the due day %v", missing.Risks, notYet.Risks)
		}
		// The list filter agrees with the page for every rule.
		all, err := f.s.List(f.as(handler, "2026-03-18"), Filter{}, db.ListReq{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, rule := range []string{RiskRecon, RiskLate, RiskCert, RiskRuleHit, "any"} {
			p, err := f.s.List(f.as(handler, "2026-03-18"), Filter{Risk: rule}, db.ListReq{Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]bool{}
			for _, c := range all.Items {
				for _, r := range c.Risks {
					if r.Rule == rule || rule == "any" {
						want[c.ID] = true
					}
				}
			}
			if len(p.Items) != len(want) || len(want) == 0 {
				t.Fatalf("risk %s: list %d, page flags %d", rule, len(p.Items), len(want))
			}
			for _, c := range p.Items {
				if !want[c.ID] {
					t.Fatalf("risk %s: list holds %s", rule, c.Code)
				}
			}
		}
		_, err = f.s.List(f.as(handler, "2026-03-18"), Filter{Risk: "bogus"}, db.ListReq{})
		wantErr(t, err, apperr.Invalid, "risk:")
	})
}

// TestMasking: the plaintiff's personal data is shown in full to those who
// handle the unit's lawsuits and masked for readers.
func TestMasking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := f.create(t, lawsuit("2026-03-02"))
		full, err := f.s.Get(f.as(clerk, "2026-03-03"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		masked, err := f.s.Get(f.as(reader, "2026-03-03"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if full.Masked || full.PlaintiffPhone != "13800138000" || full.PlaintiffIDNumber != "110101199003071234" {
			t.Fatalf("handler view masked: %+v", full.Case)
		}
		if !masked.Masked || masked.PlaintiffPhone == "13800138000" || masked.PlaintiffIDNumber == "110101199003071234" ||
			masked.PlaintiffName == "张三" || len(masked.Steps) != 0 {
			t.Fatalf("reader view not masked: %+v", masked.Case)
		}
		p, err := f.s.List(f.as(reader, "2026-03-03"), Filter{}, db.ListReq{})
		if err != nil || len(p.Items) != 1 || p.Items[0].PlaintiffPhone == "13800138000" {
			t.Fatalf("reader list not masked: %v %+v", err, p.Items)
		}
	})
}
