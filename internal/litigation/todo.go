package litigation

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// hearingSoonDays is how far ahead a scheduled hearing is listed.
const hearingSoonDays = 7

// Todo lists, for the to-do centre, what waits for an actor who handles
// lawsuits (litigation.write) in their scope: the defence statement and
// evidence due, hearings in the coming week (or past and not yet
// recorded), judicial suggestions to answer and reviews of lost acts to
// conclude. Each query reads open records through an index and the scope.
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	a := auth.From(ctx)
	out := []todo.Item{}
	if a == nil || !a.Can(PermWrite) {
		return out, nil
	}
	today := s.today(ctx)
	scope, args := auth.ScopeClause(a, PermWrite, "c.unit_id")
	type row struct {
		id                int64
		code, plaintiff   string
		unit, due, caseNo string
	}
	scan := func(sc db.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.id, &r.code, &r.plaintiff, &r.unit, &r.due, &r.caseNo)
		return r, err
	}
	const cols = `SELECT c.id, c.code, c.plaintiff_name, COALESCE(u.name, ''), %s, c.case_no
FROM litigation_cases c LEFT JOIN org_unit_refs u ON u.id = c.unit_id`
	queries := []struct {
		action, rule, sql string
		extra             []any
	}{
		{"提交答辩状和证据", RuleDefence, fmt.Sprintf(cols, "c.defence_due") + ` WHERE c.status = 'open' AND c.defence_done_on IS NULL AND ` + scope + ` ORDER BY c.defence_due, c.id LIMIT ?`, nil},
		{"开庭应诉（登记出庭情况）", "", fmt.Sprintf(cols, "h.held_on") + ` JOIN litigation_hearings h ON h.case_id = c.id
WHERE c.status = 'open' AND h.appearance = '' AND h.held_on <= ? AND ` + scope + ` ORDER BY h.held_on, h.id LIMIT ?`, []any{today.AddDays(hearingSoonDays).String()}},
		{"书面回复司法建议", RuleSuggestionReply, fmt.Sprintf(cols, "c.suggestion_due") + ` WHERE c.suggestion_on IS NOT NULL AND c.suggestion_reply_on IS NULL AND ` + scope + ` ORDER BY c.suggestion_due, c.id LIMIT ?`, nil},
		{"复查败诉案件的被诉行政行为", RuleActReview, fmt.Sprintf(cols, "c.review_due") + ` WHERE ` + reviewOpenCond + ` AND ` + scope + ` ORDER BY c.review_due, c.id LIMIT ?`, nil},
	}
	for _, q := range queries {
		qa := append(append(append([]any{}, q.extra...), args...), todo.Cap)
		rows, err := db.All(ctx, s.db, scan, q.sql, qa...)
		if err != nil {
			return nil, err
		}
		rule := "开庭日期"
		if q.rule != "" {
			if r, err := s.rules.Get(q.rule); err == nil {
				rule = r.Label + "（" + r.Period.String() + "）"
			}
		}
		for _, r := range rows {
			title := "原告 " + r.plaintiff + " 诉" + r.unit
			if r.caseNo != "" {
				title += "（" + r.caseNo + "）"
			}
			out = append(out, todo.Item{Action: q.action, Title: title, Number: r.code, UnitName: r.unit, Due: r.due, DueRule: rule,
				Overdue: r.due < today.String(), Link: fmt.Sprintf("/litigation/%d", r.id)})
		}
	}
	return out, nil
}
