package casereview

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/docx"
	"fazhi/internal/platform/draw"
	"fazhi/internal/platform/pdf"
	"fazhi/internal/platform/testenv"
)

func TestPlanDrawIsVerifiableAndRecused(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p := f.plan(2)
		// Gates: no draw before the commitment; a clerk cannot organise.
		_, err := f.s.Draw(f.admin, p.ID, VersionInput{Version: p.Version})
		wantCode(t, err, apperr.Precondition, "公布名录承诺")
		if _, err := f.s.CreatePlan(f.clerkSJ, PlanInput{Year: 2026, Title: "x", UnitID: f.sj, RubricID: f.rubric.ID, UnitIDs: []int64{f.jy}, PerUnit: 1}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("clerk plan: %v", err)
		}
		// Nested units are refused (recusal would be ambiguous).
		_, err = f.s.CreatePlan(f.admin, PlanInput{Year: 2026, Title: "x", UnitID: f.sfj, RubricID: f.rubric.ID, UnitIDs: []int64{f.sj, f.station}, PerUnit: 1})
		wantField(t, err, "unit_ids")
		p = must[*Plan](t)(f.s.Commit(f.admin, p.ID, VersionInput{Version: p.Version}))
		if p.Status != StatusCommitted || len(p.SnapshotSHA256) != 64 || p.Seed != "" {
			t.Fatalf("committed: %+v", p)
		}
		// The pool is frozen once committed.
		_, err = f.s.AddReviewers(f.admin, p.ID, ReviewersInput{OfficerIDs: f.officers[:1]})
		wantCode(t, err, apperr.Conflict, "冻结")
		p = must[*Plan](t)(f.s.Draw(f.admin, p.ID, VersionInput{Version: p.Version}))
		if p.Status != StatusDrawn || p.Files != 12 || len(p.Seed) != 64 {
			t.Fatalf("drawn: %+v", p)
		}
		_, err = f.s.Draw(f.admin, p.ID, VersionInput{Version: p.Version})
		wantCode(t, err, apperr.Conflict, "不能重新抽取")
		// Published files reproduce the draw (fazhi draw verify's check).
		files := must[map[string][]byte](t)(f.s.DrawFiles(f.admin, p.ID))
		pub := must[draw.Published](t)(draw.Classify(files))
		if bad := draw.Verify(pub); len(bad) != 0 {
			t.Fatalf("verify: %v", bad)
		}
		// Only the year's closed cases were in the pool (13 per department
		// less the 2025 one; the station's count as 市场监管局's).
		snap := must[draw.Snapshot](t)(draw.ParseSnapshot(pub.Snapshot))
		if len(snap.Items) != 24+12+12 {
			t.Fatalf("pool %d items", len(snap.Items))
		}
		// Every drawn file: four per unit, two reviewers, none of its unit.
		list := must[db.Paged[File]](t)(f.s.ListFiles(f.admin, FileFilter{PlanID: p.ID}, db.ListReq{Size: 100}))
		perUnit := map[int64]int{}
		for _, fl := range list.Items {
			perUnit[fl.UnitID]++
			full := must[*File](t)(f.s.GetFile(f.admin, fl.ID))
			if len(full.ReviewerIDs) != 2 {
				t.Fatalf("file %d reviewers %v", fl.ID, full.ReviewerIDs)
			}
			for _, r := range full.ReviewerIDs {
				ru := f.en.officers[r].UnitID
				if strings.HasPrefix(f.en.paths[ru], f.en.paths[fl.UnitID]) {
					t.Fatalf("file of %s reviewed by %s of its own unit", fl.UnitName, f.en.officers[r].Name)
				}
			}
		}
		if perUnit[f.sj] != 4 || perUnit[f.jy] != 4 || perUnit[f.jt] != 4 {
			t.Fatalf("per unit %v", perUnit)
		}
		// A reviewed unit sees its own files only.
		own := must[db.Paged[File]](t)(f.s.ListFiles(f.clerkJY, FileFilter{}, db.ListReq{Size: 100}))
		if len(own.Items) != 4 || own.Items[0].UnitID != f.jy {
			t.Fatalf("教育局 sees %d files", len(own.Items))
		}
	})
}

