// Package reliability drives a real `fazhi serve` (the binary FAZHI_BIN)
// through faults — SIGKILL in the middle of writes and of an import,
// many clients racing on one record — and checks what survives against
// what the clients were told (issue 20). The fast cases run in `make test`;
// `make soak` runs them longer (FAZHI_SOAK=1). Each test prints RELIABILITY
// lines with its figures (docs/reliability.md records them).
package reliability

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fazhi/internal/platform/db"
)

const demoPassword = "Fazhi@2026demo"

// soak reports whether the long variants were asked for (make soak).
func soak() bool { return os.Getenv("FAZHI_SOAK") != "" }

// binary is the fazhi binary under test; the suite is skipped without one
// (make test builds it first and sets FAZHI_BIN).
func binary(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("FAZHI_BIN")
	if bin == "" {
		t.Skip("FAZHI_BIN not set (make test sets it after building bin/fazhi)")
	}
	// A relative path names a file from the repository root (make passes
	// bin/fazhi); go test runs in this package's directory, two below it.
	abs := bin
	if !filepath.IsAbs(bin) {
		abs = filepath.Join("..", "..", bin)
	}
	abs, err := filepath.Abs(abs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatalf("FAZHI_BIN: %v", err)
	}
	return abs
}

// store is one database the server runs on: an SQLite file in a temporary
// directory, or a fresh PostgreSQL database dropped at the end.
type store struct {
	name string // "sqlite" or "postgres"
	dsn  string
	dir  string // data directory (files, keys)
}

// templates hold one demo database per kind, loaded once per run by
// `fazhi demo`: each test starts from a copy (an SQLite file copy, a
// PostgreSQL CREATE DATABASE … TEMPLATE), not from a fresh demo load of a
// minute or more.
var templates struct {
	mu     sync.Mutex
	sqlite *store
	pg     *store
	pgAdm  *sql.DB
}

// TestMain drops the PostgreSQL template after the run.
func TestMain(m *testing.M) {
	code := m.Run()
	templates.mu.Lock()
	if templates.pg != nil && templates.pgAdm != nil {
		_, _ = templates.pgAdm.Exec("DROP DATABASE IF EXISTS " + templates.pg.name + " WITH (FORCE)")
		templates.pgAdm.Close()
	}
	if templates.sqlite != nil {
		os.RemoveAll(templates.sqlite.dir)
	}
	if templates.pg != nil {
		os.RemoveAll(templates.pg.dir)
	}
	templates.mu.Unlock()
	os.Exit(code)
}

