package randominspection

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/draw"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/update"
)

// PlanInput creates or edits a plan (only while it is being drawn up).
type PlanInput struct {
	Year      int     `json:"year" doc:"年度"`
	Title     string  `json:"title" doc:"计划名称"`
	UnitID    int64   `json:"unit_id" doc:"牵头单位"`
	Joint     bool    `json:"joint" doc:"部门联合抽查（两个以上执法主体）"`
	BodyIDs   []int64 `json:"body_ids" doc:"参与的执法主体"`
	MatterIDs []int64 `json:"matter_ids" doc:"抽查事项"`
	Ratios    Ratios  `json:"ratios"`
	PerCheck  int     `json:"per_check" doc:"每户检查人员数（不少于 2）"`
	Version   int64   `json:"version,omitempty"`
}

// planRefs are the bodies and matters a plan input named, checked.
type planRefs struct {
	bodies  []BodyRef
	matters []Matter
}

func (s *Service) checkPlan(ctx context.Context, q db.Querier, in *PlanInput) (planRefs, error) {
	var v apperr.Fields
	var refs planRefs
	checkText(&v, "title", "计划名称", &in.Title, true, 100)
	if y := s.today(ctx).Year; in.Year < 2015 || in.Year > y+1 {
		v.Add("year", "年度应在 2015 至 %d 之间", y+1)
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择牵头单位")
	}
	in.BodyIDs = uniq(in.BodyIDs)
	in.MatterIDs = uniq(in.MatterIDs)
	switch {
	case len(in.BodyIDs) == 0:
		v.Add("body_ids", "请选择执法主体")
	case in.Joint && len(in.BodyIDs) < 2:
		v.Add("body_ids", "部门联合抽查应有两个以上执法主体")
	case !in.Joint && len(in.BodyIDs) > 1:
		v.Add("body_ids", "单一部门抽查只能选择一个执法主体；多个主体请选择“部门联合抽查”")
	case len(in.BodyIDs) > 50:
		v.Add("body_ids", "执法主体不能超过 50 个")
	}
	for _, id := range in.BodyIDs {
		b, err := s.en.Body(ctx, id)
		if err != nil {
			// A body the actor may not see is not found, whatever the input.
			return refs, err
		}
		refs.bodies = append(refs.bodies, b)
	}
	if len(in.MatterIDs) == 0 {
		v.Add("matter_ids", "请选择抽查事项")
	}
	for _, id := range in.MatterIDs {
		m, err := s.st.matter(ctx, q, id)
		if apperr.Is(err, apperr.NotFound) {
			v.Add("matter_ids", "抽查事项（编号 %d）不存在", id)
			continue
		} else if err != nil {
			return refs, err
		}
		if !slices.Contains(in.BodyIDs, m.BodyID) {
			v.Add("matter_ids", "抽查事项「%s」不属于所选执法主体", m.Name)
		}
		refs.matters = append(refs.matters, *m)
	}
	for field, r := range map[string]int{"ratios.high": in.Ratios.High, "ratios.medium": in.Ratios.Medium, "ratios.low": in.Ratios.Low} {
		if r < 0 || r > 1000 {
			v.Add(field, "抽取比例应在 0 至 1000‰ 之间")
		}
	}
	if in.Ratios.High+in.Ratios.Medium+in.Ratios.Low == 0 {
		v.Add("ratios", "请至少为一个风险等级设置抽取比例")
	}
	if in.PerCheck == 0 {
		in.PerCheck = MinInspectors
	}
	if in.PerCheck < MinInspectors || in.PerCheck > 10 {
		v.Add("per_check", "每户检查人员应为 %d 至 10 人（双随机抽查不少于 2 名执法人员）", MinInspectors)
	}
	return refs, v.Err()
}

