package disclosure

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/docx"

	"github.com/xuri/excelize/v2"
)

// fixtureRegister builds a small register around 2025 through the service
// and returns the ids by letter.
func fixtureRegister(t *testing.T, f *fx) map[string]*Detail {
	t.Helper()
	out := map[string]*Detail{}
	mk := func(key, received, applicant string) *Detail {
		r, err := f.s.Create(as(clerk), CreateInput{UnitID: 3, Channel: ChannelInPerson, ApplicantType: applicant, ApplicantName: "申请人" + key,
			IDNumber: "110101199003071234", Phone: "13812345678", Content: "信息" + key, SubmittedOn: received})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		out[key] = r
		return r
	}
	reply := func(key, date, typ, reason, text string) {
		r := out[key]
		d, err := f.s.Reply(as(clerk), r.ID, ReplyInput{Version: r.Version, Date: date, ReplyType: typ, Reason: reason, Text: text})
		if err != nil {
			t.Fatalf("%s reply: %v", key, err)
		}
		out[key] = d
	}
	release := func(key, owner string) {
		r := out[key]
		d, err := f.s.Secrecy(as(head), r.ID, SecrecyInput{Version: r.Version, Date: r.ReceivedOn, Reviewer: "保密员", Result: SecrecyCleared})
		if err != nil {
			t.Fatal(err)
		}
		out[key] = d
		f.upload(t, owner, r.ID)
	}
	mk("A", "2024-12-20", "natural")
	release("A", OwnerRelease)
	reply("A", "2025-01-10", ReplyDisclose, "", "")
	mk("B", "2024-12-02", "business")
	reply("B", "2024-12-20", ReplyWithhold, "process", "属于过程性信息")
	mk("C", "2025-03-03", "natural")
	reply("C", "2025-03-20", ReplyNotOurs, "", "请向区住房城乡建设局申请")
	mk("D", "2025-04-01", "research")
	reply("D", "2025-04-15", ReplyNotExist, "need_compile", "")
	mk("E", "2025-05-06", "legal_service")
	reply("E", "2025-05-20", ReplyWithhold, "third_party", "涉及第三方商业秘密，第三方不同意公开")
	mk("F", "2025-06-02", "public_welfare")
	reply("F", "2025-06-10", ReplyDuplicate, "", "")
	g := mk("G", "2025-07-01", "other_org")
	g, err := f.s.Correction(as(clerk), g.ID, CorrectionInput{Version: g.Version, Date: "2025-07-03", Items: "写明信息名称", Until: "2025-07-20"})
	if err != nil {
		t.Fatal(err)
	}
	if out["G"], err = f.s.Close(as(clerk), g.ID, CloseInput{Version: g.Version, Date: "2025-07-25", Reason: "no_correction"}); err != nil {
		t.Fatal(err)
	}
	mk("H", "2025-12-22", "natural")
	release("H", OwnerRedacted)
	reply("H", "2026-01-08", ReplyPartial, "", "个人信息已遮盖")
	mk("I", "2025-12-29", "business")
	mk("J", "2026-01-05", "natural")
	mk("K", "2025-08-04", "natural")
	reply("K", "2025-08-10", ReplyOtherLaw, "", "不动产登记资料查询依《不动产登记资料查询暂行办法》办理")
	mk("L", "2025-09-01", "business")
	reply("L", "2025-09-05", ReplyNotProcessed, "petition", "请通过信访渠道反映")
	mk("M", "2025-10-13", "natural")
	reply("M", "2025-10-20", ReplyAlreadyPublic, "", "区政府门户网站“法定主动公开内容”栏目")
	return out
}

