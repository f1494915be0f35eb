package app

// The authorization matrix: every API route in the OpenAPI document × every
// built-in role (plus an anonymous caller) × a record inside and a record
// outside the actor's data scope. Expectations are derived from the route's
// table entry below and from org.BuiltinRoles (the one role → permission →
// scope table): a role without the permission gets 403, a record outside its
// scope is 404 (reads and writes) or absent (lists), anonymous callers get
// 401, and a refused write leaves the audit log — and so the database —
// untouched.
//
// Later modules add their routes from their own _test.go file in this
// package:
//
//	func init() {
//		authzRoutes["GET /api/decisions/{id}"] = authzRoute{Perm: "decision.read", Scoped: true, OK: 200,
//			Req: func(t *testing.T, fx *authzFixture, in bool) authzReq { … }}
//	}
//
// A route without an entry fails the test, so no route goes unchecked.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"fazhi/internal/decision"
	"fazhi/internal/org"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/pdf"

	"github.com/xuri/excelize/v2"
)

// authzRoute is the expectation for one route.
type authzRoute struct {
	Perm   string // "" public; "session" any signed-in user; otherwise the permission required
	Scoped bool   // the record's unit decides: outside the actor's scope → 404
	List   bool   // lists: 200 for holders of Perm; the out-of-scope record must not appear
	OK     int    // status when allowed
	Ends   bool   // the call ends the caller's sessions (sign in again afterwards)
	// Deny maps roles that hold Perm and see the record but are refused by
	// the service's own rule (the requesting unit never concludes its own
	// review) to the status they get instead of OK.
	Deny map[string]int
	Req  func(t *testing.T, fx *authzFixture, in bool) authzReq
}

// authzReq is one concrete request. Marker is what identifies the record in
// a list response.
type authzReq struct {
	Path        string
	Body        any
	Raw         []byte
	ContentType string
	Marker      string
	Xlsx        bool // the response is a workbook: search its cells for Marker
}

// authzFixture is the shared state: demo data plus one record inside and
// one outside the department actors' scope.
type authzFixture struct {
	App     *App
	DB      *db.DB
	Handler http.Handler
	// InUnit is under 区市场监管局 (home of clerk_sj and head_sj); OutUnit is
	// under 区教育局.
	InUnit, OutUnit org.Unit
	// InUser / OutUser are accounts in those units (targets of user writes).
	InUser, OutUser int64
	seq             atomic.Int64
	// Module records, each created once on first use (routes run one at
	// a time, in sorted order).
	decWalker *decision.Service
	engines   *engineRecords
	lr        *lrRecords
	nd        *ndRecords
}

// Unit returns the in- or out-of-scope unit.
func (fx *authzFixture) Unit(in bool) org.Unit {
	if in {
		return fx.InUnit
	}
	return fx.OutUnit
}

// User returns the id of the in- or out-of-scope account.
func (fx *authzFixture) User(in bool) int64 {
	if in {
		return fx.InUser
	}
	return fx.OutUser
}

// Next returns a number unique within the run (for codes of new records).
func (fx *authzFixture) Next() int64 { return fx.seq.Add(1) }

