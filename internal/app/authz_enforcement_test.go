package app

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"fazhi/internal/enforcement"
	"fazhi/internal/platform/auth"

	"github.com/xuri/excelize/v2"
)

// enfRecords are the enforcement records of one authorization fixture: a
// body, an officer and a case (with one officer, so the two-officer rule
// hits) in the in-scope and out-of-scope units.
type enfRecords struct {
	body    map[bool]*enforcement.Body
	officer map[bool]*enforcement.Officer
	cse     map[bool]*enforcement.Case
}

// enfByFixture keeps each fixture's records (authz_test.go's fixture has
// no field for this module).
var enfByFixture sync.Map

func enfSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz enforcement"))
}

func enfRecs(t *testing.T, fx *authzFixture) *enfRecords {
	t.Helper()
	if r, ok := enfByFixture.Load(fx); ok {
		return r.(*enfRecords)
	}
	svc, sys := fx.App.Enforcement(), enfSys()
	recs := &enfRecords{body: map[bool]*enforcement.Body{}, officer: map[bool]*enforcement.Officer{}, cse: map[bool]*enforcement.Case{}}
	for _, in := range []bool{true, false} {
		w := ndWhere(in)
		b, err := svc.CreateBody(sys, enforcement.BodyInput{UnitID: fx.Unit(in).ID, Name: "授权测试" + w + "执法主体", Kind: "statutory", LegalBasis: "三定规定", Categories: "市场监管"})
		if err != nil {
			t.Fatal(err)
		}
		o, err := svc.CreateOfficer(sys, enfOfficer(fx, in, "授权测试"+w+"执法人员", fmt.Sprintf("AZ-%s-1", w)))
		if err != nil {
			t.Fatal(err)
		}
		c, err := svc.CreateCase(sys, enfCase(b.ID, o.ID, "授权测试"+w+"执法案件"))
		if err != nil {
			t.Fatal(err)
		}
		recs.body[in], recs.officer[in], recs.cse[in] = b, o, c
	}
	enfByFixture.Store(fx, recs)
	return recs
}

func enfOfficer(fx *authzFixture, in bool, name, cert string) enforcement.OfficerInput {
	return enforcement.OfficerInput{UnitID: fx.Unit(in).ID, Name: name, Phone: "13912345678", CertNo: cert, CertKind: "admin",
		CertAuthority: "清河市人民政府", CertIssuedOn: "2024-01-01", CertExpiresOn: "2030-12-31"}
}

func enfCase(bodyID, officerID int64, title string) enforcement.CaseInput {
	return enforcement.CaseInput{BodyID: bodyID, Kind: "penalty", Title: title, PartyType: "person", PartyName: "赵六",
		PartyIDNo: "110101199003071234", PartyPhone: "13800138000", Procedure: "general", AmountFen: 50000,
		FiledOn: "2026-03-02", DecidedOn: "2026-04-01", DisclosedOn: "2026-04-02", OfficerIDs: []int64{officerID}}
}