func uniq(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// CreatePlan opens a plan in the lead unit (the actor's write scope).
func (s *Service) CreatePlan(ctx context.Context, in PlanInput) (*Plan, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	if in.UnitID > 0 {
		if _, _, err := s.unitIn(ctx, s.db, PermWrite, in.UnitID, "unit_id"); err != nil {
			return nil, err
		}
	}
	refs, err := s.checkPlan(ctx, s.db, &in)
	if err != nil {
		return nil, err
	}
	var out *Plan
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, _, err := s.unitIn(ctx, tx, PermWrite, in.UnitID, "unit_id"); err != nil {
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
		if err := s.st.setPlanRefs(ctx, tx, id, refs.bodies, in.MatterIDs); err != nil {
			return err
		}
		if out, err = s.st.plan(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "randominspection.plan.create", ObjectType: "random_plan", ObjectID: itoa(id),
			UnitID: in.UnitID, Summary: "新建双随机抽查计划：" + code + " " + in.Title, After: out})
	})
	return out, err
}

// loadDraft loads a plan for a change of its content: write scope, and
// still being drawn up (the pool is frozen once committed).
func (s *Service) loadDraft(ctx context.Context, tx *db.Tx, id int64) (*Plan, error) {
	p, err := s.st.plan(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, PermWrite, p.unitPath); err != nil {
		return nil, err
	}
	if p.Status != StatusDraft {
		return nil, frozen(p.StatusLabel)
	}
	return p, nil
}

func frozen(status string) error {
	return apperr.New(apperr.Conflict, "计划已公布名录快照（%s），名录和抽取规则已冻结，不能再修改", status)
}

// loadPool is loadDraft for a change of the pools: it also bumps the plan's
// version in the transaction (Store.touchPlan).
func (s *Service) loadPool(ctx context.Context, tx *db.Tx, id int64) (*Plan, error) {
	p, err := s.loadDraft(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.st.touchPlan(ctx, tx, id, s.clock(ctx))
	if err == nil && !ok {
		err = frozen("已公布")
	}
	return p, err
}

// UpdatePlan edits a plan that has not been committed.
func (s *Service) UpdatePlan(ctx context.Context, id int64, in PlanInput) (*Plan, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	refs, err := s.checkPlan(ctx, s.db, &in)
	if err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*Plan]{
		Load:    func(ctx context.Context, tx *db.Tx) (*Plan, error) { return s.loadDraft(ctx, tx, id) },
		Version: func(p *Plan) int64 { return p.Version },
		Change: func(ctx context.Context, tx *db.Tx, p **Plan) (audit.Event, error) {
			if _, _, err := s.unitIn(ctx, tx, PermWrite, in.UnitID, "unit_id"); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "randominspection.plan.update", ObjectType: "random_plan", ObjectID: itoa(id),
				UnitID: in.UnitID, Summary: "修改双随机抽查计划：" + (*p).Code}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Plan, loaded int64) (bool, error) {
			ok, err := s.st.updatePlan(ctx, tx, id, loaded, in, s.clock(ctx))
			if err != nil || !ok {
				return ok, err
			}
			return true, s.st.setPlanRefs(ctx, tx, id, refs.bodies, in.MatterIDs)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Plan) (*Plan, error) { return s.st.plan(ctx, tx, id) },
	})
}

// GetPlan returns a plan in the actor's read scope (the seed only once drawn).
func (s *Service) GetPlan(ctx context.Context, id int64) (*Plan, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	p, err := s.st.plan(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, PermRead, p.unitPath); err != nil {
		return nil, apperr.New(apperr.NotFound, "抽查计划不存在")
	}
	return p, nil
}

// Pool is a plan's entity pool, inspector pool and relations.
type Pool struct {
	Entities   []Entity    `json:"entities"`
	Inspectors []Inspector `json:"inspectors"`
	Relations  []Relation  `json:"relations"`
}

