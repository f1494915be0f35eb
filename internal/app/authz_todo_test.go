package app

import "testing"

// Authorization expectations for the to-do centre: every signed-in user
// reads their own list; providers restrict the items to the actor.
func init() {
	r := authzRoutes
	r["GET /api/todo"] = authzRoute{Perm: "session", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/todo?page=1&page_size=5&overdue=no"}
	}}
	r["GET /api/todo/counts"] = authzRoute{Perm: "session", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/todo/counts"}
	}}
	// Dismissing a reminder (it leaves the to-do list): only one's own;
	// anyone else's, or a missing one, is not found.
	r["POST /api/notifications/{id}/dismiss"] = authzRoute{Perm: "session", OK: 404, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/notifications/999999999/dismiss"}
	}}
}