// enfWorkbook is an import file with one row for the in-scope body.
func enfWorkbook(t *testing.T, body string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetName("Sheet1", enforcement.CaseSheet)
	head := []any{"执法主体", "案件类别", "案由", "当事人类型", "当事人名称", "程序类型", "立案日期"}
	row := []any{body, "行政检查", "授权测试导入", "法人或其他组织", "某公司", "普通程序", "2026-03-02"}
	_ = f.SetSheetRow(enforcement.CaseSheet, "A1", &head)
	_ = f.SetSheetRow(enforcement.CaseSheet, "A2", &row)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func init() {
	read, write, config := enforcement.PermRead, enforcement.PermWrite, enforcement.PermConfig
	xlsxType := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	caseBody := func(t *testing.T, fx *authzFixture, in bool) map[string]any {
		r := enfRecs(t, fx)
		c := r.cse[in]
		return map[string]any{"body_id": r.body[in].ID, "kind": "penalty", "title": c.Title, "party_type": "person", "party_name": "赵六",
			"procedure": "general", "amount_fen": 50000, "filed_on": "2026-03-02", "decided_on": "2026-04-01", "disclosed_on": "2026-04-02",
			"officer_ids": []int64{r.officer[in].ID}, "version": fx.Version(t, "enforcement_cases", c.ID)}
	}
	routes := map[string]authzRoute{
		"GET /api/enforcement/bodies": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			enfRecs(t, fx)
			return authzReq{Path: "/api/enforcement/bodies", Marker: "授权测试" + ndWhere(in) + "执法主体"}
		}},
		"POST /api/enforcement/bodies": {Perm: config, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/bodies", Body: map[string]any{"unit_id": fx.Unit(in).ID, "name": fmt.Sprintf("授权测试新执法主体%d", fx.Next()),
				"kind": "statutory", "legal_basis": "三定规定", "categories": "市场监管"}}
		}},
		"PUT /api/enforcement/bodies/{id}": {Perm: config, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			b := enfRecs(t, fx).body[in]
			return authzReq{Path: fmt.Sprintf("/api/enforcement/bodies/%d", b.ID), Body: map[string]any{"unit_id": b.UnitID, "name": b.Name,
				"kind": "statutory", "legal_basis": "三定规定（修订）", "categories": "市场监管", "version": fx.Version(t, "enforcement_bodies", b.ID)}}
		}},
		"GET /api/enforcement/grants": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/grants"}
		}},
		"POST /api/enforcement/grants": {Perm: config, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/grants", Body: map[string]any{"unit_id": fx.Unit(in).ID, "mode": "entrusted",
				"item": fmt.Sprintf("授权测试事项%d", fx.Next()), "granting_doc": "清河政发〔2026〕1号", "granted_on": "2026-01-05"}}
		}},
		"PUT /api/enforcement/grants/{id}": {Perm: config, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			g, err := fx.App.Enforcement().CreateGrant(enfSys(), enforcement.GrantInput{UnitID: fx.Unit(in).ID, Mode: "empowered",
				Item: fmt.Sprintf("授权测试赋权事项%d", fx.Next()), GrantingDoc: "清河政发〔2026〕2号", GrantedOn: "2026-01-05"})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("/api/enforcement/grants/%d", g.ID), Body: map[string]any{"unit_id": g.UnitID, "mode": "empowered",
				"item": g.Item, "granting_doc": "清河政发〔2026〕3号", "granted_on": "2026-01-05", "version": g.Version}}
		}},
		"GET /api/enforcement/officers": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			enfRecs(t, fx)
			return authzReq{Path: "/api/enforcement/officers?q=授权测试&page_size=200", Marker: "授权测试" + ndWhere(in) + "执法人员"}
		}},
		"GET /api/enforcement/officers/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			enfRecs(t, fx)
			return authzReq{Path: "/api/enforcement/officers/export.xlsx?q=授权测试", Marker: "授权测试" + ndWhere(in) + "执法人员", Xlsx: true}
		}},
		"POST /api/enforcement/officers": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/officers", Body: enfOfficer(fx, in, "授权测试新人员", fmt.Sprintf("AZ-NEW-%d", fx.Next()))}
		}},
		"GET /api/enforcement/officers/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/enforcement/officers/%d", enfRecs(t, fx).officer[in].ID)}
		}},
		"PUT /api/enforcement/officers/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			o := enfRecs(t, fx).officer[in]
			body := enfOfficer(fx, in, o.Name, o.CertNo)
			body.Version = int64(fx.Version(t, "enforcement_officers", o.ID))
			return authzReq{Path: fmt.Sprintf("/api/enforcement/officers/%d", o.ID), Body: body}
		}},
		"GET /api/enforcement/cases": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			enfRecs(t, fx)
			return authzReq{Path: "/api/enforcement/cases?q=授权测试&page_size=200", Marker: "授权测试" + ndWhere(in) + "执法案件"}
		}},
		"GET /api/enforcement/cases/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			enfRecs(t, fx)
			return authzReq{Path: "/api/enforcement/cases/export.xlsx?q=授权测试", Marker: "授权测试" + ndWhere(in) + "执法案件", Xlsx: true}
		}},
		"GET /api/enforcement/cases/import-template.xlsx": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/cases/import-template.xlsx"}
		}},
		"POST /api/enforcement/cases/import": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/cases/import?mode=check", Raw: enfWorkbook(t, enfRecs(t, fx).body[true].Name), ContentType: xlsxType}
		}},
		"POST /api/enforcement/cases": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := enfRecs(t, fx)
			return authzReq{Path: "/api/enforcement/cases", Body: enfCase(r.body[in].ID, r.officer[in].ID, fmt.Sprintf("授权测试新案件%d", fx.Next()))}
		}},
		"GET /api/enforcement/cases/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/enforcement/cases/%d", enfRecs(t, fx).cse[in].ID)}
		}},
		"PUT /api/enforcement/cases/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/enforcement/cases/%d", enfRecs(t, fx).cse[in].ID), Body: caseBody(t, fx, in)}
		}},
		"GET /api/enforcement/cases/{id}/legal-review": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/enforcement/cases/%d/legal-review", enfRecs(t, fx).cse[in].ID)}
		}},
		// The fixture's case is not marked major: in scope the gate
		// answers 422 (nothing opened).
		"POST /api/enforcement/cases/{id}/legal-review": {Perm: write, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/enforcement/cases/%d/legal-review", enfRecs(t, fx).cse[in].ID), Body: map[string]any{"summary": "授权测试送审"}}
		}},
		"GET /api/enforcement/rules": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/rules"}
		}},
		"GET /api/enforcement/rule-hits": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			enfRecs(t, fx)
			return authzReq{Path: "/api/enforcement/rule-hits?rule=enforcement.two_officers&page_size=500", Marker: "授权测试" + ndWhere(in) + "执法案件"}
		}},
		"GET /api/enforcement/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/figures?from=2026-01-01&to=2026-12-31"}
		}},
		"GET /api/enforcement/platform-tokens": {Perm: config, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/platform-tokens"}
		}},
		"POST /api/enforcement/platform-tokens": {Perm: config, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/platform-tokens", Body: map[string]any{"name": fmt.Sprintf("授权测试平台%d", fx.Next())}}
		}},
		"POST /api/enforcement/platform-tokens/{id}/revoke": {Perm: config, OK: 204, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			tok, err := fx.App.Enforcement().CreateToken(enfSys(), enforcement.TokenInput{Name: fmt.Sprintf("授权测试停用%d", fx.Next())})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("/api/enforcement/platform-tokens/%d/revoke", tok.ID)}
		}},
		// The platform's route takes no session: without its bearer
		// token every caller, signed in or not, is refused.
		"POST /api/enforcement/platform/cases": {Perm: "", OK: 401, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/platform/cases", Body: map[string]any{"cases": []any{}}}
		}},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}
