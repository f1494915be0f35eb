package disclosure

import (
	"context"
	"fmt"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

// FigureTally keeps the counters the register's figures sum, moved in the
// transaction of every insert and update of a request (Store.insert,
// Store.bump):
//
//   - due_open: each request whose reply clock runs (办理中), on its reply
//     deadline — "overdue as of today" is the sum over the days before today;
//   - replied / replied_on_time: each answered request on its reply day, and
//     the same per result group of the annual table (replied.<group>,
//     on_time.<group>);
//   - received, correction, extension: on the day of receipt, of the
//     correction notice and of the extension.
//
// Each series applies the conditions of the register filter behind the
// figure's link (Store.where), so a figure equals the register's total.
var FigureTally = &metric.Tally{Name: "disclosure", IDColumn: "r.id", Points: `
SELECT 'due_open' AS series, r.unit_id AS unit_id, r.reply_due AS day FROM disclosure_requests r WHERE r.status = 'processing' AND {record}
UNION ALL SELECT 'replied', r.unit_id, r.done_on FROM disclosure_requests r WHERE r.status = 'replied' AND r.done_on IS NOT NULL AND {record}
UNION ALL SELECT 'replied_on_time', r.unit_id, r.done_on FROM disclosure_requests r WHERE r.status = 'replied' AND r.on_time = 1 AND r.done_on IS NOT NULL AND {record}
UNION ALL SELECT 'replied.' || r.stat_group, r.unit_id, r.done_on FROM disclosure_requests r WHERE r.status = 'replied' AND r.done_on IS NOT NULL AND {record}
UNION ALL SELECT 'on_time.' || r.stat_group, r.unit_id, r.done_on FROM disclosure_requests r WHERE r.status = 'replied' AND r.on_time = 1 AND r.done_on IS NOT NULL AND {record}
UNION ALL SELECT 'received', r.unit_id, r.received_on FROM disclosure_requests r WHERE {record}
UNION ALL SELECT 'correction', r.unit_id, r.correction_on FROM disclosure_requests r WHERE r.correction_on IS NOT NULL AND {record}
UNION ALL SELECT 'extension', r.unit_id, r.extended_on FROM disclosure_requests r WHERE r.extended_on IS NOT NULL AND {record}`}

// period checks a figure query's period; empty ends are 1 January of this
// year and today.
func period(q metric.Query, today calendar.Date) (string, string, error) {
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
		return "", "", err
	}
	if from == "" {
		from = calendar.NewDate(today.Year, 1, 1).String()
	}
	if to == "" {
		to = today.String()
	}
	if to < from {
		return "", "", apperr.Field("to", "期间截止日期不能早于起始日期")
	}
	return from, to, nil
}

// Figures computes the register's figures within the actor's scope over
// the chosen period: the on-time reply rate (answered by the deadline, over
// everything that had to be answered in the period — answered in it, or
// still running with its deadline in it and passed), the same rate for each
// result group of the annual table (over that group's replies), and the
// counts of requests received, correction notices and extensions.
func (s *Service) Figures(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx)
	from, to, err := period(q, today)
	if err != nil {
		return nil, err
	}
	cond, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	unit := ""
	if q.UnitID > 0 {
		unit = fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	dueTo := min(to, today.AddDays(-1).String())
	sums := []metric.Sum{
		{Series: "replied", From: from, To: to},
		{Series: "due_open", From: from, To: dueTo},
		{Series: "replied_on_time", From: from, To: to},
		{Series: "received", From: from, To: to},
		{Series: "correction", From: from, To: to},
		{Series: "extension", From: from, To: to},
	}
	for _, g := range StatGroups {
		sums = append(sums, metric.Sum{Series: "replied." + g.Value, From: from, To: to}, metric.Sum{Series: "on_time." + g.Value, From: from, To: to})
	}
	n, err := FigureTally.SumsUnder(ctx, s.db, cond, args, q.UnitID, sums...)
	if err != nil {
		return nil, err
	}
	per := "accountable_from=" + from + "&accountable_to=" + to + unit
	span := fmt.Sprintf("期间：%s 至 %s（不填时为本年1月1日至今天）", from, to)
	out := []metric.Figure{
		metric.Figure{Code: FigureOnTimeRate, Name: "依申请公开按期答复率", Link: "/disclosure?" + per, NumeratorLink: "/disclosure?on_time=true&" + per,
			Definition: "分子：期间内答复且答复日期不晚于答复期限的申请数；分母：期间内答复的申请数，加上答复期限在期间内、已超期仍未答复的申请数（补正、征求第三方意见、待缴费期间不计入期限）。" + span}.Rate(n[2], n[0]+n[1]),
		{Code: FigureReceived, Name: "收到依申请公开申请", Value: float64(n[3]), Numerator: n[3], Unit: "件",
			Link: fmt.Sprintf("/disclosure?received_from=%s&received_to=%s%s", from, to, unit), Definition: "期间内收到（按渠道规则确定收到申请之日）的申请数。" + span},
		{Code: FigureCorrections, Name: "告知补正", Value: float64(n[4]), Numerator: n[4], Unit: "件",
			Link: fmt.Sprintf("/disclosure?correction_from=%s&correction_to=%s%s", from, to, unit), Definition: "期间内发出补正告知的申请数。" + span},
		{Code: FigureExtensions, Name: "延期答复", Value: float64(n[5]), Numerator: n[5], Unit: "件",
			Link: fmt.Sprintf("/disclosure?extended_from=%s&extended_to=%s%s", from, to, unit), Definition: "期间内经批准延长答复期限的申请数。" + span},
	}
	for i, g := range StatGroups {
		replied, onTime := n[6+2*i], n[7+2*i]
		link := "/disclosure?stat_group=" + g.Value + "&" + per
		out = append(out, metric.Figure{Code: figureTypeRatePrefx + g.Value, Name: "按期答复率（" + g.Label + "）", Link: link, NumeratorLink: link + "&on_time=true",
			Definition: "分子：期间内答复结果为“" + g.Label + "”且按期答复的申请数；分母：期间内答复结果为“" + g.Label + "”的申请数（尚未答复的申请没有答复结果，只计入总的按期答复率）。" + span}.Rate(onTime, replied))
	}
	return out, nil
}
