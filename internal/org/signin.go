package org

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// ---- sign-in ----

// Login checks credentials with per-(account, address) throttling and
// per-account lockout, and starts a session. Every attempt is audited; a
// failed attempt is committed before the error is returned. A username
// that does not exist answers exactly like a real account — the same
// messages, a lockout after the same number of failures, one password
// check per attempt — so that neither answers nor timing reveal which
// accounts exist.
func (s *Service) Login(ctx context.Context, username, password string) (string, *Me, error) {
	client := audit.ClientFrom(ctx)
	set, err := auth.LoadSettings(ctx, s.db)
	if err != nil {
		return "", nil, err
	}
	username = strings.TrimSpace(username)
	if err := auth.Throttle(ctx, s.db, client.IP, username, set); err != nil {
		if apperr.Is(err, apperr.RateLimited) {
			_ = s.db.WithTx(ctx, func(tx *db.Tx) error {
				return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorName: username, Result: "fail", Summary: "登录过于频繁，已限流"})
			})
		}
		return "", nil, err
	}
	badCreds := apperr.New(apperr.Unauthenticated, "用户名或密码错误")
	var token string
	var userID int64
	var outErr error
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		now := auth.Now()
		u, err := s.store.userByUsername(ctx, tx, username)
		known := err == nil
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		failed, lockedUntil := u.failedCount, u.lockedUntil
		if !known {
			if failed, lockedUntil, err = s.store.unknownLogin(ctx, tx, username); err != nil {
				return err
			}
		}
		fail := func(msg string, e error) error {
			outErr = e
			if !known {
				return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorName: username, Result: "fail", Summary: "用户名不存在：" + msg})
			}
			return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorID: u.ID, ActorName: u.Username, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID, Result: "fail", Summary: msg})
		}
		if lockedUntil != nil && lockedUntil.After(now) {
			auth.CheckNothing(password) // the same cost as any other attempt
			mins := int(math.Ceil(lockedUntil.Sub(now).Minutes()))
			return fail("账号锁定期间尝试登录", apperr.New(apperr.Locked, "账号已锁定，请 %d 分钟后再试", mins))
		}
		ok := false
		if known && u.passwordHash != "" {
			ok = auth.CheckPassword(u.passwordHash, password)
		} else {
			auth.CheckNothing(password)
		}
		if !ok {
			n, until, locked := nextFailure(set, failed, lockedUntil, now)
			if known {
				err = s.store.recordFailure(ctx, tx, u.ID, n, until)
			} else {
				err = s.store.recordUnknown(ctx, tx, username, n, until, now)
			}
			if err != nil {
				return err
			}
			if locked != nil {
				return fail(fmt.Sprintf("密码错误（连续第 %d 次），账号已锁定", set.LockoutThreshold), locked)
			}
			return fail(fmt.Sprintf("密码错误（连续第 %d 次）", n), badCreds)
		}
		if u.Status != "active" {
			return fail("账号已停用", apperr.New(apperr.Unauthenticated, "账号已停用，请联系系统管理员"))
		}
		if err := s.store.recordSuccess(ctx, tx, u.ID); err != nil {
			return err
		}
		token, err = auth.CreateSession(ctx, tx, u.ID, set, client.IP, client.UserAgent)
		if err != nil {
			return err
		}
		userID = u.ID
		return audit.Record(ctx, tx, audit.Event{Action: "auth.login", ActorID: u.ID, ActorName: u.Username, ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID, Summary: "登录成功"})
	})
	if err != nil {
		return "", nil, err
	}
	if outErr != nil {
		return "", nil, outErr
	}
	a, err := s.LoadActor(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	me, err := s.me(ctx, a)
	return token, me, err
}

