package app

import (
	"bytes"
	"fmt"
	"net/url"
	"sync"
	"testing"

	"fazhi/internal/enforcement"

	"github.com/xuri/excelize/v2"
)

// incRecords are the 包容审慎监管 records of one authorization fixture, in
// the in-scope and out-of-scope units: an undecided penalty on an
// enterprise with a submitted report, a leniency list, a published
// inspection plan and an inspection.
type incRecords struct {
	cse    map[bool]*enforcement.Case
	report map[bool]*enforcement.PenaltyReport
	list   map[bool]*enforcement.LeniencyList
	plan   map[bool]*enforcement.InspectionPlan
	insp   map[bool]*enforcement.Inspection
}

var incByFixture sync.Map

// incReportedCase enters an undecided enterprise penalty above the report
// amount and submits its report.
func incReportedCase(t *testing.T, fx *authzFixture, in bool, title string) (*enforcement.Case, *enforcement.PenaltyReport) {
	t.Helper()
	r := enfRecs(t, fx)
	svc, sys := fx.App.Enforcement(), enfSys()
	ci := enfCase(r.body[in].ID, r.officer[in].ID, title)
	ci.PartyType, ci.PartyName, ci.PartyIDNo, ci.AmountFen, ci.DecidedOn, ci.DisclosedOn = "organisation", "授权测试公司", "", 20_000_00, "", ""
	c, err := svc.CreateCase(sys, ci)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := svc.SubmitReport(sys, c.ID, enforcement.ReportInput{Summary: "拟罚款 2 万元"})
	if err != nil {
		t.Fatal(err)
	}
	return c, rep
}

func incLeniency(bodyID int64, title, from string) enforcement.LeniencyInput {
	return enforcement.LeniencyInput{BodyID: bodyID, Title: title, GrantingDoc: "清市监发〔2026〕1号", EffectiveFrom: from,
		Items: []enforcement.LeniencyItemInput{{Violation: "未按规定公示营业执照", LegalBasis: "《市场主体登记管理条例》", Conditions: []string{"first"}, Kind: "no_penalty"}}}
}

func incPlan(bodyID int64, title string) enforcement.PlanInput {
	return enforcement.PlanInput{BodyID: bodyID, Year: 2026, Title: title, Items: []string{"价格行为"}, MaxPerEnterprise: 2}
}

func incInspection(r *enfRecords, in bool, planID int64, enterprise string) enforcement.InspectionInput {
	return enforcement.InspectionInput{PlanID: planID, BodyID: r.body[in].ID, Enterprise: enterprise, CreditCode: "91110105MA01ABCD2X",
		InspectedOn: "2026-03-10", Result: "未发现问题", OfficerIDs: []int64{r.officer[in].ID}}
}

