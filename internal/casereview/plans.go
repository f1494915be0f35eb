package casereview

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/draw"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
	xl "fazhi/internal/platform/xlsx"
)

// PlanInput creates or edits a plan (only while it is being drawn up).
type PlanInput struct {
	Year     int     `json:"year" doc:"评查年度（抽取该年度办结的案件）"`
	Title    string  `json:"title" doc:"计划名称"`
	UnitID   int64   `json:"unit_id" doc:"组织单位"`
	RubricID int64   `json:"rubric_id" doc:"评查标准"`
	UnitIDs  []int64 `json:"unit_ids" doc:"被评查单位"`
	PerUnit  int     `json:"per_unit" doc:"每个单位抽取案卷数"`
	PerFile  int     `json:"per_file" doc:"每卷评查人数（默认 1）"`
	Version  int64   `json:"version,omitempty"`
}

type unitRef struct {
	id         int64
	name, path string
}

func uniq(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func (s *Service) checkPlan(ctx context.Context, q db.Querier, in *PlanInput) ([]unitRef, error) {
	var v apperr.Fields
	checkText(&v, "title", "计划名称", &in.Title, true, 100)
	if y := s.today(ctx).Year; in.Year < 2015 || in.Year > y {
		v.Add("year", "评查年度应在 2015 至 %d 之间", y)
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择组织单位")
	}
	if in.RubricID <= 0 {
		v.Add("rubric_id", "请选择评查标准")
	} else if _, err := s.st.rubric(ctx, q, in.RubricID); apperr.Is(err, apperr.NotFound) {
		v.Add("rubric_id", "所选评查标准不存在")
	} else if err != nil {
		return nil, err
	}
	if in.PerUnit < 1 || in.PerUnit > 200 {
		v.Add("per_unit", "每个单位抽取案卷数应在 1 至 200 之间")
	}
	if in.PerFile == 0 {
		in.PerFile = 1
	}
	if in.PerFile < 1 || in.PerFile > 5 {
		v.Add("per_file", "每卷评查人数应在 1 至 5 之间")
	}
	in.UnitIDs = uniq(in.UnitIDs)
	if len(in.UnitIDs) == 0 || len(in.UnitIDs) > 100 {
		v.Add("unit_ids", "请选择 1 至 100 个被评查单位")
	}
	var units []unitRef
	for _, id := range in.UnitIDs {
		path, name, err := s.st.unit(ctx, q, id)
		if apperr.Is(err, apperr.NotFound) {
			v.Add("unit_ids", "被评查单位（编号 %d）不存在", id)
			continue
		} else if err != nil {
			return nil, err
		}
		units = append(units, unitRef{id, name, path})
	}
	// Units nested in each other would share files and confuse recusal.
	for _, a := range units {
		for _, b := range units {
			if a.id != b.id && strings.HasPrefix(b.path, a.path) {
				v.Add("unit_ids", "「%s」是「%s」的下级单位，不能同时作为被评查单位", b.name, a.name)
			}
		}
	}
	return units, v.Err()
}

// CreatePlan opens a plan in the organising unit.
func (s *Service) CreatePlan(ctx context.Context, in PlanInput) (*Plan, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	units, err := s.checkPlan(ctx, s.db, &in)
	if err != nil {
		return nil, err
	}
	var out *Plan
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, _, err := s.unitIn(ctx, tx, PermManage, in.UnitID, "unit_id"); err != nil {
			return err
		}
		code, err := s.st.nextPlanCode(ctx, tx, in.Year)
		if err != nil {
			return err
		}
		id, err := s.st.insertPlan(ctx, tx, code, in, a.UserID, s.clock(ctx))
		if err != nil {
			return err
		}
		if err := s.st.setPlanUnits(ctx, tx, id, units); err != nil {
			return err
		}
		if out, err = s.st.plan(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "casereview.plan.create", ObjectType: "review_plan", ObjectID: itoa(id),
			UnitID: in.UnitID, Summary: "新建案卷评查计划：" + code + " " + in.Title, After: out})
	})
	return out, err
}

func frozen() error {
	return apperr.New(apperr.Conflict, "计划已公布案卷名录快照，名录和评查人员已冻结，不能再修改")
}

