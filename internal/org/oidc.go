package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"

	"github.com/danielgtaylor/huma/v2"
)

// Single sign-on through the government unified identity provider (OIDC).
// The provider proves who the person is; the local account decides what
// they may do. Accounts are never created here: administrators provision
// them, and a provider identity is tied to an account either by a subject
// already stored on it or, on first use, by the username claim naming an
// existing active account (the subject is then stored).

// SSOLabel is the login button's text.
const SSOLabel = "统一身份认证登录"

// SSO paths.
const (
	SSOLoginPath    = "/api/auth/oidc/login"
	SSOCallbackPath = "/api/auth/oidc/callback"
)

func (Store) userIDBySubject(ctx context.Context, q db.Querier, subject string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "SELECT id FROM users WHERE oidc_subject = ?", subject).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.New(apperr.NotFound, "no account with this subject")
	}
	return id, err
}

func (Store) subjectOf(ctx context.Context, q db.Querier, userID int64) (string, error) {
	var s sql.NullString
	err := q.QueryRow(ctx, "SELECT oidc_subject FROM users WHERE id = ?", userID).Scan(&s)
	return s.String, err
}

func (Store) bindSubject(ctx context.Context, q db.Querier, userID int64, subject string) (bool, error) {
	res, err := q.Exec(ctx, "UPDATE users SET oidc_subject = ? WHERE id = ? AND oidc_subject IS NULL", subject, userID)
	if err != nil {
		return false, db.Classify(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// LoginSSO starts a session for the account the provider identity maps to.
// Throttling, lockout and disabled accounts apply as for password sign-in;
// every attempt is audited (auth.login), a refused one committed before the
// error is returned.
func (s *Service) LoginSSO(ctx context.Context, id auth.OIDCIdentity) (string, error) {
	client := audit.ClientFrom(ctx)
	set, err := auth.LoadSettings(ctx, s.db)
	if err != nil {
		return "", err
	}
	who := id.Username
	if who == "" {
		who = id.Subject
	}
	if err := auth.Throttle(ctx, s.db, client.IP, "sso:"+who, set); err != nil {
		if apperr.Is(err, apperr.RateLimited) {
			_ = s.db.WithTx(ctx, func(tx *db.Tx) error {
				return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorName: who, Result: "fail", Summary: "统一身份认证：登录过于频繁，已限流"})
			})
		}
		return "", err
	}
	notOpened := apperr.New(apperr.Unauthenticated, "统一身份认证用户 %s 未在本系统开通账号，请联系系统管理员", who)
	var token string
	var outErr error
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		bound := true
		uid, err := s.store.userIDBySubject(ctx, tx, id.Subject)
		if apperr.Is(err, apperr.NotFound) {
			bound = false
			if id.Username == "" {
				outErr = notOpened
				return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorName: who, Result: "fail",
					Summary: fmt.Sprintf("统一身份认证：用户标识 %s 未绑定账号，且令牌无用户名", id.Subject)})
			}
			u, err := s.store.userByUsername(ctx, tx, id.Username)
			if apperr.Is(err, apperr.NotFound) {
				outErr = notOpened
				return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorName: who, Result: "fail",
					Summary: fmt.Sprintf("统一身份认证：用户名 %s 在本系统不存在（用户标识 %s）", id.Username, id.Subject)})
			}
			if err != nil {
				return err
			}
			uid = u.ID
		} else if err != nil {
			return err
		}
		u, err := s.store.user(ctx, tx, uid)
		if err != nil {
			return err
		}
		fail := func(msg string, e error) error {
			outErr = e
			return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorID: u.ID, ActorName: u.Username, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID,
				Result: "fail", Summary: "统一身份认证：" + msg})
		}
		if !bound {
			other, err := s.store.subjectOf(ctx, tx, u.ID)
			if err != nil {
				return err
			}
			if other != "" {
				return fail(fmt.Sprintf("账号已绑定其他统一身份认证用户，拒绝用户标识 %s", id.Subject),
					apperr.New(apperr.Unauthenticated, "账号 %s 已绑定其他统一身份认证用户，请联系系统管理员", u.Username))
			}
		}
		now := auth.Now()
		if u.lockedUntil != nil && u.lockedUntil.After(now) {
			mins := int(math.Ceil(u.lockedUntil.Sub(now).Minutes()))
			return fail("账号锁定期间尝试登录", apperr.New(apperr.Locked, "账号已锁定，请 %d 分钟后再试", mins))
		}
		if u.Status != "active" {
			return fail("账号已停用", apperr.New(apperr.Unauthenticated, "账号已停用，请联系系统管理员"))
		}
		if !bound {
			ok, err := s.store.bindSubject(ctx, tx, u.ID, id.Subject)
			if err != nil {
				return err
			}
			if !ok {
				return fail("绑定统一身份认证用户时账号已被他人绑定", apperr.New(apperr.Conflict, "账号 %s 的统一身份认证绑定已变化，请重新登录", u.Username))
			}
			if err := audit.Record(ctx, tx, audit.Event{Action: "user.oidc_bind", ActorID: u.ID, ActorName: u.Username, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID,
				Summary: fmt.Sprintf("账号 %s 首次统一身份认证登录，绑定用户标识 %s", u.Username, id.Subject), After: map[string]string{"oidc_subject": id.Subject}}); err != nil {
				return err
			}
		}
		if err := s.store.recordSuccess(ctx, tx, u.ID); err != nil {
			return err
		}
		token, err = auth.CreateSession(ctx, tx, u.ID, set, client.IP, client.UserAgent)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorID: u.ID, ActorName: u.Username, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID,
			Summary: "统一身份认证登录成功"})
	})
	if err != nil {
		return "", err
	}
	if outErr != nil {
		return "", outErr
	}
	return token, nil
}

