package enforcement

import (
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

func fieldMsg(err error, field string) string {
	e := apperr.As(err)
	if e == nil {
		return ""
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// The gate: an officer whose certificate has lapsed cannot be assigned to
// a new case (or newly added to one); nothing is written.
func TestLapsedCertificateGate(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		in := f.penalty()
		in.OfficerIDs = []int64{f.valid1.ID, f.lapsed.ID}
		_, err := f.s.CreateCase(f.admin, in)
		if msg := fieldMsg(err, "officer_ids"); !strings.Contains(msg, "王强") || !strings.Contains(msg, "不能承办新案件") {
			t.Fatalf("lapsed officer accepted: %v", err)
		}
		if n := f.count("SELECT COUNT(*) FROM enforcement_cases"); n != 0 {
			t.Fatalf("refused case written: %d", n)
		}
		// A suspended certificate within its dates is refused too.
		susp := f.officer("孙七", "SJ-0009", "2024-01-01", "2029-01-01", "suspended", f.sj)
		in.OfficerIDs = []int64{f.valid1.ID, susp.ID}
		if _, err := f.s.CreateCase(f.admin, in); !strings.Contains(fieldMsg(err, "officer_ids"), "暂扣") {
			t.Fatalf("suspended officer accepted: %v", err)
		}
		c := f.create(f.penalty())
		// Adding the lapsed officer to an existing case is refused as well.
		up := f.penalty()
		up.Version = c.Version
		up.OfficerIDs = []int64{f.valid1.ID, f.valid2.ID, f.lapsed.ID}
		if _, err := f.s.UpdateCase(f.admin, c.ID, up); fieldMsg(err, "officer_ids") == "" {
			t.Fatalf("lapsed officer added on edit: %v", err)
		}
	})
}

// Parties' ID numbers and phones are stored in full and shown in full only
// with enforcement.personal; a department clerk sees them masked, and a
// masked value sent back unchanged keeps the stored one.
func TestPartyMasking(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := f.create(f.penalty())
		full, err := f.s.GetCase(f.admin, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if full.PartyIDNo != "110101199003071234" || full.PartyPhone != "13800138000" || full.Masked {
			t.Fatalf("supervisor sees %q %q masked=%v", full.PartyIDNo, full.PartyPhone, full.Masked)
		}
		seen, err := f.s.GetCase(f.clerk, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !seen.Masked || strings.Contains(seen.PartyIDNo, "19900307") || seen.PartyPhone == "13800138000" || seen.PartyName == "赵六" {
			t.Fatalf("clerk sees unmasked data: %+v", seen)
		}
		page, err := f.s.ListCases(f.clerk, CaseFilter{}, db.ListReq{})
		if err != nil || len(page.Items) != 1 || page.Items[0].PartyIDNo == full.PartyIDNo {
			t.Fatalf("list shows %+v %v", page.Items, err)
		}
		// The clerk edits the title and sends the masked values back.
		in := f.penalty()
		in.Version, in.Title = seen.Version, "销售超过保质期的食品"
		in.PartyIDNo, in.PartyPhone, in.PartyAddress = seen.PartyIDNo, seen.PartyPhone, seen.PartyAddress
		if _, err := f.s.UpdateCase(f.clerk, c.ID, in); err != nil {
			t.Fatal(err)
		}
		after, _ := f.s.GetCase(f.admin, c.ID)
		if after.PartyIDNo != "110101199003071234" || after.PartyPhone != "13800138000" || after.Title != "销售超过保质期的食品" {
			t.Fatalf("masked round trip changed stored data: %+v", after)
		}
	})
}

// Another unit's case is not found, and is not in the list.
func TestCaseScope(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		c := f.create(f.penalty())
		if _, err := f.s.GetCase(f.outsider, c.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("outsider read: %v", err)
		}
		in := f.penalty()
		in.Version = c.Version
		if _, err := f.s.UpdateCase(f.outsider, c.ID, in); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("outsider write: %v", err)
		}
		if _, err := f.s.CreateCase(f.outsider, f.penalty()); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("outsider create for another unit's body: %v", err)
		}
		p, err := f.s.ListCases(f.outsider, CaseFilter{}, db.ListReq{})
		if err != nil || len(p.Items) != 0 {
			t.Fatalf("outsider list: %+v %v", p.Items, err)
		}
		if _, err := f.s.GetOfficer(f.outsider, f.valid1.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("outsider officer read: %v", err)
		}
	})
}

