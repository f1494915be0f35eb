package org

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/httpx"
)

// fakeIdP is a small OpenID Connect provider: discovery, JWKS with an RSA
// key made for the test, an authorization endpoint that signs the user in
// at once and redirects back with a code, and a token endpoint that checks
// the client secret, redirect URI and PKCE verifier before returning a
// signed ID token. Knobs spoil the next ID token in one way each.
type fakeIdP struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	client string
	secret string

	mu    sync.Mutex
	codes map[string]idpGrant
	// who signs in next
	sub, username string
	// spoilers for the next token
	aud      string
	expired  bool
	badNonce bool
	issuer   string
	// what the token endpoint saw
	exchanges int
}

type idpGrant struct{ nonce, challenge, redirect string }

func newFakeIdP(t *testing.T) *fakeIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &fakeIdP{t: t, key: key, client: "fazhi-test", secret: "s3cret-值", codes: map[string]idpGrant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *fakeIdP) signIn(sub, username string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sub, p.username = sub, username
	p.aud, p.expired, p.badNonce, p.issuer = "", false, false, ""
}

func (p *fakeIdP) spoil(f func(p *fakeIdP)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (p *fakeIdP) discovery(w http.ResponseWriter, r *http.Request) {
	u := p.srv.URL
	writeJSON(w, map[string]any{
		"issuer": u, "authorization_endpoint": u + "/authorize", "token_endpoint": u + "/token", "jwks_uri": u + "/jwks",
		"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
	})
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func (p *fakeIdP) jwks(w http.ResponseWriter, r *http.Request) {
	pub := p.key.PublicKey
	writeJSON(w, map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

func (p *fakeIdP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.client || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" || !strings.Contains(q.Get("scope"), "openid") {
		http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	code := auth.NewToken()
	p.mu.Lock()
	p.codes[code] = idpGrant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	p.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (p *fakeIdP) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.exchanges++
	g, found := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code")) // codes are single-use
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case id != p.client || secret != p.secret:
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]string{"error": "invalid_client"})
		return
	case !found || r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("redirect_uri") != g.redirect || b64(sum[:]) != g.challenge:
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]string{"error": "invalid_grant"})
		return
	}
	now := time.Now()
	claims := map[string]any{
		"iss": p.srv.URL, "sub": p.sub, "aud": p.client, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"nonce": g.nonce, "preferred_username": p.username, "name": "统一身份用户",
	}
	if p.username == "" {
		delete(claims, "preferred_username")
	}
	if p.aud != "" {
		claims["aud"] = p.aud
	}
	if p.expired {
		claims["iat"], claims["exp"] = now.Add(-2*time.Hour).Unix(), now.Add(-time.Hour).Unix()
	}
	if p.badNonce {
		claims["nonce"] = "not-the-nonce"
	}
	if p.issuer != "" {
		claims["iss"] = p.issuer
	}
	writeJSON(w, map[string]any{"access_token": auth.NewToken(), "token_type": "Bearer", "expires_in": 300, "id_token": p.sign(claims)})
}

// sign makes an RS256 JWT.
func (p *fakeIdP) sign(claims map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "k1"})
	c, _ := json.Marshal(claims)
	input := b64(h) + "." + b64(c)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, p.key, crypto.SHA256, sum[:])
	if err != nil {
		p.t.Fatal(err)
	}
	return input + "." + b64(sig)
}

// ssoProcess is one fazhi process: its own OIDC client and router over the
// shared database, with the session middleware in front.
type ssoProcess struct {
	srv *httptest.Server
	o   *auth.OIDC
}

