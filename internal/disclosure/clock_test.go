package disclosure

import (
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The 2026 schedule these tests cross (DOMAIN.md §5.2): 春节 2/15–2/23 off
// with make-up working days Sat 2/14 and Sat 2/28; 中秋 9/25–9/27 and 国庆
// 10/1–10/7 off with make-up working days Sun 9/20 and Sat 10/10. Expected
// dates were counted by hand from that table.

// TestReceiptRulePerChannel: the receipt date (and so the start of the
// reply clock) is the day submitted in person, the day the post was signed
// for, the day an online, fax or ordinary-mail request was confirmed.
func TestReceiptRulePerChannel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		base := CreateInput{UnitID: 3, ApplicantType: "natural", ApplicantName: "李四", Content: "某项行政许可的批准文件"}
		cases := []struct {
			channel, submitted, signed, confirmed string
			received, rule, due                   string
		}{
			// In person on the Friday before 国庆: the day received; 20 working
			// days skip 9/25–9/27 and 10/1–10/7 and count Sat 10/10.
			{ChannelInPerson, "2026-09-18", "", "", "2026-09-18", "disclosure.receipt.in_person", "2026-10-22"},
			// Posted 9/28, signed for on 10/9 (after the holiday): the day signed for.
			{ChannelPost, "2026-09-28", "2026-10-09", "", "2026-10-09", "disclosure.receipt.post", "2026-11-05"},
			// Online on 9/30, confirmed 10/8: the day confirmed.
			{ChannelOnline, "2026-09-30", "", "2026-10-08", "2026-10-08", "disclosure.receipt.online", "2026-11-04"},
			{ChannelFax, "2026-09-30", "", "2026-10-08", "2026-10-08", "disclosure.receipt.fax", "2026-11-04"},
			{ChannelMail, "2026-09-28", "", "2026-10-09", "2026-10-09", "disclosure.receipt.mail", "2026-11-05"},
		}
		for _, c := range cases {
			in := base
			in.Channel, in.SubmittedOn, in.SignedOn, in.ConfirmedOn = c.channel, c.submitted, c.signed, c.confirmed
			r, err := f.s.Create(as(clerk), in)
			if err != nil {
				t.Fatalf("%s: %v", c.channel, err)
			}
			if r.ReceivedOn != c.received || r.ReceiptRule != c.rule || r.ReplyDue != c.due {
				t.Fatalf("%s: received %s rule %s due %s, want %s %s %s", c.channel, r.ReceivedOn, r.ReceiptRule, r.ReplyDue, c.received, c.rule, c.due)
			}
			if !strings.Contains(r.ReceiptExplain, "第三十一条") || !strings.Contains(r.DueExplain, "截止 "+c.due) {
				t.Fatalf("%s: explanations %q / %q", c.channel, r.ReceiptExplain, r.DueExplain)
			}
		}
		// The deciding date is required for its channel, and not before submission.
		in := base
		in.Channel, in.SubmittedOn = ChannelPost, "2026-09-28"
		_, err := f.s.Create(as(clerk), in)
		wantField(t, err, "signed_on", "请填写签收日期")
		in.Channel, in.ConfirmedOn = ChannelOnline, "2026-09-27"
		_, err = f.s.Create(as(clerk), in)
		wantField(t, err, "confirmed_on", "不能早于申请日期")
		in.Channel = "carrier pigeon"
		_, err = f.s.Create(as(clerk), in)
		wantField(t, err, "channel", "申请渠道")
		var n int
		if err := d.QueryRow(as(clerk), "SELECT COUNT(*) FROM disclosure_requests").Scan(&n); err != nil || n != len(cases) {
			t.Fatalf("rows = %d (%v), want %d: a refused request wrote something", n, err, len(cases))
		}
	})
}

// TestCorrectionRestartAcrossSpringFestival: the correction notice is due
// 7 working days after receipt (Sat 2/14 counts), and the reply clock
// restarts in full from the corrected request, across 春节.
func TestCorrectionRestartAcrossSpringFestival(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.request(t, "2026-02-05")
		if r.CorrectionDue != "2026-02-14" || r.ReplyDue != "2026-03-11" {
			t.Fatalf("correction due %s reply due %s, want 2026-02-14 and 2026-03-11", r.CorrectionDue, r.ReplyDue)
		}
		r, err := f.s.Correction(as(clerk), r.ID, CorrectionInput{Version: r.Version, Date: "2026-02-10", Items: "请写明所需信息的文号或时间范围", Until: "2026-03-10"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusCorrecting || r.CorrectionOn != "2026-02-10" {
			t.Fatalf("after notice: %+v", r.Request)
		}
		r, err = f.s.Corrected(as(clerk), r.ID, DateInput{Version: r.Version, Date: "2026-02-12"})
		if err != nil {
			t.Fatal(err)
		}
		// 2/13 (1), Sat 2/14 make-up (2), 2/15–2/23 off, 2/24–2/27 (6), Sat 2/28 (7), … 3/18 (20).
		if r.Status != StatusProcessing || r.ReplyDue != "2026-03-18" || r.CorrectedOn != "2026-02-12" {
			t.Fatalf("after correction: status %s due %s", r.Status, r.ReplyDue)
		}
		if !strings.Contains(r.DueExplain, "因收到补正后的申请重新起算") || !strings.Contains(r.DueExplain, "春节") {
			t.Fatalf("explain: %s", r.DueExplain)
		}
		// A late correction notice is refused: 2/24 is after the 7 working days.
		late := f.request(t, "2026-02-05")
		_, err = f.s.Correction(as(clerk), late.ID, CorrectionInput{Version: late.Version, Date: "2026-02-24", Items: "补充身份证明", Until: "2026-03-10"})
		wantCode(t, err, apperr.DeadlinePassed, "补正告知期限已于 2026-02-14 届满")
	})
}