// Every entered date goes through calendar.CheckDate with the case's span
// and order; refusals name the field and nothing is written.
func TestCaseDates(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		for _, tc := range []struct {
			set   func(in *CaseInput)
			field string
			want  string
		}{
			{func(in *CaseInput) { in.FiledOn = "" }, "filed_on", "请填写立案日期"},
			{func(in *CaseInput) { in.FiledOn = "2026/13/01" }, "filed_on", "格式"},
			{func(in *CaseInput) { in.FiledOn = "1926-03-02" }, "filed_on", "不能早于"},
			{func(in *CaseInput) { in.DecidedOn = "2027-01-05" }, "decided_on", "不能晚于今天"},
			{func(in *CaseInput) { in.DecidedOn = "2026-02-01" }, "decided_on", "不能早于立案日期"},
			{func(in *CaseInput) { in.ServedOn = "2026-03-31" }, "served_on", "不能早于决定日期"},
			{func(in *CaseInput) { in.DecidedOn, in.ServedOn, in.DisclosedOn = "", "", "2026-04-03" }, "disclosed_on", "尚未登记决定日期"},
			{func(in *CaseInput) { in.HearingOn = "2026-03-25" }, "hearing_notice_on", "听证告知日期"},
			{func(in *CaseInput) { in.AmountFen = -1 }, "amount_fen", "罚没金额"},
			{func(in *CaseInput) { in.PartyIDNo = "12345" }, "party_id_no", "18 位"},
			{func(in *CaseInput) { in.Kind = "licence"; in.Procedure = "on_the_spot" }, "procedure", "简易程序"},
		} {
			in := f.penalty()
			tc.set(&in)
			_, err := f.s.CreateCase(f.admin, in)
			if msg := fieldMsg(err, tc.field); !strings.Contains(msg, tc.want) {
				t.Errorf("%s: got %v, want %q", tc.field, err, tc.want)
			}
		}
		if n := f.count("SELECT COUNT(*) FROM enforcement_cases"); n != 0 {
			t.Fatalf("refused cases written: %d", n)
		}
	})
}

// Officers: certificate dates checked, duplicates refused, expiry
// reminders at 90 and 30 days before the expiry date, cancelled on
// revocation.
func TestOfficerCertificates(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		_, err := f.s.CreateOfficer(f.admin, OfficerInput{UnitID: f.sj, Name: "周八", CertNo: "SJ-0001", CertKind: "admin", CertAuthority: "清河市人民政府",
			CertIssuedOn: "2024-01-01", CertExpiresOn: "2023-12-31"})
		if !strings.Contains(fieldMsg(err, "cert_expires_on"), "不能早于发证日期") {
			t.Fatalf("expiry before issue: %v", err)
		}
		_, err = f.s.CreateOfficer(f.admin, OfficerInput{UnitID: f.sj, Name: "周八", CertNo: "SJ-0001", CertKind: "admin", CertAuthority: "清河市人民政府",
			CertIssuedOn: "2024-01-01", CertExpiresOn: "2028-12-31"})
		if !strings.Contains(fieldMsg(err, "cert_no"), "已登记") {
			t.Fatalf("duplicate certificate: %v", err)
		}
		key := certKey(f.valid1.ID)
		if n := f.count("SELECT COUNT(*) FROM jobs WHERE group_key = ? AND status = 'pending'", "reminder:"+key); n != 2 {
			t.Fatalf("expiry reminders: %d, want 2 (90 and 30 days)", n)
		}
		o := f.valid1
		in := OfficerInput{UnitID: o.UnitID, Name: o.Name, Phone: "13912345678", CertNo: o.CertNo, CertKind: o.CertKind, CertAuthority: o.CertAuthority,
			CertIssuedOn: o.CertIssuedOn, CertExpiresOn: o.CertExpiresOn, CertStatus: "revoked", Version: o.Version}
		got, err := f.s.UpdateOfficer(f.admin, o.ID, in)
		if err != nil || got.CertValidToday {
			t.Fatalf("revoke: %+v %v", got, err)
		}
		if n := f.count("SELECT COUNT(*) FROM jobs WHERE group_key = ? AND status = 'pending'", "reminder:"+key); n != 0 {
			t.Fatalf("reminders of a revoked certificate still pending: %d", n)
		}
		seen, _ := f.s.GetOfficer(f.clerk, f.valid2.ID)
		if seen.Phone == "13912345678" || seen.TrainingHours != 40 {
			t.Fatalf("clerk view of officer: %+v", seen)
		}
		if lapsed, _ := f.s.GetOfficer(f.admin, f.lapsed.ID); lapsed.CertValidToday || lapsed.CertStatusLabel != "已过期" {
			t.Fatalf("lapsed officer shown as %+v", lapsed)
		}
	})
}

