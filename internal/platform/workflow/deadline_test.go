package workflow

import (
	"slices"
	"testing"
	"time"
)

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 1, 0, 0, 0, time.UTC) }

// tick is what a background job does: query, record, deliver.
func tick(in *Instance, now time.Time) (*Instance, []Event) {
	return in.MarkNotified(append(in.Reminders(now), in.Overdue(now)...), now)
}

func TestRemindersAndEscalation(t *testing.T) {
	in := start(t, threeReviews)
	st := in.Steps[0]
	// Started Monday 03-02; 3 working days → Thursday 03-05; reminder 1 day before → Wednesday 03-04.
	if !st.DueAt.Equal(day(3, 5)) || !st.RemindAt.Equal(day(3, 4)) {
		t.Fatalf("due %v remind %v", st.DueAt, st.RemindAt)
	}
	if !slices.Equal(st.Escalate, []int64{50, 51}) {
		t.Fatalf("escalate_to 分管领导 should resolve at activation: %v", st.Escalate)
	}
	if !in.History[1].DueAt.Equal(day(3, 5)) {
		t.Fatal("activation event carries the due date")
	}

	cases := []struct {
		at   time.Time
		want []Action // events recorded at this tick
		to   []int64
	}{
		{day(3, 3), nil, nil},
		{day(3, 4).Add(-time.Second), nil, nil},
		{day(3, 4), []Action{ActRemind}, []int64{1}},
		{day(3, 4).Add(time.Hour), nil, nil}, // not twice
		{day(3, 5), nil, nil},                // due, not yet overdue
		{day(3, 5).Add(time.Second), []Action{ActEscalate}, []int64{50, 51}},
		{day(3, 6), nil, nil}, // not twice
		{day(3, 20), nil, nil},
	}
	for _, c := range cases {
		if got := len(in.Reminders(c.at)) + len(in.Overdue(c.at)); got != len(c.want) {
			t.Fatalf("at %v: %d notices due, want %d", c.at, got, len(c.want))
		}
		var evs []Event
		in, evs = tick(in, c.at)
		if in.Reminders(c.at) != nil || in.Overdue(c.at) != nil {
			t.Fatalf("at %v: notices still due after recording them", c.at)
		}
		if !slices.Equal(actions(evs), c.want) {
			t.Fatalf("at %v: events %v, want %v", c.at, actions(evs), c.want)
		}
		if len(evs) == 1 && (!slices.Equal(evs[0].To, c.to) || evs[0].Step != "draft" || !evs[0].At.Equal(c.at)) {
			t.Fatalf("at %v: event %+v", c.at, evs[0])
		}
	}
	if !in.Steps[0].RemindedAt.Equal(day(3, 4)) || !in.Steps[0].EscalatedAt.Equal(day(3, 5).Add(time.Second)) {
		t.Fatalf("recorded: %+v", in.Steps[0])
	}

	// A notice computed before the step moved on is not recorded afterwards.
	stale := in.Overdue(day(3, 20))
	if len(stale) != 0 {
		t.Fatal("already escalated")
	}

	// The legal step has no deadline: nothing more, ever.
	in, _ = must(t, in, approve(1, 24*20, ""))
	if in.Steps[1].DueAt != (time.Time{}) || in.Reminders(day(12, 1)) != nil || in.Overdue(day(12, 1)) != nil {
		t.Fatal("no deadline, no notices")
	}
}

// Returning to a step opens a new round with its own due date, reminder and
// escalation; a notice for the old round is stale.
func TestDeadlinesRestartOnReturn(t *testing.T) {
	in := start(t, threeReviews)
	old := in.Overdue(day(3, 6))
	if len(old) != 1 || old[0].Round != 1 {
		t.Fatalf("overdue %+v", old)
	}
	in, _ = tick(in, day(3, 6))
	in, _ = must(t, in, approve(1, 24*4, "")) // Friday 03-06
	in, evs := must(t, in, func(e *Engine, in *Instance) (*Instance, []Event, error) {
		return e.Return(in, Act{Actor: 11, At: day(3, 9), Opinion: "请补充依据"}, "draft")
	})
	if evs[1].Action != ActActivate || !evs[1].DueAt.Equal(day(3, 12)) {
		t.Fatalf("new round due: %+v", evs[1])
	}
	st := in.Steps[0]
	if st.Round != 2 || !st.RemindedAt.IsZero() || !st.EscalatedAt.IsZero() {
		t.Fatalf("round 2 flags must be fresh: %+v", st)
	}
	n, evs := in.MarkNotified(old, day(3, 20))
	if len(evs) != 0 || !n.Steps[0].EscalatedAt.IsZero() {
		t.Fatal("a round-1 notice must not be recorded in round 2")
	}
	in, evs = tick(in, day(3, 11))
	if !slices.Equal(actions(evs), []Action{ActRemind}) {
		t.Fatalf("round 2 reminder: %v", actions(evs))
	}
	in, evs = tick(in, day(3, 13))
	if !slices.Equal(actions(evs), []Action{ActEscalate}) {
		t.Fatalf("round 2 escalation: %v", actions(evs))
	}
	if in.Status != Running {
		t.Fatal("still running")
	}
}

// Nothing is due on a finished chain.
func TestNoNoticesAfterEnd(t *testing.T) {
	in := start(t, threeReviews)
	in, _ = must(t, in, func(e *Engine, in *Instance) (*Instance, []Event, error) {
		return e.Withdraw(in, Act{Actor: initiator, At: hours(1)})
	})
	if in.Reminders(day(3, 4)) != nil || in.Overdue(day(3, 20)) != nil {
		t.Fatal("withdrawn chain has no notices")
	}
	n, evs := in.MarkNotified([]Notice{{Kind: NoticeEscalate, Step: "draft", Round: 1}}, day(3, 20))
	if len(evs) != 0 || len(n.History) != len(in.History) {
		t.Fatal("nothing recorded on a finished chain")
	}
}
