package decision

import (
	"context"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// ---- start ----

// StartInput starts a decision (决策启动).
type StartInput struct {
	Title           string `json:"title"`
	CatalogueItemID int64  `json:"catalogue_item_id" doc:"目录事项（目录外事项为 0）"`
	UnitID          int64  `json:"unit_id" doc:"决策承办单位"`
	DecisionBody    string `json:"decision_body" doc:"决策机关"`
	// DecisionBodyUnitID is the decision body's unit; 0 takes the unit of
	// the catalogue the item belongs to, or else the unit named DecisionBody.
	DecisionBodyUnitID int64  `json:"decision_body_unit_id" doc:"决策机关对应的单位（不填：目录的制定单位，或与决策机关同名的单位）"`
	StartedOn          string `json:"started_on"`
	Proposer           string `json:"proposer"`
	Reason             string `json:"reason"`
	Approver           string `json:"approver"`
}

// Start records the decision to start and names the responsible unit.
func (s *Service) Start(ctx context.Context, in StartInput) (*Detail, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	var v apperr.Fields
	checkText(&v, "title", "决策名称", in.Title, true, 200)
	checkText(&v, "decision_body", "决策机关", in.DecisionBody, in.DecisionBodyUnitID == 0 && in.CatalogueItemID == 0, 100)
	checkText(&v, "reason", "启动理由", in.Reason, true, 2000)
	checkText(&v, "approver", "决定启动的负责人或会议", in.Approver, true, 100)
	checkText(&v, "proposer", "建议提出方", in.Proposer, false, 100)
	s.checkDone(ctx, &v, "started_on", "启动日期", in.StartedOn, true)
	if in.UnitID == 0 {
		v.Add("unit_id", "请选择决策承办单位")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	_, path, err := s.st.UnitRef(ctx, s.db, in.UnitID)
	if err != nil {
		return nil, apperr.Field("unit_id", "决策承办单位不存在")
	}
	if _, err := auth.RequireIn(ctx, PermWrite, path); err != nil {
		return nil, err
	}
	bodyID := in.DecisionBodyUnitID
	if in.CatalogueItemID != 0 {
		it, err := s.st.GetItem(ctx, s.db, in.CatalogueItemID)
		if err != nil {
			return nil, apperr.Field("catalogue_item_id", "目录事项不存在")
		}
		cat, err := s.st.GetCatalogue(ctx, s.db, it.CatalogueID)
		if err != nil {
			return nil, err
		}
		switch cat.Status {
		case CatalogueDraft:
			return nil, apperr.New(apperr.Precondition, "“%s”尚未经党委同意并审定，不能据此启动决策", cat.Title)
		case CatalogueApproved:
			// Art. 3: the catalogue is published once the party committee
			// agrees; a matter is in the catalogue only from then.
			return nil, apperr.New(apperr.Precondition, "“%s”已审定但尚未向社会公布（第三条：目录经同级党委同意后向社会公布），不能据此启动决策", cat.Title)
		}
		if bodyID == 0 {
			bodyID = cat.UnitID
		}
	}
	var bodyName, bodyPath string
	if bodyID != 0 {
		if bodyName, bodyPath, err = s.st.UnitRef(ctx, s.db, bodyID); err != nil {
			return nil, apperr.Field("decision_body_unit_id", "决策机关对应的单位不存在")
		}
	} else if bodyID, bodyName, bodyPath, err = s.st.UnitNamed(ctx, strings.TrimSpace(in.DecisionBody)); err != nil {
		return nil, apperr.Field("decision_body", "决策机关“%s”不是组织机构中的单位，请选择决策机关", strings.TrimSpace(in.DecisionBody))
	}
	if bodyID == in.UnitID || strings.HasPrefix(bodyPath, path) {
		return nil, apperr.Field("unit_id", "决策承办单位不能是决策机关（%s）本身或其上级：集体讨论决定等由决策机关作出，承办单位不能认定自己承办的决策", bodyName)
	}
	if strings.TrimSpace(in.DecisionBody) == "" {
		in.DecisionBody = bodyName
	}
	started := in.StartedOn
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		year := started[:4]
		n, err := s.st.CountDecisionsInYear(ctx, tx, year)
		if err != nil {
			return err
		}
		d := Decision{Code: fmt.Sprintf("JC-%s-%03d", year, n+1), Title: strings.TrimSpace(in.Title), CatalogueItemID: in.CatalogueItemID, UnitID: in.UnitID,
			DecisionBody: strings.TrimSpace(in.DecisionBody), BodyUnitID: bodyID, Stage: StepDraft, Status: StatusActive, StartedOn: started, CreatedBy: actorName(a)}
		id, err = s.st.CreateDecision(ctx, tx, d)
		if err != nil {
			return err
		}
		d.ID = id
		c := &change{s: s, ctx: ctx, tx: tx, a: a, d: &d, steps: map[Step]StepRecord{}}
		if err := c.put(StepStart, StateDone, StartData{Proposer: in.Proposer, Reason: in.Reason, Approver: in.Approver}, nil, started); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "decision.start", ObjectType: SubjectType, ObjectID: itoa(int(id)), UnitID: in.UnitID,
			Summary: d.Code + " 启动决策：" + d.Title})
	})
	if err != nil {
		return nil, err
	}
	return s.Detail(ctx, id)
}

// ---- draft ----

// DraftInput records the draft (拟订决策草案).
type DraftInput struct {
	Version int `json:"version"`
	DraftData
	DoneOn  string  `json:"done_on"`
	FileIDs []int64 `json:"file_ids"`
}

// RecordDraft records the draft with its options and cost-benefit notes.
func (s *Service) RecordDraft(ctx context.Context, id int64, in DraftInput) (*Detail, error) {
	var v apperr.Fields
	in.Options = cleanList(in.Options)
	if len(in.Options) == 0 {
		v.Add("options", "请至少填写一个决策方案")
	}
	checkText(&v, "summary", "草案主要内容", in.Summary, true, 5000)
	checkText(&v, "cost_benefit", "成本效益分析", in.CostBenefit, true, 5000)
	s.checkDone(ctx, &v, "done_on", "完成日期", in.DoneOn, true)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.draft", func(c *change) (string, error) {
		if err := gate(c.d, c.steps, StepDraft); err != nil {
			return "", err
		}
		if c.steps[StepLegalReview].State != "" {
			return "", apperr.New(apperr.Precondition, "草案已送合法性审查，不能再修改草案")
		}
		return "拟订决策草案", c.put(StepDraft, StateDone, in.DraftData, in.FileIDs, in.DoneOn)
	})
}
