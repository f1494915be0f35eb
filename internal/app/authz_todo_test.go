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
}
