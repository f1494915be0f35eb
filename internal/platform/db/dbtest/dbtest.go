// Package dbtest gives tests a migrated database: SQLite in a temporary
// directory always, and a fresh PostgreSQL database when FAZHI_TEST_PG names
// a server (a base DSN such as
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable). Each
// PostgreSQL database is created for one test and dropped after it.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"fazhi/internal/platform/audit/auditkey"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/testenv"
)

// EnvPG names the environment variable holding the base PostgreSQL DSN
// (read once, by testenv: a test harness setting, not a Config field).
const EnvPG = testenv.EnvPG

// Open returns a migrated SQLite database in t.TempDir(), closed at cleanup.
func Open(t testing.TB) *db.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "test.db"))
}

// OpenPG returns a migrated, freshly created PostgreSQL database, dropped at
// cleanup. It skips the test when FAZHI_TEST_PG is not set.
func OpenPG(t testing.TB) *db.DB {
	t.Helper()
	dsn := NewPGDatabase(t)
	return open(t, dsn)
}

// NewPGDatabase creates an empty database fazhi_test_<random> on the server
// named by FAZHI_TEST_PG and returns its DSN; it is dropped at cleanup. The
// test is skipped when the variable is not set.
func NewPGDatabase(t testing.TB) string {
	t.Helper()
	base := testenv.PGBase
	if base == "" {
		t.Skip(EnvPG + " not set")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvPG, err)
	}
	var rb [6]byte
	_, _ = rand.Read(rb[:])
	name := "fazhi_test_" + hex.EncodeToString(rb[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvPG, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	admin.Close()
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Logf("drop %s: %v", name, err)
			return
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

func open(t testing.TB, dsn string) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	d.SetAuditKeys(AuditKeys())
	// Registered before the PostgreSQL drop (cleanups run last-in first-out),
	// so the pools are closed before the database is dropped.
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return d
}

// testAuditSecret is the fixed audit key of test databases.
var testAuditSecret = []byte("fazhi test audit key, not secret")

// AuditKeys is the key ring every test database signs its audit rows with:
// a fixed test key, so that a second handle on the same database (opened
// with db.Open and given these keys) verifies the chain too.
func AuditKeys() *auditkey.Keyring {
	kr, err := auditkey.New(auditkey.SM3, testAuditSecret)
	if err != nil {
		panic(err)
	}
	return kr
}

// PG reports whether PostgreSQL tests are enabled.
func PG() bool { return testenv.PGBase != "" }

// Each runs fn as the subtest "sqlite" and, when FAZHI_TEST_PG is set, as
// "postgres", each on its own freshly migrated database.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, Open(t)) })
	if PG() {
		t.Run("postgres", func(t *testing.T) { fn(t, OpenPG(t)) })
	}
}

// DSNs returns the DSNs to run a whole-application test against: a SQLite
// file in t.TempDir() and, when enabled, a fresh PostgreSQL database. Keys
// are "sqlite" and "postgres". The databases are not migrated.
func DSNs(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{"sqlite": filepath.Join(t.TempDir(), "app.db")}
	if PG() {
		out["postgres"] = NewPGDatabase(t)
	}
	return out
}

// EachDSN runs fn as subtests "sqlite" and (when enabled) "postgres" with an
// unmigrated DSN for each, for tests that build the whole App or run CLI
// commands.
func EachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "app.db")) })
	if PG() {
		t.Run("postgres", func(t *testing.T) { fn(t, NewPGDatabase(t)) })
	}
}
