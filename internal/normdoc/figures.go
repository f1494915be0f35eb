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

// FigureTally keeps the counters behind the module's figures
// (internal/metric, counts.go), moved in the transaction of every insert and
// update of a document (SQLStore.InsertDocument, SQLStore.UpdateDocument —
// ExpireDue changes only the status and the end, which no series reads):
//
//   - filed / on_time: documents filed (and of those, filed within the
//     deadline), on their filing deadline;
//   - unfiled_due / unfiled_on_time: documents with a filing deadline not yet
//     filed, on that deadline — they are 应报备 once the deadline has passed,
//     so "due in the period as of today" is a range sum up to yesterday
//     (the deadline is known when the row is written, only the cut-off moves);
//   - reviewed / passed: filing reviews concluded (and of those, passed), on
//     the conclusion day.
//
// The conditions are the ledger filters' behind the figures' links
// (Service.where: filing_due_from/to, filed_on_time, result_from/to,
// filing_result), so each figure equals the ledger's total.
var FigureTally = &metric.Tally{Name: "normdoc", IDColumn: "d.id", Points: `
SELECT 'filed' AS series, d.unit_id AS unit_id, d.filing_due AS day FROM normdoc_documents d WHERE d.filing_due <> '' AND d.filed_on <> '' AND {record}
UNION ALL SELECT 'on_time', d.unit_id, d.filing_due FROM normdoc_documents d WHERE d.filing_due <> '' AND d.filed_on <> '' AND d.filed_on_time = 1 AND {record}
UNION ALL SELECT 'unfiled_due', d.unit_id, d.filing_due FROM normdoc_documents d WHERE d.filing_due <> '' AND d.filed_on = '' AND {record}
UNION ALL SELECT 'unfiled_on_time', d.unit_id, d.filing_due FROM normdoc_documents d WHERE d.filing_due <> '' AND d.filed_on = '' AND d.filed_on_time = 1 AND {record}
UNION ALL SELECT 'reviewed', d.unit_id, d.filing_result_on FROM normdoc_documents d WHERE d.filing_result_on <> '' AND {record}
UNION ALL SELECT 'passed', d.unit_id, d.filing_result_on FROM normdoc_documents d WHERE d.filing_result_on <> '' AND d.filing_result = 'passed' AND {record}`}

// Figures computes the module's figures for a unit subtree and period, each
// with numerator, denominator and a link to the records behind it, as range
// sums over FigureTally's counters.
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
	today := s.today(ctx)
	var v apperr.Fields
	from := calendar.CheckDate(&v, "from", "期间起始日期", in.From, false, calendar.Span{})
	to := calendar.CheckDate(&v, "to", "期间截止日期", in.To, false, calendar.Span{})
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
	// The actor's scope and the unit subtree over the counters' units.
	cond, cargs := auth.ScopeClause(a, PermRead, "c.unit_id")
	if in.UnitID > 0 {
		if _, _, err := s.store.UnitInfo(ctx, s.db, in.UnitID); err != nil {
			return nil, apperr.Field("unit_id", "所选单位不存在")
		}
	}
	fs, ft := from.String(), to.String()
	overdueTo := min(ft, today.AddDays(-1).String()) // unfiled documents are due once their deadline has passed
	n, err := FigureTally.SumsUnder(ctx, s.db, cond, cargs, in.UnitID,
		metric.Sum{Series: "filed", From: fs, To: ft},
		metric.Sum{Series: "unfiled_due", From: fs, To: overdueTo},
		metric.Sum{Series: "on_time", From: fs, To: ft},
		metric.Sum{Series: "unfiled_on_time", From: fs, To: overdueTo},
		metric.Sum{Series: "reviewed", From: fs, To: ft},
		metric.Sum{Series: "passed", From: fs, To: ft})
	if err != nil {
		return nil, err
	}
	due, onTime, reviewed, passed := n[0]+n[1], n[2]+n[3], n[4], n[5]
	unit := strconv.FormatInt(in.UnitID, 10)
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
