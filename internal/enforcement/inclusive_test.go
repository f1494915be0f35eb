package enforcement

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// supervisor is the 司法局 reviewer: read everywhere, acknowledge reports.
func (f *fixture) supervisor() context.Context {
	all := auth.Scope{All: true}
	return actor(9, "sifaju_review", f.root, map[string]auth.Scope{PermRead: all, PermWrite: all, PermSupervise: all})
}

// enterprisePenalty is an undecided general-procedure penalty on an
// organisation for amount fen.
func (f *fixture) enterprisePenalty(amount int64) CaseInput {
	in := f.penalty()
	in.PartyType, in.PartyName, in.PartyIDNo, in.PartyPhone = "organisation", "清河区某某食品有限公司", "91110105MA01ABCD2X", ""
	in.AmountFen, in.HearingNoticeOn = amount, "2026-03-18"
	in.DecidedOn, in.ServedOn, in.DisclosedOn = "", "", ""
	return in
}

func wantField(t *testing.T, err error, field, text string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil {
		t.Fatalf("want a refusal on %s (%s), got %v", field, text, err)
	}
	for _, fe := range e.Fields {
		if fe.Field == field && strings.Contains(fe.Message, text) {
			return
		}
	}
	t.Fatalf("want %s: …%s…, got %v %+v", field, text, err, e.Fields)
}

// decide records the decision (and disclosure) of a stored case through
// the form.
func (f *fixture) decide(ctx context.Context, id int64, in CaseInput) (*Case, error) {
	c, err := f.s.GetCase(f.admin, id)
	if err != nil {
		f.t.Fatal(err)
	}
	in.Version, in.DecidedOn, in.DisclosedOn = c.Version, "2026-04-01", "2026-04-02"
	return f.s.UpdateCase(ctx, id, in)
}

// The 涉企处罚报备 gate: below the amount and for a natural person no report
// is needed; above it the decision date is refused until the 司法局
// acknowledged the report (not while submitted, not after a return, not
// before the acknowledgement day, not above the reported amount).
func TestReportGate(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		sup := f.supervisor()
		// At the amount (10,000 yuan, not above): no report needed.
		at := f.enterprisePenalty(10_000_00)
		at.DecidedOn, at.DisclosedOn = "2026-04-01", "2026-04-02"
		f.create(at)
		// A natural person fined above the amount: not needed either.
		person := f.penalty()
		person.AmountFen, person.HearingNoticeOn = 50_000_00, "2026-03-18"
		pc := f.create(person)
		if _, err := f.s.SubmitReport(f.admin, pc.ID, ReportInput{Summary: "拟罚款"}); err == nil {
			t.Fatal("a report was accepted for a natural person")
		}

		above := f.enterprisePenalty(10_000_01)
		decidedNew := above
		decidedNew.DecidedOn = "2026-04-01"
		_, err := f.s.CreateCase(f.clerk, decidedNew)
		wantField(t, err, "decided_on", "涉企处罚报备")
		c := f.create(above)
		_, err = f.decide(f.clerk, c.ID, above)
		wantField(t, err, "decided_on", "尚未向司法局报备")

		r, err := f.s.SubmitReport(f.clerk, c.ID, ReportInput{Summary: "拟对该公司销售过期食品罚款 10,000.01 元"})
		if err != nil || r.Status != "submitted" || r.AmountFen != 10_000_01 {
			t.Fatalf("submit: %+v %v", r, err)
		}
		_, err = f.decide(f.clerk, c.ID, above)
		wantField(t, err, "decided_on", "待司法局确认")
		if _, err := f.s.AcknowledgeReport(f.clerk, r.ID, ReviewInput{Version: r.Version}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a department clerk acknowledged: %v", err)
		}
		if _, err := f.s.SubmitReport(f.outsider, c.ID, ReportInput{Summary: "x"}); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another unit submitted: %v", err)
		}
		_, err = f.s.ReturnReport(sup, r.ID, ReviewInput{Version: r.Version})
		wantField(t, err, "note", "退回理由")
		r, err = f.s.ReturnReport(sup, r.ID, ReviewInput{Version: r.Version, Note: "违法事实表述不清"})
		if err != nil || r.Status != "returned" {
			t.Fatalf("return: %+v %v", r, err)
		}
		_, err = f.decide(f.clerk, c.ID, above)
		wantField(t, err, "decided_on", "违法事实表述不清")
		if _, err := f.s.SubmitReport(f.clerk, c.ID, ReportInput{Summary: "补充违法事实"}); err == nil {
			t.Fatal("a second submission without the report's version was accepted")
		}
		r, err = f.s.SubmitReport(f.clerk, c.ID, ReportInput{Summary: "补充违法事实后重新报备", Version: r.Version})
		if err != nil || r.Status != "submitted" {
			t.Fatalf("resubmit: %+v %v", r, err)
		}
		todo, err := f.s.Todo(sup, testToday)
		if err != nil || !hasTodo(todo, "确认涉企处罚报备") {
			t.Fatalf("the 司法局 reviewer's to-do: %+v %v", todo, err)
		}
		r, err = f.s.AcknowledgeReport(sup, r.ID, ReviewInput{Version: r.Version, Note: "同意"})
		if err != nil || r.Status != "acknowledged" || r.ReviewedOn != "2026-12-01" {
			t.Fatalf("acknowledge: %+v %v", r, err)
		}
		if todo, _ := f.s.Todo(sup, testToday); hasTodo(todo, "确认涉企处罚报备") {
			t.Fatal("an acknowledged report is still a to-do item")
		}
		// Acknowledged on 2026-12-01 (the tests' today): a decision dated
		// before it is refused, as is an amount above the report.
		_, err = f.decide(f.clerk, c.ID, above)
		wantField(t, err, "decided_on", "不能早于司法局确认报备的日期")
		more := above
		more.AmountFen = 20_000_00
		cur, _ := f.s.GetCase(f.admin, c.ID)
		more.Version, more.DecidedOn = cur.Version, "2026-12-01"
		_, err = f.s.UpdateCase(f.clerk, c.ID, more)
		wantField(t, err, "decided_on", "高于报备金额")
		above.Version, above.DecidedOn = cur.Version, "2026-12-01"
		done, err := f.s.UpdateCase(f.clerk, c.ID, above)
		if err != nil || done.DecidedOn != "2026-12-01" {
			t.Fatalf("decision after acknowledgement: %+v %v", done, err)
		}
		if f.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'enforcement.report.%'") != 4 {
			t.Fatal("each report step is not audited")
		}
		figs, err := f.s.Figures(f.admin, metric.Query{From: "2026-01-01", To: "2026-12-01"})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range figs {
			if g.Code == FigureReportRate && (g.Numerator != 1 || g.Denominator != 1) {
				t.Fatalf("report rate %+v", g)
			}
		}
	})
}

