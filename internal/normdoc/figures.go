package normdoc

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"fazhi/internal/metric"
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
//     documents whose filing fell due in the period (应报备: deadline in the
//     period, filed or overdue unfiled — an overdue unfiled document is not
//     on time).
//   - normdoc.filing_review_pass_rate: filing reviews concluded "passed" ÷
//     filing reviews concluded in the period (by conclusion date).
//
// An empty From is 1 January of this year, an empty To is today.
func (s *Service) Figures(ctx context.Context, in metric.Query) ([]metric.Figure, error) {
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
		{FilingDueFrom: fs, FilingDueTo: ft},
		{FilingDueFrom: fs, FilingDueTo: ft, FiledOnTime: "yes"},
		{ResultFrom: fs, ResultTo: ft},
		{ResultFrom: fs, ResultTo: ft, FilingResult: string(FilingPassed)},
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
	due, onTime, reviewed, passed := n[0], n[1], n[2], n[3]
	f1 := metric.Figure{Code: FigureFiledOnTimeRate, Name: "规范性文件报送备案及时率",
		Link:          link(map[string]string{"filing_due_from": fs, "filing_due_to": ft, "unit_id": unit}),
		NumeratorLink: link(map[string]string{"filing_due_from": fs, "filing_due_to": ft, "filed_on_time": "yes", "unit_id": unit}),
		Definition:    fmt.Sprintf("分子：在备案期限内报送备案的件数；分母：备案期限在期间内的应报备件数（已报送的，加上已过期限仍未报送的——逾期未报送计为不及时）。期间：%s 至 %s（不填时为本年1月1日至今天）", fs, ft)}.Rate(onTime, due)
	f2 := metric.Figure{Code: FigureFilingReviewPassRate, Name: "规范性文件备案审查通过率",
		Link:          link(map[string]string{"result_from": fs, "result_to": ft, "unit_id": unit}),
		NumeratorLink: link(map[string]string{"result_from": fs, "result_to": ft, "filing_result": string(FilingPassed), "unit_id": unit}),
		Definition:    fmt.Sprintf("分子：备案审查结论为“审查通过”的件数；分母：期间内（按审查结论日期）作出备案审查结论的全部件数（责令纠正、予以撤销均在分母中）。期间：%s 至 %s（不填时为本年1月1日至今天）", fs, ft)}.Rate(passed, reviewed)
	for _, f := range []*metric.Figure{&f1, &f2} {
		if f.Denominator == 0 {
			f.Note = "期间内没有相应记录"
		}
	}
	return []metric.Figure{f1, f2}, nil
}