// TestRecusalOverManyDraws runs the plan's snapshot with 2000 seeds: no
// draw ever gives a reviewer a file of their own unit, the station's
// reviewers included (they belong to 市场监管局's subtree).
func TestRecusalOverManyDraws(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p := f.plan(2)
		units := must[[]unitRef](t)(f.s.st.planUnits(context.Background(), f.d, p.ID))
		cases := map[int64][]CaseRef{}
		for _, u := range units {
			cases[u.id] = must[[]CaseRef](t)(f.en.ClosedCases(f.admin, u.id, 2026))
		}
		reviewers := must[[]Reviewer](t)(f.s.GetReviewers(f.admin, p.ID))
		snap := snapshot(p, units, cases, reviewers, f.en.paths)
		seed := must[string](t)(draw.NewSeed())
		c := must[draw.Committed](t)(draw.Commit(snap, seed, "2026-12-01T02:00:00Z"))
		unitOf := map[string]int64{}
		for _, r := range reviewers {
			unitOf[reviewerKey(r.OfficerID)] = r.UnitID
		}
		itemUnit := map[string]int64{}
		for _, u := range units {
			for _, cs := range cases[u.id] {
				itemUnit[caseKey(cs.ID)] = u.id
			}
		}
		n := 0
		for i := range 2000 {
			res, err := draw.Run(c.Snapshot, fmt.Sprintf("%064x", i+1))
			if err != nil {
				t.Fatal(err)
			}
			for _, pick := range res.Picks {
				for _, a := range pick.Assignees {
					n++
					if strings.HasPrefix(f.en.paths[unitOf[a]], f.en.paths[itemUnit[pick.Item]]) {
						t.Fatalf("seed %d: %s (unit %d) got %s of unit %d", i, a, unitOf[a], pick.Item, itemUnit[pick.Item])
					}
				}
			}
		}
		if n != 2000*12*2 {
			t.Fatalf("%d assignments checked", n)
		}
		// Reviewers only of reviewed units and too few elsewhere: refused
		// before committing.
		q := must[*Plan](t)(f.s.CreatePlan(f.admin, PlanInput{Year: 2026, Title: "only own", UnitID: f.sfj, RubricID: f.rubric.ID, UnitIDs: []int64{f.sj, f.jy}, PerUnit: 2, PerFile: 3}))
		must[[]Reviewer](t)(f.s.AddReviewers(f.admin, q.ID, ReviewersInput{OfficerIDs: []int64{1, 2, 3, 5, 6}})) // 市场监管局 ×2, 南坪所, 教育局 ×2
		q = must[*Plan](t)(f.s.GetPlan(f.admin, q.ID))
		_, err := f.s.Commit(f.admin, q.ID, VersionInput{Version: q.Version})
		wantField(t, err, "reviewers")
	})
}

