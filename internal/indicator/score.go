package indicator

import (
	"fmt"
	"math"
	"strings"

	"fazhi/internal/metric"
)

// round2 rounds a score to two decimals.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// evidenceLines are an item's evidence checklist entries.
func evidenceLines(s string) []string {
	out := []string{}
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Threshold scores a figure value against an item's thresholds. Higher is
// better when FullAt ≥ ZeroAt: at or above FullAt full points, below
// ZeroAt none, in between in proportion; lower is better otherwise (at or
// below FullAt full points, above ZeroAt none). FullAt = ZeroAt is a
// pass/fail line.
func Threshold(it Item, v float64) float64 {
	p, full, zero := it.Points, it.FullAt, it.ZeroAt
	switch {
	case full >= zero: // higher is better
		if v >= full {
			return p
		}
		if v < zero || full == zero {
			return 0
		}
		return round2(p * (v - zero) / (full - zero))
	default: // lower is better
		if v <= full {
			return p
		}
		if v > zero {
			return 0
		}
		return round2(p * (zero - v) / (zero - full))
	}
}

// deductionOf is what occurrences cost under the item's cap (0: the
// item's points).
func deductionOf(it Item, occurrences int) float64 {
	if occurrences <= 0 {
		return 0
	}
	limit := it.Cap
	if limit <= 0 {
		limit = it.Points
	}
	return round2(math.Min(limit, it.PerOccurrence*float64(occurrences)))
}

// Input is what an assignment says about its item.
type Input struct {
	Checked     []bool
	Occurrences int
	SelfScore   *float64
	VetoFailed  bool
	Figure      *metric.Figure // the bound figure, when computed
}

// Result is an item's computed score.
type Result struct {
	Score      *float64 // nil: not scorable yet (needs a self-score)
	Auto       bool     // computed from the bound figure
	VetoFailed bool
	Note       string
}

func ptr(v float64) *float64 { return &v }

// Compute scores one item. A bound figure decides a threshold item (and a
// veto item bound to a figure: failing its line vetoes); without one (or
// when the figure has no records in the period) the self-score stands. The
// score of a normal or bonus item is within [0, points]; a deduction
// item's score is the (negative) deduction.
func Compute(it Item, in Input) Result {
	switch it.Kind {
	case KindVeto:
		if it.FigureCode != "" && in.Figure != nil && !in.Figure.NoData {
			failed := Threshold(Item{Points: 1, FullAt: it.FullAt, ZeroAt: it.FullAt}, in.Figure.Value) < 1
			if it.FullAt < it.ZeroAt { // lower is better
				failed = in.Figure.Value > it.FullAt
			}
			return Result{Score: ptr(0), Auto: true, VetoFailed: failed, Note: figureNote(in.Figure)}
		}
		return Result{Score: ptr(0), VetoFailed: in.VetoFailed}
	case KindDeduction:
		return Result{Score: ptr(-deductionOf(it, in.Occurrences)), Note: fmt.Sprintf("发生 %d 次", max(in.Occurrences, 0))}
	}
	clamp := func(v float64) *float64 { return ptr(round2(math.Max(0, math.Min(it.Points, v)))) }
	if it.FigureCode != "" && in.Figure != nil {
		if in.Figure.NoData {
			r := Result{Note: "期间内没有可计算的记录（" + in.Figure.Name + "），按自评分计"}
			if in.SelfScore != nil {
				r.Score = clamp(*in.SelfScore)
			}
			return r
		}
		return Result{Score: clamp(Threshold(it, in.Figure.Value)), Auto: true, Note: figureNote(in.Figure)}
	}
	switch it.Method {
	case MethodChecklist:
		lines := evidenceLines(it.Evidence)
		if len(lines) == 0 {
			break
		}
		done := 0
		for i := range lines {
			if i < len(in.Checked) && in.Checked[i] {
				done++
			}
		}
		return Result{Score: clamp(it.Points * float64(done) / float64(len(lines))), Note: fmt.Sprintf("清单达成 %d/%d 项", done, len(lines))}
	case MethodDeduction:
		return Result{Score: clamp(it.Points - deductionOf(it, in.Occurrences)), Note: fmt.Sprintf("发生 %d 次，扣 %.2f 分", max(in.Occurrences, 0), deductionOf(it, in.Occurrences))}
	}
	if in.SelfScore == nil {
		return Result{}
	}
	return Result{Score: clamp(*in.SelfScore)}
}

func figureNote(f *metric.Figure) string {
	v := fmt.Sprintf("%g%s", f.Value, f.Unit)
	if f.Denominator > 0 {
		v += fmt.Sprintf("（%d/%d）", f.Numerator, f.Denominator)
	}
	return f.Name + " " + v
}

// Scored is one item's final or current score, for the totals.
type Scored struct {
	Item       Item
	Score      *float64
	VetoFailed bool
}

// Totals is a campaign's (or a subtree's) summary.
type Totals struct {
	Base      float64  `json:"base" doc:"计分项得分"`
	BaseMax   float64  `json:"base_max" doc:"计分项满分"`
	Bonus     float64  `json:"bonus" doc:"加分"`
	Deduction float64  `json:"deduction" doc:"扣分（正数）"`
	Total     float64  `json:"total" doc:"总分 = 计分项得分 + 加分 − 扣分"`
	Unscored  int      `json:"unscored" doc:"尚未得分的计分项"`
	Vetoed    bool     `json:"vetoed" doc:"存在未达标的一票否决项：测评不通过"`
	VetoItems []string `json:"veto_items"`
}

// Total adds up scored items: normal items' scores, bonuses (each within
// its points), deductions (each within its cap); any failed veto item
// vetoes the whole.
func Total(items []Scored) Totals {
	t := Totals{VetoItems: []string{}}
	for _, s := range items {
		switch s.Item.Kind {
		case KindVeto:
			if s.VetoFailed {
				t.Vetoed = true
				t.VetoItems = append(t.VetoItems, s.Item.Code+" "+s.Item.Title)
			}
		case KindBonus:
			if s.Score != nil {
				t.Bonus += math.Max(0, math.Min(s.Item.Points, *s.Score))
			}
		case KindDeduction:
			if s.Score != nil {
				t.Deduction += math.Abs(*s.Score)
			}
		default:
			t.BaseMax += s.Item.Points
			if s.Score == nil {
				t.Unscored++
			} else {
				t.Base += *s.Score
			}
		}
	}
	t.Base, t.BaseMax, t.Bonus, t.Deduction = round2(t.Base), round2(t.BaseMax), round2(t.Bonus), round2(t.Deduction)
	t.Total = round2(t.Base + t.Bonus - t.Deduction)
	return t
}
