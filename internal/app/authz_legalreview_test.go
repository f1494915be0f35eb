package app

import (
	"context"
	"fazhi/internal/org"
	"fmt"
	"testing"

	"fazhi/internal/legalreview"
	"fazhi/internal/platform/auth"
)

// lrFixture holds, per authorization fixture, one running and one concluded
// review in the in-scope and the out-of-scope unit.
type lrRecords struct {
	running, concluded map[bool]*legalreview.Review
}

func lrReviews(t *testing.T, fx *authzFixture) *lrRecords {
	t.Helper()
	if fx.lr != nil {
		return fx.lr
	}
	svc := fx.App.LegalReview()
	actor := func(username string) context.Context { return azActor(t, fx, username) }
	recs := &lrRecords{running: map[bool]*legalreview.Review{}, concluded: map[bool]*legalreview.Review{}}
	for _, in := range []bool{true, false} {
		requester := actor(map[bool]string{true: "az_in", false: "az_out"}[in])
		where := map[bool]string{true: "内", false: "外"}[in]
		open := func(title string, subject int64) *legalreview.Review {
			in := legalreview.OpenInput{Kind: "contract", Title: title, UnitID: fx.Unit(in).ID}
			if subject != 0 {
				in.SubjectType, in.SubjectID = "authz", subject
			}
			r, err := svc.Open(requester, in)
			if err != nil {
				t.Fatalf("open %s: %v", title, err)
			}
			return r
		}
		recs.running[in] = open("授权测试"+where+"审查中", lrSubject(in))
		done := open("授权测试"+where+"已办结", 0)
		for _, step := range []string{"sifaju2", "counsel_zhao", "counsel_qian", "sifaju"} {
			if _, err := svc.Act(actor(step), done.ID, legalreview.ActInput{Action: "approve", Opinion: "同意", Version: lrVersion(t, svc, done.ID)}); err != nil {
				t.Fatalf("%s approve: %v", step, err)
			}
		}
		done, err := svc.Conclude(actor("sifaju"), done.ID, legalreview.ConcludeInput{Conclusion: "passed", EarlyReason: "授权测试：议程紧急", EarlyApprover: "司法局局长",
			Version: lrVersion(t, svc, done.ID)})
		if err != nil {
			t.Fatal(err)
		}
		recs.concluded[in] = done
	}
	fx.lr = recs
	return recs
}

// lrSubject is the subject id of the running review in the in- or
// out-of-scope unit (subject type "authz").
func lrSubject(in bool) int64 { return map[bool]int64{true: 1, false: 2}[in] }

func lrPath(t *testing.T, fx *authzFixture, in, concluded bool, suffix string) authzReq {
	recs := lrReviews(t, fx)
	r := recs.running[in]
	if concluded {
		r = recs.concluded[in]
	}
	return authzReq{Path: fmt.Sprintf("/api/legalreviews/%d%s", r.ID, suffix)}
}

