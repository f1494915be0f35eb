package app

import (
	"fmt"

	"fazhi/internal/litigation"
	"fazhi/internal/platform/db"
)

// litigations walks every demo 行政应诉 lawsuit against the module's rules:
// the defence deadline from its named rule, steps in order and not after
// the load day, an outcome other than a withdrawal only after a held
// hearing, every lost lawsuit with its finding for the defendant unit
// found on the judgement day and its review due from its rule, the
// suggestion reply due from its rule, the linked reconsideration case
// marked as sued, and the register holding a few losses, not many.
func (c *demoCheck) litigations() {
	svc := c.a.Litigation()
	page, err := svc.List(c.ctx, litigation.Filter{}, db.ListReq{Size: 500})
	if err != nil {
		c.t.Fatal(err)
	}
	lost, linked := 0, 0
	for _, item := range page.Items {
		c.count("litigation")
		r, err := svc.Get(c.ctx, item.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		rec := fmt.Sprintf("行政应诉 %s（%s）", r.Code, r.PlaintiffName)
		if want := c.due(litigation.RuleDefence, r.ReceivedOn); r.DefenceDue != want {
			c.bad(rec, "答辩举证期限 %s，按规则应为 %s", r.DefenceDue, want)
		}
		last := ""
		for _, h := range r.Hearings {
			if h.Appearance == "" { // scheduled: ahead of the demo's day
				if h.HeldOn <= litigation.DemoToday.String() || h.HeldOn < r.ReceivedOn {
					c.bad(rec, "排期的庭审 %s 不在演示日 %s 之后", h.HeldOn, litigation.DemoToday)
				}
				continue
			}
			c.order(rec, "收到起诉状副本", r.ReceivedOn, "开庭", h.HeldOn)
			if h.HeldOn > last {
				last = h.HeldOn
			}
		}
		c.order(rec, "收到起诉状副本", r.ReceivedOn, "答辩", r.DefenceOn)
		c.order(rec, "收到起诉状副本", r.ReceivedOn, "举证", r.EvidenceOn)
		c.order(rec, "收到起诉状副本", r.ReceivedOn, "最后开庭", last, "裁判", r.JudgedOn, "司法建议", r.SuggestionOn, "回复", r.SuggestionReplyOn)
		c.order(rec, "裁判", r.JudgedOn, "复查办结", r.ReviewOn)
		if r.Outcome != "" && r.Outcome != "withdrawn" && last == "" {
			c.bad(rec, "未开庭即登记裁判结果 %s", r.OutcomeLabel)
		}
		if r.SuggestionOn != "" {
			if want := c.due(litigation.RuleSuggestionReply, r.SuggestionOn); r.SuggestionDue != want {
				c.bad(rec, "司法建议回复期限 %s，按规则应为 %s", r.SuggestionDue, want)
			}
		}
		if litigation.IsLoss(r.Outcome) {
			lost++
			if want := c.due(litigation.RuleActReview, r.JudgedOn); r.ReviewDue != want {
				c.bad(rec, "复查期限 %s，按规则应为 %s", r.ReviewDue, want)
			}
			if r.FindingID == 0 {
				c.bad(rec, "%s 未登记问题台账", r.OutcomeLabel)
			} else if f, err := c.a.Engines().Findings.Get(c.ctx, r.FindingID); err != nil {
				c.bad(rec, "败诉登记的问题 %d 读取失败：%v", r.FindingID, err)
			} else if f.UnitID != r.UnitID || f.FoundOn != r.JudgedOn {
				c.bad(rec, "败诉问题 %s 的单位或发现日期与裁判不符", f.Code)
			}
		} else if r.FindingID != 0 || r.ReviewDue != "" {
			c.bad(rec, "非败诉案件登记了问题 %d 或复查期限 %q", r.FindingID, r.ReviewDue)
		}
		if r.ReconCaseID > 0 {
			linked++
			rc, err := c.a.Reconsideration().Get(c.ctx, r.ReconCaseID)
			if err != nil {
				c.t.Fatal(err)
			}
			if !rc.Sued || rc.ConcludedOn > r.ReceivedOn {
				c.bad(rec, "关联的复议案件 %s 未登记起诉或决定晚于起诉", rc.Code)
			}
		}
		if got := day(r.CreatedAt); got != r.ReceivedOn {
			c.bad(rec, "%s 收到起诉状副本，登记时间却是 %s", r.ReceivedOn, got)
		}
		for _, e := range r.Events {
			if e.At.After(c.now) || day(e.At) < r.ReceivedOn {
				c.bad(rec, "「%s」记录于 %s", e.Label, e.At)
			}
		}
	}
	if len(page.Items) > 0 && (lost == 0 || lost*5 > len(page.Items) || linked == 0) {
		c.t.Errorf("行政应诉演示数据：%d 件中败诉 %d 件、关联复议 %d 件", len(page.Items), lost, linked)
	}
}
