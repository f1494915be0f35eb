package app

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"fazhi/internal/indicator"
	"fazhi/internal/platform/auth"

	"github.com/xuri/excelize/v2"
)

// icRecords are the indicator records of one authorization fixture: a
// campaign with item 1 assigned to the in unit and item 2 to the out unit.
type icRecords struct {
	campaign int64
	as       map[bool]int64
}

var (
	icMu   sync.Mutex
	icRecs = map[*authzFixture]*icRecords{}
)

func icSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz indicator"))
}

// icFramework is the latest revision of the default framework (an item
// edit of a framework in use makes a new one).
func icFramework(t *testing.T, fx *authzFixture) int64 {
	t.Helper()
	var id int64
	if err := fx.DB.QueryRow(context.Background(), "SELECT id FROM indicator_frameworks WHERE code = ? ORDER BY revision DESC LIMIT 1", indicator.DefaultCode).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func icRoot(fx *authzFixture) int64 {
	id, _ := strconv.ParseInt(strings.Split(strings.Trim(fx.InUnit.Path, "/"), "/")[0], 10, 64)
	return id
}

// icAssignment starts a fresh campaign and assigns item code to the in/out
// unit; stage "self" self-assesses it with evidence, "submitted" submits
// it, "approved" approves it.
func icAssignment(t *testing.T, fx *authzFixture, in bool, code, stage string) (campaign int64, as *indicator.AssignmentDetail) {
	t.Helper()
	s, ctx := fx.App.Indicator(), icSys()
	c, err := s.CreateCampaign(ctx, indicator.CampaignInput{Name: fmt.Sprintf("授权测试测评%d", fx.Next()), Year: 2026, FrameworkID: icFramework(t, fx), UnitID: icRoot(fx)})
	if err != nil {
		t.Fatal(err)
	}
	var item int64
	for _, r := range c.Rows {
		if r.Code == code {
			item = r.ID
		}
	}
	if _, err := s.Breakdown(ctx, c.ID, indicator.BreakdownInput{ItemIDs: []int64{item}, UnitID: fx.Unit(in).ID, DueOn: "2026-12-31"}); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := fx.DB.QueryRow(context.Background(), "SELECT id FROM indicator_assignments WHERE campaign_id = ?", c.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	d, err := s.Assignment(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if stage == "" {
		return c.ID, d
	}
	if d, err = s.SelfAssess(ctx, id, indicator.SelfInput{Version: d.Version, Checked: []bool{true, true, true}, SelfNote: "授权测试自评"}); err != nil {
		t.Fatal(err)
	}
	if d, err = s.AddEvidence(ctx, id, indicator.EvidenceInput{Name: "授权测试材料.pdf"}, icPDF); err != nil {
		t.Fatal(err)
	}
	if stage == "self" {
		return c.ID, d
	}
	if d, err = s.Submit(ctx, id, d.Version); err != nil {
		t.Fatal(err)
	}
	if stage == "submitted" {
		return c.ID, d
	}
	sifaju, err := demoPeople{fx.App.Org}.Actor(context.Background(), "sifaju")
	if err != nil {
		t.Fatal(err)
	}
	if d, err = s.Review(auth.With(context.Background(), sifaju), id, indicator.ReviewInput{Version: d.Version, Approve: true}); err != nil {
		t.Fatal(err)
	}
	return c.ID, d
}

var icPDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func icFixture(t *testing.T, fx *authzFixture) *icRecords {
	t.Helper()
	icMu.Lock()
	defer icMu.Unlock()
	if r := icRecs[fx]; r != nil {
		return r
	}
	// One campaign: item 1 led by the in unit, item 2 by the out unit.
	r := &icRecords{as: map[bool]int64{}}
	s, ctx := fx.App.Indicator(), icSys()
	c, err := s.CreateCampaign(ctx, indicator.CampaignInput{Name: fmt.Sprintf("授权测试测评%d", fx.Next()), Year: 2026, FrameworkID: icFramework(t, fx), UnitID: icRoot(fx)})
	if err != nil {
		t.Fatal(err)
	}
	r.campaign = c.ID
	for in, code := range map[bool]string{true: "1", false: "2"} {
		var item int64
		for _, row := range c.Rows {
			if row.Code == code {
				item = row.ID
			}
		}
		if _, err := s.Breakdown(ctx, c.ID, indicator.BreakdownInput{ItemIDs: []int64{item}, UnitID: fx.Unit(in).ID, DueOn: "2026-12-31"}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.Campaign(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range d.Rows {
		if row.Assignment != nil {
			r.as[row.Assignment.UnitID == fx.InUnit.ID] = row.Assignment.ID
		}
	}
	icRecs[fx] = r
	return r
}

func init() {
	read, write, manage := indicator.PermRead, indicator.PermWrite, indicator.PermManage
	one := func(id int64, suffix string, body map[string]any) authzReq {
		return authzReq{Path: fmt.Sprintf("/api/indicator/assignments/%d%s", id, suffix), Body: body}
	}
	camp := func(t *testing.T, fx *authzFixture, suffix string) authzReq {
		return authzReq{Path: fmt.Sprintf("/api/indicator/campaigns/%d%s", icFixture(t, fx).campaign, suffix)}
	}
	deptOnly := map[string]int{"clerk": 403, "head": 403}
	routes := map[string]authzRoute{
		"GET /api/indicator/meta": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/indicator/meta"}
		}},
		"GET /api/indicator/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/indicator/figures"}
		}},
		"GET /api/indicator/frameworks": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/indicator/frameworks"}
		}},
		"GET /api/indicator/frameworks/{id}": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/indicator/frameworks/%d", icFramework(t, fx))}
		}},
		"GET /api/indicator/frameworks/{id}/export.xlsx": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/indicator/frameworks/%d/export.xlsx", icFramework(t, fx))}
		}},
		"GET /api/indicator/frameworks/template.xlsx": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/indicator/frameworks/template.xlsx"}
		}},
		// A workbook with one bad row: reported, nothing written.
		"POST /api/indicator/frameworks/import": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			f := excelize.NewFile()
			f.SetSheetName("Sheet1", indicator.FrameworkSheet)
			f.SetSheetRow(indicator.FrameworkSheet, "A1", &[]any{"编号", "层级", "上级编号", "指标名称"})
			f.SetSheetRow(indicator.FrameworkSheet, "A2", &[]any{"1", 3, "无此上级", "授权测试指标"})
			var b bytes.Buffer
			f.WriteTo(&b)
			return authzReq{Path: "/api/indicator/frameworks/import?code=authz&name=授权测试体系", Raw: b.Bytes(), ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
		}},
		"PUT /api/indicator/frameworks/{id}/items/{item}": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d, err := fx.App.Indicator().Framework(icSys(), icFramework(t, fx))
			if err != nil {
				t.Fatal(err)
			}
			it := d.Items[len(d.Items)-1]
			return authzReq{Path: fmt.Sprintf("/api/indicator/frameworks/%d/items/%d", d.ID, it.ID), Body: map[string]any{"version": d.Version, "title": it.Title,
				"description": it.Description, "kind": it.Kind, "points": it.Points, "method": it.Method, "per_occurrence": it.PerOccurrence, "cap": it.Cap,
				"figure_code": it.FigureCode, "full_at": it.FullAt, "zero_at": it.ZeroAt, "evidence": it.Evidence}}
		}},
		"GET /api/indicator/campaigns": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/indicator/campaigns"}
		}},
		"POST /api/indicator/campaigns": {Perm: manage, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/indicator/campaigns", Body: map[string]any{"name": fmt.Sprintf("授权测试新测评%d", fx.Next()), "year": 2026,
				"framework_id": icFramework(t, fx), "unit_id": icRoot(fx)}}
		}},
		"GET /api/indicator/campaigns/{id}": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return camp(t, fx, "")
		}},
		"POST /api/indicator/campaigns/{id}/breakdown": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c, _ := icAssignment(t, fx, in, "1", "")
			d, err := fx.App.Indicator().Campaign(icSys(), c)
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("/api/indicator/campaigns/%d/breakdown", c), Body: map[string]any{"item_ids": []int64{d.Rows[0].ID},
				"unit_id": fx.Unit(in).ID, "due_on": "2026-12-31"}}
		}},
		"POST /api/indicator/campaigns/{id}/figures": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return camp(t, fx, "/figures")
		}},
		"POST /api/indicator/campaigns/{id}/close": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c, _ := icAssignment(t, fx, in, "1", "")
			return authzReq{Path: fmt.Sprintf("/api/indicator/campaigns/%d/close", c), Body: map[string]any{"version": fx.Version(t, "indicator_campaigns", c)}}
		}},
		"GET /api/indicator/campaigns/{id}/board": {Perm: read, OK: 200, Deny: deptOnly, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return camp(t, fx, "/board")
		}},
		"GET /api/indicator/campaigns/{id}/scores.xlsx": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return camp(t, fx, "/scores.xlsx")
		}},
		"GET /api/indicator/campaigns/{id}/evidence.xlsx": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return camp(t, fx, "/evidence.xlsx")
		}},
		"GET /api/indicator/campaigns/{id}/bundle.zip": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return camp(t, fx, "/bundle.zip")
		}},
		"GET /api/indicator/assignments": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := icFixture(t, fx)
			return authzReq{Path: fmt.Sprintf("/api/indicator/assignments?campaign_id=%d", r.campaign), Marker: fx.Unit(in).Name}
		}},
		"GET /api/indicator/assignments/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(icFixture(t, fx).as[in], "", nil)
		}},
		"PUT /api/indicator/assignments/{id}/self": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			id := icFixture(t, fx).as[in]
			return one(id, "/self", map[string]any{"version": fx.Version(t, "indicator_assignments", id), "checked": []bool{true, false}, "self_note": "授权测试自评"})
		}},
		"POST /api/indicator/assignments/{id}/evidence": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/indicator/assignments/%d/evidence?name=授权测试补充.pdf", icFixture(t, fx).as[in]), Raw: icPDF, ContentType: "application/pdf"}
		}},
		// No earlier campaign has the item: refused by the gate once allowed.
		"POST /api/indicator/assignments/{id}/reuse": {Perm: write, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			id := icFixture(t, fx).as[in]
			return one(id, "/reuse", map[string]any{"version": fx.Version(t, "indicator_assignments", id)})
		}},
		"POST /api/indicator/assignments/{id}/submit": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			_, d := icAssignment(t, fx, in, "1", "self")
			return one(d.ID, "/submit", map[string]any{"version": d.Version})
		}},
		"POST /api/indicator/assignments/{id}/review": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			_, d := icAssignment(t, fx, in, "1", "submitted")
			return one(d.ID, "/review", map[string]any{"version": d.Version, "approve": false, "opinion": "授权测试退回"})
		}},
		"POST /api/indicator/assignments/{id}/override": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			_, d := icAssignment(t, fx, in, "1", "approved")
			return one(d.ID, "/override", map[string]any{"version": d.Version, "score": 2, "reason": "授权测试调整"})
		}},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}