func loadDemo(t *testing.T, bin string, st store) {
	t.Helper()
	out, err := exec.Command(bin, "demo", "--db", st.dsn, "--data-dir", st.dir).CombinedOutput()
	if err != nil {
		t.Fatalf("fazhi demo: %v\n%s", err, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// eachStore runs f on SQLite and, when FAZHI_TEST_PG is set, on
// PostgreSQL, each time on a new copy of the demo database (with its audit
// key) that no other test touches.
func eachStore(t *testing.T, f func(t *testing.T, s store)) {
	bin := binary(t)
	t.Run("sqlite", func(t *testing.T) {
		templates.mu.Lock()
		if templates.sqlite == nil {
			dir, err := os.MkdirTemp("", "fazhi-rel-tmpl-")
			if err != nil {
				templates.mu.Unlock()
				t.Fatal(err)
			}
			tmpl := store{name: "sqlite", dsn: filepath.Join(dir, "fazhi.db"), dir: dir}
			loadDemo(t, bin, tmpl)
			templates.sqlite = &tmpl
		}
		tmpl := *templates.sqlite
		templates.mu.Unlock()
		dir := t.TempDir()
		copyFile(t, tmpl.dsn, filepath.Join(dir, "fazhi.db"))
		if _, err := os.Stat(tmpl.dsn + "-wal"); err == nil { // fazhi demo closed cleanly: normally none
			copyFile(t, tmpl.dsn+"-wal", filepath.Join(dir, "fazhi.db-wal"))
		}
		copyFile(t, filepath.Join(tmpl.dir, "audit.key"), filepath.Join(dir, "audit.key"))
		f(t, store{name: "sqlite", dsn: filepath.Join(dir, "fazhi.db"), dir: dir})
	})
	base := os.Getenv("FAZHI_TEST_PG")
	t.Run("postgres", func(t *testing.T) {
		if base == "" {
			t.Skip("FAZHI_TEST_PG not set")
		}
		dsnOf := func(name string) string {
			dsn := strings.Replace(base, "/postgres?", "/"+name+"?", 1)
			if dsn == base {
				t.Fatalf("FAZHI_TEST_PG should name the database postgres: %s", base)
			}
			return dsn
		}
		templates.mu.Lock()
		if templates.pg == nil {
			admin, err := sql.Open("pgx", base)
			if err == nil {
				name := fmt.Sprintf("fazhi_rel_tmpl_%d", os.Getpid())
				_, err = admin.Exec("CREATE DATABASE " + name)
				templates.pgAdm = admin
				if err == nil {
					dir, derr := os.MkdirTemp("", "fazhi-rel-tmpl-")
					if derr != nil {
						templates.mu.Unlock()
						t.Fatal(derr)
					}
					tmpl := store{name: name, dsn: dsnOf(name), dir: dir}
					templates.pg = &tmpl
					loadDemo(t, bin, tmpl)
				}
			}
			if err != nil {
				templates.mu.Unlock()
				t.Fatal(err)
			}
		}
		tmpl, admin := *templates.pg, templates.pgAdm
		name := fmt.Sprintf("fazhi_rel_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
		_, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + tmpl.name)
		templates.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
		dir := t.TempDir()
		copyFile(t, filepath.Join(tmpl.dir, "audit.key"), filepath.Join(dir, "audit.key"))
		f(t, store{name: "postgres", dsn: dsnOf(name), dir: dir})
	})
}

// server is one running `fazhi serve`.
type server struct {
	t    *testing.T
	bin  string
	st   store
	addr string
	cmd  *exec.Cmd
	log  *bytes.Buffer
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// start runs the server on st and waits until /readyz answers.
func start(t *testing.T, bin string, st store) *server {
	t.Helper()
	s := &server{t: t, bin: bin, st: st, addr: freePort(t), log: &bytes.Buffer{}}
	s.cmd = exec.Command(bin, "serve", "--addr", s.addr, "--data-dir", st.dir, "--db", st.dsn)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.kill() })
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if s.cmd.ProcessState != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("fazhi serve not ready on %s:\n%s", s.addr, s.log.String())
	return nil
}

// kill stops the server with SIGKILL (no shutdown, no flush) and waits.
func (s *server) kill() {
	if s.cmd == nil || s.cmd.Process == nil || s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
}

// client is one signed-in user agent (its own cookie jar).
type client struct {
	base string
	http *http.Client
}

func login(t *testing.T, s *server, user string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{base: "http://" + s.addr, http: &http.Client{Jar: jar, Timeout: 2 * time.Minute}}
	code, body, err := c.do("POST", "/api/auth/login", map[string]string{"username": user, "password": demoPassword})
	if err != nil || code != http.StatusOK {
		t.Fatalf("login %s: %d %s %v", user, code, body, err)
	}
	return c
}

// do sends a JSON (or raw []byte) request and returns the status and body.
func (c *client) do(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ctype = bytes.NewReader(b), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Origin", c.base)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// open connects to the store directly (the server stopped) for the checks
// the API does not expose: audit events and the integrity check.
func open(t *testing.T, st store) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), st.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// auditVerify runs `fazhi audit verify` on the store and fails the test
// unless the chain verifies.
func auditVerify(t *testing.T, bin string, st store) {
	t.Helper()
	out, err := exec.Command(bin, "audit", "verify", "--db", st.dsn, "--data-dir", st.dir).CombinedOutput()
	if err != nil {
		t.Fatalf("audit verify: %v\n%s", err, out)
	}
}

// integrity runs SQLite's integrity check (PostgreSQL has none to run: its
// WAL replay is the check, and the server restarting proves it).
func integrity(t *testing.T, d *db.DB, st store) {
	t.Helper()
	if st.name != "sqlite" {
		return
	}
	var res string
	if err := d.QueryRow(context.Background(), "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
}
