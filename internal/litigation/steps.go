package litigation

import (
	"context"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
)

// Steps (the action path parameter).
const (
	ActDefence         = "defence"
	ActEvidence        = "evidence"
	ActOutcome         = "outcome"
	ActSuggestion      = "suggestion"
	ActSuggestionReply = "suggestion_reply"
	ActReview          = "review"
	ActRecheck         = "recheck"
)

// Actions lists the steps with their labels.
var Actions = []Option{
	{Value: ActDefence, Label: "提交答辩状"}, {Value: ActEvidence, Label: "提交证据和依据"}, {Value: ActOutcome, Label: "登记裁判结果"},
	{Value: ActSuggestion, Label: "登记司法建议"}, {Value: ActSuggestionReply, Label: "回复司法建议"}, {Value: ActReview, Label: "办结败诉行为复查"},
	{Value: ActRecheck, Label: "重新评估败诉风险"},
}

var otherLabels = map[string]string{"create": "登记行政应诉案件", "update": "修改案件信息", "import": "导入登记",
	"hearing_add": "登记庭审", "hearing_record": "登记出庭情况"}

func actionLabel(a string) string {
	if l, ok := otherLabels[a]; ok {
		return l
	}
	return option.Label(Actions, a)
}

// StepView is one step as the lawsuit page shows it: allowed, or blocked
// with the reason the service gives when it is sent anyway.
type StepView struct {
	Action  string `json:"action"`
	Label   string `json:"label"`
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason" doc:"不能办理的原因"`
}

func (s *Service) steps(c *Case, hs []Hearing, today calendar.Date) []StepView {
	out := make([]StepView, 0, len(Actions))
	for _, a := range Actions {
		v := StepView{Action: a.Value, Label: a.Label}
		if err := gate(c, hs, a.Value, today, ""); err != nil {
			v.Reason = apperr.As(err).Message
		} else {
			v.Allowed = true
		}
		out = append(out, v)
	}
	return out
}

func refuse(action, format string, args ...any) error {
	return apperr.New(apperr.Precondition, "%s：%s", actionLabel(action), fmt.Sprintf(format, args...))
}

// lastHeld is the date of the latest held hearing (” when none).
func lastHeld(hs []Hearing) string {
	last := ""
	for _, h := range hs {
		if h.Appearance != "" && h.HeldOn > last {
			last = h.HeldOn
		}
	}
	return last
}

// gate is every rule of a step that depends on the lawsuit and the day it
// is taken (outcome: the outcome asked, ” on the lawsuit page).
func gate(c *Case, hs []Hearing, action string, day calendar.Date, outcome string) error {
	d := day.String()
	switch action {
	case ActDefence, ActEvidence, ActOutcome:
		if c.Status != StatusOpen {
			return refuse(action, "案件已结案（%s）", option.Label(Outcomes, c.Outcome))
		}
	}
	switch action {
	case ActDefence:
		if c.DefenceOn != "" {
			return refuse(action, "已于 %s 提交答辩状", c.DefenceOn)
		}
	case ActEvidence:
		if c.EvidenceOn != "" {
			return refuse(action, "已于 %s 提交证据和依据", c.EvidenceOn)
		}
	case ActOutcome:
		last := lastHeld(hs)
		if last == "" && outcome != "withdrawn" {
			return refuse(action, "尚未登记已开庭的庭审；未经开庭只能登记原告撤诉")
		}
		if last != "" && d < last {
			return refuse(action, "裁判日期不能早于最近一次开庭日期 %s", last)
		}
	case ActSuggestion:
		if c.SuggestionOn != "" {
			return refuse(action, "已于 %s 登记司法建议", c.SuggestionOn)
		}
	case ActSuggestionReply:
		switch {
		case c.SuggestionOn == "":
			return refuse(action, "尚未登记司法建议")
		case c.SuggestionReplyOn != "":
			return refuse(action, "已于 %s 回复司法建议", c.SuggestionReplyOn)
		case d < c.SuggestionOn:
			return refuse(action, "回复日期不能早于收到司法建议日期 %s", c.SuggestionOn)
		}
	case ActReview:
		switch {
		case c.ReviewDue == "":
			return refuse(action, "只有败诉或部分败诉的案件需要复查被诉行政行为")
		case c.ReviewOn != "":
			return refuse(action, "复查已于 %s 办结", c.ReviewOn)
		case d < c.JudgedOn:
			return refuse(action, "复查办结日期不能早于裁判日期 %s", c.JudgedOn)
		}
	case ActRecheck:
	default:
		return apperr.Field("action", "办理步骤「%s」无效", action)
	}
	return nil
}

// StepInput carries every step's fields; each step reads its own.
type StepInput struct {
	Version     int64  `json:"version"`
	Date        string `json:"date,omitempty" doc:"办理日期 YYYY-MM-DD（重新评估风险时不填）"`
	Outcome     string `json:"outcome,omitempty" doc:"裁判结果"`
	JudgementNo string `json:"judgement_no,omitempty" doc:"裁判文书号"`
	Text        string `json:"text,omitempty" doc:"裁判要旨、司法建议内容、回复内容或复查结论"`
	By          string `json:"by,omitempty" doc:"复查人"`
}

