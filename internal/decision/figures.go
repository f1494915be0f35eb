package decision

import (
	"context"
	"fmt"
	"net/url"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

// Figure names.
const (
	FigureLegalReviewRate = "decision.legal_review_rate"
	FigureCorrectedCount  = "decision.corrected_count"
)

// FigureTally keeps the counters behind the module's figures
// (internal/metric, counts.go), moved by Store.CreateDecision and
// Store.UpdateDecision in the record's transaction: every decision on the
// day it was started (all), those collectively discussed on that day
// (collective), and of those the ones whose legality review had passed
// (collective_reviewed) — the conditions of the ledger filter behind the
// rate's link (collective=true).
var FigureTally = &metric.Tally{Name: "decision", IDColumn: "d.id", Points: `
SELECT 'all' AS series, d.unit_id AS unit_id, d.started_on AS day FROM decisions d WHERE {record}
UNION ALL SELECT 'collective', d.unit_id, d.collective_on FROM decisions d WHERE d.collective_on <> '' AND {record}
UNION ALL SELECT 'collective_reviewed', d.unit_id, d.collective_on FROM decisions d
WHERE d.collective_on <> '' AND d.collective_review IN ('passed', 'passed_with_changes') AND {record}`}

// Figures computes the module's figures for a unit subtree and period.
// An empty From is 1 January of this year, an empty To is today (as the
// finding and normdoc figures do); each definition states the period used.
//
//   - legal_review_rate: decisions collectively decided in the period whose
//     legality review passed (with or without changes) ÷ decisions
//     collectively decided in the period.
//   - corrected_count: decisions with a correction by a higher authority
//     dated in the period (a count). Its denominator is the period's
//     decisions — those collectively decided in it — for reference: a
//     decision corrected in the period may have been decided before it, so
//     the two are not a numerator and its whole and no rate is shown.
func (s *Service) Figures(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	var v apperr.Fields
	checkDate(&v, "from", "起始日期", q.From, false)
	checkDate(&v, "to", "截止日期", q.To, false)
	if err := v.Err(); err != nil {
		return nil, err
	}
	today := s.today(ctx)
	from, to := q.From, q.To
	if from == "" {
		from = calendar.NewDate(today.Year, 1, 1).String()
	}
	if to == "" {
		to = today.String()
	}
	if to < from {
		return nil, apperr.Field("to", "截止日期不能早于起始日期")
	}
	path := ""
	if q.UnitID != 0 {
		if _, path, err = s.st.UnitRef(ctx, s.db, q.UnitID); err != nil {
			return nil, apperr.Field("unit_id", "单位不存在")
		}
	}
	// Collective decisions: range sums over the counters of the units in
	// scope and subtree.
	cond, cargs := auth.ScopeClause(a, PermRead, "c.unit_id")
	n, err := FigureTally.SumsUnder(ctx, s.db, cond, cargs, q.UnitID,
		metric.Sum{Series: "collective", From: from, To: to},
		metric.Sum{Series: "collective_reviewed", From: from, To: to})
	if err != nil {
		return nil, err
	}
	decided, reviewed := n[0], n[1]
	// Distinct decisions corrected in the period: not additive over days
	// (a decision corrected twice counts once), so a query over the
	// period's corrections through their date index.
	sc, args := auth.ScopeClause(a, PermRead, "d.unit_id")
	corrected, err := s.st.CorrectedCount(ctx, s.db, sc, args, path, from, to)
	if err != nil {
		return nil, err
	}
	link := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		if q.UnitID != 0 {
			v.Set("subtree_unit_id", fmt.Sprint(q.UnitID))
		}
		return "/decisions?" + v.Encode()
	}
	period := fmt.Sprintf("期间：%s 至 %s（不填时为本年1月1日至今天）", from, to)
	decidedLink := link("collective", "true", "collective_from", from, "collective_to", to)
	return []metric.Figure{
		metric.Figure{Code: FigureLegalReviewRate, Name: "重大行政决策合法性审查率", Link: decidedLink,
			Definition: "分子：期间内（按集体讨论日期）经集体讨论决定、且合法性审查通过（含修改后通过）的重大行政决策件数；分母：期间内经集体讨论决定的决策件数（应为100%）。" + period}.Rate(reviewed, decided),
		{Code: FigureCorrectedCount, Name: "被上级机关纠错的决策", Value: float64(corrected), Unit: "件", Numerator: corrected, Denominator: decided,
			Link: link("corrected", "true", "corrected_from", from, "corrected_to", to),
			Definition: "权限范围内的重大行政决策中，期间内（按纠错日期）被上级机关纠错的件数（同一决策多次纠错计一件）。分母（供对照）：期间内（按集体讨论日期）经集体讨论决定的决策件数；" +
				"期间内被纠错的决策可能作出于期间之前，二者不是部分与整体，故本指标以件数为值、不计算比率。" + period},
	}, nil
}