// nextFailure counts one more wrong password against an account whose
// count is failed (a lock that has run out starts a fresh count). At the
// threshold the count restarts and the account locks: until is the lock's
// end and locked the error to answer with; otherwise both are nil.
func nextFailure(set auth.Settings, failed int, lockedUntil *time.Time, now time.Time) (n int, until *time.Time, locked error) {
	n = failed + 1
	if lockedUntil != nil && !lockedUntil.After(now) {
		n = 1
	}
	if n < set.LockoutThreshold {
		return n, nil, nil
	}
	t := now.Add(time.Duration(set.LockoutMinutes) * time.Minute)
	return 0, &t, apperr.New(apperr.Locked, "密码连续错误 %d 次，账号已锁定，请 %d 分钟后再试", set.LockoutThreshold, set.LockoutMinutes)
}

// Logout ends the session with token.
func (s *Service) Logout(ctx context.Context, token string) error {
	a := auth.From(ctx)
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := auth.DeleteSession(ctx, tx, token); err != nil {
			return err
		}
		if a == nil {
			return nil
		}
		return audit.Record(ctx, tx, audit.Event{Action: "auth.logout", ObjectType: "user", ObjectID: fmt.Sprint(a.UserID), UnitID: a.UnitID, Summary: "退出登录"})
	})
}

// LogoutEverywhere ends every session of the signed-in user.
func (s *Service) LogoutEverywhere(ctx context.Context) (int64, error) {
	a := auth.From(ctx)
	if a == nil || a.System {
		return 0, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	var n int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		if n, err = auth.DeleteUserSessions(ctx, tx, a.UserID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "auth.logout_all", ObjectType: "user", ObjectID: fmt.Sprint(a.UserID), UnitID: a.UnitID, Summary: fmt.Sprintf("在所有设备退出登录（%d 个会话）", n)})
	})
	return n, err
}

// ChangePassword changes the signed-in user's own password; other sessions
// of the user end.
func (s *Service) ChangePassword(ctx context.Context, old, new string) error {
	a := auth.From(ctx)
	if a == nil || a.System {
		return apperr.New(apperr.Unauthenticated, "请先登录")
	}
	set, err := auth.LoadSettings(ctx, s.db)
	if err != nil {
		return err
	}
	var outErr error
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		u, err := s.store.user(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		now := auth.Now()
		if u.lockedUntil != nil && u.lockedUntil.After(now) {
			mins := int(math.Ceil(u.lockedUntil.Sub(now).Minutes()))
			return apperr.New(apperr.Locked, "账号已锁定，请 %d 分钟后再试", mins)
		}
		if !auth.CheckPassword(u.passwordHash, old) {
			// A wrong old password counts toward the lockout like a wrong
			// password at sign-in; the lock also ends the account's sessions.
			n, until, locked := nextFailure(set, u.failedCount, u.lockedUntil, now)
			if err := s.store.recordFailure(ctx, tx, u.ID, n, until); err != nil {
				return err
			}
			summary := fmt.Sprintf("修改密码时原密码错误（连续第 %d 次）", n)
			outErr = apperr.Field("old_password", "原密码不正确")
			if locked != nil {
				if _, err := auth.DeleteUserSessions(ctx, tx, u.ID); err != nil {
					return err
				}
				summary, outErr = fmt.Sprintf("修改密码时原密码连续错误 %d 次，账号已锁定", set.LockoutThreshold), locked
			}
			return audit.Record(ctx, tx, audit.Event{Action: "auth.change_password", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID, Result: "fail", Summary: summary})
		}
		if err := s.setPasswordTx(ctx, tx, u, new, false); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", u.ID, a.SessionID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "auth.change_password", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), UnitID: u.Unit.ID, Summary: "修改本人密码"})
	})
	if err != nil {
		return err
	}
	return outErr
}

