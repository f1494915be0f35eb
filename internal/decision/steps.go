package decision

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
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
		RecordedBy: actorName(c.a), RecordedByID: c.a.UserID, RecordedAt: c.s.stamp()}
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
// s.load (and so checked the actor's permission and scope); the versioned
// update still refuses it if it changed since.
func (s *Service) mutateLoaded(ctx context.Context, d *Decision, a *auth.Actor, version int, action string, fn func(c *change) (string, error)) (*Detail, error) {
	id := d.ID
	if err := update.RequireVersion(int64(version)); err != nil {
		return nil, err
	}
	if version != d.Version {
		return nil, update.Conflict()
	}
	if d.Status == StatusArchived {
		return nil, apperr.New(apperr.Precondition, "决策已归档，不能再修改")
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		steps, err := s.st.ListSteps(ctx, tx, id)
		if err != nil {
			return err
		}
		c := &change{s: s, ctx: ctx, tx: tx, a: a, d: d, steps: steps}
		summary, err := fn(c)
		if err != nil {
			return err
		}
		c.d.Stage = stageOf(c.steps)
		if err := s.st.UpdateDecision(ctx, tx, *c.d); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: action, ObjectType: SubjectType, ObjectID: itoa(int(id)), UnitID: d.UnitID,
			Summary: d.Code + " " + d.Title + "：" + summary})
	})
	if err != nil {
		return nil, err
	}
	return s.Detail(ctx, id)
}

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
	s.checkDone(&v, "started_on", "启动日期", in.StartedOn, false)
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
	started := orToday(s, in.StartedOn)
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
	s.checkDone(&v, "done_on", "完成日期", in.DoneOn, false)
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
		return "拟订决策草案", c.put(StepDraft, StateDone, in.DraftData, in.FileIDs, orToday(s, in.DoneOn))
	})
}

// ---- public consultation ----

// ConsultationInput opens public consultation.
type ConsultationInput struct {
	Version      int      `json:"version"`
	Channels     []string `json:"channels" doc:"征求意见途径"`
	Summary      string   `json:"summary" doc:"向社会公开的草案及说明"`
	CommentStart string   `json:"comment_start"`
	CommentEnd   string   `json:"comment_end"`
	ShortReason  string   `json:"short_reason" doc:"期限少于30日的理由"`
	FileIDs      []int64  `json:"file_ids"`
}

// CommentWindow computes the earliest lawful end of a comment period
// starting on start, by the calendar rule decision.public_comment.
func (s *Service) CommentWindow(start calendar.Date) (minEnd calendar.Date, explanation string, err error) {
	rule, err := s.rules.Get(RuleComment)
	if err != nil {
		return calendar.Date{}, "", err
	}
	var clock calendar.Clock
	if err := clock.Start(rule, start); err != nil {
		return calendar.Date{}, "", err
	}
	due, err := clock.Due(s.cal)
	if err != nil {
		return calendar.Date{}, "", err
	}
	expl, err := clock.Explain(s.cal)
	return due, expl, err
}

// OpenConsultation publishes the draft on the portal for comment. The
// period runs at least until the date given by decision.public_comment; a
// shorter one needs a recorded reason (art. 15).
func (s *Service) OpenConsultation(ctx context.Context, id int64, in ConsultationInput) (*Detail, error) {
	var v apperr.Fields
	in.Channels = cleanList(in.Channels)
	if len(in.Channels) == 0 {
		v.Add("channels", "请填写征求意见途径")
	}
	checkText(&v, "summary", "公开的草案说明", in.Summary, true, 10000)
	checkDate(&v, "comment_start", "征求意见开始日期", in.CommentStart, true)
	checkDate(&v, "comment_end", "征求意见截止日期", in.CommentEnd, true)
	checkText(&v, "short_reason", "期限少于30日的理由", in.ShortReason, false, 1000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	start, end := calendar.MustDate(in.CommentStart), calendar.MustDate(in.CommentEnd)
	if !end.After(start) {
		return nil, apperr.Field("comment_end", "征求意见截止日期应晚于开始日期")
	}
	minEnd, expl, err := s.CommentWindow(start)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(in.ShortReason)
	if end.Before(minEnd) && reason == "" {
		return nil, apperr.New(apperr.Precondition, "公开征求意见期限不得少于30日（自 %s 起算，最早截止于 %s）；期限更短的，须说明理由", start, minEnd)
	}
	if !end.Before(minEnd) {
		reason = ""
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.consultation.open", func(c *change) (string, error) {
		if err := gate(c.d, c.steps, StepConsultation); err != nil {
			return "", err
		}
		if st := c.steps[StepConsultation].State; st != "" {
			return "", apperr.New(apperr.Precondition, "公众参与已%s，不能重新发布", st.Label())
		}
		data := ConsultationData{Channels: in.Channels, Summary: in.Summary, CommentStart: start.String(), CommentEnd: end.String(),
			MinimumEnd: minEnd.String(), Rule: RuleComment, Explanation: expl, ShortReason: reason}
		c.d.Consultation, c.d.CommentStart, c.d.CommentEnd, c.d.PublicSummary = ConsultOpen, data.CommentStart, data.CommentEnd, in.Summary
		return fmt.Sprintf("公开征求意见 %s 至 %s", start, end), c.put(StepConsultation, StateInProgress, data, in.FileIDs, "")
	})
}

