package calendar

import (
	"slices"
	"testing"

	"fazhi/internal/platform/apperr"
)

// Expected due dates, each worked out by hand on a paper calendar of the
// 2025 and 2026 schedules (DOMAIN.md §5.2), never with this package. For each
// trigger day the key is the period; every rule is checked against the entry
// for its period, so every rule is exercised at every trigger.
//
// Working-day columns list the Nth working day after the trigger; calendar
// columns are trigger+N, moved to the next working day when that day is a
// weekend or holiday (make-up Saturdays/Sundays are working days).
var handDue = []struct {
	from     string
	why      string
	expected map[Period]string
}{
	{"2025-01-24", "Fri before 春节 2025 (make-up Sun 01-26, off 01-28..02-04, make-up Sat 02-08)", map[Period]string{
		{3, WorkingDays}: "2025-02-05", {5, WorkingDays}: "2025-02-07", {7, WorkingDays}: "2025-02-10",
		{10, WorkingDays}: "2025-02-13", {15, WorkingDays}: "2025-02-20", {20, WorkingDays}: "2025-02-27",
		{15, CalendarDays}: "2025-02-08", // lands on the make-up Saturday: a working day, no move
		{30, CalendarDays}: "2025-02-24", // 02-23 is a Sunday
		{60, CalendarDays}: "2025-03-25", {90, CalendarDays}: "2025-04-24",
	}},
	{"2025-04-25", "Fri before 劳动节 2025 (make-up Sun 04-27, off 05-01..05-05)", map[Period]string{
		{3, WorkingDays}: "2025-04-29", {5, WorkingDays}: "2025-05-06", {7, WorkingDays}: "2025-05-08",
		{10, WorkingDays}: "2025-05-13", {15, WorkingDays}: "2025-05-20", {20, WorkingDays}: "2025-05-27",
		{15, CalendarDays}: "2025-05-12", // 05-10 is a Saturday
		{30, CalendarDays}: "2025-05-26", // 05-25 is a Sunday
		{60, CalendarDays}: "2025-06-24", {90, CalendarDays}: "2025-07-24",
	}},
	{"2025-09-26", "Fri before 国庆/中秋 2025 (make-up Sun 09-28, off 10-01..10-08, make-up Sat 10-11)", map[Period]string{
		{3, WorkingDays}: "2025-09-30", {5, WorkingDays}: "2025-10-10", {7, WorkingDays}: "2025-10-13",
		{10, WorkingDays}: "2025-10-16", {15, WorkingDays}: "2025-10-23", {20, WorkingDays}: "2025-10-30",
		{15, CalendarDays}: "2025-10-11", // the make-up Saturday
		{30, CalendarDays}: "2025-10-27", // 10-26 is a Sunday
		{60, CalendarDays}: "2025-11-25", {90, CalendarDays}: "2025-12-25",
	}},
	{"2025-10-11", "trigger on the make-up Saturday 2025-10-11", map[Period]string{
		{3, WorkingDays}: "2025-10-15", {5, WorkingDays}: "2025-10-17", {7, WorkingDays}: "2025-10-21",
		{10, WorkingDays}: "2025-10-24", {15, WorkingDays}: "2025-10-31", {20, WorkingDays}: "2025-11-07",
		{15, CalendarDays}: "2025-10-27", // 10-26 is a Sunday
		{30, CalendarDays}: "2025-11-10", {60, CalendarDays}: "2025-12-10",
		{90, CalendarDays}: "2026-01-09",
	}},
	{"2026-01-04", "trigger on the make-up Sunday 2026-01-04", map[Period]string{
		{3, WorkingDays}: "2026-01-07", {5, WorkingDays}: "2026-01-09", {7, WorkingDays}: "2026-01-13",
		{10, WorkingDays}: "2026-01-16", {15, WorkingDays}: "2026-01-23", {20, WorkingDays}: "2026-01-30",
		{15, CalendarDays}: "2026-01-19", {30, CalendarDays}: "2026-02-03", {60, CalendarDays}: "2026-03-05",
		{90, CalendarDays}: "2026-04-07", // 04-04 is 清明 (04-04..04-06 off)
	}},
	{"2026-02-12", "Thu before 春节 2026 (make-up Sat 02-14, off 02-15..02-23, make-up Sat 02-28)", map[Period]string{
		{3, WorkingDays}: "2026-02-24", {5, WorkingDays}: "2026-02-26",
		{7, WorkingDays}:  "2026-02-28", // ends on the make-up Saturday
		{10, WorkingDays}: "2026-03-04", {15, WorkingDays}: "2026-03-11", {20, WorkingDays}: "2026-03-18",
		{15, CalendarDays}: "2026-02-27",
		{30, CalendarDays}: "2026-03-16", // 03-14 is a Saturday
		{60, CalendarDays}: "2026-04-13", {90, CalendarDays}: "2026-05-13",
	}},
	{"2026-04-29", "Wed before 劳动节 2026 (off 05-01..05-05, make-up Sat 05-09)", map[Period]string{
		{3, WorkingDays}: "2026-05-07",
		{5, WorkingDays}: "2026-05-09", // ends on the make-up Saturday
		{7, WorkingDays}: "2026-05-12", {10, WorkingDays}: "2026-05-15", {15, WorkingDays}: "2026-05-22",
		{20, WorkingDays}:  "2026-05-29",
		{15, CalendarDays}: "2026-05-14", {30, CalendarDays}: "2026-05-29",
		{60, CalendarDays}: "2026-06-29", // 06-28 is a Sunday
		{90, CalendarDays}: "2026-07-28",
	}},
	{"2026-09-18", "Fri before 中秋 and 国庆 2026 (make-up Sun 09-20, 中秋 09-25..27, 国庆 10-01..07, make-up Sat 10-10)", map[Period]string{
		{3, WorkingDays}: "2026-09-22", {5, WorkingDays}: "2026-09-24", {7, WorkingDays}: "2026-09-29",
		{10, WorkingDays}: "2026-10-09", {15, WorkingDays}: "2026-10-15", {20, WorkingDays}: "2026-10-22",
		{15, CalendarDays}: "2026-10-08", // 10-03 is 国庆
		{30, CalendarDays}: "2026-10-19", // 10-18 is a Sunday
		{60, CalendarDays}: "2026-11-17", {90, CalendarDays}: "2026-12-17",
	}},
}

