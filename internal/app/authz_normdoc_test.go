package app

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"fazhi/internal/normdoc"
	"fazhi/internal/platform/auth"

	"github.com/xuri/excelize/v2"
)

// ndRecords are the normative-document records of one authorization
// fixture: an issuer and a draft in the in-scope and out-of-scope units, and
// an open clean-up campaign in each.
type ndRecords struct {
	issuer  map[bool]*normdoc.Issuer
	draft   map[bool]*normdoc.Document
	cleanup map[bool]*normdoc.Cleanup
}

func ndWhere(in bool) string { return map[bool]string{true: "内", false: "外"}[in] }

func ndSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz normdoc"))
}

func ndRecs(t *testing.T, fx *authzFixture) *ndRecords {
	t.Helper()
	if fx.nd != nil {
		return fx.nd
	}
	svc, sys := fx.App.Normdoc(), ndSys()
	recs := &ndRecords{issuer: map[bool]*normdoc.Issuer{}, draft: map[bool]*normdoc.Document{}, cleanup: map[bool]*normdoc.Cleanup{}}
	for _, in := range []bool{true, false} {
		is, err := svc.CreateIssuer(sys, normdoc.IssuerInput{UnitID: fx.Unit(in).ID, Name: "授权测试" + ndWhere(in) + "制定主体", Prefix: "授权" + ndWhere(in) + "规", ListedOn: "2026-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		recs.issuer[in] = is
		d, err := svc.CreateDraft(sys, normdoc.DraftInput{IssuerID: is.ID, Title: "授权测试" + ndWhere(in) + "规范性文件草案", DraftedOn: "2026-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		recs.draft[in] = d
		ndPublished(t, fx, recs, in, "")
		c, err := svc.CreateCleanup(sys, normdoc.CleanupInput{UnitID: fx.Unit(in).ID, Title: "授权测试" + ndWhere(in) + "清理", StartedOn: "2026-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		recs.cleanup[in] = c
	}
	fx.nd = recs
	return recs
}

// ndPublished imports a published document of the in/out issuer (filed on
// filedOn when given) and returns its id.
func ndPublished(t *testing.T, fx *authzFixture, recs *ndRecords, in bool, filedOn string) int64 {
	t.Helper()
	svc, sys := fx.App.Normdoc(), ndSys()
	tpl, err := svc.ImportTemplate(sys)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docNo := fmt.Sprintf("授权测试%s号-%d", ndWhere(in), fx.Next())
	filingTo := ""
	if filedOn != "" {
		filingTo = "清河市人民政府"
	}
	row := []any{recs.issuer[in].Name, "授权测试" + ndWhere(in) + "现行文件", docNo, "2026-01-10", "", "", filedOn, filingTo, "", "", ""}
	if err := f.SetSheetRow(normdoc.ImportSheet, "A2", &row); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.Import(sys, buf.Bytes(), normdoc.ImportAll)
	if err != nil || rep.Imported != 1 {
		t.Fatalf("import published document: %+v %v", rep, err)
	}
	var id int64
	if err := fx.DB.QueryRow(context.Background(), "SELECT id FROM normdoc_documents WHERE doc_no = ?", docNo).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// ndCleanup opens a campaign over one fresh document, decided "keep",
// optionally finished.
func ndCleanup(t *testing.T, fx *authzFixture, in, finish bool) *normdoc.Cleanup {
	t.Helper()
	recs := ndRecs(t, fx)
	svc, sys := fx.App.Normdoc(), ndSys()
	doc := ndPublished(t, fx, recs, in, "")
	c, err := svc.CreateCleanup(sys, normdoc.CleanupInput{UnitID: fx.Unit(in).ID, Title: fmt.Sprintf("授权测试清理%d", fx.Next()), StartedOn: "2026-01-01", DocumentIDs: []int64{doc}})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.DecideItem(sys, c.ID, c.Items[0].ID, normdoc.DecisionInput{Outcome: normdoc.OutcomeKeep, Reason: "继续有效", Date: "2026-01-02"}); err != nil {
		t.Fatal(err)
	}
	if finish {
		if c, err = svc.FinishCleanup(sys, c.ID, normdoc.DateInput{Date: "2026-01-03", Version: c.Version}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func init() {
	read, write, approve := normdoc.PermRead, normdoc.PermWrite, normdoc.PermApprove
	doc := func(t *testing.T, fx *authzFixture, in bool, suffix string, body map[string]any) authzReq {
		d := ndRecs(t, fx).draft[in]
		if body != nil {
			body["version"] = fx.Version(t, "normdoc_documents", d.ID)
		}
		return authzReq{Path: fmt.Sprintf("/api/normdocs/%d%s", d.ID, suffix), Body: body}
	}
	fresh := func(t *testing.T, fx *authzFixture, in bool) *normdoc.Document {
		recs := ndRecs(t, fx)
		d, err := fx.App.Normdoc().CreateDraft(ndSys(), normdoc.DraftInput{IssuerID: recs.issuer[in].ID, Title: fmt.Sprintf("授权测试送审稿%d", fx.Next()), DraftedOn: "2026-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	published := func(t *testing.T, fx *authzFixture, in bool, suffix, filedOn string, body map[string]any) authzReq {
		id := ndPublished(t, fx, ndRecs(t, fx), in, filedOn)
		body["version"] = fx.Version(t, "normdoc_documents", id)
		return authzReq{Path: fmt.Sprintf("/api/normdocs/%d%s", id, suffix), Body: body}
	}
	cleanupReq := func(c *normdoc.Cleanup, suffix string, body map[string]any) authzReq {
		return authzReq{Path: fmt.Sprintf("/api/normdoc-cleanups/%d%s", c.ID, suffix), Body: body}
	}
	routes := map[string]authzRoute{
		"GET /api/normdoc-issuers": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/normdoc-issuers"}
		}},
		"POST /api/normdoc-issuers": {Perm: approve, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			n := fx.Next()
			return authzReq{Path: "/api/normdoc-issuers", Body: map[string]any{"unit_id": fx.Unit(in).ID, "name": fmt.Sprintf("授权测试新主体%d", n),
				"prefix": "授权规" + string(rune('甲'+n)), "listed_on": "2026-01-01"}}
		}},
		"PUT /api/normdoc-issuers/{id}": {Perm: approve, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			is := ndRecs(t, fx).issuer[in]
			return authzReq{Path: fmt.Sprintf("/api/normdoc-issuers/%d", is.ID), Body: map[string]any{"unit_id": is.UnitID, "name": is.Name, "prefix": is.Prefix,
				"listed_on": is.ListedOn, "basis": "授权测试依据", "version": fx.Version(t, "normdoc_issuers", is.ID)}}
		}},
		"GET /api/normdocs": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			ndRecs(t, fx)
			return authzReq{Path: "/api/normdocs?q=授权测试&page_size=200", Marker: "授权测试" + ndWhere(in) + "规范性文件草案"}
		}},
		"GET /api/normdocs/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			ndRecs(t, fx)
			return authzReq{Path: "/api/normdocs/export.xlsx?q=授权测试", Marker: "授权测试" + ndWhere(in) + "规范性文件草案", Xlsx: true}
		}},
		"GET /api/normdocs/import-template.xlsx": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/normdocs/import-template.xlsx"}
		}},
		"POST /api/normdocs/import": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			tpl, err := fx.App.Normdoc().ImportTemplate(ndSys())
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: "/api/normdocs/import?mode=check", Raw: tpl, ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
		}},
		"GET /api/normdocs/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/normdocs/figures?from=2026-01-01&to=2026-12-31"}
		}},
		"POST /api/normdocs": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/normdocs", Body: map[string]any{"issuer_id": ndRecs(t, fx).issuer[in].ID, "title": fmt.Sprintf("授权测试起草%d", fx.Next()), "drafted_on": "2026-01-01"}}
		}},
		"GET /api/normdocs/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return doc(t, fx, in, "", nil)
		}},
		"PUT /api/normdocs/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := doc(t, fx, in, "", map[string]any{"issuer_id": ndRecs(t, fx).issuer[in].ID, "title": "授权测试" + ndWhere(in) + "规范性文件草案", "drafted_on": "2026-01-01"})
			return r
		}},
		"POST /api/normdocs/{id}/evaluation": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return doc(t, fx, in, "/evaluation", map[string]any{"date": "2026-01-05", "note": "评估可行"})
		}},
		"POST /api/normdocs/{id}/comment": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return doc(t, fx, in, "/comment", map[string]any{"from": "2026-01-06", "to": "2026-02-06", "count": 3, "summary": "采纳 2 条"})
		}},
		"POST /api/normdocs/{id}/submit-review": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := fresh(t, fx, in)
			return authzReq{Path: fmt.Sprintf("/api/normdocs/%d/submit-review", d.ID), Body: map[string]any{"version": d.Version}}
		}},
		// The deliberation is the issuing body's act (normdoc.certify for
		// exactly its unit): the draft is the department's own document
		// (issuer at the in/out unit's department), so the department head
		// acts for it and reaches the gate — no legality review yet (422);
		// the supervisor, approver district-wide, is not the issuing body.
		"POST /api/normdocs/{id}/deliberation": {Perm: normdoc.PermCertify, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			n := fx.Next()
			letters := ""
			for _, c := range fmt.Sprint(n) {
				letters += string([]rune("零一二三四五六七八九")[c-'0'])
			}
			is, err := fx.App.Normdoc().CreateIssuer(ndSys(), normdoc.IssuerInput{UnitID: fx.Unit(in).ParentID, Name: "授权测试制定机关" + letters,
				Prefix: "授权机关" + letters + "规", ListedOn: "2026-01-01"})
			if err != nil {
				t.Fatal(err)
			}
			d, err := fx.App.Normdoc().CreateDraft(ndSys(), normdoc.DraftInput{IssuerID: is.ID, Title: fmt.Sprintf("授权测试机关文件%d", n), DraftedOn: "2026-01-01"})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("/api/normdocs/%d/deliberation", d.ID), Body: map[string]any{"meeting": "局务会议", "date": "2026-02-10", "version": d.Version}}
		}},
		"POST /api/normdocs/{id}/register": {Perm: approve, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return doc(t, fx, in, "/register", map[string]any{"date": "2026-02-10"})
		}},
		"POST /api/normdocs/{id}/publish": {Perm: approve, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return doc(t, fx, in, "/publish", map[string]any{"published_on": "2026-02-10"})
		}},
		"POST /api/normdocs/{id}/filing": {Perm: approve, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return published(t, fx, in, "/filing", "", map[string]any{"filed_on": "2026-01-20", "filing_to": "清河市人民政府"})
		}},
		"POST /api/normdocs/{id}/filing-result": {Perm: approve, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return published(t, fx, in, "/filing-result", "2026-01-20", map[string]any{"result": "passed", "date": "2026-02-01"})
		}},
		// A fresh filed document under 责令纠正 each time: the issuing unit records the correction.
		"POST /api/normdocs/{id}/correction": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			id := ndPublished(t, fx, ndRecs(t, fx), in, "2026-01-20")
			d, err := fx.App.Normdoc().RecordFilingResult(ndSys(), id, normdoc.FilingResultInput{Result: normdoc.FilingCorrection, Date: "2026-02-01",
				Note: "授权测试责令纠正", Version: int64(fx.Version(t, "normdoc_documents", id))})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("/api/normdocs/%d/correction", id), Body: map[string]any{"corrected_on": "2026-02-10",
				"corrected_version": "授权测试修正本", "note": "已纠正", "version": d.Version}}
		}},
		"GET /api/normdoc-cleanups": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			ndRecs(t, fx)
			return authzReq{Path: "/api/normdoc-cleanups?page_size=200", Marker: "授权测试" + ndWhere(in) + "清理"}
		}},
		"POST /api/normdoc-cleanups": {Perm: approve, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/normdoc-cleanups", Body: map[string]any{"unit_id": fx.Unit(in).ID, "title": fmt.Sprintf("授权测试开展清理%d", fx.Next()), "started_on": "2026-01-01"}}
		}},
		"GET /api/normdoc-cleanups/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return cleanupReq(ndRecs(t, fx).cleanup[in], "", nil)
		}},
		"POST /api/normdoc-cleanups/{id}/items": {Perm: approve, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			recs := ndRecs(t, fx)
			return cleanupReq(recs.cleanup[in], "/items", map[string]any{"document_ids": []int64{ndPublished(t, fx, recs, in, "")}})
		}},
		"PUT /api/normdoc-cleanups/{id}/items/{item}": {Perm: approve, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := ndCleanup(t, fx, in, false)
			return cleanupReq(c, fmt.Sprintf("/items/%d", c.Items[0].ID), map[string]any{"outcome": "amend", "reason": "需与上位法衔接", "date": "2026-01-02"})
		}},
		"POST /api/normdoc-cleanups/{id}/finish": {Perm: approve, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := ndCleanup(t, fx, in, false)
			return cleanupReq(c, "/finish", map[string]any{"date": "2026-01-03", "version": c.Version})
		}},
		"POST /api/normdoc-cleanups/{id}/publish": {Perm: approve, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := ndCleanup(t, fx, in, true)
			return cleanupReq(c, "/publish", map[string]any{"date": "2026-01-04", "version": c.Version})
		}},
		// The public library: no login, published records only.
		"GET /api/public/normdocs": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/public/normdocs?q=养老"}
		}},
		"GET /api/public/normdocs/issuers": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/public/normdocs/issuers"}
		}},
		"GET /api/public/normdocs/cleanups": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/public/normdocs/cleanups"}
		}},
		"GET /api/public/normdocs/cleanups/{id}": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			var id int64
			if err := fx.DB.QueryRow(context.Background(), "SELECT id FROM normdoc_cleanups WHERE status = 'published' ORDER BY id LIMIT 1").Scan(&id); err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("/api/public/normdocs/cleanups/%d", id)}
		}},
		"GET /api/public/normdocs/{id}": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/public/normdocs/%d", ndPublished(t, fx, ndRecs(t, fx), in, ""))}
		}},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}
