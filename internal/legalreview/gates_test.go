package legalreview

import (
	"bytes"
	"fazhi/internal/metric"
	"fazhi/internal/platform/docx"

	"context"
	"github.com/xuri/excelize/v2"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The reviewing body concludes, never the requesting unit: the head of the
// 住房城乡建设局 (who approves everything of his unit) cannot conclude the
// review of his bureau's draft, nor can an account of that bureau granted
// approval district-wide; the 司法局's head, acting for the reviewing unit,
// concludes.
func TestOnlyTheReviewingBodyConcludes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.open(t, OpenInput{Title: "清河区公共租赁住房管理办法"})
		f.pass(t, r.ID)
		f.at("2026-10-20") // past the minimum review time
		in := ConcludeInput{Conclusion: "passed", Summary: "审查通过", Version: f.ver(t, r.ID)}
		_, err := f.svc.Conclude(f.as(t, "head_zjj"), r.ID, in)
		e := wantCode(t, err, apperr.Forbidden)
		if !strings.Contains(e.Message, "送审单位（区住房城乡建设局）不能对本单位送审的事项出具审查结论") {
			t.Fatalf("head of the requesting unit: %v", err)
		}
		wide, err := f.orgs.LoadActor(context.Background(), f.ids["head_zjj"])
		if err != nil {
			t.Fatal(err)
		}
		wide.Perms[PermApprove] = auth.Scope{All: true}
		_, err = f.svc.Conclude(auth.With(context.Background(), wide), r.ID, in)
		e = wantCode(t, err, apperr.Forbidden)
		if !strings.Contains(e.Message, "送审单位") {
			t.Fatalf("requesting unit with district-wide approval: %v", err)
		}
		got, err := f.svc.Conclude(f.as(t, "sifaju"), r.ID, in)
		if err != nil || got.Status != StatusConcluded || got.Early {
			t.Fatalf("the reviewing body's conclusion: %+v %v", got, err)
		}
	})
}

// Concluding before the minimum review time (submitted 2026-09-28, at least
// 7 working days: not before 2026-10-13) is refused without the urgent
// matter and who approved it; with them it succeeds and is marked in the
// record, the timeline, the ledger filter, the export and the figures.
func TestEarlyConclusionNeedsAReason(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.open(t, OpenInput{Title: "清河区城市道路临时占用管理办法"})
		if r.MinOn != "2026-10-13" {
			t.Fatalf("min_on %s", r.MinOn)
		}
		f.pass(t, r.ID)
		_, err := f.svc.Conclude(f.as(t, "sifaju"), r.ID, ConcludeInput{Conclusion: "passed", Version: f.ver(t, r.ID)})
		e := wantCode(t, err, apperr.Invalid)
		if !strings.Contains(hasField(e, "early_reason"), "最早 2026-10-13 办结") || hasField(e, "early_approver") == "" {
			t.Fatalf("early conclusion without a reason: %v", err)
		}
		got, err := f.svc.Get(f.as(t, "sifaju"), r.ID)
		if err != nil || got.Status != StatusConcluding {
			t.Fatalf("refused conclusion changed the review: %+v %v", got, err)
		}
		got, err = f.svc.Conclude(f.as(t, "sifaju"), r.ID, ConcludeInput{Conclusion: "passed", EarlyReason: "区政府常务会议议程紧急", EarlyApprover: "司法局局长王建国", Version: f.ver(t, r.ID)})
		if err != nil {
			t.Fatal(err)
		}
		if !got.Early || got.EarlyReason != "区政府常务会议议程紧急" || got.EarlyApprover != "司法局局长王建国" || got.OnTime == nil || !*got.OnTime {
			t.Fatalf("early conclusion: early=%v reason=%q approver=%q", got.Early, got.EarlyReason, got.EarlyApprover)
		}
		b, _, err := f.svc.Letter(f.as(t, "clerk_zjj"), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if text, _ := docx.Text(b); !strings.Contains(text, "提前办结。紧急事由：区政府常务会议议程紧急；批准人：司法局局长王建国") {
			t.Fatalf("letter lacks the early mark:\n%s", text)
		}
		tl := f.timeline(t, r.ID)
		if last := tl[len(tl)-1]; !strings.Contains(last.Early, "紧急事由：区政府常务会议议程紧急") {
			t.Fatalf("timeline: %+v", last)
		}
		// A review concluded after its minimum time is not marked.
		r2 := f.open(t, OpenInput{Title: "清河区养犬管理规定"})
		f.pass(t, r2.ID)
		f.at("2026-10-20")
		late, err := f.svc.Conclude(f.as(t, "sifaju"), r2.ID, ConcludeInput{Conclusion: "passed", EarlyReason: "无需填写", EarlyApprover: "无", Version: f.ver(t, r2.ID)})
		if err != nil || late.Early || late.EarlyReason != "" {
			t.Fatalf("conclusion after min time: %+v %v", late, err)
		}
		list, err := f.svc.List(f.as(t, "sifaju"), Filter{Early: "yes"}, db.ListReq{})
		if err != nil || list.Total != 1 || list.Items[0].ID != r.ID {
			t.Fatalf("ledger early filter: %d %v", list.Total, err)
		}
		figs, err := f.svc.Figures(f.as(t, "sifaju"), metric.Query{From: "2026-09-01", To: "2026-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		var early *metric.Figure
		for i := range figs {
			if figs[i].Code == FigureEarlyRate {
				early = &figs[i]
			}
		}
		if early == nil || early.Numerator != 1 || early.Denominator != 2 || early.Value != 50 || !strings.Contains(early.NumeratorLink, "early=yes") {
			t.Fatalf("early figure: %+v", early)
		}
		x, err := f.svc.Export(f.as(t, "sifaju"), Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if !xlsxContains(t, x, "提前办结（区政府常务会议议程紧急；司法局局长王建国）") {
			t.Fatal("export lacks the early-conclusion mark")
		}
	})
}

// xlsxContains reports whether any cell of the workbook's first sheet
// contains text.
func xlsxContains(t *testing.T, b []byte, text string) bool {
	t.Helper()
	wb, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows(wb.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		for _, c := range row {
			if strings.Contains(c, text) {
				return true
			}
		}
	}
	return false
}
