package reconsideration

import (
	"strconv"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestDeemedAcceptance: the background run deems a case accepted once its
// five working days of acceptance review have passed without a decision,
// on the day after the last day, and starts the decision clock from that
// day; it leaves every other case alone and does nothing the second time.
// Received Mon 2/9: the five working days are 2/10–2/13 and the make-up
// Saturday 2/14; the day after is 2/15, the first day of the Spring
// Festival holiday; 60 days from it end on Thu 4/16.
func TestDeemedAcceptance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		create := func(day string) *Detail {
			c, err := f.s.Create(f.as(handler, day), application(day))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		run := func(day string) int {
			t.Helper()
			f.sim.At(calendar.MustDate(day), 2)
			n, err := f.s.DeemOverdue(auth.With(f.ctx, auth.SystemActor("行政复议夜间检查")))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		get := func(id int64) *Detail {
			c, err := f.s.Get(f.as(handler, "2026-02-24"), id)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		c := create("2026-02-09")
		if c.AcceptDue != "2026-02-14" {
			t.Fatalf("accept due %s, want 2026-02-14 (make-up Saturday)", c.AcceptDue)
		}
		// Cases the run must not touch: one sent for correction, one
		// accepted in time, one received later whose review still runs.
		corr := f.step(t, create("2026-02-09"), ActRequestCorrection, "2026-02-10", StepInput{Items: "补充身份证明"})
		acc := f.step(t, create("2026-02-09"), ActAccept, "2026-02-13", StepInput{})
		later := create("2026-02-13") // 2/14, then 2/24–2/27: due 2/27

		if n := run("2026-02-14"); n != 0 {
			t.Fatalf("deemed on the last day of the review: %d", n)
		}
		if n := run("2026-02-16"); n != 1 {
			t.Fatalf("deemed %d cases, want 1", n)
		}
		c = get(c.ID)
		if c.Status != StatusAccepted || c.AcceptKind != "deemed" || c.AcceptedOn != "2026-02-15" || c.DecideDue != "2026-04-16" {
			t.Fatalf("deemed: %s %s %s %s", c.Status, c.AcceptKind, c.AcceptedOn, c.DecideDue)
		}
		last := c.Events[len(c.Events)-1]
		if last.Action != ActDeem || last.ActorName != "系统" || !strings.Contains(last.Note, "2026-02-14 届满") || !strings.Contains(last.Note, "自 2026-02-15 视为受理") {
			t.Fatalf("timeline: %+v", last)
		}
		for _, other := range []*Detail{corr, acc, later} {
			if got := get(other.ID); got.Version != other.Version || got.AcceptKind == "deemed" {
				t.Fatalf("case %s touched: %s %s", other.Code, got.Status, got.AcceptKind)
			}
		}
		// Idempotent: the next night finds nothing, writes nothing.
		events := len(c.Events)
		if n := run("2026-02-17"); n != 0 || len(get(c.ID).Events) != events {
			t.Fatalf("second run deemed %d", n)
		}
		var audits int
		if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'reconsideration.deem' AND object_id = ?", strconv.FormatInt(c.ID, 10)).Scan(&audits); err != nil || audits != 1 {
			t.Fatalf("audit events %d %v", audits, err)
		}
		// The later case is deemed the day after its own period (2/27).
		if n := run("2026-02-27"); n != 0 || later.AcceptDue != "2026-02-27" {
			t.Fatalf("later case on its last day: %d, due %s", n, later.AcceptDue)
		}
		if n := run("2026-03-02"); n != 1 || get(later.ID).AcceptedOn != "2026-02-28" {
			t.Fatalf("later case: %d %s", n, get(later.ID).AcceptedOn)
		}
		// Only the system or a handler runs it.
		_, err := f.s.DeemOverdue(f.as(clerk, "2026-02-27"))
		wantErr(t, err, apperr.Forbidden)
	})
}

