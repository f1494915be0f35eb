package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"fazhi/internal/platform/db"
)

// ActorLoader builds the Actor of a user (org supplies it: unit, roles,
// per-permission scopes). It returns an error for disabled accounts.
type ActorLoader func(ctx context.Context, userID int64) (*Actor, error)

// ClientInfo is set in the request context by the session middleware for
// the audit log and throttling; package audit reads it through a hook so
// that auth does not import audit.
var WithClientHook func(ctx context.Context, ip, ua string) context.Context

// Sessions is the session middleware: it looks the cookie up in the
// database, applies the idle and absolute timeouts, loads the Actor and puts
// it in the request context. Requests without a live session go on without
// an Actor; services answer them with Unauthenticated.
func Sessions(d *db.DB, load ActorLoader, client func(*http.Request) (ip string, secure bool)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			ip, secure := client(r)
			if WithClientHook != nil {
				ctx = WithClientHook(ctx, ip, r.UserAgent())
			}
			ctx = withSecure(ctx, secure)
			if c, err := r.Cookie(CookieName); err == nil && c.Value != "" && strings.HasPrefix(r.URL.Path, "/api/") {
				set, err := LoadSettings(ctx, d)
				if err != nil {
					slog.Error("session: load settings", "err", err)
				}
				sess, err := LookupSession(ctx, d, c.Value, set)
				switch {
				case err == nil:
					a, err := load(ctx, sess.UserID)
					if err == nil {
						a.SessionID = sess.ID
						a.IP = ip
						ctx = With(ctx, a)
					}
				case !errors.Is(err, ErrNoSession):
					slog.Error("session lookup", "err", err)
				}
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

type secureKey struct{}

func withSecure(ctx context.Context, s bool) context.Context {
	return context.WithValue(ctx, secureKey{}, s)
}

// SecureFrom reports whether the request came over TLS (directly or through
// a trusted proxy), so that the cookie gets the Secure attribute.
func SecureFrom(ctx context.Context) bool { s, _ := ctx.Value(secureKey{}).(bool); return s }

// Cookie returns the session cookie for token (HttpOnly, SameSite=Lax,
// Secure behind TLS). maxAge < 0 deletes it.
func Cookie(ctx context.Context, token string, maxAge int) http.Cookie {
	return http.Cookie{Name: CookieName, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: SecureFrom(ctx), MaxAge: maxAge}
}