// CloseInput ends consultation and publishes feedback.
type CloseInput struct {
	Version  int     `json:"version"`
	Feedback string  `json:"feedback" doc:"意见采纳情况（向社会反馈）"`
	DoneOn   string  `json:"done_on"`
	FileIDs  []int64 `json:"file_ids"`
}

// CloseConsultation records feedback on what was adopted, once the period
// has run, and publishes it on the portal.
func (s *Service) CloseConsultation(ctx context.Context, id int64, in CloseInput) (*Detail, error) {
	var v apperr.Fields
	checkText(&v, "feedback", "意见采纳情况", in.Feedback, true, 10000)
	s.checkDone(&v, "done_on", "反馈日期", in.DoneOn, false)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.consultation.close", func(c *change) (string, error) {
		rec := c.steps[StepConsultation]
		if rec.State != StateInProgress {
			return "", apperr.New(apperr.Precondition, "尚未公开征求意见，不能反馈意见采纳情况")
		}
		if !s.today().After(calendar.MustDate(c.d.CommentEnd)) {
			return "", apperr.New(apperr.Precondition, "征求意见期限至 %s 届满，期满后方可结束征求意见并反馈采纳情况", c.d.CommentEnd)
		}
		var data ConsultationData
		if err := unmarshal(rec.Data, &data); err != nil {
			return "", err
		}
		n, err := s.st.CountComments(c.ctx, c.tx, c.d.ID)
		if err != nil {
			return "", err
		}
		data.Feedback, data.CommentCount = in.Feedback, n
		c.d.Consultation, c.d.PublicFeedback = ConsultClosed, in.Feedback
		files := append(rec.FileIDs, in.FileIDs...)
		return fmt.Sprintf("结束征求意见（收到意见 %d 条）并反馈采纳情况", n), c.put(StepConsultation, StateDone, data, files, orToday(s, in.DoneOn))
	})
}

// SkipInput marks a skippable step not required.
type SkipInput struct {
	Version int    `json:"version"`
	Step    Step   `json:"step" enum:"consultation,expert,risk"`
	Reason  string `json:"reason"`
}

// Skip marks consultation, expert review or risk assessment as not required,
// with the reason the regulation allows.
func (s *Service) Skip(ctx context.Context, id int64, in SkipInput) (*Detail, error) {
	def, ok := Def(in.Step)
	if !ok || !def.Skippable {
		return nil, apperr.Field("step", "“%s”不能标记为无需进行", in.Step.Label())
	}
	var v apperr.Fields
	checkText(&v, "reason", "无需进行的理由", in.Reason, true, 2000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision."+string(in.Step)+".skip", func(c *change) (string, error) {
		if err := gate(c.d, c.steps, in.Step); err != nil {
			return "", err
		}
		if st := c.steps[in.Step].State; st != "" {
			return "", apperr.New(apperr.Precondition, "“%s”已%s，不能再标记为无需进行", def.Label, st.Label())
		}
		var data any
		switch in.Step {
		case StepConsultation:
			data = ConsultationData{SkipReason: in.Reason}
		case StepExpert:
			data = ExpertData{SkipReason: in.Reason}
		default:
			data = RiskData{SkipReason: in.Reason}
		}
		return def.Label + "无需进行：" + in.Reason, c.put(in.Step, StateNotRequired, data, nil, s.today().String())
	})
}

// ---- expert review ----