// Step takes one step on a lawsuit.
func (s *Service) Step(ctx context.Context, id int64, action string, in StepInput) (*Detail, error) {
	if _, ok := option.Value(Actions, action); !ok {
		return nil, apperr.Field("action", "办理步骤「%s」无效", action)
	}
	return s.mutate(ctx, id, in.Version, func(tx *db.Tx, a *auth.Actor, c *Case) (string, string, error) {
		hs, err := s.st.hearings(ctx, tx, c.ID)
		if err != nil {
			return "", "", err
		}
		if action == ActRecheck {
			if err := s.evaluateRisk(ctx, c); err != nil {
				return "", "", err
			}
			return action, riskNote(c, s.today(ctx).String()), nil
		}
		var v apperr.Fields
		recv, _ := calendar.ParseDate(c.ReceivedOn)
		day := calendar.CheckDate(&v, "date", "办理日期", strings.TrimSpace(in.Date), true, calendar.Happened(recv, s.today(ctx)))
		if err := v.Err(); err != nil {
			return "", "", err
		}
		if err := gate(c, hs, action, day, strings.TrimSpace(in.Outcome)); err != nil {
			return "", "", err
		}
		note, err := s.apply(ctx, tx, c, action, in, day)
		return action, note, err
	})
}

func riskNote(c *Case, today string) string {
	rs := c.risks(today)
	if len(rs) == 0 {
		return "未发现败诉风险"
	}
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.Label)
	}
	return "败诉风险：" + strings.Join(parts, "；")
}

