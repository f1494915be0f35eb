package litigation

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
	FigureReceived      = "litigation.received_count"
	FigureJudged        = "litigation.judged_count"
	FigureHeadInCourt   = "litigation.head_in_court_rate"
	FigureLossRate      = "litigation.loss_rate"
	FigureDefenceOnTime = "litigation.defence_on_time_rate"
	FigureSuggestion    = "litigation.suggestion_reply_rate"
)

// CaseTally keeps the lawsuit register's counters, moved in the
// transaction of every insert (Store.insert) and update (Store.save). Each
// series uses the conditions of the register filter behind the figure's
// link (Store.where):
//
//   - received: each lawsuit on the day the copy of the complaint arrived;
//   - judged / lost: each lawsuit with an outcome, and each lost or partly
//     lost one, on the judgement day;
//   - defence_done / defence_on_time: each lawsuit whose statement and
//     evidence are both in, on the later day, the second only when by the
//     deadline; defence_open_due: each open lawsuit still missing one, on
//     its deadline (open past the deadline in the period is a range sum up
//     to yesterday);
//   - sugg_done / sugg_on_time / sugg_open_due: the same for the reply to
//     a judicial suggestion.
var CaseTally = &metric.Tally{Name: "litigation", IDColumn: "c.id", Points: `
SELECT 'received' AS series, c.unit_id AS unit_id, c.received_on AS day FROM litigation_cases c WHERE {record}
UNION ALL SELECT 'judged', c.unit_id, c.judged_on FROM litigation_cases c WHERE ` + judgedCond + ` AND {record}
UNION ALL SELECT 'lost', c.unit_id, c.judged_on FROM litigation_cases c WHERE ` + judgedCond + ` AND ` + lostCond + ` AND {record}
UNION ALL SELECT 'defence_done', c.unit_id, c.defence_done_on FROM litigation_cases c WHERE ` + defenceDoneCond + ` AND {record}
UNION ALL SELECT 'defence_on_time', c.unit_id, c.defence_done_on FROM litigation_cases c WHERE ` + defenceOnTime + ` AND {record}
UNION ALL SELECT 'defence_open_due', c.unit_id, c.defence_due FROM litigation_cases c WHERE ` + defenceOpenCond + ` AND {record}
UNION ALL SELECT 'sugg_done', c.unit_id, c.suggestion_reply_on FROM litigation_cases c WHERE ` + suggDoneCond + ` AND {record}
UNION ALL SELECT 'sugg_on_time', c.unit_id, c.suggestion_reply_on FROM litigation_cases c WHERE ` + suggOnTimeCond + ` AND {record}
UNION ALL SELECT 'sugg_open_due', c.unit_id, c.suggestion_due FROM litigation_cases c WHERE ` + suggOpenCond + ` AND {record}`}

// HearingTally counts held hearings on their day, in all and those where
// the head or the deputy in charge appeared (Store.insertHearing,
// Store.saveHearing). The hearing list behind the figure is
// Store.hearingSQL with the same conditions.
var HearingTally = &metric.Tally{Name: "litigation_hearing", IDColumn: "h.id", Points: `
SELECT 'held' AS series, h.unit_id AS unit_id, h.held_on AS day FROM litigation_hearings h WHERE ` + heldCond + ` AND {record}
UNION ALL SELECT 'head', h.unit_id, h.held_on FROM litigation_hearings h WHERE ` + heldCond + ` AND ` + headCountedCond + ` AND {record}`}

// Tallies are the module's counters (kept at wiring, rebuilt after bulk
// loads).
var Tallies = []*metric.Tally{CaseTally, HearingTally}

