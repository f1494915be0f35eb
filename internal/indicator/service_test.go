package indicator

import (
	"archive/zip"
	"bytes"
	"context"
	"strings"
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"

	"github.com/xuri/excelize/v2"
)

var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// TestFlow: break down → upload evidence → self-score → submit → return
// with an opinion → resubmit → approve (final score) → override needs a
// reason and shows as overridden; the score sheet, evidence index and ZIP
// read back.
func TestFlow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := f.campaign(t)
		mctx := f.as(manager, "2026-03-02")
		it := rowOf(t, c, "1") // checklist, 3 points, 3 entries
		if _, err := f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{rowOf(t, c, "1.1").ID}, UnitID: 3, Supporting: []int64{4}, DueOn: "2026-06-30"}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.s.Campaign(mctx, c.ID)
		as := rowOf(t, c, "1").Assignment
		if as == nil || as.UnitID != 3 || as.Status != StatusPending || rowOf(t, c, "3").Assignment == nil || as.SupportingNames != "区教育局" {
			t.Fatalf("breakdown of heading 1.1 did not assign its items: %+v", as)
		}
		var jobs int
		_ = d.QueryRow(context.Background(), "SELECT COUNT(*) FROM jobs WHERE unique_key LIKE ?", "reminder:indicator:%").Scan(&jobs)
		if jobs == 0 {
			t.Errorf("no due-date reminders scheduled")
		}

		// Gates: the clerk of another unit neither sees nor edits; the
		// supporting unit sees but does not edit; nothing is submitted
		// without a self-assessment and evidence.
		cctx := f.as(clerk, "2026-04-01")
		if _, err := f.s.Assignment(f.as(outsider, ""), as.ID); err != nil {
			t.Fatalf("supporting unit cannot read its assignment: %v", err)
		}
		_, err := f.s.SelfAssess(f.as(outsider, ""), as.ID, SelfInput{Version: as.Version, SelfNote: "x"})
		wantErr(t, err, apperr.Forbidden, "牵头单位")
		_, err = f.s.Submit(cctx, as.ID, as.Version)
		wantErr(t, err, apperr.Precondition, "请先自评")
		_, err = f.s.SelfAssess(cctx, as.ID, SelfInput{Version: as.Version, Checked: []bool{true, true, true, true}, SelfNote: "已完成"})
		wantErr(t, err, apperr.Invalid, "checked")
		_, err = f.s.SelfAssess(cctx, as.ID, SelfInput{Version: as.Version, Checked: []bool{true, false, true}, SelfNote: "   "})
		wantErr(t, err, apperr.Invalid, "self_note")
		dt, err := f.s.SelfAssess(cctx, as.ID, SelfInput{Version: as.Version, Checked: []bool{true, false, true}, SelfNote: "网上可办率 98%，时限压减 40%"})
		if err != nil {
			t.Fatal(err)
		}
		if dt.Score == nil || *dt.Score != 2 {
			t.Fatalf("self-score by checklist: %v", dt.Score)
		}
		_, err = f.s.SelfAssess(cctx, as.ID, SelfInput{Version: as.Version, SelfNote: "stale"})
		wantErr(t, err, apperr.Conflict)
		_, err = f.s.Submit(cctx, as.ID, dt.Version)
		wantErr(t, err, apperr.Precondition, "佐证材料")
		_, err = f.s.AddEvidence(cctx, as.ID, EvidenceInput{Name: "清单.pdf", ValidFrom: "2026-02-01", ValidTo: "2025-01-01"}, pdf)
		wantErr(t, err, apperr.Invalid, "valid_to")
		_, err = f.s.AddEvidence(f.as(outsider, ""), as.ID, EvidenceInput{Name: "清单.pdf"}, pdf)
		wantErr(t, err, apperr.Forbidden)
		dt, err = f.s.AddEvidence(cctx, as.ID, EvidenceInput{Name: "政务服务事项清单.pdf"}, pdf)
		if err != nil {
			t.Fatal(err)
		}
		if len(dt.Evidence) != 1 || dt.Evidence[0].ValidFrom != "2026-01-01" || dt.Evidence[0].Stale {
			t.Fatalf("evidence: %+v", dt.Evidence)
		}

		// Submit on Friday 4/24: the review is due 10 working days later by
		// the calendar rule: the May Day holiday (5/1–5/5) does not count,
		// the make-up working Saturday 5/9 does.
		sctx := f.as(clerk, "2026-04-24")
		dt, err = f.s.Submit(sctx, as.ID, dt.Version)
		if err != nil {
			t.Fatal(err)
		}
		if dt.Status != StatusSubmitted || dt.ReviewDue != "2026-05-12" || dt.CanEdit {
			t.Fatalf("submitted: status %s, review due %s (want 2026-05-12: ten working days skip 5/1–5/5 and count Saturday 5/9)", dt.Status, dt.ReviewDue)
		}
		_, err = f.s.SelfAssess(sctx, as.ID, SelfInput{Version: dt.Version, SelfNote: "改"})
		wantErr(t, err, apperr.Precondition, "已提交复核")
		// Only the 司法局 reviews; a return needs an opinion.
		_, err = f.s.Review(sctx, as.ID, ReviewInput{Version: dt.Version, Approve: true})
		wantErr(t, err, apperr.Forbidden)
		rctx := f.as(manager, "2026-04-27")
		if md, _ := f.s.Assignment(rctx, as.ID); !md.CanReview {
			t.Fatalf("the reviewer cannot review")
		}
		_, err = f.s.Review(rctx, as.ID, ReviewInput{Version: dt.Version})
		wantErr(t, err, apperr.Invalid, "opinion")
		dt, err = f.s.Review(rctx, as.ID, ReviewInput{Version: dt.Version, Opinion: "缺少超时办结核查记录"})
		if err != nil {
			t.Fatal(err)
		}
		if dt.Status != StatusReturned || dt.FinalScore != nil || dt.ReviewNote != "缺少超时办结核查记录" {
			t.Fatalf("returned: %+v", dt.Assignment)
		}
		// Changed and resubmitted, then approved.
		dt, err = f.s.SelfAssess(f.as(clerk, "2026-04-28"), as.ID, SelfInput{Version: dt.Version, Checked: []bool{true, true, true}, SelfNote: "已补充核查记录"})
		if err != nil {
			t.Fatal(err)
		}
		dt, err = f.s.Submit(f.as(clerk, "2026-04-28"), as.ID, dt.Version)
		if err != nil {
			t.Fatal(err)
		}
		if dt.Rounds != 2 {
			t.Errorf("rounds %d, want 2", dt.Rounds)
		}
		dt, err = f.s.Review(f.as(manager, "2026-04-29"), as.ID, ReviewInput{Version: dt.Version, Approve: true, Opinion: "同意"})
		if err != nil {
			t.Fatal(err)
		}
		if dt.Status != StatusApproved || dt.FinalScore == nil || *dt.FinalScore != it.Points {
			t.Fatalf("approved: %+v", dt.Assignment)
		}
		// Override: a reason is required, the score range is checked, the
		// change is on the timeline and in the audit log.
		octx := f.as(manager, "2026-04-30")
		_, err = f.s.Override(octx, as.ID, OverrideInput{Version: dt.Version, Score: 2.5, Reason: " "})
		wantErr(t, err, apperr.Invalid, "reason")
		_, err = f.s.Override(octx, as.ID, OverrideInput{Version: dt.Version, Score: 3.5, Reason: "材料不全"})
		wantErr(t, err, apperr.Invalid, "score")
		_, err = f.s.Override(cctx, as.ID, OverrideInput{Version: dt.Version, Score: 2.5, Reason: "材料不全"})
		wantErr(t, err, apperr.Forbidden)
		dt, err = f.s.Override(octx, as.ID, OverrideInput{Version: dt.Version, Score: 2.5, Reason: "核查记录为事后补记"})
		if err != nil {
			t.Fatal(err)
		}
		if !dt.Overridden || *dt.Score != 2.5 || dt.OverrideReason != "核查记录为事后补记" {
			t.Fatalf("override: %+v", dt.Assignment)
		}
		var audited int
		_ = d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE action = 'indicator.override' AND summary LIKE ?", "%核查记录为事后补记%").Scan(&audited)
		if audited != 1 {
			t.Errorf("override audited %d times", audited)
		}
		labels := []string{}
		for _, e := range dt.Events {
			labels = append(labels, e.Action)
		}
		if got := strings.Join(labels, ","); got != "assign,self,evidence,submit,return,self,submit,approve,override" {
			t.Errorf("timeline %s", got)
		}

		// Rolled up: area 一 holds the 2.5 points.
		c, _ = f.s.Campaign(mctx, c.ID)
		if r := rowOf(t, c, "一"); r.Score != 2.5 || r.Max != 15 {
			t.Errorf("area 一 rolled up %g / %g", r.Score, r.Max)
		}
		// The unit sees only its own assignments in the tree.
		cc, _ := f.s.Campaign(f.as(clerk, ""), c.ID)
		if rowOf(t, cc, "1").Assignment == nil || rowOf(t, cc, "7").Assignment != nil {
			t.Errorf("unit's view of the tree is wrong")
		}
		b, err := f.s.Board(mctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Units) != 1 || b.Units[0].UnitID != 3 || b.Units[0].Approved != 1 || b.Units[0].Rank != 1 {
			t.Errorf("board %+v", b.Units)
		}
		_, err = f.s.Board(f.as(clerk, ""), c.ID)
		wantErr(t, err, apperr.Forbidden)

		// Exports read back.
		var buf bytes.Buffer
		if err := f.s.ExportScoreSheet(mctx, &buf, c.ID); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("评分表")
		found := false
		for _, r := range rows {
			if len(r) > 15 && r[0] == "1" && r[13] == "2.50" && r[14] == "是" && r[15] == "核查记录为事后补记" {
				found = true
			}
		}
		if !found {
			t.Errorf("score sheet lacks item 1's overridden score: %v", rows[:4])
		}
		buf.Reset()
		if err := f.s.WriteBundle(mctx, &buf, c.ID); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil || len(zr.File) != 1 || !strings.HasPrefix(zr.File[0].Name, "1 政务服务事项网上可办") || !strings.HasSuffix(zr.File[0].Name, "政务服务事项清单.pdf") {
			t.Fatalf("bundle: %v %v", err, zr)
		}
		buf.Reset()
		if err := f.s.ExportEvidenceIndex(mctx, &buf, c.ID); err != nil {
			t.Fatal(err)
		}
		x, _ = excelize.OpenReader(&buf)
		rows, _ = x.GetRows("佐证材料目录")
		if len(rows) < 2 || rows[len(rows)-1][3] != "政务服务事项清单.pdf" {
			t.Errorf("evidence index: %v", rows)
		}
	})
}

