package reconsideration

import (
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// Procedure steps (the action path parameter).
const (
	ActRequestCorrection = "request_correction"
	ActCorrected         = "corrected"
	ActLapse             = "lapse"
	ActAccept            = "accept"
	ActNotAccept         = "not_accept"
	ActDeem              = "deem"
	ActSendCopy          = "send_copy"
	ActReply             = "reply"
	ActNoReply           = "no_reply"
	ActHearing           = "hearing"
	ActSuspend           = "suspend"
	ActResume            = "resume"
	ActExtend            = "extend"
	ActToNormal          = "to_normal"
	ActTerminate         = "terminate"
	ActDecide            = "decide"
	ActPublish           = "publish"
	ActOpinion           = "opinion"
	ActFollowup          = "followup"
	ActSued              = "sued"
)

// Actions lists every step in procedure order, with its label.
var Actions = []Option{
	{Value: ActRequestCorrection, Label: "通知补正"}, {Value: ActCorrected, Label: "收到补正材料"}, {Value: ActLapse, Label: "补正逾期视为放弃"},
	{Value: ActAccept, Label: "决定受理"}, {Value: ActNotAccept, Label: "决定不予受理"}, {Value: ActDeem, Label: "登记视为受理"},
	{Value: ActSendCopy, Label: "发送答复通知书及申请书副本"}, {Value: ActReply, Label: "收到答复和证据"}, {Value: ActNoReply, Label: "答复期满未答复"},
	{Value: ActHearing, Label: "组织听证"}, {Value: ActSuspend, Label: "中止审理"}, {Value: ActResume, Label: "恢复审理"}, {Value: ActExtend, Label: "延长审理期限"},
	{Value: ActToNormal, Label: "简易程序转为普通程序"},
	{Value: ActTerminate, Label: "终止审理"}, {Value: ActDecide, Label: "作出复议决定"}, {Value: ActPublish, Label: "公开决定书"},
	{Value: ActOpinion, Label: "制发意见书或建议书"}, {Value: ActFollowup, Label: "收到整改情况报告"}, {Value: ActSued, Label: "登记申请人起诉"},
}

var otherLabels = map[string]string{"create": "登记复议申请", "update": "修改申请事项", "import": "导入登记"}

func actionLabel(a string) string {
	if l, ok := otherLabels[a]; ok {
		return l
	}
	return option.Label(Actions, a)
}

// allowedIn is the statuses each step may be taken in.
var allowedIn = map[string][]Status{
	ActRequestCorrection: {StatusReceived},
	ActCorrected:         {StatusCorrecting},
	ActLapse:             {StatusCorrecting},
	ActAccept:            {StatusReceived},
	ActNotAccept:         {StatusReceived},
	ActDeem:              {StatusReceived},
	ActSendCopy:          {StatusAccepted},
	ActReply:             {StatusReplying},
	ActNoReply:           {StatusReplying},
	ActHearing:           {StatusReviewing},
	ActSuspend:           {StatusAccepted, StatusReplying, StatusReviewing},
	ActResume:            {StatusSuspended},
	ActExtend:            {StatusAccepted, StatusReplying, StatusReviewing},
	ActToNormal:          {StatusAccepted, StatusReplying, StatusReviewing, StatusSuspended},
	ActTerminate:         {StatusAccepted, StatusReplying, StatusReviewing, StatusSuspended},
	ActDecide:            {StatusReviewing},
	ActPublish:           {StatusDecided},
	ActOpinion:           {StatusDecided, StatusPublished},
	ActFollowup:          {StatusDecided, StatusPublished},
	ActSued:              {StatusDecided, StatusPublished},
}

// nextStep is the step the procedure expects next in each status.
var nextStep = map[Status]string{
	StatusReceived: ActAccept, StatusCorrecting: ActCorrected, StatusAccepted: ActSendCopy, StatusReplying: ActReply,
	StatusReviewing: ActDecide, StatusSuspended: ActResume, StatusDecided: ActPublish,
}

// StepView is one step as the case page shows it: allowed, or blocked with
// the reason the service gives when it is sent anyway.
type StepView struct {
	Action  string `json:"action"`
	Label   string `json:"label"`
	Allowed bool   `json:"allowed"`
	Next    bool   `json:"next" doc:"程序当前应办的下一步"`
	Reason  string `json:"reason" doc:"不能办理的原因"`
}

func (s *Service) steps(c *Case, today calendar.Date) []StepView {
	out := make([]StepView, 0, len(Actions))
	for _, a := range Actions {
		v := StepView{Action: a.Value, Label: a.Label, Next: nextStep[c.Status] == a.Value}
		if err := s.gate(c, a.Value, today); err != nil {
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

func late(action, format string, args ...any) error {
	return apperr.New(apperr.DeadlinePassed, "%s：%s", actionLabel(action), fmt.Sprintf(format, args...))
}

// gate is every rule of a step that depends on the case and the day it is
// taken (day: the date entered, or today for the case page). Rules on the
// step's own input are checked by the step.
func (s *Service) gate(c *Case, action string, day calendar.Date) error {
	ok, known := allowedIn[action]
	if !known {
		return apperr.Field("action", "办理步骤「%s」无效", action)
	}
	if !slices.Contains(ok, c.Status) {
		return refuse(action, "案件当前为“%s”，%s", option.Label(Statuses, string(c.Status)), statusHint(c))
	}
	d := day.String()
	switch action {
	case ActRequestCorrection:
		due, err := s.correctionNoticeDue(c)
		if err != nil {
			return err
		}
		if d > due.String() {
			return late(action, "补正通知应在收到申请之日起五个工作日内一次性发出（截止 %s），已经逾期，请作出受理或不予受理决定", due)
		}
	case ActCorrected:
		if d > c.CorrectionDue {
			return late(action, "补正期限已于 %s 届满，申请人无正当理由逾期不补正的视为放弃，请登记“补正逾期视为放弃”", c.CorrectionDue)
		}
	case ActLapse:
		if d <= c.CorrectionDue {
			return refuse(action, "补正期限 %s 尚未届满", c.CorrectionDue)
		}
	case ActAccept, ActNotAccept:
		if d > c.AcceptDue {
			return late(action, "受理审查期限已于 %s 届满，依法视为受理，请登记“视为受理”", c.AcceptDue)
		}
	case ActDeem:
		if d <= c.AcceptDue {
			return refuse(action, "受理审查期限 %s 尚未届满，请作出受理或不予受理决定", c.AcceptDue)
		}
	case ActNoReply:
		if d <= c.ReplyDue {
			return refuse(action, "答复期限 %s 尚未届满", c.ReplyDue)
		}
	case ActExtend:
		switch {
		case c.Simple:
			return refuse(action, "简易程序的审理期限为三十日，不能延长（可先转为普通程序）")
		case c.Extended:
			return refuse(action, "审理期限只能延长一次，本案已经延长")
		case d > c.DecideDue:
			return late(action, "决定期限已于 %s 届满，不能再延长", c.DecideDue)
		}
	case ActToNormal:
		switch {
		case !c.Simple:
			return refuse(action, "本案适用普通程序审理，无需转换")
		case c.Status != StatusSuspended && d > c.DecideDue:
			return late(action, "简易程序的审理期限已于 %s 届满，不能再转为普通程序", c.DecideDue)
		}
	case ActOpinion:
		if c.OpinionOn != "" {
			return refuse(action, "本案已于 %s 制发%s", c.OpinionOn, option.Label(OpinionKinds, c.OpinionKind))
		}
	case ActFollowup:
		switch {
		case c.OpinionOn == "":
			return refuse(action, "本案尚未制发意见书或建议书")
		case c.FollowupOn != "":
			return refuse(action, "已于 %s 收到整改情况报告", c.FollowupOn)
		}
	case ActSued:
		if c.Sued {
			return refuse(action, "已登记申请人起诉")
		}
	}
	return nil
}

// statusHint says what the case waits for, for a refused step.
func statusHint(c *Case) string {
	switch c.Status {
	case StatusReceived:
		return "请先作出受理、不予受理或补正决定"
	case StatusCorrecting:
		return "正在等待申请人补正（期限 " + c.CorrectionDue + "）"
	case StatusAccepted:
		return "请先向被申请人发送答复通知书及申请书副本"
	case StatusReplying:
		return "被申请人尚未答复（答复期限 " + c.ReplyDue + "），请先登记答复或答复期满未答复"
	case StatusSuspended:
		return "案件中止审理中，请先恢复审理"
	case StatusReviewing:
		return "案件正在审理"
	case StatusDecided, StatusPublished:
		return "已经作出复议决定"
	case StatusNotAccepted, StatusTerminated:
		return "案件已经办结"
	}
	return "不能办理此步骤"
}

// correctionNoticeDue is the last day to send a correction notice: five
// working days from the receipt of the application (or of the latest
// corrected application).
func (s *Service) correctionNoticeDue(c *Case) (calendar.Date, error) {
	cl, err := decodeClock(c.acceptClock)
	if err != nil {
		return calendar.Date{}, err
	}
	st, err := cl.Status(s.cal)
	if err != nil {
		return calendar.Date{}, err
	}
	return s.dueOf(RuleCorrectionNotice, st.Trigger)
}

// SimpleGrounds lists the art. 53 grounds an application meets.
func SimpleGrounds(c *Case) []string {
	g := []string{}
	if c.OnTheSpot {
		g = append(g, "被申请行政复议的行政行为是当场作出的")
	}
	if c.Category == "warning" {
		g = append(g, "被申请行政复议的行政行为是警告或者通报批评")
	}
	if c.AmountFen > 0 && c.AmountFen <= simpleAmountFen {
		g = append(g, "案件涉及款额三千元以下")
	}
	if c.Category == "disclosure" {
		g = append(g, "属于政府信息公开案件")
	}
	if c.Consent {
		g = append(g, "当事人各方同意适用简易程序")
	}
	return g
}

// simpleAmountFen is art. 53's 3,000 yuan.
const simpleAmountFen = 300000

// StepInput carries every step's fields; each step reads its own.
type StepInput struct {
	Version     int64  `json:"version"`
	Date        string `json:"date" doc:"办理日期 YYYY-MM-DD"`
	Reason      string `json:"reason,omitempty" doc:"理由（不予受理、中止、延长、转为普通程序、终止）"`
	Items       string `json:"items,omitempty" doc:"补正事项（一次性列明）"`
	Simple      bool   `json:"simple,omitempty" doc:"受理时适用简易程序"`
	NoticeOn    string `json:"notice_on,omitempty" doc:"听证通知日期或延期书面告知日期"`
	Days        int    `json:"days,omitempty" doc:"延长天数（不超过三十日）"`
	ApprovedBy  string `json:"approved_by,omitempty" doc:"批准延长或批准转为普通程序的复议机构负责人"`
	Termination string `json:"termination,omitempty" doc:"终止情形"`
	Outcome     string `json:"outcome,omitempty" doc:"决定类型"`
	DecisionNo  string `json:"decision_no,omitempty" doc:"决定书文号"`
	Kind        string `json:"kind,omitempty" doc:"opinion 意见书；suggestion 建议书"`
	Text        string `json:"text,omitempty" doc:"听证情况、意见书内容或整改情况"`
}

// Step takes one procedure step on a case.
func (s *Service) Step(ctx context.Context, id int64, action string, in StepInput) (*Detail, error) {
	if _, known := allowedIn[action]; !known {
		return nil, apperr.Field("action", "办理步骤「%s」无效", action)
	}
	return s.mutate(ctx, id, in.Version, func(tx *db.Tx, a *auth.Actor, c *Case) (string, string, error) {
		var v apperr.Fields
		recv, _ := calendar.ParseDate(c.ReceivedOn)
		day := calendar.CheckDate(&v, "date", "办理日期", strings.TrimSpace(in.Date), true, calendar.Happened(recv, s.today(ctx)))
		if err := v.Err(); err != nil {
			return "", "", err
		}
		if err := s.gate(c, action, day); err != nil {
			return "", "", err
		}
		note, err := s.apply(ctx, tx, c, action, in, day)
		return action, note, err
	})
}

func need(v *apperr.Fields, field, lbl, val string, max int) string {
	val = strings.TrimSpace(val)
	switch n := utf8.RuneCountInString(val); {
	case n == 0:
		v.Add(field, "请填写%s", lbl)
	case n > max:
		v.Add(field, "%s不能超过 %d 个字", lbl, max)
	}
	return val
}

// notBefore refuses a step dated before an earlier step of the case.
func notBefore(v *apperr.Fields, day calendar.Date, earlier, what string) {
	if earlier != "" && day.String() < earlier {
		v.Add("date", "办理日期不能早于%s（%s）", what, earlier)
	}
}

// setDue records the clock the case now waits on.
func (c *Case) setDue(due, step string) { c.DueOn, c.DueStep = due, step }

// apply changes c for a step whose gate passed.
func (s *Service) apply(ctx context.Context, tx *db.Tx, c *Case, action string, in StepInput, day calendar.Date) (string, error) {
	var v apperr.Fields
	d := day.String()
	switch action {
	case ActRequestCorrection:
		items := need(&v, "items", "补正事项", in.Items, 2000)
		if err := v.Err(); err != nil {
			return "", err
		}
		js, due, err := s.startClock(RuleCorrection, day)
		if err != nil {
			return "", err
		}
		c.Status, c.CorrectionOn, c.CorrectionItems, c.correctionClock, c.CorrectionDue = StatusCorrecting, d, items, js, due.String()
		c.setDue(c.CorrectionDue, "申请人补正")
		return "补正期限 " + c.CorrectionDue, nil
	case ActCorrected:
		notBefore(&v, day, c.CorrectionOn, "补正通知日期")
		if err := v.Err(); err != nil {
			return "", err
		}
		cl, err := decodeClock(c.acceptClock)
		if err != nil {
			return "", err
		}
		if err := cl.Restart(s.cal, day, "收到补正后的申请"); err != nil {
			return "", err
		}
		js, due, err := s.encode(cl)
		if err != nil {
			return "", err
		}
		c.Status, c.CorrectedOn, c.acceptClock, c.AcceptDue = StatusReceived, d, js, due.String()
		c.setDue(c.AcceptDue, "受理审查")
		return "受理审查期限重新起算至 " + c.AcceptDue, nil
	case ActLapse:
		c.Status, c.Termination, c.ClosedReason, c.ConcludedOn = StatusTerminated, "lapsed", "申请人无正当理由逾期不补正，视为放弃行政复议申请（《行政复议法》第三十一条）", d
		c.setDue("", "")
		return "", nil
	case ActAccept:
		if in.Simple {
			if len(SimpleGrounds(c)) == 0 {
				return "", refuse(action, "不符合简易程序的适用条件（《行政复议法》第五十三条：当场作出的行为、警告或者通报批评、涉及款额三千元以下、政府信息公开案件，或当事人各方同意），请按普通程序受理")
			}
			c.Simple = true
		}
		return s.accepted(c, day, "accepted")
	case ActDeem:
		return s.deem(c)
	case ActNotAccept:
		reason := need(&v, "reason", "不予受理理由", in.Reason, 2000)
		if err := v.Err(); err != nil {
			return "", err
		}
		c.Status, c.ClosedReason, c.ConcludedOn = StatusNotAccepted, reason, d
		c.setDue("", "")
		return reason, nil
	case ActSendCopy:
		notBefore(&v, day, c.AcceptedOn, "受理日期")
		if err := v.Err(); err != nil {
			return "", err
		}
		rule := RuleReply
		if c.Simple {
			rule = RuleReplySimple
		}
		js, due, err := s.startClock(rule, day)
		if err != nil {
			return "", err
		}
		c.Status, c.CopySentOn, c.replyClock, c.ReplyDue = StatusReplying, d, js, due.String()
		c.setDue(c.ReplyDue, "被申请人答复")
		return "答复期限 " + c.ReplyDue, nil
	case ActReply:
		notBefore(&v, day, c.CopySentOn, "发送副本日期")
		if err := v.Err(); err != nil {
			return "", err
		}
		c.Status, c.RepliedOn, c.ReplyLate = StatusReviewing, d, d > c.ReplyDue
		c.setDue(c.DecideDue, "作出复议决定")
		if c.ReplyLate {
			return "逾期答复（答复期限 " + c.ReplyDue + "）", nil
		}
		return "", nil
	case ActNoReply:
		c.Status, c.ReplyLate = StatusReviewing, true
		c.setDue(c.DecideDue, "作出复议决定")
		return "被申请人未在期限内答复、提交证据，视为该行政行为没有证据、依据（《行政复议法》第七十条）", nil
	case ActHearing:
		notice := calendar.CheckDate(&v, "notice_on", "听证通知日期", strings.TrimSpace(in.NoticeOn), true, calendar.Happened(calendar.Date{}, day))
		note := strings.TrimSpace(in.Text)
		if utf8.RuneCountInString(note) > 2000 {
			v.Add("text", "听证情况不能超过 2000 个字")
		}
		if err := v.Err(); err != nil {
			return "", err
		}
		earliest, err := s.dueOf(RuleHearingNotice, notice)
		if err != nil {
			return "", err
		}
		if day.Before(earliest) {
			return "", refuse(action, "听证应在通知后至少五个工作日举行：%s 通知的，听证不得早于 %s", notice, earliest)
		}
		c.HearingOn, c.HearingNote = d, note
		return "听证通知 " + notice.String(), nil
	case ActSuspend:
		reason := need(&v, "reason", "中止理由", in.Reason, 500)
		if err := v.Err(); err != nil {
			return "", err
		}
		cl, err := decodeClock(c.decideClock)
		if err != nil {
			return "", err
		}
		if err := cl.Pause(s.cal, day, reason); err != nil {
			return "", err
		}
		js, _, err := s.encode(cl)
		if err != nil {
			return "", err
		}
		c.resumeStatus, c.Status, c.decideClock = string(c.Status), StatusSuspended, js
		c.setDue("", "中止审理（决定期限暂停计算）")
		return reason, nil
	case ActResume:
		cl, err := decodeClock(c.decideClock)
		if err != nil {
			return "", err
		}
		if err := cl.Resume(s.cal, day); err != nil {
			return "", err
		}
		js, due, err := s.encode(cl)
		if err != nil {
			return "", err
		}
		c.Status, c.resumeStatus, c.decideClock, c.DecideDue = Status(c.resumeStatus), "", js, due.String()
		if err := s.waitOn(c); err != nil {
			return "", err
		}
		return "决定期限顺延至 " + c.DecideDue, nil
	case ActExtend:
		approver := need(&v, "approved_by", "批准延长的负责人", in.ApprovedBy, 50)
		reason := need(&v, "reason", "延长理由", in.Reason, 500)
		notice := calendar.CheckDate(&v, "notice_on", "书面告知当事人日期", strings.TrimSpace(in.NoticeOn), true, calendar.Happened(day, s.today(ctx)))
		rule, err := s.rules.Get(RuleExtension)
		if err != nil {
			return "", err
		}
		if in.Days < 1 || in.Days > rule.Period.N {
			v.Add("days", "延长天数应为 1 至 %d 日（《行政复议法》第六十二条：延长期限最多不超过三十日）", rule.Period.N)
		}
		if err := v.Err(); err != nil {
			return "", err
		}
		rule.Period.N = in.Days
		cl, err := decodeClock(c.decideClock)
		if err != nil {
			return "", err
		}
		if err := cl.Extend(s.cal, rule, approver, day); err != nil {
			return "", err
		}
		js, due, err := s.encode(cl)
		if err != nil {
			return "", err
		}
		c.Extended, c.decideClock, c.DecideDue = true, js, due.String()
		if err := s.waitOn(c); err != nil {
			return "", err
		}
		return fmt.Sprintf("延长 %d 日至 %s（%s；%s 书面告知当事人）", in.Days, c.DecideDue, reason, notice), nil
	case ActToNormal:
		approver := need(&v, "approved_by", "批准转为普通程序的负责人", in.ApprovedBy, 50)
		reason := need(&v, "reason", "转为普通程序的理由", in.Reason, 500)
		notBefore(&v, day, c.AcceptedOn, "受理日期")
		if err := v.Err(); err != nil {
			return "", err
		}
		return s.toNormal(c, approver, reason)
	case ActTerminate:
		t, ok := option.Value(Terminations, strings.TrimSpace(in.Termination))
		if !ok || t == "lapsed" {
			v.Add("termination", "请选择终止情形：申请人撤回申请、和解后撤回申请、中止满六十日终止或其他法定终止情形")
		}
		reason := need(&v, "reason", "终止理由", in.Reason, 2000)
		if err := v.Err(); err != nil {
			return "", err
		}
		if t == "suspension_limit" {
			if err := s.suspensionLimit(c, day); err != nil {
				return "", err
			}
		}
		c.Status, c.Termination, c.ClosedReason, c.ConcludedOn = StatusTerminated, t, reason, d
		c.setDue("", "")
		return option.Label(Terminations, t) + "：" + reason, nil
	case ActDecide:
		o, ok := option.Value(Outcomes, strings.TrimSpace(in.Outcome))
		if !ok {
			v.Add("outcome", "请选择决定类型：%s", strings.Join(option.Labels(Outcomes), "、"))
		}
		no := need(&v, "decision_no", "决定书文号", in.DecisionNo, 100)
		reason := need(&v, "reason", "决定理由", in.Reason, 5000)
		notBefore(&v, day, c.RepliedOn, "答复日期")
		if err := v.Err(); err != nil {
			return "", err
		}
		c.Status, c.Outcome, c.DecisionNo, c.DecisionReason, c.ConcludedOn = StatusDecided, o, no, reason, d
		c.setDue("", "")
		note := option.Label(Outcomes, o) + "，" + no
		if d > c.DecideDue {
			note += "（超过决定期限 " + c.DecideDue + "）"
		}
		if IsCorrection(o) && s.findings != nil {
			id, err := s.findings.Raise(ctx, tx, FindingInput{UnitID: c.UnitID, SourceRef: no, FoundOn: d,
				Title:       fmt.Sprintf("行政复议%s：%s", option.Label(Outcomes, o), truncate(c.Act, 60)),
				Description: fmt.Sprintf("行政复议案件 %s（申请人 %s）决定%s被申请人的行政行为“%s”。决定理由：%s", c.Code, c.ApplicantName, option.Label(Outcomes, o), c.Act, reason)})
			if err != nil {
				return "", err
			}
			c.FindingID = id
			note += "；已登记问题台账"
		}
		return note, nil
	case ActPublish:
		notBefore(&v, day, c.ConcludedOn, "决定日期")
		if err := v.Err(); err != nil {
			return "", err
		}
		c.Status, c.PublishedOn = StatusPublished, d
		return "", nil
	case ActOpinion:
		k, ok := option.Value(OpinionKinds, strings.TrimSpace(in.Kind))
		if !ok {
			v.Add("kind", "请选择文书种类：行政复议意见书或行政复议建议书")
		}
		text := need(&v, "text", "意见书或建议书内容", in.Text, 5000)
		notBefore(&v, day, c.ConcludedOn, "决定日期")
		if err := v.Err(); err != nil {
			return "", err
		}
		due, err := s.dueOf(RuleFollowup, day)
		if err != nil {
			return "", err
		}
		c.OpinionKind, c.OpinionOn, c.OpinionText, c.FollowupDue = k, d, text, due.String()
		return option.Label(OpinionKinds, k) + "，整改情况报送期限 " + c.FollowupDue, nil
	case ActFollowup:
		text := need(&v, "text", "整改情况", in.Text, 5000)
		notBefore(&v, day, c.OpinionOn, "制发日期")
		if err := v.Err(); err != nil {
			return "", err
		}
		c.FollowupOn, c.FollowupNote = d, text
		if d > c.FollowupDue {
			return "逾期报送（期限 " + c.FollowupDue + "）", nil
		}
		return "", nil
	case ActSued:
		notBefore(&v, day, c.ConcludedOn, "决定日期")
		if err := v.Err(); err != nil {
			return "", err
		}
		c.Sued = true
		return strings.TrimSpace(in.Reason), nil
	}
	return "", apperr.Field("action", "办理步骤「%s」无效", action)
}

// accepted records the acceptance (decided on day, or deemed on the last
// day of the review period) and starts the decision clock.
func (s *Service) accepted(c *Case, day calendar.Date, kind string) (string, error) {
	rule := RuleDecide
	if c.Simple {
		rule = RuleDecideSimple
	}
	js, due, err := s.startClock(rule, day)
	if err != nil {
		return "", err
	}
	copyRule := RuleCopy
	if c.Simple {
		copyRule = RuleCopySimple
	}
	copyDue, err := s.dueOf(copyRule, day)
	if err != nil {
		return "", err
	}
	c.Status, c.AcceptKind, c.AcceptedOn, c.decideClock, c.DecideDue = StatusAccepted, kind, day.String(), js, due.String()
	c.setDue(copyDue.String(), "发送答复通知书及申请书副本")
	proc := "普通程序"
	if c.Simple {
		proc = "简易程序"
	}
	return fmt.Sprintf("%s，决定期限 %s", proc, c.DecideDue), nil
}

// waitOn sets the current clock after the decision clock moved.
func (s *Service) waitOn(c *Case) error {
	switch c.Status {
	case StatusAccepted:
		copyRule := RuleCopy
		if c.Simple {
			copyRule = RuleCopySimple
		}
		acc, err := calendar.ParseDate(c.AcceptedOn)
		if err != nil {
			return err
		}
		due, err := s.dueOf(copyRule, acc)
		if err != nil {
			return err
		}
		c.setDue(due.String(), "发送答复通知书及申请书副本")
	case StatusReviewing:
		c.setDue(c.DecideDue, "作出复议决定")
	case StatusReplying:
		c.setDue(c.ReplyDue, "被申请人答复")
	}
	return nil
}

// suspensionLimit refuses a 中止满六十日 termination before the suspension
// has lasted the period of RuleSuspensionLimit.
func (s *Service) suspensionLimit(c *Case, day calendar.Date) error {
	if c.Status != StatusSuspended {
		return refuse(ActTerminate, "只有中止审理中的案件才能以“中止满六十日”终止")
	}
	cl, err := decodeClock(c.decideClock)
	if err != nil {
		return err
	}
	st, err := cl.Status(s.cal)
	if err != nil {
		return err
	}
	earliest, err := s.dueOf(RuleSuspensionLimit, st.PausedSince)
	if err != nil {
		return err
	}
	if day.Before(earliest) {
		return refuse(ActTerminate, "本案 %s 起中止，满六十日（%s）后方可终止", st.PausedSince, earliest)
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