// Figures computes the register's figures for the period within the
// actor's scope (an empty From is 1 January of this year, an empty To is
// today; the unit narrows to the defendant's subtree).
func (s *Service) Figures(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx)
	from, to := q.From, q.To
	if err := checkDates(map[string]string{"from": from, "to": to}); err != nil {
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
	unit := ""
	if q.UnitID > 0 {
		unit = fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	dueTo := min(to, today.AddDays(-1).String())
	cond, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	n, err := CaseTally.SumsUnder(ctx, s.db, cond, args, q.UnitID,
		metric.Sum{Series: "received", From: from, To: to},
		metric.Sum{Series: "judged", From: from, To: to},
		metric.Sum{Series: "lost", From: from, To: to},
		metric.Sum{Series: "defence_done", From: from, To: to},
		metric.Sum{Series: "defence_on_time", From: from, To: to},
		metric.Sum{Series: "defence_open_due", From: from, To: dueTo},
		metric.Sum{Series: "sugg_done", From: from, To: to},
		metric.Sum{Series: "sugg_on_time", From: from, To: to},
		metric.Sum{Series: "sugg_open_due", From: from, To: dueTo})
	if err != nil {
		return nil, err
	}
	hcond, hargs := auth.ScopeClause(a, PermRead, "c.unit_id")
	h, err := HearingTally.SumsUnder(ctx, s.db, hcond, hargs, q.UnitID,
		metric.Sum{Series: "held", From: from, To: to}, metric.Sum{Series: "head", From: from, To: to})
	if err != nil {
		return nil, err
	}
	received, judged, lost, defDone, defOnTime, defOpenLate, sugDone, sugOnTime, sugOpenLate := n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8]
	held, head := h[0], h[1]
	period := fmt.Sprintf("（期间：%s 至 %s，不填时为本年1月1日至今天）", from, to)
	judgedLink := "/litigation?judged_from=" + from + "&judged_to=" + to + unit
	hearings := "/litigation/hearings?from=" + from + "&to=" + to + unit
	defence := "/litigation?defence_from=" + from + "&defence_to=" + to + unit
	sugg := "/litigation?suggestion_from=" + from + "&suggestion_to=" + to + unit
	return []metric.Figure{
		{Code: FigureReceived, Name: "行政应诉收案数", Unit: "件", Value: float64(received), Numerator: received,
			Link:       "/litigation?received_from=" + from + "&received_to=" + to + unit,
			Definition: "期间内收到起诉状副本的行政诉讼案件数（按收到起诉状副本日期，一审、二审、再审分别计）" + period},
		{Code: FigureJudged, Name: "行政诉讼审结数", Unit: "件", Value: float64(judged), Numerator: judged, Link: judgedLink,
			Definition: "期间内登记裁判结果（胜诉、败诉、部分败诉、原告撤诉、调解或和解）的案件数（按裁判日期）" + period},
		metric.Figure{Code: FigureHeadInCourt, Name: "行政机关负责人出庭应诉率", Link: hearings, NumeratorLink: hearings + "&head_counted=true",
			Definition: "按庭次计算。分子：期间内开庭的庭次中，被告行政机关正职负责人或分管负责人出庭的庭次；分母：期间内已开庭并登记出庭情况的庭次。仅工作人员出庭、仅委托律师出庭或无人出庭的不计入分子（《行政诉讼法》第三条；法释〔2020〕3号）" + period}.Rate(head, held),
		metric.Figure{Code: FigureLossRate, Name: "行政诉讼败诉率", Link: judgedLink, NumeratorLink: judgedLink + "&lost=true",
			Definition: "分子：期间内裁判结果为败诉或部分败诉的案件数；分母：期间内审结（登记裁判结果）的案件数，含原告撤诉和调解、和解结案" + period}.Rate(lost, judged),
		metric.Figure{Code: FigureDefenceOnTime, Name: "按期答辩举证率", Link: defence, NumeratorLink: defence + "&defence_on_time=true",
			Definition: "分子：期间内答辩状和证据均已提交、且均在答辩举证期限（收到起诉状副本之日起十五日，按工作日历顺延）内提交的案件数；分母：期间内答辩状和证据提交完毕的案件数，加上答辩举证期限在期间内、已届满仍未提交完毕的应诉中案件数" + period}.Rate(defOnTime, defDone+defOpenLate),
		metric.Figure{Code: FigureSuggestion, Name: "司法建议按期回复率", Link: sugg, NumeratorLink: sugg + "&suggestion_on_time=true",
			Definition: "分子：期间内在回复期限内书面回复的司法建议数；分母：期间内回复的司法建议数，加上回复期限在期间内、已届满仍未回复的司法建议数（回复期限按规则 litigation.suggestion_reply 计算，可配置）" + period}.Rate(sugOnTime, sugDone+sugOpenLate),
	}, nil
}
