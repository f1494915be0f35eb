package org

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// 三员分立 (separation of the three administrators), enforced here and
// nowhere else (docs/security.md holds the table):
//
//   - the security administrator manages business accounts (user.write) and
//     grants business roles (role.write);
//   - the system administrator keeps the system's settings (org units,
//     calendar); the auditor only reads the audit log;
//   - an account holding an administrator role is changed (password,
//     status, unit, lockout, roles) only by the server's command line
//     (`fazhi user`, the system actor), and administrator roles are granted
//     only there: through the API one administrator could otherwise take
//     over another (reset the auditor's password and read the log of what
//     they did);
//   - nobody changes their own account's password by reset, status, unit
//     or roles (the own password is changed with the old one);
//   - no account holds two administrator roles, and the auditor role is
//     never combined with any other role;
//   - every refusal is written to the audit log (in its own transaction:
//     the refused change is not).

// refusal is a 三员分立 refusal; guarded writes audit it after the refused
// transaction rolled back.
type refusal struct {
	err *apperr.Error
	ev  audit.Event
}

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

func refuse(u User, what, format string, args ...any) error {
	msg := "三员分立：" + fmt.Sprintf(format, args...)
	return &refusal{err: apperr.New(apperr.Forbidden, "%s", msg), ev: audit.Event{
		Action: "user.refused", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID, Result: "refused",
		Summary: fmt.Sprintf("拒绝%s账号 %s：%s", what, u.Username, msg)}}
}

// guarded runs fn in a transaction; a 三员分立 refusal from it is audited.
func (s *Service) guarded(ctx context.Context, fn func(tx *db.Tx) error) error {
	return s.auditRefusal(ctx, s.db.WithTx(ctx, fn))
}

// auditRefusal records the refusal err carries (its transaction was rolled
// back) in a transaction of its own, and returns err.
func (s *Service) auditRefusal(ctx context.Context, err error) error {
	var r *refusal
	if errors.As(err, &r) {
		if aerr := s.db.WithTx(ctx, func(tx *db.Tx) error { return audit.Record(ctx, tx, r.ev) }); aerr != nil {
			return aerr
		}
	}
	return err
}

// mayManage checks that actor may change u's account (what names the
// change, for the refusal): not their own, not an administrator's.
func (s *Service) mayManage(ctx context.Context, q db.Querier, a *auth.Actor, u User, what string) error {
	if a.System {
		return nil
	}
	if a.UserID == u.ID {
		return refuse(u, what, "不能%s自己的账号，请由其他管理员办理（修改自己的密码请用“修改密码”）", what)
	}
	m, err := s.store.assignments(ctx, q, []int64{u.ID})
	if err != nil {
		return err
	}
	for _, as := range m[u.ID] {
		if IsAdminRole(as.Role) {
			return refuse(u, what, "%s账号只能由服务器上的 fazhi user 命令管理，不能在系统中%s", adminName(as.Role), what)
		}
	}
	return nil
}

// mayGrant checks that actor may grant roles: administrator roles only
// from the server's command line.
func mayGrant(a *auth.Actor, u User, codes []string) error {
	if a.System {
		return nil
	}
	if i := slices.IndexFunc(codes, IsAdminRole); i >= 0 {
		return refuse(u, "授予角色给", "%s角色只能由服务器上的 fazhi user 命令授予", adminName(codes[i]))
	}
	return nil
}

// CheckSeparation refuses a role set holding two administrator roles, or
// the auditor role beside any other (三员分立).
func CheckSeparation(roles []string) error {
	var admins []string
	others := false
	for _, r := range roles {
		switch {
		case IsAdminRole(r):
			if !slices.Contains(admins, r) {
				admins = append(admins, r)
			}
		case strings.TrimSpace(r) != "":
			others = true
		}
	}
	if len(admins) > 1 {
		names := make([]string, len(admins))
		for i, r := range admins {
			names[i] = adminName(r)
		}
		return apperr.Field("roles", "三员分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任（不能同时授予%s）", strings.Join(names, "和"))
	}
	if slices.Contains(admins, RoleAuditor) && others {
		return apperr.Field("roles", "三员分立：%s不能兼任其他任何角色", adminName(RoleAuditor))
	}
	return nil
}
