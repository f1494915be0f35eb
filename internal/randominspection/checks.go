package randominspection

import (
	"context"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/draw"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
)

// Draw reveals the seed and draws the entities and their inspectors with
// the documented algorithm (docs/draw.md). Gate: only a plan whose
// snapshot hash and seed commitment were published; never twice.
func (s *Service) Draw(ctx context.Context, id int64, in VersionInput) (*Plan, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var reveal, result []byte
	return update.Run(ctx, s.db, in.Version, update.Update[*Plan]{
		Load: func(ctx context.Context, tx *db.Tx) (*Plan, error) {
			p, err := s.st.plan(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if _, err := auth.RequireIn(ctx, PermWrite, p.unitPath); err != nil {
				return nil, err
			}
			switch p.Status {
			case StatusDraft:
				return nil, apperr.New(apperr.Precondition, "尚未公布名录快照哈希和种子承诺值，不能抽取：请先“公布名录承诺”")
			case StatusDrawn:
				return nil, apperr.New(apperr.Conflict, "计划 %s 已经抽取，不能重新抽取", p.Code)
			}
			return p, nil
		},
		Version: func(p *Plan) int64 { return p.Version },
		Change: func(ctx context.Context, tx *db.Tx, pp **Plan) (audit.Event, error) {
			p := *pp
			snap, seed, err := s.st.drawInputs(ctx, tx, id)
			if err != nil {
				return audit.Event{}, err
			}
			res, err := draw.Run(snap, seed)
			if err != nil {
				return audit.Event{}, err
			}
			at := s.clock(ctx).UTC()
			if reveal, err = draw.Encode(draw.NewReveal(p.Code, seed, at.Format("2006-01-02T15:04:05Z"))); err != nil {
				return audit.Event{}, err
			}
			if result, err = draw.Encode(res); err != nil {
				return audit.Event{}, err
			}
			pool, err := s.poolTx(ctx, tx, id)
			if err != nil {
				return audit.Event{}, err
			}
			entities := map[string]Entity{}
			for _, e := range pool.Entities {
				entities[entityKey(e)] = e
			}
			names := map[string]Inspector{}
			for _, i := range pool.Inspectors {
				names[inspectorKey(i.OfficerID)] = i
			}
			for _, pick := range res.Picks {
				e, ok := entities[pick.Item]
				if !ok {
					return audit.Event{}, fmt.Errorf("randominspection: drawn key %s not in the pool of plan %d", pick.Item, id)
				}
				var who []Inspector
				for _, k := range pick.Assignees {
					who = append(who, names[k])
				}
				if err := s.st.insertCheck(ctx, tx, p, pick.Seq, e.ID, who, at); err != nil {
					return audit.Event{}, err
				}
			}
			p.Status, p.Seed, p.Checks = StatusDrawn, seed, len(res.Picks)
			return audit.Event{Action: "randominspection.plan.draw", ObjectType: "random_plan", ObjectID: itoa(id), UnitID: p.UnitID,
				Summary: fmt.Sprintf("公开种子并抽取：%s，抽中 %d 户（种子 %s）", p.Code, len(res.Picks), seed)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Plan, loaded int64) (bool, error) {
			return s.st.drawPlan(ctx, tx, id, loaded, reveal, result, s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Plan) (*Plan, error) { return s.st.plan(ctx, tx, id) },
	})
}

func (s *Service) poolTx(ctx context.Context, q db.Querier, id int64) (*Pool, error) {
	var p Pool
	var err error
	if p.Entities, err = s.st.entities(ctx, q, id); err != nil {
		return nil, err
	}
	if p.Inspectors, err = s.st.inspectors(ctx, q, id); err != nil {
		return nil, err
	}
	return &p, nil
}

// ResultInput records a check's result.
type ResultInput struct {
	CheckedOn string `json:"checked_on" doc:"检查完成日期 YYYY-MM-DD"`
	Result    string `json:"result" doc:"检查结果"`
	Problems  string `json:"problems,omitempty" doc:"发现的问题（结果为发现问题时必填）"`
	Version   int64  `json:"version"`
}

// publishDue is the last day to publish a result of a check finished on
// day (rule randominspection.publish through the calendar).
func (s *Service) publishDue(day calendar.Date) (calendar.Date, error) {
	rule, err := s.rules.Get(RulePublish)
	if err != nil {
		return calendar.Date{}, err
	}
	var c calendar.Clock
	if err := c.Start(rule, day); err != nil {
		return calendar.Date{}, err
	}
	return c.Due(s.cal)
}

func (s *Service) loadCheck(ctx context.Context, tx *db.Tx, id int64) (*Check, error) {
	c, err := s.st.check(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, PermWrite, c.unitPath); err != nil {
		return nil, err
	}
	return c, nil
}

// RecordResult records what the check found. A check with problems raises
// one finding for the plan's lead unit in the findings ledger. Gates: not
// after publication; the check day not before the draw nor in the future.
func (s *Service) RecordResult(ctx context.Context, id int64, in ResultInput) (*Check, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var v apperr.Fields
	today := s.today(ctx)
	day := calendar.CheckDate(&v, "checked_on", "检查完成日期", strings.TrimSpace(in.CheckedOn), true, calendar.Happened(calendar.NewDate(2015, 1, 1), today))
	if r, ok := option.Value(Results, strings.TrimSpace(in.Result)); ok {
		in.Result = r
	} else {
		v.Add("result", "检查结果应为：%s", option.Joined(Results))
	}
	checkText(&v, "problems", "发现的问题", &in.Problems, in.Result == ResultProblems, 2000)
	if in.Result != ResultProblems {
		in.Problems = ""
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	due, err := s.publishDue(day)
	if err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*Check]{
		Load: func(ctx context.Context, tx *db.Tx) (*Check, error) {
			c, err := s.loadCheck(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if c.Status == CheckPublished {
				return nil, apperr.New(apperr.Conflict, "检查结果已于 %s 公示，不能再修改", c.PublishedOn)
			}
			return c, nil
		},
		Version: func(c *Check) int64 { return c.Version },
		Change: func(ctx context.Context, tx *db.Tx, cc **Check) (audit.Event, error) {
			c := *cc
			drawn, err := s.st.drawnOn(ctx, tx, c.PlanID)
			if err != nil {
				return audit.Event{}, err
			}
			if day.String() < drawn {
				return audit.Event{}, apperr.Field("checked_on", "检查完成日期不能早于抽取日期 %s", drawn)
			}
			if in.Result == ResultProblems && c.FindingID == 0 {
				fid, err := s.ledger.Raise(ctx, tx, Problem{Title: "双随机抽查发现问题：" + c.EntityName, SourceRef: fmt.Sprintf("双随机抽查 %s 第 %d 户", c.PlanCode, c.Seq),
					Description: in.Problems, UnitID: c.UnitID, FoundOn: day.String()})
				if err != nil {
					return audit.Event{}, err
				}
				c.FindingID = fid
			}
			c.CheckedOn, c.Result, c.Problems, c.PublishDue = day.String(), in.Result, in.Problems, due.String()
			return audit.Event{Action: "randominspection.check.result", ObjectType: "random_check", ObjectID: itoa(id), UnitID: c.UnitID,
				Summary: fmt.Sprintf("录入检查结果：%s 第 %d 户 %s（%s）", c.PlanCode, c.Seq, option.Label(Results, in.Result), day)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, c *Check, loaded int64) (bool, error) {
			return s.st.bumpCheck(ctx, tx, id, loaded, s.clock(ctx), []string{"status = ?", "checked_on = ?", "result = ?", "problems = ?", "finding_id = ?", "publish_due = ?"},
				CheckRecorded, c.CheckedOn, c.Result, c.Problems, c.FindingID, c.PublishDue)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Check) (*Check, error) { return s.st.check(ctx, tx, id) },
	})
}

// PublishInput records the publication of a check's result.
type PublishInput struct {
	PublishedOn string `json:"published_on" doc:"公示日期 YYYY-MM-DD"`
	Version     int64  `json:"version"`
}

// Publish records that the result was made public (谁检查、谁录入、谁公开).
// Gate: a result is recorded; the day not before the check nor in the future.
func (s *Service) Publish(ctx context.Context, id int64, in PublishInput) (*Check, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var v apperr.Fields
	day := calendar.CheckDate(&v, "published_on", "公示日期", strings.TrimSpace(in.PublishedOn), true, calendar.Happened(calendar.NewDate(2015, 1, 1), s.today(ctx)))
	if err := v.Err(); err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*Check]{
		Load: func(ctx context.Context, tx *db.Tx) (*Check, error) {
			c, err := s.loadCheck(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			switch c.Status {
			case CheckPending:
				return nil, apperr.New(apperr.Precondition, "尚未录入检查结果，不能公示")
			case CheckPublished:
				return nil, apperr.New(apperr.Conflict, "检查结果已于 %s 公示", c.PublishedOn)
			}
			if day.String() < c.CheckedOn {
				return nil, apperr.Field("published_on", "公示日期不能早于检查完成日期 %s", c.CheckedOn)
			}
			return c, nil
		},
		Version: func(c *Check) int64 { return c.Version },
		Change: func(ctx context.Context, tx *db.Tx, cc **Check) (audit.Event, error) {
			c := *cc
			late := ""
			if day.String() > c.PublishDue {
				late = fmt.Sprintf("（超过公示期限 %s）", c.PublishDue)
			}
			return audit.Event{Action: "randominspection.check.publish", ObjectType: "random_check", ObjectID: itoa(id), UnitID: c.UnitID,
				Summary: fmt.Sprintf("公示检查结果：%s 第 %d 户（%s）%s", c.PlanCode, c.Seq, day, late)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Check, loaded int64) (bool, error) {
			return s.st.bumpCheck(ctx, tx, id, loaded, s.clock(ctx), []string{"status = ?", "published_on = ?"}, CheckPublished, day.String())
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Check) (*Check, error) { return s.st.check(ctx, tx, id) },
	})
}

// GetCheck returns a check in the actor's read scope.
func (s *Service) GetCheck(ctx context.Context, id int64) (*Check, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	c, err := s.st.check(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, PermRead, c.unitPath); err != nil {
		return nil, apperr.New(apperr.NotFound, "抽查记录不存在")
	}
	return c, nil
}
