package app

import (
	"fmt"
	"strings"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/reconsideration"
)

// reconsiderations walks every demo 行政复议 case against the module's
// rules: steps in legal order and not after the load day, each clock's due
// date from its named rule (acceptance restarted on a corrected
// application; deemed accepted the day after the review's last day, and no
// case left under review past it; the decision
// clock as its recorded history gives it), acceptance within its period,
// the on-time flag against the decision deadline, every correction with
// its finding for the respondent unit found on the decision day, 责令履行
// exactly for the corrected failures to perform a duty, and every
// timeline entry recorded on or after the receipt and before the load.
func (c *demoCheck) reconsiderations() {
	svc := c.a.Reconsideration()
	page, err := svc.List(c.ctx, reconsideration.Filter{}, db.ListReq{Size: 500})
	if err != nil {
		c.t.Fatal(err)
	}
	for _, item := range page.Items {
		c.count("reconsideration")
		r, err := svc.Get(c.ctx, item.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		rec := fmt.Sprintf("行政复议 %s（%s）", r.Code, r.ApplicantName)
		c.order(rec, "收到申请", r.ReceivedOn, "通知补正", r.CorrectionOn, "收到补正", r.CorrectedOn, "受理", r.AcceptedOn,
			"发送副本", r.CopySentOn, "答复", r.RepliedOn, "听证", r.HearingOn, "审结", r.ConcludedOn, "公开", r.PublishedOn)
		c.order(rec, "审结", r.ConcludedOn, "制发意见书", r.OpinionOn, "整改报告", r.FollowupOn)
		trigger := r.ReceivedOn
		if r.CorrectedOn != "" {
			trigger = r.CorrectedOn
		}
		if want := c.due(reconsideration.RuleAccept, trigger); r.AcceptDue != want {
			c.bad(rec, "受理审查期限 %s，按规则应为 %s", r.AcceptDue, want)
		}
		switch r.AcceptKind {
		case "accepted":
			if r.AcceptedOn > r.AcceptDue {
				c.bad(rec, "%s 决定受理，已超过受理审查期限 %s", r.AcceptedOn, r.AcceptDue)
			}
		case "deemed":
			if want := calendar.MustDate(r.AcceptDue).AddDays(1).String(); r.AcceptedOn != want {
				c.bad(rec, "视为受理日期 %s，应为受理审查期限 %s 届满的次日 %s", r.AcceptedOn, r.AcceptDue, want)
			}
		}
		if r.Status == reconsideration.StatusReceived && r.AcceptDue < day(c.now) {
			c.bad(rec, "受理审查期限 %s 已届满，仍未登记受理（应自动视为受理）", r.AcceptDue)
		}
		inaction := r.Category == "inaction"
		if (inaction && reconsideration.IsCorrection(r.Outcome) && r.Outcome != "order_perform") || (!inaction && r.Outcome == "order_perform") {
			c.bad(rec, "%s案件的纠错决定为“%s”：不履行法定职责的应责令履行，其他案件不作责令履行决定", r.CategoryLabel, r.OutcomeLabel)
		}
		if r.CorrectionOn != "" {
			if want := c.due(reconsideration.RuleCorrection, r.CorrectionOn); r.CorrectionDue != want {
				c.bad(rec, "补正期限 %s，按规则应为 %s", r.CorrectionDue, want)
			}
		}
		if r.CopySentOn != "" {
			rule := reconsideration.RuleReply
			if r.Simple {
				rule = reconsideration.RuleReplySimple
			}
			if want := c.due(rule, r.CopySentOn); r.ReplyDue != want {
				c.bad(rec, "答复期限 %s，按规则应为 %s", r.ReplyDue, want)
			}
			if late := r.RepliedOn == "" || r.RepliedOn > r.ReplyDue; r.ReplyLate != late && r.Status != reconsideration.StatusSuspended {
				if r.RepliedOn != "" || r.Status == reconsideration.StatusReviewing || r.Outcome != "" {
					c.bad(rec, "逾期答复标记 %v 与答复日期 %q、期限 %s 不符", r.ReplyLate, r.RepliedOn, r.ReplyDue)
				}
			}
		}
		for _, k := range r.Clocks {
			if k.Name == "作出复议决定" && !k.Paused && k.Due != r.DecideDue {
				c.bad(rec, "决定期限 %s，按期限记录应为 %s", r.DecideDue, k.Due)
			}
		}
		if r.AcceptedOn != "" && !r.Extended {
			rule := reconsideration.RuleDecide
			if r.Simple {
				rule = reconsideration.RuleDecideSimple
			}
			if want := c.due(rule, r.AcceptedOn); r.DecideDue != want && !strings.Contains(fmt.Sprint(r.Clocks), "中止") {
				c.bad(rec, "决定期限 %s，按规则应为 %s", r.DecideDue, want)
			}
		}
		if r.Outcome != "" {
			if onTime := r.ConcludedOn <= r.DecideDue; r.OnTime == nil || *r.OnTime != onTime {
				c.bad(rec, "按期决定标记与决定日期 %s、期限 %s 不符", r.ConcludedOn, r.DecideDue)
			}
		}
		if reconsideration.IsCorrection(r.Outcome) {
			if r.FindingID == 0 {
				c.bad(rec, "纠错决定（%s）未登记问题台账", r.OutcomeLabel)
			} else if f, err := c.a.Engines().Findings.Get(c.ctx, r.FindingID); err != nil {
				c.bad(rec, "纠错决定登记的问题 %d 读取失败：%v", r.FindingID, err)
			} else if f.UnitID != r.UnitID || f.FoundOn != r.ConcludedOn || f.Source != "reconsideration_correction" {
				c.bad(rec, "纠错问题 %s 的单位、发现日期或来源与决定不符", f.Code)
			}
		} else if r.FindingID != 0 {
			c.bad(rec, "非纠错决定登记了问题 %d", r.FindingID)
		}
		if got := day(r.CreatedAt); got != r.ReceivedOn {
			c.bad(rec, "%s 收到申请，登记时间却是 %s", r.ReceivedOn, got)
		}
		for _, e := range r.Events {
			if e.At.After(c.now) || day(e.At) < r.ReceivedOn {
				c.bad(rec, "「%s」记录于 %s", e.Label, e.At)
			}
		}
	}
}
