package reconsideration

import (
	"bytes"
	"strings"
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/docx"

	"github.com/xuri/excelize/v2"
)

// decidedCase takes an application to a 撤销 decision with an opinion
// letter, published.
func decidedCase(t *testing.T, f *fx) *Detail {
	t.Helper()
	c, err := f.s.Create(f.as(handler, "2026-03-02"), application("2026-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	c = f.step(t, c, ActAccept, "2026-03-03", StepInput{})
	c = f.step(t, c, ActSendCopy, "2026-03-04", StepInput{})
	c = f.step(t, c, ActReply, "2026-03-10", StepInput{})
	c = f.step(t, c, ActDecide, "2026-04-01", StepInput{Outcome: "revoke", DecisionNo: "示府复决〔2026〕5号",
		Reason: "被申请人对张三作出处罚时未告知陈述申辩权利，张三住址示范区幸福路88号3单元未予核实，程序违法"})
	c = f.step(t, c, ActPublish, "2026-04-03", StepInput{})
	return f.step(t, c, ActOpinion, "2026-04-03", StepInput{Kind: "opinion", Text: "请建立行政处罚事先告知核查制度"})
}

// TestLetters reads each generated letter back and finds the case's facts.
func TestLetters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := decidedCase(t, f)
		b, name, err := f.s.DecisionLetter(f.as(handler, "2026-04-03"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		text, err := docx.Text(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"行政复议决定书", "示府复决〔2026〕5号", "申请人：张三", "被申请人：区市场监管局", "罚款五万元的行政处罚决定",
			"示市监罚〔2026〕12号", "2026年3月2日", "第六十四条", "撤销被申请人作出的罚款五万元的行政处罚决定", "未告知陈述申辩权利",
			"十五日内", "示范区"} {
			if !strings.Contains(text, want) {
				t.Errorf("decision letter lacks %q:\n%s", want, text)
			}
		}
		if !strings.HasSuffix(name, ".docx") || !strings.Contains(name, c.Code) {
			t.Errorf("name %s", name)
		}
		b, _, err = f.s.OpinionLetter(f.as(handler, "2026-04-03"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		text, err = docx.Text(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"行政复议意见书", "区市场监管局", "张三", "示府复决〔2026〕5号", "第七十六条", "请建立行政处罚事先告知核查制度",
			"六十日内", c.FollowupDue} {
			if !strings.Contains(text, want) {
				t.Errorf("opinion letter lacks %q:\n%s", want, text)
			}
		}
		// Not for readers, and not before the decision.
		if _, _, err := f.s.DecisionLetter(f.as(clerk, "2026-04-03"), c.ID); err == nil {
			t.Fatal("a reader generated the decision letter")
		}
		open, err := f.s.Create(f.as(handler, "2026-04-03"), application("2026-04-03"))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.DecisionLetter(f.as(handler, "2026-04-03"), open.ID); err == nil || !strings.Contains(err.Error(), "尚未作出复议决定") {
			t.Fatalf("letter before the decision: %v", err)
		}
	})
}

// TestPublication: the public decision carries no personal data.
func TestPublication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := decidedCase(t, f)
		list, err := f.s.PublicList(f.as(0, "2026-04-03"), PublicListInput{})
		if err != nil || len(list.Items) != 1 {
			t.Fatalf("public list %+v %v", list, err)
		}
		p, err := f.s.PublicGet(f.as(0, "2026-04-03"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		all := p.Applicant + p.Act + p.Reason + p.Respondent
		for _, personal := range []string{"张三", "110101199003071234", "13800138000", "幸福路88号"} {
			if strings.Contains(all, personal) {
				t.Fatalf("published decision shows %q: %+v", personal, p)
			}
		}
		if p.Applicant != "张某" || !strings.Contains(p.Reason, "张某") || p.DecisionNo != "示府复决〔2026〕5号" || p.OutcomeLabel != "撤销" {
			t.Fatalf("published: %+v", p)
		}
		// Not published: not found.
		open, _ := f.s.Create(f.as(handler, "2026-04-03"), application("2026-04-03"))
		if _, err := f.s.PublicGet(f.as(0, "2026-04-03"), open.ID); err == nil {
			t.Fatal("an unpublished case is public")
		}
	})
}

// TestExcel: the export reads back with the case's facts (masked for a
// reader); an import of a year's ledger reports every bad row and writes
// nothing from a bad batch, and a good batch lands in the right states.
func TestExcel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := decidedCase(t, f)
		export := func(id int64) [][]string {
			t.Helper()
			ctx := f.as(id, "2026-04-03")
			l, err := f.s.ExportSQL(ctx, Filter{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.s.ExportTo(ctx, &buf, l); err != nil {
				t.Fatal(err)
			}
			x, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := x.GetRows(SheetName)
			if err != nil {
				t.Fatal(err)
			}
			return rows
		}
		rows := export(handler)
		if len(rows) != 2 || rows[1][0] != c.Code || rows[1][3] != "110101199003071234" || rows[1][21] != "撤销" || rows[1][23] != "示府复决〔2026〕5号" {
			t.Fatalf("handler's export: %v", rows)
		}
		if rows = export(clerk); len(rows) != 2 || rows[1][3] == "110101199003071234" || rows[1][4] == "13800138000" {
			t.Fatalf("reader's export not masked: %v", rows)
		}
		tpl, err := f.s.ImportTemplate(f.as(handler, "2026-04-03"))
		if err != nil {
			t.Fatal(err)
		}
		book := func(data ...[]any) []byte {
			x, err := excelize.OpenReader(bytes.NewReader(tpl))
			if err != nil {
				t.Fatal(err)
			}
			x.RemoveRow(SheetName, 2)
			for i, r := range data {
				cell, _ := excelize.CoordinatesToCellName(1, i+2)
				x.SetSheetRow(SheetName, cell, &r)
			}
			var buf bytes.Buffer
			x.Write(&buf)
			return buf.Bytes()
		}
		good := []any{"李四", "自然人", "", "", "", "区市场监管局", "责令停产停业决定", "", "行政处罚", "2000", "邮寄", "2026-02-12", "", "是", "2026-02-26", "维持", "2026-03-20", "示府复决〔2026〕20号"}
		received := []any{"某公司", "法人或其他组织", "", "", "", "SJJ", "不予许可决定", "", "行政许可", "", "网上申请", "2026-03-30", "", "", "", "", "", ""}
		bad := []any{"王五", "自然人", "", "", "", "区不存在局", "罚款", "", "行政处罚", "abc", "邮寄", "2026-02-12", "", "是", "2026-02-27", "改判", "", ""}
		rep, err := f.s.Import(f.as(handler, "2026-04-03"), book(good, received, bad))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, p := range rep.Problems {
			if p.Sheet != SheetName || p.Row != 4 {
				t.Fatalf("problem on the wrong row: %+v", p)
			}
			got[p.Column[:1]] = true
		}
		// F unit, J amount, P outcome, Q decided_on, R decision_no.
		for _, col := range []string{"F", "J", "P", "Q", "R"} {
			if !got[col] {
				t.Fatalf("column %s not reported: %+v", col, rep.Problems)
			}
		}
		if rep.Created != 0 || rep.Rows != 3 || rep.Valid != 2 {
			t.Fatalf("bad batch: %+v", rep)
		}
		var n int
		if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM reconsideration_cases").Scan(&n); err != nil || n != 1 {
			t.Fatalf("a bad batch wrote: %d %v", n, err)
		}
		// A late acceptance (after the five working days) is reported.
		late := append([]any(nil), good...)
		late[14] = "2026-02-27"
		rep, err = f.s.Import(f.as(handler, "2026-04-03"), book(late))
		if err != nil || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Reason, "2026-02-26") {
			t.Fatalf("late acceptance: %+v %v", rep, err)
		}
		rep, err = f.s.Import(f.as(handler, "2026-04-03"), book(good, received))
		if err != nil || rep.Created != 2 || len(rep.Problems) != 0 {
			t.Fatalf("good batch: %+v %v", rep, err)
		}
		list, err := f.s.List(f.as(handler, "2026-04-03"), Filter{Q: "李四"}, db.ListReq{})
		if err != nil || len(list.Items) != 1 {
			t.Fatal(list, err)
		}
		li := list.Items[0]
		if li.Status != StatusDecided || !li.Simple || li.Outcome != "uphold" || li.DecideDue != "2026-03-30" || li.AmountFen != 200000 {
			t.Fatalf("imported decided case: %+v", li)
		}
		list, _ = f.s.List(f.as(handler, "2026-04-03"), Filter{Q: "某公司"}, db.ListReq{})
		if len(list.Items) != 1 || list.Items[0].Status != StatusReceived || list.Items[0].ApplicantType != "org" {
			t.Fatalf("imported received case: %+v", list.Items)
		}
		if drift, _, err := FigureTally.Verify(f.ctx, d, 10); err != nil || len(drift) > 0 {
			t.Fatalf("counter drift %v %v", drift, err)
		}
	})
}
