package app

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/litigation"
	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/report"
)

// TestDemoReport: the demo's reports (a 2025 report published after a
// return, so with two versions; a department's approved; a 2026 draft);
// a report generated from the demo data has every figure equal to the
// metric registry's value for its unit subtree and year; one record more
// (a lawsuit) changes the figure and the report's text.
func TestDemoReport(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		a := demoApp(t, dsn)
		sys := auth.With(context.Background(), auth.SystemActor("demo report test"))
		svc := a.Report()
		page, err := svc.List(sys, report.Filter{}, db.ListReq{Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		var published, draft *report.Report
		approved := 0
		for i, r := range page.Items {
			switch {
			case r.Status == report.StatusPublished && r.Year == 2025 && r.Kind == report.KindGovernment:
				published = &page.Items[i]
			case r.Status == report.StatusDraft && r.Year == 2026 && r.Kind == report.KindGovernment:
				draft = &page.Items[i]
			case r.Status == report.StatusApproved && r.Kind == report.KindDepartment:
				approved++
			}
		}
		if published == nil || draft == nil || approved == 0 {
			t.Fatalf("demo reports: %+v", page.Items)
		}
		if published.Versions != 2 || published.PublishedNo != 2 || published.PublishedAt == nil ||
			calendar.DateOf(published.PublishedAt.In(calendar.Shanghai)).String() > "2026-04-01" {
			t.Fatalf("published report: %+v", published)
		}
		c, err := svc.Compare(sys, published.ID, 1, 2)
		if err != nil || c.Changed == 0 {
			t.Fatalf("versions 1 and 2 do not differ: %+v %v", c, err)
		}
		pub, err := svc.Public(context.Background(), published.ID)
		if err != nil || len(pub.Sections) != 6 {
			t.Fatalf("public report: %v", err)
		}

		// Every figure of a report generated now equals the registry's.
		check := func(d *report.Detail) {
			t.Helper()
			q := metric.Query{UnitID: d.UnitID, From: "2026-01-01", To: "2026-12-31"}
			figs, err := a.Metrics.Figures(sys, q)
			if err != nil {
				t.Fatal(err)
			}
			reg := map[string]metric.Figure{}
			for _, f := range figs {
				reg[f.Code] = f
			}
			for _, code := range report.TemplateCodes() {
				if _, ok := reg[code]; !ok {
					t.Errorf("the template refers to %s, which the metric catalogue does not have", code)
				}
			}
			n := 0
			var walk func(ss []report.Section)
			walk = func(ss []report.Section) {
				for _, s := range ss {
					for _, p := range s.Paragraphs {
						for _, part := range p.Parts {
							if part.Code == "" {
								continue
							}
							n++
							f, src := reg[part.Code], d.Figures[part.Code]
							if part.Text != report.FigureText(f) || src.Value != f.Value || src.Numerator != f.Numerator ||
								src.Denominator != f.Denominator || src.Link != f.Link || src.From != q.From || src.To != q.To || src.UnitID != q.UnitID {
								t.Errorf("%s: report %q %+v, registry %+v", part.Code, part.Text, src, f)
							}
						}
					}
					walk(s.Sub)
				}
			}
			walk(d.Sections)
			if n < len(report.TemplateCodes()) {
				t.Fatalf("only %d figures in the report", n)
			}
		}
		d, err := svc.Regenerate(sys, draft.ID, report.VersionInput{Version: draft.Version})
		if err != nil {
			t.Fatal(err)
		}
		check(d)
		nonzero := 0
		for _, f := range d.Figures {
			if !f.NoData && f.Value != 0 {
				nonzero++
			}
		}
		if nonzero < 30 {
			t.Errorf("the 2026 demo report has only %d figures with a value", nonzero)
		}

		// One lawsuit more in 2026: the count and the text change.
		before := d.Figures[litigation.FigureReceived]
		var unit int64
		if err := a.DB.QueryRow(context.Background(), "SELECT id FROM org_units WHERE name = '区市场监管局'").Scan(&unit); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Litigation().Create(sys, litigation.CaseInput{Court: "清河区人民法院", Instance: "first", PlaintiffName: "报告测试原告",
			UnitID: unit, Act: "报告测试被诉行为", ReceivedOn: "2026-06-15"}); err != nil {
			t.Fatal(err)
		}
		d2, err := svc.Regenerate(sys, d.ID, report.VersionInput{Version: d.Version})
		if err != nil {
			t.Fatal(err)
		}
		after := d2.Figures[litigation.FigureReceived]
		if after.Numerator != before.Numerator+1 {
			t.Fatalf("lawsuits %d → %d", before.Numerator, after.Numerator)
		}
		text := func(d *report.Detail) string {
			var b strings.Builder
			for _, s := range d.Sections {
				for _, sub := range s.Sub {
					for _, p := range sub.Paragraphs {
						b.WriteString(p.Rendered)
					}
				}
			}
			return b.String()
		}
		if !strings.Contains(text(d), "行政应诉收案"+before.Text) || !strings.Contains(text(d2), "行政应诉收案"+after.Text) {
			t.Fatalf("report text does not follow the figure %s → %s", before.Text, after.Text)
		}
		check(d2)
	})
}