// 行政处罚法 art. 58: the form refuses the decision date of a major case
// until its 法制审核 passed (on a new case: save it first), names the step
// and writes nothing; with the review passed, the date may not precede
// the review's conclusion; a decided major case's other edits pass; the
// review is opened only for a major, undecided case in the actor's scope.
func TestMajorDecisionNeedsPassedLegalReview(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		in := f.penalty()
		in.Major = true
		_, err := f.s.CreateCase(f.clerk, in)
		if !strings.Contains(fieldMsg(err, "decided_on"), "法制审核") {
			t.Fatalf("new major case with a decision date: %v", err)
		}
		if n := f.count("SELECT COUNT(*) FROM enforcement_cases"); n != 0 {
			t.Fatalf("refused case written: %d", n)
		}
		in.DecidedOn, in.ServedOn, in.DisclosedOn = "", "", ""
		c, err := f.s.CreateCase(f.clerk, in)
		if err != nil {
			t.Fatal(err)
		}
		if c.LegalReview == nil || c.LegalReview.Status != ReviewNone || c.LegalReview.StatusLabel != "未送审" {
			t.Fatalf("major case's review before sending: %+v", c.LegalReview)
		}
		in.DecidedOn, in.Version = "2026-04-01", c.Version
		_, err = f.s.UpdateCase(f.clerk, c.ID, in)
		if !strings.Contains(fieldMsg(err, "decided_on"), "尚未送法制审核") {
			t.Fatalf("decision without a review: %v", err)
		}
		// Opening: the fake has no review module, so the gates before it
		// are what is checked here (the app test opens a real one).
		if _, err := f.s.OpenLegalReview(f.clerk, c.ID, LegalReviewInput{}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("empty summary: %v", err)
		}
		if _, err := f.s.OpenLegalReview(f.outsider, c.ID, LegalReviewInput{Summary: "案情"}); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another unit's case: %v", err)
		}
		if _, err := f.s.OpenLegalReview(f.clerk, c.ID, LegalReviewInput{Summary: "案情\x00"}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("NUL in the summary: %v", err)
		}
		if _, err := f.s.OpenLegalReview(f.clerk, c.ID, LegalReviewInput{Summary: "案情", RequestedBy: "0000-01-01"}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("year-0 requested date: %v", err)
		}
		plain := f.create(f.penalty())
		if _, err := f.s.OpenLegalReview(f.clerk, plain.ID, LegalReviewInput{Summary: "案情"}); !apperr.Is(err, apperr.Precondition) {
			t.Fatalf("review of a case not marked major: %v", err)
		}
		f.reviews[c.ID] = true // passed on 2026-03-30
		if _, err := f.s.OpenLegalReview(f.clerk, c.ID, LegalReviewInput{Summary: "案情"}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second review of a passed case: %v", err)
		}
		in.DecidedOn = "2026-03-29"
		_, err = f.s.UpdateCase(f.clerk, c.ID, in)
		if !strings.Contains(fieldMsg(err, "decided_on"), "不能早于法制审核办结日期（2026-03-30）") {
			t.Fatalf("decision before the review concluded: %v", err)
		}
		in.DecidedOn = "2026-04-01"
		c, err = f.s.UpdateCase(f.clerk, c.ID, in)
		if err != nil || c.DecidedOn != "2026-04-01" || !c.LegalReview.Passed() {
			t.Fatalf("decision after a passed review: %+v %v", c, err)
		}
		if _, err := f.s.OpenLegalReview(f.clerk, c.ID, LegalReviewInput{Summary: "案情"}); !apperr.Is(err, apperr.Precondition) {
			t.Fatalf("review of a decided case: %v", err)
		}
		delete(f.reviews, c.ID) // later edits of the decided case pass
		in.Title, in.Version = "销售过期食品（更正）", c.Version
		if _, err := f.s.UpdateCase(f.clerk, c.ID, in); err != nil {
			t.Fatalf("edit of a decided major case: %v", err)
		}
	})
}
