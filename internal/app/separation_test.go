package app

import (
	"context"
	"slices"
	"testing"

	"fazhi/internal/notification"
	"fazhi/internal/org"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// 三员分立: the administrators get no business notifications, neither as a
// unit's staff (they sit in the root unit, which has no head) nor when named.
func TestAdministratorsGetNoBusinessNotifications(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := demoApp(t, dsn)
		id := func(q string, args ...any) int64 {
			t.Helper()
			return scalar[int64](t, a, q, args...)
		}
		admins := map[int64]string{}
		for _, r := range org.AdminRoles {
			admins[id("SELECT id FROM users WHERE username = ?", r)] = r
		}
		root := id("SELECT unit_id FROM users WHERE username = 'sysadmin'")
		clerk := id("SELECT id FROM users WHERE username = 'clerk_sj'")
		named := []int64{clerk}
		for u := range admins {
			named = append(named, u)
		}
		var got []int64
		err := a.DB.WithTx(ctx, func(tx *db.Tx) (err error) {
			got, err = a.Engines().Notifications.Create(ctx, tx, notification.New{UserIDs: named, UnitID: root, Title: "三员分立测试"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(got, clerk) {
			t.Fatalf("the named clerk got nothing: %v", got)
		}
		for _, u := range got {
			if r, ok := admins[u]; ok {
				t.Errorf("administrator %s got a business notification", r)
			}
		}
	})
}