// GetPool returns a plan's pools (at most a plan's size: MaxEntities).
func (s *Service) GetPool(ctx context.Context, id int64) (*Pool, error) {
	if _, err := s.GetPlan(ctx, id); err != nil {
		return nil, err
	}
	var p Pool
	var err error
	if p.Entities, err = s.st.entities(ctx, s.db, id); err != nil {
		return nil, err
	}
	if p.Inspectors, err = s.st.inspectors(ctx, s.db, id); err != nil {
		return nil, err
	}
	if p.Relations, err = s.st.relations(ctx, s.db, id); err != nil {
		return nil, err
	}
	return &p, nil
}

// InspectorsInput adds officers to a plan's inspector pool: those named, or
// with FromBodies every certified officer of the plan's bodies' units.
type InspectorsInput struct {
	OfficerIDs []int64 `json:"officer_ids,omitempty" doc:"执法人员"`
	FromBodies bool    `json:"from_bodies,omitempty" doc:"加入参与执法主体的全部持证执法人员"`
}

// AddInspectors adds certified officers to the inspector pool (only
// officers holding a valid certificate may inspect).
func (s *Service) AddInspectors(ctx context.Context, id int64, in InspectorsInput) (*Pool, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	p, err := s.GetPlan(ctx, id)
	if err != nil {
		return nil, err
	}
	var add []OfficerRef
	var v apperr.Fields
	for _, oid := range uniq(in.OfficerIDs) {
		o, err := s.en.Officer(ctx, oid)
		if apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Forbidden) {
			v.Add("officer_ids", "执法人员（编号 %d）不存在或不在您的数据权限范围内", oid)
			continue
		} else if err != nil {
			return nil, err
		}
		if !o.Certified {
			v.Add("officer_ids", "%s没有有效的执法证，不能列入检查人员名录", o.Name)
			continue
		}
		add = append(add, o)
	}
	if in.FromBodies {
		for _, bid := range p.BodyIDs {
			b, err := s.en.Body(ctx, bid)
			if err != nil {
				return nil, err
			}
			os, err := s.en.CertifiedOfficers(ctx, b.UnitID)
			if err != nil {
				return nil, err
			}
			add = append(add, os...)
		}
	}
	if len(add) == 0 && v.Err() == nil {
		v.Add("officer_ids", "请选择执法人员")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.loadPool(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := s.st.insertInspectors(ctx, tx, id, add)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "randominspection.inspectors.add", ObjectType: "random_plan", ObjectID: itoa(id),
			UnitID: p.UnitID, Summary: fmt.Sprintf("检查人员名录新增 %d 人：%s", n, p.Code)})
	})
	if err != nil {
		return nil, err
	}
	return s.GetPool(ctx, id)
}

// RemoveInspector takes an officer out of a draft plan's inspector pool.
func (s *Service) RemoveInspector(ctx context.Context, id, officerID int64) error {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.loadPool(ctx, tx, id)
		if err != nil {
			return err
		}
		ok, err := s.st.deleteInspector(ctx, tx, id, officerID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.NotFound, "该执法人员不在检查人员名录中")
		}
		return audit.Record(ctx, tx, audit.Event{Action: "randominspection.inspectors.remove", ObjectType: "random_plan", ObjectID: itoa(id),
			UnitID: p.UnitID, Summary: fmt.Sprintf("检查人员名录移除执法人员 %d：%s", officerID, p.Code)})
	})
}

// RelationInput declares that an inspector must not check an entity.
type RelationInput struct {
	OfficerID int64  `json:"officer_id" doc:"检查人员"`
	EntityID  int64  `json:"entity_id" doc:"检查对象"`
	Note      string `json:"note" doc:"回避事由（如亲属关系、曾在该单位任职）"`
}

