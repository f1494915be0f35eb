package org

import (
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/update/updatetest"
)

// Every org edit goes through update.Run: a zero (missing) version is a
// validation error naming 版本号 and writes nothing; a stale one is the
// platform's conflict.
func TestEditsRequireVersion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := setup(t, d)
		sys := actorCtx(t, s, "sysadmin")
		sec := actorCtx(t, s, "secadmin")
		town, _ := s.store.unitByCode(ctx, d, "QH201000")
		other, _ := s.store.unitByCode(ctx, d, "QH202000")
		clerk, _ := s.store.userByUsername(ctx, d, "clerk_sj")

		_, err := s.UpdateUnit(sys, town.ID, UnitInput{Code: town.Code, Name: "改名", Type: town.Type, Status: town.Status})
		updatetest.WantVersionRequired(t, "UpdateUnit", err)
		_, err = s.MoveUnit(sys, town.ID, other.ID, 0)
		updatetest.WantVersionRequired(t, "MoveUnit", err)
		if u, _ := s.store.unit(ctx, d, town.ID); u.Name != town.Name || u.ParentID != town.ParentID || u.Version != town.Version {
			t.Fatalf("a refused edit wrote the unit: %+v", u)
		}
		_, err = s.UpdateUser(sec, clerk.ID, UserInput{Name: "改名", UnitID: clerk.Unit.ID, Status: clerk.Status})
		updatetest.WantVersionRequired(t, "UpdateUser", err)
		if u, _ := s.store.user(ctx, d, clerk.ID); u.Name != clerk.Name || u.Version != clerk.Version {
			t.Fatalf("a refused edit wrote the user: %+v", u)
		}
		roles, err := s.store.roles(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		var role Role
		for _, r := range roles {
			if r.Code == RoleClerk {
				role = r
			}
		}
		_, err = s.UpdateRole(sec, RoleClerk, RoleInput{Name: "改名", DefaultScope: role.DefaultScope, Perms: role.Perms})
		updatetest.WantVersionRequired(t, "UpdateRole", err)

		// The versions read work once, then are stale.
		in := UnitInput{Code: town.Code, Name: town.Name + "（改）", Type: town.Type, Status: town.Status, Version: town.Version}
		got, err := s.UpdateUnit(sys, town.ID, in)
		if err != nil || got.Version != town.Version+1 || got.Name != in.Name {
			t.Fatalf("UpdateUnit: %+v %v", got, err)
		}
		if _, err := s.UpdateUnit(sys, town.ID, in); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("UpdateUnit stale: want conflict, got %v", err)
		}
		uin := UserInput{Name: clerk.Name + "（改）", Phone: clerk.Phone, UnitID: clerk.Unit.ID, Status: clerk.Status, Version: clerk.Version}
		if u, err := s.UpdateUser(sec, clerk.ID, uin); err != nil || u.Version != clerk.Version+1 || u.Name != uin.Name {
			t.Fatalf("UpdateUser: %+v %v", u, err)
		}
		if _, err := s.UpdateUser(sec, clerk.ID, uin); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("UpdateUser stale: want conflict, got %v", err)
		}
		rin := RoleInput{Name: role.Name, Description: role.Description, DefaultScope: role.DefaultScope, Perms: role.Perms, Version: role.Version}
		if r, err := s.UpdateRole(sec, RoleClerk, rin); err != nil || r.Version != role.Version+1 || len(r.Perms) != len(role.Perms) {
			t.Fatalf("UpdateRole: %+v %v", r, err)
		}
		if _, err := s.UpdateRole(sec, RoleClerk, rin); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("UpdateRole stale: want conflict, got %v", err)
		}
	})
}
