package app

import "testing"

// Calendar routes: reading the schedule and the rules needs only a session;
// entering a year or overriding a rule needs calendar.write. Nothing here
// belongs to a unit, so nothing is scoped.
func init() {
	session := func(path string) authzRoute {
		return authzRoute{Perm: "session", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: path}
		}}
	}
	authzRoutes["GET /api/calendar/years"] = session("/api/calendar/years")
	authzRoutes["GET /api/calendar/years/{year}"] = session("/api/calendar/years/2026")
	authzRoutes["GET /api/calendar/rules"] = session("/api/calendar/rules")
	authzRoutes["GET /api/calendar/deadline"] = session("/api/calendar/deadline?rule=disclosure.reply&from=2026-09-28")
	authzRoutes["POST /api/calendar/years"] = authzRoute{Perm: "calendar.write", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/calendar/years", Raw: []byte(`{"year":2027,"source":"授权测试用 2027 年安排","days":[{"date":"2027-01-01","name":"元旦","off":true}]}`), ContentType: "application/json"}
	}}
	authzRoutes["PUT /api/calendar/rules/{rule}"] = authzRoute{Perm: "calendar.write", OK: 204, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/calendar/rules/normdoc.filing", Body: map[string]any{"n": 30, "unit": "calendar_days", "reason": "授权测试"}}
	}}
}
