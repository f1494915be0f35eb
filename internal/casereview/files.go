package casereview

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
	xl "fazhi/internal/platform/xlsx"
)

// ScoreInput records a reviewer's scoring of a file.
type ScoreInput struct {
	ReviewerID int64       `json:"reviewer_id" doc:"评查人员（抽取时指派给本卷的执法人员）"`
	ReviewedOn string      `json:"reviewed_on" doc:"评查日期 YYYY-MM-DD"`
	Vetoes     []VetoHit   `json:"vetoes" doc:"发现的否决项"`
	Deductions []Deduction `json:"deductions" doc:"扣分项"`
	Comment    string      `json:"comment,omitempty" doc:"评查意见"`
	Version    int64       `json:"version"`
}

// GetFile returns a file with its scoring and problems: the organiser's
// scope, or the reviewed unit's.
func (s *Service) GetFile(ctx context.Context, id int64) (*File, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	f, err := s.st.file(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermRead, f.unitPath) && !a.CanIn(PermRead, f.planPath) {
		return nil, apperr.New(apperr.NotFound, "评查案卷不存在")
	}
	if f.Findings, err = s.st.problems(ctx, s.db, id); err != nil {
		return nil, err
	}
	return f, nil
}

// ScoreFile scores a drawn file under the plan's rubric. Gates: the plan's
// organiser (casereview.manage); the file not yet scored; the reviewer one
// of the file's assigned reviewers and never of the reviewed unit
// (recusal, checked again here). Every veto and deduction becomes a
// finding for the reviewed unit in the same transaction.
func (s *Service) ScoreFile(ctx context.Context, id int64, in ScoreInput) (*File, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	var v apperr.Fields
	day := s.checkDay(ctx, &v, "reviewed_on", "评查日期", in.ReviewedOn, true)
	checkText(&v, "comment", "评查意见", &in.Comment, false, 2000)
	if in.ReviewerID <= 0 {
		v.Add("reviewer_id", "请选择评查人员")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*File]{
		Load: func(ctx context.Context, tx *db.Tx) (*File, error) {
			f, err := s.st.file(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if _, err := auth.RequireIn(ctx, PermManage, f.planPath); err != nil {
				return nil, err
			}
			if f.Status != FilePending {
				return nil, apperr.New(apperr.Conflict, "案卷 %s 已评查（%d 分，%s），不能重复评分", f.CaseCode, f.Score, f.GradeLabel)
			}
			return f, nil
		},
		Version: func(f *File) int64 { return f.Version },
		Change: func(ctx context.Context, tx *db.Tx, ff **File) (audit.Event, error) {
			f := *ff
			units, err := s.st.fileReviewerUnits(ctx, tx, id)
			if err != nil {
				return audit.Event{}, err
			}
			ru, ok := units[in.ReviewerID]
			if !ok {
				return audit.Event{}, apperr.Field("reviewer_id", "该人员不是抽取时指派给本卷的评查人员")
			}
			if path, _, err := s.st.unit(ctx, tx, ru); err == nil && strings.HasPrefix(path, f.unitPath) {
				return audit.Event{}, apperr.Field("reviewer_id", "评查人员不得评查本单位的案卷（回避）")
			}
			var rubricID int64
			if err := tx.QueryRow(ctx, "SELECT rubric_id FROM review_plans WHERE id = ?", f.PlanID).Scan(&rubricID); err != nil {
				return audit.Event{}, err
			}
			r, err := s.st.rubric(ctx, tx, rubricID)
			if err != nil {
				return audit.Event{}, err
			}
			sc, err := r.Score(in.Vetoes, in.Deductions)
			if err != nil {
				return audit.Event{}, err
			}
			vetoText := map[string]string{}
			for _, it := range r.Definition.Vetoes {
				vetoText[it.Code] = it.Text
			}
			itemText := map[string]string{}
			for _, sec := range r.Definition.Sections {
				for _, it := range sec.Items {
					itemText[it.Code] = sec.Name + "：" + it.Text
				}
			}
			var probs []Problem
			for _, h := range sc.Vetoes {
				probs = append(probs, Problem{Kind: "veto", ItemCode: h.Code, ItemText: vetoText[h.Code], Reason: h.Reason})
			}
			for _, d := range sc.Deductions {
				probs = append(probs, Problem{Kind: "deduction", ItemCode: d.Code, ItemText: itemText[d.Code], Points: d.Points, Reason: d.Reason})
			}
			ref := fmt.Sprintf("%s-%d", f.PlanCode, f.Seq)
			for _, p := range probs {
				fid, err := s.ledger.Raise(ctx, tx, Raise{Title: "案卷评查：" + p.ItemText, Source: "case_review", SourceRef: ref, UnitID: f.UnitID,
					FoundOn: day.String(), Serious: p.Kind == "veto",
					Description: fmt.Sprintf("评查计划 %s 抽中案卷 %s（%s，%s）：%s。", f.PlanCode, f.CaseCode, f.CaseTitle, f.BodyName, p.Reason)})
				if err != nil {
					return audit.Event{}, err
				}
				p.FindingID = fid
				if err := s.st.insertProblem(ctx, tx, id, p); err != nil {
					return audit.Event{}, err
				}
			}
			f.Status, f.Score, f.Grade, f.Problems, f.Scoring = FileScored, sc.Score, sc.Grade, len(probs), &sc
			return audit.Event{Action: "casereview.file.score", ObjectType: "review_file", ObjectID: itoa(id), UnitID: f.UnitID,
				Summary: fmt.Sprintf("案卷评查评分：%s %s，%d 分，%s，发现问题 %d 个", ref, f.CaseCode, sc.Score, sc.GradeLabel, len(probs))}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, f *File, loaded int64) (bool, error) {
			return s.st.scoreFile(ctx, tx, id, loaded, *f.Scoring, f.Problems, in.Comment, in.ReviewerID, day.String(), s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *File) (*File, error) { return s.st.file(ctx, tx, id) },
	})
}

// Rankings ranks a plan's reviewed units: average score of the scored
// files (highest first), then fewer failures, then more excellent files.
func (s *Service) Rankings(ctx context.Context, planID int64) ([]Ranking, error) {
	if _, err := s.GetPlan(ctx, planID); err != nil {
		return nil, err
	}
	rs, err := s.st.rankings(ctx, s.db, planID)
	if err != nil {
		return nil, err
	}
	rank(rs)
	return rs, nil
}

func rank(rs []Ranking) {
	slices.SortStableFunc(rs, func(a, b Ranking) int {
		switch {
		case (a.Scored > 0) != (b.Scored > 0):
			if a.Scored > 0 {
				return -1
			}
			return 1
		case a.Average != b.Average:
			if a.Average > b.Average {
				return -1
			}
			return 1
		case a.Fail != b.Fail:
			return a.Fail - b.Fail
		}
		return b.Excellent - a.Excellent
	})
	for i := range rs {
		rs[i].Rank = i + 1
	}
}

// FileFilter narrows the file register.
type FileFilter struct {
	PlanID       int64  `query:"plan_id" doc:"评查计划"`
	UnitID       int64  `query:"unit_id" doc:"被评查单位（含下级）"`
	Status       string `query:"status" doc:"状态"`
	Grade        string `query:"grade" doc:"等次"`
	Problems     bool   `query:"problems" doc:"只看发现问题的"`
	ReviewedFrom string `query:"reviewed_from" doc:"评查日期起"`
	ReviewedTo   string `query:"reviewed_to" doc:"评查日期止"`
}

const subtree = " IN (SELECT s.id FROM org_unit_refs s WHERE s.path LIKE (SELECT p2.path FROM org_unit_refs p2 WHERE p2.id = ?) || '%')"

// scopeEither is the scope of a record seen by its own unit or by its
// organiser.
func scopeEither(a *auth.Actor, perm, col1, col2 string) (string, []any) {
	c1, a1 := auth.ScopeClause(a, perm, col1)
	c2, a2 := auth.ScopeClause(a, perm, col2)
	return "((" + c1 + ") OR (" + c2 + "))", append(a1, a2...)
}

func (s *Service) fileSQL(ctx context.Context, f FileFilter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := scopeEither(a, PermRead, "f.unit_id", "p.unit_id")
	conds := []string{scope}
	var v apperr.Fields
	if f.PlanID > 0 {
		conds = append(conds, "f.plan_id = ?")
		args = append(args, f.PlanID)
	}
	if f.UnitID > 0 {
		conds = append(conds, "f.unit_id"+subtree)
		args = append(args, f.UnitID)
	}
	if f.Status != "" {
		st, ok := option.Value(FileStatuses, f.Status)
		if !ok {
			v.Add("status", "状态应为：%s", option.Joined(FileStatuses))
		}
		conds = append(conds, "f.status = ?")
		args = append(args, st)
	}
	if f.Grade != "" {
		g, ok := option.Value(Grades, f.Grade)
		if !ok {
			v.Add("grade", "等次应为：%s", option.Joined(Grades))
		}
		conds = append(conds, "f.grade = ?")
		args = append(args, g)
	}
	if f.Problems {
		conds = append(conds, "f.problems > 0")
	}
	for _, d := range []struct{ field, label, value, cond string }{
		{"reviewed_from", "评查日期起", f.ReviewedFrom, "f.reviewed_on <> '' AND f.reviewed_on >= ?"},
		{"reviewed_to", "评查日期止", f.ReviewedTo, "f.reviewed_on <> '' AND f.reviewed_on <= ?"},
	} {
		if strings.TrimSpace(d.value) == "" {
			continue
		}
		if day := calendar.CheckDate(&v, d.field, d.label, strings.TrimSpace(d.value), false, calendar.Span{}); !day.IsZero() {
			conds = append(conds, d.cond)
			args = append(args, day.String())
		}
	}
	if err := v.Err(); err != nil {
		return db.ListSQL{}, err
	}
	return db.ListSQL{Cols: fileCols, From: fileFrom, CountFrom: "review_files f JOIN review_plans p ON p.id = f.plan_id", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "f.id", Desc: true}}}, nil
}

