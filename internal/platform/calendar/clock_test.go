package calendar

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
)

func rule(t *testing.T, name string) Rule {
	t.Helper()
	r, err := DefaultRegistry().Get(name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantDue(t *testing.T, c *Clock, cal *Calendar, want string) {
	t.Helper()
	d, err := c.Due(cal)
	if err != nil {
		t.Fatal(err)
	}
	if d.String() != want {
		t.Errorf("due = %s, want %s", d, want)
	}
}

func TestClockExplainExample(t *testing.T) {
	cal := Default()
	var c Clock
	mustNoErr(t, c.Start(rule(t, "disclosure.reply"), MustDate("2026-09-28")))
	// 09-29, 09-30, then 国庆 10-01..07, 10-08, 10-09, make-up 10-10, and
	// 15 working days 10-12..10-30: the 20th is 10-30.
	wantDue(t, &c, cal, "2026-10-30")
	text, err := c.Explain(cal)
	mustNoErr(t, err)
	want := "依申请公开答复（《政府信息公开条例》第三十三条第二款）：2026-09-28 起算（不含当日），按工作日计 20 日，期间遇国庆节假期顺延；截止 2026-10-30（星期五）"
	if text != want {
		t.Errorf("explain:\n got %s\nwant %s", text, want)
	}
}

func TestClockPauseExtendRestart(t *testing.T) {
	cal := Default()
	var c Clock
	mustNoErr(t, c.Start(rule(t, "disclosure.reply"), MustDate("2026-03-02")))
	// 03-03..06 (4), 09..13 (9), 16..20 (14), 23..27 (19), 03-30 (20).
	wantDue(t, &c, cal, "2026-03-30")

	// Third-party consultation 03-10 (Tue) to 03-20 (Fri): paused days are
	// 03-10..03-19, of which 8 are working days. 8 working days after 03-30:
	// 03-31, 04-01, 04-02, 04-03, (清明 04-04..06), 04-07, 04-08, 04-09, 04-10.
	mustNoErr(t, c.Pause(cal, MustDate("2026-03-10"), "征求第三方意见"))
	st, _ := c.Status(cal)
	if !st.Paused || st.PausedSince.String() != "2026-03-10" {
		t.Errorf("status while paused: %+v", st)
	}
	// Frozen remaining: working days 03-10..03-30 = 15.
	if n, _ := c.DaysLeft(cal, MustDate("2026-03-25")); n != 15 {
		t.Errorf("DaysLeft while paused = %d, want 15", n)
	}
	if over, _ := c.Overdue(cal, MustDate("2026-12-31")); over {
		t.Error("a paused clock is never overdue")
	}
	mustNoErr(t, c.Resume(cal, MustDate("2026-03-20")))
	wantDue(t, &c, cal, "2026-04-10")

	// Extension approved on 04-08, 20 working days from 04-10: 04-13..17 (5),
	// 20..24 (10), 27..30 (14), 劳动节 05-01..05, 05-06, 07, 08 (17),
	// make-up Sat 05-09 (18), 05-11 (19), 05-12 (20).
	mustNoErr(t, c.Extend(cal, rule(t, "disclosure.reply_extension"), "王主任", MustDate("2026-04-08")))
	wantDue(t, &c, cal, "2026-05-12")
	text, err := c.Explain(cal)
	mustNoErr(t, err)
	for _, want := range []string{
		"2026-03-10 起中止（征求第三方意见），2026-03-20 恢复，中止期间 8 个工作日不计入，截止顺延至 2026-04-10",
		"2026-04-08 经王主任批准延长 20 个工作日（依申请公开答复延期），自原截止日 2026-04-10 起按工作日计 20 日，期间遇劳动节假期顺延",
		"截止 2026-05-12（星期二）",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q:\n%s", want, text)
		}
	}

	// JSON round trip keeps the whole history and the same result.
	b, err := json.Marshal(c)
	mustNoErr(t, err)
	var back Clock
	mustNoErr(t, json.Unmarshal(b, &back))
	st1, _ := c.Status(cal)
	st2, err := back.Status(cal)
	mustNoErr(t, err)
	if !reflect.DeepEqual(st1, st2) || !strings.Contains(string(b), `"approved_by":"王主任"`) || !strings.Contains(string(b), `"date":"2026-03-10"`) {
		t.Errorf("round trip changed the clock:\n%s", b)
	}
	if back.Rule() != "disclosure.reply" || len(back.Events) != 4 {
		t.Errorf("round trip lost events: %+v", back.Events)
	}
}

func TestClockRestart(t *testing.T) {
	cal := Default()
	var c Clock
	mustNoErr(t, c.Start(rule(t, "disclosure.reply"), MustDate("2026-03-02")))
	mustNoErr(t, c.Pause(cal, MustDate("2026-03-04"), "待申请人补正"))
	// The corrected request arrives 03-09: the full 20 working days start
	// again. 03-10..13 (4), 16..20 (9), 23..27 (14), 03-30..04-03 (19),
	// 清明 04-04..06, 04-07 (20).
	mustNoErr(t, c.Restart(cal, MustDate("2026-03-09"), "申请人补正材料已收到"))
	wantDue(t, &c, cal, "2026-04-07")
	st, _ := c.Status(cal)
	if st.Paused || st.Trigger.String() != "2026-03-09" {
		t.Errorf("after restart: %+v", st)
	}
	text, _ := c.Explain(cal)
	if !strings.Contains(text, "因申请人补正材料已收到重新起算：2026-03-09 起算（不含当日），按工作日计 20 日，期间遇清明节假期顺延") {
		t.Errorf("explanation: %s", text)
	}
}

func TestCalendarDayClock(t *testing.T) {
	cal := Default()
	var c Clock
	// 60 days from 2026-08-04 is 10-03 (国庆) → 10-08.
	mustNoErr(t, c.Start(rule(t, "reconsideration.decide"), MustDate("2026-08-04")))
	wantDue(t, &c, cal, "2026-10-08")
	text, _ := c.Explain(cal)
	if !strings.Contains(text, "按日计 60 日，至 2026-10-03，该日为国庆节假期，顺延至 2026-10-08") {
		t.Errorf("explanation: %s", text)
	}
	// 中止 08-10..08-19 (10 days): the nominal end moves to 10-13 (Tue), a
	// working day, so the holiday no longer matters.
	mustNoErr(t, c.Pause(cal, MustDate("2026-08-10"), "申请人因不可抗力不能参加复议"))
	mustNoErr(t, c.Resume(cal, MustDate("2026-08-20")))
	wantDue(t, &c, cal, "2026-10-13")
	// Extension of 30 days from 10-13: 11-12 (Thu).
	mustNoErr(t, c.Extend(cal, rule(t, "reconsideration.decide_extension"), "李局长", MustDate("2026-10-09")))
	wantDue(t, &c, cal, "2026-11-12")
	// Too late to pause or extend after the due date.
	if err := c.Pause(cal, MustDate("2026-11-13"), "x"); !apperr.Is(err, apperr.DeadlinePassed) {
		t.Errorf("pause after due: %v", err)
	}
	if err := c.ExtendBy(cal, Period{5, CalendarDays}, "李局长", MustDate("2026-11-13")); !apperr.Is(err, apperr.DeadlinePassed) {
		t.Errorf("extend after due: %v", err)
	}
}

func TestClockMinimumRule(t *testing.T) {
	cal := Default()
	var c Clock
	// 30 days from 2026-04-29 is 05-29 (Fri).
	mustNoErr(t, c.Start(rule(t, "decision.public_comment"), MustDate("2026-04-29")))
	text, _ := c.Explain(cal)
	if !strings.HasSuffix(text, "不得早于 2026-05-29（星期五）结束") {
		t.Errorf("minimum wording: %s", text)
	}
}

func TestClockErrors(t *testing.T) {
	cal := Default()
	var c Clock
	if err := c.Pause(cal, MustDate("2026-03-02"), "x"); !apperr.Is(err, apperr.Precondition) {
		t.Errorf("pause before start: %v", err)
	}
	if err := c.Start(Rule{Name: "bad", Period: Period{0, WorkingDays}}, MustDate("2026-03-02")); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("zero period: %v", err)
	}
	mustNoErr(t, c.Start(rule(t, "reconsideration.accept"), MustDate("2026-03-02")))
	checks := []struct {
		name string
		err  error
		code apperr.Code
	}{
		{"start twice", c.Start(rule(t, "reconsideration.accept"), MustDate("2026-03-03")), apperr.Conflict},
		{"resume without pause", c.Resume(cal, MustDate("2026-03-03")), apperr.Conflict},
		{"pause without reason", c.Pause(cal, MustDate("2026-03-03"), " "), apperr.Invalid},
		{"date before last event", c.Pause(cal, MustDate("2026-03-01"), "x"), apperr.Invalid},
		{"extend without approver", c.ExtendBy(cal, Period{5, WorkingDays}, "", MustDate("2026-03-03")), apperr.Invalid},
		{"restart without reason", c.Restart(cal, MustDate("2026-03-03"), ""), apperr.Invalid},
	}
	for _, ch := range checks {
		if !apperr.Is(ch.err, ch.code) {
			t.Errorf("%s: got %v, want %s", ch.name, ch.err, ch.code)
		}
	}
	mustNoErr(t, c.Pause(cal, MustDate("2026-03-03"), "x"))
	if err := c.Pause(cal, MustDate("2026-03-04"), "y"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("double pause: %v", err)
	}
	if err := c.ExtendBy(cal, Period{5, WorkingDays}, "王", MustDate("2026-03-04")); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("extend while paused: %v", err)
	}
	if len(c.Events) != 2 {
		t.Errorf("failed operations changed the history: %+v", c.Events)
	}
	// A tampered history is reported, not silently computed.
	bad := Clock{Events: []Event{{Kind: EventStart, Date: MustDate("2026-03-02"), Period: Period{5, WorkingDays}}, {Kind: EventResume, Date: MustDate("2026-03-03")}}}
	if _, err := bad.Status(cal); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("resume without pause in stored history: %v", err)
	}
}

func TestDaysLeftAndOverdue(t *testing.T) {
	cal := Default()
	var c Clock
	mustNoErr(t, c.Start(rule(t, "disclosure.reply"), MustDate("2026-09-28"))) // due 10-30 (Fri)
	cases := []struct {
		today   string
		left    int
		overdue bool
	}{
		{"2026-09-28", 20, false},
		{"2026-09-30", 18, false},
		{"2026-10-05", 18, false}, // inside 国庆 nothing is used up
		{"2026-10-29", 1, false},
		{"2026-10-30", 0, false},
		{"2026-10-31", 0, true}, // Saturday after the due date
		{"2026-11-02", -1, true},
	}
	for _, cs := range cases {
		left, err := c.DaysLeft(cal, MustDate(cs.today))
		mustNoErr(t, err)
		over, _ := c.Overdue(cal, MustDate(cs.today))
		if left != cs.left || over != cs.overdue {
			t.Errorf("today %s: left %d overdue %v, want %d %v", cs.today, left, over, cs.left, cs.overdue)
		}
	}
}
