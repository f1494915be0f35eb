package finding

import (
	"context"
	"fmt"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"

	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
)

// FigureTally keeps the counters the ledger's figures sum (internal/metric,
// counts.go), moved in the transaction of every insert and update of a
// finding (Store.insert, Store.bump):
//
//   - open_due: each finding not yet closed, on its rectification deadline —
//     so "open" is the sum over all days and "overdue as of today" (a figure
//     that moves with the clock, not with writes) is the sum of the days
//     before today: the deadline is known when the row is written, only the
//     cut-off moves;
//   - closed: each closed finding on its closing day;
//   - closed_on_time: each closed finding whose rectification was completed
//     by its deadline, on its closing day.
//
// Each series applies the same conditions as the ledger filter behind the
// figure's link (Store.where), so a figure equals the ledger's total.
var FigureTally = &metric.Tally{Name: "finding", IDColumn: "f.id", Points: `
SELECT 'open_due' AS series, f.unit_id AS unit_id, f.rectify_due AS day FROM findings f WHERE f.status <> 'closed' AND {record}
UNION ALL SELECT 'closed', f.unit_id, f.closed_on FROM findings f WHERE f.status = 'closed' AND f.closed_on IS NOT NULL AND {record}
UNION ALL SELECT 'closed_on_time', f.unit_id, f.closed_on FROM findings f
WHERE f.status = 'closed' AND f.closed_on IS NOT NULL AND f.rectified_on IS NOT NULL AND f.rectified_on <= f.rectify_due AND {record}`}

// Figures computes the ledger's figures within the actor's scope:
// finding.open_count (not yet closed) and finding.overdue_count (under
// rectification past the deadline) as they stand now, and
// finding.closed_on_time_rate over the chosen period: findings closed in
// the period whose rectification was completed by the deadline, over the
// findings that had to be closed in it — those closed in the period plus
// those still not closed whose deadline fell in the period and has passed
// (they are not on time either). An empty From is 1 January of this year,
// an empty To is today; the unit narrows to its subtree.
func (s *Service) Figures(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx)
	from, to := q.From, q.To
	var v apperr.Fields
	calendar.CheckDate(&v, "from", "期间起始日期", from, false, calendar.Span{})
	calendar.CheckDate(&v, "to", "期间截止日期", to, false, calendar.Span{})
	if err := v.Err(); err != nil {
		return nil, err
	}
	if from == "" {
		from = calendar.NewDate(today.Year, 1, 1).String()
	}
	if to == "" {
		to = today.String()
	}
	if to < from {
		return nil, apperr.Field("to", "期间截止日期不能早于起始日期")
	}
	// Range sums over the counters of the units in scope (and in the
	// chosen subtree): a few hundred counter rows whatever the ledger's size.
	cond, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	yesterday := today.AddDays(-1).String()
	dueTo := min(to, yesterday) // unclosed findings count against the period once their deadline has passed
	n, err := FigureTally.SumsUnder(ctx, s.db, cond, args, q.UnitID,
		metric.Sum{Series: "open_due"},
		metric.Sum{Series: "open_due", To: yesterday},
		metric.Sum{Series: "closed", From: from, To: to},
		metric.Sum{Series: "open_due", From: from, To: dueTo},
		metric.Sum{Series: "closed_on_time", From: from, To: to})
	if err != nil {
		return nil, err
	}
	open, overdue, accountable, onTime := n[0], n[1], n[2]+n[3], n[4]
	unit := ""
	if q.UnitID > 0 {
		unit = fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	period := "accountable_from=" + from + "&accountable_to=" + to + unit
	return []metric.Figure{
		{Code: FigureOpen, Name: "未销号问题", Value: float64(open), Numerator: open, Unit: "个", Link: "/findings?status=" + StatusUnclosed + unit,
			Definition: "权限范围内尚未销号的问题个数（当前数，不分期间）"},
		{Code: FigureOverdue, Name: "超期未整改问题", Value: float64(overdue), Numerator: overdue, Unit: "个", Link: "/findings?overdue=true" + unit,
			Definition: "权限范围内未销号、整改期限已过（早于今天）的问题个数（当前数，不分期间）"},
		metric.Figure{Code: FigureClosedOnTimeRate, Name: "问题按期整改销号率", Link: "/findings?" + period, NumeratorLink: "/findings?on_time=true&" + period,
			Definition: fmt.Sprintf("分子：期间内销号且整改完成日期不晚于整改期限的问题数；分母：期间内销号的问题数，加上整改期限在期间内、已超期仍未销号的问题数（超期未销号的计为未按期）。期间：%s 至 %s（不填时为本年1月1日至今天）", from, to)}.Rate(onTime, accountable),
	}, nil
}
