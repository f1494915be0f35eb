package randominspection

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
)

// demoFirms are the names the demo entity pool is made of.
var demoFirms = []string{"鑫源餐饮管理有限公司", "味之道食品有限公司", "惠民超市有限公司", "百味轩餐饮店", "清河粮油贸易有限公司",
	"好运来便利店有限公司", "新鲜果蔬配送有限公司", "老街火锅餐饮有限公司", "康乐食品加工厂", "丰收农产品批发有限公司"}

// SeedDemo loads the demo: the market regulator's matters list, a 2026
// food-business plan drawn in March and partly checked (results recorded,
// most published on time, one late, some still to check: the to-do items),
// and a joint plan of the market and health regulators whose commitment is
// published and which waits for its draw. Everything goes through the
// service under a simulated clock.
func (s *Service) SeedDemo(ctx context.Context) error {
	ctx, sim := clock.Simulate(ctx)
	ctx = auth.With(ctx, auth.SystemActor("演示数据"))
	at := func(d string) { sim.At(calendar.MustDate(d), 10) }
	at("2026-02-20")
	bodies, err := s.en.Bodies(ctx)
	if err != nil {
		return err
	}
	byName := map[string]BodyRef{}
	for _, b := range bodies {
		byName[b.Name] = b
	}
	market, ok := byName["清河区市场监督管理局"]
	if !ok {
		return nil // a trimmed enforcement demo
	}
	var matters []int64
	for _, m := range []MatterInput{
		{Name: "食品经营者落实食品安全主体责任情况检查", LegalBasis: "《中华人民共和国食品安全法》第一百一十条", ObjectKind: "食品经营者", Method: "onsite"},
		{Name: "企业公示信息抽查", LegalBasis: "《企业信息公示暂行条例》第十四条", ObjectKind: "企业", Method: "document"},
		{Name: "价格行为检查", LegalBasis: "《中华人民共和国价格法》第三十四条", ObjectKind: "经营者", Method: "onsite"},
	} {
		m.BodyID = market.ID
		mt, err := s.CreateMatter(ctx, m)
		if err != nil {
			return fmt.Errorf("demo matter: %w", err)
		}
		matters = append(matters, mt.ID)
	}
	// The food plan: 60 entities, ratios 30% / 10% / 3%.
	p, err := s.CreatePlan(ctx, PlanInput{Year: 2026, Title: "2026 年度食品经营者“双随机、一公开”抽查（第一批）", UnitID: market.UnitID,
		BodyIDs: []int64{market.ID}, MatterIDs: matters[:1], Ratios: Ratios{High: 300, Medium: 100, Low: 30}, PerCheck: 2})
	if err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	if err := s.seedEntities(ctx, p.ID, 60, 1); err != nil {
		return err
	}
	at("2026-02-25")
	if _, err := s.AddInspectors(ctx, p.ID, InspectorsInput{FromBodies: true}); err != nil {
		return fmt.Errorf("demo inspectors: %w", err)
	}
	pool, err := s.GetPool(ctx, p.ID)
	if err != nil {
		return err
	}
	if len(pool.Inspectors) > 0 && len(pool.Entities) > 3 {
		if _, err := s.AddRelation(ctx, p.ID, RelationInput{OfficerID: pool.Inspectors[0].OfficerID, EntityID: pool.Entities[3].ID, Note: "近亲属在该企业任职"}); err != nil {
			return err
		}
	}
	at("2026-03-02")
	if p, err = s.GetPlan(ctx, p.ID); err != nil {
		return err
	}
	if p, err = s.Commit(ctx, p.ID, VersionInput{Version: p.Version}); err != nil {
		return fmt.Errorf("demo commit: %w", err)
	}
	at("2026-03-09")
	if p, err = s.Draw(ctx, p.ID, VersionInput{Version: p.Version}); err != nil {
		return fmt.Errorf("demo draw: %w", err)
	}
	checks, err := s.ListChecks(ctx, CheckFilter{PlanID: p.ID}, db.ListReq{Size: 100})
	if err != nil {
		return err
	}
	// Checks in April and May; the last three are still to be checked. The
	// results, then the publications, run in date order.
	type step struct {
		day string
		run func() error
	}
	var steps []step
	for i, c := range checks.Items {
		if i >= len(checks.Items)-3 {
			break
		}
		day := calendar.NewDate(2026, 4, 7).AddDays(4 * i)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			day = day.AddDays(2)
		}
		res, problems := ResultClean, ""
		if i%4 == 1 {
			res, problems = ResultProblems, "从业人员健康证明过期；进货查验记录不完整"
		}
		id, version, late, pending := c.ID, c.Version, i == 2, i == len(checks.Items)-4
		steps = append(steps, step{day.String(), func() error {
			rc, err := s.RecordResult(ctx, id, ResultInput{CheckedOn: day.String(), Result: res, Problems: problems, Version: version})
			if err != nil || pending {
				return err
			}
			pub, err := calendar.ParseDate(rc.PublishDue)
			if err != nil {
				return err
			}
			if pub = pub.AddDays(-7); late {
				pub = pub.AddDays(14)
			}
			steps = append(steps, step{pub.String(), func() error {
				_, err := s.Publish(ctx, id, PublishInput{PublishedOn: pub.String(), Version: rc.Version})
				return err
			}})
			return nil
		}})
	}
	for len(steps) > 0 {
		slices.SortStableFunc(steps, func(a, b step) int { return strings.Compare(a.day, b.day) })
		st := steps[0]
		steps = steps[1:]
		at(st.day)
		if err := st.run(); err != nil {
			return fmt.Errorf("demo check on %s: %w", st.day, err)
		}
	}
	// A plan with its pools ready, to be committed and drawn (the browser
	// test does it).
	at("2026-10-20")
	rp, err := s.CreatePlan(ctx, PlanInput{Year: 2026, Title: "2026 年度企业公示信息抽查（第二批）", UnitID: market.UnitID,
		BodyIDs: []int64{market.ID}, MatterIDs: matters[1:2], Ratios: Ratios{High: 200, Medium: 50, Low: 30}, PerCheck: 2})
	if err != nil {
		return fmt.Errorf("demo draft plan: %w", err)
	}
	if err := s.seedEntities(ctx, rp.ID, 40, 400); err != nil {
		return err
	}
	if _, err := s.AddInspectors(ctx, rp.ID, InspectorsInput{FromBodies: true}); err != nil {
		return err
	}
	// The joint plan: committed, waiting for its draw.
	health, ok := byName["清河区卫生健康局"]
	if !ok {
		return nil
	}
	at("2026-11-02")
	hm, err := s.CreateMatter(ctx, MatterInput{BodyID: health.ID, Name: "公共场所卫生监督检查", LegalBasis: "《公共场所卫生管理条例》第十二条",
		ObjectKind: "公共场所经营者", Method: "onsite"})
	if err != nil {
		return err
	}
	jp, err := s.CreatePlan(ctx, PlanInput{Year: 2026, Title: "2026 年度住宿业部门联合“双随机、一公开”抽查", UnitID: market.UnitID, Joint: true,
		BodyIDs: []int64{market.ID, health.ID}, MatterIDs: []int64{matters[0], hm.ID}, Ratios: Ratios{High: 500, Medium: 200, Low: 50}, PerCheck: 2})
	if err != nil {
		return fmt.Errorf("demo joint plan: %w", err)
	}
	if err := s.seedEntities(ctx, jp.ID, 30, 200); err != nil {
		return err
	}
	if _, err := s.AddInspectors(ctx, jp.ID, InspectorsInput{FromBodies: true}); err != nil {
		return err
	}
	at("2026-11-16")
	if jp, err = s.GetPlan(ctx, jp.ID); err != nil {
		return err
	}
	_, err = s.Commit(ctx, jp.ID, VersionInput{Version: jp.Version})
	return err
}