// apply changes c for a step whose gate passed.
func (s *Service) apply(ctx context.Context, tx *db.Tx, c *Case, action string, in StepInput, day calendar.Date) (string, error) {
	var v apperr.Fields
	d := day.String()
	late := func() string {
		if d > c.DefenceDue {
			return "逾期（答辩举证期限 " + c.DefenceDue + "）"
		}
		return ""
	}
	switch action {
	case ActDefence, ActEvidence:
		if action == ActDefence {
			c.DefenceOn = d
		} else {
			c.EvidenceOn = d
		}
		c.defenceDoneOn = ""
		if c.DefenceOn != "" && c.EvidenceOn != "" {
			c.defenceDoneOn = max(c.DefenceOn, c.EvidenceOn)
		}
		return late(), nil
	case ActOutcome:
		o, ok := option.Value(Outcomes, strings.TrimSpace(in.Outcome))
		if !ok {
			v.Add("outcome", "请选择裁判结果：%s", strings.Join(option.Labels(Outcomes), "、"))
		}
		no := text(&v, "judgement_no", "裁判文书号", in.JudgementNo, false, 100)
		note := text(&v, "text", "裁判要旨", in.Text, false, 5000)
		if err := v.Err(); err != nil {
			return "", err
		}
		c.Status, c.Outcome, c.JudgedOn, c.JudgementNo, c.JudgementNote = StatusConcluded, o, d, no, note
		msg := option.Label(Outcomes, o) + prefixed("，", no)
		if IsLoss(o) {
			due, err := s.dueOf(RuleActReview, day)
			if err != nil {
				return "", err
			}
			c.ReviewDue = due.String()
			msg += "；被诉行政行为复查期限 " + c.ReviewDue
			if c.FindingID == 0 {
				if s.deps.Ledger == nil {
					return "", apperr.New(apperr.Unavailable, "问题台账未启用，无法登记败诉案件")
				}
				id, err := s.deps.Ledger.Raise(ctx, tx, Problem{UnitID: c.UnitID, FoundOn: d, SourceRef: firstOf(no, c.CaseNo, c.Code),
					Title: fmt.Sprintf("行政诉讼%s：%s", option.Label(Outcomes, o), truncate(c.Act, 60)),
					Description: fmt.Sprintf("行政应诉案件 %s（%s%s，原告 %s）%s，被诉行政行为“%s”。%s", c.Code, c.Court, prefixed(" ", c.CaseNo),
						c.PlaintiffName, option.Label(Outcomes, o), c.Act, note)})
				if err != nil {
					return "", err
				}
				c.FindingID = id
				msg += "；已登记问题台账"
			}
		}
		return msg, nil
	case ActSuggestion:
		t := text(&v, "text", "司法建议内容", in.Text, true, 5000)
		if err := v.Err(); err != nil {
			return "", err
		}
		due, err := s.dueOf(RuleSuggestionReply, day)
		if err != nil {
			return "", err
		}
		c.SuggestionOn, c.SuggestionText, c.SuggestionDue = d, t, due.String()
		return "回复期限 " + c.SuggestionDue, nil
	case ActSuggestionReply:
		t := text(&v, "text", "回复内容", in.Text, true, 5000)
		if err := v.Err(); err != nil {
			return "", err
		}
		c.SuggestionReplyOn, c.SuggestionReply = d, t
		if d > c.SuggestionDue {
			return "逾期回复（期限 " + c.SuggestionDue + "）", nil
		}
		return "", nil
	case ActReview:
		t := text(&v, "text", "复查结论", in.Text, true, 5000)
		by := text(&v, "by", "复查人", in.By, true, 50)
		if err := v.Err(); err != nil {
			return "", err
		}
		c.ReviewOn, c.ReviewConclusion, c.ReviewBy = d, t, by
		if d > c.ReviewDue {
			return "逾期办结（期限 " + c.ReviewDue + "）", nil
		}
		return "", nil
	}
	return "", apperr.Field("action", "办理步骤「%s」无效", action)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// ---- hearings ----

// HearingInput schedules a hearing (a future date, no appearance) or
// records one held (a date not in the future, with who appeared).
type HearingInput struct {
	Version    int64  `json:"version" doc:"案件的版本号"`
	HeldOn     string `json:"held_on" doc:"开庭日期 YYYY-MM-DD"`
	Appearance string `json:"appearance,omitempty" doc:"出庭情况：head 正职负责人；deputy 分管负责人；staff 仅工作人员；lawyer 仅律师；none 无人出庭；空为排期"`
	Attendee   string `json:"attendee,omitempty" doc:"出庭人员姓名、职务"`
	Note       string `json:"note,omitempty"`
}

// checkHearing validates in for lawsuit c into a hearing.
func (s *Service) checkHearing(ctx context.Context, c *Case, in HearingInput) (Hearing, error) {
	var v apperr.Fields
	h := Hearing{Attendee: text(&v, "attendee", "出庭人员", in.Attendee, false, 100), Note: text(&v, "note", "庭审情况", in.Note, false, 2000)}
	recv, _ := calendar.ParseDate(c.ReceivedOn)
	today := s.today(ctx)
	app := strings.TrimSpace(in.Appearance)
	// A scheduled hearing may lie ahead (up to two years); a held one not.
	span := calendar.Span{From: recv, To: today.AddDays(730)}
	if app != "" {
		span = calendar.Happened(recv, today)
	}
	day := calendar.CheckDate(&v, "held_on", "开庭日期", strings.TrimSpace(in.HeldOn), true, span)
	if app != "" {
		if a, ok := option.Value(Appearances, app); ok {
			h.Appearance = a
		} else {
			v.Add("appearance", "出庭情况「%s」无效，应为：%s", app, strings.Join(option.Labels(Appearances), "、"))
		}
		if HeadCounts(h.Appearance) && h.Attendee == "" {
			v.Add("attendee", "请填写出庭负责人的姓名和职务")
		}
	}
	if err := v.Err(); err != nil {
		return h, err
	}
	h.HeldOn = day.String()
	return h, nil
}

// AddHearing schedules or records a hearing of an open lawsuit.
func (s *Service) AddHearing(ctx context.Context, id int64, in HearingInput) (*Detail, error) {
	return s.mutate(ctx, id, in.Version, func(tx *db.Tx, a *auth.Actor, c *Case) (string, string, error) {
		if c.Status != StatusOpen {
			return "", "", refuse("hearing_add", "案件已结案")
		}
		h, err := s.checkHearing(ctx, c, in)
		if err != nil {
			return "", "", err
		}
		if _, err := s.st.insertHearing(ctx, tx, c.ID, c.UnitID, h, s.clock(ctx)); err != nil {
			return "", "", err
		}
		if h.Appearance != "" {
			c.HearingsHeld++
			return "hearing_add", h.HeldOn + " " + option.Label(Appearances, h.Appearance) + prefixed("：", h.Attendee), nil
		}
		return "hearing_add", h.HeldOn + " 排期", nil
	})
}

// RecordHearing records who appeared at a scheduled hearing (or corrects a
// held hearing's record) of an open lawsuit.
func (s *Service) RecordHearing(ctx context.Context, id, hearingID int64, in HearingInput) (*Detail, error) {
	return s.mutate(ctx, id, in.Version, func(tx *db.Tx, a *auth.Actor, c *Case) (string, string, error) {
		old, err := s.st.hearing(ctx, tx, hearingID)
		if err != nil {
			return "", "", err
		}
		if old.CaseID != c.ID {
			return "", "", apperr.New(apperr.NotFound, "庭审记录不存在")
		}
		if c.Status != StatusOpen {
			return "", "", refuse("hearing_record", "案件已结案")
		}
		if strings.TrimSpace(in.Appearance) == "" {
			return "", "", apperr.Field("appearance", "请选择出庭情况")
		}
		h, err := s.checkHearing(ctx, c, in)
		if err != nil {
			return "", "", err
		}
		h.ID = old.ID
		ok, err := s.st.saveHearing(ctx, tx, h, old.Version)
		if err != nil {
			return "", "", err
		}
		if !ok {
			return "", "", apperr.New(apperr.Conflict, "庭审记录已被他人修改，请刷新后重试")
		}
		if old.Appearance == "" {
			c.HearingsHeld++
		}
		return "hearing_record", h.HeldOn + " " + option.Label(Appearances, h.Appearance) + prefixed("：", h.Attendee), nil
	})
}
