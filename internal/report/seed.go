package report

import (
	"context"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
)

// DemoSource gives the demo its accounts.
type DemoSource interface {
	Actor(ctx context.Context, username string) (*auth.Actor, error)
}

// Demo accounts (internal/org's demo): the rule-of-law office drafts and
// reviews the government's report, the government office approves and
// publishes it; the market regulator's clerk and head its own.
const (
	demoDrafter   = "sifaju2"
	demoReviewer  = "sifaju"
	demoGovOffice = "zfb"
	demoDeptClerk = "clerk_sj"
	demoDeptHead  = "head_sj"
	demoDeptName  = "区市场监管局"
)

// SeedDemo writes the demo reports: the district government's 2025 report
// reviewed (returned once, so it has two versions) and published by 1
// April 2026, the market regulator's 2025 report approved by 1 March, and
// the government's 2026 report as a draft; then the reminders of the 2026
// deadlines.
func (s *Service) SeedDemo(ctx context.Context, src DemoSource) error {
	ctx, sim := clock.Simulate(ctx)
	as := func(username string) (context.Context, error) {
		a, err := src.Actor(ctx, username)
		if err != nil {
			return nil, err
		}
		return auth.With(ctx, a), nil
	}
	at := func(day string, hour int) { sim.At(calendar.MustDate(day), hour) }
	units, err := s.deps.Units.ReportUnits(auth.With(ctx, auth.SystemActor("演示数据")))
	if err != nil {
		return err
	}
	var gov, dept UnitInfo
	for _, u := range units {
		switch {
		case u.Type == "district" && gov.ID == 0:
			gov = u
		case u.Name == demoDeptName:
			dept = u
		}
	}
	if gov.ID == 0 || dept.ID == 0 {
		return apperr.New(apperr.NotFound, "演示数据：找不到区政府或%s", demoDeptName)
	}
	drafter, err := as(demoDrafter)
	if err != nil {
		return err
	}
	reviewer, err := as(demoReviewer)
	if err != nil {
		return err
	}
	office, err := as(demoGovOffice)
	if err != nil {
		return err
	}
	clerk, err := as(demoDeptClerk)
	if err != nil {
		return err
	}
	head, err := as(demoDeptHead)
	if err != nil {
		return err
	}

	// The market regulator reports to the government by 1 March 2026.
	at("2026-02-09", 9)
	d, err := s.Create(clerk, CreateInput{Year: 2025, UnitID: dept.ID})
	if err != nil {
		return fmt.Errorf("演示数据：部门年度报告：%w", err)
	}
	if d, err = s.Edit(clerk, d.ID, EditInput{Version: d.Version, Paragraphs: []ParaInput{{Key: SecOther + ".1",
		Text: "本局全年开展“双随机、一公开”联合抽查，推行包容审慎监管，无其他需要报告的情况。"}}}); err != nil {
		return err
	}
	at("2026-02-10", 10)
	if d, err = s.Submit(clerk, d.ID, VersionInput{Version: d.Version}); err != nil {
		return err
	}
	at("2026-02-12", 15)
	if d, err = s.Act(head, d.ID, ActInput{Version: d.Version, Action: "approve", Opinion: "同意报送。"}); err != nil {
		return err
	}
	at("2026-02-24", 11)
	if _, err = s.Act(reviewer, d.ID, ActInput{Version: d.Version, Action: "approve", Opinion: "已审核，纳入区政府年度报告汇总。"}); err != nil {
		return err
	}

	// The government's report: drafted by the rule-of-law office, returned
	// once, approved by the government and published by 1 April 2026.
	at("2026-03-09", 9)
	r, err := s.Create(drafter, CreateInput{Year: 2025, UnitID: gov.ID})
	if err != nil {
		return fmt.Errorf("演示数据：政府年度报告：%w", err)
	}
	duty := SecDuty + ".1"
	if r, err = s.Edit(drafter, r.ID, EditInput{Version: r.Version, Paragraphs: []ParaInput{{Key: duty,
		Text: gov.Name + "主要负责人切实履行推进法治建设第一责任人职责，全年主持召开政府常务会议专题研究法治政府建设工作，将法治建设纳入年度工作要点和绩效考核。"}}}); err != nil {
		return err
	}
	at("2026-03-10", 10)
	if r, err = s.Submit(drafter, r.ID, VersionInput{Version: r.Version}); err != nil {
		return err
	}
	at("2026-03-12", 16)
	if r, err = s.Act(reviewer, r.ID, ActInput{Version: r.Version, Action: "reject", Opinion: "第二部分请补充区政府常务会议学法的次数和主要负责人出庭应诉情况。"}); err != nil {
		return err
	}
	at("2026-03-16", 9)
	if r, err = s.Edit(drafter, r.ID, EditInput{Version: r.Version, Paragraphs: []ParaInput{{Key: duty,
		Text: gov.Name + "主要负责人切实履行推进法治建设第一责任人职责，全年主持召开政府常务会议专题研究法治政府建设工作 4 次，政府常务会议会前学法 12 次，将法治建设纳入年度工作要点和绩效考核。"}}}); err != nil {
		return err
	}
	if r, err = s.Submit(drafter, r.ID, VersionInput{Version: r.Version}); err != nil {
		return err
	}
	at("2026-03-18", 10)
	if r, err = s.Act(reviewer, r.ID, ActInput{Version: r.Version, Action: "approve", Opinion: "已按意见修改，同意报区政府审定。"}); err != nil {
		return err
	}
	at("2026-03-25", 15)
	if r, err = s.Act(office, r.ID, ActInput{Version: r.Version, Action: "approve", Opinion: "经区政府常务会议审议通过。"}); err != nil {
		return err
	}
	at("2026-03-30", 9)
	if _, err = s.Publish(office, r.ID, VersionInput{Version: r.Version}); err != nil {
		return err
	}

	// This year's report, a draft.
	sim.Set(s.now())
	if today := calendar.Today(sim.Now()); today.Year > 2026 || today.Before(calendar.NewDate(2026, 12, 1)) {
		at("2026-12-01", 9)
	}
	if _, err := s.Create(drafter, CreateInput{Year: 2026, UnitID: gov.ID}); err != nil && !strings.Contains(err.Error(), "已存在") {
		return err
	}
	_, err = s.ScheduleReminders(auth.With(ctx, auth.SystemActor("演示数据")), 2026)
	return err
}
