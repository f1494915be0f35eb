package enforcement

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
)

// demoBody is a demo body with its officers.
type demoBody struct {
	b        *Body
	officers []*Officer
}

// demoLeniency are the first two bodies' lists: a 不予处罚 item for first,
// minor, corrected violations, a 免予处罚 item and a light-penalty item.
var demoLeniency = [][]LeniencyItemInput{
	{
		{Violation: "未按规定公示营业执照", LegalBasis: "《市场主体登记管理条例》第四十八条", Conditions: []string{"first", "minor", "corrected"}, Kind: "no_penalty"},
		{Violation: "未按规定明码标价（首次）", LegalBasis: "《价格法》第四十二条", Conditions: []string{"first", "corrected"}, Kind: "exempt"},
		{Violation: "销售标签存在瑕疵的食品", LegalBasis: "《食品安全法》第一百二十五条第二款", Kind: "light", LightMaxFen: 2_000_00},
	},
	{
		{Violation: "临时占道经营，经劝导立即改正", LegalBasis: "《城市市容和环境卫生管理条例》第三十六条", Conditions: []string{"first", "minor", "corrected"}, Kind: "no_penalty"},
		{Violation: "擅自设置小型户外广告", LegalBasis: "《城市市容和环境卫生管理条例》第三十六条", Kind: "light", LightMaxFen: 1_000_00},
	},
}

// seedLeniency publishes the demo lists (the first body's revised in July)
// and links some decided general-procedure penalties to their items: most
// within the light band, two fined although the list excused them (the
// leniency rule flags those).
func (s *Service) seedLeniency(ctx context.Context, sim *clock.Sim, bodies []demoBody, cases []*Case) error {
	var lists [][]*LeniencyList // per body: versions in order
	for i, items := range demoLeniency {
		if i >= len(bodies) {
			break
		}
		sim.At(calendar.MustDate("2025-12-20"), 10)
		b := bodies[i].b
		l, err := s.CreateLeniencyList(ctx, LeniencyInput{BodyID: b.ID, Title: b.Name + "轻微违法行为不予处罚、免予处罚和从轻处罚清单",
			GrantingDoc: fmt.Sprintf("清河%s发〔2025〕%d号", []string{"市监", "城管"}[i], 21+i), EffectiveFrom: "2026-01-01", Items: items})
		if err != nil {
			return fmt.Errorf("demo leniency list: %w", err)
		}
		versions := []*LeniencyList{l}
		if i == 0 {
			sim.At(calendar.MustDate("2026-06-20"), 10)
			revised := append(append([]LeniencyItemInput{}, items...), LeniencyItemInput{Violation: "未按规定建立食品进货查验记录（首次）",
				LegalBasis: "《食品安全法》第一百二十六条", Conditions: []string{"first", "minor"}, Kind: "exempt"})
			l2, err := s.ReviseLeniencyList(ctx, l.ID, LeniencyInput{BodyID: b.ID, Title: l.Title, GrantingDoc: "清河市监发〔2026〕9号",
				EffectiveFrom: "2026-07-01", Items: revised, Version: l.Version})
			if err != nil {
				return fmt.Errorf("demo leniency revision: %w", err)
			}
			versions = append(versions, l2)
		}
		lists = append(lists, versions)
	}
	sim.At(DemoToday, 11)
	linked, excused := 0, 0
	for _, k := range cases {
		if linked >= 40 || k.Kind != "penalty" || k.Procedure != "general" || k.DecidedOn == "" {
			continue
		}
		bi := -1
		for i := range lists {
			if bodies[i].b.ID == k.BodyID {
				bi = i
			}
		}
		if bi < 0 {
			continue
		}
		var version *LeniencyList
		for _, v := range lists[bi] {
			full, err := s.GetLeniencyList(ctx, v.ID)
			if err != nil {
				return err
			}
			if inForceOn(full.EffectiveFrom, full.EffectiveTo, k.FiledOn) {
				version = full
			}
		}
		if version == nil {
			continue
		}
		var item *LeniencyItem
		in := CaseLeniencyInput{Version: k.Version}
		for j := range version.Items {
			it := &version.Items[j]
			switch {
			case it.Kind == "light" && k.AmountFen <= it.LightMaxFen:
				item = it
			case it.Kind == "no_penalty" && excused < 2 && k.AmountFen > 0 && k.AmountFen <= 500_00:
				item, in.FirstViolation, in.Minor, in.Corrected = it, true, true, true
				excused++
			}
			if item != nil {
				break
			}
		}
		if item == nil {
			continue
		}
		in.ItemID = item.ID
		cur, err := s.st.caseRow(ctx, s.db, k.ID)
		if err != nil {
			return err
		}
		in.Version = cur.Version
		if _, err := s.SetCaseLeniency(ctx, k.ID, in); err != nil {
			return fmt.Errorf("demo leniency link %s: %w", k.Code, err)
		}
		linked++
	}
	return nil
}