func incRecs(t *testing.T, fx *authzFixture) *incRecords {
	t.Helper()
	if r, ok := incByFixture.Load(fx); ok {
		return r.(*incRecords)
	}
	r := enfRecs(t, fx)
	svc, sys := fx.App.Enforcement(), enfSys()
	recs := &incRecords{cse: map[bool]*enforcement.Case{}, report: map[bool]*enforcement.PenaltyReport{}, list: map[bool]*enforcement.LeniencyList{},
		plan: map[bool]*enforcement.InspectionPlan{}, insp: map[bool]*enforcement.Inspection{}}
	for _, in := range []bool{true, false} {
		w := ndWhere(in)
		recs.cse[in], recs.report[in] = incReportedCase(t, fx, in, "授权测试"+w+"报备案件")
		l, err := svc.CreateLeniencyList(sys, incLeniency(r.body[in].ID, "授权测试"+w+"清单", "2026-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := svc.CreatePlan(sys, incPlan(r.body[in].ID, "授权测试"+w+"检查计划"))
		if err != nil {
			t.Fatal(err)
		}
		if p, err = svc.PublishPlan(sys, p.ID, p.Version); err != nil {
			t.Fatal(err)
		}
		x, err := svc.CreateInspection(sys, incInspection(r, in, p.ID, "授权测试"+w+"被检查企业"))
		if err != nil {
			t.Fatal(err)
		}
		recs.list[in], recs.plan[in], recs.insp[in] = l, p, x
	}
	incByFixture.Store(fx, recs)
	return recs
}

func init() {
	read, write, supervise := enforcement.PermRead, enforcement.PermWrite, enforcement.PermSupervise
	path := func(format string, id int64) string { return fmt.Sprintf("/api/enforcement"+format, id) }
	routes := map[string]authzRoute{
		"GET /api/enforcement/cases/{id}/inclusive": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: path("/cases/%d/inclusive", incRecs(t, fx).cse[in].ID)}
		}},
		"POST /api/enforcement/cases/{id}/report": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := enfRecs(t, fx)
			ci := enfCase(r.body[in].ID, r.officer[in].ID, fmt.Sprintf("授权测试待报备%d", fx.Next()))
			ci.PartyType, ci.PartyName, ci.PartyIDNo, ci.AmountFen, ci.DecidedOn, ci.DisclosedOn = "organisation", "授权测试公司", "", 20_000_00, "", ""
			c, err := fx.App.Enforcement().CreateCase(enfSys(), ci)
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: path("/cases/%d/report", c.ID), Body: map[string]any{"summary": "拟罚款 2 万元"}}
		}},
		"PUT /api/enforcement/cases/{id}/leniency": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := incRecs(t, fx).cse[in]
			return authzReq{Path: path("/cases/%d/leniency", c.ID), Body: map[string]any{"item_id": 0, "version": fx.Version(t, "enforcement_cases", c.ID)}}
		}},
		"GET /api/enforcement/penalty-reports": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			incRecs(t, fx)
			return authzReq{Path: "/api/enforcement/penalty-reports?page_size=500", Marker: "授权测试" + ndWhere(in) + "报备案件"}
		}},
		"GET /api/enforcement/penalty-reports/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: path("/penalty-reports/%d", incRecs(t, fx).report[in].ID)}
		}},
		"POST /api/enforcement/penalty-reports/{id}/acknowledge": {Perm: supervise, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			_, rep := incReportedCase(t, fx, in, fmt.Sprintf("授权测试确认%d", fx.Next()))
			return authzReq{Path: path("/penalty-reports/%d/acknowledge", rep.ID), Body: map[string]any{"note": "同意", "version": rep.Version}}
		}},
		"POST /api/enforcement/penalty-reports/{id}/return": {Perm: supervise, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			_, rep := incReportedCase(t, fx, in, fmt.Sprintf("授权测试退回%d", fx.Next()))
			return authzReq{Path: path("/penalty-reports/%d/return", rep.ID), Body: map[string]any{"note": "事实不清", "version": rep.Version}}
		}},
		"GET /api/enforcement/leniency-lists": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			incRecs(t, fx)
			return authzReq{Path: "/api/enforcement/leniency-lists?page_size=500", Marker: "授权测试" + ndWhere(in) + "清单"}
		}},
		"POST /api/enforcement/leniency-lists": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/leniency-lists", Body: incLeniency(enfRecs(t, fx).body[in].ID, fmt.Sprintf("授权测试新清单%d", fx.Next()), "2026-01-01")}
		}},
		"GET /api/enforcement/leniency-lists/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: path("/leniency-lists/%d", incRecs(t, fx).list[in].ID)}
		}},
		"PUT /api/enforcement/leniency-lists/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			l, err := fx.App.Enforcement().CreateLeniencyList(enfSys(), incLeniency(enfRecs(t, fx).body[in].ID, fmt.Sprintf("授权测试待施行清单%d", fx.Next()), "2027-06-01"))
			if err != nil {
				t.Fatal(err)
			}
			body := incLeniency(l.BodyID, l.Title+"（修改）", "2027-06-01")
			body.Version = l.Version
			return authzReq{Path: path("/leniency-lists/%d", l.ID), Body: body}
		}},
		"GET /api/enforcement/leniency-lists/import-template.xlsx": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/leniency-lists/import-template.xlsx"}
		}},
		"GET /api/enforcement/leniency-lists/{id}/export.xlsx": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: path("/leniency-lists/%d/export.xlsx", incRecs(t, fx).list[in].ID)}
		}},
		// Checked only (mode=check): the body decides the scope.
		"POST /api/enforcement/leniency-lists/import": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			q := url.Values{"body_id": {fmt.Sprint(enfRecs(t, fx).body[in].ID)}, "title": {"授权测试导入清单"}, "granting_doc": {"清发〔2026〕1号"},
				"effective_from": {"2026-01-01"}, "mode": {"check"}}
			return authzReq{Path: "/api/enforcement/leniency-lists/import?" + q.Encode(), Raw: leniencyWorkbook(t),
				ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
		}},
		"GET /api/enforcement/inspection-plans": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			incRecs(t, fx)
			return authzReq{Path: "/api/enforcement/inspection-plans?page_size=500", Marker: "授权测试" + ndWhere(in) + "检查计划"}
		}},
		"POST /api/enforcement/inspection-plans": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/inspection-plans", Body: incPlan(enfRecs(t, fx).body[in].ID, fmt.Sprintf("授权测试新计划%d", fx.Next()))}
		}},
		"PUT /api/enforcement/inspection-plans/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			p, err := fx.App.Enforcement().CreatePlan(enfSys(), incPlan(enfRecs(t, fx).body[in].ID, fmt.Sprintf("授权测试草稿计划%d", fx.Next())))
			if err != nil {
				t.Fatal(err)
			}
			body := incPlan(p.BodyID, p.Title+"（修改）")
			body.Version = p.Version
			return authzReq{Path: path("/inspection-plans/%d", p.ID), Body: body}
		}},
		"POST /api/enforcement/inspection-plans/{id}/publish": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			p, err := fx.App.Enforcement().CreatePlan(enfSys(), incPlan(enfRecs(t, fx).body[in].ID, fmt.Sprintf("授权测试待公布计划%d", fx.Next())))
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: path("/inspection-plans/%d/publish", p.ID), Body: map[string]any{"version": p.Version}}
		}},
		"GET /api/enforcement/inspections": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			incRecs(t, fx)
			return authzReq{Path: "/api/enforcement/inspections?q=授权测试&page_size=500", Marker: "授权测试" + ndWhere(in) + "被检查企业"}
		}},
		"GET /api/enforcement/inspections/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			incRecs(t, fx)
			return authzReq{Path: "/api/enforcement/inspections/export.xlsx?q=授权测试", Marker: "授权测试" + ndWhere(in) + "被检查企业", Xlsx: true}
		}},
		"POST /api/enforcement/inspections": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := incRecs(t, fx)
			return authzReq{Path: "/api/enforcement/inspections", Body: incInspection(enfRecs(t, fx), in, r.plan[in].ID, fmt.Sprintf("授权测试新检查%d", fx.Next()))}
		}},
		"GET /api/enforcement/inspections/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: path("/inspections/%d", incRecs(t, fx).insp[in].ID)}
		}},
		"PUT /api/enforcement/inspections/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := incRecs(t, fx)
			x := r.insp[in]
			body := incInspection(enfRecs(t, fx), in, r.plan[in].ID, x.Enterprise)
			body.Version = int64(fx.Version(t, "enforcement_inspections", x.ID))
			return authzReq{Path: path("/inspections/%d", x.ID), Body: body}
		}},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}

// leniencyWorkbook is a one-item list for the import route.
func leniencyWorkbook(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetName("Sheet1", enforcement.LeniencySheet)
	for i, row := range [][]any{{"违法行为", "法律依据", "类型", "适用条件"}, {"授权测试违法行为", "某条例第一条", "不予处罚", "初次违法"}} {
		_ = f.SetSheetRow(enforcement.LeniencySheet, fmt.Sprintf("A%d", i+1), &row)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
