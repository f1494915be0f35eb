package org

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

func refusals(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE action = 'user.refused' AND result = 'refused'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// 三员分立: nobody signs in as the auditor (or any other administrator)
// by resetting, disabling or re-roling the account through the API, the
// audit role stands alone, nobody manages their own account's privileges,
// and every such refusal is audited.
func TestSeparationOfDuties(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := setup(t, d)
		sys, sec, aud := actorCtx(t, s, "sysadmin"), actorCtx(t, s, "secadmin"), actorCtx(t, s, "auditor")
		user := func(name string) User {
			u, err := s.store.userByUsername(ctx, d, name)
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		auditor, secadmin, sysadmin, clerk := user("auditor"), user("secadmin"), user("sysadmin"), user("clerk_sj")

		// The system administrator keeps the system's settings, not the accounts.
		if err := s.ResetPassword(sys, auditor.ID, "Qinghe#2026take"); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("sysadmin resets the auditor's password: want forbidden, got %v", err)
		}
		// The security administrator manages business accounts …
		if err := s.ResetPassword(sec, clerk.ID, "Qinghe#2026clerk"); err != nil {
			t.Fatalf("secadmin resets a clerk's password: %v", err)
		}
		// … but not the administrators' accounts, and none of these
		// refusals writes anything but its audit record.
		before := refusals(t, d)
		wantRefused := func(what string, err error) {
			t.Helper()
			if !apperr.Is(err, apperr.Forbidden) || !strings.Contains(apperr.As(err).Message, "三员分立") {
				t.Fatalf("%s: want a 三员分立 refusal, got %v", what, err)
			}
			before++
			if got := refusals(t, d); got != before {
				t.Fatalf("%s: %d refusals audited, want %d", what, got, before)
			}
		}
		for _, target := range []User{auditor, sysadmin} {
			wantRefused("reset "+target.Username, s.ResetPassword(sec, target.ID, "Qinghe#2026take"))
			_, err := s.UpdateUser(sec, target.ID, UserInput{Name: target.Name, UnitID: target.Unit.ID, Status: "disabled", Version: target.Version})
			wantRefused("disable "+target.Username, err)
			wantRefused("unlock "+target.Username, s.Unlock(sec, target.ID))
			_, err = s.SetRoles(sec, target.ID, []Assignment{{Role: RoleClerk}})
			wantRefused("re-role "+target.Username, err)
		}
		// Administrator roles are not granted through the API: the auditor
		// role to a business user is refused, alone or beside business roles.
		_, err := s.SetRoles(sec, clerk.ID, []Assignment{{Role: RoleClerk}, {Role: RoleAuditor}})
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.As(err).Message, "审计管理员") {
			t.Fatalf("auditor beside clerk: want invalid, got %v", err)
		}
		_, err = s.SetRoles(sec, clerk.ID, []Assignment{{Role: RoleAuditor}})
		wantRefused("grant auditor", err)
		_, err = s.CreateUser(sec, UserInput{Username: "newaudit", Name: "新审计员", UnitID: clerk.Unit.ID, Password: "Qinghe#2026aud2", Roles: []Assignment{{Role: RoleAuditor}}})
		wantRefused("create an auditor", err)
		// Nobody manages their own account's privileges.
		wantRefused("own reset", s.ResetPassword(sec, secadmin.ID, "Qinghe#2026self"))
		_, err = s.UpdateUser(sec, secadmin.ID, UserInput{Name: secadmin.Name, UnitID: clerk.Unit.ID, Status: "active", Version: secadmin.Version})
		wantRefused("own unit", err)
		// The auditor reads audit only.
		if err := s.ResetPassword(aud, clerk.ID, "Qinghe#2026aud"); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("auditor resets a password: want forbidden, got %v", err)
		}
		// Nothing changed on the targets.
		for _, u := range []User{auditor, sysadmin} {
			now := user(u.Username)
			if now.Status != "active" || now.Version != u.Version {
				t.Fatalf("%s changed: %+v", u.Username, now)
			}
			if _, _, err := s.Login(withClient(context.Background(), "10.0.0.9"), u.Username, pw); err != nil {
				t.Fatalf("%s no longer signs in with its own password: %v", u.Username, err)
			}
		}
		got, _ := s.reload(ctx, clerk.ID)
		if len(got.Roles) != 1 || got.Roles[0].Role != RoleClerk {
			t.Fatalf("clerk's roles changed: %+v", got.Roles)
		}
		// The server's command line is held to the same role rule.
		_, err = s.AddUserCLI(context.Background(), "audclerk", "Strong@Passw0rd", "", "", []string{RoleAuditor, RoleClerk})
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "审计管理员") {
			t.Fatalf("CLI auditor+clerk: want refusal, got %v", err)
		}
		// … and it is how an administrator account is recovered.
		if err := s.ResetPasswordCLI(context.Background(), "auditor", "Qinghe#2026cli"); err != nil {
			t.Fatalf("CLI reset of the auditor: %v", err)
		}
	})
}
