package indicator

import (
	"testing"

	"fazhi/internal/metric"
)

func fig(v float64) *metric.Figure {
	return &metric.Figure{Code: "x", Name: "测试指标", Unit: "%", Value: v, Numerator: 1, Denominator: 1}
}

func val(t *testing.T, r Result) float64 {
	t.Helper()
	if r.Score == nil {
		t.Fatalf("no score: %+v", r)
	}
	return *r.Score
}

// TestThresholdBoundaries: a bound item scores full points at the full
// line, none just below the zero line, in proportion between, for
// higher-is-better and lower-is-better figures and a pass/fail line.
func TestThresholdBoundaries(t *testing.T) {
	head := Item{Kind: KindNormal, Points: 4, Method: MethodThreshold, FigureCode: "litigation.head_in_court_rate", FullAt: 90, ZeroAt: 60}
	loss := Item{Kind: KindNormal, Points: 3, Method: MethodThreshold, FigureCode: "litigation.loss_rate", FullAt: 5, ZeroAt: 20}
	line := Item{Kind: KindNormal, Points: 4, Method: MethodThreshold, FigureCode: "decision.legal_review_rate", FullAt: 100, ZeroAt: 100}
	for _, k := range []struct {
		it   Item
		v    float64
		want float64
	}{
		{head, 90, 4}, {head, 89.9, 3.99}, {head, 100, 4}, {head, 75, 2}, {head, 60, 0}, {head, 59.9, 0}, {head, 0, 0},
		{loss, 5, 3}, {loss, 4.9, 3}, {loss, 5.1, 2.98}, {loss, 12.5, 1.5}, {loss, 20, 0}, {loss, 20.1, 0},
		{line, 100, 4}, {line, 99.9, 0},
	} {
		if got := val(t, Compute(k.it, Input{Figure: fig(k.v)})); got != k.want {
			t.Errorf("%s at %g: %g, want %g", k.it.FigureCode, k.v, got, k.want)
		}
	}
	// No records in the period: the figure decides nothing, the self-score stands.
	nd := &metric.Figure{Name: "负责人出庭应诉率", NoData: true}
	if r := Compute(head, Input{Figure: nd}); r.Score != nil || r.Auto {
		t.Errorf("no-data figure scored %+v", r)
	}
	if got := val(t, Compute(head, Input{Figure: nd, SelfScore: ptr(3.5)})); got != 3.5 {
		t.Errorf("no-data figure with a self-score: %g", got)
	}
	// A self-score never beats the registers.
	if got := val(t, Compute(head, Input{Figure: fig(70), SelfScore: ptr(4)})); got != 1.33 {
		t.Errorf("bound item with a self-score: %g, want the figure's 1.33", got)
	}
}

// TestDeductionCaps: per-occurrence deductions stop at the cap (or at the
// item's points when no cap is set), never below zero.
func TestDeductionCaps(t *testing.T) {
	it := Item{Kind: KindNormal, Points: 3, Method: MethodDeduction, PerOccurrence: 0.5, Cap: 2}
	for n, want := range map[int]float64{0: 3, 1: 2.5, 4: 1, 5: 1, 100: 1, -3: 3} {
		if got := val(t, Compute(it, Input{Occurrences: n})); got != want {
			t.Errorf("%d occurrences: %g, want %g", n, got, want)
		}
	}
	noCap := Item{Kind: KindNormal, Points: 3, Method: MethodDeduction, PerOccurrence: 1}
	if got := val(t, Compute(noCap, Input{Occurrences: 9})); got != 0 {
		t.Errorf("uncapped deduction past the points: %g, want 0", got)
	}
	// A deduction item subtracts from the total, within its cap.
	ded := Item{Code: "43", Kind: KindDeduction, PerOccurrence: 1, Cap: 5}
	if got := val(t, Compute(ded, Input{Occurrences: 7})); got != -5 {
		t.Errorf("deduction item: %g, want -5", got)
	}
}

