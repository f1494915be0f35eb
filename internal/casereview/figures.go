package casereview

import (
	"context"
	"fmt"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// Figure codes (stable, for the metrics catalogue).
const (
	FigureFilesReviewed     = "casereview.files_reviewed"
	FigureExcellentRate     = "casereview.excellent_rate"
	FigurePassRate          = "casereview.pass_rate"
	FigureProblemRate       = "casereview.problem_rate"
	FigureNoticeReplyRate   = "casereview.notice_replied_on_time_rate"
	FigureFindingsRectified = "casereview.findings_rectified_rate"
)

// Figures computes, within the actor's scope (the reviewed or addressed
// unit) over the period (empty From: 1 January; empty To: today): files
// reviewed and their grades, the share with problems, notices answered by
// their deadline over the notices whose deadline fell in the period (an
// unanswered one counts against it), and the findings raised by this
// module in the period that the ledger shows closed. The counts run on the
// date indexes of the period's rows, not over the whole tables.
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
	fileScope, fargs := auth.ScopeClause(a, PermRead, "f.unit_id")
	fargs = append(fargs, from, to)
	fw := fileScope + " AND f.reviewed_on <> '' AND f.reviewed_on >= ? AND f.reviewed_on <= ?"
	noticeScope, nargs := auth.ScopeClause(a, PermRead, "n.unit_id")
	nargs = append(nargs, from, to)
	nw := noticeScope + " AND n.reply_due >= ? AND n.reply_due <= ?"
	unit := ""
	if q.UnitID > 0 {
		fw += " AND f.unit_id" + subtree
		nw += " AND n.unit_id" + subtree
		fargs = append(fargs, q.UnitID)
		nargs = append(nargs, q.UnitID)
		unit = fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	var reviewed, excellent, passed, withProblems int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN f.grade = 'excellent' THEN 1 ELSE 0 END), 0),
COALESCE(SUM(CASE WHEN f.grade IN ('excellent', 'pass') THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN f.problems > 0 THEN 1 ELSE 0 END), 0)
FROM review_files f WHERE `+fw, fargs...).Scan(&reviewed, &excellent, &passed, &withProblems); err != nil {
		return nil, err
	}
	var due, onTime int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN n.replied_on <> '' AND n.replied_on <= n.reply_due THEN 1 ELSE 0 END), 0)
FROM supervision_notices n WHERE `+nw, nargs...).Scan(&due, &onTime); err != nil {
		return nil, err
	}
	// Findings raised in the period: the problems of the files reviewed
	// and the items of the notices issued in it.
	ids, err := db.All(ctx, s.db, func(sc db.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, `SELECT p.finding_id FROM review_problems p JOIN review_files f ON f.id = p.file_id WHERE p.finding_id > 0 AND `+fw, fargs...)
	if err != nil {
		return nil, err
	}
	iw := noticeScope + " AND n.issued_on >= ? AND n.issued_on <= ?"
	iargs := append([]any{}, nargs...)
	if q.UnitID > 0 {
		iw += " AND n.unit_id" + subtree
	}
	more, err := db.All(ctx, s.db, func(sc db.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, `SELECT i.finding_id FROM supervision_notice_items i JOIN supervision_notices n ON n.id = i.notice_id WHERE i.finding_id > 0 AND `+iw, iargs...)
	if err != nil {
		return nil, err
	}
	ids = append(ids, more...)
	states, err := s.ledger.States(ctx, ids)
	if err != nil {
		return nil, err
	}
	closed := 0
	for _, st := range states {
		if st.Closed {
			closed++
		}
	}
	period := fmt.Sprintf("期间：%s 至 %s（不填时为本年1月1日至今天）", from, to)
	filesLink := "/case-review/files?reviewed_from=" + from + "&reviewed_to=" + to + unit
	noticeLink := "/case-review/notices?due_from=" + from + "&due_to=" + to + unit
	return []metric.Figure{
		{Code: FigureFilesReviewed, Name: "评查案卷数", Value: float64(reviewed), Numerator: reviewed, Unit: "卷", Link: filesLink,
			Definition: "期间内完成评查的执法案卷数（按评查日期）。" + period},
		metric.Figure{Code: FigureExcellentRate, Name: "案卷优秀率", Link: filesLink, NumeratorLink: filesLink + "&grade=excellent",
			Definition: "分子：期间内评查为优秀的案卷数；分母：期间内评查的案卷数。有否决项的案卷不得评为优秀。" + period}.Rate(excellent, reviewed),
		metric.Figure{Code: FigurePassRate, Name: "案卷合格率", Link: filesLink, NumeratorLink: filesLink + "&grade=fail",
			Definition: "分子：期间内评查为优秀或合格的案卷数；分母：期间内评查的案卷数（“分子”链接列出不合格的案卷）。" + period}.Rate(passed, reviewed),
		metric.Figure{Code: FigureProblemRate, Name: "案卷问题发现率", Link: filesLink, NumeratorLink: filesLink + "&problems=true",
			Definition: "分子：期间内评查发现问题（否决项或扣分项）的案卷数；分母：期间内评查的案卷数。" + period}.Rate(withProblems, reviewed),
		metric.Figure{Code: FigureNoticeReplyRate, Name: "监督意见书按期答复率", Link: noticeLink, NumeratorLink: noticeLink + "&replied_on_time=true",
			Definition: "分子：答复期限（规则 casereview.notice_reply）在期间内且按期答复的监督意见书（建议书）数；分母：答复期限在期间内的文书数（含逾期未答复的）。" + period}.Rate(onTime, due),
		metric.Figure{Code: FigureFindingsRectified, Name: "评查与监督问题整改销号率", Link: "/findings?source=case_review",
			Definition: "分子：期间内评查案卷发现的问题和签发的监督文书所列问题中，问题台账已销号的数量；分母：上述问题总数。" + period}.Rate(closed, len(ids)),
	}, nil
}