// AddRelation records a declared relation (回避) before the draw.
func (s *Service) AddRelation(ctx context.Context, id int64, in RelationInput) (*Pool, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var v apperr.Fields
	checkText(&v, "note", "回避事由", &in.Note, true, 200)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.loadPool(ctx, tx, id)
		if err != nil {
			return err
		}
		ok, err := s.st.inPool(ctx, tx, id, in.OfficerID, in.EntityID)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.Field("officer_id", "检查人员或检查对象不在本计划的名录中")
		}
		if err := s.st.insertRelation(ctx, tx, id, in); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("entity_id", "该回避关系已登记")
			}
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "randominspection.relation.add", ObjectType: "random_plan", ObjectID: itoa(id),
			UnitID: p.UnitID, Summary: fmt.Sprintf("登记回避关系（执法人员 %d—对象 %d）：%s", in.OfficerID, in.EntityID, p.Code), After: in})
	})
	if err != nil {
		return nil, err
	}
	return s.GetPool(ctx, id)
}

// ClearEntities empties a draft plan's entity pool (before a new import).
func (s *Service) ClearEntities(ctx context.Context, id int64) error {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.loadPool(ctx, tx, id)
		if err != nil {
			return err
		}
		n, err := s.st.deleteEntities(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "randominspection.entities.clear", ObjectType: "random_plan", ObjectID: itoa(id),
			UnitID: p.UnitID, Summary: fmt.Sprintf("清空检查对象名录（%d 户）：%s", n, p.Code)})
	})
}

// drawCount is the number drawn from a stratum of n at ratio per mille:
// ceil(n × ratio / 1000), at least 1 when the ratio and the pool are not
// zero (docs/draw.md).
func drawCount(n, ratio int) int {
	if n == 0 || ratio <= 0 {
		return 0
	}
	return min(n, max(1, (n*ratio+999)/1000))
}

// entityKey is an entity's key in the public snapshot: the credit code of
// an organisation; a person only by the pool row's id.
func entityKey(e Entity) string {
	if e.Kind == "organisation" {
		return e.CreditCode
	}
	return fmt.Sprintf("P-%d", e.ID)
}

// publicName is an entity's name in public files: a person's is masked.
func publicName(e Entity) string {
	if e.Kind == "organisation" {
		return e.Name
	}
	return mask.Name(e.Name)
}

func inspectorKey(officerID int64) string { return fmt.Sprintf("EO-%d", officerID) }

// snapshot builds the plan's draw snapshot from its pools.
func snapshot(p *Plan, pool *Pool) draw.Snapshot {
	s := draw.Snapshot{Ref: p.Code, Title: p.Title, PerPick: p.PerCheck, SameGroupExcluded: true}
	n := map[string]int{}
	for _, e := range pool.Entities {
		n[e.Risk]++
		s.Items = append(s.Items, draw.Item{Key: entityKey(e), Name: publicName(e), Stratum: e.Risk, Group: e.UnitName})
	}
	for _, r := range Risks {
		s.Strata = append(s.Strata, draw.Stratum{Code: r.Value, Label: r.Label, Draw: drawCount(n[r.Value], p.Ratios.Of(r.Value))})
	}
	for _, i := range pool.Inspectors {
		s.Assignees = append(s.Assignees, draw.Assignee{Key: inspectorKey(i.OfficerID), Name: i.Name, Group: i.UnitName})
	}
	byID := map[int64]Entity{}
	for _, e := range pool.Entities {
		byID[e.ID] = e
	}
	for _, r := range pool.Relations {
		s.Exclusions = append(s.Exclusions, draw.Pair{Assignee: inspectorKey(r.OfficerID), Item: entityKey(byID[r.EntityID])})
	}
	return s
}

// VersionInput carries a record's version for a step without other fields.
type VersionInput struct {
	Version int64 `json:"version"`
}

