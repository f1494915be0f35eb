package calendar

import (
	"testing"

	"pgregory.net/rapid"
)

// The generators span the shipped years and the uncovered 2027–2028, so the
// properties hold for data and for the fallback alike.
var propCal = Default()

func genDate(t *rapid.T, label string) Date {
	return MustDate("2016-01-01").AddDays(rapid.IntRange(0, 365*13).Draw(t, label))
}

// bruteWorking counts working days in [a, b) one day at a time through
// IsWorkingDay only, independently of the counting code under test.
func bruteWorking(a, b Date) int {
	n := 0
	for d := a; d.Before(b); d = d.AddDays(1) {
		if propCal.IsWorkingDay(d) {
			n++
		}
	}
	return n
}

func TestPropWorkingDayRuleEndsOnWorkingDayAfterTrigger(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		from := genDate(t, "from")
		n := rapid.IntRange(1, 90).Draw(t, "n")
		r, err := propCal.Compute(Period{n, WorkingDays}, from)
		if err != nil {
			t.Fatal(err)
		}
		if !propCal.IsWorkingDay(r.Due) {
			t.Fatalf("%d working days from %s end on non-working %s", n, from, r.Due)
		}
		if !r.Due.After(from) {
			t.Fatalf("due %s not after trigger %s", r.Due, from)
		}
		if got := bruteWorking(from.AddDays(1), r.Due.AddDays(1)); got != n {
			t.Fatalf("%d working days in (%s, %s], want %d", got, from, r.Due, n)
		}
	})
}

func TestPropCalendarDayRuleRollsToNextWorkingDay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		from := genDate(t, "from")
		n := rapid.IntRange(1, 120).Draw(t, "n")
		unit := rapid.SampledFrom([]Unit{CalendarDays, Months}).Draw(t, "unit")
		if unit == Months {
			n = n%12 + 1
		}
		r, err := propCal.Compute(Period{n, unit}, from)
		if err != nil {
			t.Fatal(err)
		}
		end := from.AddDays(n)
		if unit == Months {
			end = from.AddMonths(n)
		}
		if r.End != end || !r.Due.After(from) || r.Due.Before(end) || !propCal.IsWorkingDay(r.Due) {
			t.Fatalf("%v from %s: %+v", Period{n, unit}, from, r)
		}
		for d := end; d.Before(r.Due); d = d.AddDays(1) {
			if propCal.IsWorkingDay(d) {
				t.Fatalf("moved past working day %s to %s", d, r.Due)
			}
		}
	})
}

func TestPropPauseMovesDueByWorkingDaysPaused(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		from := genDate(t, "from")
		n := rapid.IntRange(1, 60).Draw(t, "n")
		var c Clock
		if err := c.Start(Rule{Name: "p", Label: "p", Period: Period{n, WorkingDays}}, from); err != nil {
			t.Fatal(err)
		}
		before, _ := c.Due(propCal)
		pause := from.AddDays(rapid.IntRange(0, before.DaysSince(from)).Draw(t, "pauseOffset"))
		resume := pause.AddDays(rapid.IntRange(0, 60).Draw(t, "pauseLength"))
		if err := c.Pause(propCal, pause, "中止"); err != nil {
			t.Fatal(err)
		}
		if err := c.Resume(propCal, resume); err != nil {
			t.Fatal(err)
		}
		after, err := c.Due(propCal)
		if err != nil {
			t.Fatal(err)
		}
		paused := bruteWorking(pause, resume)
		if moved := bruteWorking(before.AddDays(1), after.AddDays(1)); moved != paused {
			t.Fatalf("pause %s..%s (%d working days) moved due %s → %s by %d", pause, resume, paused, before, after, moved)
		}
		if !propCal.IsWorkingDay(after) || after.Before(resume) && paused > 0 {
			t.Fatalf("due %s after resume %s", after, resume)
		}
	})
}

func TestPropExtensionAddsExactlyItsPeriod(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		from := genDate(t, "from")
		base := Period{rapid.IntRange(1, 60).Draw(t, "n"), rapid.SampledFrom([]Unit{WorkingDays, CalendarDays}).Draw(t, "unit")}
		ext := Period{rapid.IntRange(1, 60).Draw(t, "m"), rapid.SampledFrom([]Unit{WorkingDays, CalendarDays}).Draw(t, "extUnit")}
		var c Clock
		if err := c.Start(Rule{Name: "p", Label: "p", Period: base}, from); err != nil {
			t.Fatal(err)
		}
		before, _ := c.Due(propCal)
		approved := from.AddDays(rapid.IntRange(0, before.DaysSince(from)).Draw(t, "approvedOffset"))
		if err := c.ExtendBy(propCal, ext, "负责人", approved); err != nil {
			t.Fatal(err)
		}
		after, _ := c.Due(propCal)
		switch ext.Unit {
		case WorkingDays:
			if got := bruteWorking(before.AddDays(1), after.AddDays(1)); got != ext.N {
				t.Fatalf("extension of %v moved %s → %s by %d working days", ext, before, after, got)
			}
		case CalendarDays:
			end := before.AddDays(ext.N)
			if after.Before(end) || !propCal.IsWorkingDay(after) {
				t.Fatalf("extension of %v: %s → %s", ext, before, after)
			}
			for d := end; d.Before(after); d = d.AddDays(1) {
				if propCal.IsWorkingDay(d) {
					t.Fatalf("extension of %v skipped working day %s", ext, d)
				}
			}
		}
	})
}
