package org

import (
	"context"
	"slices"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
)

// ---- roles ----

// ListRoles returns every role with its permissions.
func (s *Service) ListRoles(ctx context.Context) ([]Role, error) {
	if _, err := auth.Require(ctx, "role.read"); err != nil {
		return nil, err
	}
	return s.store.roles(ctx, s.db)
}

// RoleInput changes a role's permissions and default scope.
type RoleInput struct {
	Name         string         `json:"name"`
	Description  string         `json:"description"`
	DefaultScope auth.ScopeKind `json:"default_scope"`
	Perms        []string       `json:"perms"`
	Version      int            `json:"version"`
}

// adminOnly are permissions that only the matching administrator role may
// hold, so that editing roles cannot undo 三员分立.
var adminOnly = map[string]string{
	"audit.read": RoleAuditor, "role.write": RoleSecadmin, "security.write": RoleSecadmin, "user.write": RoleSecadmin,
}

// UpdateRole edits a role (the security administrator's job).
func (s *Service) UpdateRole(ctx context.Context, code string, in RoleInput) (*Role, error) {
	if _, err := auth.Require(ctx, "role.write"); err != nil {
		return nil, err
	}
	var v apperr.Fields
	if strings.TrimSpace(in.Name) == "" {
		v.Add("name", "角色名称不能为空")
	}
	if !ValidScope(in.DefaultScope) {
		v.Add("default_scope", "默认数据范围不正确")
	}
	known := map[string]bool{}
	for _, p := range auth.Permissions() {
		known[p.Code] = true
	}
	for _, p := range in.Perms {
		if !known[p] {
			v.Add("perms", "权限 %s 不存在", p)
		}
		if owner, ok := adminOnly[p]; ok && owner != code {
			v.Add("perms", "权限“%s”只能授予%s（三员分立）", auth.PermLabel(p), adminName(owner))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	out, err := update.Run(ctx, s.db, int64(in.Version), update.Update[Role]{
		Load:    func(ctx context.Context, tx *db.Tx) (Role, error) { return s.role(ctx, tx, code) },
		Version: func(r Role) int64 { return int64(r.Version) },
		Change: func(ctx context.Context, tx *db.Tx, r *Role) (audit.Event, error) {
			r.Name, r.Description, r.DefaultScope = strings.TrimSpace(in.Name), in.Description, in.DefaultScope
			r.Perms = slices.Compact(slices.Sorted(slices.Values(in.Perms)))
			return audit.Event{Action: "role.update", ObjectType: "role", ObjectID: code, Summary: "修改角色 " + r.Name + " 的权限"}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, r Role, loaded int64) (bool, error) {
			return s.store.updateRole(ctx, tx, r, int(loaded))
		},
		Reload: func(ctx context.Context, tx *db.Tx, r Role) (Role, error) { return s.role(ctx, tx, code) },
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// role reads the role with code and its permissions.
func (s *Service) role(ctx context.Context, q db.Querier, code string) (Role, error) {
	roles, err := s.store.roles(ctx, q)
	if err != nil {
		return Role{}, err
	}
	for _, r := range roles {
		if r.Code == code {
			return r, nil
		}
	}
	return Role{}, apperr.New(apperr.NotFound, "角色 %s 不存在", code)
}

// ---- security settings ----

// Settings returns the security settings.
func (s *Service) Settings(ctx context.Context) (*auth.Settings, error) {
	if _, err := auth.Require(ctx, "security.write"); err != nil {
		return nil, err
	}
	set, err := auth.LoadSettings(ctx, s.db)
	return &set, err
}

// UpdateSettings saves the security settings.
func (s *Service) UpdateSettings(ctx context.Context, in auth.Settings) (*auth.Settings, error) {
	if _, err := auth.Require(ctx, "security.write"); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		before, err := auth.LoadSettings(ctx, tx)
		if err != nil {
			return err
		}
		if err := auth.SaveSettings(ctx, tx, in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "security.settings", ObjectType: "settings", ObjectID: "security", Summary: "修改安全策略", Before: before, After: in})
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}
