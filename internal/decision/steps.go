package decision

import (
	"context"
	"slices"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
)

// gate checks step's prerequisites from the procedure table.
func gate(d *Decision, steps map[Step]StepRecord, step Step) error {
	def, ok := Def(step)
	if !ok {
		return apperr.Field("step", "没有名为“%s”的程序步骤", step)
	}
	for _, r := range def.Requires {
		if steps[r].State.Satisfied() {
			continue
		}
		if msg, ok := def.Missing[r]; ok {
			return apperr.New(apperr.Precondition, "%s", msg)
		}
		return apperr.New(apperr.Precondition, "尚未完成“%s”，不能进行“%s”", r.Label(), def.Label)
	}
	if d.Status == StatusRejected && slices.Index(stepOrder, step) > slices.Index(stepOrder, StepCollective) {
		return apperr.New(apperr.Precondition, "集体讨论决定未通过该决策，不能进行“%s”", def.Label)
	}
	return nil
}

var stepOrder = func() []Step {
	out := make([]Step, len(Procedure))
	for i, d := range Procedure {
		out[i] = d.Step
	}
	return out
}()

// stageOf is the first required step not yet satisfied.
func stageOf(steps map[Step]StepRecord) Step {
	for _, d := range Procedure {
		if d.Optional {
			continue
		}
		if !steps[d.Step].State.Satisfied() {
			return d.Step
		}
	}
	return StepArchive
}

// change is one write to a decision inside a transaction.
type change struct {
	s     *Service
	ctx   context.Context
	tx    *db.Tx
	a     *auth.Actor
	d     *Decision
	steps map[Step]StepRecord
}

func (c *change) put(step Step, state StepState, data any, fileIDs []int64, doneOn string) error {
	fileIDs = cleanIDs(fileIDs)
	if err := c.s.checkFiles(c.ctx, c.d.ID, fileIDs); err != nil {
		return err
	}
	r := StepRecord{Step: step, State: state, Data: mustJSON(data), FileIDs: cleanIDs(fileIDs), DoneOn: doneOn,
		RecordedBy: actorName(c.a), RecordedByID: c.a.UserID, RecordedAt: c.s.stamp(c.ctx)}
	if err := c.s.st.PutStep(c.ctx, c.tx, c.d.ID, r); err != nil {
		return err
	}
	c.steps[step] = r
	return nil
}

// checkFiles refuses evidence not attached to this decision.
func (s *Service) checkFiles(ctx context.Context, decisionID int64, ids []int64) error {
	if s.files == nil {
		return nil
	}
	for _, id := range ids {
		typ, owner, err := s.files.Owner(ctx, id)
		if err != nil || typ != SubjectType || owner != decisionID {
			return apperr.Field("file_ids", "文件 #%d 不存在或不属于本决策，请在本决策下上传佐证材料", id)
		}
	}
	return nil
}

