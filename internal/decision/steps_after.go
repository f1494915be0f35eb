package decision

import (
	"context"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
)

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
	s.checkDone(ctx, &v, "reported_on", "请示报告日期", in.ReportedOn, true)
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
	s.checkDone(ctx, &v, "published_on", "公布日期", in.PublishedOn, true)
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
		return "明确执行单位：" + in.ExecutionUnit, c.put(StepImplementation, StateDone, in.ImplementationData, in.FileIDs, s.today(ctx).String())
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
	s.checkDone(ctx, &v, "reported_on", "报告日期", in.ReportedOn, true)
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
			RecordedBy: actorName(c.a), RecordedAt: s.stamp(ctx)}
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
	s.checkDone(ctx, &v, "done_on", "评估完成日期", in.DoneOn, true)
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
		return "决策后评估（" + in.Evaluator + "）", c.put(StepEvaluation, StateDone, in.EvaluationData, in.FileIDs, in.DoneOn)
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
