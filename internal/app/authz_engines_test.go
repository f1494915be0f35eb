package app

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"fazhi/internal/finding"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/files"

	"github.com/xuri/excelize/v2"
)

// Authorization expectations for the engines' routes: evidence files (which
// follow their owning record's permissions: here a finding's), the findings
// ledger and the notification bell.

type engineRecords struct {
	finding map[bool]*finding.Detail
	file    map[bool]*files.File
}

// engineRecs creates, once per fixture, an open finding in the in-scope and
// the out-of-scope unit, each with one evidence file.
func engineRecs(t *testing.T, fx *authzFixture) *engineRecords {
	t.Helper()
	if fx.engines != nil {
		return fx.engines
	}
	sys := auth.With(context.Background(), auth.SystemActor("authz"))
	en := fx.App.Engines()
	recs := &engineRecords{finding: map[bool]*finding.Detail{}, file: map[bool]*files.File{}}
	for _, in := range []bool{true, false} {
		where := map[bool]string{true: "内", false: "外"}[in]
		f, err := en.Findings.Create(sys, finding.CreateInput{Title: "授权测试" + where + "问题", Source: "inspection", UnitID: fx.Unit(in).ID, Severity: "general", FoundOn: calendar.Today(time.Now()).String()})
		if err != nil {
			t.Fatal(err)
		}
		recs.finding[in] = f
		file, err := en.Files.Upload(sys, files.UploadInput{OwnerType: finding.OwnerType, OwnerID: f.ID, Name: "授权测试" + where + ".pdf"},
			bytes.NewReader([]byte("%PDF-1.7\n授权测试\n%%EOF\n")))
		if err != nil {
			t.Fatal(err)
		}
		recs.file[in] = file
	}
	fx.engines = recs
	return recs
}

func findingReq(t *testing.T, fx *authzFixture, in bool, suffix string) authzReq {
	return authzReq{Path: fmt.Sprintf("/api/findings/%d%s", engineRecs(t, fx).finding[in].ID, suffix)}
}

func fileReq(t *testing.T, fx *authzFixture, in bool, suffix string) authzReq {
	return authzReq{Path: fmt.Sprintf("/api/files/%d%s", engineRecs(t, fx).file[in].ID, suffix)}
}