func TestEveryRuleByHand(t *testing.T) {
	cal := Default()
	reg := DefaultRegistry()
	rules := reg.All()
	checked := 0
	for _, tc := range handDue {
		for _, rule := range rules {
			want, ok := tc.expected[rule.Period]
			if !ok {
				t.Fatalf("no hand-computed date for %s (%s) from %s", rule.Name, rule.Period, tc.from)
			}
			t.Run(tc.from+"/"+rule.Name, func(t *testing.T) {
				r, err := cal.Compute(rule.Period, MustDate(tc.from))
				if err != nil {
					t.Fatal(err)
				}
				if r.Due.String() != want {
					t.Errorf("%s from %s (%s): due %s, want %s", rule.Name, tc.from, tc.why, r.Due, want)
				}
				if r.Provisional {
					t.Errorf("%s from %s: provisional inside covered years", rule.Name, tc.from)
				}
			})
			checked++
		}
	}
	if want := len(handDue) * 23; checked != want {
		t.Errorf("checked %d rule/date pairs, want %d", checked, want)
	}
}

func TestRegistryHasEveryNamedRule(t *testing.T) {
	want := []string{
		"casereview.notice_reply", "decision.public_comment", "disclosure.correction_notice", "disclosure.reply", "disclosure.reply_extension",
		"disclosure.third_party", "enforcement.disclose_other", "legalreview.min", "litigation.defence",
		"normdoc.filing", "penalty.decide", "penalty.disclose", "randominspection.publish",
		"reconsideration.accept", "reconsideration.applicant_correction", "reconsideration.copy_to_respondent",
		"reconsideration.copy_to_respondent_simple", "reconsideration.correction_notice", "reconsideration.decide",
		"reconsideration.decide_extension", "reconsideration.decide_simple", "reconsideration.respondent_reply",
		"reconsideration.respondent_reply_simple",
	}
	var got []string
	for _, r := range DefaultRegistry().All() {
		got = append(got, r.Name)
		if r.Label == "" || r.Basis == "" {
			t.Errorf("%s: missing label or basis", r.Name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules = %v\nwant %v", got, want)
	}
	periods := map[string]Period{
		"disclosure.reply": {20, WorkingDays}, "disclosure.reply_extension": {20, WorkingDays},
		"disclosure.correction_notice": {7, WorkingDays}, "disclosure.third_party": {15, WorkingDays},
		"reconsideration.accept": {5, WorkingDays}, "reconsideration.correction_notice": {5, WorkingDays},
		"reconsideration.applicant_correction": {10, WorkingDays}, "reconsideration.copy_to_respondent": {7, WorkingDays},
		"reconsideration.respondent_reply": {10, WorkingDays}, "reconsideration.copy_to_respondent_simple": {3, WorkingDays},
		"reconsideration.respondent_reply_simple": {5, WorkingDays}, "reconsideration.decide": {60, CalendarDays},
		"reconsideration.decide_extension": {30, CalendarDays}, "reconsideration.decide_simple": {30, CalendarDays},
		"litigation.defence": {15, CalendarDays}, "penalty.decide": {90, CalendarDays}, "penalty.disclose": {7, WorkingDays},
		"enforcement.disclose_other": {20, WorkingDays}, "decision.public_comment": {30, CalendarDays},
		"legalreview.min": {7, WorkingDays}, "normdoc.filing": {30, CalendarDays}, "randominspection.publish": {20, WorkingDays},
		"casereview.notice_reply": {20, WorkingDays},
	}
	reg := DefaultRegistry()
	for name, p := range periods {
		r, err := reg.Get(name)
		if err != nil {
			t.Fatal(err)
		}
		if r.Period != p {
			t.Errorf("%s period = %v, want %v", name, r.Period, p)
		}
	}
	for _, name := range []string{"decision.public_comment", "legalreview.min"} {
		if r, _ := reg.Get(name); !r.Minimum {
			t.Errorf("%s should be a minimum period", name)
		}
	}
}

func TestRegistryOverride(t *testing.T) {
	reg := DefaultRegistry()
	if err := reg.Override("normdoc.filing", 15, WorkingDays); err != nil {
		t.Fatal(err)
	}
	r, _ := reg.Get("normdoc.filing")
	if r.Period != (Period{15, WorkingDays}) || !r.Overridden {
		t.Errorf("override not applied: %+v", r)
	}
	if err := reg.Override("normdoc.filing", 30, CalendarDays); err != nil {
		t.Fatal(err)
	}
	if r, _ := reg.Get("normdoc.filing"); r.Overridden {
		t.Errorf("setting the shipped period back still reads as overridden: %+v", r)
	}
	_ = reg.Override("normdoc.filing", 15, WorkingDays)
	if err := reg.Reset("normdoc.filing"); err != nil {
		t.Fatal(err)
	}
	if r, _ := reg.Get("normdoc.filing"); r.Overridden || r.Period != (Period{30, CalendarDays}) {
		t.Errorf("after Reset: %+v", r)
	}
	if r2, _ := DefaultRegistry().Get("normdoc.filing"); r2.Period != (Period{30, CalendarDays}) {
		t.Errorf("override leaked into a new registry: %+v", r2)
	}
	if err := reg.Override("no.such", 5, WorkingDays); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown rule: got %v", err)
	}
	if err := reg.Override("normdoc.filing", 0, WorkingDays); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("zero period: got %v", err)
	}
	if err := reg.Override("normdoc.filing", 5, "weeks"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad unit: got %v", err)
	}
	if _, err := reg.Get("nope"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Get unknown: %v", err)
	}
}

