package app

import "testing"

// The cockpit, the metric catalogue and a metric's page: every signed-in
// role holds dashboard.read; what each sees is limited by the providers'
// own permissions and scopes (TestDemoMetric checks a clerk refused another
// unit and a figure its provider leaves out).
func init() {
	for k, v := range map[string]authzRoute{
		"GET /api/dashboard/cockpit": {Perm: "dashboard.read", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/dashboard/cockpit?period=2026-Q4"}
		}},
		"GET /api/metrics": {Perm: "dashboard.read", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/metrics?period=2026"}
		}},
		// Every role may run the org provider (org.read) except the auditor
		// (404: a figure not visible to them).
		"GET /api/metrics/{code}": {Perm: "dashboard.read", OK: 200, Deny: map[string]int{"auditor": 404}, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/metrics/org.unit_count?period=2026-11"}
		}},
	} {
		authzRoutes[k] = v
	}
}