// TestBoundScoring: bound items are scored from the registry for the
// campaign's period and district, read as the system; boundaries hold;
// a veto bound to a figure fails below its line; an approved bound item
// keeps its final score when the figures move.
func TestBoundScoring(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := f.campaign(t)
		mctx := f.as(manager, "2026-03-02")
		f.figs["litigation.head_in_court_rate"] = metric.Figure{Code: "litigation.head_in_court_rate", Name: "行政机关负责人出庭应诉率", Unit: "%",
			Value: 90, Numerator: 9, Denominator: 10, Link: "/litigation/hearings?from=2026-01-01&to=2026-12-31&unit_id=1"}
		f.figs["litigation.loss_rate"] = metric.Figure{Code: "litigation.loss_rate", Name: "行政诉讼败诉率", Unit: "%", NoData: true}
		if _, err := f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{rowOf(t, c, "6.2").ID}, UnitID: 2, DueOn: "2026-09-30"}); err != nil {
			t.Fatal(err)
		}
		if len(f.asks) == 0 || f.asks[len(f.asks)-1] != (metric.Query{UnitID: 1, From: "2026-01-01", To: "2026-12-31"}) {
			t.Fatalf("figures asked %+v", f.asks)
		}
		c, _ = f.s.Campaign(mctx, c.ID)
		head := rowOf(t, c, "30").Assignment
		if head.AutoScore == nil || *head.AutoScore != 4 || *head.Score != 4 || head.AutoLink == "" {
			t.Fatalf("head-in-court at 90%%: %+v", head)
		}
		loss := rowOf(t, c, "32").Assignment
		if loss.AutoValue != nil || loss.Score != nil || !strings.Contains(loss.AutoNote, "没有可计算的记录") {
			t.Fatalf("loss rate without records: %+v", loss)
		}
		if missing := rowOf(t, c, "31").Assignment; !strings.Contains(missing.AutoNote, "尚未提供") {
			t.Errorf("missing figure: %q", missing.AutoNote)
		}
		// Just below the line.
		hf := f.figs["litigation.head_in_court_rate"]
		hf.Value = 89.9
		f.figs["litigation.head_in_court_rate"] = hf
		if err := f.s.RefreshFigures(mctx, c.ID); err != nil {
			t.Fatal(err)
		}
		dt, _ := f.s.Assignment(mctx, head.ID)
		if *dt.Score != 3.99 {
			t.Fatalf("at 89.9%%: %v", *dt.Score)
		}
		// Submit with no evidence is fine for a live-data item; approve.
		dt, err := f.s.SelfAssess(mctx, head.ID, SelfInput{Version: dt.Version, SelfNote: "按系统数据"})
		if err != nil {
			t.Fatal(err)
		}
		if dt, err = f.s.Submit(mctx, head.ID, dt.Version); err != nil {
			t.Fatal(err)
		}
		if dt, err = f.s.Review(mctx, head.ID, ReviewInput{Version: dt.Version, Approve: true}); err != nil {
			t.Fatal(err)
		}
		hf.Value = 50
		f.figs["litigation.head_in_court_rate"] = hf
		if err := f.s.RefreshFigures(mctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if dt, _ = f.s.Assignment(mctx, head.ID); *dt.Score != 3.99 {
			t.Errorf("approved score moved with the figure: %v", *dt.Score)
		}
		// A manual veto item vetoes the campaign.
		veto := rowOf(t, c, "41")
		if _, err := f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{veto.ID}, UnitID: 2, DueOn: "2026-09-30"}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.s.Campaign(mctx, c.ID)
		va := rowOf(t, c, "41").Assignment
		if _, err := f.s.SelfAssess(mctx, va.ID, SelfInput{Version: va.Version, SelfNote: "发生重大执法过错", VetoFailed: true}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.s.Campaign(mctx, c.ID)
		if !c.Totals.Vetoed || len(c.Totals.VetoItems) != 1 {
			t.Errorf("veto not in totals: %+v", c.Totals)
		}
	})
}