// Commit freezes the pools: it builds the canonical snapshot, draws a
// secret seed and publishes the snapshot's SHA-256 and the seed's
// commitment. Gates: a draft plan; entities to draw; every inspector still
// certified; every entity left with enough inspectors once conflicts (same
// unit, declared relations) are excluded.
func (s *Service) Commit(ctx context.Context, id int64, in VersionInput) (*Plan, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	pool, err := s.GetPool(ctx, id)
	if err != nil {
		return nil, err
	}
	var v apperr.Fields
	for _, i := range pool.Inspectors {
		o, err := s.en.Officer(ctx, i.OfficerID)
		if err != nil && !apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Forbidden) {
			return nil, err
		}
		if err != nil || !o.Certified {
			v.Add("inspectors", "检查人员%s已没有有效的执法证，请移出名录后再公布", i.Name)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	seed, err := draw.NewSeed()
	if err != nil {
		return nil, err
	}
	// What Change computes and Write stores (one transaction, in order).
	var committed committedPlan
	return update.Run(ctx, s.db, in.Version, update.Update[*Plan]{
		Load:    func(ctx context.Context, tx *db.Tx) (*Plan, error) { return s.loadDraft(ctx, tx, id) },
		Version: func(p *Plan) int64 { return p.Version },
		Change: func(ctx context.Context, tx *db.Tx, p **Plan) (audit.Event, error) {
			plan := *p
			// The pools as they stand in this transaction (the plan row is
			// loaded in it, so no import or edit slips in between).
			pool, err := s.poolTx(ctx, tx, id)
			if err != nil {
				return audit.Event{}, err
			}
			if pool.Relations, err = s.st.relations(ctx, tx, id); err != nil {
				return audit.Event{}, err
			}
			snap := snapshot(plan, pool)
			total := 0
			for _, st := range snap.Strata {
				total += st.Draw
			}
			if len(pool.Entities) == 0 || total == 0 {
				return audit.Event{}, apperr.Field("entities", "检查对象名录为空或按抽取比例不抽取任何对象，不能公布")
			}
			if len(pool.Inspectors) < plan.PerCheck {
				return audit.Event{}, apperr.Field("inspectors", "检查人员名录只有 %d 人，每户需 %d 人", len(pool.Inspectors), plan.PerCheck)
			}
			if sf := snapshotShortfalls(snap); len(sf) > 0 {
				return audit.Event{}, apperr.Field("inspectors", "排除同单位和回避关系后，%s可选检查人员不足 %d 人，请补充检查人员", strings.Join(sf, "、"), plan.PerCheck)
			}
			at := s.clock(ctx).UTC()
			c, err := draw.Commit(snap, seed, at.Format("2006-01-02T15:04:05Z"))
			if err != nil {
				return audit.Event{}, apperr.Field("entities", "%v", err)
			}
			commitment, err := draw.Encode(c.Commitment)
			if err != nil {
				return audit.Event{}, err
			}
			plan.Status, plan.SnapshotSHA256, plan.SeedSHA256 = StatusCommitted, c.Commitment.SnapshotSHA256, c.Commitment.SeedSHA256
			committed = committedPlan{snapshot: c.Snapshot, commitment: commitment, seed: seed, at: at,
				snapshotSHA: c.Commitment.SnapshotSHA256, seedSHA: c.Commitment.SeedSHA256}
			return audit.Event{Action: "randominspection.plan.commit", ObjectType: "random_plan", ObjectID: itoa(id), UnitID: plan.UnitID,
				Summary: fmt.Sprintf("公布名录快照与种子承诺：%s（快照 SHA-256 %s，承诺值 %s）", plan.Code, plan.SnapshotSHA256, plan.SeedSHA256)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Plan, loaded int64) (bool, error) {
			return s.st.commitPlan(ctx, tx, id, loaded, committed)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Plan) (*Plan, error) { return s.st.plan(ctx, tx, id) },
	})
}

// committedPlan is what Commit writes.
type committedPlan struct {
	snapshot, commitment []byte
	seed                 string
	snapshotSHA, seedSHA string
	at                   time.Time
}

func snapshotShortfalls(snap draw.Snapshot) []string {
	snap.Normalize()
	var out []string
	for i, sf := range snap.Shortfalls() {
		if i == 5 {
			out = append(out, "等")
			break
		}
		out = append(out, "「"+sf.Item.Name+"」")
	}
	return out
}