// loadDraft loads a plan for a change of its content: manage scope and
// still being drawn up; it bumps the plan's version so that a commit
// loaded before the change fails its versioned write.
func (s *Service) loadDraft(ctx context.Context, tx *db.Tx, id int64, touch bool) (*Plan, error) {
	p, err := s.st.plan(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, PermManage, p.unitPath); err != nil {
		return nil, err
	}
	if p.Status != StatusDraft {
		return nil, frozen()
	}
	if touch {
		ok, err := s.st.touchPlan(ctx, tx, id, s.clock(ctx))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, frozen()
		}
	}
	return p, nil
}

// UpdatePlan edits a plan that has not been committed.
func (s *Service) UpdatePlan(ctx context.Context, id int64, in PlanInput) (*Plan, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	units, err := s.checkPlan(ctx, s.db, &in)
	if err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*Plan]{
		Load:    func(ctx context.Context, tx *db.Tx) (*Plan, error) { return s.loadDraft(ctx, tx, id, false) },
		Version: func(p *Plan) int64 { return p.Version },
		Change: func(ctx context.Context, tx *db.Tx, p **Plan) (audit.Event, error) {
			if _, _, err := s.unitIn(ctx, tx, PermManage, in.UnitID, "unit_id"); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "casereview.plan.update", ObjectType: "review_plan", ObjectID: itoa(id),
				UnitID: in.UnitID, Summary: "修改案卷评查计划：" + (*p).Code}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Plan, loaded int64) (bool, error) {
			ok, err := s.st.updatePlan(ctx, tx, id, loaded, in, s.clock(ctx))
			if err != nil || !ok {
				return ok, err
			}
			return true, s.st.setPlanUnits(ctx, tx, id, units)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Plan) (*Plan, error) { return s.st.plan(ctx, tx, id) },
	})
}

// GetPlan returns a plan in the organiser's read scope (the seed only once
// drawn); a reviewed unit sees its own files in the file register.
func (s *Service) GetPlan(ctx context.Context, id int64) (*Plan, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	p, err := s.st.plan(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermRead, p.unitPath) {
		return nil, apperr.New(apperr.NotFound, "评查计划不存在")
	}
	return p, nil
}

// ReviewersInput adds enforcement officers to the reviewer pool.
type ReviewersInput struct {
	OfficerIDs []int64 `json:"officer_ids" doc:"执法人员（评查人员）"`
}

// GetReviewers lists a plan's reviewer pool.
func (s *Service) GetReviewers(ctx context.Context, id int64) ([]Reviewer, error) {
	if _, err := s.GetPlan(ctx, id); err != nil {
		return nil, err
	}
	return s.st.reviewers(ctx, s.db, id)
}

// AddReviewers adds officers to a draft plan's reviewer pool.
func (s *Service) AddReviewers(ctx context.Context, id int64, in ReviewersInput) ([]Reviewer, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	var v apperr.Fields
	var add []OfficerRef
	ids := uniq(in.OfficerIDs)
	if len(ids) == 0 || len(ids) > 500 {
		v.Add("officer_ids", "请选择 1 至 500 名评查人员")
	}
	for _, oid := range ids {
		o, err := s.en.Officer(ctx, oid)
		if apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Forbidden) {
			v.Add("officer_ids", "执法人员（编号 %d）不存在或不在您的数据权限范围内", oid)
			continue
		} else if err != nil {
			return nil, err
		}
		add = append(add, o)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.loadDraft(ctx, tx, id, true)
		if err != nil {
			return err
		}
		n, err := s.st.insertReviewers(ctx, tx, id, add)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "casereview.reviewers.add", ObjectType: "review_plan", ObjectID: itoa(id),
			UnitID: p.UnitID, Summary: fmt.Sprintf("评查人员名录新增 %d 人：%s", n, p.Code)})
	})
	if err != nil {
		return nil, err
	}
	return s.st.reviewers(ctx, s.db, id)
}

// RemoveReviewer takes an officer out of a draft plan's reviewer pool.
func (s *Service) RemoveReviewer(ctx context.Context, id, officerID int64) error {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.loadDraft(ctx, tx, id, true)
		if err != nil {
			return err
		}
		ok, err := s.st.deleteReviewer(ctx, tx, id, officerID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.NotFound, "该执法人员不在评查人员名录中")
		}
		return audit.Record(ctx, tx, audit.Event{Action: "casereview.reviewers.remove", ObjectType: "review_plan", ObjectID: itoa(id),
			UnitID: p.UnitID, Summary: fmt.Sprintf("评查人员名录移除执法人员 %d：%s", officerID, p.Code)})
	})
}