func cleanIDs(ids []int64) []int64 {
	out := []int64{}
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// load reads a decision the actor may act on with perm.
func (s *Service) load(ctx context.Context, id int64, perm string) (*Decision, *auth.Actor, error) {
	a, err := auth.Require(ctx, perm)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.st.GetDecision(ctx, s.db, id)
	if err != nil {
		return nil, nil, notFound(err, "决策不存在")
	}
	if _, err := auth.RequireIn(ctx, perm, d.UnitPath); err != nil {
		return nil, nil, err
	}
	return &d, a, nil
}

// bodyUnit returns the decision body's unit: the one recorded at start,
// or for decisions recorded before it was kept, the unit named like the
// body.
func (s *Service) bodyUnit(ctx context.Context, d *Decision) (id int64, name, path string, err error) {
	if d.BodyUnitID != 0 {
		name, path, err = s.st.UnitRef(ctx, s.db, d.BodyUnitID)
		return d.BodyUnitID, name, path, err
	}
	return s.st.UnitNamed(ctx, d.DecisionBody)
}

// loadForBody loads decision id for a step the decision body takes in its
// own name (collective decision, party-committee report, publication;
// arts. 29–32): only an account acting for the body's unit (holding
// decision.certify for exactly that unit, auth.Actor.ActsFor) may record
// it, and never one of the responsible unit (决策承办单位), which does not
// certify its own decision.
func (s *Service) loadForBody(ctx context.Context, id int64, step Step) (*Decision, *auth.Actor, error) {
	a, err := auth.Require(ctx, PermCertify)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.st.GetDecision(ctx, s.db, id)
	if err != nil {
		return nil, nil, notFound(err, "决策不存在")
	}
	_, bodyName, bodyPath, err := s.bodyUnit(ctx, &d)
	if err != nil {
		return nil, nil, apperr.New(apperr.Precondition, "决策机关“%s”不是组织机构中的单位，无法确认由谁代表决策机关登记“%s”", d.DecisionBody, step.Label())
	}
	if !a.ActsFor(PermCertify, bodyPath) {
		if !a.CanIn(PermRead, d.UnitPath) {
			return nil, nil, apperr.New(apperr.NotFound, "记录不存在或无权查看")
		}
		return nil, nil, apperr.New(apperr.Forbidden, "“%s”由决策机关（%s）作出，只能由代表决策机关的账号（如政府办公室）登记", step.Label(), bodyName)
	}
	if a.Within(d.UnitPath) {
		return nil, nil, apperr.New(apperr.Forbidden, "决策承办单位（%s）不能登记本单位承办决策的“%s”，应由决策机关（%s）登记", d.UnitName, step.Label(), bodyName)
	}
	return &d, a, nil
}

// mutate runs fn on decision id in a transaction: it checks the actor's
// permission and scope, the version, that the decision is not archived,
// then writes the summary columns, the stage and an audit event.
func (s *Service) mutate(ctx context.Context, id int64, version int, perm, action string, fn func(c *change) (string, error)) (*Detail, error) {
	d, a, err := s.load(ctx, id, perm)
	if err != nil {
		return nil, err
	}
	return s.mutateLoaded(ctx, d, a, version, action, fn)
}

// mutateLoaded is mutate for a decision the caller has already loaded with
// s.load (and so checked the actor's permission and scope); it goes
// through the platform update path (update.Run): the version, then fn in
// the transaction, the versioned write (it still refuses a decision that
// changed since it was loaded) and the audit event with before and after.
func (s *Service) mutateLoaded(ctx context.Context, d *Decision, a *auth.Actor, version int, action string, fn func(c *change) (string, error)) (*Detail, error) {
	id := d.ID
	_, err := update.Run(ctx, s.db, int64(version), update.Update[*Decision]{
		Load:    func(context.Context, *db.Tx) (*Decision, error) { return d, nil },
		Version: func(d *Decision) int64 { return int64(d.Version) },
		Change: func(ctx context.Context, tx *db.Tx, d **Decision) (audit.Event, error) {
			if (*d).Status == StatusArchived {
				return audit.Event{}, apperr.New(apperr.Precondition, "决策已归档，不能再修改")
			}
			steps, err := s.st.ListSteps(ctx, tx, id)
			if err != nil {
				return audit.Event{}, err
			}
			c := &change{s: s, ctx: ctx, tx: tx, a: a, d: *d, steps: steps}
			summary, err := fn(c)
			if err != nil {
				return audit.Event{}, err
			}
			c.d.Stage = stageOf(c.steps)
			return audit.Event{Action: action, ObjectType: SubjectType, ObjectID: itoa(int(id)), UnitID: c.d.UnitID,
				Summary: c.d.Code + " " + c.d.Title + "：" + summary}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, d *Decision, loaded int64) (bool, error) {
			at := *d
			at.Version = int(loaded)
			return s.st.UpdateDecision(ctx, tx, at)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Decision) (*Decision, error) {
			d, err := s.st.GetDecision(ctx, tx, id)
			return &d, err
		},
	})
	if err != nil {
		return nil, err
	}
	return s.Detail(ctx, id)
}