// Version reads a record's current version (system access).
func (fx *authzFixture) Version(t *testing.T, table string, id any) int {
	t.Helper()
	var v int
	col := "id"
	if table == "roles" {
		col = "code"
	}
	if err := fx.DB.QueryRow(context.Background(), "SELECT version FROM "+table+" WHERE "+col+" = ?", id).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// authzActors are the signed-in callers: one account per built-in role.
var authzActors = []struct{ Role, Username string }{
	{org.RoleSysadmin, "sysadmin"}, {org.RoleSecadmin, "secadmin"}, {org.RoleAuditor, "auditor"},
	{org.RoleSupervisor, "sifaju"}, {org.RoleClerk, "clerk_sj"}, {org.RoleHead, "head_sj"}, {org.RoleLeader, "leader"},
}

func unitReq(in bool, fx *authzFixture, suffix string) authzReq {
	return authzReq{Path: fmt.Sprintf("/api/org/units/%d%s", fx.Unit(in).ID, suffix)}
}

func userReq(in bool, fx *authzFixture, suffix string) authzReq {
	return authzReq{Path: fmt.Sprintf("/api/users/%d%s", fx.User(in), suffix)}
}

// authzRoutes holds every route's expectation ("METHOD /path" as in the
// OpenAPI document).
var authzRoutes = map[string]authzRoute{
	// sign-in
	"POST /api/auth/login": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/auth/login", Body: map[string]string{"username": "az_login", "password": org.DemoPassword}}
	}},
	"POST /api/auth/logout": {Perm: "", OK: 204, Ends: true, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/auth/logout"}
	}},
	"POST /api/auth/logout-all": {Perm: "session", OK: 200, Ends: true, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/auth/logout-all"}
	}},
	"GET /api/auth/me": {Perm: "session", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/auth/me"}
	}},
	// A wrong old password: reachable by every signed-in user, changes nothing.
	"POST /api/auth/password": {Perm: "session", OK: 422, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/auth/password", Body: map[string]string{"old_password": "not-the-password", "new_password": "Qinghe#2026xx"}}
	}},
	"GET /api/dashboard/summary": {Perm: "dashboard.read", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/dashboard/summary"}
	}},

	// org tree
	"GET /api/org/tree": {Perm: "org.read", List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		u := fx.Unit(in)
		return authzReq{Path: "/api/org/tree?q=" + u.Code, Marker: u.Code}
	}},
	"GET /api/org/units": {Perm: "org.read", List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		u := fx.Unit(in)
		return authzReq{Path: "/api/org/units?q=" + u.Code, Marker: u.Code}
	}},
	"GET /api/org/units/export.xlsx": {Perm: "org.read", List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/org/units/export.xlsx", Marker: fx.Unit(in).Code, Xlsx: true}
	}},
	"GET /api/org/units/{id}": {Perm: "org.read", Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return unitReq(in, fx, "")
	}},
	"POST /api/org/units": {Perm: "org.write", Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/org/units", Body: map[string]any{"code": fmt.Sprintf("AZ-NEW-%d", fx.Next()), "name": "授权测试新单位", "type": "office", "parent_id": fx.Unit(in).ID}}
	}},
	"PUT /api/org/units/{id}": {Perm: "org.write", Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		u := fx.Unit(in)
		r := unitReq(in, fx, "")
		r.Body = map[string]any{"code": u.Code, "name": u.Name, "type": u.Type, "sort": int(fx.Next()), "version": fx.Version(t, "org_units", u.ID)}
		return r
	}},
	"POST /api/org/units/{id}/move": {Perm: "org.write", Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		// Move to its own parent: a real move that leaves the tree as it was.
		u := fx.Unit(in)
		r := unitReq(in, fx, "/move")
		r.Body = map[string]any{"parent_id": u.ParentID, "version": fx.Version(t, "org_units", u.ID)}
		return r
	}},
	"POST /api/org/import": {Perm: "org.write", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"单位编码", "单位名称", "单位类型", "上级单位编码", "排序", "状态"})
		f.SetSheetRow("Sheet1", "A2", &[]any{fmt.Sprintf("AZ-IMP-%d", fx.Next()), "授权测试导入单位", "科室", fx.Unit(in).Code, 1, "启用"})
		var b bytes.Buffer
		f.WriteTo(&b)
		return authzReq{Path: "/api/org/import", Raw: b.Bytes(), ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	}},

	// accounts
	"GET /api/users": {Perm: "user.read", List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		name := map[bool]string{true: "az_in", false: "az_out"}[in]
		return authzReq{Path: "/api/users?q=" + name, Marker: `"` + name + `"`}
	}},
	"GET /api/users/{id}": {Perm: "user.read", Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return userReq(in, fx, "")
	}},
	"POST /api/users": {Perm: "user.write", Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/users", Body: map[string]any{"username": fmt.Sprintf("az_new%d", fx.Next()), "name": "新用户", "unit_id": fx.Unit(in).ID, "password": "Qinghe#2026new"}}
	}},
	"PUT /api/users/{id}": {Perm: "user.write", Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		r := userReq(in, fx, "")
		r.Body = map[string]any{"name": "授权测试用户", "phone": "13900000000", "unit_id": fx.Unit(in).ID, "status": "active", "version": fx.Version(t, "users", fx.User(in))}
		return r
	}},
	"POST /api/users/{id}/reset-password": {Perm: "user.write", Scoped: true, OK: 204, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		r := userReq(in, fx, "/reset-password")
		r.Body = map[string]string{"password": fmt.Sprintf("Qinghe#Reset%d", fx.Next())}
		return r
	}},
	"POST /api/users/{id}/unlock": {Perm: "user.write", Scoped: true, OK: 204, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return userReq(in, fx, "/unlock")
	}},
	"PUT /api/users/{id}/roles": {Perm: "role.write", Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		r := userReq(in, fx, "/roles")
		r.Body = map[string]any{"roles": []map[string]string{{"role": "clerk"}}}
		return r
	}},

	// roles and security settings
	"GET /api/roles": {Perm: "role.read", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/roles"}
	}},
	"PUT /api/roles/{code}": {Perm: "role.write", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		var perms []string
		for _, r := range org.BuiltinRoles {
			if r.Code == org.RoleLeader {
				perms = r.Perms
			}
		}
		return authzReq{Path: "/api/roles/leader", Body: map[string]any{"name": "区领导", "default_scope": "all", "perms": perms, "version": fx.Version(t, "roles", "leader")}}
	}},
	"GET /api/permissions": {Perm: "role.read", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/permissions"}
	}},
	"GET /api/settings/security": {Perm: "security.write", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/settings/security"}
	}},
	"PUT /api/settings/security": {Perm: "security.write", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/settings/security", Body: authzSettings()}
	}},

	// audit log
	"GET /api/audit/events": {Perm: "audit.read", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/audit/events?action=auth.login"}
	}},
	"GET /api/audit/events/export.xlsx": {Perm: "audit.read", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/audit/events/export.xlsx?action=auth.login"}
	}},
	"POST /api/audit/verifications": {Perm: "audit.read", OK: 202, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/audit/verifications"}
	}},
	"GET /api/audit/verifications": {Perm: "audit.read", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return authzReq{Path: "/api/audit/verifications"}
	}},
}

