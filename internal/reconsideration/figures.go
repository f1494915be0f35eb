package reconsideration

import (
	"context"
	"fmt"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

// Figure codes (stable, for the metric catalogue).
const (
	FigureReceived   = "reconsideration.received_count"
	FigureAccepted   = "reconsideration.accepted_count"
	FigureConcluded  = "reconsideration.concluded_count"
	FigureCorrection = "reconsideration.correction_rate"
	FigureResolution = "reconsideration.resolution_rate"
	FigureOnTime     = "reconsideration.on_time_rate"
)

// FigureTally keeps the counters the figures sum, moved in the transaction
// of every insert (Store.insert) and update (Store.save). Each series uses
// the conditions of the register filter behind the figure's link
// (Store.where), so a figure equals the register's total:
//
//   - received: each case on its receipt day;
//   - accepted: each accepted case (decided or deemed) on its acceptance day;
//   - concluded: each case concluded after acceptance (decided, or
//     terminated after acceptance) on its conclusion day — 审结;
//   - corrected: each correcting decision on its day;
//   - resolved: each concluded case that was resolved (调解, 和解后撤回,
//     or 维持/驳回 without a later lawsuit) on its conclusion day;
//   - decided / decided_on_time: each decision, and each decision made
//     within its deadline, on its day;
//   - open_due: each case with a running decision clock (not suspended), on
//     its decision deadline — "open past the deadline in the period" is a
//     range sum up to yesterday.
var FigureTally = &metric.Tally{Name: "reconsideration", IDColumn: "c.id", Points: `
SELECT 'received' AS series, c.unit_id AS unit_id, c.received_on AS day FROM reconsideration_cases c WHERE {record}
UNION ALL SELECT 'accepted', c.unit_id, c.accepted_on FROM reconsideration_cases c WHERE c.accepted_on IS NOT NULL AND {record}
UNION ALL SELECT 'concluded', c.unit_id, c.concluded_on FROM reconsideration_cases c WHERE ` + concludedCond + ` AND {record}
UNION ALL SELECT 'corrected', c.unit_id, c.concluded_on FROM reconsideration_cases c WHERE ` + decidedCond + ` AND ` + correctedCond + ` AND {record}
UNION ALL SELECT 'resolved', c.unit_id, c.concluded_on FROM reconsideration_cases c WHERE ` + concludedCond + ` AND ` + resolvedCond + ` AND {record}
UNION ALL SELECT 'decided', c.unit_id, c.concluded_on FROM reconsideration_cases c WHERE ` + decidedCond + ` AND {record}
UNION ALL SELECT 'decided_on_time', c.unit_id, c.concluded_on FROM reconsideration_cases c WHERE ` + decidedCond + ` AND c.decide_due <> '' AND c.concluded_on <= c.decide_due AND {record}
UNION ALL SELECT 'open_due', c.unit_id, c.decide_due FROM reconsideration_cases c WHERE ` + openDecideCond + ` AND {record}`}

// Figures computes the register's figures for the period within the
// actor's scope (an empty From is 1 January of this year, an empty To is
// today; the unit narrows to the respondent's subtree).
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
	unit := ""
	if q.UnitID > 0 {
		cond += " AND " + inSubtree("c.unit_id")
		args = append(args, q.UnitID)
		unit = fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	dueTo := min(to, today.AddDays(-1).String())
	n, err := FigureTally.Sums(ctx, s.db, cond, args,
		metric.Sum{Series: "received", From: from, To: to},
		metric.Sum{Series: "accepted", From: from, To: to},
		metric.Sum{Series: "concluded", From: from, To: to},
		metric.Sum{Series: "corrected", From: from, To: to},
		metric.Sum{Series: "resolved", From: from, To: to},
		metric.Sum{Series: "decided", From: from, To: to},
		metric.Sum{Series: "open_due", From: from, To: dueTo},
		metric.Sum{Series: "decided_on_time", From: from, To: to})
	if err != nil {
		return nil, err
	}
	received, accepted, concluded, corrected, resolved, decided, openLate, onTime := n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]
	period := fmt.Sprintf("（期间：%s 至 %s，不填时为本年1月1日至今天）", from, to)
	conc := "/reconsideration?concluded_from=" + from + "&concluded_to=" + to + unit
	acct := "/reconsideration?accountable_from=" + from + "&accountable_to=" + to + unit
	return []metric.Figure{
		{Code: FigureReceived, Name: "行政复议收案数", Unit: "件", Value: float64(received), Numerator: received,
			Link:       "/reconsideration?received_from=" + from + "&received_to=" + to + unit,
			Definition: "期间内收到的行政复议申请件数（按收到申请日期）" + period},
		{Code: FigureAccepted, Name: "行政复议受理数", Unit: "件", Value: float64(accepted), Numerator: accepted,
			Link:       "/reconsideration?accepted_from=" + from + "&accepted_to=" + to + unit,
			Definition: "期间内受理的案件数，含决定受理和受理审查期满视为受理的（按受理日期）" + period},
		{Code: FigureConcluded, Name: "行政复议审结数", Unit: "件", Value: float64(concluded), Numerator: concluded, Link: conc,
			Definition: "期间内审结的案件数：作出复议决定的，及受理后终止的（按决定或终止日期）" + period},
		metric.Figure{Code: FigureCorrection, Name: "行政复议纠错率", Link: conc, NumeratorLink: "/reconsideration?corrected=true&concluded_from=" + from + "&concluded_to=" + to + unit,
			Definition: "分子：期间内作出变更、撤销、确认违法、责令履行、确认无效决定的案件数；分母：期间内审结的案件数（作出决定的及受理后终止的）" + period}.Rate(corrected, concluded),
		metric.Figure{Code: FigureResolution, Name: "行政复议化解率", Link: conc, NumeratorLink: "/reconsideration?resolved=true&concluded_from=" + from + "&concluded_to=" + to + unit,
			Definition: "化解率 =（调解结案数 + 和解后撤回申请终止数 + 维持或驳回复议请求后申请人未起诉数）÷ 审结案件数 × 100%。审结：期间内作出决定的及受理后终止的案件" + period}.Rate(resolved, concluded),
		metric.Figure{Code: FigureOnTime, Name: "行政复议按期决定率", Link: acct, NumeratorLink: "/reconsideration?on_time=true&concluded_from=" + from + "&concluded_to=" + to + unit,
			Definition: "分子：期间内在决定期限（含延长、扣除中止期间）内作出复议决定的案件数；分母：期间内作出决定的案件数，加上决定期限在期间内、已届满仍未作出决定的案件数（中止审理中的不计）" + period}.Rate(onTime, decided+openLate),
	}, nil
}
