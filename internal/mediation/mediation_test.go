package mediation

import (
	"context"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestCaseGates walks a case through every step and checks each gate the
// service enforces, and that a refused step writes nothing.
func TestCaseGates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := setup(t, d)
		ctx := as(townClerk)
		c, m := committee(t, s, unitVillage, "石桥村人民调解委员会")

		// Intake: bad input names the field, nothing is written.
		_, err := s.Create(ctx, CaseInput{CommitteeID: c.ID, DisputeType: "无此类型", Source: "court", ReceivedOn: "2026-07-30", PartyIDNumber: "123"})
		wantCode(t, err, apperr.Invalid, "dispute_type")
		for _, f := range []string{"source_ref", "received_on", "parties", "party_id_number"} {
			wantCode(t, err, apperr.Invalid, f+":")
		}
		if n := count(t, d, "SELECT COUNT(*) FROM mediation_cases"); n != 0 {
			t.Fatalf("a refused intake wrote %d cases", n)
		}
		in := newCaseIn(c, "2026-01-05")
		in.MediatorID = m.ID
		k, err := s.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if k.Status != StatusAccepted || k.Code != "TJ2026-"+itoa(k.ID) || k.MediatorName != "王调解" {
			t.Fatalf("created: %+v", k.Case)
		}

		// Gate: no agreement and no failure before a mediation session.
		_, err = s.Agree(ctx, k.ID, AgreementInput{Version: k.Version, Day: "2026-01-06", Form: FormOral, Terms: "和解"})
		wantCode(t, err, apperr.Precondition, "尚未记录调解过程")
		_, err = s.Fail(ctx, k.ID, FailInput{Version: k.Version, Day: "2026-01-06", Reason: "分歧大"})
		wantCode(t, err, apperr.Precondition, "尚未记录调解过程")
		// Gate: a session cannot precede the intake.
		_, err = s.Session(ctx, k.ID, SessionInput{Version: k.Version, Day: "2026-01-04", Note: "第一次调解"})
		wantCode(t, err, apperr.Invalid, "day:")
		k, err = s.Session(ctx, k.ID, SessionInput{Version: k.Version, Day: "2026-01-06", Note: "第一次调解，双方陈述"})
		if err != nil || k.Status != StatusMediating || k.Sessions != 1 {
			t.Fatalf("session: %v %+v", err, k)
		}
		// A stale version is a conflict.
		_, err = s.Session(ctx, k.ID, SessionInput{Version: k.Version - 1, Day: "2026-01-07", Note: "第二次"})
		wantCode(t, err, apperr.Conflict, "")

		// Oral agreement: no judicial confirmation.
		k, err = s.Agree(ctx, k.ID, AgreementInput{Version: k.Version, Day: "2026-01-08", Form: "口头协议", Terms: "共同疏通排水沟"})
		if err != nil || k.Status != StatusSucceeded || k.ConfirmDue != "" || k.ClosedOn != "2026-01-08" {
			t.Fatalf("oral agreement: %v %+v", err, k)
		}
		_, err = s.ApplyConfirm(ctx, k.ID, ConfirmApplyInput{Version: k.Version, Day: "2026-01-09", Court: "示范区人民法院"})
		wantCode(t, err, apperr.Precondition, "口头调解协议不能申请司法确认")
		// Gate: a concluded case takes no more sessions or agreement.
		_, err = s.Session(ctx, k.ID, SessionInput{Version: k.Version, Day: "2026-01-09", Note: "再调"})
		wantCode(t, err, apperr.Precondition, "案件已调解成功")
		// Litigation only after failure, refusal or non-fulfilment.
		_, err = s.Litigation(ctx, k.ID, LitigationInput{Version: k.Version, Day: "2026-01-10"})
		wantCode(t, err, apperr.Precondition, "只有调解不成")
		// Follow-up: fulfilled is final.
		k, err = s.Followup(ctx, k.ID, FollowupInput{Version: k.Version, Day: "2026-01-20", Note: "已疏通", Fulfilment: "已履行"})
		if err != nil || k.Fulfilment != FulfilDone || k.FulfilledOn != "2026-01-20" || k.Followups != 1 {
			t.Fatalf("followup: %v %+v", err, k)
		}
		_, err = s.Followup(ctx, k.ID, FollowupInput{Version: k.Version, Day: "2026-02-20", Note: "又堵了", Fulfilment: FulfilPartial})
		wantCode(t, err, apperr.Invalid, "fulfilment:")

		// Written agreement: the confirmation window is 30 calendar days
		// from the day it took effect (rule mediation.confirm).
		w, err := s.Create(ctx, newCaseIn(c, "2026-03-02"))
		if err != nil {
			t.Fatal(err)
		}
		w, _ = s.Session(ctx, w.ID, SessionInput{Version: w.Version, Day: "2026-03-03", Note: "调解"})
		_, err = s.Agree(ctx, w.ID, AgreementInput{Version: w.Version, Day: "2026-03-04", Form: FormWritten})
		wantCode(t, err, apperr.Invalid, "terms:")
		w, err = s.Agree(ctx, w.ID, AgreementInput{Version: w.Version, Day: "2026-03-04", Form: FormWritten, Terms: "赔偿 2000 元"})
		if err != nil || w.ConfirmDue != "2026-04-03" {
			t.Fatalf("written agreement: %v due %q", err, w.ConfirmDue)
		}
		// Result before an application is refused.
		_, err = s.ConfirmResult(ctx, w.ID, ConfirmResultInput{Version: w.Version, Day: "2026-04-10", Result: ConfirmValid})
		wantCode(t, err, apperr.Precondition, "尚未申请司法确认")
		// Past the window: refused, naming the last day.
		before := count(t, d, "SELECT COUNT(*) FROM mediation_steps WHERE case_id = ?", w.ID)
		_, err = s.ApplyConfirm(ctx, w.ID, ConfirmApplyInput{Version: w.Version, Day: "2026-04-04", Court: "示范区人民法院"})
		wantCode(t, err, apperr.Invalid, "至 2026-04-03 止")
		if after := count(t, d, "SELECT COUNT(*) FROM mediation_steps WHERE case_id = ?", w.ID); after != before {
			t.Fatalf("a refused step wrote a step line")
		}
		w, err = s.ApplyConfirm(ctx, w.ID, ConfirmApplyInput{Version: w.Version, Day: "2026-04-03", Court: "示范区人民法院"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.ApplyConfirm(ctx, w.ID, ConfirmApplyInput{Version: w.Version, Day: "2026-04-03", Court: "示范区人民法院"})
		wantCode(t, err, apperr.Precondition, "已于 2026-04-03 申请司法确认")
		_, err = s.ConfirmResult(ctx, w.ID, ConfirmResultInput{Version: w.Version, Day: "2026-04-01", Result: ConfirmValid})
		wantCode(t, err, apperr.Invalid, "day:")
		w, err = s.ConfirmResult(ctx, w.ID, ConfirmResultInput{Version: w.Version, Day: "2026-04-10", Result: "驳回申请"})
		if err != nil || w.ConfirmResult != ConfirmRejected {
			t.Fatalf("result: %v %+v", err, w)
		}
		// A refused confirmation may go to court (art. 33).
		if w, err = s.Litigation(ctx, w.ID, LitigationInput{Version: w.Version, Day: "2026-04-12", Note: "告知向示范区人民法院起诉"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.Litigation(ctx, w.ID, LitigationInput{Version: w.Version, Day: "2026-04-13"})
		wantCode(t, err, apperr.Precondition, "已于 2026-04-12 引导诉讼")

		// Failure: reason required, then litigation.
		f, _ := s.Create(ctx, newCaseIn(c, "2026-05-06"))
		f, _ = s.Session(ctx, f.ID, SessionInput{Version: f.Version, Day: "2026-05-07", Note: "调解"})
		_, err = s.Fail(ctx, f.ID, FailInput{Version: f.Version, Day: "2026-05-08"})
		wantCode(t, err, apperr.Invalid, "reason:")
		f, err = s.Fail(ctx, f.ID, FailInput{Version: f.Version, Day: "2026-05-08", Reason: "双方分歧较大"})
		if err != nil || f.Status != StatusFailed {
			t.Fatalf("fail: %v", err)
		}
		_, err = s.Followup(ctx, f.ID, FollowupInput{Version: f.Version, Day: "2026-05-09", Note: "回访"})
		wantCode(t, err, apperr.Precondition, "只有达成调解协议")
		if _, err = s.Litigation(ctx, f.ID, LitigationInput{Version: f.Version, Day: "2026-05-09"}); err != nil {
			t.Fatal(err)
		}

		// Scope: another town's clerk does not see the case; the leader
		// reads it masked and may not write.
		_, err = s.Get(as(outsider), k.ID)
		wantCode(t, err, apperr.NotFound, "")
		_, err = s.Session(as(outsider), f.ID, SessionInput{Version: f.Version, Day: "2026-05-09", Note: "x"})
		wantCode(t, err, apperr.NotFound, "")
		_, err = s.Session(as(leader), f.ID, SessionInput{Version: f.Version, Day: "2026-05-09", Note: "x"})
		wantCode(t, err, apperr.Forbidden, "")
		got, err := s.Get(as(leader), k.ID)
		if err != nil || !got.Masked || got.Parties != "张*、李*" || got.PartyPhone != "138****5678" || got.PartyIDNumber != "110101********1234" {
			t.Fatalf("leader sees: %v %+v", err, got)
		}
		full, _ := s.Get(ctx, k.ID)
		if full.Masked || full.Parties != "张三、李四" {
			t.Fatalf("the handling clerk sees: %+v", full.Case)
		}
		// Another town's clerk cannot register a case for this committee.
		_, err = s.Create(as(outsider), newCaseIn(c, "2026-05-06"))
		wantCode(t, err, apperr.NotFound, "")
		// Lists are scoped.
		p, err := s.List(as(outsider), Filter{}, db.ListReq{})
		if err != nil || len(p.Items) != 0 {
			t.Fatalf("outsider list: %v %d", err, len(p.Items))
		}
		p, err = s.List(ctx, Filter{Litigation: true}, db.ListReq{})
		if err != nil || len(p.Items) != 2 {
			t.Fatalf("litigation filter: %v %d", err, len(p.Items))
		}
		// Every write was audited.
		if n := count(t, d, "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'mediation.%'"); n < 15 {
			t.Fatalf("audit events: %d", n)
		}
		_ = context.Background()
	})
}

func itoa(n int64) string {
	const digits = "0123456789"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{digits[n%10]}, b...)
	}
	return string(b)
}
