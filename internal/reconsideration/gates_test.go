package reconsideration

import (
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestGates: every gate is enforced by the service, refused with a Chinese
// message naming the step, and nothing is written.
func TestGates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		newCase := func(day string) *Detail {
			c, err := f.s.Create(f.as(handler, day), application(day))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		events := func(id int64) int {
			var n int
			if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM reconsideration_events WHERE case_id = ?", id).Scan(&n); err != nil {
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
		// Received Thu 2/12 (before the Spring Festival).
		c := newCase("2026-02-12")
		// Step out of order: the status gate names the step and the wait.
		refused(c, ActDecide, "2026-02-13", StepInput{Outcome: "uphold"}, apperr.Precondition, "作出复议决定", "待受理审查")
		refused(c, ActSendCopy, "2026-02-13", StepInput{}, apperr.Precondition, "发送答复通知书及申请书副本", "受理")
		// Deemed acceptance only once the 5 working days (to 2/26) pass.
		refused(c, ActDeem, "2026-02-26", StepInput{}, apperr.Precondition, "登记视为受理", "2026-02-26 尚未届满")
		// After them no acceptance or refusal may be decided any more.
		refused(c, ActAccept, "2026-02-27", StepInput{}, apperr.DeadlinePassed, "决定受理", "依法视为受理")
		refused(c, ActNotAccept, "2026-02-27", StepInput{Reason: "超期"}, apperr.DeadlinePassed, "决定不予受理", "依法视为受理")
		// The correction notice is due in 5 working days as well.
		refused(c, ActRequestCorrection, "2026-02-27", StepInput{Items: "补充材料"}, apperr.DeadlinePassed, "通知补正", "2026-02-26")
		// A refusal needs its reason (field named).
		refused(c, ActNotAccept, "2026-02-13", StepInput{}, apperr.Invalid, "reason:请填写不予受理理由")
		// A step dated before the receipt or after today is refused.
		refused(c, ActAccept, "2026-02-11", StepInput{}, apperr.Invalid, "date:办理日期不能早于 2026-02-12")

		// Correction: the corrected application only within the 10 working
		// days (2/13 notice → 3/5), the lapse only after them.
		c = f.step(t, c, ActRequestCorrection, "2026-02-13", StepInput{Items: "补充身份证明"})
		refused(c, ActLapse, "2026-03-05", StepInput{}, apperr.Precondition, "补正逾期视为放弃", "2026-03-05 尚未届满")
		refused(c, ActCorrected, "2026-03-06", StepInput{}, apperr.DeadlinePassed, "收到补正材料", "视为放弃")
		c = f.step(t, c, ActCorrected, "2026-03-05", StepInput{})
		c = f.step(t, c, ActAccept, "2026-03-06", StepInput{})

		// Reply across no holiday: copy 3/9 → 3/23; no reply only after.
		c = f.step(t, c, ActSendCopy, "2026-03-09", StepInput{})
		refused(c, ActNoReply, "2026-03-23", StepInput{}, apperr.Precondition, "答复期满未答复", "2026-03-23 尚未届满")
		refused(c, ActDecide, "2026-03-20", StepInput{Outcome: "uphold", DecisionNo: "x", Reason: "y"}, apperr.Precondition, "作出复议决定", "被申请人尚未答复")
		c = f.step(t, c, ActReply, "2026-03-16", StepInput{})

		// Hearing: at least five working days after its notice.
		refused(c, ActHearing, "2026-03-20", StepInput{NoticeOn: "2026-03-16"}, apperr.Precondition, "组织听证", "不得早于 2026-03-23")
		refused(c, ActHearing, "2026-03-23", StepInput{}, apperr.Invalid, "notice_on:请填写听证通知日期")

		// Extension: up to 30 days, approved, with notice, once.
		refused(c, ActExtend, "2026-04-01", StepInput{Days: 31, ApprovedBy: "李局长", Reason: "复杂", NoticeOn: "2026-04-01"}, apperr.Invalid, "days:", "三十日")
		refused(c, ActExtend, "2026-04-01", StepInput{Days: 30, Reason: "复杂", NoticeOn: "2026-04-01"}, apperr.Invalid, "approved_by:")
		refused(c, ActExtend, "2026-04-01", StepInput{Days: 30, ApprovedBy: "李局长", Reason: "复杂"}, apperr.Invalid, "notice_on:")
		c = f.step(t, c, ActExtend, "2026-04-01", StepInput{Days: 20, ApprovedBy: "李局长", Reason: "复杂", NoticeOn: "2026-04-01"})
		refused(c, ActExtend, "2026-04-02", StepInput{Days: 10, ApprovedBy: "李局长", Reason: "复杂", NoticeOn: "2026-04-02"}, apperr.Precondition, "延长审理期限", "只能延长一次")

		// Resume only while suspended; terminate needs a valid ground.
		refused(c, ActResume, "2026-04-02", StepInput{}, apperr.Precondition, "恢复审理", "审理中")
		refused(c, ActTerminate, "2026-04-02", StepInput{Termination: "lapsed", Reason: "x"}, apperr.Invalid, "termination:")
		refused(c, ActTerminate, "2026-04-02", StepInput{Termination: "suspension_limit", Reason: "x"}, apperr.Precondition, "终止审理", "中止审理中")

		// Decision: a valid outcome, its number and its reason.
		refused(c, ActDecide, "2026-04-10", StepInput{Outcome: "maybe"}, apperr.Invalid, "outcome:", "decision_no:", "reason:")
		// Publication, opinion and follow-up only after a decision.
		refused(c, ActPublish, "2026-04-10", StepInput{}, apperr.Precondition, "公开决定书", "案件正在审理")
		c = f.step(t, c, ActDecide, "2026-04-10", StepInput{Outcome: "dismiss", DecisionNo: "示府复决〔2026〕3号", Reason: "请求不成立"})
		refused(c, ActFollowup, "2026-04-11", StepInput{Text: "x"}, apperr.Precondition, "收到整改情况报告", "尚未制发")
		refused(c, ActPublish, "2026-04-09", StepInput{}, apperr.Invalid, "date:办理日期不能早于决定日期")
		c = f.step(t, c, ActOpinion, "2026-04-13", StepInput{Kind: "suggestion", Text: "建议完善执法程序"})
		refused(c, ActOpinion, "2026-04-14", StepInput{Kind: "opinion", Text: "x"}, apperr.Precondition, "制发意见书或建议书", "已于 2026-04-13")
		c = f.step(t, c, ActSued, "2026-04-20", StepInput{})
		refused(c, ActSued, "2026-04-21", StepInput{}, apperr.Precondition, "登记申请人起诉", "已登记")

		// A terminated case takes no more steps.
		s := f.step(t, newCase("2026-03-02"), ActAccept, "2026-03-02", StepInput{})
		s = f.step(t, s, ActTerminate, "2026-03-05", StepInput{Termination: "withdrawn", Reason: "申请人撤回"})
		refused(s, ActDecide, "2026-03-06", StepInput{Outcome: "uphold"}, apperr.Precondition, "作出复议决定", "已经办结")

		// A stale version is a conflict; a missing one names 版本号.
		stale := *c
		stale.Version--
		wantErr(t, f.try(&stale, ActPublish, "2026-04-21", StepInput{}), apperr.Conflict)
		_, err := f.s.Step(f.as(handler, "2026-04-21"), c.ID, ActPublish, StepInput{Date: "2026-04-21"})
		wantErr(t, err, apperr.Invalid, "版本号")
	})
}

