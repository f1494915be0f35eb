package org

import (
	"slices"
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The signed-in user's roles come with their names, in the same order, so
// the account page shows 区领导, never the role code leader.
func TestMeNamesTheRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		m, err := s.Me(actorCtx(t, s, "leader"))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m.Roles, []string{RoleLeader}) || !slices.Equal(m.RoleNames, []string{"区领导"}) {
			t.Fatalf("roles %v, names %v", m.Roles, m.RoleNames)
		}
	})
}
