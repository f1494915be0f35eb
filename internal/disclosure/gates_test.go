package disclosure

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestGates: every procedure gate is refused in the service with a Chinese
// message naming the step, and a refused step writes nothing.
func TestGates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.request(t, "2026-11-02")

		// Correction: once only; no reply while waiting for it; closing for
		// no correction only after the applicant's period.
		r, err := f.s.Correction(as(clerk), r.ID, CorrectionInput{Version: r.Version, Date: "2026-11-03", Items: "请写明文号", Until: "2026-11-13"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Correction(as(clerk), r.ID, CorrectionInput{Version: r.Version, Date: "2026-11-04", Items: "再补", Until: "2026-11-20"})
		wantCode(t, err, apperr.Precondition, "一次性告知")
		_, err = f.s.Reply(as(clerk), r.ID, ReplyInput{Version: r.Version, Date: "2026-11-05", ReplyType: ReplyNotExist, Reason: "not_held"})
		wantCode(t, err, apperr.Precondition, "须收到补正后的申请")
		_, err = f.s.Close(as(clerk), r.ID, CloseInput{Version: r.Version, Date: "2026-11-13", Reason: "no_correction"})
		wantCode(t, err, apperr.Precondition, "补正期限 2026-11-13 尚未届满")
		closed, err := f.s.Close(as(clerk), r.ID, CloseInput{Version: r.Version, Date: "2026-11-16", Reason: "no_correction"})
		if err != nil || closed.Status != StatusClosed || closed.StatRow != "other.no_correction" {
			t.Fatalf("close: %v %+v", err, closed)
		}

		// Third party: no reply while consulting; "no reply" only after 15 working days.
		c := f.request(t, "2026-11-02")
		c, err = f.s.Consult(as(clerk), c.ID, ConsultInput{Version: c.Version, Date: "2026-11-03", Party: "某公司"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Reply(as(clerk), c.ID, ReplyInput{Version: c.Version, Date: "2026-11-05", ReplyType: ReplyDisclose, Text: "见附件"})
		wantCode(t, err, apperr.Precondition, "正在征求第三方意见")
		_, err = f.s.ConsultClosed(as(clerk), c.ID, ConsultCloseInput{Version: c.Version, Date: "2026-11-24", Result: "no_reply"})
		wantCode(t, err, apperr.Precondition, "第三方答复期限 2026-11-24 尚未届满")
		c, err = f.s.ConsultClosed(as(clerk), c.ID, ConsultCloseInput{Version: c.Version, Date: "2026-11-25", Result: "no_reply"})
		if err != nil {
			t.Fatal(err)
		}

		// Release: secrecy review first (by someone who may approve), a
		// cleared result, then the released files; a refusal names its ground.
		_, err = f.s.Reply(as(clerk), c.ID, ReplyInput{Version: c.Version, Date: "2026-11-26", ReplyType: ReplyDisclose, Text: "见附件"})
		wantCode(t, err, apperr.Precondition, "公开前须经保密审查")
		_, err = f.s.Secrecy(as(clerk), c.ID, SecrecyInput{Version: c.Version, Date: "2026-11-25", Reviewer: "保密员", Result: SecrecyCleared})
		wantCode(t, err, apperr.Forbidden, "审批依申请公开")
		c, err = f.s.Secrecy(as(head), c.ID, SecrecyInput{Version: c.Version, Date: "2026-11-25", Reviewer: "保密员", Result: SecrecySecret})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Reply(as(clerk), c.ID, ReplyInput{Version: c.Version, Date: "2026-11-26", ReplyType: ReplyPartial, Text: "部分涉及商业秘密"})
		wantCode(t, err, apperr.Precondition, "涉密，不得公开")
		c, err = f.s.Secrecy(as(head), c.ID, SecrecyInput{Version: c.Version, Date: "2026-11-25", Reviewer: "保密员", Result: SecrecyCleared})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Reply(as(clerk), c.ID, ReplyInput{Version: c.Version, Date: "2026-11-26", ReplyType: ReplyPartial, Text: "部分涉及商业秘密"})
		wantCode(t, err, apperr.Precondition, "区分处理")
		f.upload(t, OwnerRelease, c.ID)
		_, err = f.s.Reply(as(clerk), c.ID, ReplyInput{Version: c.Version, Date: "2026-11-26", ReplyType: ReplyPartial, Text: "部分涉及商业秘密"})
		wantCode(t, err, apperr.Precondition, "区分处理")
		_, err = f.s.Reply(as(clerk), c.ID, ReplyInput{Version: c.Version, Date: "2026-11-26", ReplyType: ReplyWithhold})
		if e := apperr.As(err); e == nil || len(e.Fields) != 2 {
			t.Fatalf("withhold without reason and grounds: want 2 field errors, got %v", err)
		}
		f.upload(t, OwnerRedacted, c.ID)
		c, err = f.s.Reply(as(clerk), c.ID, ReplyInput{Version: c.Version, Date: "2026-11-26", ReplyType: ReplyPartial, Text: "第三方经营数据属于商业秘密，已作区分处理"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != StatusReplied || c.StatGroup != GroupPartial || !c.OnTime || c.ReplyNo == "" {
			t.Fatalf("replied: %+v", c.Request)
		}
		_, err = f.s.Reply(as(clerk), c.ID, ReplyInput{Version: c.Version, Date: "2026-11-27", ReplyType: ReplyDisclose})
		wantCode(t, err, apperr.Precondition, "不能重复答复")

		// Fees: only over the free threshold; no reply until paid.
		p := f.request(t, "2026-11-02")
		_, err = f.s.FeeNotice(as(clerk), p.ID, FeeInput{Version: p.Version, Date: "2026-11-03", Method: "pages", Quantity: 30})
		wantField(t, err, "quantity", "不得收取信息处理费")
		p, err = f.s.FeeNotice(as(clerk), p.ID, FeeInput{Version: p.Version, Date: "2026-11-03", Method: "按量计收", Quantity: 120})
		if err != nil || p.FeeFen != 70*1000+20*2000 || p.Status != StatusAwaitingFee {
			t.Fatalf("fee notice: %v fee %d status %s", err, p.FeeFen, p.Status)
		}
		_, err = f.s.Reply(as(clerk), p.ID, ReplyInput{Version: p.Version, Date: "2026-11-04", ReplyType: ReplyNotExist, Reason: "not_held"})
		wantCode(t, err, apperr.Precondition, "须申请人缴费")
		p, err = f.s.FeePaid(as(clerk), p.ID, DateInput{Version: p.Version, Date: "2026-11-10"})
		if err != nil || p.Status != StatusProcessing {
			t.Fatalf("paid: %v", err)
		}

		// A stale version is a conflict; another unit's request is not found.
		_, err = f.s.Consult(as(clerk), p.ID, ConsultInput{Version: p.Version - 1, Date: "2026-11-11", Party: "x"})
		wantCode(t, err, apperr.Conflict, "已被他人修改")
		_, err = f.s.Consult(as(outsider), p.ID, ConsultInput{Version: p.Version, Date: "2026-11-11", Party: "x"})
		wantCode(t, err, apperr.NotFound, "不存在")
		if _, err := f.s.Get(as(outsider), p.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("outsider get: %v", err)
		}
		_, err = f.s.Create(as(outsider), CreateInput{UnitID: 3, Channel: ChannelInPerson, ApplicantType: "natural", ApplicantName: "x", Content: "x", SubmittedOn: "2026-11-02"})
		wantCode(t, err, apperr.NotFound, "不在您的数据权限范围内")
	})
}

// TestFee checks the 信息处理费 bands.
func TestFee(t *testing.T) {
	for _, c := range []struct {
		method string
		n      int
		fen    int64
	}{
		{"pages", 30, 0}, {"pages", 31, 1000}, {"pages", 100, 70 * 1000}, {"pages", 101, 70*1000 + 2000},
		{"pages", 201, 70*1000 + 100*2000 + 4000}, {"items", 10, 0}, {"items", 11, 10000}, {"items", 30, 10000},
		{"items", 31, 20000}, {"items", 40, 20000}, {"items", 41, 30000}, {"nonsense", 500, 0},
	} {
		if got := Fee(c.method, c.n); got != c.fen {
			t.Errorf("Fee(%s, %d) = %d, want %d", c.method, c.n, got, c.fen)
		}
	}
}

// TestMaskAndPublicIntake: personal data masked for a reader who does not
// handle requests; the portal's intake answers only its own receipt and is
// limited per address.
func TestMaskAndPublicIntake(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.request(t, "2026-11-02")
		full, err := f.s.Get(as(clerk), r.ID)
		if err != nil || full.Masked || full.IDNumber != "110101199003071234" {
			t.Fatalf("clerk sees %+v %v", full.Request, err)
		}
		m, err := f.s.Get(as(leader), r.ID)
		if err != nil || !m.Masked || m.IDNumber == full.IDNumber || m.Phone == full.Phone || m.Address == full.Address {
			t.Fatalf("leader sees unmasked data: %+v %v", m.Request, err)
		}
		page, err := f.s.List(as(leader), Filter{}, db.ListReq{})
		if err != nil || len(page.Items) != 1 || !page.Items[0].Masked {
			t.Fatalf("leader list: %+v %v", page, err)
		}

		in := PublicInput{UnitID: 3, ApplicantType: "自然人", ApplicantName: "赵六", IDNumber: "110101199001011234", Phone: "13900000000", Content: "本区2026年双随机抽查结果"}
		rc, err := f.s.PublicIntake(as(0), in, "203.0.113.9")
		if err != nil || rc.ReceivedOn != "2026-12-01" || rc.ReplyDue == "" || rc.Code == "" {
			t.Fatalf("public intake: %+v %v", rc, err)
		}
		_, err = f.s.PublicIntake(as(0), PublicInput{UnitID: 999, ApplicantType: "natural", ApplicantName: "x", Content: "x"}, "203.0.113.9")
		wantField(t, err, "unit_id", "办理机关不存在")
		for i := 0; i < 2; i++ {
			if _, err := f.s.PublicIntake(as(0), in, "203.0.113.9"); err != nil {
				t.Fatal(err)
			}
		}
		_, err = f.s.PublicIntake(as(0), in, "203.0.113.9")
		wantCode(t, err, apperr.RateLimited, "每小时最多提交 3 件")
		if _, err := f.s.PublicIntake(as(0), in, "198.51.100.7"); err != nil {
			t.Fatalf("another address: %v", err)
		}
		var n int
		if err := d.QueryRow(as(clerk), "SELECT COUNT(*) FROM disclosure_requests WHERE channel = 'online' AND receipt_rule = 'disclosure.receipt.online'").Scan(&n); err != nil || n != 4 {
			t.Fatalf("online requests = %d (%v), want 4", n, err)
		}
	})
}

// TestPublicStatus: an online request submitted through the portal's
// service API is received on the day the system confirms it (the online
// receipt rule), and hands back a tracking code and a secret query code;
// the code with its secret shows where the request stands — and the
// correction asked for — without personal data; a wrong secret, another
// request's code, a request not submitted online, and a NUL byte all
// learn nothing.
func TestPublicStatus(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		in := PublicInput{UnitID: 3, ApplicantType: "自然人", ApplicantName: "赵六", IDNumber: "110101199001011234", Phone: "13900000000",
			Address: "示范区幸福路1号", Content: "本区2026年双随机抽查结果"}
		rc, err := f.s.PublicIntake(as(0), in, "203.0.113.9")
		if err != nil {
			t.Fatal(err)
		}
		other, err := f.s.PublicIntake(as(0), in, "203.0.113.10")
		if err != nil {
			t.Fatal(err)
		}
		if len(rc.Secret) != 12 || rc.Secret == other.Secret || rc.Code == other.Code || rc.ReceivedOn != "2026-12-01" {
			t.Fatalf("receipts: %+v %+v", rc, other)
		}
		full, err := f.s.Get(as(clerk), mustID(t, d, rc.Code))
		if err != nil {
			t.Fatal(err)
		}
		if full.ReceiptRule != "disclosure.receipt.online" || full.ConfirmedOn != "2026-12-01" || full.ReplyDue != rc.ReplyDue {
			t.Fatalf("online receipt rule: %s %s %s", full.ReceiptRule, full.ConfirmedOn, full.ReplyDue)
		}
		st, err := f.s.PublicStatus(context.Background(), rc.Code, strings.ToLower(rc.Secret))
		if err != nil {
			t.Fatal(err)
		}
		if st.Code != rc.Code || st.Status != StatusProcessing || st.StatusLabel != "办理中" || st.ReplyDue != rc.ReplyDue || st.UnitName != "区市场监管局" {
			t.Fatalf("status: %+v", st)
		}
		// The correction notice reaches the applicant through the lookup.
		if _, err := f.s.Correction(as(clerk), full.ID, CorrectionInput{Version: full.Version, Date: "2026-12-01", Items: "请说明所需信息的年份和范围", Until: "2026-12-15"}); err != nil {
			t.Fatal(err)
		}
		st, err = f.s.PublicStatus(context.Background(), rc.Code, rc.Secret)
		if err != nil || st.Status != StatusCorrecting || st.CorrectionItems != "请说明所需信息的年份和范围" || st.CorrectionUntil != "2026-12-15" {
			t.Fatalf("correcting: %+v %v", st, err)
		}
		b, _ := json.Marshal(st)
		for _, personal := range []string{"赵六", "110101199001011234", "13900000000", "幸福路"} {
			if strings.Contains(string(b), personal) {
				t.Fatalf("status leaks %q: %s", personal, b)
			}
		}
		inPerson := f.request(t, "2026-11-02")
		for _, c := range []struct{ code, secret string }{{rc.Code, other.Secret}, {other.Code, rc.Secret}, {inPerson.Code, rc.Secret},
			{"YSQ-NOPE", rc.Secret}, {rc.Code, rc.Secret + "X"}} {
			_, err := f.s.PublicStatus(context.Background(), c.code, c.secret)
			wantCode(t, err, apperr.NotFound, "申请编号或查询码不正确")
		}
		_, err = f.s.PublicStatus(context.Background(), rc.Code+"\x00", rc.Secret)
		wantField(t, err, "code", "申请编号")
		_, err = f.s.PublicStatus(context.Background(), rc.Code, "")
		wantField(t, err, "secret", "查询码")
		_, err = f.s.PublicStatus(context.Background(), rc.Code, strings.Repeat("A", 10000))
		wantField(t, err, "secret", "查询码")
	})
}

func mustID(t *testing.T, d *db.DB, code string) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRow(context.Background(), "SELECT id FROM disclosure_requests WHERE code = ?", code).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
