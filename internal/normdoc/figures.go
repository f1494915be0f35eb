package normdoc

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strconv"

	"fazhi/internal/dashboard"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

// Stable figure names (the metrics catalogue refers to them).
const (
	FigureFiledOnTimeRate       = "normdoc.filed_on_time_rate"
	FigureFilingReviewPassRate  = "normdoc.filing_review_pass_rate"
	figureLedgerRoute           = "/normdocs/ledger"
	figureDefaultPeriodFromYear = 1
)

// FigureInput selects the unit subtree and period.
type FigureInput struct {
	UnitID int64  `query:"unit_id" doc:"单位（含下级）；不填为可见范围全部"`
	From   string `query:"from" doc:"期间起始日期；不填为本年1月1日"`
	To     string `query:"to" doc:"期间截止日期；不填为今天"`
}

func rate(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return math.Round(float64(num)*1000/float64(den)) / 10
}

func link(params map[string]string) string {
	q := url.Values{}
	for k, v := range params {
		if v != "" && v != "0" {
			q.Set(k, v)
		}
	}
	return figureLedgerRoute + "?" + q.Encode()
}

// Figures computes the module's figures for a unit subtree and period, each
// with numerator, denominator and a link to the records behind it.
//
//   - normdoc.filed_on_time_rate: documents filed within the deadline ÷
//     documents filed in the period (by filing date).
//   - normdoc.filing_review_pass_rate: filing reviews concluded "passed" ÷
//     filing reviews concluded in the period (by conclusion date).
func (s *Service) Figures(ctx context.Context, in FigureInput) ([]Figure, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	today := s.today()
	var v apperr.Fields
	from := parseDate(&v, "from", "期间起始日期", in.From, false)
	to := parseDate(&v, "to", "期间截止日期", in.To, false)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if from.IsZero() {
		from = calendar.NewDate(today.Year, 1, figureDefaultPeriodFromYear)
	}
	if to.IsZero() {
		to = today
	}
	if to.Before(from) {
		return nil, apperr.Field("to", "期间截止日期不能早于起始日期")
	}
	unit := strconv.FormatInt(in.UnitID, 10)
	// The actor's scope and the unit subtree, then one count per ledger
	// filter the figures link to — the same conditions List applies, so
	// each number equals the ledger's total behind its link.
	base, err := s.where(ctx, a, ListInput{UnitID: in.UnitID})
	if err != nil {
		return nil, err
	}
	fs, ft := from.String(), to.String()
	var subsets []Where
	for _, li := range []ListInput{
		{FiledFrom: fs, FiledTo: ft},
		{FiledFrom: fs, FiledTo: ft, FiledOnTime: "yes"},
		{ResultFrom: fs, ResultTo: ft},
		{ResultFrom: fs, ResultTo: ft, FilingResult: string(FilingPassed)},
		{FilingOverdue: true},
	} {
		li.skipScopeCheck = true
		w, err := s.where(ctx, a, li)
		if err != nil {
			return nil, err
		}
		subsets = append(subsets, w)
	}
	n, err := s.store.CountDocuments(ctx, s.db, base, subsets...)
	if err != nil {
		return nil, err
	}
	filed, onTime, reviewed, passed, overdue := n[0], n[1], n[2], n[3], n[4]
	f1 := Figure{Key: FigureFiledOnTimeRate, Label: "规范性文件按期报送备案率", Value: rate(onTime, filed), Numerator: onTime, Denominator: filed, Unit: "%",
		Link: link(map[string]string{"filed_from": fs, "filed_to": ft, "unit_id": unit})}
	if overdue > 0 {
		f1.Note = fmt.Sprintf("另有 %d 件已超过备案期限尚未报送", overdue)
	}
	f2 := Figure{Key: FigureFilingReviewPassRate, Label: "规范性文件备案审查通过率", Value: rate(passed, reviewed), Numerator: passed, Denominator: reviewed, Unit: "%",
		Link: link(map[string]string{"result_from": fs, "result_to": ft, "unit_id": unit})}
	for _, f := range []*Figure{&f1, &f2} {
		if f.Denominator == 0 {
			f.Note = "期间内没有相应记录"
		}
	}
	return []Figure{f1, f2}, nil
}

// DashboardFigures gives the home page this year's figures for the actor.
func (s *Service) DashboardFigures(ctx context.Context) ([]dashboard.Figure, error) {
	a := auth.From(ctx)
	if !a.Can(PermRead) {
		return nil, nil
	}
	fs, err := s.Figures(ctx, FigureInput{})
	if err != nil {
		return nil, err
	}
	out := make([]dashboard.Figure, len(fs))
	for i, f := range fs {
		if f.Unit == "%" {
			out[i] = dashboard.Rate(f.Key, f.Label, float64(f.Numerator), float64(f.Denominator), f.Link)
			continue
		}
		out[i] = dashboard.Figure{Key: f.Key, Label: f.Label, Value: f.Value, Unit: f.Unit, Link: f.Link}
	}
	return out, nil
}