func caseKey(id int64) string     { return fmt.Sprintf("C-%d", id) }
func reviewerKey(id int64) string { return fmt.Sprintf("EO-%d", id) }
func unitGroup(id int64) string   { return fmt.Sprintf("U-%d", id) }

// reviewerGroup is the reviewed unit a reviewer belongs to (their unit or
// an ancestor is reviewed), so that recusal covers a unit's whole subtree;
// a reviewer from outside every reviewed unit has a group of their own.
func reviewerGroup(r Reviewer, path string, units []unitRef) string {
	for _, u := range units {
		if strings.HasPrefix(path, u.path) {
			return unitGroup(u.id)
		}
	}
	return fmt.Sprintf("R-%d", r.UnitID)
}

// snapshot builds the draw snapshot: the closed cases of each reviewed
// unit (one stratum per unit, PerUnit drawn, or all when fewer), the
// reviewers, and same-group exclusion (recusal).
func snapshot(p *Plan, units []unitRef, cases map[int64][]CaseRef, reviewers []Reviewer, paths map[int64]string) draw.Snapshot {
	s := draw.Snapshot{Ref: p.Code, Title: p.Title, PerPick: p.PerFile, SameGroupExcluded: true}
	for _, u := range units {
		cs := cases[u.id]
		s.Strata = append(s.Strata, draw.Stratum{Code: unitGroup(u.id), Draw: min(len(cs), p.PerUnit), Label: strings.ToValidUTF8(u.name, "?")})
		for _, c := range cs {
			s.Items = append(s.Items, draw.Item{Key: caseKey(c.ID), Name: strings.ToValidUTF8(c.Code, "?"), Stratum: unitGroup(u.id), Group: unitGroup(u.id)})
		}
	}
	for _, r := range reviewers {
		s.Assignees = append(s.Assignees, draw.Assignee{Key: reviewerKey(r.OfficerID), Name: strings.ToValidUTF8(r.Name, "?"), Group: reviewerGroup(r, paths[r.UnitID], units)})
	}
	return s
}

// VersionInput carries a record's version for a step without other fields.
type VersionInput struct {
	Version int64 `json:"version"`
}

type committedPlan struct {
	snapshot, commitment []byte
	seed                 string
	snapshotSHA, seedSHA string
	cases                []CaseRef
	at                   time.Time
}