// OpinionInput records one expert's signed written opinion.
type OpinionInput struct {
	Version          int     `json:"version"`
	ExpertID         int64   `json:"expert_id"`
	ConflictDeclared bool    `json:"conflict_declared" doc:"专家声明存在利害关系"`
	ConflictNote     string  `json:"conflict_note"`
	Opinion          string  `json:"opinion"`
	Signed           bool    `json:"signed" doc:"书面意见已由专家署名"`
	SignedOn         string  `json:"signed_on"`
	FileIDs          []int64 `json:"file_ids"`
}

// AddOpinion records an expert opinion. Experts must be neutral (art. 20):
// an expert from the responsible unit, or one who declared a conflict of
// interest, is refused.
func (s *Service) AddOpinion(ctx context.Context, id int64, in OpinionInput) (*Detail, error) {
	var v apperr.Fields
	if in.ExpertID == 0 {
		v.Add("expert_id", "请从专家库选择专家")
	}
	checkText(&v, "opinion", "论证意见", in.Opinion, true, 10000)
	s.checkDone(&v, "signed_on", "署名日期", in.SignedOn, true)
	checkText(&v, "conflict_note", "利害关系说明", in.ConflictNote, false, 1000)
	if !in.Signed {
		v.Add("signed", "专家书面论证意见须经专家本人署名")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	e, err := s.st.GetExpert(ctx, s.db, in.ExpertID)
	if err != nil {
		return nil, apperr.Field("expert_id", "专家库中没有该专家")
	}
	if !e.Active {
		return nil, apperr.Field("expert_id", "专家%s已停用", e.Name)
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.expert.opinion", func(c *change) (string, error) {
		if err := gate(c.d, c.steps, StepExpert); err != nil {
			return "", err
		}
		if st := c.steps[StepExpert].State; st.Satisfied() {
			return "", apperr.New(apperr.Precondition, "专家论证已%s，不能再增加意见", st.Label())
		}
		if in.ConflictDeclared {
			return "", apperr.New(apperr.Precondition, "专家%s声明与决策事项存在利害关系，应当回避，不得参加论证", e.Name)
		}
		if (e.UnitID != 0 && e.UnitID == c.d.UnitID) || (e.Employer != "" && sameBody(e.Employer, c.d.UnitName)) {
			return "", apperr.New(apperr.Precondition, "专家%s来自决策承办单位（%s），与决策事项存在利害关系，不得参加论证", e.Name, c.d.UnitName)
		}
		if err := s.checkFiles(c.ctx, c.d.ID, cleanIDs(in.FileIDs)); err != nil {
			return "", err
		}
		o := ExpertOpinion{DecisionID: c.d.ID, ExpertID: e.ID, ConflictNote: in.ConflictNote, Opinion: in.Opinion, SignedOn: in.SignedOn,
			FileIDs: cleanIDs(in.FileIDs), RecordedBy: actorName(c.a), RecordedAt: s.stamp()}
		if _, err := s.st.InsertOpinion(c.ctx, c.tx, o); err != nil {
			return "", err
		}
		if c.steps[StepExpert].State == "" {
			if err := c.put(StepExpert, StateInProgress, ExpertData{}, nil, ""); err != nil {
				return "", err
			}
		}
		return "登记专家" + e.Name + "的论证意见", nil
	})
}

// CompleteExpertInput finishes expert review.
type CompleteExpertInput struct {
	Version int     `json:"version"`
	Summary string  `json:"summary" doc:"论证意见综述及采纳情况"`
	DoneOn  string  `json:"done_on"`
	FileIDs []int64 `json:"file_ids"`
}

// CompleteExpert finishes expert review (at least one signed opinion).
func (s *Service) CompleteExpert(ctx context.Context, id int64, in CompleteExpertInput) (*Detail, error) {
	var v apperr.Fields
	checkText(&v, "summary", "论证意见综述", in.Summary, true, 5000)
	s.checkDone(&v, "done_on", "完成日期", in.DoneOn, false)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.expert.complete", func(c *change) (string, error) {
		if c.steps[StepExpert].State != StateInProgress {
			return "", apperr.New(apperr.Precondition, "尚未登记专家书面论证意见，不能完成专家论证")
		}
		return "完成专家论证", c.put(StepExpert, StateDone, ExpertData{Summary: in.Summary}, in.FileIDs, orToday(s, in.DoneOn))
	})
}

// ---- risk assessment ----

// RiskInput records the risk assessment.
type RiskInput struct {
	Version int `json:"version"`
	RiskData
	DoneOn  string  `json:"done_on"`
	FileIDs []int64 `json:"file_ids"`
}