func init() {
	read, write, approve, config := legalreview.PermRead, legalreview.PermWrite, legalreview.PermApprove, legalreview.PermConfig
	marker := func(in bool) string {
		return "授权测试" + map[bool]string{true: "内", false: "外"}[in] + "审查中"
	}
	routes := map[string]authzRoute{
		"GET /api/legalreviews": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			lrReviews(t, fx)
			return authzReq{Path: "/api/legalreviews?keyword=授权测试&page_size=100", Marker: marker(in)}
		}},
		"GET /api/legalreviews/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			lrReviews(t, fx)
			return authzReq{Path: "/api/legalreviews/export.xlsx?keyword=授权测试", Marker: marker(in), Xlsx: true}
		}},
		"POST /api/legalreviews": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/legalreviews", Body: map[string]any{"kind": "contract", "title": fmt.Sprintf("授权测试送审%d", fx.Next()), "unit_id": fx.Unit(in).ID}}
		}},
		"GET /api/legalreviews/tasks": {Perm: "session", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/legalreviews/tasks"}
		}},
		"GET /api/legalreviews/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/legalreviews/figures?from=2026-01-01&to=2026-12-31"}
		}},
		"GET /api/legalreviews/stats": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/legalreviews/stats"}
		}},
		"GET /api/legalreviews/deadline-preview": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/legalreviews/deadline-preview"}
		}},
		// The outcome of a subject is read like the review behind it: the read permission and its unit's scope.
		"GET /api/legalreviews/outcome": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			lrReviews(t, fx)
			return authzReq{Path: fmt.Sprintf("/api/legalreviews/outcome?subject_type=authz&subject_id=%d", lrSubject(in))}
		}},
		"GET /api/legalreviews/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return lrPath(t, fx, in, false, "")
		}},
		"GET /api/legalreviews/{id}/timeline": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return lrPath(t, fx, in, false, "/timeline")
		}},
		"GET /api/legalreviews/{id}/opinion.docx": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return lrPath(t, fx, in, true, "/opinion.docx")
		}},
		"GET /api/legalreviews/{id}/opinion.pdf": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return lrPath(t, fx, in, true, "/opinion.pdf")
		}},
		// A return without a target step: reaches validation only for callers who may see the record.
		"POST /api/legalreviews/{id}/act": {Perm: read, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := lrPath(t, fx, in, false, "/act")
			r.Body = map[string]any{"action": "return", "to_step": ""}
			return r
		}},
		"POST /api/legalreviews/{id}/withdraw": {Perm: write, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := lrPath(t, fx, in, false, "/withdraw")
			r.Body = map[string]any{"reason": ""}
			return r
		}},
		// The reviewing body concludes: the head of the requesting unit
		// (approver of his own unit) is refused (403); the supervisor of
		// the reviewing 司法局 reaches the validation (422).
		"POST /api/legalreviews/{id}/conclude": {Perm: approve, Scoped: true, OK: 422, Deny: map[string]int{org.RoleHead: 403}, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := lrPath(t, fx, in, false, "/conclude")
			// The version it was read at, so that the caller's right to
			// conclude is what is decided (a missing version is refused first).
			r.Body = map[string]any{"conclusion": "passed_with_changes", "version": lrVersion(t, fx.App.LegalReview(), lrReviews(t, fx).running[in].ID)}
			return r
		}},
		"POST /api/legalreviews/{id}/adoption": {Perm: write, Scoped: true, OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := lrPath(t, fx, in, false, "/adoption")
			r.Body = map[string]any{"items": []map[string]any{{"seq": 1, "adoption": "adopted"}}}
			return r
		}},
		"GET /api/legalreview-standards": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/legalreview-standards"}
		}},
		"POST /api/legalreview-standards": {Perm: config, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/legalreview-standards", Body: map[string]any{"code": fmt.Sprintf("az.%d", fx.Next()), "category": "其他", "text": "授权测试标准", "active": false}}
		}},
		"PUT /api/legalreview-standards/{id}": {Perm: config, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/legalreview-standards/1", Body: map[string]any{"category": "市场准入和退出", "text": "对市场准入负面清单以外的行业、领域、业务等违法设置审批程序", "basis": "《公平竞争审查条例》第八条第（一）项", "sort": 11, "active": true, "version": fx.Version(t, "legalreview_fc_standards", 1)}}
		}},
		"GET /api/legalreview-chains": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/legalreview-chains"}
		}},
		"POST /api/legalreview-chains": {Perm: config, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/legalreview-chains", Body: map[string]any{"code": fmt.Sprintf("az-%d", fx.Next()), "name": "授权测试流程", "unit_id": fx.Unit(in).ID, "kind": "policy", "number_prefix": "授测",
				"definition": map[string]any{"code": "az.chain", "name": "授权测试流程", "steps": []map[string]any{{"key": "one", "name": "审查", "kind": "single", "assignees": []map[string]any{{"role": "supervisor"}}}}}}}
		}},
		"PUT /api/legalreview-chains/{id}": {Perm: config, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			cs, err := fx.App.LegalReview().Chains(auth.With(context.Background(), auth.SystemActor("authz")))
			if err != nil {
				t.Fatal(err)
			}
			c := cs[0]
			return authzReq{Path: fmt.Sprintf("/api/legalreview-chains/%d", c.ID), Body: map[string]any{"name": c.Name, "unit_id": c.UnitID, "kind": c.Kind,
				"reviewer_unit_id": c.ReviewerUnitID, "number_prefix": c.NumberPrefix, "definition": c.Definition, "version": c.Version}}
		}},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}

// lrVersion is a review's stored version (actions name the version they
// were made on).
func lrVersion(t *testing.T, svc *legalreview.Service, id int64) int64 {
	t.Helper()
	r, err := svc.Get(auth.With(context.Background(), auth.SystemActor("authz")), id)
	if err != nil {
		t.Fatal(err)
	}
	return r.Version
}