// TestSpringFestivalReply: a reply clock started just before the Spring
// Festival skips the nine days off and counts both make-up Saturdays.
func TestSpringFestivalReply(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c, err := f.s.Create(f.as(handler, "2026-02-09"), application("2026-02-09"))
		if err != nil {
			t.Fatal(err)
		}
		c = f.step(t, c, ActAccept, "2026-02-11", StepInput{})
		// Copy Thu 2/12: 2/13, Sat 2/14, (2/15–2/23 off), 2/24–2/27, Sat
		// 2/28, 3/2, 3/3, 3/4 → ten working days end 3/4.
		c = f.step(t, c, ActSendCopy, "2026-02-12", StepInput{})
		if c.ReplyDue != "2026-03-04" {
			t.Fatalf("reply due %s, want 2026-03-04", c.ReplyDue)
		}
		// The decision clock (60 days from 2/11 → 4/12, a Sunday) rolls to
		// Monday 4/13.
		if c.DecideDue != "2026-04-13" {
			t.Fatalf("decide due %s, want 2026-04-13", c.DecideDue)
		}
	})
}

// TestScopeAndMasking: the respondent's staff read their unit's cases with
// personal data masked and cannot write; another unit's case is not found.
func TestScopeAndMasking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c, err := f.s.Create(f.as(handler, "2026-03-02"), application("2026-03-02"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.s.Get(f.as(clerk, "2026-03-02"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Masked || got.ApplicantIDNumber == "110101199003071234" || got.ApplicantPhone == "13800138000" || got.ApplicantAddress == "示范区幸福路88号3单元" {
			t.Fatalf("respondent sees personal data: %+v", got.Case)
		}
		if len(got.Steps) != 0 {
			t.Fatalf("a reader gets no steps: %v", got.Steps)
		}
		_, err = f.s.Get(f.as(outsider, "2026-03-02"), c.ID)
		wantErr(t, err, apperr.NotFound)
		list, err := f.s.List(f.as(outsider, "2026-03-02"), Filter{}, db.ListReq{})
		if err != nil || len(list.Items) != 0 {
			t.Fatalf("outsider list: %v %v", list.Items, err)
		}
		_, err = f.s.Step(f.as(clerk, "2026-03-03"), c.ID, ActAccept, StepInput{Version: c.Version, Date: "2026-03-03"})
		wantErr(t, err, apperr.Forbidden)
		// Bad input names each field, and nothing is written.
		_, err = f.s.Create(f.as(handler, "2026-03-02"), ApplicationInput{UnitID: 99, Category: "x", Channel: "y", ReceivedOn: "2026-13-01"})
		wantErr(t, err, apperr.Invalid, "applicant_name:", "act:", "category:", "channel:", "unit_id:", "received_on:")
		var n int
		if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM reconsideration_cases").Scan(&n); err != nil || n != 1 {
			t.Fatalf("cases %d %v", n, err)
		}
	})
}
