package org

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

const pw = "Fazhi@2026demo"

func setup(t *testing.T, d *db.DB) (*Service, context.Context) {
	t.Helper()
	s := NewService(d)
	ctx := context.Background()
	if err := s.SeedDemo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	return s, ctx
}

func withClient(ctx context.Context, ip string) context.Context {
	return audit.WithClient(ctx, audit.Client{IP: ip, UserAgent: "test"})
}

func actorCtx(t *testing.T, s *Service, username string) context.Context {
	t.Helper()
	ctx := withClient(context.Background(), "10.0.0.1")
	u, err := s.store.userByUsername(ctx, s.db, username)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.LoadActor(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return auth.With(ctx, a)
}

func freezeClock(t *testing.T) *time.Time {
	now := time.Now().UTC()
	auth.Now = func() time.Time { return now }
	t.Cleanup(func() { auth.Now = func() time.Time { return time.Now().UTC() } })
	return &now
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		now := freezeClock(t)
		for i := 1; i <= 4; i++ {
			_, _, err := s.Login(withClient(context.Background(), "10.0.0.2"), "clerk_sj", "wrong-password")
			if !apperr.Is(err, apperr.Unauthenticated) || apperr.As(err).Message != "用户名或密码错误" {
				t.Fatalf("attempt %d: want wrong-credentials error, got %v", i, err)
			}
		}
		_, _, err := s.Login(withClient(context.Background(), "10.0.0.2"), "clerk_sj", "wrong-password")
		if !apperr.Is(err, apperr.Locked) {
			t.Fatalf("5th failure: want locked, got %v", err)
		}
		// Even the right password is refused while locked, naming the minutes left.
		*now = now.Add(5 * time.Minute)
		_, _, err = s.Login(withClient(context.Background(), "10.0.0.3"), "clerk_sj", pw)
		if !apperr.Is(err, apperr.Locked) || !strings.Contains(apperr.As(err).Message, "10 分钟") {
			t.Fatalf("while locked: want locked with 10 minutes left, got %v", err)
		}
		*now = now.Add(10*time.Minute + time.Second)
		if _, me, err := s.Login(withClient(context.Background(), "10.0.0.3"), "clerk_sj", pw); err != nil || me.Username != "clerk_sj" {
			t.Fatalf("after lockout: want success, got %v", err)
		}
		// Failed and successful sign-ins are audited.
		var fails, oks int
		d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE action = 'auth.login' AND result = 'fail'").Scan(&fails)
		d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE action = 'auth.login' AND result = 'ok'").Scan(&oks)
		if fails != 6 || oks != 1 {
			t.Fatalf("audited %d failures and %d successes, want 6 and 1", fails, oks)
		}
	})
}

func TestThrottlePerAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		now := freezeClock(t)
		set := auth.DefaultSettings()
		ctx := withClient(context.Background(), "192.0.2.9")
		// Issue 10: the limit is per (account, address) — sign-ins of other
		// accounts from the same address are not refused (TestThrottlePerAccountAndAddress).
		for i := 0; i < set.ThrottlePerMinute; i++ {
			// Wrong passwords of sifaju: the account locks after five, then answers locked.
			if _, _, err := s.Login(ctx, "sifaju", "x"); !apperr.Is(err, apperr.Unauthenticated) && !apperr.Is(err, apperr.Locked) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, _, err := s.Login(ctx, "sifaju", pw); !apperr.Is(err, apperr.RateLimited) {
			t.Fatalf("over the limit: want rate_limited, got %v", err)
		}
		// Another address is not throttled (the account is locked, though).
		if _, _, err := s.Login(withClient(context.Background(), "192.0.2.10"), "sifaju", pw); !apperr.Is(err, apperr.Locked) {
			t.Fatalf("other address: want locked (not rate_limited), got %v", err)
		}
		*now = now.Add(auth.ThrottleWindow + time.Second)
		if _, _, err := s.Login(ctx, "sifaju", pw); !apperr.Is(err, apperr.Locked) {
			t.Fatalf("next window: want locked (not rate_limited), got %v", err)
		}
		*now = now.Add(time.Duration(set.LockoutMinutes) * time.Minute)
		if _, _, err := s.Login(ctx, "sifaju", pw); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
	})
}