// Commit freezes the pool: the closed cases of each reviewed unit in the
// plan's year (read from the enforcement register now) and the reviewers;
// it publishes the snapshot's SHA-256 and the seed's commitment. Gates: a
// draft plan; cases to draw; every drawn file able to get its reviewers
// from other units.
func (s *Service) Commit(ctx context.Context, id int64, in VersionInput) (*Plan, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	p, err := s.GetPlan(ctx, id)
	if err != nil {
		return nil, err
	}
	units, err := s.st.planUnits(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	cases := map[int64][]CaseRef{}
	total := 0
	for _, u := range units {
		cs, err := s.en.ClosedCases(ctx, u.id, p.Year)
		if err != nil {
			return nil, err
		}
		if len(cs) > draw.MaxPool {
			return nil, apperr.Field("unit_ids", "「%s」的办结案件超过 %d 件", u.name, draw.MaxPool)
		}
		cases[u.id] = cs
		total += len(cs)
	}
	if total == 0 {
		return nil, apperr.Field("unit_ids", "被评查单位在 %d 年度没有办结的执法案件，无可抽取的案卷", p.Year)
	}
	seed, err := draw.NewSeed()
	if err != nil {
		return nil, err
	}
	var c committedPlan
	return update.Run(ctx, s.db, in.Version, update.Update[*Plan]{
		Load:    func(ctx context.Context, tx *db.Tx) (*Plan, error) { return s.loadDraft(ctx, tx, id, false) },
		Version: func(p *Plan) int64 { return p.Version },
		Change: func(ctx context.Context, tx *db.Tx, pp **Plan) (audit.Event, error) {
			p := *pp
			reviewers, err := s.st.reviewers(ctx, tx, id)
			if err != nil {
				return audit.Event{}, err
			}
			if len(reviewers) < p.PerFile {
				return audit.Event{}, apperr.Field("reviewers", "评查人员名录只有 %d 人，每卷需 %d 人", len(reviewers), p.PerFile)
			}
			paths := map[int64]string{}
			for _, r := range reviewers {
				if paths[r.UnitID], _, err = s.st.unit(ctx, tx, r.UnitID); err != nil {
					return audit.Event{}, err
				}
			}
			snap := snapshot(p, units, cases, reviewers, paths)
			norm := snap
			norm.Normalize()
			if sf := norm.Shortfalls(); len(sf) > 0 {
				return audit.Event{}, apperr.Field("reviewers", "回避本单位后，案卷 %s 可选评查人员不足 %d 人，请补充其他单位的评查人员", sf[0].Item.Name, p.PerFile)
			}
			at := s.clock(ctx).UTC()
			cm, err := draw.Commit(snap, seed, at.Format("2006-01-02T15:04:05Z"))
			if err != nil {
				return audit.Event{}, apperr.Field("unit_ids", "%v", err)
			}
			commitment, err := draw.Encode(cm.Commitment)
			if err != nil {
				return audit.Event{}, err
			}
			var all []CaseRef
			for _, u := range units {
				all = append(all, cases[u.id]...)
			}
			c = committedPlan{snapshot: cm.Snapshot, commitment: commitment, seed: seed, at: at, cases: all,
				snapshotSHA: cm.Commitment.SnapshotSHA256, seedSHA: cm.Commitment.SeedSHA256}
			p.Status = StatusCommitted
			return audit.Event{Action: "casereview.plan.commit", ObjectType: "review_plan", ObjectID: itoa(id), UnitID: p.UnitID,
				Summary: fmt.Sprintf("公布案卷名录快照与种子承诺：%s（%d 件办结案件，快照 SHA-256 %s，承诺值 %s）", p.Code, len(all), c.snapshotSHA, c.seedSHA)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Plan, loaded int64) (bool, error) {
			return s.st.commitPlan(ctx, tx, id, loaded, c)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Plan) (*Plan, error) { return s.st.plan(ctx, tx, id) },
	})
}

// Draw reveals the seed and draws the files and their reviewers with the
// documented algorithm (docs/draw.md). Gate: only a committed plan; never
// twice.
func (s *Service) Draw(ctx context.Context, id int64, in VersionInput) (*Plan, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	var reveal, result []byte
	return update.Run(ctx, s.db, in.Version, update.Update[*Plan]{
		Load: func(ctx context.Context, tx *db.Tx) (*Plan, error) {
			p, err := s.st.plan(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if _, err := auth.RequireIn(ctx, PermManage, p.unitPath); err != nil {
				return nil, err
			}
			switch p.Status {
			case StatusDraft:
				return nil, apperr.New(apperr.Precondition, "尚未公布案卷名录快照哈希和种子承诺值，不能抽取：请先“公布名录承诺”")
			case StatusDrawn:
				return nil, apperr.New(apperr.Conflict, "计划 %s 已经抽取，不能重新抽取", p.Code)
			}
			return p, nil
		},
		Version: func(p *Plan) int64 { return p.Version },
		Change: func(ctx context.Context, tx *db.Tx, pp **Plan) (audit.Event, error) {
			p := *pp
			snap, seed, casesJSON, err := s.st.drawInputs(ctx, tx, id)
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
			cases := map[string]CaseRef{}
			for _, c := range casesJSON {
				cases[caseKey(c.ID)] = c
			}
			reviewers, err := s.st.reviewers(ctx, tx, id)
			if err != nil {
				return audit.Event{}, err
			}
			byKey := map[string]Reviewer{}
			for _, r := range reviewers {
				byKey[reviewerKey(r.OfficerID)] = r
			}
			for _, pick := range res.Picks {
				c, ok := cases[pick.Item]
				if !ok {
					return audit.Event{}, fmt.Errorf("casereview: drawn key %s not in the pool of plan %d", pick.Item, id)
				}
				var unitID int64
				if _, err := fmt.Sscanf(pick.Stratum, "U-%d", &unitID); err != nil {
					return audit.Event{}, fmt.Errorf("casereview: stratum %q: %w", pick.Stratum, err)
				}
				var who []Reviewer
				for _, k := range pick.Assignees {
					who = append(who, byKey[k])
				}
				if err := s.st.insertFile(ctx, tx, id, pick.Seq, unitID, c, who, at); err != nil {
					return audit.Event{}, err
				}
			}
			p.Status, p.Seed, p.Files = StatusDrawn, seed, len(res.Picks)
			return audit.Event{Action: "casereview.plan.draw", ObjectType: "review_plan", ObjectID: itoa(id), UnitID: p.UnitID,
				Summary: fmt.Sprintf("公开种子并抽取案卷：%s，抽中 %d 卷（种子 %s）", p.Code, len(res.Picks), seed)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Plan, loaded int64) (bool, error) {
			return s.st.drawPlan(ctx, tx, id, loaded, reveal, result, s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Plan) (*Plan, error) { return s.st.plan(ctx, tx, id) },
	})
}

// DrawFiles returns a drawn plan's four published files (docs/draw.md),
// for `fazhi draw verify`.
func (s *Service) DrawFiles(ctx context.Context, id int64) (map[string][]byte, error) {
	p, err := s.GetPlan(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Status != StatusDrawn {
		return nil, apperr.New(apperr.Precondition, "计划尚未抽取，种子和结果还未公开")
	}
	f, err := s.st.drawFiles(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return map[string][]byte{"snapshot.json": []byte(f[0]), "commitment.json": []byte(f[1]), "reveal.json": []byte(f[2]), "result.json": []byte(f[3])}, nil
}

func (s *Service) planSQL(ctx context.Context, year int, status string) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "p.unit_id")
	conds := []string{scope}
	if year != 0 {
		conds = append(conds, "p.year = ?")
		args = append(args, year)
	}
	if status != "" {
		st, ok := option.Value(PlanStatuses, status)
		if !ok {
			return db.ListSQL{}, apperr.Field("status", "状态应为：%s", option.Joined(PlanStatuses))
		}
		conds = append(conds, "p.status = ?")
		args = append(args, st)
	}
	return db.ListSQL{Cols: planCols, From: planFrom, CountFrom: "review_plans p", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "p.id", Desc: true}}}, nil
}

// ListPlans pages the plans in scope.
func (s *Service) ListPlans(ctx context.Context, year int, status string, req db.ListReq) (db.Paged[Plan], error) {
	l, err := s.planSQL(ctx, year, status)
	if err != nil {
		return db.Paged[Plan]{Items: []Plan{}}, err
	}
	out, err := db.Fetch(ctx, s.db, l, req, scanPlanValue, func(p Plan) []any { return []any{p.ID} })
	if err != nil {
		return out, err
	}
	for i := range out.Items {
		if err := s.st.fillUnits(ctx, s.db, &out.Items[i]); err != nil {
			return out, err
		}
	}
	return out, nil
}

// ExportPlans streams the plan register.
func (s *Service) ExportPlans(ctx context.Context, w io.Writer, year int, status string) error {
	l, err := s.planSQL(ctx, year, status)
	if err != nil {
		return err
	}
	cols := []xl.Column{{Title: "计划编号"}, {Title: "年度"}, {Title: "计划名称"}, {Title: "组织单位"}, {Title: "评查标准"}, {Title: "被评查单位"},
		{Title: "每单位抽取卷数"}, {Title: "每卷评查人数"}, {Title: "评查人员数"}, {Title: "状态"}, {Title: "名录快照 SHA-256"}, {Title: "种子承诺值"},
		{Title: "种子"}, {Title: "抽中卷数"}, {Title: "已评查卷数"}}
	return xl.Stream(w, xl.Sheet{Name: "评查计划", Title: "案卷评查计划台账", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Batches(ctx, s.db, l, 200, scanPlanValue, func(p Plan) []any { return []any{p.ID} }, func(batch []Plan) error {
			for _, p := range batch {
				if err := s.st.fillUnits(ctx, s.db, &p); err != nil {
					return err
				}
				if err := add(p.Code, p.Year, p.Title, p.UnitName, p.RubricName, strings.Join(p.UnitNames, "、"), p.PerUnit, p.PerFile, p.Reviewers,
					p.StatusLabel, p.SnapshotSHA256, p.SeedSHA256, p.Seed, p.Files, p.Scored); err != nil {
					return err
				}
			}
			return nil
		})
	}))
}
