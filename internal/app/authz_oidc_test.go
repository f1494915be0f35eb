package app

import "testing"

// Single sign-on routes are public: the login page asks whether SSO is on,
// and the browser is sent through login and callback before anyone is
// signed in. The matrix runs with SSO off, so login and callback answer
// every caller with a redirect back to the login page; the full flow is
// tested against a fake provider in internal/org/oidc_test.go.
func init() {
	public := func(path string, ok int) authzRoute {
		return authzRoute{Perm: "", OK: ok, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: path}
		}}
	}
	authzRoutes["GET /api/auth/oidc/config"] = public("/api/auth/oidc/config", 200)
	authzRoutes["GET /api/auth/oidc/login"] = public("/api/auth/oidc/login", 302)
	authzRoutes["GET /api/auth/oidc/callback"] = public("/api/auth/oidc/callback?code=az&state=az", 302)
}
