package workflow

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"pgregory.net/rapid"
)

// genDefinition draws a small valid chain over users 1..6 and the test roles.
func genDefinition(t *rapid.T) Definition {
	n := rapid.IntRange(1, 4).Draw(t, "steps")
	d := Definition{Code: "prop", Name: "随机流程"}
	for i := range n {
		s := Step{
			Key:             fmt.Sprintf("s%d", i),
			Name:            fmt.Sprintf("第%d审", i+1),
			Kind:            rapid.SampledFrom([]Kind{KindSingle, KindCountersign, KindAny}).Draw(t, "kind"),
			OpinionRequired: rapid.Bool().Draw(t, "opinion_required"),
			AllowTransfer:   rapid.Bool().Draw(t, "allow_transfer"),
			AllowAddSigner:  rapid.Bool().Draw(t, "allow_add_signer"),
		}
		people := rapid.SliceOfNDistinct(rapid.Int64Range(1, 6), 1, 3, rapid.ID).Draw(t, "people")
		if s.Kind == KindSingle {
			people = people[:1]
		}
		for _, p := range people {
			s.Assignees = append(s.Assignees, Assignee{UserID: p})
		}
		if s.Kind != KindSingle && rapid.Bool().Draw(t, "with_role") {
			s.Assignees = append(s.Assignees, Assignee{Role: "分管领导"})
		}
		if s.Kind == KindCountersign {
			s.ApproveRatio = rapid.SampledFrom([]Ratio{0, 0.5, Ratio(2.0 / 3), 1}).Draw(t, "ratio")
		}
		if i > 0 && rapid.Bool().Draw(t, "can_return") {
			s.AllowReturnTo = ReturnTargets{AnyEarlier: true}
		}
		if days := rapid.IntRange(0, 3).Draw(t, "deadline"); days > 0 {
			s.DeadlineDays = days
			s.RemindBeforeDays = rapid.IntRange(0, days-1).Draw(t, "remind")
			if rapid.Bool().Draw(t, "escalate") {
				s.EscalateTo = &Assignee{Role: "分管领导"}
			}
		}
		d.Steps = append(d.Steps, s)
	}
	if err := d.Validate(); err != nil {
		t.Fatalf("generator made an invalid definition: %v", err)
	}
	return d
}

// Random action sequences never panic, never fail with an internal error,
// never change their input on error, and keep the invariants below.
func TestPropertyRandomActions(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := newEngine()
		owner := rapid.Int64Range(1, 6).Draw(t, "initiator")
		in, _, err := e.Start(genDefinition(t), owner, unit, t0)
		if err != nil {
			t.Fatalf("start: %v", err)
		}
		check(t, e, in)
		now := t0
		for range rapid.IntRange(1, 40).Draw(t, "actions") {
			now = now.Add(time.Duration(rapid.IntRange(1, 60).Draw(t, "hours")) * time.Hour)
			// Mostly pick someone who can act, sometimes anyone.
			who := append(in.Pending(), 50, 51, owner, rapid.Int64Range(1, 8).Draw(t, "anyone"))
			a := Act{
				Actor:   rapid.SampledFrom(who).Draw(t, "actor"),
				At:      now,
				Opinion: rapid.SampledFrom([]string{"", "同意", "请补充材料"}).Draw(t, "opinion"),
			}
			target := rapid.Int64Range(1, 8).Draw(t, "target")
			before, _ := json.Marshal(in)
			var n *Instance
			var evs []Event
			err = nil
			switch op := rapid.IntRange(0, 8).Draw(t, "op"); op {
			case 0, 1, 2:
				n, evs, err = e.Approve(in, a)
			case 3:
				n, evs, err = e.Reject(in, a)
			case 4:
				n, evs, err = e.Return(in, a, fmt.Sprintf("s%d", rapid.IntRange(0, 3).Draw(t, "to")))
			case 5:
				n, evs, err = e.Transfer(in, a, target)
			case 6:
				n, evs, err = e.AddSigner(in, a, target)
			case 7:
				n, evs, err = e.CC(in, a, []int64{target})
			case 8:
				if rapid.Bool().Draw(t, "withdraw") {
					n, evs, err = e.Withdraw(in, a)
				} else {
					n, evs = in.MarkNotified(append(in.Reminders(now), in.Overdue(now)...), now)
				}
			}
			if err != nil {
				switch apperr.CodeOf(err) {
				case apperr.Invalid, apperr.Forbidden, apperr.Conflict:
				default:
					t.Fatalf("unexpected error code: %v", err)
				}
				if n != nil || evs != nil {
					t.Fatal("error with a result")
				}
				if after, _ := json.Marshal(in); string(after) != string(before) {
					t.Fatal("failed action changed its input")
				}
				continue
			}
			// History only grows, and the old part is untouched.
			if len(n.History) != len(in.History)+len(evs) ||
				!reflect.DeepEqual(n.History[:len(in.History)], in.History) ||
				!reflect.DeepEqual(n.History[len(in.History):], evs) {
				t.Fatal("history must grow by exactly the returned events")
			}
			if after, _ := json.Marshal(in); string(after) != string(before) {
				t.Fatal("an action changed its input")
			}
			// Status transitions: only running → anything; final stays final.
			if in.Status != Running && (n.Status != in.Status || len(evs) > 0) {
				t.Fatalf("finished chain changed: %s → %s", in.Status, n.Status)
			}
			check(t, e, n)
			in = n
		}
	})
}

// check asserts the invariants of a stored instance.
func check(t *rapid.T, _ *Engine, in *Instance) {
	for i, ev := range in.History {
		if ev.Seq != i+1 {
			t.Fatalf("seq %d at %d", ev.Seq, i)
		}
		if i > 0 && ev.At.Before(in.History[i-1].At) {
			t.Fatal("history goes back in time")
		}
	}
	last := in.History[len(in.History)-1]
	switch in.Status {
	case Running:
		p := in.Pending()
		if len(p) == 0 {
			t.Fatal("a running chain must have someone to act")
		}
		if len(dedupe(p)) != len(p) {
			t.Fatalf("a user holds two open tasks: %v", p)
		}
		st := in.Steps[in.Current]
		approved, pending, total := st.tally()
		def := in.CurrentStep()
		if approved >= need(def, total) {
			t.Fatal("a decided step is still open")
		}
		if approved+pending < need(def, total) {
			t.Fatal("an undecidable step is still open")
		}
		for i := in.Current + 1; i < len(in.Steps); i++ {
			if len(in.Steps[i].pending()) > 0 {
				t.Fatal("a later step has open tasks")
			}
		}
	case Approved, Rejected, Withdrawn:
		if last.Action != ActFinish || last.Result != in.Status || in.EndedAt.IsZero() {
			t.Fatalf("finished chain must end with a finish event: %+v", last)
		}
		for _, st := range in.Steps {
			if slices.ContainsFunc(st.Tasks, func(t Task) bool { return t.Status == TaskPending }) {
				t.Fatal("open task on a finished chain")
			}
		}
		if in.Status == Approved {
			for _, st := range in.Steps {
				if st.Round == 0 {
					t.Fatal("approved chain skipped a step")
				}
			}
		}
	default:
		t.Fatalf("unknown status %q", in.Status)
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var back Instance
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(&back, in) {
		t.Fatalf("JSON round trip differs (%v)", err)
	}
}
