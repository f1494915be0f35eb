package app

import (
	"context"
	"fmt"
	"testing"

	"fazhi/internal/counsel"
	"fazhi/internal/platform/auth"
)

// csRecords are the counsel records of one authorization fixture: an
// adviser managed by (and under contract with) the in-scope and the
// out-of-scope unit.
type csRecords struct {
	adviser  map[bool]*counsel.Detail
	contract map[bool]int64
}

var csFixtures = map[*authzFixture]*csRecords{}

func csSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz counsel"))
}

func csRecs(t *testing.T, fx *authzFixture) *csRecords {
	t.Helper()
	if r := csFixtures[fx]; r != nil {
		return r
	}
	svc := fx.App.Counsel()
	recs := &csRecords{adviser: map[bool]*counsel.Detail{}, contract: map[bool]int64{}}
	for _, in := range []bool{true, false} {
		a, err := svc.CreateAdviser(csSys(), counsel.AdviserInput{UnitID: fx.Unit(in).ID, Name: "授权测试" + ndWhere(in) + "顾问", Level: "district", Kind: "scholar"})
		if err != nil {
			t.Fatal(err)
		}
		if a, err = svc.AddContract(csSys(), a.ID, counsel.ContractInput{UnitID: fx.Unit(in).ID, StartsOn: "2020-01-01", EndsOn: "2099-12-31", Fee: 1000}); err != nil {
			t.Fatal(err)
		}
		recs.adviser[in], recs.contract[in] = a, a.Contracts[0].ID
	}
	csFixtures[fx] = recs
	return recs
}

func init() {
	read, write := counsel.PermRead, counsel.PermWrite
	adv := func(t *testing.T, fx *authzFixture, in bool, suffix string, body map[string]any) authzReq {
		a := csRecs(t, fx).adviser[in]
		return authzReq{Path: fmt.Sprintf("/api/counsel/advisers/%d%s", a.ID, suffix), Body: body}
	}
	routes := map[string]authzRoute{
		"GET /api/counsel/meta": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/counsel/meta"}
		}},
		"GET /api/counsel/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/counsel/figures"}
		}},
		"GET /api/counsel/coverage": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/counsel/coverage"}
		}},
		"GET /api/counsel/advisers": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			csRecs(t, fx)
			return authzReq{Path: "/api/counsel/advisers?q=授权测试&page_size=100", Marker: "授权测试" + ndWhere(in) + "顾问"}
		}},
		"GET /api/counsel/advisers/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			csRecs(t, fx)
			return authzReq{Path: "/api/counsel/advisers/export.xlsx?q=授权测试", Marker: "授权测试" + ndWhere(in) + "顾问", Xlsx: true}
		}},
		"POST /api/counsel/advisers": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/counsel/advisers", Body: map[string]any{"unit_id": fx.Unit(in).ID, "name": fmt.Sprintf("新顾问%d", fx.Next()),
				"level": "town", "kind": "scholar"}}
		}},
		"GET /api/counsel/advisers/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return adv(t, fx, in, "", nil)
		}},
		"PUT /api/counsel/advisers/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			a := csRecs(t, fx).adviser[in]
			return adv(t, fx, in, "", map[string]any{"name": a.Name, "level": a.Level, "kind": a.Kind, "qualification": "授权测试修改",
				"version": fx.Version(t, "counsel_advisers", a.ID)})
		}},
		"POST /api/counsel/advisers/{id}/contracts": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			// A fresh adviser each time (contracts with one unit may not overlap).
			a, err := fx.App.Counsel().CreateAdviser(csSys(), counsel.AdviserInput{UnitID: fx.Unit(in).ID, Name: fmt.Sprintf("合同顾问%d", fx.Next()), Level: "town", Kind: "scholar"})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("/api/counsel/advisers/%d/contracts", a.ID), Body: map[string]any{"unit_id": fx.Unit(in).ID,
				"starts_on": "2026-01-01", "ends_on": "2026-12-31", "fee": 5000}}
		}},
		"PUT /api/counsel/contracts/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			id := csRecs(t, fx).contract[in]
			return authzReq{Path: fmt.Sprintf("/api/counsel/contracts/%d", id), Body: map[string]any{"starts_on": "2020-01-01", "ends_on": "2099-12-31",
				"fee": 2000, "version": fx.Version(t, "counsel_contracts", id)}}
		}},
		"POST /api/counsel/advisers/{id}/works": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return adv(t, fx, in, "/works", map[string]any{"unit_id": fx.Unit(in).ID, "kind": "opinion", "day": "2026-03-02", "title": "授权测试法律意见"})
		}},
		// Each call evaluates a year not yet evaluated (the fixture's
		// contract runs from 2020).
		"POST /api/counsel/advisers/{id}/evaluations": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			a, err := fx.App.Counsel().CreateAdviser(csSys(), counsel.AdviserInput{UnitID: fx.Unit(in).ID, Name: fmt.Sprintf("考核顾问%d", fx.Next()), Level: "town", Kind: "scholar"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := fx.App.Counsel().AddContract(csSys(), a.ID, counsel.ContractInput{UnitID: fx.Unit(in).ID, StartsOn: "2025-01-01", EndsOn: "2025-12-31"}); err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("/api/counsel/advisers/%d/evaluations", a.ID), Body: map[string]any{"year": 2025, "score": 88, "grade": "competent",
				"evaluated_on": "2025-12-20", "selection_ok": true, "management_ok": true, "duties_ok": true, "pay_ok": true}}
		}},
		"GET /api/counsel/works/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			a := csRecs(t, fx).adviser[in]
			if _, err := fx.App.Counsel().AddWork(csSys(), a.ID, counsel.WorkInput{UnitID: fx.Unit(in).ID, Kind: "opinion", Day: "2026-03-04",
				Title: "授权测试" + ndWhere(in) + "书面意见"}); err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: "/api/counsel/works/export.xlsx?kind=opinion", Marker: "授权测试" + ndWhere(in) + "书面意见", Xlsx: true}
		}},
		"GET /api/counsel/works": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			a := csRecs(t, fx).adviser[in]
			if _, err := fx.App.Counsel().AddWork(csSys(), a.ID, counsel.WorkInput{UnitID: fx.Unit(in).ID, Kind: "meeting", Day: "2026-03-03",
				Title: "授权测试" + ndWhere(in) + "列席会议"}); err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: "/api/counsel/works?kind=meeting&page_size=200", Marker: "授权测试" + ndWhere(in) + "列席会议"}
		}},
	}
	// Imports answer a report (200) for any readable workbook: the
	// template's example row is loaded, or reported (a unit out of scope,
	// a licence already in the pool); nothing is written from a bad batch.
	for _, imp := range []struct {
		path string
		tpl  func() ([]byte, error)
	}{{"/api/counsel/advisers", counsel.AdviserTemplate}, {"/api/counsel/works", counsel.WorkTemplate}} {
		routes["GET "+imp.path+"/template.xlsx"] = authzRoute{Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: imp.path + "/template.xlsx"}
		}}
		routes["POST "+imp.path+"/import"] = authzRoute{Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			b, err := imp.tpl()
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: imp.path + "/import", Raw: b, ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
		}}
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}
