package disclosure

import (
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
)

// The procedure steps. Each takes the version the user read and refuses,
// with a Chinese message naming the step, anything the regulation does not
// allow at that point (the gates are here, not in the pages).

// CorrectionInput is a correction notice (补正告知, art. 30).
type CorrectionInput struct {
	Version int    `json:"version"`
	Date    string `json:"date" doc:"告知补正日期"`
	Items   string `json:"items" doc:"需要补正的事项（一次性告知）"`
	Until   string `json:"until" doc:"申请人补正的合理期限"`
}

// Correction records the correction notice: once, listing every gap, within
// 7 working days of receipt (disclosure.correction_notice). The reply
// clock stops; it restarts in full when the corrected request arrives.
func (s *Service) Correction(ctx context.Context, id int64, in CorrectionInput) (*Detail, error) {
	return s.update(ctx, id, in.Version, PermWrite, func(r *Request, e *edit) error {
		if r.CorrectionOn != "" {
			return apperr.New(apperr.Precondition, "已于 %s 告知补正：补正事项应一次性告知，不能再次告知补正", r.CorrectionOn)
		}
		if r.Status != StatusProcessing {
			return apperr.New(apperr.Precondition, "申请%s，不能告知补正", r.StatusLabel)
		}
		c, err := clockOf(r)
		if err != nil {
			return err
		}
		var v apperr.Fields
		d := s.stepDate(ctx, &v, "date", "告知补正日期", in.Date, r)
		notBefore(&v, "date", "告知补正日期", d, lastEvent(c))
		items := checkText(&v, "items", "需要补正的事项", in.Items, true, maxText)
		until := calendar.CheckDate(&v, "until", "补正期限", strings.TrimSpace(in.Until), true, calendar.Span{From: d})
		if !d.IsZero() && !until.IsZero() && !until.After(d) {
			v.Add("until", "补正期限应晚于告知补正日期")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if d.String() > r.CorrectionDue {
			return apperr.New(apperr.DeadlinePassed, "补正告知期限已于 %s 届满（收到申请之日起 7 个工作日内），不能再告知补正，请直接答复", r.CorrectionDue)
		}
		if err := c.Pause(s.cal, d, "告知补正，待申请人补正"); err != nil {
			return err
		}
		if err := s.saveClock(e, c); err != nil {
			return err
		}
		e.action, e.note = "correction", fmt.Sprintf("%s 告知补正，补正期限 %s", d, until)
		e.set("status", StatusCorrecting)
		e.set("correction_on", d.String())
		e.set("correction_items", items)
		e.set("correction_until", until.String())
		return nil
	})
}

// DateInput is a step that records only its date.
type DateInput struct {
	Version int    `json:"version"`
	Date    string `json:"date"`
}

// Corrected records the corrected request's arrival: the reply clock starts
// again in full from that day (art. 30).
func (s *Service) Corrected(ctx context.Context, id int64, in DateInput) (*Detail, error) {
	return s.update(ctx, id, in.Version, PermWrite, func(r *Request, e *edit) error {
		if r.Status != StatusCorrecting {
			return apperr.New(apperr.Precondition, "申请不在待补正状态（%s），不能登记补正", r.StatusLabel)
		}
		c, err := clockOf(r)
		if err != nil {
			return err
		}
		var v apperr.Fields
		d := s.stepDate(ctx, &v, "date", "收到补正日期", in.Date, r)
		notBefore(&v, "date", "收到补正日期", d, lastEvent(c))
		if err := v.Err(); err != nil {
			return err
		}
		if err := c.Restart(s.cal, d, "收到补正后的申请"); err != nil {
			return err
		}
		if err := s.saveClock(e, c); err != nil {
			return err
		}
		e.action, e.note = "corrected", d.String()+" 收到补正后的申请，答复期限重新起算"
		e.set("status", StatusProcessing)
		e.set("corrected_on", d.String())
		return nil
	})
}

// ConsultInput sends a request for the third party's opinion (art. 32).
type ConsultInput struct {
	Version int    `json:"version"`
	Date    string `json:"date" doc:"书面征求意见日期"`
	Party   string `json:"party" doc:"第三方名称"`
}

// Consult records the consultation of a third party: the third party has 15
// working days (disclosure.third_party) and the reply clock stops until the
// consultation ends (art. 32: the time does not count).
func (s *Service) Consult(ctx context.Context, id int64, in ConsultInput) (*Detail, error) {
	return s.update(ctx, id, in.Version, PermWrite, func(r *Request, e *edit) error {
		if r.Status != StatusProcessing {
			return apperr.New(apperr.Precondition, "申请%s，不能征求第三方意见", r.StatusLabel)
		}
		c, err := clockOf(r)
		if err != nil {
			return err
		}
		var v apperr.Fields
		d := s.stepDate(ctx, &v, "date", "征求意见日期", in.Date, r)
		notBefore(&v, "date", "征求意见日期", d, lastEvent(c))
		party := checkText(&v, "party", "第三方名称", in.Party, true, maxName)
		if err := v.Err(); err != nil {
			return err
		}
		rule, err := s.rules.Get(RuleThirdParty)
		if err != nil {
			return err
		}
		res, err := s.cal.Compute(rule.Period, d)
		if err != nil {
			return err
		}
		if err := c.Pause(s.cal, d, "征求第三方意见"); err != nil {
			return err
		}
		if err := s.saveClock(e, c); err != nil {
			return err
		}
		e.action, e.note = "consult", fmt.Sprintf("%s 征求「%s」意见，第三方答复期限 %s", d, party, res.Due)
		e.set("status", StatusConsulting)
		e.set("consult_party", party)
		e.set("consult_on", d.String())
		e.set("consult_due", res.Due.String())
		e.set("consult_closed_on", nil)
		e.set("consult_result", "")
		return nil
	})
}

// ConsultCloseInput ends a consultation.
type ConsultCloseInput struct {
	Version int    `json:"version"`
	Date    string `json:"date" doc:"收到第三方意见日期，或第三方逾期未答复时的办结日期"`
	Result  string `json:"result" doc:"agree 同意公开、object 不同意公开、no_reply 逾期未提出意见"`
}

// ConsultClosed ends the consultation and the reply clock runs again from
// that day. "No reply" may be recorded only once the third party's 15
// working days have passed.
func (s *Service) ConsultClosed(ctx context.Context, id int64, in ConsultCloseInput) (*Detail, error) {
	return s.update(ctx, id, in.Version, PermWrite, func(r *Request, e *edit) error {
		if r.Status != StatusConsulting {
			return apperr.New(apperr.Precondition, "申请不在征求意见状态（%s）", r.StatusLabel)
		}
		c, err := clockOf(r)
		if err != nil {
			return err
		}
		var v apperr.Fields
		d := s.stepDate(ctx, &v, "date", "意见办结日期", in.Date, r)
		notBefore(&v, "date", "意见办结日期", d, lastEvent(c))
		result, ok := option.Value(ConsultResults, strings.TrimSpace(in.Result))
		if !ok {
			v.Add("result", "第三方意见「%s」无效，应为：%s", in.Result, strings.Join(option.Labels(ConsultResults), "、"))
		}
		if err := v.Err(); err != nil {
			return err
		}
		if result == "no_reply" && d.String() <= r.ConsultDue {
			return apperr.New(apperr.Precondition, "第三方答复期限 %s 尚未届满，不能按逾期未提出意见办结", r.ConsultDue)
		}
		if err := c.Resume(s.cal, d); err != nil {
			return err
		}
		if err := s.saveClock(e, c); err != nil {
			return err
		}
		e.action, e.note = "consult_closed", fmt.Sprintf("%s 第三方意见：%s，答复期限恢复计算", d, option.Label(ConsultResults, result))
		e.set("status", StatusProcessing)
		e.set("consult_closed_on", d.String())
		e.set("consult_result", result)
		return nil
	})
}

// ExtendInput extends the reply deadline (art. 33).
type ExtendInput struct {
	Version    int    `json:"version"`
	Date       string `json:"date" doc:"批准延期日期"`
	Days       int    `json:"days" doc:"延长的工作日数（1–20）"`
	ApprovedBy string `json:"approved_by" doc:"批准延期的政府信息公开工作机构负责人"`
	Reason     string `json:"reason" doc:"延期理由（告知申请人）"`
}

// Extend extends the reply deadline once, by up to 20 working days
// (disclosure.reply_extension), with the approval of the head of the
// disclosure office recorded, before the deadline has passed.
func (s *Service) Extend(ctx context.Context, id int64, in ExtendInput) (*Detail, error) {
	return s.update(ctx, id, in.Version, PermApprove, func(r *Request, e *edit) error {
		if r.ExtendedOn != "" {
			return apperr.New(apperr.Precondition, "答复期限已于 %s 延长过一次，不能再次延长", r.ExtendedOn)
		}
		if r.Status != StatusProcessing {
			return apperr.New(apperr.Precondition, "申请%s，不能延长答复期限", r.StatusLabel)
		}
		c, err := clockOf(r)
		if err != nil {
			return err
		}
		var v apperr.Fields
		d := s.stepDate(ctx, &v, "date", "批准延期日期", in.Date, r)
		notBefore(&v, "date", "批准延期日期", d, lastEvent(c))
		by := checkText(&v, "approved_by", "批准延期的负责人", in.ApprovedBy, true, maxName)
		reason := checkText(&v, "reason", "延期理由", in.Reason, true, 500)
		if in.Days < 1 || in.Days > maxExtensionDays {
			v.Add("days", "延长天数应为 1 到 %d 个工作日", maxExtensionDays)
		}
		if err := v.Err(); err != nil {
			return err
		}
		rule, err := s.rules.Get(RuleReplyExtension)
		if err != nil {
			return err
		}
		rule.Period.N = min(in.Days, rule.Period.N)
		if err := c.Extend(s.cal, rule, by, d); err != nil {
			return err
		}
		if err := s.saveClock(e, c); err != nil {
			return err
		}
		due, _ := c.Due(s.cal)
		e.action, e.note = "extend", fmt.Sprintf("%s 经%s批准延长 %d 个工作日，答复期限延至 %s", d, by, rule.Period.N, due)
		e.set("extended_on", d.String())
		e.set("extension_days", rule.Period.N)
		e.set("extension_by", by)
		e.set("extension_reason", reason)
		return nil
	})
}

// SecrecyInput records the secrecy review (保密审查) before release.
type SecrecyInput struct {
	Version  int    `json:"version"`
	Date     string `json:"date"`
	Reviewer string `json:"reviewer" doc:"保密审查人"`
	Result   string `json:"result" doc:"cleared 不涉密同意公开；secret 涉密不得公开"`
	Note     string `json:"note,omitempty"`
}

// Secrecy records the secrecy review of the information to be released.
// Nothing is disclosed without a review that cleared it.
func (s *Service) Secrecy(ctx context.Context, id int64, in SecrecyInput) (*Detail, error) {
	return s.update(ctx, id, in.Version, PermApprove, func(r *Request, e *edit) error {
		if !isOpen(r.Status) {
			return apperr.New(apperr.Precondition, "申请%s，不能再作保密审查", r.StatusLabel)
		}
		var v apperr.Fields
		d := s.stepDate(ctx, &v, "date", "保密审查日期", in.Date, r)
		reviewer := checkText(&v, "reviewer", "保密审查人", in.Reviewer, true, maxName)
		note := checkText(&v, "note", "审查意见", in.Note, false, 1000)
		result, ok := option.Value(SecrecyResults, strings.TrimSpace(in.Result))
		if !ok {
			v.Add("result", "保密审查结论无效，应为：%s", strings.Join(option.Labels(SecrecyResults), "、"))
		}
		if err := v.Err(); err != nil {
			return err
		}
		e.action, e.note = "secrecy", fmt.Sprintf("%s %s：%s", d, reviewer, option.Label(SecrecyResults, result))
		e.set("secrecy_on", d.String())
		e.set("secrecy_by", reviewer)
		e.set("secrecy_result", result)
		e.set("secrecy_note", note)
		return nil
	})
}

// Fee computes the 信息处理费 in fen under 《政府信息公开信息处理费管理办法》
// (国办函〔2020〕109号). By volume (pages of one request): up to 30 pages free;
// pages 31–100 at 10 yuan, 101–200 at 20 yuan, beyond 200 at 40 yuan. By
// item (quantity = this request's number among the applicant's requests in
// the calendar month): up to 10 free; items 11–30 at 100 yuan; from item
// 31 the rate rises by 100 yuan for every further 10 items.
func Fee(method string, quantity int) int64 {
	const yuan = 100
	switch method {
	case "pages":
		var fen int64
		for p := 31; p <= quantity; p++ {
			switch {
			case p <= 100:
				fen += 10 * yuan
			case p <= 200:
				fen += 20 * yuan
			default:
				fen += 40 * yuan
			}
		}
		return fen
	case "items":
		switch {
		case quantity <= 10:
			return 0
		case quantity <= 30:
			return 100 * yuan
		default:
			return int64(100*(2+(quantity-31)/10)) * yuan
		}
	}
	return 0
}

// FeeInput is a fee notice.
type FeeInput struct {
	Version  int    `json:"version"`
	Date     string `json:"date" doc:"收费通知日期"`
	Method   string `json:"method" doc:"pages 按量计收（页数）；items 按件计收（申请人本月第几件申请）"`
	Quantity int    `json:"quantity" doc:"页数或件次"`
}

// FeeNotice sends a fee notice: allowed only when the request is over the
// free threshold (the fee is computed, never typed). The time until
// payment does not count toward the reply deadline.
func (s *Service) FeeNotice(ctx context.Context, id int64, in FeeInput) (*Detail, error) {
	return s.update(ctx, id, in.Version, PermWrite, func(r *Request, e *edit) error {
		if r.Status != StatusProcessing {
			return apperr.New(apperr.Precondition, "申请%s，不能发出收费通知", r.StatusLabel)
		}
		if r.FeeNoticedOn != "" {
			return apperr.New(apperr.Precondition, "已于 %s 发出收费通知", r.FeeNoticedOn)
		}
		c, err := clockOf(r)
		if err != nil {
			return err
		}
		var v apperr.Fields
		d := s.stepDate(ctx, &v, "date", "收费通知日期", in.Date, r)
		notBefore(&v, "date", "收费通知日期", d, lastEvent(c))
		method, ok := option.Value(FeeMethods, strings.TrimSpace(in.Method))
		if !ok {
			v.Add("method", "计费方式无效，应为：%s", strings.Join(option.Labels(FeeMethods), "、"))
		}
		if in.Quantity < 1 || in.Quantity > 100000 {
			v.Add("quantity", "页数或件次应为 1 到 100000")
		}
		if err := v.Err(); err != nil {
			return err
		}
		fee := Fee(method, in.Quantity)
		if fee == 0 {
			return apperr.Field("quantity", "未超过免费标准（按量计收 30 页以内、按件计收每月 10 件以内不收费），不得收取信息处理费")
		}
		if err := c.Pause(s.cal, d, "发出收费通知，待申请人缴费"); err != nil {
			return err
		}
		if err := s.saveClock(e, c); err != nil {
			return err
		}
		e.action, e.note = "fee_notice", fmt.Sprintf("%s 通知缴纳信息处理费 %s 元（%s %d）", d, yuanText(fee), option.Label(FeeMethods, method), in.Quantity)
		e.set("status", StatusAwaitingFee)
		e.set("fee_method", method)
		e.set("fee_quantity", in.Quantity)
		e.set("fee_fen", fee)
		e.set("fee_noticed_on", d.String())
		return nil
	})
}

func yuanText(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

// FeePaid records payment; the reply clock runs again from that day.
func (s *Service) FeePaid(ctx context.Context, id int64, in DateInput) (*Detail, error) {
	return s.update(ctx, id, in.Version, PermWrite, func(r *Request, e *edit) error {
		if r.Status != StatusAwaitingFee {
			return apperr.New(apperr.Precondition, "申请不在待缴费状态（%s）", r.StatusLabel)
		}
		c, err := clockOf(r)
		if err != nil {
			return err
		}
		var v apperr.Fields
		d := s.stepDate(ctx, &v, "date", "缴费日期", in.Date, r)
		notBefore(&v, "date", "缴费日期", d, lastEvent(c))
		if err := v.Err(); err != nil {
			return err
		}
		if err := c.Resume(s.cal, d); err != nil {
			return err
		}
		if err := s.saveClock(e, c); err != nil {
			return err
		}
		e.action, e.note = "fee_paid", fmt.Sprintf("%s 缴费 %s 元，答复期限恢复计算", d, yuanText(r.FeeFen))
		e.set("status", StatusProcessing)
		e.set("fee_paid_on", d.String())
		return nil
	})
}

// ReplyInput answers a request.
type ReplyInput struct {
	Version   int    `json:"version"`
	Date      string `json:"date" doc:"答复日期"`
	ReplyType string `json:"reply_type"`
	Reason    string `json:"reason,omitempty" doc:"不予公开、无法提供、不予处理的具体情形"`
	ReplyNo   string `json:"reply_no,omitempty" doc:"答复书文号（不填自动编号）"`
	Text      string `json:"text" doc:"答复内容：公开的方式和途径、不予公开的理由、负责公开的机关等"`
}

// textRequired names what a reply of each type must say.
var textRequired = map[string]string{
	ReplyAlreadyPublic: "获取该政府信息的方式和途径",
	ReplyWithhold:      "不予公开的理由",
	ReplyNotOurs:       "负责公开该政府信息的行政机关名称及联系方式（能够确定的）",
	ReplyOtherLaw:      "依照哪部法律、行政法规办理及其途径",
	ReplyNotProcessed:  "不予处理的理由",
	ReplyPartial:       "不予公开部分的理由",
}

// Reply answers the request. Gates: the clock must be running (no reply
// while waiting for a correction, a third party or a fee); information is
// released only after a secrecy review that cleared it, with the released
// files (a partial disclosure with its redacted copies) attached; every
// refusal states its ground. The reply is on time when dated no later than
// the due date of the clock.
func (s *Service) Reply(ctx context.Context, id int64, in ReplyInput) (*Detail, error) {
	return s.update(ctx, id, in.Version, PermWrite, func(r *Request, e *edit) error {
		switch r.Status {
		case StatusProcessing:
		case StatusCorrecting:
			return apperr.New(apperr.Precondition, "已告知补正，须收到补正后的申请（或按逾期不补正终止办理）后才能答复")
		case StatusConsulting:
			return apperr.New(apperr.Precondition, "正在征求第三方意见，须意见办结后才能答复")
		case StatusAwaitingFee:
			return apperr.New(apperr.Precondition, "已发出收费通知，须申请人缴费（或按逾期不缴费终止办理）后才能答复")
		default:
			return apperr.New(apperr.Precondition, "申请%s，不能重复答复", r.StatusLabel)
		}
		c, err := clockOf(r)
		if err != nil {
			return err
		}
		var v apperr.Fields
		d := s.stepDate(ctx, &v, "date", "答复日期", in.Date, r)
		notBefore(&v, "date", "答复日期", d, lastEvent(c))
		rt, ok := option.Value(ReplyTypes, strings.TrimSpace(in.ReplyType))
		if !ok || rt == ReplyOther {
			v.Add("reply_type", "答复类型「%s」无效，应为：%s（终止办理请用“终止办理”）", in.ReplyType, strings.Join(option.Labels(ReplyTypes[:len(ReplyTypes)-1]), "、"))
		}
		reason := ""
		if opts := Reasons[rt]; ok && len(opts) > 0 {
			if reason, ok = option.Value(opts, strings.TrimSpace(in.Reason)); !ok {
				v.Add("reason", "请选择具体情形：%s", strings.Join(option.Labels(opts), "、"))
			}
		}
		what, needText := textRequired[rt]
		text := checkText(&v, "text", "答复内容", in.Text, false, maxText)
		if needText && text == "" {
			v.Add("text", "请写明%s", what)
		}
		replyNo := checkText(&v, "reply_no", "答复书文号", in.ReplyNo, false, 50)
		if err := v.Err(); err != nil {
			return err
		}
		if releases(rt) {
			if r.SecrecyResult == "" {
				return apperr.New(apperr.Precondition, "公开前须经保密审查：请先登记保密审查结论")
			}
			if r.SecrecyResult != SecrecyCleared {
				return apperr.New(apperr.Precondition, "保密审查结论为涉密，不得公开；请按不予公开（属于国家秘密）答复")
			}
			owner, what := OwnerRelease, "提供给申请人的政府信息"
			if rt == ReplyPartial {
				owner, what = OwnerRedacted, "区分处理（遮盖不予公开内容）后的文本"
			}
			if s.files != nil {
				n, err := s.files.Count(ctx, s.db, owner, r.ID)
				if err != nil {
					return err
				}
				if n == 0 {
					return apperr.New(apperr.Precondition, "请先上传%s，再作出答复", what)
				}
			}
		}
		if r.FeeNoticedOn != "" && r.FeePaidOn == "" {
			return apperr.New(apperr.Precondition, "信息处理费尚未缴纳")
		}
		if replyNo == "" {
			replyNo = fmt.Sprintf("依申请公开答复〔%d〕%d号", d.Year, r.ID)
		}
		due, err := c.Due(s.cal)
		if err != nil {
			return err
		}
		onTime := !d.After(due)
		group, row := statRow(rt, reason)
		note := fmt.Sprintf("%s %s", d, option.Label(ReplyTypes, rt))
		if !onTime {
			note += fmt.Sprintf("（超过答复期限 %s）", due)
		}
		e.action, e.note = "reply", note
		e.set("status", StatusReplied)
		e.set("reply_type", rt)
		e.set("reply_reason", reason)
		e.set("stat_group", group)
		e.set("stat_row", row)
		e.set("reply_no", replyNo)
		e.set("reply_text", text)
		e.set("done_on", d.String())
		e.set("on_time", boolInt(onTime))
		return nil
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CloseInput ends a request without a reply (其他处理).
type CloseInput struct {
	Version int    `json:"version"`
	Date    string `json:"date"`
	Reason  string `json:"reason" doc:"no_correction 逾期不补正；no_fee 逾期不缴费；other 其他（如申请人撤回）"`
	Note    string `json:"note,omitempty"`
}

// Close ends a request without a reply: the applicant did not correct it by
// the correction deadline, did not pay the fee, or (other) withdrew it.
func (s *Service) Close(ctx context.Context, id int64, in CloseInput) (*Detail, error) {
	return s.update(ctx, id, in.Version, PermWrite, func(r *Request, e *edit) error {
		if !isOpen(r.Status) {
			return apperr.New(apperr.Precondition, "申请%s，不能终止办理", r.StatusLabel)
		}
		var v apperr.Fields
		d := s.stepDate(ctx, &v, "date", "终止日期", in.Date, r)
		reason, ok := option.Value(Reasons[ReplyOther], strings.TrimSpace(in.Reason))
		if !ok {
			v.Add("reason", "终止办理的情形无效，应为：%s", strings.Join(option.Labels(Reasons[ReplyOther]), "、"))
		}
		note := checkText(&v, "note", "说明", in.Note, reason == "other", 1000)
		if err := v.Err(); err != nil {
			return err
		}
		switch reason {
		case "no_correction":
			if r.Status != StatusCorrecting {
				return apperr.New(apperr.Precondition, "只有已告知补正的申请才能按逾期不补正终止办理")
			}
			if d.String() <= r.CorrectionUntil {
				return apperr.New(apperr.Precondition, "补正期限 %s 尚未届满，不能按逾期不补正终止办理", r.CorrectionUntil)
			}
		case "no_fee":
			if r.Status != StatusAwaitingFee {
				return apperr.New(apperr.Precondition, "只有已发出收费通知的申请才能按逾期不缴费终止办理")
			}
		}
		group, row := statRow(ReplyOther, reason)
		e.action, e.note = "close", fmt.Sprintf("%s %s", d, option.Label(Reasons[ReplyOther], reason))
		if note != "" {
			e.note += "：" + note
		}
		e.set("status", StatusClosed)
		e.set("reply_type", ReplyOther)
		e.set("reply_reason", reason)
		e.set("stat_group", group)
		e.set("stat_row", row)
		e.set("reply_text", note)
		e.set("done_on", d.String())
		return nil
	})
}
