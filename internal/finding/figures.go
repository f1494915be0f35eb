package finding

import (
	"context"

	"fazhi/internal/metric"
	"fazhi/internal/platform/auth"
)

// Figures computes the ledger's figures within the actor's scope:
// finding.open_count (not yet closed), finding.overdue_count (under
// rectification past the deadline) and finding.closed_on_time_rate (closed
// findings whose rectification was completed by the deadline, percent).
// They describe the ledger as it stands now: the query's unit and period
// do not apply.
func (s *Service) Figures(ctx context.Context, _ metric.Query) ([]metric.Figure, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	cl, args := auth.ScopeClause(a, PermRead, "unit_id")
	count := func(where string, extra ...any) (int, error) {
		var n int
		err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM findings WHERE "+cl+" AND "+where, append(append([]any(nil), args...), extra...)...).Scan(&n)
		return n, err
	}
	open, err := count("status <> 'closed'")
	if err != nil {
		return nil, err
	}
	overdue, err := count("status = 'open' AND rectify_due < ?", s.today().String())
	if err != nil {
		return nil, err
	}
	closed, err := count("status = 'closed'")
	if err != nil {
		return nil, err
	}
	onTime, err := count("status = 'closed' AND rectified_on <= rectify_due")
	if err != nil {
		return nil, err
	}
	return []metric.Figure{
		{Code: FigureOpen, Name: "未销号问题", Value: float64(open), Numerator: open, Unit: "个", Link: "/findings?status=open",
			Definition: "权限范围内尚未销号的问题个数（当前数，不分期间）"},
		{Code: FigureOverdue, Name: "超期未整改问题", Value: float64(overdue), Numerator: overdue, Unit: "个", Link: "/findings?overdue=true",
			Definition: "权限范围内处于整改中、整改期限已过（早于今天）的问题个数（当前数，不分期间）"},
		metric.Figure{Code: FigureClosedOnTimeRate, Name: "问题按期整改销号率", Link: "/findings?status=closed",
			Definition: "权限范围内已销号的问题中，整改完成日期不晚于整改期限的比例（分母为全部已销号问题，不分期间）"}.Rate(onTime, closed),
	}, nil
}