func hasTodo(items []todo.Item, action string) bool {
	for _, it := range items {
		if strings.Contains(it.Action, action) {
			return true
		}
	}
	return false
}

// A list version in force is never edited: revising it adds a version and
// ends the old one the day before; a version not yet in force is edited in
// place; a historical version cannot be revised.
func TestLeniencyVersions(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		l, err := f.s.CreateLeniencyList(f.clerk, f.leniencyInput("2026-01-01"))
		if err != nil || l.ListVersion != 1 || !l.InForce || len(l.Items) != 3 || l.Items[0].ConditionsLabel != "初次违法、危害后果轻微、及时改正" {
			t.Fatalf("create: %+v %v", l, err)
		}
		in := f.leniencyInput("2026-01-01")
		in.Version = l.Version
		_, err = f.s.ReviseLeniencyList(f.clerk, l.ID, in)
		wantField(t, err, "effective_from", "应晚于")
		in.EffectiveFrom, in.GrantingDoc = "2026-07-01", "清市监发〔2026〕30号"
		in.Items = in.Items[:2]
		v2, err := f.s.ReviseLeniencyList(f.clerk, l.ID, in)
		if err != nil || v2.ID == l.ID || v2.ListVersion != 2 || v2.ListNo != l.ID || len(v2.Items) != 2 {
			t.Fatalf("revise in force: %+v %v", v2, err)
		}
		old, _ := f.s.GetLeniencyList(f.clerk, l.ID)
		if old.EffectiveTo != "2026-06-30" || len(old.Items) != 3 || old.InForce {
			t.Fatalf("old version: %+v", old)
		}
		in.Version = old.Version
		if _, err := f.s.ReviseLeniencyList(f.clerk, l.ID, in); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a superseded version was revised: %v", err)
		}
		future := f.leniencyInput("2026-12-20")
		fl, err := f.s.CreateLeniencyList(f.clerk, future)
		if err != nil || fl.InForce {
			t.Fatalf("future list: %+v %v", fl, err)
		}
		future.Version, future.Title = fl.Version, "修改后的清单"
		same, err := f.s.ReviseLeniencyList(f.clerk, fl.ID, future)
		if err != nil || same.ID != fl.ID || same.ListVersion != 1 || same.Title != "修改后的清单" {
			t.Fatalf("revise not yet in force: %+v %v", same, err)
		}
		bad := f.leniencyInput("2026-01-01")
		bad.Items[1].Kind, bad.Items[2].LightMaxFen = "宽大", 0
		_, err = f.s.CreateLeniencyList(f.clerk, bad)
		wantField(t, err, "items[1].kind", "第 2 项")
		wantField(t, err, "items[2].light_max_fen", "上限")
		if _, err := f.s.CreateLeniencyList(f.outsider, f.leniencyInput("2026-01-01")); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another unit's body: %v", err)
		}
		p, err := f.s.ListLeniencyLists(f.outsider, LeniencyFilter{}, db.ListReq{})
		if err != nil || len(p.Items) != 0 {
			t.Fatalf("outsider sees lists: %+v %v", p.Items, err)
		}
		p, err = f.s.ListLeniencyLists(f.clerk, LeniencyFilter{BodyID: f.body.ID, Current: true}, db.ListReq{})
		if err != nil || len(p.Items) != 2 {
			t.Fatalf("current lists: %+v %v", p.Items, err)
		}
	})
}