// TestSwitchToNormalProcedure: a simple-procedure case switched to the
// normal procedure with the approval recorded gets the normal clocks —
// the reply ten working days from the copy, the decision 60 days from the
// acceptance (3/3 + 60 = Sat 5/2, in the Labour Day holiday 5/1–5/5, so
// Wed 5/6), suspensions kept — and may then be extended; the gates refuse
// a normal case, a missing approval or reason, and a switch after the
// simple procedure's 30 days have run out.
func TestSwitchToNormalProcedure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		simple := func() *Detail {
			in := application("2026-03-02")
			in.AmountFen = 200000
			c, err := f.s.Create(f.as(handler, "2026-03-02"), in)
			if err != nil {
				t.Fatal(err)
			}
			return f.step(t, c, ActAccept, "2026-03-03", StepInput{Simple: true})
		}
		c := f.step(t, simple(), ActSendCopy, "2026-03-04", StepInput{})
		if c.DecideDue != "2026-04-02" || c.ReplyDue != "2026-03-11" {
			t.Fatalf("simple clocks: %s %s", c.DecideDue, c.ReplyDue)
		}
		wantErr(t, f.try(c, ActToNormal, "2026-03-05", StepInput{Reason: "案情复杂"}), apperr.Invalid, "approved_by:")
		wantErr(t, f.try(c, ActToNormal, "2026-03-05", StepInput{ApprovedBy: "李局长"}), apperr.Invalid, "reason:")
		c = f.step(t, c, ActToNormal, "2026-03-05", StepInput{ApprovedBy: "李局长", Reason: "案情复杂，不宜适用简易程序"})
		// Reply: ten working days from the copy of 3/4 → 3/18.
		if c.Simple || c.DecideDue != "2026-05-06" || c.ReplyDue != "2026-03-18" || c.DueOn != "2026-03-18" {
			t.Fatalf("normal clocks: simple=%v decide %s reply %s due %s", c.Simple, c.DecideDue, c.ReplyDue, c.DueOn)
		}
		last := c.Events[len(c.Events)-1]
		if last.Action != ActToNormal || !strings.Contains(last.Note, "李局长") || !strings.Contains(last.Note, "2026-05-06") {
			t.Fatalf("timeline: %+v", last)
		}
		wantErr(t, f.try(c, ActToNormal, "2026-03-06", StepInput{ApprovedBy: "李局长", Reason: "x"}), apperr.Precondition, "简易程序转为普通程序", "无需转换")
		// Now extendable: 5/6 + 30 days → Fri 6/5.
		c = f.step(t, c, ActReply, "2026-03-10", StepInput{})
		c = f.step(t, c, ActExtend, "2026-04-20", StepInput{Days: 30, ApprovedBy: "李局长", Reason: "复杂", NoticeOn: "2026-04-20"})
		if c.DecideDue != "2026-06-05" {
			t.Fatalf("extended: %s", c.DecideDue)
		}

		// A suspension recorded under the simple procedure still counts:
		// 3/10–3/20 paused, so 5/2 + 10 days → Tue 5/12.
		c = f.step(t, simple(), ActSuspend, "2026-03-10", StepInput{Reason: "申请人因不可抗力不能参加"})
		c = f.step(t, c, ActToNormal, "2026-03-12", StepInput{ApprovedBy: "李局长", Reason: "需要听证"})
		if c.Status != StatusSuspended || c.Simple {
			t.Fatalf("suspended switch: %s %v", c.Status, c.Simple)
		}
		c = f.step(t, c, ActResume, "2026-03-20", StepInput{})
		if c.DecideDue != "2026-05-12" || c.DueOn != "2026-03-12" {
			t.Fatalf("resumed: decide %s, current %s (the copy due 7 working days from 3/3)", c.DecideDue, c.DueOn)
		}

		// After the simple procedure's 30 days it is too late to switch.
		c = f.step(t, f.step(t, simple(), ActSendCopy, "2026-03-04", StepInput{}), ActReply, "2026-03-05", StepInput{})
		wantErr(t, f.try(c, ActToNormal, "2026-04-03", StepInput{ApprovedBy: "李局长", Reason: "x"}), apperr.DeadlinePassed, "2026-04-02 届满")
		// A normal case has nothing to switch.
		n, err := f.s.Create(f.as(handler, "2026-03-02"), application("2026-03-02"))
		if err != nil {
			t.Fatal(err)
		}
		n = f.step(t, n, ActAccept, "2026-03-03", StepInput{})
		wantErr(t, f.try(n, ActToNormal, "2026-03-04", StepInput{ApprovedBy: "李局长", Reason: "x"}), apperr.Precondition, "无需转换")
	})
}