// LoadActor builds the Actor of userID: for each permission, the union of
// the scopes of the role assignments that grant it. An account that must
// change its password (first sign-in, reset, expiry) gets no permissions
// until it has.
func (s *Service) LoadActor(ctx context.Context, userID int64) (*auth.Actor, error) {
	u, err := s.store.user(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	if u.Status != "active" {
		return nil, apperr.New(apperr.Unauthenticated, "账号已停用")
	}
	a := &auth.Actor{UserID: u.ID, Username: u.Username, Name: u.Name, UnitID: u.Unit.ID, UnitPath: u.unitPath, UnitName: u.Unit.Name, Perms: map[string]auth.Scope{}}
	// Roles and their permissions in one query; the chosen subtrees of
	// every assignment in one more, only when some assignment has them.
	grants, err := s.store.grants(ctx, s.db, u.ID)
	if err != nil {
		return nil, err
	}
	var chosen []int64
	for i, g := range grants {
		if i > 0 && g.role == grants[i-1].role {
			continue
		}
		a.Roles = append(a.Roles, g.role)
		if g.scope == auth.ScopeChosen {
			chosen = append(chosen, parseIDs(g.scopeUnits)...)
		}
	}
	set, err := auth.LoadSettings(ctx, s.db)
	if err != nil {
		return nil, err
	}
	if u.MustChangePassword || passwordExpired(u, set) {
		return a, nil
	}
	paths, err := s.store.unitPaths(ctx, s.db, chosen)
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		if g.perm == "" {
			continue
		}
		var sc auth.Scope
		switch g.scope {
		case auth.ScopeAll:
			sc = auth.Scope{All: true}
		case auth.ScopeOwn:
			sc = auth.Scope{Ranges: []auth.UnitRange{{Path: u.unitPath}}}
		case auth.ScopeSubtree:
			sc = auth.Scope{Ranges: []auth.UnitRange{{Path: u.unitPath, Subtree: true}}}
		case auth.ScopeChosen:
			for _, id := range parseIDs(g.scopeUnits) {
				if p, ok := paths[id]; ok {
					sc.Ranges = append(sc.Ranges, auth.UnitRange{Path: p, Subtree: true})
				}
			}
			slices.SortFunc(sc.Ranges, func(x, y auth.UnitRange) int { return strings.Compare(x.Path, y.Path) })
			sc.Ranges = slices.Compact(sc.Ranges)
		}
		a.Perms[g.perm] = a.Perms[g.perm].Merge(sc)
	}
	return a, nil
}

func passwordExpired(u User, set auth.Settings) bool {
	if set.PasswordExpiryDays <= 0 || u.passwordChangedAt == nil {
		return false
	}
	return auth.Now().After(u.passwordChangedAt.Add(time.Duration(set.PasswordExpiryDays) * 24 * time.Hour))
}

// Me describes the signed-in user.
func (s *Service) Me(ctx context.Context) (*Me, error) {
	a := auth.From(ctx)
	if a == nil || a.System {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	return s.me(ctx, a)
}

func (s *Service) me(ctx context.Context, a *auth.Actor) (*Me, error) {
	u, err := s.store.user(ctx, s.db, a.UserID)
	if err != nil {
		return nil, err
	}
	set, err := auth.LoadSettings(ctx, s.db)
	if err != nil {
		return nil, err
	}
	m := &Me{ID: u.ID, Username: u.Username, Name: u.Name, Unit: u.Unit, Roles: []string{}, Permissions: []string{},
		MustChangePassword: u.MustChangePassword, PasswordExpired: passwordExpired(u, set)}
	m.Roles = append(m.Roles, a.Roles...)
	// Role names for the screen (a role code is never shown): the account's
	// assignments in role order, names looked up by code.
	as, err := s.store.assignments(ctx, s.db, []int64{u.ID})
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, x := range as[u.ID] {
		names[x.Role] = x.RoleName
	}
	m.RoleNames = make([]string, 0, len(m.Roles))
	for _, r := range m.Roles {
		m.RoleNames = append(m.RoleNames, cmp.Or(names[r], r))
	}
	for p := range a.Perms {
		m.Permissions = append(m.Permissions, p)
	}
	slices.Sort(m.Permissions)
	return m, nil
}
