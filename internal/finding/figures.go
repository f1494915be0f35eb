package finding

import (
	"context"

	"fazhi/internal/dashboard"
	"fazhi/internal/platform/auth"
)

// Figures computes the ledger's figures within the actor's scope:
// finding.open_count (not yet closed), finding.overdue_count (under
// rectification past the deadline) and finding.closed_on_time_rate (closed
// findings whose rectification was completed by the deadline, percent).
func (s *Service) Figures(ctx context.Context) ([]dashboard.Figure, error) {
	a := auth.From(ctx)
	if !a.Can(PermRead) {
		return nil, nil
	}
	cl, args := auth.ScopeClause(a, PermRead, "unit_id")
	count := func(where string, extra ...any) (float64, error) {
		var n int
		err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM findings WHERE "+cl+" AND "+where, append(append([]any(nil), args...), extra...)...).Scan(&n)
		return float64(n), err
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
	return []dashboard.Figure{
		{Key: FigureOpen, Label: "未销号问题", Value: open, Unit: "个", Link: "/findings?status=open"},
		{Key: FigureOverdue, Label: "超期未整改问题", Value: overdue, Unit: "个", Link: "/findings?overdue=true"},
		dashboard.Rate(FigureClosedOnTimeRate, "问题按期整改销号率", onTime, closed, "/findings?status=closed"),
	}, nil
}