func TestApplyOverridesIsAllOrNothing(t *testing.T) {
	m, err := ParseOverrides([]byte(`{"normdoc.filing":{"n":3,"unit":"working_days"},"penalty.decide":{"n":0,"unit":"calendar_days"}}`))
	if err != nil {
		t.Fatal(err)
	}
	reg := DefaultRegistry()
	err = reg.ApplyOverrides(m)
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "penalty.decide" {
		t.Fatalf("want one field error on penalty.decide, got %v", err)
	}
	if r, _ := reg.Get("normdoc.filing"); r.Period != (Period{30, CalendarDays}) {
		t.Errorf("partial override applied: %+v", r)
	}
	m, err = ParseOverrides([]byte(`{"normdoc.filing":{"n":3,"unit":"working_days"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.ApplyOverrides(m); err != nil {
		t.Fatal(err)
	}
	if r, _ := reg.Get("normdoc.filing"); r.Period != (Period{3, WorkingDays}) {
		t.Errorf("override not applied: %+v", r)
	}
	if _, err := ParseOverrides([]byte(`{"normdoc.filing":{"n":3,"units":"working_days"}}`)); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("misspelt key accepted: %v", err)
	}
	if err := reg.Register(Rule{Name: "mediation.confirm", Label: "申请司法确认", Basis: "《人民调解法》第三十三条", Period: Period{30, CalendarDays}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register(Rule{Name: "x"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("rule without label/period accepted: %v", err)
	}
}