func TestScoreFileRaisesFindingsRanksAndReports(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p := f.drawn(1)
		list := must[db.Paged[File]](t)(f.s.ListFiles(f.admin, FileFilter{PlanID: p.ID}, db.ListReq{Size: 100}))
		byUnit := map[int64][]File{}
		for _, fl := range list.Items {
			byUnit[fl.UnitID] = append(byUnit[fl.UnitID], fl)
		}
		score := func(fl File, in ScoreInput) (*File, error) {
			full := must[*File](t)(f.s.GetFile(f.admin, fl.ID))
			in.ReviewerID, in.Version = full.ReviewerIDs[0], full.Version
			if in.ReviewedOn == "" {
				in.ReviewedOn = "2026-11-20"
			}
			return f.s.ScoreFile(f.admin, fl.ID, in)
		}
		// Bad input writes nothing.
		fl := byUnit[f.sj][0]
		_, err := score(fl, ScoreInput{Deductions: []Deduction{{Code: "B1", Points: 11, Reason: "证据不足"}}})
		wantField(t, err, "deductions[0].points")
		_, err = score(fl, ScoreInput{ReviewedOn: "0000-01-01"})
		wantField(t, err, "reviewed_on")
		if len(f.ledger.raised) != 0 {
			t.Fatalf("raised on bad input: %v", f.ledger.raised)
		}
		// A reviewer not assigned to the file is refused.
		full := must[*File](t)(f.s.GetFile(f.admin, fl.ID))
		other := int64(0)
		for _, id := range f.officers {
			if id != full.ReviewerIDs[0] {
				other = id
				break
			}
		}
		_, err = f.s.ScoreFile(f.admin, fl.ID, ScoreInput{ReviewerID: other, ReviewedOn: "2026-11-20", Version: full.Version})
		wantField(t, err, "reviewer_id")
		// 市场监管局: one failed by a veto, one with deductions; 教育局: clean.
		got := must[*File](t)(score(fl, ScoreInput{Vetoes: []VetoHit{{Code: "V2", Reason: "执法人员仅 1 人签名"}},
			Deductions: []Deduction{{Code: "A3", Reason: "卷内无页码"}}}))
		if got.Score != 0 || got.Grade != GradeFail || got.Problems != 2 || len(got.Findings) != 0 && got.Findings[0].FindingID == 0 {
			t.Fatalf("vetoed file: %+v", got)
		}
		_, err = score(fl, ScoreInput{})
		wantCode(t, err, apperr.Conflict, "不能重复评分")
		must[*File](t)(score(byUnit[f.sj][1], ScoreInput{Deductions: []Deduction{{Code: "B2", Points: 4, Reason: "罚款幅度未说明理由"}, {Code: "C5", Reason: "超期 12 日结案"}}}))
		must[*File](t)(score(byUnit[f.jy][0], ScoreInput{}))
		if len(f.ledger.raised) != 4 {
			t.Fatalf("raised %d findings", len(f.ledger.raised))
		}
		for _, r := range f.ledger.raised {
			if r.UnitID != f.sj || r.Source != "case_review" || !strings.HasPrefix(r.SourceRef, p.Code+"-") {
				t.Fatalf("finding %+v", r)
			}
		}
		detail := must[*File](t)(f.s.GetFile(f.clerkSJ, fl.ID))
		if len(detail.Findings) != 2 || detail.Findings[0].Kind != "veto" || detail.Findings[0].FindingID == 0 {
			t.Fatalf("problems %+v", detail.Findings)
		}
		// Another unit's file is not found for 教育局's clerk.
		if _, err := f.s.GetFile(f.clerkJY, fl.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("other unit's file: %v", err)
		}
		rs := must[[]Ranking](t)(f.s.Rankings(f.admin, p.ID))
		if rs[0].UnitID != f.jy || rs[0].Average != 100 || rs[1].UnitID != f.sj || rs[1].Average != 45.5 || rs[1].Fail != 1 || rs[2].Scored != 0 {
			t.Fatalf("rankings %+v", rs)
		}
		b, name := must2(t)(f.s.Report(f.admin, p.ID))
		text := must[string](t)(docx.Text(b))
		for _, want := range []string{"2026年度行政执法案卷评查情况报告", p.Code, p.SnapshotSHA256, p.Seed, "第1名 区教育局", "平均 100.0 分", "第2名 区市场监管局",
			"平均 45.5 分", "执法人员无执法资格或少于 2 人", "执法人员仅 1 人签名", "超期 12 日结案", "清河区司法局"} {
			if !strings.Contains(text, want) {
				t.Errorf("report lacks %q", want)
			}
		}
		if !strings.HasSuffix(name, ".docx") {
			t.Fatalf("name %s", name)
		}
	})
}

func must2(t *testing.T) func(b []byte, s string, err error) ([]byte, string) {
	return func(b []byte, s string, err error) ([]byte, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b, s
	}
}

