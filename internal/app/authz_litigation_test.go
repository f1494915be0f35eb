package app

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"fazhi/internal/litigation"
	"fazhi/internal/platform/auth"

	"github.com/xuri/excelize/v2"
)

// lgRecords are the litigation records of one authorization fixture: a
// lawsuit against the in and the out unit, each with a held hearing.
type lgRecords struct{ cases map[bool]*litigation.Detail }

var (
	lgMu   sync.Mutex
	lgRecs = map[*authzFixture]*lgRecords{}
)

func lgSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz litigation"))
}

// lgCase registers a fresh lawsuit against the in/out unit today.
func lgCase(t *testing.T, fx *authzFixture, in bool) *litigation.Detail {
	t.Helper()
	c, err := fx.App.Litigation().Create(lgSys(), litigation.CaseInput{Court: "授权测试法院", Instance: "first",
		PlaintiffName: fmt.Sprintf("授权测试%s原告%d", ndWhere(in), fx.Next()), UnitID: fx.Unit(in).ID,
		Act: "授权测试" + ndWhere(in) + "被诉行为", ReceivedOn: rcToday()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func lgFixture(t *testing.T, fx *authzFixture) *lgRecords {
	t.Helper()
	lgMu.Lock()
	defer lgMu.Unlock()
	if r := lgRecs[fx]; r != nil {
		return r
	}
	r := &lgRecords{cases: map[bool]*litigation.Detail{}}
	for _, in := range []bool{true, false} {
		c := lgCase(t, fx, in)
		c, err := fx.App.Litigation().AddHearing(lgSys(), c.ID, litigation.HearingInput{Version: c.Version, HeldOn: rcToday(), Appearance: "head",
			Attendee: "授权测试" + ndWhere(in) + "出庭人"})
		if err != nil {
			t.Fatal(err)
		}
		r.cases[in] = c
	}
	lgRecs[fx] = r
	return r
}

func init() {
	read, write := litigation.PermRead, litigation.PermWrite
	one := func(c *litigation.Detail, suffix string, body map[string]any) authzReq {
		return authzReq{Path: fmt.Sprintf("/api/litigation/%d%s", c.ID, suffix), Body: body}
	}
	routes := map[string]authzRoute{
		"GET /api/litigation": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			lgFixture(t, fx)
			return authzReq{Path: "/api/litigation?q=授权测试&page_size=200", Marker: "授权测试" + ndWhere(in) + "被诉行为"}
		}},
		"GET /api/litigation/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			lgFixture(t, fx)
			return authzReq{Path: "/api/litigation/export.xlsx?q=授权测试", Marker: "授权测试" + ndWhere(in) + "被诉行为", Xlsx: true}
		}},
		"GET /api/litigation/hearings": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			lgFixture(t, fx)
			return authzReq{Path: "/api/litigation/hearings?page_size=500", Marker: "授权测试" + ndWhere(in) + "出庭人"}
		}},
		"GET /api/litigation/meta": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/litigation/meta"}
		}},
		"GET /api/litigation/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/litigation/figures?from=2026-01-01&to=2026-12-31"}
		}},
		"GET /api/litigation/template.xlsx": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/litigation/template.xlsx"}
		}},
		// A workbook whose one row names no unit: reported, nothing written.
		"POST /api/litigation/import": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			f := excelize.NewFile()
			f.SetSheetName("Sheet1", litigation.SheetName)
			f.SetSheetRow(litigation.SheetName, "A1", &[]any{"受理法院", "审级", "原告", "被告", "被诉行政行为", "收到起诉状副本日期"})
			f.SetSheetRow(litigation.SheetName, "A2", &[]any{"授权测试法院", "一审", "授权测试导入", "不存在的单位", "某处罚", rcToday()})
			var b bytes.Buffer
			f.WriteTo(&b)
			return authzReq{Path: "/api/litigation/import", Raw: b.Bytes(), ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
		}},
		"POST /api/litigation": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/litigation", Body: map[string]any{"court": "授权测试法院", "instance": "first",
				"plaintiff_name": fmt.Sprintf("授权测试新原告%d", fx.Next()), "unit_id": fx.Unit(in).ID, "act": "授权测试行为", "received_on": rcToday()}}
		}},
		"GET /api/litigation/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(lgFixture(t, fx).cases[in], "", nil)
		}},
		"PUT /api/litigation/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := lgFixture(t, fx).cases[in]
			return one(c, "", map[string]any{"court": "授权测试法院", "instance": "first", "plaintiff_name": c.PlaintiffName, "unit_id": c.UnitID,
				"act": c.Act, "received_on": c.ReceivedOn, "version": fx.Version(t, "litigation_cases", c.ID)})
		}},
		"POST /api/litigation/{id}/steps/{action}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := lgCase(t, fx, in)
			return one(c, "/steps/defence", map[string]any{"date": rcToday(), "version": c.Version})
		}},
		"POST /api/litigation/{id}/hearings": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := lgCase(t, fx, in)
			return one(c, "/hearings", map[string]any{"held_on": rcToday(), "appearance": "staff", "version": c.Version})
		}},
		"PUT /api/litigation/{id}/hearings/{hearing}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := lgCase(t, fx, in)
			c, err := fx.App.Litigation().AddHearing(lgSys(), c.ID, litigation.HearingInput{Version: c.Version, HeldOn: rcToday()})
			if err != nil {
				t.Fatal(err)
			}
			return one(c, fmt.Sprintf("/hearings/%d", c.Hearings[0].ID), map[string]any{"held_on": rcToday(), "appearance": "deputy",
				"attendee": "授权测试分管负责人", "version": c.Version})
		}},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}