func (f *fixture) leniencyInput(from string) LeniencyInput {
	return LeniencyInput{BodyID: f.body.ID, Title: "市场监管领域轻微违法行为不予处罚清单", GrantingDoc: "清市监发〔2025〕12号", EffectiveFrom: from,
		Items: []LeniencyItemInput{
			{Violation: "未按规定公示营业执照", LegalBasis: "《市场主体登记管理条例》第四十八条", Conditions: []string{"初次违法", "minor", "corrected"}, Kind: "不予处罚"},
			{Violation: "未按规定标注食品生产日期", LegalBasis: "《食品安全法》第一百二十五条", Conditions: []string{"first"}, Kind: "exempt"},
			{Violation: "销售标签瑕疵食品", LegalBasis: "《食品安全法》第一百二十五条", Kind: "light", LightMaxFen: 2_000_00},
		}}
}

// The leniency rules: a fine on a case the linked 不予处罚/免予处罚 item
// excuses (list in force on the filing day, every condition met) is
// flagged, and the hit closes when the link or the case is corrected; a
// light item's fine above its band is flagged.
func TestLeniencyRules(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		l, err := f.s.CreateLeniencyList(f.clerk, f.leniencyInput("2026-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		excuse, exempt, light := l.Items[0], l.Items[1], l.Items[2]
		open := func(caseID int64, rule string) bool {
			return f.count("SELECT COUNT(*) FROM enforcement_rule_hits WHERE case_id = ? AND rule = ? AND status = 'open'", caseID, rule) == 1
		}
		link := func(caseID int64, in CaseLeniencyInput) error {
			c, _ := f.s.GetCase(f.admin, caseID)
			in.Version = c.Version
			_, err := f.s.SetCaseLeniency(f.clerk, caseID, in)
			return err
		}
		const excused, band = "enforcement.leniency_excused", "enforcement.leniency_light_band"
		c := f.create(f.penalty()) // filed 2026-03-02, decided, fined 5,000 yuan
		if err := link(c.ID, CaseLeniencyInput{ItemID: excuse.ID, FirstViolation: true, Minor: true}); err != nil {
			t.Fatal(err)
		}
		if open(c.ID, excused) {
			t.Fatal("flagged although the violation was not corrected (a condition of the item)")
		}
		if err := link(c.ID, CaseLeniencyInput{ItemID: excuse.ID, FirstViolation: true, Minor: true, Corrected: true}); err != nil {
			t.Fatal(err)
		}
		if !open(c.ID, excused) {
			t.Fatal("a fine on an excused first, minor, corrected violation is not flagged")
		}
		if err := link(c.ID, CaseLeniencyInput{ItemID: exempt.ID, FirstViolation: true}); err != nil {
			t.Fatal(err)
		}
		if !open(c.ID, excused) || f.count("SELECT COUNT(*) FROM enforcement_rule_hits WHERE case_id = ? AND rule = ?", c.ID, excused) != 1 {
			t.Fatal("the 免予处罚 item must keep the one open hit")
		}
		// Corrected: no fine (a 不予处罚 decision recorded with 0 yuan).
		in := f.penalty()
		cur, _ := f.s.GetCase(f.admin, c.ID)
		in.Version, in.AmountFen = cur.Version, 0
		if _, err := f.s.UpdateCase(f.admin, c.ID, in); err != nil {
			t.Fatal(err)
		}
		if open(c.ID, excused) || f.count("SELECT COUNT(*) FROM findings WHERE status = 'closed'") == 0 {
			t.Fatal("the hit is not closed after the correction")
		}
		// The light band: 2,000 yuan allowed, 2,000.01 flagged.
		lc := f.create(f.penalty())
		if err := link(lc.ID, CaseLeniencyInput{ItemID: light.ID}); err != nil {
			t.Fatal(err)
		}
		if !open(lc.ID, band) {
			t.Fatal("5,000 yuan on a light item with a 2,000 yuan band is not flagged")
		}
		in = f.penalty()
		cur, _ = f.s.GetCase(f.admin, lc.ID)
		in.Version, in.AmountFen = cur.Version, 2_000_00
		if _, err := f.s.UpdateCase(f.admin, lc.ID, in); err != nil {
			t.Fatal(err)
		}
		if open(lc.ID, band) {
			t.Fatal("a fine at the band is flagged")
		}
		// A list not in force on the filing day cannot be applied; an item
		// of another body's list neither.
		early := f.penalty()
		early.FiledOn, early.PriorNoticeOn = "2025-12-15", "2025-12-20"
		ec := f.create(early)
		wantField(t, link(ec.ID, CaseLeniencyInput{ItemID: excuse.ID}), "item_id", "不在其内")
		jl := f.leniencyInput("2026-01-01")
		jl.BodyID = f.jyBody.ID
		other, err := f.s.CreateLeniencyList(f.admin, jl)
		if err != nil {
			t.Fatal(err)
		}
		wantField(t, link(c.ID, CaseLeniencyInput{ItemID: other.Items[0].ID}), "item_id", "不属于本案执法主体")
		// Unit test of the rule itself: not in force on the filing day.
		k := cleanCase()
		ln := &CaseLeniency{Item: LeniencyItem{Kind: "no_penalty", Conditions: []string{"first"}}, EffectiveFrom: "2026-05-01", FirstViolation: true}
		if hit, _, _ := checkLeniencyExcused(nil, &facts{c: k, leniency: ln}); hit {
			t.Fatal("a list not yet in force on the filing day excused the case")
		}
		ln.EffectiveFrom = "2026-01-01"
		if hit, _, _ := checkLeniencyExcused(nil, &facts{c: k, leniency: ln}); !hit {
			t.Fatal("the same list in force is not applied")
		}
		for _, ty := range Tallies {
			if drift, n, err := ty.Verify(t.Context(), f.d, 10); err != nil || n != 0 {
				t.Fatalf("%s drift %v %d %v", ty.Name, drift, n, err)
			}
		}
	})
}

