package org

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// An unknown username answers exactly like a real one, attempt by attempt
// (wrong password, then locked), and costs the same password check, so
// that neither the answer nor the time tells whether the account exists.
func TestUnknownUsernameAnswersLikeARealOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		freezeClock(t)
		set := auth.DefaultSettings()
		attempt := func(username, password string) (string, int64) {
			t.Helper()
			checks := auth.PasswordChecks()
			_, _, err := s.Login(withClient(context.Background(), "10.0.0.7"), username, password)
			if err == nil {
				t.Fatalf("%s signed in with a wrong password", username)
			}
			e := apperr.As(err)
			if e == nil {
				t.Fatalf("%s: %v", username, err)
			}
			return string(e.Code) + " " + e.Message, auth.PasswordChecks() - checks
		}
		for i := 1; i <= set.LockoutThreshold+2; i++ {
			real, realWork := attempt("clerk_sj", "wrong-password")
			unknown, unknownWork := attempt("no_such_user", "wrong-password")
			if real != unknown {
				t.Fatalf("attempt %d: real account answered %q, unknown %q", i, real, unknown)
			}
			if realWork != 1 || unknownWork != 1 {
				t.Fatalf("attempt %d: password checks real %d, unknown %d; want one each", i, realWork, unknownWork)
			}
			if i >= set.LockoutThreshold && apperr.Locked != apperr.Code(real[:len(apperr.Locked)]) {
				t.Fatalf("attempt %d: want locked, got %q", i, real)
			}
		}
		// The locked real account refuses even its right password, the same way.
		real, _ := attempt("clerk_sj", pw)
		unknown, _ := attempt("no_such_user", pw)
		if real != unknown {
			t.Fatalf("locked, right password: %q vs %q", real, unknown)
		}
	})
}

// Throttling counts per (account, address): one attacker behind a shared
// NAT does not block a colleague's correct sign-in from the same address;
// the per-address count is only a high ceiling.
func TestThrottlePerAccountAndAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, ctx := setup(t, d)
		now := freezeClock(t)
		set := auth.DefaultSettings()
		office := withClient(context.Background(), "192.0.2.20")
		for i := 0; i < set.ThrottlePerMinute+5; i++ {
			if _, _, err := s.Login(office, "sifaju", "wrong-password"); err == nil {
				t.Fatal("wrong password accepted")
			}
		}
		if _, _, err := s.Login(office, "sifaju", "wrong-password"); !apperr.Is(err, apperr.RateLimited) {
			t.Fatalf("over the pair limit: want rate_limited, got %v", err)
		}
		if _, me, err := s.Login(office, "leader", pw); err != nil || me.Username != "leader" {
			t.Fatalf("a colleague behind the same address: %v", err)
		}
		// The ceiling per address still holds against spraying many names.
		set.ThrottlePerMinute, set.ThrottleAddressPerMinute = 5, 12
		if err := auth.SaveSettings(ctx, d, set); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(auth.ThrottleWindow + time.Second)
		spray := withClient(context.Background(), "192.0.2.21")
		for i := 0; i < 12; i++ {
			if _, _, err := s.Login(spray, fmt.Sprintf("nobody%d", i), "x"); !apperr.Is(err, apperr.Unauthenticated) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		if _, _, err := s.Login(spray, "leader", pw); !apperr.Is(err, apperr.RateLimited) {
			t.Fatalf("over the address ceiling: want rate_limited, got %v", err)
		}
	})
}

// Wrong old passwords on the change-password form count toward the
// lockout, like wrong passwords at sign-in.
func TestWrongOldPasswordCountsTowardLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s, _ := setup(t, d)
		freezeClock(t)
		set := auth.DefaultSettings()
		ctx := actorCtx(t, s, "leader")
		for i := 1; i < set.LockoutThreshold; i++ {
			if err := s.ChangePassword(ctx, "not-the-old-one", "Qinghe#2026new1"); !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("attempt %d: want invalid old password, got %v", i, err)
			}
		}
		if err := s.ChangePassword(ctx, "not-the-old-one", "Qinghe#2026new1"); !apperr.Is(err, apperr.Locked) {
			t.Fatalf("attempt %d: want locked, got %v", set.LockoutThreshold, err)
		}
		if _, _, err := s.Login(withClient(context.Background(), "10.0.0.8"), "leader", pw); !apperr.Is(err, apperr.Locked) {
			t.Fatalf("sign-in after the lockout: want locked, got %v", err)
		}
	})
}