// TestAnnualTable checks the 2025 table of the fixture register cell by
// cell, in the computed table and in the workbook.
func TestAnnualTable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		fixtureRegister(t, f)
		// Columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
		want := map[string][]int{
			"new":                     {4, 2, 1, 1, 1, 1, 10}, // C H K M; I L; D; F; E; G
			"carried_in":              {1, 0, 0, 0, 0, 0, 1},  // A (B finished in 2024)
			"disclose":                {2, 0, 0, 0, 0, 0, 2},  // A, M (already public)
			"withhold.third_party":    {0, 0, 0, 0, 1, 0, 1},  // E
			"unable.not_held":         {1, 0, 0, 0, 0, 0, 1},  // C (another agency's)
			"unable.need_compile":     {0, 0, 1, 0, 0, 0, 1},  // D
			"not_processed.petition":  {0, 1, 0, 0, 0, 0, 1},  // L
			"not_processed.duplicate": {0, 0, 0, 1, 0, 0, 1},  // F
			"other.no_correction":     {0, 0, 0, 0, 0, 1, 1},  // G
			"other.other":             {1, 0, 0, 0, 0, 0, 1},  // K (other statutory procedure)
			"total":                   {4, 1, 1, 1, 1, 1, 9},
			"carried_out":             {1, 1, 0, 0, 0, 0, 2}, // H (answered 2026), I (open)
		}
		tb, err := f.s.Annual(as(clerk), 2025, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(tb.Rows) != 25 {
			t.Fatalf("rows = %d, want 25 (一、二, 2, 8, 3, 5, 3, 总计, 四)", len(tb.Rows))
		}
		zero := make([]int, 7)
		for _, row := range tb.Rows {
			w, ok := want[row.Code]
			if !ok {
				w = zero
			}
			for c := range 7 {
				if row.Values[c] != w[c] {
					t.Errorf("row %s (%s%s%s) column %s = %d, want %d", row.Code, row.Section, row.Group, row.Label, AnnualColumns[c], row.Values[c], w[c])
				}
			}
		}
		// No year is this year (the fixture's today is in 2026); a year
		// outside the register's span is refused, naming the field.
		this, err := f.s.Annual(as(clerk), 0, 0)
		if err != nil || this.Year != 2026 {
			t.Fatalf("default year: %+v %v", this, err)
		}
		_, err = f.s.Annual(as(clerk), 1900, 0)
		wantField(t, err, "year", "年度")
		// Another unit's clerk sees an empty table: scope applies.
		other, err := f.s.Annual(as(outsider), 2025, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range other.Rows {
			if row.Values[6] != 0 {
				t.Fatalf("outsider's table counts %s = %d", row.Code, row.Values[6])
			}
		}

		b, err := f.s.AnnualXLSX(as(clerk), 2025, 0)
		if err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sheet := x.GetSheetName(0)
		cell := func(ref string) string {
			v, err := x.GetCellValue(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		for ref, text := range map[string]string{"D2": "申请人情况", "D3": "自然人", "E3": "法人或其他组织", "E4": "商业企业", "I4": "其他", "J3": "总计",
			"A5": "一、本年新收政府信息公开申请数量", "A7": results, "B7": "（一）予以公开", "B9": "（三）不予公开", "C9": "1．属于国家秘密",
			"C12": "4．保护第三方合法权益", "B17": "（四）无法提供", "C27": "3．其他", "A29": "四、结转下年度继续办理", "B28": "（七）总计"} {
			if got := cell(ref); got != text {
				t.Errorf("cell %s = %q, want %q", ref, got, text)
			}
		}
		for i, row := range tb.Rows {
			w, ok := want[row.Code]
			if !ok {
				w = zero
			}
			for c := range 7 {
				ref := cellName(3+c, 5+i)
				if got := cell(ref); got != strconv.Itoa(w[c]) {
					t.Errorf("workbook %s (row %s, %s) = %q, want %d", ref, row.Code, AnnualColumns[c], got, w[c])
				}
			}
		}
	})
}

// TestLetter reads the reply letter back.
func TestLetter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		reg := fixtureRegister(t, f)
		b, name, err := f.s.Letter(as(clerk), reg["E"].ID)
		if err != nil {
			t.Fatal(err)
		}
		text, err := docx.Text(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"政府信息公开申请答复书", reg["E"].ReplyNo, "申请人E：", "2025年5月6日收到您提出的政府信息公开申请", "信息E",
			"保护第三方合法权益", "第三十六条第（三）项", "涉及第三方商业秘密，第三方不同意公开", "依法申请行政复议；对行政复议决定不服的", "区市场监管局", "2025年5月20日"} {
			if !strings.Contains(text, s) {
				t.Errorf("letter lacks %q:\n%s", s, text)
			}
		}
		if !strings.HasSuffix(name, ".docx") || !strings.Contains(name, reg["E"].Code) {
			t.Errorf("file name %q", name)
		}
		// A disclosure lists the released files as attachments; the leader
		// (masked view) still gets the applicant's real name in the letter.
		b, _, err = f.s.Letter(as(leader), reg["A"].ID)
		if err != nil {
			t.Fatal(err)
		}
		text, _ = docx.Text(b)
		for _, s := range []string{"附件：信息.pdf", "申请人A：", "第三十六条第（二）项", "六个月内依法提起行政诉讼"} {
			if !strings.Contains(text, s) {
				t.Errorf("disclosure letter lacks %q:\n%s", s, text)
			}
		}
		_, _, err = f.s.Letter(as(clerk), reg["I"].ID)
		wantCode(t, err, "precondition", "尚未答复")
	})
}
