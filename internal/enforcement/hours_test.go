package enforcement

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// The training-hours figure: officers on the roster (certificate not
// revoked) in scope whose hours of the year reach the required 60, over
// the roster; its links list exactly those officers; another year reads
// that year's hours; another unit sees none of them.
func TestTrainingHoursFigure(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		revoked := f.officer("孙七", "SJ-0009", "2022-01-01", "2027-12-31", "revoked", f.sj)
		set := func(o *Officer, year, hours int) {
			if err := f.d.WithTx(context.Background(), func(tx *db.Tx) error { return f.s.st.setTraining(context.Background(), tx, o.ID, year, hours) }); err != nil {
				t.Fatal(err)
			}
		}
		set(f.valid1, 2026, 72)
		set(revoked, 2026, 80) // off the roster: counts nowhere
		set(f.valid2, 2025, 64)
		fig := func(ctx context.Context, q metric.Query) metric.Figure {
			t.Helper()
			figs, err := f.s.HoursFigures(ctx, q)
			if err != nil || len(figs) != 1 {
				t.Fatalf("figures %+v %v", figs, err)
			}
			return figs[0]
		}
		got := fig(f.clerk, metric.Query{})
		if got.Code != FigureTrainingHours || got.Numerator != 1 || got.Denominator != 3 {
			t.Fatalf("2026 in 市场监管局: %d/%d", got.Numerator, got.Denominator)
		}
		list := func(link string) int {
			t.Helper()
			fl := OfficerFilter{Roster: strings.Contains(link, "roster=true"), TrainingYear: 2026}
			if strings.Contains(link, "training_year=2025") {
				fl.TrainingYear = 2025
			}
			if strings.Contains(link, "hours_met=true") {
				fl.HoursMet = "true"
			}
			p, err := f.s.ListOfficers(f.clerk, fl, db.ListReq{Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Items)
		}
		if n, d := list(got.NumeratorLink), list(got.Link); n != 1 || d != 3 {
			t.Fatalf("records behind the links %s, %s: %d/%d", got.NumeratorLink, got.Link, n, d)
		}
		if last := fig(f.clerk, metric.Query{To: "2025-12-31"}); last.Numerator != 1 || last.Denominator != 3 || !strings.Contains(last.Link, "training_year=2025") {
			t.Fatalf("2025: %+v", last)
		}
		if team := fig(f.admin, metric.Query{UnitID: f.team}); team.Numerator != 0 || team.Denominator != 1 {
			t.Fatalf("the team's subtree: %+v", team)
		}
		if out := fig(f.outsider, metric.Query{}); out.Numerator != 0 || out.Denominator != 0 {
			t.Fatalf("another unit: %+v", out)
		}
		if _, err := f.s.HoursFigures(f.clerk, metric.Query{To: "0000-01-01"}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("year-0 period: %v", err)
		}
		if _, err := f.s.ListOfficers(f.clerk, OfficerFilter{TrainingYear: 1}, db.ListReq{}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("year 1 filter: %v", err)
		}
	})
}
