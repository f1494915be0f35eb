package migrations

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

func names(t *testing.T, fsys fs.FS, dir string) []string {
	t.Helper()
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			out = append(out, e.Name())
		}
	}
	return out
}

// Both dialects must carry the same migrations, or one database would end
// up with a different schema than the other.
func TestDialectsHaveSameMigrations(t *testing.T) {
	s := names(t, SQLite, "sqlite")
	p := names(t, Postgres, "postgres")
	if len(s) == 0 {
		t.Fatal("no SQLite migrations found")
	}
	if !slices.Equal(s, p) {
		t.Fatalf("migration names differ:\nsqlite:   %v\npostgres: %v", s, p)
	}
	for _, n := range s {
		var v int
		if _, err := fmt.Sscanf(n, "%05d_", &v); err != nil || v <= 0 {
			t.Errorf("%s: name must start with a positive version number", n)
		}
	}
}
