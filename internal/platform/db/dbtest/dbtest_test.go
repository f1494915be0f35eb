package dbtest

import (
	"context"
	"testing"

	"fazhi/internal/platform/db"
)

func TestEachMigratesAndIsolates(t *testing.T) {
	ran := 0
	Each(t, func(t *testing.T, d *db.DB) {
		ran++
		ctx := context.Background()
		if _, err := d.Exec(ctx, "INSERT INTO app_meta (key, value) VALUES (?, ?)", "k", "v"); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM app_meta WHERE key = ?", "k").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("want 1 row in a fresh database, got %d", n)
		}
	})
	want := 1
	if PG() {
		want = 2
	}
	if ran != want {
		t.Fatalf("ran %d databases, want %d", ran, want)
	}
}
