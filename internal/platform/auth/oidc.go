package auth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// OIDCConfig configures optional single sign-on through a government unified
// identity provider (OpenID Connect, authorization code flow with PKCE).
// SSO is off unless Issuer is set.
type OIDCConfig struct {
	Issuer        string
	ClientID      string
	ClientSecret  string
	RedirectURL   string // this system's callback: https://host/api/auth/oidc/callback
	UsernameClaim string // ID token claim matched against local usernames; default preferred_username
}

// Enabled reports whether SSO is configured.
func (c OIDCConfig) Enabled() bool { return strings.TrimSpace(c.Issuer) != "" }

// Validate checks that an enabled configuration is complete.
func (c *OIDCConfig) Validate() error {
	c.Issuer = strings.TrimSpace(c.Issuer)
	if c.Issuer == "" {
		return nil
	}
	if c.UsernameClaim == "" {
		c.UsernameClaim = "preferred_username"
	}
	if u, err := url.Parse(c.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("--oidc-issuer 应为统一身份认证平台的地址（如 https://id.example.gov.cn），收到 %q", c.Issuer)
	}
	if strings.TrimSpace(c.ClientID) == "" {
		return errors.New("已设置 --oidc-issuer，还须设置 --oidc-client-id（在统一身份认证平台登记的客户端标识）")
	}
	if u, err := url.Parse(c.RedirectURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("已设置 --oidc-issuer，还须设置 --oidc-redirect-url（本系统回调地址，如 https://fazhi.example.gov.cn/api/auth/oidc/callback），收到 %q", c.RedirectURL)
	}
	return nil
}

// OIDCStateCookie carries state, nonce and PKCE verifier between the
// redirect to the provider and the callback. It is encrypted and
// authenticated with a key kept in the database, so that any process may
// finish a sign-in another process started.
const OIDCStateCookie = "fazhi_oidc"

// oidcStateTTL is how long a user has to complete the provider's sign-in.
const oidcStateTTL = 10 * time.Minute

const oidcKeyName = "oidc_state_key"

// OIDC is a configured, discovered provider.
type OIDC struct {
	cfg      OIDCConfig
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	aead     cipher.AEAD
}

// OIDCIdentity is who the provider says signed in.
type OIDCIdentity struct {
	Subject  string // the provider's stable user id ("sub")
	Username string // the configured username claim ("" when absent)
	Name     string
}

// NewOIDC discovers the provider (its /.well-known/openid-configuration)
// and loads or creates the state-cookie key shared by every process on d.
// ctx may carry an HTTP client (oidc.ClientContext).
func NewOIDC(ctx context.Context, d *db.DB, cfg OIDCConfig) (*OIDC, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(dctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("无法连接统一身份认证平台 %s（读取 /.well-known/openid-configuration 失败）：%v。请检查 --oidc-issuer 与网络，或去掉 --oidc-issuer 关闭统一身份认证登录", cfg.Issuer, err)
	}
	key, err := oidcKey(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("统一身份认证：读取状态密钥失败：%w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	o := &OIDC{cfg: cfg, aead: aead}
	o.oauth = oauth2.Config{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile"},
	}
	o.verifier = p.Verifier(&oidc.Config{ClientID: cfg.ClientID, Now: func() time.Time { return Now() }})
	return o, nil
}

// oidcKey returns the 32-byte state-cookie key, creating it on first use.
// Concurrent first starts agree: the first insert wins and everyone reads it.
func oidcKey(ctx context.Context, d *db.DB) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := d.Exec(ctx, "INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
		oidcKeyName, base64.StdEncoding.EncodeToString(fresh), time.Now().UTC()); err != nil {
		return nil, err
	}
	var v string
	if err := d.QueryRow(ctx, "SELECT value FROM app_meta WHERE key = ?", oidcKeyName).Scan(&v); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errors.New("key missing after insert")
		}
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(key) != 32 {
		return nil, errors.New("stored key is malformed")
	}
	return key, nil
}

// UsernameClaim is the claim matched against local usernames.
func (o *OIDC) UsernameClaim() string { return o.cfg.UsernameClaim }

type oidcState struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Expires  int64  `json:"e"`
}

// Begin starts a sign-in: it returns the provider URL to redirect the
// browser to and the cookie holding state, nonce and PKCE verifier.
func (o *OIDC) Begin(ctx context.Context) (string, http.Cookie, error) {
	st := oidcState{State: NewToken(), Nonce: NewToken(), Verifier: oauth2.GenerateVerifier(), Expires: Now().Add(oidcStateTTL).Unix()}
	plain, err := json.Marshal(st)
	if err != nil {
		return "", http.Cookie{}, err
	}
	iv := make([]byte, o.aead.NonceSize())
	if _, err := rand.Read(iv); err != nil {
		return "", http.Cookie{}, err
	}
	sealed := o.aead.Seal(iv, iv, plain, []byte(OIDCStateCookie))
	u := o.oauth.AuthCodeURL(st.State, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier))
	return u, o.stateCookie(ctx, base64.RawURLEncoding.EncodeToString(sealed), int(oidcStateTTL.Seconds())), nil
}

