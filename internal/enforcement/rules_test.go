package enforcement

import (
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// ruleCase runs one rule on a case built from the clean penalty.
func ruleHits(t *testing.T, rule string, c *Case, reviewPassed bool) (bool, string) {
	t.Helper()
	r, ok := ruleByName(rule)
	if !ok {
		t.Fatalf("no rule %s", rule)
	}
	e := &evaluator{cal: calendar.Default(), rules: calendar.DefaultRegistry(), opt: Options{}}
	e.opt.normalize()
	hit, detail, err := r.check(e, &facts{c: c, today: calendar.Today(testToday), reviewPassed: reviewPassed})
	if err != nil {
		t.Fatal(err)
	}
	return hit, detail
}

// cleanCase is a decided, disclosed general-procedure penalty that breaks
// no rule.
func cleanCase() *Case {
	return &Case{Kind: "penalty", PartyType: "person", Procedure: "general", AmountFen: 5_000_00, FiledOn: "2026-03-02",
		PriorNoticeOn: "2026-03-20", DecidedOn: "2026-04-01", DisclosedOn: "2026-04-03",
		Officers: []CaseOfficer{{ID: 1, Name: "张明", CertNo: "A1", ValidOnFiling: true}, {ID: 2, Name: "李华", CertNo: "A2", ValidOnFiling: true}}}
}

func TestCleanCaseBreaksNoRule(t *testing.T) {
	for _, r := range Rules {
		if hit, d := ruleHits(t, r.Name, cleanCase(), false); hit {
			t.Errorf("%s flags the clean case: %s", r.Name, d)
		}
	}
}

// One flagged and one not flagged case per rule (the clean case above is a
// second "not flagged" for every rule).
func TestRules(t *testing.T) {
	for _, tc := range []struct {
		rule   string
		name   string
		set    func(c *Case)
		review bool
		want   bool
	}{
		// 90 days from 2026-01-05 is 2026-04-05, a Sunday in the 清明 break
		// (4–6 April 2026): the deadline moves to Tuesday 2026-04-07.
		{"enforcement.decision_overdue", "decided on the moved deadline", func(c *Case) { c.FiledOn, c.PriorNoticeOn, c.DecidedOn = "2026-01-05", "", "2026-04-07" }, false, false},
		{"enforcement.decision_overdue", "decided a day late", func(c *Case) { c.FiledOn, c.PriorNoticeOn, c.DecidedOn = "2026-01-05", "", "2026-04-08" }, false, true},
		{"enforcement.decision_overdue", "late but extension recorded", func(c *Case) { c.FiledOn, c.DecidedOn, c.Extended = "2026-01-05", "2026-04-20", true }, false, false},
		{"enforcement.decision_overdue", "undecided past the deadline", func(c *Case) { c.FiledOn, c.DecidedOn, c.DisclosedOn = "2026-06-01", "", "" }, false, true},
		{"enforcement.decision_overdue", "undecided within the deadline", func(c *Case) { c.FiledOn, c.DecidedOn, c.DisclosedOn = "2026-11-01", "", "" }, false, false},
		{"enforcement.two_officers", "one officer", func(c *Case) { c.Officers = c.Officers[:1] }, false, true},
		{"enforcement.two_officers", "second certificate lapsed on filing", func(c *Case) { c.Officers[1].ValidOnFiling = false }, false, true},
		{"enforcement.two_officers", "licence needs no two officers", func(c *Case) { c.Kind = "licence"; c.Officers = nil }, false, false},
		{"enforcement.major_review", "major without passed review", func(c *Case) { c.Major = true }, false, true},
		{"enforcement.major_review", "major with passed review", func(c *Case) { c.Major = true }, true, false},
		{"enforcement.major_review", "major not decided yet", func(c *Case) { c.Major, c.DecidedOn, c.DisclosedOn = true, "", "" }, false, false},
		// Decided Wednesday 2026-09-30: 国庆 1–7 October, make-up Saturday
		// 10 October; 7 working days end Thursday 2026-10-15 (without the
		// holiday it would be 2026-10-09).
		{"enforcement.disclosure", "penalty disclosed on the 7th working day after 国庆", func(c *Case) { c.DecidedOn, c.DisclosedOn = "2026-09-30", "2026-10-15" }, false, false},
		{"enforcement.disclosure", "penalty disclosed a day late", func(c *Case) { c.DecidedOn, c.DisclosedOn = "2026-09-30", "2026-10-16" }, false, true},
		{"enforcement.disclosure", "licence not disclosed, deadline passed", func(c *Case) { c.Kind, c.DecidedOn, c.DisclosedOn = "licence", "2026-09-30", "" }, false, true},
		{"enforcement.disclosure", "compulsory measure within 20 working days", func(c *Case) { c.Kind, c.DecidedOn, c.DisclosedOn = "compulsory", "2026-09-30", "2026-11-03" }, false, false},
		{"enforcement.disclosure", "compulsory measure after 20 working days", func(c *Case) { c.Kind, c.DecidedOn, c.DisclosedOn = "compulsory", "2026-09-30", "2026-11-04" }, false, true},
		{"enforcement.on_the_spot_limit", "person 200 yuan", func(c *Case) { c.Procedure, c.AmountFen = "on_the_spot", 200_00 }, false, false},
		{"enforcement.on_the_spot_limit", "person 200.01 yuan", func(c *Case) { c.Procedure, c.AmountFen = "on_the_spot", 200_01 }, false, true},
		{"enforcement.on_the_spot_limit", "organisation 3,000 yuan", func(c *Case) { c.Procedure, c.PartyType, c.AmountFen = "on_the_spot", "organisation", 3_000_00 }, false, false},
		{"enforcement.on_the_spot_limit", "organisation 3,500 yuan", func(c *Case) { c.Procedure, c.PartyType, c.AmountFen = "on_the_spot", "organisation", 3_500_00 }, false, true},
		{"enforcement.hearing_notice", "licence revocation without hearing notice", func(c *Case) { c.HearingMeasure = true }, false, true},
		{"enforcement.hearing_notice", "licence revocation with hearing notice", func(c *Case) { c.HearingMeasure, c.HearingNoticeOn = true, "2026-03-20" }, false, false},
		{"enforcement.hearing_notice", "large fine on a person, no notice", func(c *Case) { c.AmountFen = 10_000_00 }, false, true},
		{"enforcement.hearing_notice", "fine below the threshold", func(c *Case) { c.AmountFen = 9_999_99 }, false, false},
		{"enforcement.lapsed_officer", "an officer lapsed on the case date", func(c *Case) { c.Officers[0].ValidOnFiling = false }, false, true},
	} {
		c := cleanCase()
		tc.set(c)
		hit, detail := ruleHits(t, tc.rule, c, tc.review)
		if hit != tc.want {
			t.Errorf("%s / %s: hit=%v (%s), want %v", tc.rule, tc.name, hit, detail, tc.want)
		}
		if hit && detail == "" {
			t.Errorf("%s / %s: a hit without detail", tc.rule, tc.name)
		}
	}
}

// The deadlines the rules read come from named calendar rules.
func TestRuleDeadlinesAreNamed(t *testing.T) {
	e := &evaluator{cal: calendar.Default(), rules: calendar.DefaultRegistry()}
	for rule, want := range map[string]string{CalDisclose: "2026-10-15", CalDiscloseOther: "2026-11-03"} {
		due, err := e.due(rule, calendar.MustDate("2026-09-30"))
		if err != nil || due.String() != want {
			t.Errorf("%s from 2026-09-30: %s %v, want %s", rule, due, err, want)
		}
	}
	if due, _ := e.due(CalDecide, calendar.MustDate("2026-01-05")); due.String() != "2026-04-07" {
		t.Errorf("decision deadline %s", due)
	}
}

// On save: a hit raises one finding, saving again raises no second one,
// correcting the case closes the hit and resolves the finding; the
// nightly run raises what a passing deadline broke.
func TestRuleHitsReachTheLedger(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		in := f.penalty()
		in.OfficerIDs = []int64{f.valid1.ID}
		c := f.create(in)
		if len(c.OpenHits) != 1 || c.OpenHits[0].Rule != "enforcement.two_officers" || len(f.ledger.raised) != 1 {
			t.Fatalf("hits %+v raised %+v", c.OpenHits, f.ledger.raised)
		}
		if p := f.ledger.raised[0]; p.UnitID != f.sj || p.SourceRef != c.Code || !strings.Contains(p.Title, "少于两人") {
			t.Fatalf("raised problem %+v", p)
		}
		// Saving again with the problem still there raises nothing new.
		in.Version, in.Title = c.Version, "销售过期食品（补充）"
		c, err := f.s.UpdateCase(f.admin, c.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.ledger.raised) != 1 || f.count("SELECT COUNT(*) FROM enforcement_rule_hits WHERE status = 'open'") != 1 {
			t.Fatalf("second save raised again: %d", len(f.ledger.raised))
		}
		// Corrected: the second officer recorded.
		in.Version, in.OfficerIDs = c.Version, []int64{f.valid1.ID, f.valid2.ID}
		if c, err = f.s.UpdateCase(f.admin, c.ID, in); err != nil {
			t.Fatal(err)
		}
		if len(c.OpenHits) != 0 || len(f.ledger.resolved) != 1 || f.count("SELECT COUNT(*) FROM findings WHERE status = 'closed'") != 1 {
			t.Fatalf("correction did not close: hits %+v resolved %v", c.OpenHits, f.ledger.resolved)
		}
		// A pending penalty filed 2026-08-01 was clean when saved on
		// 2026-09-01; by 2026-12-01 its 90 days (to 2026-10-30) have passed
		// and the nightly run flags it.
		pending := f.penalty()
		pending.FiledOn, pending.PriorNoticeOn, pending.DecidedOn, pending.ServedOn, pending.DisclosedOn = "2026-08-01", "", "", "", ""
		f.s.SetNow(func() time.Time { return time.Date(2026, 9, 1, 10, 0, 0, 0, calendar.Shanghai) })
		p := f.create(pending)
		if len(p.OpenHits) != 0 {
			t.Fatalf("pending case flagged early: %+v", p.OpenHits)
		}
		f.s.SetNow(func() time.Time { return testToday })
		if _, err := f.s.EvaluateAll(f.admin); err != nil {
			t.Fatal(err)
		}
		got, _ := f.s.GetCase(f.admin, p.ID)
		if len(got.OpenHits) != 1 || got.OpenHits[0].Rule != "enforcement.decision_overdue" {
			t.Fatalf("nightly run: %+v", got.OpenHits)
		}
		// The rules page counts the hits and lists the cases behind them.
		rules, err := f.s.ListRules(f.clerk)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string][2]int{}
		for _, r := range rules {
			counts[r.Name] = [2]int{r.Open, r.Closed}
		}
		if counts["enforcement.two_officers"] != [2]int{0, 1} || counts["enforcement.decision_overdue"] != [2]int{1, 0} {
			t.Fatalf("rule counts %v", counts)
		}
		hits, err := f.s.ListHits(f.clerk, HitFilter{Rule: "enforcement.decision_overdue", Status: "open"}, db.ListReq{})
		if err != nil || len(hits.Items) != 1 || hits.Items[0].CaseID != p.ID {
			t.Fatalf("hits behind the rule: %+v %v", hits.Items, err)
		}
		if none, _ := f.s.ListRules(f.outsider); none[0].Open+none[0].Closed+none[1].Open+none[1].Closed != 0 {
			t.Fatalf("outsider sees other units' hits: %+v", none)
		}
	})
}
