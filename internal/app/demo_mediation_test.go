package app

import (
	"fmt"

	"fazhi/internal/mediation"
	"fazhi/internal/metric"
	"fazhi/internal/platform/db"
)

// mediation walks every demo mediation case (TestDemoConsistency): steps in
// legal order and none after the load day, the confirmation window by rule
// mediation.confirm from the agreement's day and every application inside
// it, only written agreements confirmed, each step recorded on its own day
// (imports on or after the day the case was concluded), and the year's
// success rate near the 99% the demo models.
func (c *demoCheck) mediation() {
	svc := c.a.Mediation()
	req := db.ListReq{Size: 500}
	for {
		page, err := svc.List(c.ctx, mediation.Filter{}, req)
		if err != nil {
			c.t.Fatal(err)
		}
		for _, item := range page.Items {
			c.count("mediation")
			k, err := svc.Get(c.ctx, item.ID)
			if err != nil {
				c.t.Fatal(err)
			}
			rec := fmt.Sprintf("调解案件 %s（%s）", k.Code, k.CommitteeName)
			c.order(rec, "受理", k.ReceivedOn, "结案", k.ClosedOn, "申请司法确认", k.ConfirmAppliedOn, "司法确认裁定", k.ConfirmResultOn)
			c.order(rec, "结案", k.ClosedOn, "履行完毕", k.FulfilledOn)
			c.order(rec, "结案", k.ClosedOn, "引导诉讼", k.LitigationOn)
			switch k.Status {
			case mediation.StatusSucceeded:
				if k.AgreementForm == "" || k.AgreementTerms == "" || k.Sessions == 0 {
					c.bad(rec, "调解成功却缺少协议形式、内容或调解记录")
				}
			case mediation.StatusFailed:
				if k.FailedReason == "" || k.Sessions == 0 {
					c.bad(rec, "调解不成却缺少原因或调解记录")
				}
			}
			if k.AgreementForm == mediation.FormWritten {
				if want := c.due(mediation.RuleConfirm, k.ClosedOn); k.ConfirmDue != want {
					c.bad(rec, "申请司法确认期限 %s，按规则应为 %s", k.ConfirmDue, want)
				}
			} else if k.ConfirmAppliedOn != "" || k.ConfirmDue != "" {
				c.bad(rec, "非书面协议却有司法确认期限或申请")
			}
			if k.ConfirmAppliedOn != "" && k.ConfirmAppliedOn > k.ConfirmDue {
				c.bad(rec, "%s 申请司法确认，超过期限 %s", k.ConfirmAppliedOn, k.ConfirmDue)
			}
			if k.CreatedAt.After(c.now) || day(k.CreatedAt) < k.ReceivedOn {
				c.bad(rec, "登记时间 %s 早于受理 %s 或晚于载入", k.CreatedAt, k.ReceivedOn)
			}
			for _, st := range k.Steps {
				switch {
				case st.Kind == "import":
					if day(st.At) < k.ClosedOn || day(st.At) < k.FulfilledOn || st.At.After(c.now) {
						c.bad(rec, "导入于 %s，早于案件记载的结案或履行日期", day(st.At))
					}
				case day(st.At) != st.Day:
					c.bad(rec, "「%s」日期 %s，记录于 %s", st.Label, st.Day, day(st.At))
				}
			}
		}
		if page.Next == "" {
			break
		}
		req = db.ListReq{Size: 500, After: page.Next}
	}
	figs, err := svc.Figures(c.ctx, metric.Query{From: "2026-01-01", To: "2026-12-31"})
	if err != nil {
		c.t.Fatal(err)
	}
	for _, f := range figs {
		if f.Code == mediation.FigureSuccessRate && (f.Value < 98 || f.Value > 99.9) {
			c.bad("人民调解成功率", "%.1f%%，演示数据按约 99%% 设计", f.Value)
		}
	}
}