// seedInspections publishes each body's 2026 plan in January (at most two
// inspections of one enterprise a year) and enters about 200 inspections of
// 80 enterprises over the year on their days; a few are outside the plan,
// and by chance a few enterprises are inspected more often than allowed.
func (s *Service) seedInspections(ctx context.Context, sim *clock.Sim, bodies []demoBody, rng *rand.Rand) error {
	type ent struct{ name, code string }
	var ents []ent
	for i := range 80 {
		ents = append(ents, ent{fmt.Sprintf("清河%s%s有限公司", []string{"华兴", "恒泰", "瑞丰", "安康", "宏达", "永盛", "金鼎", "百川"}[i%8],
			[]string{"商贸", "餐饮", "物流", "建材", "科技", "医药", "食品", "制造", "运输", "置业"}[i/8]), fmt.Sprintf("91330100MA2C%05dX", 10000+i*37)})
	}
	plans := make([]*InspectionPlan, len(bodies))
	for i, b := range bodies {
		sim.At(calendar.MustDate("2026-01-08"), 10)
		p, err := s.CreatePlan(ctx, PlanInput{BodyID: b.b.ID, Year: 2026, Title: "2026 年度" + b.b.Name + "涉企行政检查计划",
			Items: []string{"证照公示与经营资质", "日常监督检查", "投诉举报核查", "专项整治"}, MaxPerEnterprise: 2})
		if err != nil {
			return fmt.Errorf("demo plan: %w", err)
		}
		sim.At(calendar.MustDate("2026-01-10"), 10)
		if plans[i], err = s.PublishPlan(ctx, p.ID, p.Version); err != nil {
			return err
		}
	}
	start := calendar.MustDate("2026-01-15")
	span := DemoToday.DaysSince(start) - 5
	var days []calendar.Date
	for range 200 {
		days = append(days, s.cal.NextWorkingDay(start.AddDays(rng.IntN(span))))
	}
	slices.SortFunc(days, func(a, b calendar.Date) int { return strings.Compare(a.String(), b.String()) })
	for _, day := range days {
		bi := rng.IntN(len(bodies))
		b, e := bodies[bi], ents[rng.IntN(len(ents))]
		var valid []int64
		for _, o := range b.officers {
			if certValidOn(o.CertIssuedOn, o.CertExpiresOn, day) && certValidOn(o.CertIssuedOn, o.CertExpiresOn, DemoToday) {
				valid = append(valid, o.ID)
			}
		}
		in := InspectionInput{PlanID: plans[bi].ID, BodyID: b.b.ID, Enterprise: e.name, CreditCode: e.code, InspectedOn: day.String(),
			Item: plans[bi].Items[rng.IntN(len(plans[bi].Items))], Result: []string{"未发现问题", "未发现问题", "未发现问题", "责令限期整改", "移交立案查处"}[rng.IntN(5)],
			OfficerIDs: valid[:2]}
		if rng.IntN(25) == 0 {
			in.PlanID, in.Item = 0, "" // outside the plan
		}
		sim.At(day, 16)
		if _, err := s.CreateInspection(ctx, in); err != nil {
			return fmt.Errorf("demo inspection %s %s: %w", e.name, day, err)
		}
	}
	return nil
}