// ListFiles pages the file register in scope.
func (s *Service) ListFiles(ctx context.Context, f FileFilter, req db.ListReq) (db.Paged[File], error) {
	l, err := s.fileSQL(ctx, f)
	if err != nil {
		return db.Paged[File]{Items: []File{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, scanFileValue, func(f File) []any { return []any{f.ID} })
}

// ExportFiles streams the file register of f as Excel.
func (s *Service) ExportFiles(ctx context.Context, w io.Writer, f FileFilter) error {
	l, err := s.fileSQL(ctx, f)
	if err != nil {
		return err
	}
	cols := []xl.Column{{Title: "计划编号"}, {Title: "计划名称"}, {Title: "序号"}, {Title: "案件编号"}, {Title: "案由"}, {Title: "执法主体"},
		{Title: "被评查单位"}, {Title: "办结日期", Kind: xl.Date}, {Title: "评查人员"}, {Title: "状态"}, {Title: "得分"}, {Title: "等次"},
		{Title: "否决项"}, {Title: "发现问题数"}, {Title: "评查日期", Kind: xl.Date}, {Title: "评查意见"}}
	return xl.Stream(w, xl.Sheet{Name: "评查案卷", Title: "行政执法案卷评查台账", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			f, err := scanFile(sc)
			if err != nil {
				return err
			}
			veto, score := "", any("")
			if f.Vetoed {
				veto = "有"
			}
			if f.Status == FileScored {
				score = f.Score
			}
			return add(f.PlanCode, f.PlanTitle, f.Seq, f.CaseCode, f.CaseTitle, f.BodyName, f.UnitName, f.ClosedOn, f.Reviewers, f.StatusLabel,
				score, f.GradeLabel, veto, f.Problems, f.ReviewedOn, f.Comment)
		})
	}))
}
