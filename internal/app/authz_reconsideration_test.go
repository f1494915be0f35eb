package app

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/reconsideration"

	"github.com/xuri/excelize/v2"
)

// rcRecords are the reconsideration records of one authorization fixture:
// a case received in and out of the department roles' scope, and one taken
// to a decision with an opinion letter and published.
type rcRecords struct {
	received map[bool]*reconsideration.Detail
	decided  map[bool]*reconsideration.Detail
}

var (
	rcMu   sync.Mutex
	rcRecs = map[*authzFixture]*rcRecords{}
)

func rcSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz reconsideration"))
}

func rcToday() string { return calendar.Today(time.Now()).String() }

// rcCase registers a fresh application against the in/out unit today.
func rcCase(t *testing.T, fx *authzFixture, in bool) *reconsideration.Detail {
	t.Helper()
	c, err := fx.App.Reconsideration().Create(rcSys(), reconsideration.ApplicationInput{ApplicantName: fmt.Sprintf("授权测试%s申请人%d", ndWhere(in), fx.Next()),
		UnitID: fx.Unit(in).ID, Act: "授权测试" + ndWhere(in) + "行政处罚", Category: "penalty", Channel: "window", ReceivedOn: rcToday()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rcFixture(t *testing.T, fx *authzFixture) *rcRecords {
	t.Helper()
	rcMu.Lock()
	defer rcMu.Unlock()
	if r := rcRecs[fx]; r != nil {
		return r
	}
	r := &rcRecords{received: map[bool]*reconsideration.Detail{}, decided: map[bool]*reconsideration.Detail{}}
	svc, today := fx.App.Reconsideration(), rcToday()
	for _, in := range []bool{true, false} {
		r.received[in] = rcCase(t, fx, in)
		c := rcCase(t, fx, in)
		for _, s := range []struct {
			action string
			in     reconsideration.StepInput
		}{{"accept", reconsideration.StepInput{}}, {"send_copy", reconsideration.StepInput{}}, {"reply", reconsideration.StepInput{}},
			{"decide", reconsideration.StepInput{Outcome: "uphold", DecisionNo: fmt.Sprintf("授权测试复决%d号", fx.Next()), Reason: "事实清楚"}},
			{"publish", reconsideration.StepInput{}}, {"opinion", reconsideration.StepInput{Kind: "opinion", Text: "规范执法"}}} {
			s.in.Version, s.in.Date = c.Version, today
			var err error
			if c, err = svc.Step(rcSys(), c.ID, s.action, s.in); err != nil {
				t.Fatalf("%s: %v", s.action, err)
			}
		}
		r.decided[in] = c
	}
	rcRecs[fx] = r
	return r
}

func init() {
	read, write := reconsideration.PermRead, reconsideration.PermWrite
	one := func(c *reconsideration.Detail, suffix string, body map[string]any) authzReq {
		return authzReq{Path: fmt.Sprintf("/api/reconsiderations/%d%s", c.ID, suffix), Body: body}
	}
	routes := map[string]authzRoute{
		"GET /api/reconsiderations": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			rcFixture(t, fx)
			return authzReq{Path: "/api/reconsiderations?q=授权测试&page_size=200", Marker: "授权测试" + ndWhere(in) + "行政处罚"}
		}},
		"GET /api/reconsiderations/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			rcFixture(t, fx)
			return authzReq{Path: "/api/reconsiderations/export.xlsx?q=授权测试", Marker: "授权测试" + ndWhere(in) + "行政处罚", Xlsx: true}
		}},
		"GET /api/reconsiderations/meta": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/reconsiderations/meta"}
		}},
		"GET /api/reconsiderations/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/reconsiderations/figures?from=2026-01-01&to=2026-12-31"}
		}},
		"GET /api/reconsiderations/template.xlsx": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/reconsiderations/template.xlsx"}
		}},
		// A workbook whose one row names no unit: reported, nothing written.
		"POST /api/reconsiderations/import": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			f := excelize.NewFile()
			f.SetSheetName("Sheet1", reconsideration.SheetName)
			f.SetSheetRow(reconsideration.SheetName, "A1", &[]any{"申请人", "被申请人", "被申请复议的行政行为", "案件类别", "申请方式", "收到申请日期"})
			f.SetSheetRow(reconsideration.SheetName, "A2", &[]any{"授权测试导入", "不存在的单位", "某处罚", "行政处罚", "当面递交", rcToday()})
			var b bytes.Buffer
			f.WriteTo(&b)
			return authzReq{Path: "/api/reconsiderations/import", Raw: b.Bytes(), ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
		}},
		"POST /api/reconsiderations": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/reconsiderations", Body: map[string]any{"applicant_name": fmt.Sprintf("授权测试新申请人%d", fx.Next()),
				"unit_id": fx.Unit(in).ID, "act": "授权测试行政处罚", "category": "penalty", "channel": "mail", "received_on": rcToday()}}
		}},
		"GET /api/reconsiderations/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(rcFixture(t, fx).received[in], "", nil)
		}},
		"PUT /api/reconsiderations/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := rcFixture(t, fx).received[in]
			return one(c, "", map[string]any{"applicant_name": c.ApplicantName, "unit_id": c.UnitID, "act": c.Act, "category": "penalty",
				"channel": "mail", "version": fx.Version(t, "reconsideration_cases", c.ID)})
		}},
		"POST /api/reconsiderations/{id}/steps/{action}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := rcCase(t, fx, in)
			return one(c, "/steps/accept", map[string]any{"date": rcToday(), "version": c.Version})
		}},
		"GET /api/reconsiderations/{id}/decision.docx": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(rcFixture(t, fx).decided[in], "/decision.docx", nil)
		}},
		"GET /api/reconsiderations/{id}/opinion.docx": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(rcFixture(t, fx).decided[in], "/opinion.docx", nil)
		}},
		// Published decisions: no login, personal data removed.
		"GET /api/public/reconsideration-decisions": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			rcFixture(t, fx)
			return authzReq{Path: "/api/public/reconsideration-decisions?q=授权测试"}
		}},
		"GET /api/public/reconsideration-decisions/{id}": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/public/reconsideration-decisions/%d", rcFixture(t, fx).decided[in].ID)}
		}},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}
