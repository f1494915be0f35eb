package app

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/report"
)

// rpRecords are the annual-report records of one authorization fixture.
// Reports belong to departments (the fixture's in/out units are offices,
// which do not report): 区市场监管局 (the in unit's parent, inside the
// department roles' scope) and 区教育局 (outside). Each report takes a
// year of its own (2000, 2001, … per unit).
type rpRecords struct {
	unit     map[bool]int64
	year     map[bool]int
	draft    map[bool]*report.Detail // shared: reads, edits, regeneration
	submit   map[bool]*report.Detail // a draft for the next submission
	review   map[bool]*report.Detail // at the department head's step
	approved map[bool]*report.Detail // approved, for the next publication
	public   int64                   // the demo's published report
}

var (
	rpMu   sync.Mutex
	rpRecs = map[*authzFixture]*rpRecords{}
)

// rpAs is a system context acting as user id (the chain knows its people
// by id).
func rpAs(id int64) context.Context {
	return auth.With(context.Background(), &auth.Actor{UserID: id, Name: "授权测试", System: true})
}

func rpUser(t *testing.T, fx *authzFixture, username string) int64 {
	t.Helper()
	var id int64
	if err := fx.DB.QueryRow(context.Background(), "SELECT id FROM users WHERE username = ?", username).Scan(&id); err != nil {
		t.Fatal(username, err)
	}
	return id
}

func rpFixture(t *testing.T, fx *authzFixture) *rpRecords {
	t.Helper()
	rpMu.Lock()
	defer rpMu.Unlock()
	if r := rpRecs[fx]; r != nil {
		return r
	}
	r := &rpRecords{unit: map[bool]int64{}, year: map[bool]int{true: 2000, false: 2000}, draft: map[bool]*report.Detail{},
		submit: map[bool]*report.Detail{}, review: map[bool]*report.Detail{}, approved: map[bool]*report.Detail{}}
	for _, in := range []bool{true, false} {
		var parent int64
		if err := fx.DB.QueryRow(context.Background(), "SELECT parent_id FROM org_units WHERE id = ?", fx.Unit(in).ID).Scan(&parent); err != nil {
			t.Fatal(err)
		}
		r.unit[in] = parent
	}
	p, err := fx.App.Report().PublicList(context.Background(), db.ListReq{})
	if err != nil || len(p.Items) == 0 {
		t.Fatalf("the demo has no published report: %v", err)
	}
	r.public = p.Items[0].ID
	rpRecs[fx] = r
	for _, in := range []bool{true, false} {
		r.draft[in] = rpNew(t, fx, r, in)
	}
	return r
}

