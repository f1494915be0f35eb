package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// ---- bootstrap and operator commands ----

// EnsureBuiltins inserts the built-in roles that are missing and the root
// unit when the tree is empty. It never changes roles the security
// administrator has edited.
func (s *Service) EnsureBuiltins(ctx context.Context) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		roles, err := s.store.roles(ctx, tx)
		if err != nil {
			return err
		}
		have := map[string]bool{}
		for _, r := range roles {
			have[r.Code] = true
		}
		for i, r := range BuiltinRoles {
			if !have[r.Code] {
				if err := s.store.insertRole(ctx, tx, r, i+1); err != nil {
					return err
				}
			}
		}
		if _, err := s.store.rootUnit(ctx, tx); err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		root := Unit{Code: "000000", Name: "区人民政府", Type: TypeDistrict, Status: "active"}
		return s.store.insertUnit(ctx, tx, &root, "/")
	})
}

// Bootstrap prepares a database on first start: built-in roles, the root
// unit, and — when no account exists — the three administrator accounts
// with random one-time passwords. It returns what it printed.
func (s *Service) Bootstrap(ctx context.Context, w io.Writer) error {
	if err := s.EnsureBuiltins(ctx); err != nil {
		return err
	}
	n, err := s.store.countUsers(ctx, s.db)
	if err != nil || n > 0 {
		return err
	}
	ctx = auth.With(ctx, auth.SystemActor("首次启动"))
	root, err := s.store.rootUnit(ctx, s.db)
	if err != nil {
		return err
	}
	for _, r := range AdminRoles {
		pw := auth.RandomPassword()
		_, err := s.CreateUser(ctx, UserInput{Username: r, Name: adminName(r), UnitID: root.ID, Password: pw, Roles: []Assignment{{Role: r}}})
		if err != nil {
			if apperr.Is(err, apperr.Invalid) && strings.Contains(err.Error(), "已被使用") {
				continue // another process created them at the same moment
			}
			return err
		}
		// Created by the system: still must be changed at first sign-in.
		if _, err := s.db.Exec(ctx, "UPDATE users SET must_change_password = 1 WHERE username = ?", r); err != nil {
			return err
		}
		fmt.Fprintf(w, "已创建%s账号 %s，一次性密码 %s（首次登录须修改）。也可用命令设置密码：fazhi user reset-password --username %s --password '新密码' --db …\n", adminName(r), r, pw, r)
	}
	return nil
}

// AddUserCLI creates an account from the command line (system actor):
// roles by code, unit by code (the root when empty). The password is set as
// given, without a forced change.
func (s *Service) AddUserCLI(ctx context.Context, username, password, name, unitCode string, roles []string) (*User, error) {
	ctx = auth.With(ctx, auth.SystemActor("命令行"))
	if err := CheckSeparation(roles); err != nil {
		return nil, err
	}
	var unit Unit
	var err error
	if unitCode == "" {
		unit, err = s.store.rootUnit(ctx, s.db)
	} else {
		unit, err = s.store.unitByCode(ctx, s.db, unitCode)
	}
	if err != nil {
		return nil, apperr.Field("unit", "单位编码 %s 不存在", unitCode)
	}
	if name == "" {
		name = username
	}
	as := make([]Assignment, len(roles))
	for i, r := range roles {
		as[i] = Assignment{Role: strings.TrimSpace(r)}
	}
	return s.CreateUser(ctx, UserInput{Username: username, Name: name, UnitID: unit.ID, Password: password, Roles: as})
}

// ResetPasswordCLI sets a password from the command line and clears any
// lockout and forced change.
func (s *Service) ResetPasswordCLI(ctx context.Context, username, password string) error {
	ctx = auth.With(ctx, auth.SystemActor("命令行"))
	u, err := s.store.userByUsername(ctx, s.db, username)
	if err != nil {
		return apperr.Field("username", "用户 %s 不存在", username)
	}
	return s.ResetPassword(ctx, u.ID, password)
}