func init() {
	r := authzRoutes
	// evidence files: a finding's files need finding.read in its unit
	r["GET /api/files"] = authzRoute{Perm: finding.PermRead, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: fmt.Sprintf("/api/files?owner_type=finding&owner_id=%d", engineRecs(t, fx).finding[in].ID)}
	}}
	r["GET /api/files/{id}"] = authzRoute{Perm: finding.PermRead, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return fileReq(t, fx, in, "")
	}}
	r["GET /api/files/{id}/versions"] = authzRoute{Perm: finding.PermRead, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return fileReq(t, fx, in, "/versions")
	}}

	// findings ledger
	r["GET /api/findings"] = authzRoute{Perm: finding.PermRead, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		code := engineRecs(t, fx).finding[in].Code
		return authzReq{Path: "/api/findings?q=" + code, Marker: code}
	}}
	r["GET /api/findings/export.xlsx"] = authzRoute{Perm: finding.PermRead, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/findings/export.xlsx", Marker: engineRecs(t, fx).finding[in].Code, Xlsx: true}
	}}
	r["GET /api/findings/meta"] = authzRoute{Perm: finding.PermRead, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/findings/meta"}
	}}
	r["GET /api/findings/template.xlsx"] = authzRoute{Perm: finding.PermWrite, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/findings/template.xlsx"}
	}}
	// An import answers 200 with its report to every holder of
	// finding.write; a row for a unit outside the scope is reported, not written.
	r["POST /api/findings/import"] = authzRoute{Perm: finding.PermWrite, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		x := excelize.NewFile()
		x.SetSheetRow("Sheet1", "A1", &[]any{"问题标题", "问题来源", "责任单位", "严重程度", "发现日期"})
		x.SetSheetRow("Sheet1", "A2", &[]any{fmt.Sprintf("授权测试导入%d", fx.Next()), "审计", fx.Unit(in).Code, "一般", "2026-09-01"})
		var b bytes.Buffer
		x.WriteTo(&b)
		return authzReq{Path: "/api/findings/import", Raw: b.Bytes(), ContentType: "application/octet-stream"}
	}}
	r["POST /api/findings"] = authzRoute{Perm: finding.PermWrite, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/findings", Body: map[string]any{"title": fmt.Sprintf("授权测试登记%d", fx.Next()), "source": "complaint", "unit_id": fx.Unit(in).ID, "severity": "general", "found_on": calendar.Today(time.Now()).String()}}
	}}
	r["GET /api/findings/{id}"] = authzRoute{Perm: finding.PermRead, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return findingReq(t, fx, in, "")
	}}
	r["PUT /api/findings/{id}"] = authzRoute{Perm: finding.PermWrite, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		req := findingReq(t, fx, in, "")
		f := engineRecs(t, fx).finding[in]
		req.Body = map[string]any{"title": f.Title, "severity": "serious", "measures": fmt.Sprintf("措施%d", fx.Next()), "version": fx.Version(t, "findings", f.ID)}
		return req
	}}
	// The three procedure steps are refused by their gates for every caller
	// allowed past the permission and scope checks (no evidence on a new
	// record, not under close-out review, not yet closed): 422, nothing written.
	r["POST /api/findings/{id}/rectify"] = authzRoute{Perm: finding.PermWrite, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		req := findingReq(t, fx, in, "/rectify")
		req.Body = map[string]any{"measures": "x", "rectified_on": "2099-01-01", "version": fx.Version(t, "findings", engineRecs(t, fx).finding[in].ID)}
		return req
	}}
	r["POST /api/findings/{id}/closeout/{action}"] = authzRoute{Perm: finding.PermApprove, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		req := findingReq(t, fx, in, "/closeout/approve")
		req.Body = map[string]any{"opinion": "同意", "version": fx.Version(t, "findings", engineRecs(t, fx).finding[in].ID)}
		return req
	}}
	r["POST /api/findings/{id}/recheck"] = authzRoute{Perm: finding.PermWrite, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		req := findingReq(t, fx, in, "/recheck")
		req.Body = map[string]any{"result": "ok", "note": "x", "version": fx.Version(t, "findings", engineRecs(t, fx).finding[in].ID)}
		return req
	}}

	// close-out chain configuration: readable with the ledger, editable with
	// finding.config (the supervisor). The write stores the chain as it is
	// (current version), so later fixtures close findings as before.
	r["GET /api/finding-chains"] = authzRoute{Perm: finding.PermRead, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/finding-chains"}
	}}
	r["PUT /api/finding-chains/{id}"] = authzRoute{Perm: finding.PermConfig, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		cs, err := fx.App.Engines().Findings.Chains(auth.With(context.Background(), auth.SystemActor("authz")))
		if err != nil || len(cs) == 0 {
			t.Fatalf("finding chains: %v", err)
		}
		c := cs[0]
		return authzReq{Path: fmt.Sprintf("/api/finding-chains/%d", c.ID),
			Body: map[string]any{"name": c.Name, "definition": c.Definition, "version": fx.Version(t, "finding_chains", c.ID)}}
	}}

	// the bell: every signed-in user has one
	r["GET /api/notifications"] = authzRoute{Perm: "session", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/notifications?page=1&page_size=5&unread=true"}
	}}
	r["GET /api/notifications/unread_count"] = authzRoute{Perm: "session", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/notifications/unread_count"}
	}}
	r["POST /api/notifications/read_all"] = authzRoute{Perm: "session", OK: 204, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/notifications/read_all"}
	}}
	// Someone else's notification is not found for every caller.
	r["POST /api/notifications/{id}/read"] = authzRoute{Perm: "session", OK: 404, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/notifications/999999999/read"}
	}}
}