// rpNew generates a fresh draft for the in/out department in a year of its own.
func rpNew(t *testing.T, fx *authzFixture, r *rpRecords, in bool) *report.Detail {
	t.Helper()
	d, err := fx.App.Report().Create(rpAs(rpUser(t, fx, "sifaju")), report.CreateInput{Year: rpYear(r, in), UnitID: r.unit[in]})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func rpYear(r *rpRecords, in bool) int {
	y := r.year[in]
	r.year[in]++
	return y
}

func rpGet(t *testing.T, fx *authzFixture, id int64) *report.Detail {
	t.Helper()
	d, err := fx.App.Report().Get(rpAs(1), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// rpState returns a report of the in/out department in state, a fresh one
// when the last was moved on by a successful call.
func rpState(t *testing.T, fx *authzFixture, in bool, state string) *report.Detail {
	t.Helper()
	r := rpFixture(t, fx)
	rpMu.Lock()
	defer rpMu.Unlock()
	slot := map[string]map[bool]*report.Detail{"draft": r.submit, "review": r.review, "approved": r.approved}[state]
	if d := slot[in]; d != nil {
		d = rpGet(t, fx, d.ID)
		ok := map[string]bool{"draft": d.Status == report.StatusDraft, "review": d.Status == report.StatusReviewing && d.CurrentStep == "部门负责人审核",
			"approved": d.Status == report.StatusApproved}[state]
		if ok {
			return d
		}
	}
	s := fx.App.Report()
	d := rpNew(t, fx, r, in)
	var err error
	if state != "draft" {
		if d, err = s.Submit(rpAs(rpUser(t, fx, "sifaju")), d.ID, report.VersionInput{Version: d.Version}); err != nil {
			t.Fatal(err)
		}
	}
	if state == "approved" {
		head := map[bool]string{true: "head_sj", false: "head_jyj"}[in]
		if d, err = s.Act(rpAs(rpUser(t, fx, head)), d.ID, report.ActInput{Version: d.Version, Action: "approve"}); err != nil {
			t.Fatal(err)
		}
		if d, err = s.Act(rpAs(rpUser(t, fx, "sifaju")), d.ID, report.ActInput{Version: d.Version, Action: "approve"}); err != nil {
			t.Fatal(err)
		}
	}
	slot[in] = d
	return d
}

func init() {
	read, write, approve, publish := report.PermRead, report.PermWrite, report.PermApprove, report.PermPublish
	one := func(t *testing.T, fx *authzFixture, d *report.Detail, suffix string, body map[string]any) authzReq {
		if body != nil {
			body["version"] = fx.Version(t, "reports", d.ID)
		}
		return authzReq{Path: fmt.Sprintf("/api/reports/%d%s", d.ID, suffix), Body: body}
	}
	draft := func(t *testing.T, fx *authzFixture, in bool) *report.Detail { return rpFixture(t, fx).draft[in] }
	marker := func(t *testing.T, fx *authzFixture, in bool) string { return draft(t, fx, in).Title }
	routes := map[string]authzRoute{
		"GET /api/reports": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/reports?page_size=500", Marker: marker(t, fx, in)}
		}},
		"GET /api/reports/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/reports/export.xlsx", Marker: marker(t, fx, in), Xlsx: true}
		}},
		"POST /api/reports": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := rpFixture(t, fx)
			rpMu.Lock()
			defer rpMu.Unlock()
			return authzReq{Path: "/api/reports", Body: map[string]any{"year": rpYear(r, in), "unit_id": r.unit[in]}}
		}},
		"GET /api/reports/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(t, fx, draft(t, fx, in), "", nil)
		}},
		"PUT /api/reports/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(t, fx, draft(t, fx, in), "", map[string]any{"paragraphs": []map[string]any{{"key": "other.1", "text": "授权测试：无其他需要报告的情况。"}}})
		}},
		"POST /api/reports/{id}/regenerate": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(t, fx, draft(t, fx, in), "/regenerate", map[string]any{})
		}},
		"POST /api/reports/{id}/submit": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(t, fx, rpState(t, fx, in, "draft"), "/submit", map[string]any{})
		}},
		// The department head's step: head_sj is its holder for the in
		// unit; the supervisor holds the permission but not the step.
		"POST /api/reports/{id}/act": {Perm: approve, Scoped: true, OK: 200, Deny: map[string]int{"supervisor": 403},
			Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
				return one(t, fx, rpState(t, fx, in, "review"), "/act", map[string]any{"action": "approve", "opinion": "授权测试同意"})
			}},
		"POST /api/reports/{id}/publish": {Perm: publish, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(t, fx, rpState(t, fx, in, "approved"), "/publish", map[string]any{})
		}},
		"GET /api/reports/{id}/figures": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(t, fx, draft(t, fx, in), "/figures", nil)
		}},
		"GET /api/reports/{id}/versions/{seq}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(t, fx, rpState(t, fx, in, "approved"), "/versions/1", nil)
		}},
		"GET /api/reports/{id}/compare": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(t, fx, rpState(t, fx, in, "approved"), "/compare?from=1&to=0", nil)
		}},
		"GET /api/reports/{id}/report.docx": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(t, fx, draft(t, fx, in), "/report.docx", nil)
		}},
		"GET /api/reports/{id}/report.pdf": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return one(t, fx, draft(t, fx, in), "/report.pdf", nil)
		}},
		"GET /api/public/reports": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/public/reports"}
		}},
		"GET /api/public/reports/{id}": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/public/reports/%d", rpFixture(t, fx).public)}
		}},
		"GET /api/public/reports/{id}/report.pdf": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/public/reports/%d/report.pdf", rpFixture(t, fx).public)}
		}},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}