// TestClosedCampaignUnchanged: editing a framework used by a campaign
// makes a new revision; the closed campaign keeps its items and scores;
// a closed campaign refuses every write.
func TestClosedCampaignUnchanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := f.campaign(t)
		mctx := f.as(manager, "2026-03-02")
		it := rowOf(t, c, "35") // checklist, 3 points, 1 entry
		if _, err := f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{it.ID}, UnitID: 3, DueOn: "2026-06-30"}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.s.Campaign(mctx, c.ID)
		as := rowOf(t, c, "35").Assignment
		dt, _ := f.s.SelfAssess(mctx, as.ID, SelfInput{Version: as.Version, Checked: []bool{true}, SelfNote: "四次"})
		dt, _ = f.s.AddEvidence(mctx, as.ID, EvidenceInput{Name: "议程.pdf"}, pdf)
		dt, _ = f.s.Submit(mctx, as.ID, dt.Version)
		if _, err := f.s.Review(mctx, as.ID, ReviewInput{Version: dt.Version, Approve: true}); err != nil {
			t.Fatal(err)
		}
		c, _ = f.s.Campaign(mctx, c.ID)
		before := c.Totals
		if _, err := f.s.CloseCampaign(mctx, c.ID, c.Version+1); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("stale close: %v", err)
		}
		if _, err := f.s.CloseCampaign(mctx, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		fw, _ := f.s.Framework(mctx, c.FrameworkID)
		nf, err := f.s.UpdateItem(mctx, fw.ID, it.ID, ItemInput{Version: fw.Version, Title: "会前学法每年不少于六次", Kind: KindNormal, Points: 10,
			Method: MethodChecklist, Evidence: "议程\n记录"})
		if err != nil {
			t.Fatal(err)
		}
		if nf.ID == fw.ID || nf.Revision != 2 || nf.BasedOn != fw.ID {
			t.Fatalf("edit of a used framework did not make a new revision: %+v", nf.Framework)
		}
		old, _ := f.s.Framework(mctx, fw.ID)
		if !old.Superseded {
			t.Errorf("old revision not marked superseded")
		}
		c2, _ := f.s.Campaign(mctx, c.ID)
		r := rowOf(t, c2, "35")
		if r.Title != it.Title || r.Points != 3 || c2.Totals.Total != before.Total || c2.Totals.BaseMax != before.BaseMax || c2.Totals.Base != 3 {
			t.Fatalf("closed campaign changed: %q %g %+v vs %+v", r.Title, r.Points, c2.Totals, before)
		}
		// Writes refused once closed.
		_, err = f.s.Breakdown(mctx, c.ID, BreakdownInput{ItemIDs: []int64{it.ID}, UnitID: 3, DueOn: "2026-06-30"})
		wantErr(t, err, apperr.Precondition, "测评已结束")
		_, err = f.s.Override(mctx, as.ID, OverrideInput{Version: r.Assignment.Version, Score: 1, Reason: "x"})
		wantErr(t, err, apperr.Precondition, "测评已结束")
		wantErr(t, f.s.RefreshFigures(mctx, c.ID), apperr.Precondition, "测评已结束")
		// A superseded revision is not used for new campaigns; editing a
		// revision no campaign uses changes it in place.
		_, err = f.s.CreateCampaign(mctx, CampaignInput{Name: "2027", Year: 2027, FrameworkID: fw.ID, UnitID: 1})
		wantErr(t, err, apperr.Invalid, "framework_id")
		var leaf Item
		for _, x := range nf.Items {
			if x.Code == "36" {
				leaf = x
			}
		}
		n2, err := f.s.UpdateItem(mctx, nf.ID, leaf.ID, ItemInput{Version: nf.Version, Title: leaf.Title, Kind: KindNormal, Points: 4, Method: MethodChecklist, Evidence: leaf.Evidence})
		if err != nil || n2.ID != nf.ID {
			t.Fatalf("in-place edit: %v %v", err, n2)
		}
		_, err = f.s.UpdateItem(mctx, nf.ID, leaf.ID, ItemInput{Version: nf.Version, Title: leaf.Title, Kind: KindNormal, Points: 4, Method: MethodChecklist, Evidence: leaf.Evidence})
		wantErr(t, err, apperr.Conflict)
		_, err = f.s.UpdateItem(mctx, nf.ID, leaf.ID, ItemInput{Version: n2.Version, Title: "x", Kind: KindNormal, Points: 4, Method: MethodThreshold})
		wantErr(t, err, apperr.Invalid, "figure_code")
		_, err = f.s.UpdateItem(f.as(clerk, ""), nf.ID, leaf.ID, ItemInput{Version: n2.Version, Title: "x", Kind: KindNormal, Points: 4, Method: MethodManual})
		wantErr(t, err, apperr.Forbidden)
	})
}