// ClearStateCookie deletes the state cookie (after any callback).
func ClearStateCookie(ctx context.Context) http.Cookie {
	return http.Cookie{Name: OIDCStateCookie, Value: "", Path: "/api/auth/oidc/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: SecureFrom(ctx), MaxAge: -1}
}

// The provider sends the browser back with a top-level GET, on which
// SameSite=Lax cookies are sent.
func (o *OIDC) stateCookie(ctx context.Context, v string, maxAge int) http.Cookie {
	return http.Cookie{Name: OIDCStateCookie, Value: v, Path: "/api/auth/oidc/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: SecureFrom(ctx), MaxAge: maxAge}
}

func (o *OIDC) openState(cookie string) (*oidcState, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(cookie)
	if err != nil || len(raw) < o.aead.NonceSize() {
		return nil, false
	}
	iv, sealed := raw[:o.aead.NonceSize()], raw[o.aead.NonceSize():]
	plain, err := o.aead.Open(nil, iv, sealed, []byte(OIDCStateCookie))
	if err != nil {
		return nil, false
	}
	var st oidcState
	if json.Unmarshal(plain, &st) != nil || st.State == "" || st.Nonce == "" || st.Verifier == "" {
		return nil, false
	}
	return &st, true
}

// Messages shown on the login page; tests compare them.
const (
	MsgSSOState    = "统一身份认证登录请求已失效或来源不明，请重新点击“统一身份认证登录”"
	MsgSSOExchange = "无法向统一身份认证平台换取令牌，请稍后重试"
	MsgSSONoToken  = "统一身份认证平台未返回身份令牌"
	MsgSSOExpired  = "统一身份认证令牌已过期，请重新登录"
	MsgSSOAudience = "统一身份认证令牌不是签发给本系统的（受众不符）"
	MsgSSOIssuer   = "统一身份认证令牌的签发方不符"
	MsgSSONonce    = "统一身份认证令牌与本次登录请求不符（nonce 校验失败），请重新登录"
	MsgSSOInvalid  = "统一身份认证令牌校验失败"
	MsgSSONoSub    = "统一身份认证令牌缺少用户标识"
)

// Finish completes a sign-in at the callback: it checks the state against
// the cookie, exchanges the code (with the PKCE verifier), and verifies the
// ID token's signature, issuer, audience, expiry and nonce. Every refusal
// is an Unauthenticated error with a Chinese message.
func (o *OIDC) Finish(ctx context.Context, cookie, state, code, providerErr, providerErrDesc string) (*OIDCIdentity, error) {
	if providerErr != "" {
		// The description is the provider's free text: logged by the caller
		// (it is in the wrapped cause), never shown, so that a crafted link
		// cannot put words on our login page.
		return nil, apperr.Wrap(fmt.Errorf("provider error %q: %q", providerErr, providerErrDesc), apperr.Unauthenticated, "%s", providerErrorMessage(providerErr))
	}
	st, ok := o.openState(cookie)
	if !ok || Now().Unix() > st.Expires || state == "" ||
		subtle.ConstantTimeCompare([]byte(st.State), []byte(state)) != 1 {
		return nil, apperr.New(apperr.Unauthenticated, MsgSSOState)
	}
	if code == "" {
		return nil, apperr.New(apperr.Unauthenticated, MsgSSOState)
	}
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	tok, err := o.oauth.Exchange(tctx, code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unauthenticated, MsgSSOExchange)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, apperr.New(apperr.Unauthenticated, MsgSSONoToken)
	}
	idt, err := o.verifier.Verify(tctx, raw)
	if err != nil {
		var exp *oidc.TokenExpiredError
		switch {
		case errors.As(err, &exp):
			return nil, apperr.Wrap(err, apperr.Unauthenticated, MsgSSOExpired)
		case strings.Contains(err.Error(), "expected audience"):
			return nil, apperr.Wrap(err, apperr.Unauthenticated, MsgSSOAudience)
		case strings.Contains(err.Error(), "different provider"):
			return nil, apperr.Wrap(err, apperr.Unauthenticated, MsgSSOIssuer)
		}
		return nil, apperr.Wrap(err, apperr.Unauthenticated, MsgSSOInvalid)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(st.Nonce)) != 1 {
		return nil, apperr.New(apperr.Unauthenticated, MsgSSONonce)
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, apperr.Wrap(err, apperr.Unauthenticated, MsgSSOInvalid)
	}
	// Several audiences: the token must have been issued to us (azp).
	if len(idt.Audience) > 1 {
		if azp, _ := claims["azp"].(string); azp != o.cfg.ClientID || !slices.Contains(idt.Audience, o.cfg.ClientID) {
			return nil, apperr.New(apperr.Unauthenticated, MsgSSOAudience)
		}
	}
	if idt.Subject == "" {
		return nil, apperr.New(apperr.Unauthenticated, MsgSSONoSub)
	}
	id := &OIDCIdentity{Subject: idt.Subject}
	id.Username, _ = claims[o.cfg.UsernameClaim].(string)
	id.Username = strings.TrimSpace(id.Username)
	id.Name, _ = claims["name"].(string)
	return id, nil
}

// providerErrorMessage explains an OAuth error code from the provider.
func providerErrorMessage(code string) string {
	switch code {
	case "access_denied":
		return "已在统一身份认证平台取消登录或未获授权"
	case "login_required", "interaction_required", "consent_required":
		return "请先在统一身份认证平台完成登录"
	case "temporarily_unavailable", "server_error":
		return "统一身份认证平台暂时不可用，请稍后重试"
	}
	clean := make([]rune, 0, len(code))
	for _, r := range code {
		if (r >= 'a' && r <= 'z') || r == '_' {
			clean = append(clean, r)
		}
		if len(clean) == 64 {
			break
		}
	}
	return "统一身份认证平台未完成登录（错误代码 " + string(clean) + "）"
}