func TestNoticeNumberDeadlineReplyAndEscalation(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		in := NoticeInput{Kind: "opinion", BodyID: f.sjBody, Subject: "2026 年度行政执法案卷评查", IssuedOn: "2026-09-24",
			Items: []string{"行政处罚决定书未载明裁量理由", "部分案卷超期结案"}, Requirement: "请逐项整改并完善裁量基准适用制度。"}
		// Bad input: nothing written, no number taken.
		bad := in
		bad.Items = []string{" ", ""}
		_, err := f.s.Issue(f.admin, bad)
		wantField(t, err, "items")
		bad = in
		bad.IssuedOn = "0000-01-01"
		_, err = f.s.Issue(f.admin, bad)
		wantField(t, err, "issued_on")
		if _, err := f.s.Issue(f.clerkSJ, in); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("clerk issues: %v", err)
		}
		n := must[*Notice](t)(f.s.Issue(f.admin, in))
		// 20 working days from Thursday 2026-09-24 (not counted) over
		// 中秋 (09-25) and 国庆 (10-01..07), with the make-up working
		// Saturday 10-10 counted: 2026-10-29 (10-30 without it).
		if n.Number != "清河司法监〔2026〕1号" || n.ReplyDue != "2026-10-29" || !strings.Contains(n.DueExplain, "国庆") || len(n.Items) != 2 || n.Items[0].FindingID == 0 {
			t.Fatalf("notice %+v", n)
		}
		in2 := in
		in2.Kind, in2.BodyID, in2.IssuedOn, in2.Items = "suggestion", f.jyBody, "2026-11-30", []string{"执法公示不及时"}
		n2 := must[*Notice](t)(f.s.Issue(f.admin, in2))
		if n2.Number != "清河司法监〔2026〕2号" {
			t.Fatalf("second number %s", n2.Number)
		}
		// Escalation once the deadline has passed (today 2026-12-01).
		err = f.d.WithTx(f.admin, func(tx *db.Tx) error { return f.s.escalate(f.admin, tx, n.ID, n.ReplyDue) })
		if err != nil {
			t.Fatal(err)
		}
		n = must[*Notice](t)(f.s.GetNotice(f.clerkSJ, n.ID))
		if n.EscalatedOn != "2026-12-01" || !n.Overdue || len(f.ledger.raised) != 4 || !f.ledger.raised[3].Serious {
			t.Fatalf("escalated %+v raised %d", n, len(f.ledger.raised))
		}
		// Not escalated before its deadline.
		if err := f.d.WithTx(f.admin, func(tx *db.Tx) error { return f.s.escalate(f.admin, tx, n2.ID, n2.ReplyDue) }); err != nil {
			t.Fatal(err)
		}
		if n2 = must[*Notice](t)(f.s.GetNotice(f.admin, n2.ID)); n2.EscalatedOn != "" {
			t.Fatalf("escalated early: %+v", n2)
		}
		// 教育局 may not see or answer 市场监管局's notice; 市场监管局 answers.
		if _, err := f.s.Reply(f.clerkJY, n.ID, ReplyInput{RepliedOn: "2026-11-30", Reply: "x", Version: n.Version}); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("other unit replies: %v", err)
		}
		_, err = f.s.Reply(f.clerkSJ, n.ID, ReplyInput{RepliedOn: "2026-09-01", Reply: "已整改", Version: n.Version})
		wantField(t, err, "replied_on")
		n = must[*Notice](t)(f.s.Reply(f.clerkSJ, n.ID, ReplyInput{RepliedOn: "2026-11-30", Reply: "已逐项整改，修订裁量基准。", Version: n.Version}))
		if n.Status != NoticeReplied || n.RepliedOnTime || n.Overdue {
			t.Fatalf("replied %+v", n)
		}
		// Rectification comes from the ledger.
		if _, err := f.d.Exec(context.Background(), "UPDATE findings SET status = 'closed' WHERE id = ?", n.Items[0].FindingID); err != nil {
			t.Fatal(err)
		}
		if n = must[*Notice](t)(f.s.GetNotice(f.admin, n.ID)); n.Rectified != 1 {
			t.Fatalf("rectified %d", n.Rectified)
		}
		list := must[db.Paged[Notice]](t)(f.s.ListNotices(f.clerkSJ, NoticeFilter{}, db.ListReq{}))
		if len(list.Items) != 1 || list.Items[0].ID != n.ID {
			t.Fatalf("clerk sees %d notices", len(list.Items))
		}

		// The document: number, body, findings, deadline.
		b, _ := must2(t)(f.s.NoticeDocument(f.admin, n.ID))
		text := must[string](t)(docx.Text(b))
		for _, want := range []string{"行政执法监督意见书", "清河司法监〔2026〕1号", "清河区市场监督管理局：", "一、行政处罚决定书未载明裁量理由", "二、部分案卷超期结案",
			"请于2026年10月29日前将整改落实情况书面答复本机关", "清河区司法局", "2026年9月24日"} {
			if !strings.Contains(text, want) {
				t.Errorf("notice lacks %q:\n%s", want, text)
			}
		}
		renderPage(t, "supervision-notice", b)
	})
}

// renderPage prints the notice to PDF with LibreOffice and its first page
// to PNG under $FAZHI_PDF_OUT, for a person to look at.
func renderPage(t *testing.T, name string, b []byte) {
	if testenv.PDFOut == "" {
		return // a LibreOffice run per test is slow on a loaded host
	}
	c := pdf.New(pdf.Config{})
	if c.Engine() != "libreoffice" {
		t.Log("LibreOffice not installed: no page image")
		return
	}
	out, err := c.FromDOCX(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "%PDF-") {
		t.Fatal("not a PDF")
	}
	dir := testenv.PDFOut
	p := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if o, err := exec.Command("pdftoppm", "-r", "70", "-png", p, filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, o)
	}
}
