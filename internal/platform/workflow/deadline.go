package workflow

import "time"

// NoticeKind says whether a notice is a reminder or an escalation.
type NoticeKind string

const (
	NoticeRemind   NoticeKind = "remind"   // due soon: tell the assignees
	NoticeEscalate NoticeKind = "escalate" // overdue: tell escalate_to
)

// Notice is something a background job should send. Step and Round pin it to
// one activation of a step, so a notice computed before the step moved on
// cannot be recorded against a later round.
type Notice struct {
	Kind    NoticeKind `json:"kind"`
	Step    string     `json:"step"`
	Round   int        `json:"round"`
	DueAt   time.Time  `json:"due_at"`
	To      []int64    `json:"to,omitempty"`      // recipients
	Pending []int64    `json:"pending,omitempty"` // who has not acted yet
}

// Reminders returns the reminder due at now for the current step, if its
// reminder time has come, the step is not yet overdue (then escalation takes
// over) and no reminder was recorded for this round.
func (in *Instance) Reminders(now time.Time) []Notice {
	if in.Status != Running {
		return nil
	}
	st := &in.Steps[in.Current]
	if st.RemindAt.IsZero() || !st.RemindedAt.IsZero() || now.Before(st.RemindAt) || now.After(st.DueAt) {
		return nil
	}
	p := st.pending()
	return []Notice{{Kind: NoticeRemind, Step: st.Key, Round: st.Round, DueAt: st.DueAt, To: p, Pending: p}}
}

// Overdue returns the escalation for the current step if now is past its due
// date and no escalation was recorded for this round. To is the resolved
// escalate_to (empty if the step names none: the job then decides whom to
// tell, e.g. the unit's supervisors).
func (in *Instance) Overdue(now time.Time) []Notice {
	if in.Status != Running {
		return nil
	}
	st := &in.Steps[in.Current]
	if st.DueAt.IsZero() || !st.EscalatedAt.IsZero() || !now.After(st.DueAt) {
		return nil
	}
	return []Notice{{Kind: NoticeEscalate, Step: st.Key, Round: st.Round, DueAt: st.DueAt,
		To: append([]int64(nil), st.Escalate...), Pending: st.pending()}}
}

// MarkNotified records that notices were sent, so Reminders and Overdue do
// not return them again, and returns the new instance with the history
// events (for audit and for delivery). Stale notices — the chain ended or
// the step moved on, or the notice was already recorded — are skipped, so a
// job may call it with whatever it computed.
//
// A job runs: ns := append(in.Reminders(now), in.Overdue(now)...);
// n, evs := in.MarkNotified(ns, now); store n with a version check; after
// commit deliver evs. The version check is what makes delivery exactly-once
// across several processes.
func (in *Instance) MarkNotified(ns []Notice, at time.Time) (*Instance, []Event) {
	n := in.clone()
	at = at.UTC()
	for _, no := range ns {
		if n.Status != Running {
			break
		}
		st := &n.Steps[n.Current]
		if st.Key != no.Step || st.Round != no.Round {
			continue
		}
		ev := Event{At: at, Step: st.Key, Round: st.Round, DueAt: st.DueAt, To: clean(no.To)}
		switch {
		case no.Kind == NoticeRemind && st.RemindedAt.IsZero():
			st.RemindedAt, ev.Action = at, ActRemind
		case no.Kind == NoticeEscalate && st.EscalatedAt.IsZero():
			st.EscalatedAt, ev.Action = at, ActEscalate
		default:
			continue
		}
		n.emit(ev)
	}
	return n, n.History[len(in.History):]
}