// seedEntities imports n demo entities (a few individual businesses) into a plan.
func (s *Service) seedEntities(ctx context.Context, planID int64, n, first int) error {
	var rows [][]any
	for i := range n {
		risk := "低风险"
		switch {
		case i%6 == 0:
			risk = "高风险"
		case i%3 == 0:
			risk = "中风险"
		}
		name := fmt.Sprintf("清河区%s（%d号店）", demoFirms[i%len(demoFirms)], i+first)
		kind, code := "企业或其他组织", fmt.Sprintf("91500108MA%08d", 61000+i+first)
		if i%9 == 4 {
			kind, code, name = "个体工商户或自然人", "", []string{"王建华", "李桂英", "张明", "刘芳"}[i%4]
		}
		rows = append(rows, []any{name, code, kind, risk, ""})
	}
	cols := []xl.Column{{Title: "名称"}, {Title: "统一社会信用代码"}, {Title: "对象类型"}, {Title: "风险等级"}, {Title: "所属单位"}}
	b, err := xl.StreamBytes(xl.Sheet{Name: EntitySheet, Columns: cols}, xl.Slice(rows))
	if err != nil {
		return err
	}
	rep, err := s.ImportEntities(ctx, planID, b, false)
	if err != nil {
		return err
	}
	if len(rep.Problems) > 0 {
		return apperr.New(apperr.Internal, "demo entities: %v", rep.Problems[0])
	}
	return nil
}
