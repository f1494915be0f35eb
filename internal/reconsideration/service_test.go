package reconsideration

import (
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestEveryState takes one case through every state: received → correction
// requested → received again (acceptance clock restarted) → accepted →
// reply requested → reviewing (hearing) → suspended → reviewing (resumed,
// extended) → decided (撤销, a finding raised) → published, then the
// 意见书 and its follow-up. Each date is checked by hand against the 2026
// schedule (Spring Festival 2/15–2/23 off, Sat 2/14 and 2/28 worked; 清明
// 4/4–4/6; 劳动节 5/1–5/5, Sat 5/9 worked).
func TestEveryState(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c, err := f.s.Create(f.as(handler, "2026-02-12"), application("2026-02-12"))
		if err != nil {
			t.Fatal(err)
		}
		// Received Thu 2/12: five working days are 2/13, Sat 2/14 (make-up
		// day), then after the holiday 2/24, 2/25, 2/26.
		if c.Status != StatusReceived || c.AcceptDue != "2026-02-26" || c.DueStep != "受理审查" {
			t.Fatalf("received: %s %s %s", c.Status, c.AcceptDue, c.DueStep)
		}
		if !strings.HasPrefix(c.Code, "FY2026-") || c.Masked || c.ApplicantIDNumber != "110101199003071234" {
			t.Fatalf("code/masking for the handler: %s %v %s", c.Code, c.Masked, c.ApplicantIDNumber)
		}
		// Correction notice on 2/13: ten working days 2/14, 2/24–2/28 (Sat
		// 2/28 worked), 3/2–3/5.
		c = f.step(t, c, ActRequestCorrection, "2026-02-13", StepInput{Items: "请补充提交行政处罚决定书复印件和身份证明"})
		if c.Status != StatusCorrecting || c.CorrectionDue != "2026-03-05" {
			t.Fatalf("correcting: %s %s", c.Status, c.CorrectionDue)
		}
		// The corrected application arrives 3/3: the acceptance clock
		// restarts from it (3/4, 3/5, 3/6, 3/9, 3/10).
		c = f.step(t, c, ActCorrected, "2026-03-03", StepInput{})
		if c.Status != StatusReceived || c.AcceptDue != "2026-03-10" {
			t.Fatalf("corrected: %s %s", c.Status, c.AcceptDue)
		}
		// Accepted 3/9 in normal procedure: decision 60 days → 5/8 (Fri);
		// the copy is due in 7 working days (3/18).
		c = f.step(t, c, ActAccept, "2026-03-09", StepInput{})
		if c.Status != StatusAccepted || c.AcceptKind != "accepted" || c.DecideDue != "2026-05-08" || c.DueOn != "2026-03-18" {
			t.Fatalf("accepted: %s %s %s %s", c.Status, c.AcceptKind, c.DecideDue, c.DueOn)
		}
		// Copy 3/10: reply within ten working days → 3/24.
		c = f.step(t, c, ActSendCopy, "2026-03-10", StepInput{})
		if c.Status != StatusReplying || c.ReplyDue != "2026-03-24" {
			t.Fatalf("replying: %s %s", c.Status, c.ReplyDue)
		}
		c = f.step(t, c, ActReply, "2026-03-20", StepInput{})
		if c.Status != StatusReviewing || c.ReplyLate || c.DueOn != "2026-05-08" {
			t.Fatalf("reviewing: %s %v %s", c.Status, c.ReplyLate, c.DueOn)
		}
		// Suspended 3/23, resumed 4/2: ten days do not count → 5/18.
		c = f.step(t, c, ActSuspend, "2026-03-23", StepInput{Reason: "案件涉及的法律适用问题需要有权机关作出解释"})
		if c.Status != StatusSuspended || c.DueOn != "" {
			t.Fatalf("suspended: %s %q", c.Status, c.DueOn)
		}
		c = f.step(t, c, ActResume, "2026-04-02", StepInput{})
		if c.Status != StatusReviewing || c.DecideDue != "2026-05-18" {
			t.Fatalf("resumed: %s %s", c.Status, c.DecideDue)
		}
		// Hearing noticed Fri 4/3: five working days skip 清明 (4/6) → not
		// before 4/13.
		c = f.step(t, c, ActHearing, "2026-04-13", StepInput{NoticeOn: "2026-04-03", Text: "双方到场陈述，被申请人负责人出席"})
		// Extended by 30 days with notice: 5/18 + 30 = 6/17.
		c = f.step(t, c, ActExtend, "2026-05-06", StepInput{Days: 30, ApprovedBy: "李局长", Reason: "案情复杂", NoticeOn: "2026-05-06"})
		if !c.Extended || c.DecideDue != "2026-06-17" {
			t.Fatalf("extended: %v %s", c.Extended, c.DecideDue)
		}
		explain := ""
		for _, k := range c.Clocks {
			if k.Name == "作出复议决定" {
				explain = k.Explain
			}
		}
		for _, want := range []string{"《行政复议法》第六十二条", "中止", "李局长", "2026-06-17"} {
			if !strings.Contains(explain, want) {
				t.Fatalf("decision clock explanation lacks %q: %s", want, explain)
			}
		}
		c = f.step(t, c, ActDecide, "2026-06-01", StepInput{Outcome: "revoke", DecisionNo: "示府复决〔2026〕8号", Reason: "被申请人认定事实不清、证据不足"})
		if c.Status != StatusDecided || c.OnTime == nil || !*c.OnTime || c.FindingID == 0 {
			t.Fatalf("decided: %s %v %d", c.Status, c.OnTime, c.FindingID)
		}
		if len(f.fnd.raised) != 1 || f.fnd.raised[0].UnitID != 3 || !strings.Contains(f.fnd.raised[0].Title, "撤销") {
			t.Fatalf("finding raised: %+v", f.fnd.raised)
		}
		c = f.step(t, c, ActPublish, "2026-06-03", StepInput{})
		if c.Status != StatusPublished {
			t.Fatalf("published: %s", c.Status)
		}
		// 意见书 6/5: follow-up within 60 days → 8/4.
		c = f.step(t, c, ActOpinion, "2026-06-05", StepInput{Kind: "opinion", Text: "请规范行政处罚证据收集工作"})
		if c.FollowupDue != "2026-08-04" {
			t.Fatalf("follow-up due: %s", c.FollowupDue)
		}
		c = f.step(t, c, ActFollowup, "2026-07-20", StepInput{Text: "已重新作出处罚决定并组织培训"})
		if c.FollowupOn != "2026-07-20" {
			t.Fatalf("follow-up: %+v", c.Case)
		}
		var actions []string
		for _, e := range c.Events {
			actions = append(actions, e.Action)
		}
		want := "create request_correction corrected accept send_copy reply suspend resume hearing extend decide publish opinion followup"
		if strings.Join(actions, " ") != want {
			t.Fatalf("timeline: %v", actions)
		}
		var audits int
		if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM audit_events WHERE object_type = 'reconsideration_case'").Scan(&audits); err != nil {
			t.Fatal(err)
		}
		if audits != len(actions) {
			t.Fatalf("audit events %d, want %d", audits, len(actions))
		}
	})
}