func TestSessionIdleAndAbsoluteTimeout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		now := freezeClock(t)
		ctx := withClient(context.Background(), "10.1.1.1")
		set := auth.DefaultSettings()
		token, _, err := s.Login(ctx, "sifaju", pw)
		if err != nil {
			t.Fatal(err)
		}
		// Active use keeps the session alive up to the absolute limit.
		for elapsed := 25 * time.Minute; elapsed < 12*time.Hour; elapsed += 25 * time.Minute {
			*now = now.Add(25 * time.Minute)
			if _, err := auth.LookupSession(ctx, d, token, set); err != nil {
				t.Fatalf("active session ended after %v: %v", elapsed, err)
			}
		}
		*now = now.Add(25 * time.Minute) // past 12 h since sign-in
		if _, err := auth.LookupSession(ctx, d, token, set); err != auth.ErrNoSession {
			t.Fatalf("past absolute limit: want no session, got %v", err)
		}
		// Idle: 31 minutes without a request ends the session.
		token, _, err = s.Login(ctx, "sifaju", pw)
		if err != nil {
			t.Fatal(err)
		}
		*now = now.Add(29 * time.Minute)
		if _, err := auth.LookupSession(ctx, d, token, set); err != nil {
			t.Fatalf("29 min idle: %v", err)
		}
		*now = now.Add(31 * time.Minute)
		if _, err := auth.LookupSession(ctx, d, token, set); err != auth.ErrNoSession {
			t.Fatalf("31 min idle: want no session, got %v", err)
		}
	})
}

func TestLogoutEverywhere(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		ctx := withClient(context.Background(), "10.1.1.2")
		t1, _, err := s.Login(ctx, "leader", pw)
		if err != nil {
			t.Fatal(err)
		}
		t2, _, _ := s.Login(ctx, "leader", pw)
		n, err := s.LogoutEverywhere(actorCtx(t, s, "leader"))
		if err != nil || n != 2 {
			t.Fatalf("ended %d sessions, err %v; want 2", n, err)
		}
		for _, tk := range []string{t1, t2} {
			if _, err := auth.LookupSession(ctx, d, tk, auth.DefaultSettings()); err != auth.ErrNoSession {
				t.Fatal("session survived sign-out everywhere")
			}
		}
	})
}

func TestTwoAdminRolesRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		sec := actorCtx(t, s, "secadmin")
		u, _ := s.store.userByUsername(sec, d, "sysadmin")
		_, err := s.SetRoles(sec, u.ID, []Assignment{{Role: RoleSysadmin}, {Role: RoleAuditor}})
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.As(err).Message, "三员分立") || !strings.Contains(apperr.As(err).Message, "系统管理员和审计管理员") {
			t.Fatalf("want 三员分立 refusal, got %v", err)
		}
		// Nothing changed.
		got, _ := s.GetUser(sec, u.ID)
		if len(got.Roles) != 1 || got.Roles[0].Role != RoleSysadmin {
			t.Fatalf("roles changed: %+v", got.Roles)
		}
		_, err = s.AddUserCLI(context.Background(), "both", "Strong@Passw0rd", "", "", []string{RoleSecadmin, RoleAuditor})
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "三员分立") {
			t.Fatalf("CLI path: want refusal, got %v", err)
		}
		// Role editing cannot move an administrator permission to another role.
		_, err = s.UpdateRole(sec, RoleLeader, RoleInput{Name: "区领导", DefaultScope: auth.ScopeAll, Perms: []string{"dashboard.read", "audit.read"}, Version: 1})
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "审计管理员") {
			t.Fatalf("want refusal to give audit.read to leader, got %v", err)
		}
	})
}