// auditSSOFailure records a sign-in refused before any account was known
// (bad state, token refused by verification, provider error).
func (s *Service) auditSSOFailure(ctx context.Context, msg string) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorName: "（统一身份认证）", Result: "fail", Summary: "统一身份认证：" + msg})
	})
	if err != nil {
		slog.Error("sso: audit failure", "err", err)
	}
}

// SSOConfig tells the login page whether to show the SSO button.
type SSOConfig struct {
	Enabled  bool   `json:"enabled"`
	LoginURL string `json:"login_url,omitempty" doc:"浏览器跳转至此开始统一身份认证登录"`
	Label    string `json:"label"`
}

type ssoConfigOutput struct{ Body SSOConfig }

type ssoRedirectOutput struct {
	Status       int
	Location     string        `header:"Location"`
	CacheControl string        `header:"Cache-Control"`
	SetCookie    []http.Cookie `header:"Set-Cookie"`
}

type ssoCallbackInput struct {
	Code             string `query:"code" maxLength:"4096"`
	State            string `query:"state" maxLength:"512"`
	Error            string `query:"error" maxLength:"256"`
	ErrorDescription string `query:"error_description" maxLength:"1024"`
	StateCookie      string `cookie:"fazhi_oidc"`
}

func redirect(to string, cookies ...http.Cookie) *ssoRedirectOutput {
	return &ssoRedirectOutput{Status: http.StatusFound, Location: to, CacheControl: "no-store", SetCookie: cookies}
}

// ssoErrorURL is the login page showing msg.
func ssoErrorURL(msg string) string { return "/login?sso_error=" + url.QueryEscape(msg) }

const msgSSOOff = "本系统未启用统一身份认证登录"

// RegisterSSO declares the SSO routes. They exist whether or not SSO is
// configured (o nil): the config route then says disabled, and the other two
// send the browser back to the login page with a message.
func (s *Service) RegisterSSO(api huma.API, o *auth.OIDC) {
	tagAuth := []string{"登录与账号"}
	huma.Register(api, huma.Operation{OperationID: "auth-oidc-config", Method: http.MethodGet, Path: "/api/auth/oidc/config", Summary: "统一身份认证登录是否启用", Tags: tagAuth},
		func(ctx context.Context, _ *struct{}) (*ssoConfigOutput, error) {
			out := &ssoConfigOutput{Body: SSOConfig{Enabled: o != nil, Label: SSOLabel}}
			if o != nil {
				out.Body.LoginURL = SSOLoginPath
			}
			return out, nil
		})
	huma.Register(api, huma.Operation{OperationID: "auth-oidc-login", Method: http.MethodGet, Path: SSOLoginPath, Summary: "跳转至统一身份认证平台登录", Tags: tagAuth, DefaultStatus: http.StatusFound},
		func(ctx context.Context, _ *struct{}) (*ssoRedirectOutput, error) {
			if o == nil {
				return redirect(ssoErrorURL(msgSSOOff)), nil
			}
			to, c, err := o.Begin(ctx)
			if err != nil {
				slog.Error("sso: begin", "err", err)
				return redirect(ssoErrorURL("统一身份认证登录暂不可用，请稍后重试")), nil
			}
			return redirect(to, c), nil
		})
	huma.Register(api, huma.Operation{OperationID: "auth-oidc-callback", Method: http.MethodGet, Path: SSOCallbackPath, Summary: "统一身份认证平台回调", Tags: tagAuth, DefaultStatus: http.StatusFound},
		func(ctx context.Context, in *ssoCallbackInput) (*ssoRedirectOutput, error) {
			if o == nil {
				return redirect(ssoErrorURL(msgSSOOff)), nil
			}
			clear := auth.ClearStateCookie(ctx)
			refuse := func(err error) *ssoRedirectOutput {
				msg := "统一身份认证登录失败，请稍后重试"
				if e := apperr.As(err); e != nil && e.Code != apperr.Internal {
					msg = e.Message
				} else {
					slog.Error("sso: callback", "err", err)
				}
				return redirect(ssoErrorURL(msg), clear)
			}
			id, err := o.Finish(ctx, in.StateCookie, in.State, in.Code, in.Error, in.ErrorDescription)
			if err != nil {
				if e := apperr.As(err); e != nil && e.Err != nil {
					slog.Warn("sso: token refused", "err", e.Err)
				}
				s.auditSSOFailure(ctx, apperr.As(err).Message)
				return refuse(err), nil
			}
			token, err := s.LoginSSO(ctx, *id)
			if err != nil {
				return refuse(err), nil
			}
			return redirect("/", clear, auth.Cookie(ctx, token, 0)), nil
		})
}
