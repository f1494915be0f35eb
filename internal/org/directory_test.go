package org

import (
	"context"
	"slices"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

func TestEngineLookups(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := setup(t, d)
		bg := context.Background() // no Actor: the lookups are unscoped
		clerk, err := s.store.userByUsername(ctx, d, "clerk_sj")
		if err != nil {
			t.Fatal(err)
		}
		head, err := s.store.userByUsername(ctx, d, "head_sj")
		if err != nil {
			t.Fatal(err)
		}
		unit, err := s.store.unit(ctx, d, clerk.Unit.ID)
		if err != nil {
			t.Fatal(err)
		}

		name, path, err := s.UnitNamePath(bg, unit.ID)
		if err != nil || name != unit.Name || path != unit.Path || path == "" {
			t.Fatalf("UnitNamePath = %q %q %v, want %q %q", name, path, err, unit.Name, unit.Path)
		}
		if _, _, err := s.UnitNamePath(bg, 999999); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("missing unit: want not_found, got %v", err)
		}

		for _, key := range []string{unit.Code, unit.Name} {
			id, name, path, err := s.UnitByNameOrCode(bg, key)
			if err != nil || id != unit.ID || name != unit.Name || path != unit.Path {
				t.Fatalf("UnitByNameOrCode(%q) = %d %q %q %v, want unit %d", key, id, name, path, err, unit.ID)
			}
		}
		if _, _, _, err := s.UnitByNameOrCode(bg, "不存在的单位"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown unit name: want not_found, got %v", err)
		}

		heads, err := s.UsersInRole(bg, RoleHead, unit.ID)
		if err != nil || !slices.Contains(heads, head.ID) || slices.Contains(heads, clerk.ID) {
			t.Fatalf("UsersInRole(head, %d) = %v %v: want head_sj (%d) and not clerk_sj (%d)", unit.ID, heads, err, head.ID, clerk.ID)
		}
		all, err := s.UsersInRole(bg, RoleHead, 0)
		if err != nil || len(all) <= len(heads) || !slices.Contains(all, head.ID) || !slices.IsSorted(all) {
			t.Fatalf("UsersInRole(head, any unit) = %v %v: want more holders than the unit's, sorted", all, err)
		}
		// Disabled accounts are not role holders.
		if _, err := d.Exec(ctx, "UPDATE users SET status = 'disabled' WHERE id = ?", head.ID); err != nil {
			t.Fatal(err)
		}
		if heads, err := s.UsersInRole(bg, RoleHead, unit.ID); err != nil || slices.Contains(heads, head.ID) {
			t.Fatalf("disabled head still listed: %v %v", heads, err)
		}
		if none, err := s.UsersInRole(bg, "no_such_role", 0); err != nil || none == nil || len(none) != 0 {
			t.Fatalf("unknown role: want empty list, got %#v %v", none, err)
		}

		names, err := s.UserNames(bg, []int64{clerk.ID, head.ID, clerk.ID, 0, 999999})
		if err != nil || len(names) != 2 || names[clerk.ID] != clerk.Name || names[head.ID] != head.Name {
			t.Fatalf("UserNames = %v %v, want %d→%q and %d→%q only", names, err, clerk.ID, clerk.Name, head.ID, head.Name)
		}
		if names, err := s.UserNames(bg, nil); err != nil || names == nil || len(names) != 0 {
			t.Fatalf("UserNames(nil) = %v %v, want empty map", names, err)
		}
		many := make([]int64, maxLookupIDs+1)
		for i := range many {
			many[i] = int64(i + 1)
		}
		if _, err := s.UserNames(bg, many); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("too many ids: want invalid, got %v", err)
		}
	})
}

// A unit's matters go to its active heads, or, when it has none, to its
// active staff.
func TestUnitRecipients(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := setup(t, d)
		clerk, err := s.store.userByUsername(ctx, d, "clerk_sj")
		if err != nil {
			t.Fatal(err)
		}
		head, err := s.store.userByUsername(ctx, d, "head_sj")
		if err != nil {
			t.Fatal(err)
		}
		unit := clerk.Unit.ID
		heads, err := s.UsersInRole(ctx, RoleHead, unit)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.UnitRecipients(ctx, d, unit)
		if err != nil || !slices.Equal(got, heads) || !slices.Contains(got, head.ID) || slices.Contains(got, clerk.ID) {
			t.Fatalf("with a head: %v %v, want the heads %v", got, err, heads)
		}
		for _, id := range heads {
			if _, err := d.Exec(ctx, "UPDATE users SET status = 'disabled' WHERE id = ?", id); err != nil {
				t.Fatal(err)
			}
		}
		got, err = s.UnitRecipients(ctx, d, unit)
		if err != nil || len(got) == 0 || !slices.Contains(got, clerk.ID) || slices.Contains(got, head.ID) || !slices.IsSorted(got) {
			t.Fatalf("without an active head: %v %v, want the active staff (clerk_sj %d, not head_sj %d)", got, err, clerk.ID, head.ID)
		}
		var staff int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE unit_id = ? AND status = 'active'", unit).Scan(&staff); err != nil || staff != len(got) {
			t.Fatalf("active staff %d, recipients %v (%v)", staff, got, err)
		}
	})
}

func TestRoleExistsAndUserActive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := setup(t, d)
		for code, want := range map[string]bool{RoleHead: true, "no_such_role": false} {
			if ok, err := s.RoleExists(ctx, code); err != nil || ok != want {
				t.Errorf("RoleExists(%q) = %v %v, want %v", code, ok, err, want)
			}
		}
		clerk, err := s.store.userByUsername(ctx, d, "clerk_sj")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := s.UserActive(ctx, clerk.ID); err != nil || !ok {
			t.Fatalf("active user: %v %v", ok, err)
		}
		if ok, err := s.UserActive(ctx, 999999); err != nil || ok {
			t.Fatalf("missing user: %v %v", ok, err)
		}
		if _, err := d.Exec(ctx, "UPDATE users SET status = 'disabled' WHERE id = ?", clerk.ID); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.UserActive(ctx, clerk.ID); err != nil || ok {
			t.Fatalf("disabled user: %v %v", ok, err)
		}
	})
}