// authzSettings are the default settings with throttling relaxed: the
// matrix signs in many times from one address.
func authzSettings() auth.Settings {
	s := auth.DefaultSettings()
	s.ThrottlePerMinute, s.ThrottleAddressPerMinute = 1000, 10000
	return s
}

func roleGrants(role string) (perms []string, scope auth.ScopeKind) {
	for _, r := range org.BuiltinRoles {
		if r.Code == role {
			return r.Perms, r.Scope
		}
	}
	return nil, ""
}

func newAuthzFixture(t *testing.T, dsn string) *authzFixture {
	t.Helper()
	ctx := context.Background()
	// PDFs by the pure-Go renderer: a LibreOffice start per request would
	// make the matrix minutes slower (platform/pdf tests cover LibreOffice).
	a, err := New(ctx, Config{DB: dsn, DataDir: t.TempDir(), PDF: pdf.Config{Soffice: "-"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	if err := a.LoadDemo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := auth.SaveSettings(ctx, a.DB, authzSettings()); err != nil {
		t.Fatal(err)
	}
	fx := &authzFixture{App: a, DB: a.DB, Handler: a.Handler()}
	sys := auth.With(ctx, auth.SystemActor("authz test"))
	s := org.NewService(a.DB)
	parent := func(code string) int64 {
		units, _, err := s.ListUnits(sys, org.UnitFilter{Q: code}, db.Page{})
		if err != nil || len(units) != 1 {
			t.Fatalf("unit %s: %v %v", code, units, err)
		}
		return units[0].ID
	}
	in, err := s.CreateUnit(sys, org.UnitInput{Code: "AZ-IN", Name: "授权测试内单位", Type: org.TypeOffice, ParentID: parent("QH116000")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.CreateUnit(sys, org.UnitInput{Code: "AZ-OUT", Name: "授权测试外单位", Type: org.TypeOffice, ParentID: parent("QH103000")})
	if err != nil {
		t.Fatal(err)
	}
	fx.InUnit, fx.OutUnit = *in, *out
	for _, u := range []struct {
		name string
		unit int64
		dst  *int64
	}{{"az_in", in.ID, &fx.InUser}, {"az_out", out.ID, &fx.OutUser}, {"az_login", in.ID, new(int64)}} {
		created, err := s.CreateUser(sys, org.UserInput{Username: u.name, Name: "测试" + u.name, UnitID: u.unit, Password: org.DemoPassword, Roles: []org.Assignment{{Role: org.RoleClerk}}})
		if err != nil {
			t.Fatal(err)
		}
		*u.dst = created.ID
	}
	return fx
}

// login signs username in through the API and returns the session cookie.
func (fx *authzFixture) login(t *testing.T, username string) *http.Cookie {
	t.Helper()
	return loginCookie(t, fx.Handler, username)
}

// loginCookie signs username (password org.DemoPassword) in through h's
// login route and returns the session cookie.
func loginCookie(tb testing.TB, h http.Handler, username string) *http.Cookie {
	tb.Helper()
	b, _ := json.Marshal(map[string]string{"username": username, "password": org.DemoPassword})
	r := httptest.NewRequest("POST", "/api/auth/login", bytes.NewReader(b))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 {
		tb.Fatalf("login %s: %d %s", username, w.Code, w.Body.String())
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == auth.CookieName {
			return c
		}
	}
	tb.Fatalf("login %s: no session cookie", username)
	return nil
}

func (fx *authzFixture) do(t *testing.T, method string, req authzReq, cookie *http.Cookie) (int, []byte) {
	t.Helper()
	var body io.Reader
	ct := req.ContentType
	switch {
	case req.Raw != nil:
		body = bytes.NewReader(req.Raw)
	case req.Body != nil:
		b, err := json.Marshal(req.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(b)
		ct = "application/json"
	}
	r := httptest.NewRequest(method, req.Path, body)
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	if cookie != nil {
		r.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	fx.Handler.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

func xlsxText(t *testing.T, b []byte) string {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	var sb strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		for _, r := range rows {
			sb.WriteString(strings.Join(r, "\t"))
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

func (fx *authzFixture) auditCount(t *testing.T) int {
	var n int
	if err := fx.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAuthorizationMatrix(t *testing.T) {
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		fx := newAuthzFixture(t, dsn)
		doc := fx.App.API.OpenAPI()
		type op struct{ method, path string }
		var ops []op
		for path, item := range doc.Paths {
			for method, o := range map[string]any{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete} {
				if !isNilOp(o) {
					ops = append(ops, op{method, path})
				}
			}
		}
		sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
		var missing []string
		for _, o := range ops {
			if _, ok := authzRoutes[o.method+" "+o.path]; !ok {
				missing = append(missing, o.method+" "+o.path)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%d routes have no authorization expectation; add them to authzRoutes (internal/app/authz_test.go or an init() in your own _test.go in package app):\n  %s", len(missing), strings.Join(missing, "\n  "))
		}
		cookies := map[string]*http.Cookie{}
		for _, a := range authzActors {
			cookies[a.Role] = fx.login(t, a.Username)
		}
		cases, routes := 0, 0
		for _, o := range ops {
			spec, ok := authzRoutes[o.method+" "+o.path]
			if !ok {
				continue
			}
			routes++
			callers := append([]struct{ Role, Username string }{{"anonymous", ""}}, authzActors...)
			for _, c := range callers {
				for _, in := range []bool{true, false} {
					cases++
					where := map[bool]string{true: "in-scope", false: "out-of-scope"}[in]
					name := fmt.Sprintf("%s %s as %s, %s record", o.method, o.path, c.Role, where)
					perms, scopeKind := roleGrants(c.Role)
					visible := scopeKind == auth.ScopeAll || in // the department roles' scope is their subtree
					want, wantVisible := spec.OK, false
					switch {
					case spec.Perm == "":
					case c.Role == "anonymous":
						want = 401
					case spec.Perm == "session":
					case !slices.Contains(perms, spec.Perm):
						want = 403
					case spec.List:
						want, wantVisible = 200, visible
					case spec.Scoped && !visible:
						want = 404
					case spec.Deny[c.Role] != 0:
						want = spec.Deny[c.Role]
					}
					var cookie *http.Cookie
					if c.Role != "anonymous" {
						cookie = cookies[c.Role]
					}
					req := spec.Req(t, fx, in)
					before := fx.auditCount(t)
					got, body := fx.do(t, o.method, req, cookie)
					if got != want {
						t.Errorf("%s: status %d, want %d: %s", name, got, want, truncate(body))
						continue
					}
					if spec.List && want == 200 {
						text := string(body)
						if req.Xlsx {
							text = xlsxText(t, body)
						}
						if strings.Contains(text, req.Marker) != wantVisible {
							t.Errorf("%s: record %s visible=%v, want %v", name, req.Marker, !wantVisible, wantVisible)
						}
					}
					if o.method != "GET" && spec.Perm != "" && (want == 401 || want == 403 || want == 404) {
						if after := fx.auditCount(t); after != before {
							t.Errorf("%s: refused write still wrote %d audit events", name, after-before)
						}
					}
					if spec.Ends && cookie != nil {
						cookies[c.Role] = fx.login(t, authzUsername(c.Role))
					}
				}
			}
		}
		t.Logf("authorization matrix: %d routes × %d callers (7 roles + anonymous) × 2 records = %d cases", routes, len(authzActors)+1, cases)
		if routes < 28 {
			t.Errorf("only %d routes checked", routes)
		}
	})
}

func authzUsername(role string) string {
	for _, a := range authzActors {
		if a.Role == role {
			return a.Username
		}
	}
	return ""
}

func isNilOp(o any) bool {
	switch v := o.(type) {
	case nil:
		return true
	default:
		b, _ := json.Marshal(v)
		return string(b) == "null"
	}
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