// TestChecklist: points in proportion to the checklist entries met.
func TestChecklist(t *testing.T) {
	it := Item{Kind: KindNormal, Points: 3, Method: MethodChecklist, Evidence: "一\n二\n三"}
	if got := val(t, Compute(it, Input{Checked: []bool{true, false, true}})); got != 2 {
		t.Errorf("2 of 3: %g", got)
	}
	if got := val(t, Compute(it, Input{Checked: []bool{true, true, true, true}})); got != 3 {
		t.Errorf("extra entries: %g", got)
	}
	if got := val(t, Compute(it, Input{})); got != 0 {
		t.Errorf("nothing met: %g", got)
	}
	man := Item{Kind: KindNormal, Points: 2, Method: MethodManual}
	if r := Compute(man, Input{}); r.Score != nil {
		t.Errorf("manual item without a self-score scored %v", *r.Score)
	}
	if got := val(t, Compute(man, Input{SelfScore: ptr(9)})); got != 2 {
		t.Errorf("self-score above the points: %g, want clamped 2", got)
	}
}

// TestTotals: bonus within its points, deductions subtracted, unscored
// items counted, and one failed veto item vetoes the whole.
func TestTotals(t *testing.T) {
	a := Item{Code: "1", Kind: KindNormal, Points: 4}
	b := Item{Code: "2", Kind: KindNormal, Points: 3}
	c := Item{Code: "3", Kind: KindNormal, Points: 3}
	bonus := Item{Code: "42", Kind: KindBonus, Points: 3}
	ded := Item{Code: "43", Kind: KindDeduction, PerOccurrence: 1, Cap: 5}
	veto := Item{Code: "41", Title: "重大违法", Kind: KindVeto}
	items := []Scored{{Item: a, Score: ptr(4)}, {Item: b, Score: ptr(1.5)}, {Item: c}, {Item: bonus, Score: ptr(9)},
		{Item: ded, Score: ptr(-2)}, {Item: veto, Score: ptr(0)}}
	tt := Total(items)
	if tt.Base != 5.5 || tt.BaseMax != 10 || tt.Bonus != 3 || tt.Deduction != 2 || tt.Total != 6.5 || tt.Unscored != 1 || tt.Vetoed {
		t.Fatalf("totals %+v", tt)
	}
	items[5].VetoFailed = true
	tt = Total(items)
	if !tt.Vetoed || len(tt.VetoItems) != 1 || tt.VetoItems[0] != "41 重大违法" {
		t.Fatalf("veto not applied: %+v", tt)
	}
	// A veto item bound to a figure fails below its line.
	bv := Item{Kind: KindVeto, FigureCode: "decision.legal_review_rate", FullAt: 100, ZeroAt: 100}
	if r := Compute(bv, Input{Figure: fig(99.9)}); !r.VetoFailed || !r.Auto {
		t.Errorf("bound veto at 99.9: %+v", r)
	}
	if r := Compute(bv, Input{Figure: fig(100), VetoFailed: true}); r.VetoFailed {
		t.Errorf("bound veto at 100 failed: %+v", r)
	}
}

// TestDefaultFramework: the shipped framework has the 8 level-1 areas of
// the national structure, passes its own checks, and at least a third of
// its level-3 items are bound to figures.
func TestDefaultFramework(t *testing.T) {
	items, probs := itemsFromRows(defaultRows)
	if len(probs) > 0 {
		t.Fatalf("default framework problems: %+v", probs)
	}
	var l1, l3, bound int
	for _, it := range items {
		switch it.Level {
		case 1:
			l1++
		case 3:
			l3++
			if it.FigureCode != "" {
				bound++
			}
		}
	}
	if l1 != 8 || l3 < 40 || bound*3 < l3 {
		t.Fatalf("level 1: %d, level 3: %d, bound: %d", l1, l3, bound)
	}
	t.Logf("default framework: %d level-3 items, %d bound to live figures", l3, bound)
}
