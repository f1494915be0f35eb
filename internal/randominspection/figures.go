package randominspection

import (
	"context"
	"fmt"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

// Figure codes (stable, for the metrics catalogue).
const (
	FigureChecksDone  = "randominspection.checks_done"
	FigurePublishRate = "randominspection.published_on_time_rate"
	FigureProblemRate = "randominspection.problem_rate"
)

// FigureTally keeps the check register's counters, moved in the
// transaction of every check write (Store.insertCheck → Added,
// Store.bumpCheck → Write):
//
//   - drawn: each check on the day it was drawn (created);
//   - done / problems: each check with a result on its check day, the
//     second only when problems were found (the problem rate);
//   - publish_due / published_on_time: each check with a result on its
//     publication deadline, the second only when published by it — so a
//     result not published by a deadline in the period counts against the
//     rate.
var FigureTally = &metric.Tally{Name: "randominspection", IDColumn: "c.id", Points: `
SELECT 'done' AS series, c.unit_id AS unit_id, c.checked_on AS day FROM random_checks c WHERE c.checked_on <> '' AND {record}
UNION ALL SELECT 'problems', c.unit_id, c.checked_on FROM random_checks c WHERE c.checked_on <> '' AND c.result = 'problems' AND {record}
UNION ALL SELECT 'publish_due', c.unit_id, c.publish_due FROM random_checks c WHERE c.publish_due <> '' AND {record}
UNION ALL SELECT 'published_on_time', c.unit_id, c.publish_due FROM random_checks c
WHERE c.publish_due <> '' AND c.published_on <> '' AND c.published_on <= c.publish_due AND {record}`}

// Figures computes the module's figures within the actor's scope over the
// period (an empty From is 1 January of this year, an empty To is today):
// checks done, results published on time over the results whose deadline
// fell in the period, and the share of checks done that found problems.
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
		metric.Sum{Series: "done", From: from, To: to},
		metric.Sum{Series: "problems", From: from, To: to},
		metric.Sum{Series: "publish_due", From: from, To: to},
		metric.Sum{Series: "published_on_time", From: from, To: to})
	if err != nil {
		return nil, err
	}
	done, problems, due, onTime := n[0], n[1], n[2], n[3]
	unit := ""
	if q.UnitID > 0 {
		unit = fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	period := fmt.Sprintf("期间：%s 至 %s（不填时为本年1月1日至今天）", from, to)
	doneLink := "/random-inspections/checks?checked_from=" + from + "&checked_to=" + to + unit
	dueLink := "/random-inspections/checks?publish_due_from=" + from + "&publish_due_to=" + to + unit
	return []metric.Figure{
		{Code: FigureChecksDone, Name: "双随机抽查完成户数", Value: float64(done), Numerator: done, Unit: "户", Link: doneLink,
			Definition: "期间内录入检查结果的双随机抽查户数（按检查完成日期）。" + period},
		metric.Figure{Code: FigurePublishRate, Name: "抽查结果按期公示率", Link: dueLink, NumeratorLink: dueLink + "&published_on_time=true",
			Definition: "分子：公示期限（检查完成后 20 个工作日，规则 randominspection.publish）在期间内且按期公示的抽查户数；分母：公示期限在期间内的抽查户数（含超期未公示的）。" + period}.Rate(onTime, due),
		metric.Figure{Code: FigureProblemRate, Name: "抽查问题发现率", Link: doneLink, NumeratorLink: doneLink + "&result=problems",
			Definition: "分子：期间内检查发现问题的户数；分母：期间内完成检查的户数；按检查完成日期。" + period}.Rate(problems, done),
	}, nil
}
