package exam

import (
	"context"
	"strings"

	"fazhi/internal/metric"
	"fazhi/internal/platform/db"
)

// CandidateTally counts required candidates on the day their exam's window
// closes, per purpose and per the candidate's unit: required:<purpose>
// every candidate, sat:<purpose> those with a closed attempt,
// passed:<purpose> those who passed. Every write of exam_candidates goes
// through Added (insert) or Write (update) in its transaction.
var CandidateTally = &metric.Tally{Name: "exam", IDColumn: "c.id", Points: `
SELECT 'required:' || e.purpose AS series, c.unit_id AS unit_id, e.close_day AS day FROM exam_candidates c JOIN exams e ON e.id = c.exam_id WHERE {record}
UNION ALL SELECT 'sat:' || e.purpose, c.unit_id, e.close_day FROM exam_candidates c JOIN exams e ON e.id = c.exam_id WHERE c.sat = 1 AND {record}
UNION ALL SELECT 'passed:' || e.purpose, c.unit_id, e.close_day FROM exam_candidates c JOIN exams e ON e.id = c.exam_id WHERE c.passed = 1 AND {record}`}

// Counts are the candidates of a purpose's exams that closed in a period.
type Counts struct{ Required, Sat, Passed int }

// Coverage sums the counters of purpose over exams whose window closed
// from–to (inclusive dates), for the units matching scopeCond (an SQL
// condition over c.unit_id with its args: the caller's own scope) under
// unit root (0: no subtree). It reads counters only.
func (s *Service) Coverage(ctx context.Context, purpose, scopeCond string, scopeArgs []any, root int64, from, to string) (Counts, error) {
	n, err := CandidateTally.SumsUnder(ctx, s.db, scopeCond, scopeArgs, root,
		metric.Sum{Series: "required:" + purpose, From: from, To: to}, metric.Sum{Series: "sat:" + purpose, From: from, To: to},
		metric.Sum{Series: "passed:" + purpose, From: from, To: to})
	if err != nil {
		return Counts{}, err
	}
	return Counts{Required: n[0], Sat: n[1], Passed: n[2]}, nil
}

// UnitCoverage is one unit's line of an exam's coverage.
type UnitCoverage struct {
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Required int    `json:"required"`
	Sat      int    `json:"sat"`
	Passed   int    `json:"passed"`
}

// examCoverage groups one exam's candidates by unit (bounded by the exam's
// size, read through exam_candidates_exam).
func (Store) examCoverage(ctx context.Context, q db.Querier, examID int64, scope string, args []any) ([]UnitCoverage, error) {
	return db.All(ctx, q, func(sc db.Scanner) (UnitCoverage, error) {
		var u UnitCoverage
		err := sc.Scan(&u.UnitID, &u.UnitName, &u.Required, &u.Sat, &u.Passed)
		return u, err
	}, `SELECT c.unit_id, COALESCE(MAX(u.name), ''), COUNT(*), SUM(c.sat), SUM(c.passed) FROM exam_candidates c LEFT JOIN org_unit_refs u ON u.id = c.unit_id
WHERE c.exam_id = ? AND `+strings.TrimSpace(scope)+` GROUP BY c.unit_id ORDER BY c.unit_id`, append([]any{examID}, args...)...)
}