// newSSOProcess starts a process whose callback URL is cbBase (so that a
// sign-in begun on one process can finish on another).
func newSSOProcess(t *testing.T, s *Service, idp *fakeIdP, cbBase func() string) *ssoProcess {
	t.Helper()
	var h http.Handler
	p := &ssoProcess{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(p.srv.Close)
	if cbBase == nil {
		cbBase = func() string { return p.srv.URL }
	}
	o, err := auth.NewOIDC(context.Background(), s.db, auth.OIDCConfig{
		Issuer: idp.srv.URL, ClientID: idp.client, ClientSecret: idp.secret, RedirectURL: cbBase() + SSOCallbackPath,
	})
	if err != nil {
		t.Fatal(err)
	}
	p.o = o
	mux := http.NewServeMux()
	api := httpx.NewAPI(mux, "test")
	s.Register(api)
	s.RegisterSSO(api, o)
	h = auth.Sessions(s.db, s.LoadActor, httpx.Client)(mux)
	return p
}

// browser follows the flow by hand, one redirect at a time.
type browser struct {
	t *testing.T
	c *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(u string) *http.Response {
	b.t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// start goes to the login route and through the provider; it returns the
// callback URL the provider sent the browser to.
func (b *browser) start(app *ssoProcess) string {
	b.t.Helper()
	r := b.get(app.srv.URL + SSOLoginPath)
	if r.StatusCode != http.StatusFound || r.Header.Get("Cache-Control") != "no-store" {
		b.t.Fatalf("login route: status %d, headers %v", r.StatusCode, r.Header)
	}
	var state *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == auth.OIDCStateCookie {
			state = c
		}
	}
	if state == nil || !state.HttpOnly || state.SameSite != http.SameSiteLaxMode || state.MaxAge <= 0 || state.MaxAge > 600 {
		b.t.Fatalf("state cookie: %+v", state)
	}
	loc, _ := url.Parse(r.Header.Get("Location"))
	if q := loc.Query(); q.Get("code_challenge_method") != "S256" || q.Get("nonce") == "" || q.Get("state") == "" {
		b.t.Fatalf("authorization URL lacks PKCE/nonce/state: %s", loc)
	}
	if strings.Contains(state.Value, loc.Query().Get("state")) || strings.Contains(state.Value, loc.Query().Get("nonce")) {
		b.t.Fatal("state cookie carries state or nonce in the clear")
	}
	r = b.get(loc.String())
	if r.StatusCode != http.StatusFound {
		b.t.Fatalf("provider authorize: status %d", r.StatusCode)
	}
	return r.Header.Get("Location")
}

// finish calls the callback and returns where it sent the browser, and
// whether a session cookie was set.
func (b *browser) finish(callback string) (string, bool) {
	b.t.Helper()
	r := b.get(callback)
	if r.StatusCode != http.StatusFound {
		b.t.Fatalf("callback: status %d", r.StatusCode)
	}
	session := false
	for _, c := range r.Cookies() {
		if c.Name == auth.CookieName && c.Value != "" {
			session = true
		}
	}
	return r.Header.Get("Location"), session
}

func (b *browser) me(app *ssoProcess) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(app.srv.URL + "/api/auth/me")
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var me Me
	json.NewDecoder(resp.Body).Decode(&me)
	return resp.StatusCode, me.Username
}

func ssoError(t *testing.T, loc string) string {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil || u.Path != "/login" {
		t.Fatalf("want a redirect to /login, got %q", loc)
	}
	return u.Query().Get("sso_error")
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOIDCSingleSignOn(t *testing.T) {
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := setup(t, d)
		idp := newFakeIdP(t)
		// Two processes on one database: B's callback URL is also used by A,
		// so every sign-in below starts on A and finishes on B.
		b := newSSOProcess(t, s, idp, nil)
		a := newSSOProcess(t, s, idp, func() string { return b.srv.URL })

		// The login page learns that SSO is on.
		resp, err := http.Get(a.srv.URL + "/api/auth/oidc/config")
		if err != nil {
			t.Fatal(err)
		}
		var cfg SSOConfig
		json.NewDecoder(resp.Body).Decode(&cfg)
		resp.Body.Close()
		if !cfg.Enabled || cfg.LoginURL != SSOLoginPath || cfg.Label != "统一身份认证登录" {
			t.Fatalf("config: %+v", cfg)
		}

		sessions := func() int { return count(t, d, "SELECT COUNT(*) FROM sessions") }
		fails := func() int {
			return count(t, d, "SELECT COUNT(*) FROM audit_events WHERE action = 'auth.login' AND result = 'fail' AND summary LIKE ?", "统一身份认证%")
		}
		// refused runs one sign-in that must fail with msg, leave no
		// session and write one failed-login audit event.
		refused := func(name, sub, username, msg string, spoil func(p *fakeIdP), tamper func(cb string) string) {
			t.Helper()
			idp.signIn(sub, username)
			if spoil != nil {
				idp.spoil(spoil)
			}
			br := newBrowser(t)
			beforeS, beforeF := sessions(), fails()
			cb := br.start(a)
			if tamper != nil {
				cb = tamper(cb)
			}
			loc, session := br.finish(cb)
			if got := ssoError(t, loc); got != msg {
				t.Errorf("%s: sso_error %q, want %q", name, got, msg)
			}
			if session || sessions() != beforeS {
				t.Errorf("%s: a session was created", name)
			}
			if code, _ := br.me(b); code != http.StatusUnauthorized {
				t.Errorf("%s: /api/auth/me answered %d", name, code)
			}
			if n := fails() - beforeF; n != 1 {
				t.Errorf("%s: %d failed-login audit events, want 1", name, n)
			}
		}

		// Success: first sign-in maps by username and stores the subject.
		idp.signIn("gov-0001", "clerk_sj")
		br := newBrowser(t)
		loc, session := br.finish(br.start(a))
		if loc != "/" || !session {
			t.Fatalf("success: redirected to %q, session %v", loc, session)
		}
		if code, who := br.me(b); code != 200 || who != "clerk_sj" {
			t.Fatalf("success: /api/auth/me = %d %q", code, who)
		}
		if code, who := br.me(a); code != 200 || who != "clerk_sj" {
			t.Fatalf("success on the other process: /api/auth/me = %d %q", code, who)
		}
		var subject string
		d.QueryRow(ctx, "SELECT oidc_subject FROM users WHERE username = 'clerk_sj'").Scan(&subject)
		if subject != "gov-0001" {
			t.Fatalf("subject not stored: %q", subject)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM audit_events WHERE action = 'auth.login' AND result = 'ok' AND summary = '统一身份认证登录成功' AND actor_name = 'clerk_sj'"); n != 1 {
			t.Fatalf("success audit events: %d", n)
		}
		if n := count(t, d, "SELECT COUNT(*) FROM audit_events WHERE action = 'user.oidc_bind'"); n != 1 {
			t.Fatalf("bind audit events: %d", n)
		}
		// Later sign-ins map by subject, whatever the username claim says.
		idp.signIn("gov-0001", "renamed-at-provider")
		br2 := newBrowser(t)
		if loc, session := br2.finish(br2.start(a)); loc != "/" || !session {
			t.Fatalf("by subject: %q %v", loc, session)
		}
		if _, who := br2.me(b); who != "clerk_sj" {
			t.Fatalf("by subject: signed in as %q", who)
		}
		// A callback works once. Replayed by the same browser, the state
		// cookie is gone; replayed with a copy of the cookie, the provider
		// refuses the used code.
		idp.signIn("gov-0001", "clerk_sj")
		br3 := newBrowser(t)
		cb := br3.start(a)
		cbURL, _ := url.Parse(cb)
		stolen := br3.c.Jar.Cookies(cbURL)
		if loc, session := br3.finish(cb); loc != "/" || !session {
			t.Fatalf("third flow: %q %v", loc, session)
		}
		if loc, session := br3.finish(cb); ssoError(t, loc) != auth.MsgSSOState || session {
			t.Fatalf("replay without the cookie: %q %v", loc, session)
		}
		thief := newBrowser(t)
		thief.c.Jar.SetCookies(cbURL, stolen)
		if loc, session := thief.finish(cb); ssoError(t, loc) != auth.MsgSSOExchange || session {
			t.Fatalf("replay with the cookie: %q %v", loc, session)
		}

		refused("wrong state", "gov-0001", "clerk_sj", auth.MsgSSOState, nil, func(cb string) string {
			u, _ := url.Parse(cb)
			q := u.Query()
			q.Set("state", "forged-"+q.Get("state"))
			u.RawQuery = q.Encode()
			return u.String()
		})
		// Login CSRF: a callback URL taken to another browser (no state
		// cookie) signs nobody in.
		func() {
			idp.signIn("gov-0001", "clerk_sj")
			br := newBrowser(t)
			cb := br.start(a)
			other := newBrowser(t) // another browser: no state cookie
			beforeS, beforeF := sessions(), fails()
			loc, session := other.finish(cb)
			if got := ssoError(t, loc); got != auth.MsgSSOState || session || sessions() != beforeS || fails() != beforeF+1 {
				t.Errorf("login CSRF: %q session=%v", got, session)
			}
		}()
		refused("wrong nonce", "gov-0001", "clerk_sj", auth.MsgSSONonce, func(p *fakeIdP) { p.badNonce = true }, nil)
		refused("wrong audience", "gov-0001", "clerk_sj", auth.MsgSSOAudience, func(p *fakeIdP) { p.aud = "another-system" }, nil)
		refused("wrong issuer", "gov-0001", "clerk_sj", auth.MsgSSOIssuer, func(p *fakeIdP) { p.issuer = "https://evil.example" }, nil)
		refused("expired token", "gov-0001", "clerk_sj", auth.MsgSSOExpired, func(p *fakeIdP) { p.expired = true }, nil)
		refused("unknown subject, unknown username", "gov-9999", "nobody_here", "统一身份认证用户 nobody_here 未在本系统开通账号，请联系系统管理员", nil, nil)
		refused("unknown subject, no username claim", "gov-9998", "", "统一身份认证用户 gov-9998 未在本系统开通账号，请联系系统管理员", nil, nil)
		refused("username of an account bound to another subject", "gov-7777", "clerk_sj", "账号 clerk_sj 已绑定其他统一身份认证用户，请联系系统管理员", nil, nil)
		refused("provider error", "gov-0001", "clerk_sj", "已在统一身份认证平台取消登录或未获授权", nil, func(cb string) string {
			u, _ := url.Parse(cb)
			q := u.Query()
			q.Del("code")
			q.Set("error", "access_denied")
			q.Set("error_description", "请拨打 400 电话")
			u.RawQuery = q.Encode()
			return u.String()
		})
		if n := count(t, d, "SELECT COUNT(*) FROM users WHERE username = 'nobody_here'"); n != 0 {
			t.Fatal("an account was created")
		}

		// A locked account: five wrong passwords, then SSO is refused too.
		for i := 0; i < 5; i++ {
			s.Login(withClient(ctx, "10.9.0.1"), "head_sj", "wrong-password")
		}
		refused("locked account", "gov-0002", "head_sj", "账号已锁定，请 15 分钟后再试", nil, nil)
		var headSubject *string
		d.QueryRow(ctx, "SELECT oidc_subject FROM users WHERE username = 'head_sj'").Scan(&headSubject)
		if headSubject != nil {
			t.Fatalf("a refused sign-in bound the subject %q", *headSubject)
		}
		// A disabled account.
		if _, err := d.Exec(ctx, "UPDATE users SET status = 'disabled' WHERE username = 'leader'"); err != nil {
			t.Fatal(err)
		}
		refused("disabled account", "gov-0003", "leader", "账号已停用，请联系系统管理员", nil, nil)

		// The audit chain stays intact through all of it.
		res, err := audit.Verify(ctx, d)
		if err != nil || res.Broken != nil {
			t.Fatalf("audit chain: %v %+v", err, res)
		}
		if idp.exchanges == 0 {
			t.Fatal("the token endpoint was never called")
		}
	})
}