// xlsxOf builds a framework workbook from rows (header first).
func xlsxOf(t *testing.T, rows [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", FrameworkSheet)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(FrameworkSheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImport: a bad batch reports every bad row and writes nothing; a good
// one creates a framework (a new revision for an existing code); the
// export loads back.
func TestImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		mctx := f.as(manager, "2026-03-02")
		head := []any{"编号", "层级", "上级编号", "指标名称", "指标说明", "类型", "分值", "评分方法", "每次扣分", "扣分上限", "绑定数据指标代码", "满分阈值", "零分阈值", "佐证材料清单"}
		bad := xlsxOf(t, [][]any{head,
			{"一", 1, "", "职能履行"},
			{"1.1", 2, "一", "简政放权"},
			{"1", 3, "1.1", "审批时限", "", "计分项", "三分", "对照清单", "", "", "", "", "", ""},
			{"2", 3, "9.9", "出庭", "", "计分项", 4, "数据阈值"},
			{"2", 3, "1.1", "", "", "奖励项", 1, "人工评分"},
			{"3", 2, "1.1", "层级错", "", "", "", ""},
		})
		rep, err := f.s.ImportFramework(mctx, ImportInput{Code: "prov-2026", Name: "某省指标体系"}, bad)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range rep.Problems {
			got = append(got, p.String())
		}
		all := strings.Join(got, "\n")
		for _, want := range []string{"第 4 行 G（分值）：分值应为数字", "对照清单评分须填写佐证材料清单", "第 5 行", "上级编号「9.9」不在本行之前", "数据阈值评分须绑定数据指标",
			"第 6 行", "编号「2」重复", "指标名称不能为空", "类型应为", "第 7 行", "上级「1.1」是 2 级指标"} {
			if !strings.Contains(all, want) {
				t.Errorf("import report lacks %q:\n%s", want, all)
			}
		}
		if rep.FrameworkID != 0 {
			t.Errorf("bad batch created framework %d", rep.FrameworkID)
		}
		fws, _ := f.s.Frameworks(mctx)
		if len(fws) != 0 {
			t.Fatalf("bad batch wrote %d frameworks", len(fws))
		}
		_, err = f.s.ImportFramework(f.as(clerk, ""), ImportInput{Code: "x", Name: "x"}, bad)
		wantErr(t, err, apperr.Forbidden)
		_, err = f.s.ImportFramework(mctx, ImportInput{Code: "../x", Name: ""}, bad)
		wantErr(t, err, apperr.Invalid, "code", "name")
		_, err = f.s.ImportFramework(mctx, ImportInput{Code: "x", Name: "x"}, []byte("not a workbook"))
		wantErr(t, err, apperr.Invalid)

		// The default framework exported and imported under a new code.
		id, _ := f.s.EnsureDefault(mctx)
		var buf bytes.Buffer
		if err := f.s.ExportFramework(mctx, &buf, id); err != nil {
			t.Fatal(err)
		}
		rep, err = f.s.ImportFramework(mctx, ImportInput{Code: "prov-2026", Name: "某省指标体系"}, buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Problems) != 0 || rep.FrameworkID == 0 || rep.Revision != 1 {
			t.Fatalf("round trip: %+v", rep)
		}
		a, _ := f.s.Framework(mctx, id)
		b, _ := f.s.Framework(mctx, rep.FrameworkID)
		if a.ItemCount != b.ItemCount || a.Bound != b.Bound || a.Points != b.Points || len(b.Items) != len(a.Items) {
			t.Fatalf("round trip changed the framework: %d/%d/%g vs %d/%d/%g", a.ItemCount, a.Bound, a.Points, b.ItemCount, b.Bound, b.Points)
		}
		for i := range a.Items {
			x, y := a.Items[i], b.Items[i]
			x.ID, x.FrameworkID, x.ParentID, y.ID, y.FrameworkID, y.ParentID = 0, 0, 0, 0, 0, 0
			if x != y {
				t.Fatalf("item %d differs:\n%+v\n%+v", i, x, y)
			}
		}
		rep, err = f.s.ImportFramework(mctx, ImportInput{Code: "prov-2026", Name: "某省指标体系（修订）"}, buf.Bytes())
		if err != nil || rep.Revision != 2 {
			t.Fatalf("second import: %v %+v", err, rep)
		}
	})
}
