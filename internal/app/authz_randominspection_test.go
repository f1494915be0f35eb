package app

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"fazhi/internal/enforcement"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	xl "fazhi/internal/platform/xlsx"
	"fazhi/internal/randominspection"
)

// riRecords are the random-inspection records of one authorization
// fixture, in the in-scope and out-of-scope units: a body with two
// certified officers, a matter, a draft plan and a drawn plan with a check.
type riRecords struct {
	body     map[bool]*enforcement.Body
	officers map[bool][]int64
	matter   map[bool]*randominspection.Matter
	draft    map[bool]*randominspection.Plan
	drawn    map[bool]*randominspection.Plan
	check    map[bool]*randominspection.Check
}

var riByFixture sync.Map

func riSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz randominspection"))
}

func riRecs(t *testing.T, fx *authzFixture) *riRecords {
	t.Helper()
	if r, ok := riByFixture.Load(fx); ok {
		return r.(*riRecords)
	}
	en, svc, sys := fx.App.Enforcement(), fx.App.RandomInspection(), riSys()
	r := &riRecords{body: map[bool]*enforcement.Body{}, officers: map[bool][]int64{}, matter: map[bool]*randominspection.Matter{},
		draft: map[bool]*randominspection.Plan{}, drawn: map[bool]*randominspection.Plan{}, check: map[bool]*randominspection.Check{}}
	for _, in := range []bool{true, false} {
		w := ndWhere(in)
		b, err := en.CreateBody(sys, enforcement.BodyInput{UnitID: fx.Unit(in).ID, Name: "随机授权测试" + w + "执法主体", Kind: "statutory", LegalBasis: "三定规定", Categories: "市场监管"})
		if err != nil {
			t.Fatal(err)
		}
		r.body[in] = b
		for i := range 2 {
			o, err := en.CreateOfficer(sys, enfOfficer(fx, in, fmt.Sprintf("随机授权测试%s检查员%d", w, i), fmt.Sprintf("RI-%s-%d", w, i)))
			if err != nil {
				t.Fatal(err)
			}
			r.officers[in] = append(r.officers[in], o.ID)
		}
		if r.matter[in], err = svc.CreateMatter(sys, randominspection.MatterInput{BodyID: b.ID, Name: "随机授权测试" + w + "抽查事项",
			LegalBasis: "《食品安全法》第一百一十条", ObjectKind: "食品经营者", Method: "onsite"}); err != nil {
			t.Fatal(err)
		}
		r.draft[in] = riPlan(t, fx, r, in, "草稿", false, false)
		r.drawn[in] = riPlan(t, fx, r, in, "已抽取", true, true)
		checks, err := svc.ListChecks(sys, randominspection.CheckFilter{PlanID: r.drawn[in].ID}, db.ListReq{})
		if err != nil || len(checks.Items) == 0 {
			t.Fatalf("drawn fixture: %v %+v", err, checks)
		}
		r.check[in] = &checks.Items[0]
	}
	riByFixture.Store(fx, r)
	return r
}