func TestOIDCConfiguration(t *testing.T) {
	d := dbtest.Open(t)
	// A provider that does not answer stops the start with a Chinese message.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	_, err := auth.NewOIDC(context.Background(), d, auth.OIDCConfig{Issuer: dead.URL, ClientID: "x", RedirectURL: "http://127.0.0.1/api/auth/oidc/callback"})
	if err == nil || !strings.Contains(err.Error(), "无法连接统一身份认证平台") {
		t.Fatalf("unreachable provider: %v", err)
	}
	for _, c := range []struct {
		cfg  auth.OIDCConfig
		want string
	}{
		{auth.OIDCConfig{Issuer: "id.example.gov.cn", ClientID: "x", RedirectURL: "https://a/cb"}, "--oidc-issuer"},
		{auth.OIDCConfig{Issuer: "https://id.example.gov.cn", RedirectURL: "https://a/cb"}, "--oidc-client-id"},
		{auth.OIDCConfig{Issuer: "https://id.example.gov.cn", ClientID: "x"}, "--oidc-redirect-url"},
	} {
		if err := c.cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want mention of %s", c.cfg, err, c.want)
		}
	}
	off := auth.OIDCConfig{}
	if off.Enabled() || off.Validate() != nil {
		t.Fatal("empty issuer must mean SSO off")
	}
	on := auth.OIDCConfig{Issuer: "https://id.example.gov.cn", ClientID: "x", RedirectURL: "https://a/cb"}
	if err := on.Validate(); err != nil || on.UsernameClaim != "preferred_username" {
		t.Fatalf("defaults: %v %q", err, on.UsernameClaim)
	}

	// With SSO off the routes exist, say so, and send the browser back.
	s := NewService(d)
	mux := http.NewServeMux()
	api := httpx.NewAPI(mux, "test")
	s.RegisterSSO(api, nil)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/api/auth/oidc/config", nil))
	if !strings.Contains(w.Body.String(), `"enabled":false`) {
		t.Fatalf("config when off: %s", w.Body.String())
	}
	for _, p := range []string{SSOLoginPath, SSOCallbackPath + "?code=x&state=y"} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", p, nil))
		if w.Code != http.StatusFound || w.Header().Get("Location") != ssoErrorURL(msgSSOOff) {
			t.Fatalf("%s when off: %d %q", p, w.Code, w.Header().Get("Location"))
		}
	}
}
