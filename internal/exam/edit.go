package exam

import (
	"context"
	"fmt"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
)

// satConflict is the refusal of an edit or deletion of an exam someone sat.
func satConflict(e *Exam, n int, what string) error {
	return apperr.New(apperr.Conflict, "考试「%s」已有 %d 人次作答，不能%s（成绩和试卷须留存）", e.Title, n, what)
}

// freeze checks in's quotas against the bank and returns each quota's pool
// of usable questions and the paper's total points.
func (s *Service) freeze(ctx context.Context, q db.Querier, in ExamInput, v *apperr.Fields) ([][]int64, int, error) {
	pools := make([][]int64, len(in.Quotas))
	total := 0
	for i, qt := range in.Quotas {
		var err error
		if pools[i], err = s.st.pool(ctx, q, qt.Topic, qt.Kind); err != nil {
			return nil, 0, err
		}
		if len(pools[i]) < qt.Count {
			v.Add("quotas", "第 %d 条组卷规则：专题「%s」可用的%s只有 %d 道，少于 %d 道", i+1, qt.Topic, option.Label(Kinds, qt.Kind), len(pools[i]), qt.Count)
		}
		total += qt.Count * qt.Points
	}
	return pools, total, nil
}

// UpdateExam edits an exam before anyone sat it: its title, unit, times,
// rules and quotas (the pools are frozen again from the bank as it is
// now). The purpose stays. An exam with an attempt is a conflict; a stale
// version is a conflict.
func (s *Service) UpdateExam(ctx context.Context, id int64, in ExamInput) (*Exam, error) {
	if err := update.RequireVersion(in.Version); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		e, err := s.manageable(ctx, tx, id)
		if err != nil {
			return err
		}
		if in.Version != e.Version {
			return update.Conflict()
		}
		if n, err := s.st.attemptCount(ctx, tx, id); err != nil {
			return err
		} else if n > 0 {
			return satConflict(e, n, "修改")
		}
		if in.Purpose == "" {
			in.Purpose = e.Purpose
		}
		v := s.checkExam(&in)
		if in.Purpose != e.Purpose {
			v.Add("purpose", "考试类别不能更改")
		}
		if err := v.Err(); err != nil {
			return err
		}
		path, _, err := s.st.unit(ctx, tx, in.UnitID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Field("unit_id", "所选组织单位不存在")
		} else if err != nil {
			return err
		}
		if !auth.From(ctx).CanIn(PermManage, path) {
			return apperr.Field("unit_id", "所选组织单位不在您的管理范围内")
		}
		pools, total, err := s.freeze(ctx, tx, in, &v)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		ok, err := s.st.updateExam(ctx, tx, id, in.Version, in, pools, total, calendar.Today(in.ClosesAt).String(), s.clock(ctx))
		if err != nil {
			return err
		}
		if !ok { // an attempt started or another edit saved meanwhile
			if n, _ := s.st.attemptCount(ctx, tx, id); n > 0 {
				return satConflict(e, n, "修改")
			}
			return update.Conflict()
		}
		return audit.Record(ctx, tx, audit.Event{Action: "exam.update", ObjectType: "exam", ObjectID: itoa(id), UnitID: in.UnitID, Before: e, After: in,
			Summary: fmt.Sprintf("修改在线考试：%s（总分 %d，合格线 %d，时长 %d 分钟）", in.Title, total, in.PassMark, in.DurationMin)})
	})
	if err != nil {
		return nil, err
	}
	return s.GetExam(ctx, id)
}

// DeleteExam removes an exam nobody sat, with its candidate list.
func (s *Service) DeleteExam(ctx context.Context, id, version int64) error {
	if err := update.RequireVersion(version); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		e, err := s.manageable(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != e.Version {
			return update.Conflict()
		}
		if n, err := s.st.attemptCount(ctx, tx, id); err != nil {
			return err
		} else if n > 0 {
			return satConflict(e, n, "删除")
		}
		ok, err := s.st.deleteExam(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if !ok {
			if n, _ := s.st.attemptCount(ctx, tx, id); n > 0 {
				return satConflict(e, n, "删除")
			}
			return update.Conflict()
		}
		return audit.Record(ctx, tx, audit.Event{Action: "exam.delete", ObjectType: "exam", ObjectID: itoa(id), UnitID: e.UnitID, Before: e,
			Summary: fmt.Sprintf("删除在线考试：%s（无人作答）", e.Title)})
	})
}
