package org

import (
	"context"
	"sort"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// Engine lookups.
//
// Other modules' engines — legality review chains, the findings ledger,
// decision procedures — must resolve units and people whatever the
// requesting user's data scope is (a review chain names reviewers in units
// the submitter cannot see). These methods therefore take no Actor and
// apply no scope. In exchange they return only non-sensitive fields: ids,
// names and unit paths — never phone numbers, usernames, role scopes or
// password data. They are for services wired in internal/app, never for
// HTTP handlers; anything shown to a user must go through the scoped
// methods (ListUnits, ListUsers, …).

// maxLookupIDs bounds one UserNames call.
const maxLookupIDs = 1000

// UnitNamePath returns the name and materialized path ("/1/5/") of unit id,
// whatever its status. A missing unit is apperr.NotFound.
func (s *Service) UnitNamePath(ctx context.Context, id int64) (name, path string, err error) {
	name, path, err = s.store.unitNamePath(ctx, s.db, id)
	if apperr.Is(err, apperr.NotFound) {
		return "", "", apperr.New(apperr.NotFound, "单位不存在")
	}
	return name, path, err
}

// UnitByNameOrCode returns the id, name and path of the one active unit
// whose name or code is nameOrCode (for imports). None is apperr.NotFound;
// several units of that name are apperr.Invalid (the code is unique).
func (s *Service) UnitByNameOrCode(ctx context.Context, nameOrCode string) (id int64, name, path string, err error) {
	us, err := s.store.activeUnitsNamed(ctx, s.db, nameOrCode)
	if err != nil {
		return 0, "", "", err
	}
	switch len(us) {
	case 0:
		return 0, "", "", apperr.New(apperr.NotFound, "找不到单位「%s」", nameOrCode)
	case 1:
		return us[0].ID, us[0].Name, us[0].Path, nil
	}
	return 0, "", "", apperr.New(apperr.Invalid, "单位名称「%s」不唯一，请填写单位编码", nameOrCode)
}

// ActiveUnitIDs returns the ids of every active unit, in id order (bulk
// demo data spreads records over them).
func (s *Service) ActiveUnitIDs(ctx context.Context) ([]int64, error) {
	return s.store.activeUnitIDs(ctx, s.db)
}

// UsersInRole returns the ids of the active users of unitID who hold the
// role with code role, in id order; unitID 0 means any unit. The unit's
// own users only: callers walk up the unit path themselves when they want
// the nearest holders.
func (s *Service) UsersInRole(ctx context.Context, role string, unitID int64) ([]int64, error) {
	return s.store.usersInRole(ctx, s.db, role, unitID)
}

// UnitRecipients are the users told about a unit's matters
// (notification.UnitRecipients): the active holders of the unit's head
// role, or, when it has none, its active staff. It reads through q so that
// a notification written in a transaction sees that transaction.
func (s *Service) UnitRecipients(ctx context.Context, q db.Querier, unitID int64) ([]int64, error) {
	ids, err := s.store.usersInRole(ctx, q, RoleHead, unitID)
	if err != nil || len(ids) > 0 {
		return ids, err
	}
	return s.store.activeUserIDs(ctx, q, unitID)
}

// RoleExists reports whether a role with code exists (built-in or custom).
func (s *Service) RoleExists(ctx context.Context, code string) (bool, error) {
	return s.store.roleCodeExists(ctx, s.db, code)
}

// UserActive reports whether user id exists and is active.
func (s *Service) UserActive(ctx context.Context, id int64) (bool, error) {
	return s.store.userActive(ctx, s.db, id)
}

// UserNames returns the names of the given users (any status), keyed by
// id; unknown ids and ids ≤ 0 are left out. At most 1000 distinct ids.
func (s *Service) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	seen := map[int64]bool{}
	var uniq []int64
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	if len(uniq) == 0 {
		return out, nil
	}
	if len(uniq) > maxLookupIDs {
		return nil, apperr.New(apperr.Invalid, "一次查询的人员过多")
	}
	sort.Slice(uniq, func(i, j int) bool { return uniq[i] < uniq[j] })
	rows, err := s.store.userNames(ctx, s.db, uniq)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.id] = r.name
	}
	return out, nil
}

// Privileged returns those of ids who hold an administrator role (三员):
// they receive no business notifications. q is the caller's transaction.
func (s *Service) Privileged(ctx context.Context, q db.Querier, ids []int64) ([]int64, error) {
	m, err := s.store.assignments(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, id := range ids {
		for _, as := range m[id] {
			if IsAdminRole(as.Role) {
				out = append(out, id)
				break
			}
		}
	}
	return out, nil
}

// UserByUsername returns the id, name and unit of the active account with
// that username (a module linking its record to an account, such as an
// enforcement officer who sits exams). None is apperr.NotFound.
func (s *Service) UserByUsername(ctx context.Context, username string) (id int64, name string, unitID int64, err error) {
	id, name, unitID, err = s.store.activeUserByUsername(ctx, s.db, username)
	if apperr.Is(err, apperr.NotFound) {
		return 0, "", 0, apperr.New(apperr.NotFound, "找不到启用的账号「%s」", username)
	}
	return id, name, unitID, err
}