// TestOtherEnds covers the other ways a case ends: not accepted, deemed
// accepted, lapsed correction, settlement, termination after 60 days of
// suspension, no reply, and mediation.
func TestOtherEnds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		newCase := func(day string) *Detail {
			c, err := f.s.Create(f.as(handler, day), application(day))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		c := f.step(t, newCase("2026-03-02"), ActNotAccept, "2026-03-04", StepInput{Reason: "申请超过法定申请期限"})
		if c.Status != StatusNotAccepted || c.ConcludedOn != "2026-03-04" {
			t.Fatalf("not accepted: %+v", c.Case)
		}
		// Deemed accepted on the day after the review's last day (3/9 for
		// 3/2): 60 days from 3/10 end on Sat 5/9, a make-up working day.
		c = f.step(t, newCase("2026-03-02"), ActDeem, "2026-03-12", StepInput{})
		if c.AcceptKind != "deemed" || c.AcceptedOn != "2026-03-10" || c.DecideDue != "2026-05-09" {
			t.Fatalf("deemed: %s %s %s", c.AcceptKind, c.AcceptedOn, c.DecideDue)
		}
		// No reply within the period: reviewed on what the file holds.
		c = f.step(t, c, ActSendCopy, "2026-03-12", StepInput{})
		c = f.step(t, c, ActNoReply, "2026-03-30", StepInput{})
		if c.Status != StatusReviewing || !c.ReplyLate {
			t.Fatalf("no reply: %+v", c.Case)
		}
		c = f.step(t, c, ActDecide, "2026-04-10", StepInput{Outcome: "mediation", DecisionNo: "示府复调〔2026〕1号", Reason: "双方自愿达成调解协议"})
		if c.Outcome != "mediation" || c.FindingID != 0 {
			t.Fatalf("mediation: %+v", c.Case)
		}
		// Lapsed correction: terminated, not counted as 审结.
		c = f.step(t, newCase("2026-03-02"), ActRequestCorrection, "2026-03-03", StepInput{Items: "缺少申请人签名"})
		c = f.step(t, c, ActLapse, "2026-03-20", StepInput{})
		if c.Status != StatusTerminated || c.Termination != "lapsed" {
			t.Fatalf("lapsed: %+v", c.Case)
		}
		// Settlement: terminated after acceptance.
		c = f.step(t, newCase("2026-03-02"), ActAccept, "2026-03-03", StepInput{})
		c = f.step(t, c, ActTerminate, "2026-03-20", StepInput{Termination: "settlement", Reason: "双方和解，申请人撤回申请"})
		if c.Status != StatusTerminated || c.Termination != "settlement" {
			t.Fatalf("settled: %+v", c.Case)
		}
		// A suspension reaching 60 days ends the case, not before: 3/10 + 60
		// days is Sat 5/9, a make-up working day in 2026.
		c = f.step(t, newCase("2026-03-02"), ActAccept, "2026-03-03", StepInput{})
		c = f.step(t, c, ActSuspend, "2026-03-10", StepInput{Reason: "作为申请人的自然人下落不明"})
		err := f.try(c, ActTerminate, "2026-05-08", StepInput{Termination: "suspension_limit", Reason: "中止满六十日"})
		wantErr(t, err, apperr.Precondition, "终止审理", "满六十日（2026-05-09）")
		c = f.step(t, c, ActTerminate, "2026-05-09", StepInput{Termination: "suspension_limit", Reason: "中止满六十日"})
		if c.Status != StatusTerminated {
			t.Fatalf("suspension limit: %s", c.Status)
		}
	})
}

