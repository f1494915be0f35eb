package decision

import (
	"context"
	"fmt"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/db"
)

// ---- archive ----

// ArchiveInput archives the decision.
type ArchiveInput struct {
	Version   int    `json:"version"`
	ArchiveNo string `json:"archive_no" doc:"档号"`
	Keeper    string `json:"keeper" doc:"立卷人"`
}

// Archive closes the file once the decision is published (art. 33).
func (s *Service) Archive(ctx context.Context, id int64, in ArchiveInput) (*Detail, error) {
	var v apperr.Fields
	checkText(&v, "archive_no", "档号", in.ArchiveNo, true, 100)
	checkText(&v, "keeper", "立卷人", in.Keeper, true, 50)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.archive", func(c *change) (string, error) {
		if err := gate(c.d, c.steps, StepArchive); err != nil {
			return "", err
		}
		c.d.Status, c.d.ArchivedOn = StatusArchived, s.today(ctx).String()
		return "立卷归档（档号 " + in.ArchiveNo + "）", c.put(StepArchive, StateDone, ArchiveData{ArchiveNo: in.ArchiveNo, Keeper: in.Keeper}, nil, c.d.ArchivedOn)
	})
}

// ---- evidence ----

// EvidenceInput attaches more evidence files to a recorded step.
type EvidenceInput struct {
	Version int     `json:"version"`
	Step    Step    `json:"step"`
	FileIDs []int64 `json:"file_ids"`
}

// AttachEvidence adds files (uploaded to this decision) to a step already
// recorded; files are uploaded after the record exists, so every step can
// hold its evidence.
func (s *Service) AttachEvidence(ctx context.Context, id int64, in EvidenceInput) (*Detail, error) {
	if _, ok := Def(in.Step); !ok {
		return nil, apperr.Field("step", "没有名为“%s”的程序步骤", in.Step)
	}
	if len(cleanIDs(in.FileIDs)) == 0 {
		return nil, apperr.Field("file_ids", "请选择要归入的佐证材料")
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.evidence", func(c *change) (string, error) {
		rec, ok := c.steps[in.Step]
		if !ok {
			return "", apperr.New(apperr.Precondition, "“%s”尚未登记，不能归入佐证材料", in.Step.Label())
		}
		add := cleanIDs(in.FileIDs)
		if err := s.checkFiles(c.ctx, c.d.ID, add); err != nil {
			return "", err
		}
		// The step keeps its original recorder; the audit event names who
		// added the files.
		rec.FileIDs = cleanIDs(append(rec.FileIDs, add...))
		c.steps[in.Step] = rec
		return fmt.Sprintf("“%s”增加佐证材料 %d 份", in.Step.Label(), len(add)), s.st.PutStep(c.ctx, c.tx, c.d.ID, rec)
	})
}

// ---- corrections ----

// CorrectionInput records a correction by a higher authority.
type CorrectionInput struct {
	Authority   string `json:"authority" doc:"纠错机关"`
	CorrectedOn string `json:"corrected_on"`
	Kind        string `json:"kind" doc:"纠错方式，如 撤销、责令改正"`
	Description string `json:"description"`
}

// AddCorrection records that a higher authority corrected the decision (the
// records behind decision.corrected_count). Allowed in any state.
func (s *Service) AddCorrection(ctx context.Context, id int64, in CorrectionInput) (*Detail, error) {
	d, a, err := s.load(ctx, id, PermApprove)
	if err != nil {
		return nil, err
	}
	var v apperr.Fields
	checkText(&v, "authority", "纠错机关", in.Authority, true, 100)
	s.checkDone(ctx, &v, "corrected_on", "纠错日期", in.CorrectedOn, true)
	checkText(&v, "kind", "纠错方式", in.Kind, true, 50)
	checkText(&v, "description", "纠错内容", in.Description, true, 5000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		c := Correction{DecisionID: id, Authority: in.Authority, CorrectedOn: in.CorrectedOn, Kind: in.Kind, Description: in.Description, RecordedBy: actorName(a), RecordedAt: s.stamp(ctx)}
		if _, err := s.st.InsertCorrection(ctx, tx, c); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "decision.correction", ObjectType: SubjectType, ObjectID: itoa(int(id)), UnitID: d.UnitID,
			Summary: d.Code + " 被" + in.Authority + in.Kind, After: c})
	})
	if err != nil {
		return nil, err
	}
	return s.Detail(ctx, id)
}

// Authorize lets the evidence store check access to a decision's files:
// the actor needs perm over the decision's unit. It returns that unit.
func (s *Service) Authorize(ctx context.Context, id int64, perm string) (int64, error) {
	d, _, err := s.load(ctx, id, perm)
	if err != nil {
		return 0, err
	}
	if perm == PermWrite && d.Status == StatusArchived {
		return 0, apperr.New(apperr.Precondition, "决策已归档，不能再上传佐证材料")
	}
	return d.UnitID, nil
}
