package mediation

import (
	"context"
	"fmt"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

// FigureTally keeps the counters the register's figures sum, moved in the
// transaction of every insert and update of a case (Store.insertCase,
// Store.bump; the import rebuilds them in its transaction):
//
//   - received: each case on the day it was received;
//   - closed / succeeded: each concluded case (agreement or failure), and
//     each successful one, on its closing day — the success rate's
//     denominator and numerator;
//   - fulfilled: each agreement fulfilled, on the day it was;
//   - confirmed: each agreement the court confirmed, on the ruling's day.
//
// Each series has the conditions of the list filter behind the figure's
// link (Store.where), so a figure equals the register's total.
var FigureTally = &metric.Tally{Name: "mediation", IDColumn: "c.id", Points: `
SELECT 'received' AS series, c.unit_id AS unit_id, c.received_on AS day FROM mediation_cases c WHERE {record}
UNION ALL SELECT 'closed', c.unit_id, c.closed_on FROM mediation_cases c WHERE c.status IN ('succeeded', 'failed') AND c.closed_on IS NOT NULL AND {record}
UNION ALL SELECT 'succeeded', c.unit_id, c.closed_on FROM mediation_cases c WHERE c.status = 'succeeded' AND c.closed_on IS NOT NULL AND {record}
UNION ALL SELECT 'fulfilled', c.unit_id, c.fulfilled_on FROM mediation_cases c WHERE c.fulfilment = 'fulfilled' AND c.fulfilled_on IS NOT NULL AND {record}
UNION ALL SELECT 'confirmed', c.unit_id, c.confirm_result_on FROM mediation_cases c WHERE c.confirm_result = 'confirmed' AND c.confirm_result_on IS NOT NULL AND {record}`}

// Figures computes the register's figures over the chosen period within the
// actor's scope (an empty From is 1 January of this year, an empty To is
// today; the unit narrows to its subtree): cases received, the success
// rate (cases concluded with an agreement over all cases concluded),
// agreements fulfilled and agreements the court confirmed.
func (s *Service) Figures(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx)
	from, to := q.From, q.To
	var v apperr.Fields
	for field, d := range map[string]string{"from": from, "to": to} {
		if d != "" {
			if _, err := calendar.ParseDate(d); err != nil {
				v.Add(field, "日期格式应为 YYYY-MM-DD")
			}
		}
	}
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
	cond, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	n, err := FigureTally.SumsUnder(ctx, s.db, cond, args, q.UnitID,
		metric.Sum{Series: "received", From: from, To: to},
		metric.Sum{Series: "closed", From: from, To: to},
		metric.Sum{Series: "succeeded", From: from, To: to},
		metric.Sum{Series: "fulfilled", From: from, To: to},
		metric.Sum{Series: "confirmed", From: from, To: to})
	if err != nil {
		return nil, err
	}
	received, closed, succeeded, fulfilled, confirmed := n[0], n[1], n[2], n[3], n[4]
	unit := ""
	if q.UnitID > 0 {
		unit = fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	period := fmt.Sprintf("期间：%s 至 %s（不填时为本年1月1日至今天）", from, to)
	closedLink := "/mediation/cases?closed_from=" + from + "&closed_to=" + to + unit
	return []metric.Figure{
		{Code: FigureCases, Name: "人民调解案件数", Value: float64(received), Numerator: received, Unit: "件",
			Link:       "/mediation/cases?received_from=" + from + "&received_to=" + to + unit,
			Definition: "权限范围内期间内受理的人民调解案件数（按受理日期）。" + period},
		metric.Figure{Code: FigureSuccessRate, Name: "人民调解成功率", Link: closedLink, NumeratorLink: closedLink + "&status=" + StatusSucceeded,
			Definition: "分子：期间内调解成功（达成调解协议）结案的案件数；分母：期间内结案（调解成功或调解不成）的案件数；按结案日期。" + period}.Rate(succeeded, closed),
		{Code: FigureFulfilled, Name: "调解协议履行数", Value: float64(fulfilled), Numerator: fulfilled, Unit: "件",
			Link:       "/mediation/cases?fulfilled_from=" + from + "&fulfilled_to=" + to + unit,
			Definition: "期间内履行完毕的调解协议数（按履行完毕日期；部分履行、未履行的不计）。" + period},
		{Code: FigureConfirmed, Name: "司法确认有效数", Value: float64(confirmed), Numerator: confirmed, Unit: "件",
			Link:       "/mediation/cases?confirmed_from=" + from + "&confirmed_to=" + to + unit,
			Definition: "期间内经人民法院裁定确认有效的调解协议数（按裁定日期）。" + period},
	}, nil
}