// TestSimpleProcedure: eligibility (art. 53) and the shorter clocks.
func TestSimpleProcedure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		// A 50,000-yuan fine is not eligible.
		c, err := f.s.Create(f.as(handler, "2026-03-02"), application("2026-03-02"))
		if err != nil {
			t.Fatal(err)
		}
		if len(c.SimpleGrounds) != 0 {
			t.Fatalf("grounds: %v", c.SimpleGrounds)
		}
		wantErr(t, f.try(c, ActAccept, "2026-03-03", StepInput{Simple: true}), apperr.Precondition, "决定受理", "第五十三条")
		// A 2,000-yuan fine is.
		in := application("2026-03-02")
		in.AmountFen = 200000
		c, err = f.s.Create(f.as(handler, "2026-03-02"), in)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.SimpleGrounds) != 1 || !strings.Contains(c.SimpleGrounds[0], "三千元") {
			t.Fatalf("grounds: %v", c.SimpleGrounds)
		}
		// Accepted 3/3: decision in 30 days → 4/2; copy in 3 working days
		// → 3/6; reply in 5 working days from 3/4 → 3/11.
		c = f.step(t, c, ActAccept, "2026-03-03", StepInput{Simple: true})
		if !c.Simple || c.DecideDue != "2026-04-02" || c.DueOn != "2026-03-06" {
			t.Fatalf("simple accepted: %v %s %s", c.Simple, c.DecideDue, c.DueOn)
		}
		c = f.step(t, c, ActSendCopy, "2026-03-04", StepInput{})
		if c.ReplyDue != "2026-03-11" {
			t.Fatalf("simple reply due: %s", c.ReplyDue)
		}
		c = f.step(t, c, ActReply, "2026-03-12", StepInput{})
		if !c.ReplyLate {
			t.Fatal("a reply after the due date is recorded as late")
		}
		wantErr(t, f.try(c, ActExtend, "2026-03-20", StepInput{Days: 10, ApprovedBy: "李局长", Reason: "复杂", NoticeOn: "2026-03-20"}),
			apperr.Precondition, "延长审理期限", "简易程序")
		// Late decision: recorded, and not on time.
		c = f.step(t, c, ActDecide, "2026-04-07", StepInput{Outcome: "uphold", DecisionNo: "示府复决〔2026〕9号", Reason: "事实清楚"})
		if c.OnTime == nil || *c.OnTime {
			t.Fatalf("late decision on_time: %v", c.OnTime)
		}
	})
}
