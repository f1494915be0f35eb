package exam

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

// CandidateFilter narrows the candidates register (an exam's results, or
// the records behind the coverage and pass-rate figures).
type CandidateFilter struct {
	ExamID    int64  `query:"exam_id" doc:"考试"`
	Purpose   string `query:"purpose" doc:"考试类别"`
	UnitID    int64  `query:"unit_id" doc:"考生所在单位（含下级）"`
	CloseFrom string `query:"close_from" doc:"考试截止日期起（YYYY-MM-DD）"`
	CloseTo   string `query:"close_to" doc:"考试截止日期止（YYYY-MM-DD）"`
	Sat       string `query:"sat" enum:"true,false," doc:"是否已参考"`
	Passed    string `query:"passed" enum:"true,false," doc:"是否已通过"`
	Q         string `query:"q" doc:"考生姓名"`
}

func (s *Service) candidateSQL(ctx context.Context, f CandidateFilter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	conds := []string{scope}
	if f.ExamID > 0 {
		conds = append(conds, "c.exam_id = ?")
		args = append(args, f.ExamID)
	}
	if p := strings.TrimSpace(f.Purpose); p != "" {
		conds = append(conds, "e.purpose = ?")
		args = append(args, p)
	}
	if f.UnitID > 0 {
		conds = append(conds, "c.unit_id IN (SELECT su.id FROM org_unit_refs su, org_unit_refs pu WHERE pu.id = ? AND su.path LIKE pu.path || '%')")
		args = append(args, f.UnitID)
	}
	var v apperr.Fields
	for _, d := range []struct{ field, label, val, op string }{{"close_from", "考试截止日期起", f.CloseFrom, ">="}, {"close_to", "考试截止日期止", f.CloseTo, "<="}} {
		if strings.TrimSpace(d.val) == "" {
			continue
		}
		day := calendar.CheckDate(&v, d.field, d.label, strings.TrimSpace(d.val), false, calendar.Span{})
		if !day.IsZero() {
			conds = append(conds, "e.close_day "+d.op+" ?")
			args = append(args, day.String())
		}
	}
	if err := v.Err(); err != nil {
		return db.ListSQL{}, err
	}
	for _, b := range []struct{ col, val string }{{"c.sat", f.Sat}, {"c.passed", f.Passed}} {
		switch b.val {
		case "true":
			conds = append(conds, b.col+" = 1")
		case "false":
			conds = append(conds, b.col+" = 0")
		}
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		conds = append(conds, `c.name LIKE ? ESCAPE '\'`)
		args = append(args, db.Like(q))
	}
	return db.ListSQL{Cols: candidateCols, From: candidateFrom, CountFrom: "exam_candidates c JOIN exams e ON e.id = c.exam_id",
		Where: strings.Join(conds, " AND "), Args: args, Order: []db.Key{{Expr: "c.id", Desc: true}}}, nil
}

// ListCandidates pages the candidates in the actor's scope (attempts of
// the exam asked for that ran past their deadline are closed first).
func (s *Service) ListCandidates(ctx context.Context, f CandidateFilter, req db.ListReq) (db.Paged[Candidate], error) {
	l, err := s.candidateSQL(ctx, f)
	if err != nil {
		return db.Paged[Candidate]{Items: []Candidate{}}, err
	}
	if f.ExamID > 0 {
		if _, err := s.CloseExpired(ctx, 0, f.ExamID, 200); err != nil {
			return db.Paged[Candidate]{Items: []Candidate{}}, err
		}
	}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Candidate, error) {
		c, err := scanCandidate(sc)
		if err != nil {
			return Candidate{}, err
		}
		return *c, nil
	}, func(c Candidate) []any { return []any{c.ID} })
}

// ExportCandidates writes the candidates of f to w (one cursor, streamed).
func (s *Service) ExportCandidates(ctx context.Context, w io.Writer, f CandidateFilter) error {
	l, err := s.candidateSQL(ctx, f)
	if err != nil {
		return err
	}
	cols := []xl.Column{{Title: "考试"}, {Title: "考试截止日期", Kind: xl.Date}, {Title: "考生"}, {Title: "所在单位"}, {Title: "作答次数"}, {Title: "最高分"},
		{Title: "结果"}, {Title: "通过时间", Kind: xl.DateTime}}
	return xl.Stream(w, xl.Sheet{Name: "考试成绩", Title: "在线考试参考与成绩", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			c, err := scanCandidate(sc)
			if err != nil {
				return err
			}
			var passedAt any = ""
			if c.PassedAt != nil {
				passedAt = *c.PassedAt
			}
			return add(c.ExamTitle, c.CloseDay, c.Name, c.UnitName, c.Attempts, c.BestScore, c.StateLabel, passedAt)
		})
	}))
}

// ExamCoverage is an exam's required, sat and passed candidates per unit
// in the actor's scope (exam.read).
func (s *Service) ExamCoverage(ctx context.Context, examID int64) ([]UnitCoverage, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	if _, err := s.st.exam(ctx, s.db, examID); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, notFoundExam()
		}
		return nil, err
	}
	if _, err := s.CloseExpired(ctx, 0, examID, 200); err != nil {
		return nil, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	return s.st.examCoverage(ctx, s.db, examID, scope, args)
}

// certificate name and body.
func certificateText(c *Candidate, e *Exam) string {
	return fmt.Sprintf("%s同志（%s）参加%s组织的「%s」，成绩 %d 分（满分 %d 分，合格分数线 %d 分），考试合格，特发此证明。",
		c.Name, c.UnitName, e.UnitName, e.Title, c.BestScore, e.TotalPoints, e.PassMark)
}