// RecordRisk records the risk report with risk points, measures and the
// contingency plan (art. 22–24).
func (s *Service) RecordRisk(ctx context.Context, id int64, in RiskInput) (*Detail, error) {
	var v apperr.Fields
	if in.AssessorID != 0 {
		// A third party: the pool's record names it.
		org, err := s.poolOrg(ctx, "assessor_id", "评估机构", in.AssessorID)
		if err != nil {
			return nil, err
		}
		in.Assessor = org.Name
	}
	checkText(&v, "assessor", "评估机构", in.Assessor, true, 100)
	checkText(&v, "report", "评估报告摘要", in.Report, true, 10000)
	in.RiskPoints, in.Measures = cleanList(in.RiskPoints), cleanList(in.Measures)
	if len(in.RiskPoints) == 0 {
		v.Add("risk_points", "请列明风险点")
	}
	if len(in.Measures) == 0 {
		v.Add("measures", "请列明防范化解措施")
	}
	checkText(&v, "contingency_plan", "处置预案", in.ContingencyPlan, true, 10000)
	if !slices.Contains([]string{"低", "中", "高"}, in.Level) {
		v.Add("level", "风险等级应为 低、中 或 高")
	}
	s.checkDone(&v, "done_on", "评估完成日期", in.DoneOn, false)
	if err := v.Err(); err != nil {
		return nil, err
	}
	in.SkipReason = ""
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.risk", func(c *change) (string, error) {
		if err := gate(c.d, c.steps, StepRisk); err != nil {
			return "", err
		}
		if c.steps[StepRisk].State.Satisfied() {
			return "", apperr.New(apperr.Precondition, "风险评估%s，不得重复评估", c.steps[StepRisk].State.Label())
		}
		return "风险评估（" + in.Level + "风险，评估机构：" + in.Assessor + "）", c.put(StepRisk, StateDone, in.RiskData, in.FileIDs, orToday(s, in.DoneOn))
	})
}

// ---- legality review ----

// SubmitReviewInput sends the draft to legality review.
type SubmitReviewInput struct {
	Version int     `json:"version"`
	Summary string  `json:"summary" doc:"送审说明"`
	FileIDs []int64 `json:"file_ids"`
}

