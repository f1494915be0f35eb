package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fazhi/internal/disclosure"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
)

func dsSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz disclosure"))
}

func dsWhere(in bool) string { return map[bool]string{true: "内", false: "外"}[in] }

// dsFresh registers a request in the in/out unit received today and takes
// it to the state a step needs: "" running, "correcting", "consulting",
// "fee", "replied".
func dsFresh(t *testing.T, fx *authzFixture, in bool, state string) *disclosure.Detail {
	t.Helper()
	svc, sys := fx.App.Disclosure(), dsSys()
	today := calendar.Today(time.Now()).String()
	r, err := svc.Create(sys, disclosure.CreateInput{UnitID: fx.Unit(in).ID, Channel: "in_person", ApplicantType: "natural",
		ApplicantName: "授权测试申请人", Content: fmt.Sprintf("授权测试%s申请%d", dsWhere(in), fx.Next()), SubmittedOn: today})
	if err != nil {
		t.Fatal(err)
	}
	switch state {
	case "correcting":
		r, err = svc.Correction(sys, r.ID, disclosure.CorrectionInput{Version: r.Version, Date: today, Items: "补充文号",
			Until: calendar.Today(time.Now()).AddDays(10).String()})
	case "consulting":
		r, err = svc.Consult(sys, r.ID, disclosure.ConsultInput{Version: r.Version, Date: today, Party: "某公司"})
	case "fee":
		r, err = svc.FeeNotice(sys, r.ID, disclosure.FeeInput{Version: r.Version, Date: today, Method: "pages", Quantity: 40})
	case "replied":
		r, err = svc.Reply(sys, r.ID, disclosure.ReplyInput{Version: r.Version, Date: today, ReplyType: "not_exist", Reason: "not_held"})
	}
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func init() {
	read, write, approve := disclosure.PermRead, disclosure.PermWrite, disclosure.PermApprove
	today := func() string { return calendar.Today(time.Now()).String() }
	// One answered request in and one outside the scope per fixture (the
	// SQLite and PostgreSQL runs each have their own).
	listed := map[*authzFixture]map[bool]*disclosure.Detail{}
	marked := func(t *testing.T, fx *authzFixture, in bool) *disclosure.Detail {
		if listed[fx] == nil {
			listed[fx] = map[bool]*disclosure.Detail{}
		}
		if listed[fx][in] == nil {
			listed[fx][in] = dsFresh(t, fx, in, "replied")
		}
		return listed[fx][in]
	}
	stepReq := func(state, path string, body func() map[string]any) func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := dsFresh(t, fx, in, state)
			b := body()
			b["version"] = r.Version
			return authzReq{Path: fmt.Sprintf("/api/disclosure/requests/%d/%s", r.ID, path), Body: b}
		}
	}
	routes := map[string]authzRoute{
		"GET /api/disclosure/requests": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := marked(t, fx, in)
			return authzReq{Path: "/api/disclosure/requests?q=授权测试&page_size=200", Marker: r.Code}
		}},
		"GET /api/disclosure/requests/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := marked(t, fx, in)
			return authzReq{Path: "/api/disclosure/requests/export.xlsx?q=授权测试", Marker: r.Code, Xlsx: true}
		}},
		"GET /api/disclosure/meta": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/disclosure/meta"}
		}},
		"GET /api/disclosure/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/disclosure/figures?from=2026-01-01&to=2026-12-31"}
		}},
		"GET /api/disclosure/annual": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/disclosure/annual?year=2026"}
		}},
		"GET /api/disclosure/annual.xlsx": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/disclosure/annual.xlsx"} // no year: this year
		}},
		"GET /api/disclosure/requests/template.xlsx": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/disclosure/requests/template.xlsx"}
		}},
		// The template's example row is a valid request of 区市场监管局: imported.
		"POST /api/disclosure/requests/import": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			tpl, err := disclosure.Template()
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: "/api/disclosure/requests/import", Raw: tpl, ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
		}},
		"POST /api/disclosure/requests": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/disclosure/requests", Body: map[string]any{"unit_id": fx.Unit(in).ID, "channel": "in_person",
				"applicant_type": "natural", "applicant_name": "授权测试", "content": fmt.Sprintf("授权测试登记%d", fx.Next()), "submitted_on": today()}}
		}},
		"GET /api/disclosure/requests/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/disclosure/requests/%d", marked(t, fx, in).ID)}
		}},
		"GET /api/disclosure/requests/{id}/letter.docx": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/disclosure/requests/%d/letter.docx", marked(t, fx, in).ID)}
		}},
		"POST /api/disclosure/requests/{id}/correction": {Perm: write, Scoped: true, OK: 200, Req: stepReq("", "correction", func() map[string]any {
			return map[string]any{"date": today(), "items": "补充文号", "until": calendar.Today(time.Now()).AddDays(10).String()}
		})},
		"POST /api/disclosure/requests/{id}/corrected": {Perm: write, Scoped: true, OK: 200, Req: stepReq("correcting", "corrected", func() map[string]any {
			return map[string]any{"date": today()}
		})},
		"POST /api/disclosure/requests/{id}/consult": {Perm: write, Scoped: true, OK: 200, Req: stepReq("", "consult", func() map[string]any {
			return map[string]any{"date": today(), "party": "某公司"}
		})},
		"POST /api/disclosure/requests/{id}/consult-closed": {Perm: write, Scoped: true, OK: 200, Req: stepReq("consulting", "consult-closed", func() map[string]any {
			return map[string]any{"date": today(), "result": "agree"}
		})},
		"POST /api/disclosure/requests/{id}/extend": {Perm: approve, Scoped: true, OK: 200, Req: stepReq("", "extend", func() map[string]any {
			return map[string]any{"date": today(), "days": 10, "approved_by": "王主任", "reason": "信息量大"}
		})},
		"POST /api/disclosure/requests/{id}/secrecy": {Perm: approve, Scoped: true, OK: 200, Req: stepReq("", "secrecy", func() map[string]any {
			return map[string]any{"date": today(), "reviewer": "保密员", "result": "cleared"}
		})},
		"POST /api/disclosure/requests/{id}/fee-notice": {Perm: write, Scoped: true, OK: 200, Req: stepReq("", "fee-notice", func() map[string]any {
			return map[string]any{"date": today(), "method": "pages", "quantity": 50}
		})},
		"POST /api/disclosure/requests/{id}/fee-paid": {Perm: write, Scoped: true, OK: 200, Req: stepReq("fee", "fee-paid", func() map[string]any {
			return map[string]any{"date": today()}
		})},
		"POST /api/disclosure/requests/{id}/reply": {Perm: write, Scoped: true, OK: 200, Req: stepReq("", "reply", func() map[string]any {
			return map[string]any{"date": today(), "reply_type": "not_exist", "reason": "not_held"}
		})},
		"POST /api/disclosure/requests/{id}/close": {Perm: write, Scoped: true, OK: 200, Req: stepReq("", "close", func() map[string]any {
			return map[string]any{"date": today(), "reason": "other", "note": "申请人撤回申请"}
		})},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}