// TestThirdPartyPauseAcrossNationalDay: the consultation's working days do
// not count toward the reply deadline; the third party has 15 working days.
func TestThirdPartyPauseAcrossNationalDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.request(t, "2026-09-15")
		if r.ReplyDue != "2026-10-19" {
			t.Fatalf("due %s, want 2026-10-19", r.ReplyDue)
		}
		r, err := f.s.Consult(as(clerk), r.ID, ConsultInput{Version: r.Version, Date: "2026-09-18", Party: "某食品有限公司"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusConsulting || r.ConsultDue != "2026-10-15" {
			t.Fatalf("consult: status %s third-party due %s, want 2026-10-15", r.Status, r.ConsultDue)
		}
		// Paused 9/18 ≤ d < 10/12: 9/18, Sun 9/20, 9/21–9/24, 9/28–9/30, 10/8, 10/9, Sat 10/10 = 12 working days.
		r, err = f.s.ConsultClosed(as(clerk), r.ID, ConsultCloseInput{Version: r.Version, Date: "2026-10-12", Result: "object"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != StatusProcessing || r.ReplyDue != "2026-11-04" {
			t.Fatalf("after consultation: status %s due %s, want 2026-11-04", r.Status, r.ReplyDue)
		}
		if !strings.Contains(r.DueExplain, "中止期间 12 个工作日不计入") {
			t.Fatalf("explain: %s", r.DueExplain)
		}
	})
}

// TestExtensionAcrossNationalDay: one extension of up to 20 working days,
// approved before the deadline, counted from the old deadline across 国庆
// (Sat 10/10 counts).
func TestExtensionAcrossNationalDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.request(t, "2026-09-01")
		if r.ReplyDue != "2026-09-29" {
			t.Fatalf("due %s, want 2026-09-29", r.ReplyDue)
		}
		_, err := f.s.Extend(as(clerk), r.ID, ExtendInput{Version: r.Version, Date: "2026-09-25", Days: 20, ApprovedBy: "王主任", Reason: "信息量大"})
		wantCode(t, err, apperr.Forbidden, "审批依申请公开")
		_, err = f.s.Extend(as(head), r.ID, ExtendInput{Version: r.Version, Date: "2026-09-24", Days: 21, ApprovedBy: "王主任", Reason: "信息量大"})
		wantField(t, err, "days", "1 到 20")
		r, err = f.s.Extend(as(head), r.ID, ExtendInput{Version: r.Version, Date: "2026-09-24", Days: 20, ApprovedBy: "王主任", Reason: "信息量大，需要检索"})
		if err != nil {
			t.Fatal(err)
		}
		if r.ReplyDue != "2026-11-02" || r.ExtensionDays != 20 || r.ExtensionBy != "王主任" {
			t.Fatalf("extended: due %s days %d by %s, want 2026-11-02", r.ReplyDue, r.ExtensionDays, r.ExtensionBy)
		}
		if !strings.Contains(r.DueExplain, "经王主任批准延长") {
			t.Fatalf("explain: %s", r.DueExplain)
		}
		_, err = f.s.Extend(as(head), r.ID, ExtendInput{Version: r.Version, Date: "2026-10-09", Days: 5, ApprovedBy: "王主任", Reason: "再延"})
		wantCode(t, err, apperr.Precondition, "不能再次延长")
		// Shorter extension; refused after the deadline has passed.
		s := f.request(t, "2026-09-01")
		s2, err := f.s.Extend(as(head), s.ID, ExtendInput{Version: s.Version, Date: "2026-09-29", Days: 15, ApprovedBy: "王主任", Reason: "需协调"})
		if err != nil || s2.ReplyDue != "2026-10-26" {
			t.Fatalf("15-day extension: %v due %s, want 2026-10-26", err, s2.ReplyDue)
		}
		late := f.request(t, "2026-09-01")
		_, err = f.s.Extend(as(head), late.ID, ExtendInput{Version: late.Version, Date: "2026-09-30", Days: 10, ApprovedBy: "王主任", Reason: "迟了"})
		wantCode(t, err, apperr.DeadlinePassed, "届满")
	})
}