// SubmitLegalReview opens a legality review in the legalreview module. The
// draft, public participation, expert review and risk assessment must be
// done (or lawfully not required) first.
func (s *Service) SubmitLegalReview(ctx context.Context, id int64, in SubmitReviewInput) (*Detail, error) {
	d, a, err := s.load(ctx, id, PermWrite)
	if err != nil {
		return nil, err
	}
	if err := update.RequireVersion(int64(in.Version)); err != nil {
		return nil, err
	}
	if in.Version != d.Version {
		return nil, update.Conflict()
	}
	var v apperr.Fields
	checkText(&v, "summary", "送审说明", in.Summary, true, 5000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	steps, err := s.st.ListSteps(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if err := gate(d, steps, StepLegalReview); err != nil {
		return nil, err
	}
	if d.LegalReviewStatus == ReviewPending || ReviewPassedStatus(d.LegalReviewStatus) {
		return nil, apperr.New(apperr.Precondition, "合法性审查%s，不能重复送审", ReviewLabel(d.LegalReviewStatus))
	}
	if s.review == nil {
		return nil, apperr.New(apperr.Unavailable, "合法性审查模块未启用")
	}
	if err := s.checkFiles(ctx, id, cleanIDs(in.FileIDs)); err != nil {
		return nil, err
	}
	// The review is opened outside this module's transaction: legalreview
	// writes its own records (and SQLite has one writer).
	reviewID, err := s.review.Open(ctx, ReviewRequest{Title: d.Title, UnitID: d.UnitID, SubjectID: d.ID, Summary: in.Summary, FileIDs: cleanIDs(in.FileIDs)})
	if err != nil {
		return nil, err
	}
	return s.mutateLoaded(ctx, d, a, in.Version, "decision.legal_review.submit", func(c *change) (string, error) {
		c.d.LegalReviewID, c.d.LegalReviewStatus = reviewID, ReviewPending
		data := LegalReviewData{ReviewID: reviewID, Summary: in.Summary, SubmittedOn: s.today().String(), Status: ReviewPending}
		return fmt.Sprintf("送请合法性审查（审查 #%d）", reviewID), c.put(StepLegalReview, StateInProgress, data, in.FileIDs, "")
	})
}

// VersionInput carries only the version.
type VersionInput struct {
	Version int `json:"version"`
}

// RefreshLegalReview records the latest legality-review outcome.
func (s *Service) RefreshLegalReview(ctx context.Context, id int64, in VersionInput) (*Detail, error) {
	d, a, err := s.load(ctx, id, PermWrite)
	if err != nil {
		return nil, err
	}
	if d.LegalReviewID == 0 {
		return nil, apperr.New(apperr.Precondition, "尚未送请合法性审查")
	}
	out, err := s.outcome(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.mutateLoaded(ctx, d, a, in.Version, "decision.legal_review.outcome", func(c *change) (string, error) {
		return "合法性审查结论：" + ReviewLabel(out.Status), c.applyOutcome(out)
	})
}

func (c *change) applyOutcome(out ReviewOutcome) error {
	rec := c.steps[StepLegalReview]
	var data LegalReviewData
	_ = unmarshal(rec.Data, &data)
	if out.ReviewID != 0 {
		data.ReviewID, c.d.LegalReviewID = out.ReviewID, out.ReviewID
	}
	data.Status, data.FinishedOn = out.Status, out.FinishedOn
	c.d.LegalReviewStatus = out.Status
	state, done := StateInProgress, ""
	if ReviewPassedStatus(out.Status) {
		state, done = StateDone, out.FinishedOn
	}
	if out.Status == ReviewNone {
		state = ""
	}
	if state == "" {
		return nil
	}
	return c.put(StepLegalReview, state, data, rec.FileIDs, done)
}

func (s *Service) outcome(ctx context.Context, id int64) (ReviewOutcome, error) {
	if s.review == nil {
		return ReviewOutcome{Status: ReviewNone}, nil
	}
	return s.review.Outcome(ctx, SubjectType, id)
}

// ---- collective decision ----

// CollectiveInput records the collective decision.
type CollectiveInput struct {
	Version         int      `json:"version"`
	MeetingType     string   `json:"meeting_type" enum:"常务会议,全体会议"`
	MeetingName     string   `json:"meeting_name"`
	MeetingOn       string   `json:"meeting_on"`
	Attendees       []string `json:"attendees"`
	Votes           []Vote   `json:"votes"`
	HeadName        string   `json:"head_name"`
	HeadDecision    string   `json:"head_decision" enum:"adopt,adopt_amended,reject,defer"`
	DepartureReason string   `json:"departure_reason"`
	Dissent         []string `json:"dissent"`
	FileIDs         []int64  `json:"file_ids"`
}

// HeadDecisionLabel names the head's decision.
func HeadDecisionLabel(s string) string {
	switch s {
	case "adopt":
		return "通过"
	case "adopt_amended":
		return "修改后通过"
	case "reject":
		return "不予通过"
	case "defer":
		return "暂缓决定"
	}
	return s
}

// RecordCollective records the meeting that decides (art. 29–30). It is
// refused unless the latest legality review passed (art. 28).
func (s *Service) RecordCollective(ctx context.Context, id int64, in CollectiveInput) (*Detail, error) {
	d, a, err := s.loadForBody(ctx, id, StepCollective)
	if err != nil {
		return nil, err
	}
	// The gate asks legalreview for the latest outcome, not a cached copy.
	out, err := s.outcome(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ReviewPassedStatus(out.Status) {
		return nil, apperr.New(apperr.Precondition, "%s", MsgNoLegalReview)
	}
	var v apperr.Fields
	if in.MeetingType != "常务会议" && in.MeetingType != "全体会议" {
		v.Add("meeting_type", "会议类型应为政府常务会议或全体会议")
	}
	checkText(&v, "meeting_name", "会议名称", in.MeetingName, true, 100)
	s.checkDone(&v, "meeting_on", "会议日期", in.MeetingOn, true)
	in.Attendees = cleanList(in.Attendees)
	if len(in.Attendees) < 2 {
		v.Add("attendees", "请填写出席会议人员")
	}
	checkText(&v, "head_name", "行政首长", in.HeadName, true, 50)
	if !slices.Contains([]string{"adopt", "adopt_amended", "reject", "defer"}, in.HeadDecision) {
		v.Add("head_decision", "请选择行政首长的决定")
	}
	agree, disagree := 0, 0
	for i, vt := range in.Votes {
		vt.Name = strings.TrimSpace(vt.Name)
		in.Votes[i] = vt
		if vt.Name == "" {
			v.Add(fmt.Sprintf("votes[%d].name", i), "第 %d 条意见缺少发言人", i+1)
		}
		if vt.Name != "" && vt.Name == strings.TrimSpace(in.HeadName) {
			v.Add(fmt.Sprintf("votes[%d].name", i), "行政首长应当最后发表意见，其决定请填写在“行政首长决定”中")
		}
		switch vt.Opinion {
		case "agree":
			agree++
		case "disagree":
			disagree++
			if !slices.Contains(in.Dissent, vt.Name+"："+vt.Note) {
				in.Dissent = append(in.Dissent, strings.TrimRight(vt.Name+"："+vt.Note, "："))
			}
		case "abstain":
		default:
			v.Add(fmt.Sprintf("votes[%d].opinion", i), "第 %d 条意见应为同意、不同意或保留", i+1)
		}
	}
	if len(in.Votes) == 0 {
		v.Add("votes", "请按发言顺序记录与会人员意见")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	adopts := in.HeadDecision == "adopt" || in.HeadDecision == "adopt_amended"
	departs := (adopts && disagree > agree) || (in.HeadDecision == "reject" && agree > disagree)
	if departs && strings.TrimSpace(in.DepartureReason) == "" {
		return nil, apperr.Field("departure_reason", "行政首长的决定与会议组成人员多数人的意见不一致，应当在会上说明理由")
	}
	return s.mutateLoaded(ctx, d, a, in.Version, "decision.collective", func(c *change) (string, error) {
		if err := c.applyOutcome(out); err != nil {
			return "", err
		}
		if err := gate(c.d, c.steps, StepCollective); err != nil {
			return "", err
		}
		if st := c.steps[StepCollective].State; st == StateDone {
			return "", apperr.New(apperr.Precondition, "集体讨论决定已经登记")
		}
		if in.MeetingOn < c.steps[StepLegalReview].DoneOn {
			return "", apperr.Field("meeting_on", "会议日期不能早于合法性审查完成日期 %s", c.steps[StepLegalReview].DoneOn)
		}
		data := CollectiveData{MeetingType: in.MeetingType, MeetingName: in.MeetingName, MeetingOn: in.MeetingOn, Attendees: in.Attendees, Votes: in.Votes,
			HeadName: in.HeadName, HeadDecision: in.HeadDecision, DepartureReason: in.DepartureReason, Dissent: cleanList(in.Dissent),
			ReviewStatus: out.Status, ReviewID: out.ReviewID}
		state := StateDone
		switch in.HeadDecision {
		case "reject":
			c.d.Status = StatusRejected
		case "defer":
			state = StateInProgress
		}
		if state == StateDone {
			c.d.CollectiveOn, c.d.CollectiveReview = in.MeetingOn, out.Status
		}
		return in.MeetingName + "：" + in.HeadName + HeadDecisionLabel(in.HeadDecision), c.put(StepCollective, state, data, in.FileIDs, in.MeetingOn)
	})
}

// ---- party committee report ----

// PartyReportInput records the report to the party committee.
type PartyReportInput struct {
	Version int `json:"version"`
	PartyReportData
	FileIDs []int64 `json:"file_ids"`
}

// RecordPartyReport records the 党委请示报告 made before the decision is
// issued (art. 31).
func (s *Service) RecordPartyReport(ctx context.Context, id int64, in PartyReportInput) (*Detail, error) {
	var v apperr.Fields
	checkText(&v, "committee", "请示报告的党委", in.Committee, true, 100)
	s.checkDone(&v, "reported_on", "请示报告日期", in.ReportedOn, true)
	checkText(&v, "doc_no", "请示文号", in.DocNo, false, 100)
	checkText(&v, "reply", "党委意见", in.Reply, true, 2000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	d, a, err := s.loadForBody(ctx, id, StepPartyReport)
	if err != nil {
		return nil, err
	}
	return s.mutateLoaded(ctx, d, a, in.Version, "decision.party_report", func(c *change) (string, error) {
		if err := gate(c.d, c.steps, StepPartyReport); err != nil {
			return "", err
		}
		if c.steps[StepPublication].State != "" {
			return "", apperr.New(apperr.Precondition, "决策已公布，不能再修改党委请示报告")
		}
		if in.ReportedOn < c.d.CollectiveOn {
			return "", apperr.Field("reported_on", "请示报告日期不能早于集体讨论日期 %s", c.d.CollectiveOn)
		}
		return "向" + in.Committee + "请示报告", c.put(StepPartyReport, StateDone, in.PartyReportData, in.FileIDs, in.ReportedOn)
	})
}

// ---- publication ----

// PublicationInput publishes the decision.
type PublicationInput struct {
	Version int `json:"version"`
	PublicationData
	FileIDs []int64 `json:"file_ids"`
}

// Publish records the decision's publication (art. 32). Refused before the
// collective decision and the party-committee report.
func (s *Service) Publish(ctx context.Context, id int64, in PublicationInput) (*Detail, error) {
	var v apperr.Fields
	s.checkDone(&v, "published_on", "公布日期", in.PublishedOn, true)
	in.Channels = cleanList(in.Channels)
	if len(in.Channels) == 0 {
		v.Add("channels", "请填写公布途径（政府公报、政府网站、报刊等）")
	}
	checkText(&v, "doc_no", "文号", in.DocNo, false, 100)
	checkText(&v, "adoption_note", "意见采纳情况说明", in.AdoptionNote, true, 5000)
	checkText(&v, "text", "公布内容", in.Text, true, 20000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	d, a, err := s.loadForBody(ctx, id, StepPublication)
	if err != nil {
		return nil, err
	}
	return s.mutateLoaded(ctx, d, a, in.Version, "decision.publish", func(c *change) (string, error) {
		if err := gate(c.d, c.steps, StepPublication); err != nil {
			return "", err
		}
		if c.steps[StepPublication].State == StateDone {
			return "", apperr.New(apperr.Precondition, "决策已经公布")
		}
		if in.PublishedOn < c.steps[StepPartyReport].DoneOn {
			return "", apperr.Field("published_on", "公布日期不能早于党委请示报告日期 %s", c.steps[StepPartyReport].DoneOn)
		}
		c.d.Status, c.d.PublishedOn, c.d.PublicText = StatusPublished, in.PublishedOn, in.Text
		return "公布决策（" + strings.Join(in.Channels, "、") + "）", c.put(StepPublication, StateDone, in.PublicationData, in.FileIDs, in.PublishedOn)
	})
}

// ---- implementation ----

// ImplementationInput names the executing unit.
type ImplementationInput struct {
	Version int `json:"version"`
	ImplementationData
	FileIDs []int64 `json:"file_ids"`
}

// RecordImplementation names the execution unit and its supervisor (art. 34).
func (s *Service) RecordImplementation(ctx context.Context, id int64, in ImplementationInput) (*Detail, error) {
	var v apperr.Fields
	checkText(&v, "execution_unit", "决策执行单位", in.ExecutionUnit, true, 100)
	checkText(&v, "supervisor", "督促检查单位", in.Supervisor, false, 100)
	checkText(&v, "plan", "执行方案", in.Plan, true, 5000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.implementation", func(c *change) (string, error) {
		if err := gate(c.d, c.steps, StepImplementation); err != nil {
			return "", err
		}
		return "明确执行单位：" + in.ExecutionUnit, c.put(StepImplementation, StateDone, in.ImplementationData, in.FileIDs, s.today().String())
	})
}

// ProgressInput is one progress report.
type ProgressInput struct {
	Version    int     `json:"version"`
	ReportedOn string  `json:"reported_on"`
	Content    string  `json:"content"`
	Percent    int     `json:"percent"`
	FileIDs    []int64 `json:"file_ids"`
}

// AddProgress records an implementation progress report.
func (s *Service) AddProgress(ctx context.Context, id int64, in ProgressInput) (*Detail, error) {
	var v apperr.Fields
	s.checkDone(&v, "reported_on", "报告日期", in.ReportedOn, true)
	checkText(&v, "content", "执行情况", in.Content, true, 5000)
	if in.Percent < 0 || in.Percent > 100 {
		v.Add("percent", "完成进度应在 0 到 100 之间")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.progress", func(c *change) (string, error) {
		if c.steps[StepImplementation].State != StateDone {
			return "", apperr.New(apperr.Precondition, "尚未明确决策执行单位，不能报告执行情况")
		}
		if err := s.checkFiles(c.ctx, c.d.ID, cleanIDs(in.FileIDs)); err != nil {
			return "", err
		}
		p := ProgressReport{DecisionID: c.d.ID, ReportedOn: in.ReportedOn, Content: in.Content, Percent: in.Percent, FileIDs: cleanIDs(in.FileIDs),
			RecordedBy: actorName(c.a), RecordedAt: s.stamp()}
		_, err := s.st.InsertProgress(c.ctx, c.tx, p)
		return fmt.Sprintf("执行情况报告（%d%%）", in.Percent), err
	})
}

// ---- post-decision evaluation ----

// EvaluationInput records a post-decision evaluation.
type EvaluationInput struct {
	Version int `json:"version"`
	EvaluationData
	DoneOn  string  `json:"done_on"`
	FileIDs []int64 `json:"file_ids"`
}

// RecordEvaluation records the post-decision evaluation. The third party
// must not be one that assessed the decision before (art. 36): the risk
// assessor or an expert's institution.
func (s *Service) RecordEvaluation(ctx context.Context, id int64, in EvaluationInput) (*Detail, error) {
	var v apperr.Fields
	if in.EvaluatorID == 0 {
		v.Add("evaluator_id", "请从专家库的评估机构中选择开展后评估的第三方")
	} else {
		org, err := s.poolOrg(ctx, "evaluator_id", "后评估机构", in.EvaluatorID)
		if err != nil {
			return nil, err
		}
		in.Evaluator = org.Name
	}
	checkText(&v, "trigger", "启动评估的原因", in.Trigger, true, 1000)
	checkText(&v, "conclusion", "评估结论", in.Conclusion, true, 10000)
	checkText(&v, "suggestion", "评估建议", in.Suggestion, false, 5000)
	s.checkDone(&v, "done_on", "评估完成日期", in.DoneOn, false)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.evaluation", func(c *change) (string, error) {
		if err := gate(c.d, c.steps, StepEvaluation); err != nil {
			return "", err
		}
		earlier, err := s.earlierAssessors(c)
		if err != nil {
			return "", err
		}
		if role, ok := earlier[in.EvaluatorID]; ok {
			return "", apperr.New(apperr.Precondition, "决策后评估机构“%s”曾%s，应当委托其他第三方开展后评估（第三十六条）", in.Evaluator, role)
		}
		return "决策后评估（" + in.Evaluator + "）", c.put(StepEvaluation, StateDone, in.EvaluationData, in.FileIDs, orToday(s, in.DoneOn))
	})
}

// poolOrg returns the expert/assessor pool's active organisation record id
// (field names the input).
func (s *Service) poolOrg(ctx context.Context, field, label string, id int64) (Expert, error) {
	e, err := s.st.GetExpert(ctx, s.db, id)
	if err != nil || e.Kind != PoolOrg {
		return Expert{}, apperr.Field(field, "%s应为专家库中登记的评估机构", label)
	}
	if !e.Active {
		return Expert{}, apperr.Field(field, "评估机构%s已停用", e.Name)
	}
	return e, nil
}

// earlierAssessors maps the pool's organisation records that assessed the
// decision before — the risk assessor, and the organisations of the experts
// who gave opinions — to what they did. Identity is the pool record (one
// per 统一社会信用代码), never a spelling of a name.
func (s *Service) earlierAssessors(c *change) (map[int64]string, error) {
	out := map[int64]string{}
	if rec, ok := c.steps[StepRisk]; ok && rec.State == StateDone {
		var risk RiskData
		if err := unmarshal(rec.Data, &risk); err != nil {
			return nil, err
		}
		if risk.AssessorID != 0 {
			out[risk.AssessorID] = "承担该决策的风险评估"
		}
	}
	ops, err := s.st.ListOpinions(c.ctx, c.tx, c.d.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range ops {
		e, err := s.st.GetExpert(c.ctx, c.tx, o.ExpertID)
		if err != nil {
			return nil, err
		}
		if e.OrgID != 0 {
			if _, ok := out[e.OrgID]; !ok {
				out[e.OrgID] = "有专家（" + e.Name + "）参与该决策的专家论证"
			}
		}
	}
	return out, nil
}

// sameBody compares two body names ignoring spaces and full/half-width
// brackets.
func sameBody(a, b string) bool {
	norm := func(s string) string {
		r := strings.NewReplacer(" ", "", "\u3000", "", "（", "(", "）", ")")
		return r.Replace(strings.TrimSpace(s))
	}
	return norm(a) != "" && norm(a) == norm(b)
}

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
		c.d.Status, c.d.ArchivedOn = StatusArchived, s.today().String()
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
	s.checkDone(&v, "corrected_on", "纠错日期", in.CorrectedOn, true)
	checkText(&v, "kind", "纠错方式", in.Kind, true, 50)
	checkText(&v, "description", "纠错内容", in.Description, true, 5000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		c := Correction{DecisionID: id, Authority: in.Authority, CorrectedOn: in.CorrectedOn, Kind: in.Kind, Description: in.Description, RecordedBy: actorName(a), RecordedAt: s.stamp()}
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