// Inspections: outside any published plan flagged; within the plan's
// limit not; beyond it flagged (and closed when the extra one is moved to
// another year); beyond the district's yearly limit by all bodies flagged.
func TestInspectionRules(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.s.opt.InspectionsPerYear = 3
		p, err := f.s.CreatePlan(f.clerk, PlanInput{BodyID: f.body.ID, Year: 2026, Title: "2026 年度涉企行政检查计划",
			Items: []string{"食品经营许可事项", "价格行为", "食品经营许可事项"}, MaxPerEnterprise: 2})
		if err != nil || len(p.Items) != 2 {
			t.Fatalf("plan: %+v %v", p, err)
		}
		in := InspectionInput{PlanID: p.ID, BodyID: f.body.ID, Enterprise: "清河区某某食品有限公司", CreditCode: "91110105ma01abcd2x",
			InspectedOn: "2026-03-10", Item: "价格行为", Result: "未发现问题", OfficerIDs: []int64{f.valid1.ID, f.valid2.ID}}
		_, err = f.s.CreateInspection(f.clerk, in)
		wantField(t, err, "plan_id", "尚未公布")
		if p, err = f.s.PublishPlan(f.clerk, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.UpdatePlan(f.clerk, p.ID, PlanInput{BodyID: f.body.ID, Year: 2026, Title: "改", Items: []string{"x"}, MaxPerEnterprise: 9, Version: p.Version}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a published plan was edited: %v", err)
		}
		hits := func(id int64, rule string) int {
			return f.count("SELECT COUNT(*) FROM enforcement_inspection_hits WHERE inspection_id = ? AND rule = ? AND status = 'open'", id, rule)
		}
		x1, err := f.s.CreateInspection(f.clerk, in)
		if err != nil || x1.CreditCode != "91110105MA01ABCD2X" {
			t.Fatalf("inspection: %+v %v", x1, err)
		}
		in.InspectedOn = "2026-05-10"
		x2, _ := f.s.CreateInspection(f.clerk, in)
		if hits(x1.ID, "enforcement.inspection_unplanned")+hits(x2.ID, "enforcement.inspection_repeat") != 0 {
			t.Fatal("planned inspections within the limit are flagged")
		}
		in.InspectedOn = "2026-08-10"
		x3, _ := f.s.CreateInspection(f.clerk, in)
		if hits(x3.ID, "enforcement.inspection_repeat") != 1 || hits(x2.ID, "enforcement.inspection_repeat") != 0 {
			t.Fatal("the third inspection by the same body (limit 2) is not the one flagged")
		}
		// Another body, outside any plan: unplanned, and the fourth overall
		// (limit 3).
		out := InspectionInput{BodyID: f.jyBody.ID, Enterprise: "清河区某某食品有限公司", CreditCode: "91110105MA01ABCD2X",
			InspectedOn: "2026-09-01", Result: "责令整改", OfficerIDs: []int64{}}
		jyOfficer := f.officer("赵强", "JY-0001", "2024-01-01", "2028-12-31", "valid", f.jy)
		out.OfficerIDs = []int64{jyOfficer.ID}
		x4, err := f.s.CreateInspection(f.admin, out)
		if err != nil {
			t.Fatal(err)
		}
		if hits(x4.ID, "enforcement.inspection_unplanned") != 1 || hits(x4.ID, "enforcement.inspection_repeat_all") != 1 || hits(x4.ID, "enforcement.inspection_repeat") != 0 {
			t.Fatal("the unplanned fourth inspection overall is not flagged as such")
		}
		// Correction: the third is moved to 2025 (no plan that year, so
		// unplanned there) and the 2026 repeat hits close.
		in.InspectedOn, in.PlanID, in.Item, in.Version = "2025-11-10", 0, "", x3.Version
		if _, err := f.s.UpdateInspection(f.clerk, x3.ID, in); err != nil {
			t.Fatal(err)
		}
		if hits(x3.ID, "enforcement.inspection_repeat") != 0 || hits(x4.ID, "enforcement.inspection_repeat_all") != 0 || hits(x3.ID, "enforcement.inspection_unplanned") != 1 {
			t.Fatal("moving an inspection out of the year does not re-check both years")
		}
		if _, err := f.s.GetInspection(f.outsider, x1.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("outsider reads: %v", err)
		}
		bad := in
		bad.CreditCode, bad.InspectedOn, bad.Result, bad.Version = "123", "0000-01-01", "", 0
		_, err = f.s.CreateInspection(f.clerk, bad)
		wantField(t, err, "credit_code", "18 位")
		wantField(t, err, "inspected_on", "检查日期")
		wantField(t, err, "result", "检查结果")
		page, err := f.s.ListInspections(f.clerk, InspectionFilter{Rule: "enforcement.inspection_unplanned"}, db.ListReq{})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != x3.ID {
			t.Fatalf("list by rule: %+v %v", page.Items, err)
		}
		rules, err := f.s.ListRules(f.admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rules {
			if r.Name == "enforcement.inspection_unplanned" && (r.Open != 2 || r.Target != "inspection") {
				t.Fatalf("rules page: %+v", r)
			}
		}
		for _, ty := range Tallies {
			if drift, n, err := ty.Verify(t.Context(), f.d, 10); err != nil || n != 0 {
				t.Fatalf("%s drift %v %d %v", ty.Name, drift, n, err)
			}
		}
		figs, _ := f.s.Figures(f.admin, metric.Query{From: "2026-01-01", To: "2026-12-01"})
		for _, g := range figs {
			if g.Code == FigureInspections && g.Numerator != 3 {
				t.Fatalf("inspections figure %+v", g)
			}
		}
	})
}
