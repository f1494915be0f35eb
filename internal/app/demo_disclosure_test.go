package app

import (
	"fmt"

	"fazhi/internal/disclosure"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// disclosures walks the demo's disclosure requests: the receipt date from
// the channel's named rule, steps in legal order, the reply deadline from
// the calendar rules (restarted by a correction, moved by a consultation,
// a fee or the one extension), replies on time as the seeds report, and
// recorded-at times on the days the steps are dated.
func (c *demoCheck) disclosures() {
	svc := c.a.Disclosure()
	page, err := svc.List(c.ctx, disclosure.Filter{}, db.ListReq{Size: 500})
	if err != nil {
		c.t.Fatal(err)
	}
	types := map[string]bool{}
	for _, item := range page.Items {
		c.count("disclosure")
		r, err := svc.Get(c.ctx, item.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		rec := fmt.Sprintf("依申请公开 %s", r.Code)
		date := func(s string) calendar.Date {
			if s == "" {
				return calendar.Date{}
			}
			return calendar.MustDate(s)
		}
		got, rule, err := disclosure.ReceivedOn(r.Channel, date(r.SubmittedOn), date(r.SignedOn), date(r.ConfirmedOn))
		if err != nil || got.String() != r.ReceivedOn || rule.Name != r.ReceiptRule {
			c.bad(rec, "收到申请之日 %s（%s），按渠道规则应为 %s（%s）%v", r.ReceivedOn, r.ReceiptRule, got, rule.Name, err)
		}
		c.order(rec, "申请", r.SubmittedOn, "收到", r.ReceivedOn, "告知补正", r.CorrectionOn, "收到补正", r.CorrectedOn,
			"征求意见", r.ConsultOn, "意见办结", r.ConsultClosedOn, "通知缴费", r.FeeNoticedOn, "缴费", r.FeePaidOn, "答复", r.DoneOn)
		if r.CorrectionOn != "" && r.CorrectionOn > c.due(disclosure.RuleCorrection, r.ReceivedOn) {
			c.bad(rec, "告知补正 %s 超过 7 个工作日", r.CorrectionOn)
		}
		start := r.ReceivedOn
		if r.CorrectedOn != "" {
			start = r.CorrectedOn
		}
		if r.ConsultOn == "" && r.ExtendedOn == "" && r.FeeNoticedOn == "" && r.Status != disclosure.StatusCorrecting && r.Status != disclosure.StatusClosed {
			if want := c.due(disclosure.RuleReply, start); r.ReplyDue != want && !r.DueProvisional {
				c.bad(rec, "答复期限 %s，按规则应为 %s", r.ReplyDue, want)
			}
		} else if r.ReplyDue < c.due(disclosure.RuleReply, start) && r.Status != disclosure.StatusCorrecting && r.Status != disclosure.StatusClosed {
			c.bad(rec, "中止或延期后的答复期限 %s 早于不中止的期限", r.ReplyDue)
		}
		if r.Status == disclosure.StatusReplied {
			types[r.ReplyType] = true
			if !r.OnTime || r.DoneOn > r.ReplyDue {
				c.bad(rec, "%s 答复，期限 %s：演示数据应全部按期答复", r.DoneOn, r.ReplyDue)
			}
		}
		if got := day(r.CreatedAt); got != r.ReceivedOn {
			c.bad(rec, "%s 收到，登记时间却是 %s", r.ReceivedOn, got)
		}
		last := r.CreatedAt
		for _, e := range r.Events {
			if e.At.Before(last) || e.At.After(c.now) || day(e.At) < r.ReceivedOn {
				c.bad(rec, "「%s」记录于 %s（前一环节 %s）", e.Label, e.At, last)
			}
			last = e.At
		}
	}
	if len(types) < 6 {
		c.bad("依申请公开", "演示数据的答复类型只有 %d 种：%v", len(types), types)
	}
}