// riPlan opens a plan in the record's unit with one entity and the two
// officers, committed and drawn as asked.
func riPlan(t *testing.T, fx *authzFixture, r *riRecords, in bool, label string, commit, drawIt bool) *randominspection.Plan {
	t.Helper()
	svc, sys := fx.App.RandomInspection(), riSys()
	n := fx.Next()
	p, err := svc.CreatePlan(sys, randominspection.PlanInput{Year: 2026, Title: fmt.Sprintf("随机授权测试%s%s计划%d", ndWhere(in), label, n), UnitID: fx.Unit(in).ID,
		BodyIDs: []int64{r.body[in].ID}, MatterIDs: []int64{r.matter[in].ID}, Ratios: randominspection.Ratios{Low: 1000}, PerCheck: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ImportEntities(sys, p.ID, riWorkbook(t, fmt.Sprintf("随机授权测试%s对象%d", ndWhere(in), n), fmt.Sprintf("91500108MA%08d", n)), false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddInspectors(sys, p.ID, randominspection.InspectorsInput{OfficerIDs: r.officers[in]}); err != nil {
		t.Fatal(err)
	}
	if p, err = svc.GetPlan(sys, p.ID); err != nil {
		t.Fatal(err)
	}
	if commit {
		if p, err = svc.Commit(sys, p.ID, randominspection.VersionInput{Version: p.Version}); err != nil {
			t.Fatal(err)
		}
	}
	if drawIt {
		if p, err = svc.Draw(sys, p.ID, randominspection.VersionInput{Version: p.Version}); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func riWorkbook(t *testing.T, name, code string) []byte {
	t.Helper()
	cols := []xl.Column{{Title: "名称"}, {Title: "统一社会信用代码"}, {Title: "对象类型"}, {Title: "风险等级"}, {Title: "所属单位"}}
	b, err := xl.StreamBytes(xl.Sheet{Name: randominspection.EntitySheet, Columns: cols}, xl.Slice([][]any{{name, code, "企业或其他组织", "低风险", ""}}))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// riRecordedCheck is a fresh check with a result, ready for publication.
func riRecordedCheck(t *testing.T, fx *authzFixture, in bool) *randominspection.Check {
	t.Helper()
	svc, sys := fx.App.RandomInspection(), riSys()
	p := riPlan(t, fx, riRecs(t, fx), in, "公示", true, true)
	checks, err := svc.ListChecks(sys, randominspection.CheckFilter{PlanID: p.ID}, db.ListReq{})
	if err != nil {
		t.Fatal(err)
	}
	c := checks.Items[0]
	out, err := svc.RecordResult(sys, c.ID, randominspection.ResultInput{CheckedOn: riToday(), Result: randominspection.ResultClean, Version: c.Version})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func init() {
	read, write := randominspection.PermRead, randominspection.PermWrite
	xlsxType := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	planPath := func(suffix string, pick func(r *riRecords) map[bool]*randominspection.Plan) func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/plans/%d%s", pick(riRecs(t, fx))[in].ID, suffix)}
		}
	}
	draft := func(r *riRecords) map[bool]*randominspection.Plan { return r.draft }
	drawn := func(r *riRecords) map[bool]*randominspection.Plan { return r.drawn }
	planBody := func(t *testing.T, fx *authzFixture, in bool) map[string]any {
		r := riRecs(t, fx)
		return map[string]any{"year": 2026, "title": fmt.Sprintf("随机授权测试%s新计划%d", ndWhere(in), fx.Next()), "unit_id": fx.Unit(in).ID,
			"body_ids": []int64{r.body[in].ID}, "matter_ids": []int64{r.matter[in].ID}, "ratios": map[string]int{"low": 100}, "per_check": 2}
	}
	fresh := func(commit bool) func(t *testing.T, fx *authzFixture, in bool) *randominspection.Plan {
		return func(t *testing.T, fx *authzFixture, in bool) *randominspection.Plan {
			return riPlan(t, fx, riRecs(t, fx), in, "一次性", commit, false)
		}
	}
	routes := map[string]authzRoute{
		"GET /api/random-inspections/matters": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			riRecs(t, fx)
			return authzReq{Path: "/api/random-inspections/matters", Marker: "随机授权测试" + ndWhere(in) + "抽查事项"}
		}},
		"POST /api/random-inspections/matters": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/random-inspections/matters", Body: map[string]any{"body_id": riRecs(t, fx).body[in].ID,
				"name": fmt.Sprintf("随机授权测试新事项%d", fx.Next()), "legal_basis": "依据", "object_kind": "食品经营者", "method": "onsite"}}
		}},
		"PUT /api/random-inspections/matters/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			m := riRecs(t, fx).matter[in]
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/matters/%d", m.ID), Body: map[string]any{"body_id": m.BodyID, "name": m.Name,
				"legal_basis": "《食品安全法》第一百一十条（修订）", "object_kind": "食品经营者", "method": "document", "version": fx.Version(t, "random_matters", m.ID)}}
		}},
		"GET /api/random-inspections/plans": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			riRecs(t, fx)
			return authzReq{Path: "/api/random-inspections/plans?page_size=500", Marker: "随机授权测试" + ndWhere(in) + "草稿计划"}
		}},
		"GET /api/random-inspections/plans/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			riRecs(t, fx)
			return authzReq{Path: "/api/random-inspections/plans/export.xlsx", Marker: "随机授权测试" + ndWhere(in) + "草稿计划", Xlsx: true}
		}},
		"POST /api/random-inspections/plans": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/random-inspections/plans", Body: planBody(t, fx, in)}
		}},
		"GET /api/random-inspections/plans/{id}": {Perm: read, Scoped: true, OK: 200, Req: planPath("", draft)},
		"PUT /api/random-inspections/plans/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			p := riRecs(t, fx).draft[in]
			body := planBody(t, fx, in)
			body["title"], body["version"] = p.Title, fx.Version(t, "random_plans", p.ID)
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/plans/%d", p.ID), Body: body}
		}},
		"GET /api/random-inspections/plans/{id}/pool": {Perm: read, Scoped: true, OK: 200, Req: planPath("/pool", draft)},
		"GET /api/random-inspections/entity-template.xlsx": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/random-inspections/entity-template.xlsx"}
		}},
		"POST /api/random-inspections/plans/{id}/entities/import": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/plans/%d/entities/import?mode=check", riRecs(t, fx).draft[in].ID),
				Raw: riWorkbook(t, "随机授权测试导入对象", fmt.Sprintf("91500108MB%08d", fx.Next())), ContentType: xlsxType}
		}},
		"DELETE /api/random-inspections/plans/{id}/entities": {Perm: write, Scoped: true, OK: 204, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/plans/%d/entities", fresh(false)(t, fx, in).ID)}
		}},
		"POST /api/random-inspections/plans/{id}/inspectors": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := riRecs(t, fx)
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/plans/%d/inspectors", r.draft[in].ID), Body: map[string]any{"officer_ids": r.officers[in]}}
		}},
		"DELETE /api/random-inspections/plans/{id}/inspectors/{officer_id}": {Perm: write, Scoped: true, OK: 204, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/plans/%d/inspectors/%d", fresh(false)(t, fx, in).ID, riRecs(t, fx).officers[in][0])}
		}},
		"POST /api/random-inspections/plans/{id}/relations": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			p := fresh(false)(t, fx, in)
			pool, err := fx.App.RandomInspection().GetPool(riSys(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/plans/%d/relations", p.ID), Body: map[string]any{"officer_id": pool.Inspectors[0].OfficerID,
				"entity_id": pool.Entities[0].ID, "note": "亲属在该企业任职"}}
		}},
		"POST /api/random-inspections/plans/{id}/commit": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			p := fresh(false)(t, fx, in)
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/plans/%d/commit", p.ID), Body: map[string]any{"version": p.Version}}
		}},
		"POST /api/random-inspections/plans/{id}/draw": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			p := fresh(true)(t, fx, in)
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/plans/%d/draw", p.ID), Body: map[string]any{"version": p.Version}}
		}},
		"GET /api/random-inspections/checks": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := riRecs(t, fx)
			return authzReq{Path: "/api/random-inspections/checks?page_size=500", Marker: r.check[in].EntityName}
		}},
		"GET /api/random-inspections/checks/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := riRecs(t, fx)
			return authzReq{Path: "/api/random-inspections/checks/export.xlsx", Marker: r.check[in].EntityName, Xlsx: true}
		}},
		"GET /api/random-inspections/checks/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/checks/%d", riRecs(t, fx).check[in].ID)}
		}},
		"PUT /api/random-inspections/checks/{id}/result": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := riRecs(t, fx)
			c := r.check[in]
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/checks/%d/result", c.ID), Body: map[string]any{"checked_on": riToday(),
				"result": "clean", "version": fx.Version(t, "random_checks", c.ID)}}
		}},
		"POST /api/random-inspections/checks/{id}/publish": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := riRecordedCheck(t, fx, in)
			return authzReq{Path: fmt.Sprintf("/api/random-inspections/checks/%d/publish", c.ID), Body: map[string]any{"published_on": c.CheckedOn, "version": c.Version}}
		}},
		"GET /api/random-inspections/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/random-inspections/figures?from=2026-01-01&to=2026-12-31"}
		}},
		// The public portal: published plans of every unit, no sign-in.
		"GET /api/public/random-inspections": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			riRecs(t, fx)
			return authzReq{Path: "/api/public/random-inspections?page_size=500"}
		}},
		"GET /api/public/random-inspections/{id}":              {Perm: "", OK: 200, Req: planPathPublic("", drawn)},
		"GET /api/public/random-inspections/{id}/files/{name}": {Perm: "", OK: 200, Req: planPathPublic("/files/result.json", drawn)},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}

// riToday is the Beijing day (the fixtures are drawn today).
func riToday() string { return calendar.Today(time.Now()).String() }

func planPathPublic(suffix string, pick func(r *riRecords) map[bool]*randominspection.Plan) func(t *testing.T, fx *authzFixture, in bool) authzReq {
	return func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: fmt.Sprintf("/api/public/random-inspections/%d%s", pick(riRecs(t, fx))[in].ID, suffix)}
	}
}
