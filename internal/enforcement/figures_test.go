package enforcement

import (
	"math/rand/v2"
	"testing"

	"fazhi/internal/metric"
)

// Random case writes: the counters never drift from the register, and each
// figure equals the live count of the records behind its link.
func TestFiguresFromCounters(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		rng := rand.New(rand.NewPCG(7, 21))
		kinds := []string{"penalty", "compulsory", "inspection", "licence"}
		var ids []int64
		for i := range 40 {
			in := f.penalty()
			in.Kind = kinds[rng.IntN(4)]
			in.Title = "随机案件"
			in.Major = rng.IntN(3) == 0
			in.DecidedOn, in.ServedOn, in.DisclosedOn = "2026-04-01", "", []string{"", "2026-04-03", "2026-04-30"}[rng.IntN(3)]
			if rng.IntN(4) == 0 {
				in.DecidedOn, in.DisclosedOn = "", ""
			}
			if rng.IntN(3) == 0 {
				in.OfficerIDs = in.OfficerIDs[:1]
			}
			var c *Case
			if in.Major && in.DecidedOn != "" {
				// The form's 法制审核 gate: saved undecided, reviewed,
				// then decided; half of them lose the passed review
				// afterwards (the rule and the figure read it again).
				decided, disclosed := in.DecidedOn, in.DisclosedOn
				in.DecidedOn, in.DisclosedOn = "", ""
				c = f.create(in)
				f.reviews[c.ID] = true
				in.DecidedOn, in.DisclosedOn, in.Version = decided, disclosed, c.Version
				var err error
				if c, err = f.s.UpdateCase(f.admin, c.ID, in); err != nil {
					t.Fatal(err)
				}
				if rng.IntN(2) == 0 {
					delete(f.reviews, c.ID)
				}
			} else {
				c = f.create(in)
			}
			ids = append(ids, c.ID)
			if i%3 == 0 { // an edit: corrections close hits, re-checks the review
				in.Version, in.OfficerIDs, in.DisclosedOn = c.Version, []int64{f.valid1.ID, f.valid2.ID}, in.DecidedOn
				if _, err := f.s.UpdateCase(f.admin, c.ID, in); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := f.s.EvaluateAll(f.admin); err != nil {
			t.Fatal(err)
		}
		for _, ty := range Tallies {
			drift, n, err := ty.Verify(t.Context(), f.d, 10)
			if err != nil || n != 0 {
				t.Fatalf("%s drift %v %d %v", ty.Name, drift, n, err)
			}
		}
		figs, err := f.s.Figures(f.clerk, metric.Query{From: "2026-01-01", To: "2026-12-01"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]metric.Figure{}
		for _, g := range figs {
			got[g.Code] = g
		}
		live := map[string]int{
			FigureCertified:               f.count("SELECT COUNT(*) FROM enforcement_officers WHERE cert_status = 'valid' AND cert_expires_on >= '2026-12-01'"),
			FigureCasesPrefix + "penalty": f.count("SELECT COUNT(*) FROM enforcement_cases WHERE kind = 'penalty'"),
			FigureHitsOpen:                f.count("SELECT COUNT(*) FROM enforcement_rule_hits WHERE status = 'open'"),
			FigureHitsClosed:              f.count("SELECT COUNT(*) FROM enforcement_rule_hits WHERE status = 'closed'"),
		}
		for code, n := range live {
			if got[code].Numerator != n {
				t.Errorf("%s = %d, live %d", code, got[code].Numerator, n)
			}
		}
		d := got[FigureDisclosureRate]
		if d.Denominator != f.count("SELECT COUNT(*) FROM enforcement_cases WHERE disclose_due <> '' AND disclose_due <= '2026-11-30'") ||
			d.Numerator != f.count("SELECT COUNT(*) FROM enforcement_cases WHERE disclose_due <> '' AND disclose_due <= '2026-11-30' AND disclosed_on <> '' AND disclosed_on <= disclose_due") {
			t.Errorf("disclosure rate %+v", d)
		}
		r := got[FigureReviewRate]
		if r.Denominator != f.count("SELECT COUNT(*) FROM enforcement_cases WHERE major = 1 AND decided_on <> ''") ||
			r.Numerator != f.count("SELECT COUNT(*) FROM enforcement_cases WHERE major = 1 AND decided_on <> '' AND review_passed = 1") || r.Denominator == 0 {
			t.Errorf("review rate %+v", r)
		}
		if out, _ := f.s.Figures(f.outsider, metric.Query{}); out[1].Numerator != 0 {
			t.Errorf("outsider sees other units' cases: %+v", out[1])
		}
		_ = ids
	})
}
