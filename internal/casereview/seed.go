package casereview

import (
	"context"
	"fmt"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
)

// SeedDemo loads the demo through the service under a simulated clock:
// the default rubric; the 2026 review plan over the enforcement demo's
// departments, committed and drawn in November with most files scored
// (deductions and a veto become findings) and two left to score; two
// supervision notices (one answered on time, one overdue and escalated by
// its job); monitors, contact points and their feedback.
func (s *Service) SeedDemo(ctx context.Context) error {
	ctx, sim := clock.Simulate(ctx)
	ctx = auth.With(ctx, auth.SystemActor("演示数据"))
	at := func(d string) { sim.At(calendar.MustDate(d), 10) }
	at("2026-02-10")
	d := DefaultRubric()
	rubric, err := s.CreateRubric(ctx, RubricInput{Name: d.Name, Definition: d.Definition, ExcellentMin: d.ExcellentMin, PassMin: d.PassMin})
	if err != nil {
		return fmt.Errorf("demo rubric: %w", err)
	}
	bodies, err := s.en.Bodies(ctx)
	if err != nil || len(bodies) < 2 {
		return err // a trimmed enforcement demo
	}
	var sfj int64
	if err := s.db.QueryRow(ctx, "SELECT id FROM org_unit_refs WHERE name LIKE ? ORDER BY id LIMIT 1", "%司法局").Scan(&sfj); err != nil {
		return fmt.Errorf("demo: no 司法局: %w", db.Classify(err))
	}
	byName := map[string]BodyRef{}
	var units []int64
	seen := map[int64]bool{}
	for _, b := range bodies {
		byName[b.Name] = b
		if !seen[b.UnitID] && len(units) < 4 {
			seen[b.UnitID] = true
			units = append(units, b.UnitID)
		}
	}
	var officers []int64
	for _, u := range units {
		os, err := s.en.Officers(ctx, u)
		if err != nil {
			return err
		}
		for i, o := range os {
			if i == 3 {
				break
			}
			officers = append(officers, o.ID)
		}
	}
	at("2026-10-26")
	p, err := s.CreatePlan(ctx, PlanInput{Year: 2026, Title: "2026 年度行政处罚案卷交叉评查", UnitID: sfj, RubricID: rubric.ID, UnitIDs: units, PerUnit: 3, PerFile: 2})
	if err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	if len(officers) > 0 {
		if _, err := s.AddReviewers(ctx, p.ID, ReviewersInput{OfficerIDs: officers}); err != nil {
			return fmt.Errorf("demo reviewers: %w", err)
		}
	}
	at("2026-11-02")
	if p, err = s.GetPlan(ctx, p.ID); err != nil {
		return err
	}
	if p, err = s.Commit(ctx, p.ID, VersionInput{Version: p.Version}); err != nil {
		return fmt.Errorf("demo commit: %w", err)
	}
	at("2026-11-03")
	if p, err = s.Draw(ctx, p.ID, VersionInput{Version: p.Version}); err != nil {
		return fmt.Errorf("demo draw: %w", err)
	}
	files, err := db.All(ctx, s.db, scanFileValue, "SELECT "+fileCols+" FROM "+fileFrom+" WHERE f.plan_id = ? ORDER BY f.plan_id, f.seq", p.ID)
	if err != nil {
		return err
	}
	scores := []ScoreInput{
		{},
		{Deductions: []Deduction{{Code: "A3", Reason: "卷内文书未编页码"}}},
		{Deductions: []Deduction{{Code: "B2", Points: 6, Reason: "罚款数额接近上限，未说明裁量理由"}, {Code: "C4", Reason: "决定书送达回证缺当事人签名"}}},
		{Vetoes: []VetoHit{{Code: "V7", Reason: "罚款 20 万元的决定未经法制审核"}}, Deductions: []Deduction{{Code: "C3", Reason: "无调查终结报告"}}},
		{Deductions: []Deduction{{Code: "A1", Reason: "询问笔录使用旧版文书"}}},
		{Vetoes: []VetoHit{{Code: "V2", Reason: "现场检查笔录仅 1 名执法人员签名"}}},
		{Deductions: []Deduction{{Code: "C5", Reason: "立案后 97 日作出决定，未经批准延期"}, {Code: "C6", Reason: "决定作出 15 个工作日后才公示"}}},
	}
	for i, f := range files {
		if i >= len(files)-2 {
			break // left for the reviewers (the demo's to-do)
		}
		full, err := s.st.file(ctx, s.db, f.ID)
		if err != nil {
			return err
		}
		in := scores[i%len(scores)]
		in.ReviewerID, in.Version = full.ReviewerIDs[0], full.Version
		in.ReviewedOn = fmt.Sprintf("2026-11-%02d", 10+i%10)
		at(in.ReviewedOn)
		if _, err := s.ScoreFile(ctx, f.ID, in); err != nil {
			return fmt.Errorf("demo score %s: %w", f.CaseCode, err)
		}
	}
	// Notices.
	first, second := bodies[0], bodies[1]
	if b, ok := byName["清河区市场监督管理局"]; ok {
		first = b
	}
	if b, ok := byName["清河区城市管理综合行政执法局"]; ok {
		second = b
	}
	at("2026-09-24")
	n, err := s.Issue(ctx, NoticeInput{Kind: "opinion", BodyID: first.ID, IssuerID: sfj, Subject: "2026 年上半年行政执法案卷抽查",
		Items:       []string{"部分行政处罚决定书未载明自由裁量理由", "3 件案件超过法定期限作出决定且未办理延期审批", "执法决定信息公示不及时"},
		Requirement: "请对照问题逐项整改，完善行政处罚裁量基准适用说明制度，加强办案期限管理。", IssuedOn: "2026-09-24"})
	if err != nil {
		return fmt.Errorf("demo notice: %w", err)
	}
	at("2026-10-20")
	if _, err := s.Reply(ctx, n.ID, ReplyInput{RepliedOn: "2026-10-20", Reply: "已组织全局执法人员专题学习，修订裁量说明模板，对超期案件的承办人员进行约谈。", Version: n.Version}); err != nil {
		return fmt.Errorf("demo reply: %w", err)
	}
	at("2026-10-15")
	if _, err := s.Issue(ctx, NoticeInput{Kind: "suggestion", BodyID: second.ID, IssuerID: sfj, Subject: "企业联系点反映的执法问题核查",
		Items: []string{"对同一企业同一事项一月内重复检查 3 次", "检查未出示执法证件"}, IssuedOn: "2026-10-15"}); err != nil {
		return fmt.Errorf("demo notice: %w", err)
	}
	// Monitors, contact points and feedback.
	at("2026-03-01")
	var monitors []int64
	for _, m := range []MonitorInput{
		{Name: "周明远", Workplace: "清河区人大代表、清河律师事务所", Identity: "人大代表", Phone: "13800001111"},
		{Name: "陈慧琳", Workplace: "清河区政协委员、清河中学", Identity: "政协委员", Phone: "13800002222"},
		{Name: "刘建华", Workplace: "清河区个体劳动者协会", Identity: "企业代表", Phone: "13800003333"},
	} {
		m.UnitID, m.AppointedOn, m.TermEnd = sfj, "2026-03-01", "2029-02-28"
		mo, err := s.CreateMonitor(ctx, m)
		if err != nil {
			return fmt.Errorf("demo monitor: %w", err)
		}
		monitors = append(monitors, mo.ID)
	}
	at("2026-03-20")
	var contacts []int64
	for _, c := range []ContactInput{
		{Name: "清河鑫源食品有限公司", CreditCode: "91500108MA60000001", ContactPerson: "黄伟", Phone: "023-61234567"},
		{Name: "清河宏达建材有限公司", CreditCode: "91500108MA60000002", ContactPerson: "吴芳", Phone: "023-61234568"},
	} {
		c.UnitID, c.EstablishedOn = sfj, "2026-03-15"
		co, err := s.CreateContact(ctx, c)
		if err != nil {
			return fmt.Errorf("demo contact: %w", err)
		}
		contacts = append(contacts, co.ID)
	}
	at("2026-06-12")
	if _, err := s.AddFeedback(ctx, FeedbackInput{Source: "monitor", MonitorID: monitors[0], UnitID: first.UnitID, ReceivedOn: "2026-06-12",
		Content: "旁听行政处罚听证会，执法人员告知程序规范，建议听证笔录当场交当事人核对。", Handling: "已转区市场监管局研究采纳。"}); err != nil {
		return fmt.Errorf("demo feedback: %w", err)
	}
	at("2026-09-30")
	if _, err := s.AddFeedback(ctx, FeedbackInput{Source: "contact", ContactID: contacts[1], UnitID: second.UnitID, ReceivedOn: "2026-09-30",
		Content: "企业反映 9 月内被同一部门就扬尘问题检查 3 次，每次检查人员不同、要求不一。", Handling: "已核实，签发监督建议书。", RaiseFinding: true}); err != nil {
		return fmt.Errorf("demo feedback: %w", err)
	}
	return nil
}