func TestScopePerPermissionUnion(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := setup(t, d)
		sec := actorCtx(t, s, "secadmin")
		clerk, _ := s.store.userByUsername(ctx, d, "clerk_sj")
		// clerk at 市场监管局 (subtree) + leader (all): read everywhere, write only at home.
		if _, err := s.SetRoles(sec, clerk.ID, []Assignment{{Role: RoleClerk}, {Role: RoleLeader}}); err != nil {
			t.Fatal(err)
		}
		a := auth.From(actorCtx(t, s, "clerk_sj"))
		if sc := a.Perms["decision.read"]; !sc.All {
			t.Fatalf("decision.read: want all, got %+v", sc)
		}
		if sc := a.Perms["decision.write"]; sc.All || len(sc.Ranges) != 1 || sc.Ranges[0].Path != clerk.unitPath || !sc.Ranges[0].Subtree {
			t.Fatalf("decision.write: want own subtree only, got %+v", sc)
		}
		// chosen subtrees
		town, _ := s.store.unitByCode(ctx, d, "QH201000")
		if _, err := s.SetRoles(sec, clerk.ID, []Assignment{{Role: RoleClerk, Scope: auth.ScopeChosen, ScopeUnits: []int64{town.ID}}}); err != nil {
			t.Fatal(err)
		}
		a = auth.From(actorCtx(t, s, "clerk_sj"))
		if !a.CanIn("decision.write", town.Path+"99/") || a.CanIn("decision.write", clerk.unitPath) {
			t.Fatalf("chosen scope wrong: %+v", a.Perms["decision.write"])
		}
	})
}

// Several chosen subtrees and several roles resolve together: the ranges
// are the chosen units' paths in path order, and the roles keep their order.
func TestLoadActorChosenUnitsAndRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := setup(t, d)
		sec := actorCtx(t, s, "secadmin")
		clerk, _ := s.store.userByUsername(ctx, d, "clerk_sj")
		town2, _ := s.store.unitByCode(ctx, d, "QH202000")
		town1, _ := s.store.unitByCode(ctx, d, "QH201000")
		if _, err := s.SetRoles(sec, clerk.ID, []Assignment{
			{Role: RoleLeader, Scope: auth.ScopeOwn},
			{Role: RoleClerk, Scope: auth.ScopeChosen, ScopeUnits: []int64{town2.ID, town1.ID, town2.ID}},
		}); err != nil {
			t.Fatal(err)
		}
		a := auth.From(actorCtx(t, s, "clerk_sj"))
		if strings.Join(a.Roles, ",") != RoleClerk+","+RoleLeader {
			t.Fatalf("roles: %v", a.Roles)
		}
		want := []auth.UnitRange{{Path: town1.Path, Subtree: true}, {Path: town2.Path, Subtree: true}}
		if town2.Path < town1.Path {
			want[0], want[1] = want[1], want[0]
		}
		sc := a.Perms["decision.write"]
		if sc.All || len(sc.Ranges) != 2 || sc.Ranges[0] != want[0] || sc.Ranges[1] != want[1] {
			t.Fatalf("decision.write: want %+v, got %+v", want, sc)
		}
		// decision.read comes from both roles: own unit (leader) and the chosen towns (clerk).
		if r := a.Perms["decision.read"]; !r.Contains(clerk.unitPath) || !r.Contains(town1.Path+"1/") || r.Contains("/other/") {
			t.Fatalf("decision.read: %+v", r)
		}
	})
}

func TestMoveUnitRewritesSubtree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := setup(t, d)
		sys := actorCtx(t, s, "sysadmin")
		town, _ := s.store.unitByCode(ctx, d, "QH201000")
		other, _ := s.store.unitByCode(ctx, d, "QH202000")
		village, _ := s.store.unitByCode(ctx, d, "QH201001")
		moved, err := s.MoveUnit(sys, town.ID, other.ID, town.Version)
		if err != nil {
			t.Fatal(err)
		}
		if moved.Path != other.Path+itoa(town.ID)+"/" {
			t.Fatalf("moved path %s", moved.Path)
		}
		v, _ := s.store.unit(ctx, d, village.ID)
		if v.Path != moved.Path+itoa(village.ID)+"/" {
			t.Fatalf("child path not rewritten: %s", v.Path)
		}
		if _, err := s.MoveUnit(sys, other.ID, village.ID, other.Version); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("moving under own descendant: want invalid, got %v", err)
		}
		if _, err := s.MoveUnit(sys, town.ID, other.ID, town.Version); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("stale version: want conflict, got %v", err)
		}
	})
}

func TestPasswordPolicyAndHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		ctx := actorCtx(t, s, "sifaju")
		for _, bad := range []string{"short1A!", "alllowercaseletters", "NoDigitsOrSymbols"} {
			if err := s.ChangePassword(ctx, pw, bad); !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("%q accepted: %v", bad, err)
			}
		}
		cur := pw
		for i, next := range []string{"Qinghe#2026aa", "Qinghe#2026bb", "Qinghe#2026cc", "Qinghe#2026dd"} {
			if err := s.ChangePassword(ctx, cur, next); err != nil {
				t.Fatalf("change %d: %v", i, err)
			}
			cur = next
		}
		// pw is the fifth most recent: still refused; "aa" too.
		for _, old := range []string{pw, "Qinghe#2026aa"} {
			if err := s.ChangePassword(ctx, cur, old); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "最近 5 次") {
				t.Fatalf("reuse of %q: %v", old, err)
			}
		}
		if err := s.ChangePassword(ctx, "wrong", "Qinghe#2026ee"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("wrong old password accepted: %v", err)
		}
	})
}

func TestFirstStartAdminsMustChangePassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := NewService(d)
		var out strings.Builder
		if err := s.Bootstrap(context.Background(), &out); err != nil {
			t.Fatal(err)
		}
		for _, r := range AdminRoles {
			if !strings.Contains(out.String(), "fazhi user reset-password --username "+r) {
				t.Fatalf("no instructions for %s in %q", r, out.String())
			}
			a := auth.From(actorCtx(t, s, r))
			if len(a.Perms) != 0 || len(a.Roles) != 1 || a.Roles[0] != r {
				t.Fatalf("%s before password change: perms %v roles %v", r, a.Perms, a.Roles)
			}
		}
		// A second start creates nothing more.
		out.Reset()
		if err := s.Bootstrap(context.Background(), &out); err != nil || out.Len() != 0 {
			t.Fatalf("second bootstrap: %v %q", err, out.String())
		}
		if err := s.ResetPasswordCLI(context.Background(), "auditor", "Audit#Strong2026"); err != nil {
			t.Fatal(err)
		}
		a := auth.From(actorCtx(t, s, "auditor"))
		if !a.Can("audit.read") || a.Can("user.read") || a.Can("decision.read") {
			t.Fatalf("auditor perms after reset: %v", a.Perms)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The home page figures count active units in the actor's org.read scope
// by type: the whole district for the supervisor (sifaju), one town's subtree for
// its head. Expected numbers come from the unit list.
func TestFiguresCountUnitsInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		want := func(ctx context.Context) map[string]float64 {
			us, _, err := s.ListUnits(ctx, UnitFilter{}, db.Page{Size: 10000})
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]float64{"org.unit_count": 0, "org.department_count": 0, "org.town_count": 0}
			for _, u := range us {
				if u.Status != "active" {
					continue
				}
				m["org.unit_count"]++
				switch u.Type {
				case TypeDepartment:
					m["org.department_count"]++
				case TypeTown:
					m["org.town_count"]++
				}
			}
			return m
		}
		for _, user := range []string{"sifaju", "head_town01"} {
			ctx := actorCtx(t, s, user)
			figs, err := s.Figures(ctx, metric.Query{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]float64{}
			for _, f := range figs {
				got[f.Code] = f.Value
			}
			w := want(ctx)
			for k, v := range w {
				if got[k] != v {
					t.Errorf("%s: %s = %v, want %v", user, k, got[k], v)
				}
			}
			if user == "sifaju" && (w["org.department_count"] != float64(len(DemoDepartments)) || w["org.town_count"] != float64(len(DemoTowns))) {
				t.Errorf("supervisor sees %v", w)
			}
			if user == "head_town01" && (w["org.town_count"] != 1 || w["org.unit_count"] < 2) {
				t.Errorf("head_town01 sees %v", w)
			}
		}
	})
}
