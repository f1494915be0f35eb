package app

import (
	"context"
	"log/slog"

	"fazhi/internal/org"
	"fazhi/internal/platform/auth"
)

// wireOIDC registers the single sign-on routes. With --oidc-issuer set the
// provider is discovered now: a provider that cannot be reached stops the
// start with a Chinese message, like any other bad configuration.
func (a *App) wireOIDC(ctx context.Context, orgs *org.Service) error {
	var o *auth.OIDC
	if a.Cfg.OIDC.Enabled() {
		var err error
		if o, err = auth.NewOIDC(ctx, a.DB, a.Cfg.OIDC); err != nil {
			return err
		}
		slog.Info("统一身份认证登录已启用", "issuer", a.Cfg.OIDC.Issuer, "username_claim", o.UsernameClaim())
	}
	orgs.RegisterSSO(a.API, o)
	return nil
}
