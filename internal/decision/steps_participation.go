package decision

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
)

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
	s.checkDone(ctx, &v, "done_on", "反馈日期", in.DoneOn, true)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.consultation.close", func(c *change) (string, error) {
		rec := c.steps[StepConsultation]
		if rec.State != StateInProgress {
			return "", apperr.New(apperr.Precondition, "尚未公开征求意见，不能反馈意见采纳情况")
		}
		if !s.today(ctx).After(calendar.MustDate(c.d.CommentEnd)) {
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
		return fmt.Sprintf("结束征求意见（收到意见 %d 条）并反馈采纳情况", n), c.put(StepConsultation, StateDone, data, files, in.DoneOn)
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
		return def.Label + "无需进行：" + in.Reason, c.put(in.Step, StateNotRequired, data, nil, s.today(ctx).String())
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
	s.checkDone(ctx, &v, "signed_on", "署名日期", in.SignedOn, true)
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
			FileIDs: cleanIDs(in.FileIDs), RecordedBy: actorName(c.a), RecordedAt: s.stamp(ctx)}
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
	s.checkDone(ctx, &v, "done_on", "完成日期", in.DoneOn, true)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "decision.expert.complete", func(c *change) (string, error) {
		if c.steps[StepExpert].State != StateInProgress {
			return "", apperr.New(apperr.Precondition, "尚未登记专家书面论证意见，不能完成专家论证")
		}
		return "完成专家论证", c.put(StepExpert, StateDone, ExpertData{Summary: in.Summary}, in.FileIDs, in.DoneOn)
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
	s.checkDone(ctx, &v, "done_on", "评估完成日期", in.DoneOn, true)
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
		return "风险评估（" + in.Level + "风险，评估机构：" + in.Assessor + "）", c.put(StepRisk, StateDone, in.RiskData, in.FileIDs, in.DoneOn)
	})
}
