package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fazhi/internal/org"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// startServe runs `fazhi serve` in-process on addr and returns its output
// buffers and exit channel; cancel ctx to stop it.
func startServe(ctx context.Context, args ...string) (out, errb *syncBuffer, done chan int) {
	out, errb, done = &syncBuffer{}, &syncBuffer{}, make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"serve"}, args...), out, errb) }()
	return out, errb, done
}

// waitStarted waits for serve's "fazhi 已启动" line; an exit before it fails.
func waitStarted(t *testing.T, name string, out, errb *syncBuffer, done chan int) {
	t.Helper()
	deadline := time.Now().Add(4 * time.Minute)
	for !strings.Contains(out.String(), "fazhi 已启动") {
		select {
		case code := <-done:
			t.Fatalf("%s exited %d before starting:\n%s\n%s", name, code, out.String(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not started:\n%s\n%s", name, out.String(), errb.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Issue 20, start-up races: three `fazhi serve --demo-if-empty` started
// together on an already migrated, empty database (the case that crashed
// one start in three with duplicate built-in roles or org units) all start;
// exactly one loads the demo; the built-in roles and the loaded mark exist
// once. On SQLite (a file shared by the processes) and PostgreSQL.
func TestThreeServesStartTogether(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	dsns := map[string]string{"sqlite": filepath.Join(t.TempDir(), "f.db")}
	if dbtest.PG() {
		dsns["postgres"] = dbtest.NewPGDatabase(t)
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			var mo, me syncBuffer
			if code := run(context.Background(), []string{"migrate", "--db", dsn}, &mo, &me); code != 0 {
				t.Fatalf("migrate: %d %s", code, me.String())
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			keyFile := filepath.Join(t.TempDir(), "audit.key")
			type proc struct {
				out, errb *syncBuffer
				done      chan int
				addr      string
			}
			var procs []proc
			for i := 0; i < 3; i++ {
				addr := freeAddr(t)
				out, errb, done := startServe(ctx, "--addr", addr, "--db", dsn, "--data-dir", t.TempDir(), "--audit-key-file", keyFile, "--demo-if-empty")
				procs = append(procs, proc{out, errb, done, addr})
			}
			loaded := 0
			for i, p := range procs {
				waitStarted(t, fmt.Sprintf("serve #%d", i+1), p.out, p.errb, p.done)
				if strings.Contains(p.out.String(), "演示数据已载入") {
					loaded++
				}
				if code := getStatus(t, "http://"+p.addr+"/readyz"); code != http.StatusOK {
					t.Fatalf("serve #%d /readyz %d after start", i+1, code)
				}
			}
			if loaded != 1 {
				t.Fatalf("%d processes loaded the demo, want exactly 1", loaded)
			}
			cancel()
			for _, p := range procs {
				<-p.done
			}
			d, err := db.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var roles, marks, roots int
			if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM roles WHERE builtin = 1").Scan(&roles); err != nil {
				t.Fatal(err)
			}
			if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM app_meta WHERE key = 'data_loaded'").Scan(&marks); err != nil {
				t.Fatal(err)
			}
			if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM org_units WHERE parent_id IS NULL").Scan(&roots); err != nil {
				t.Fatal(err)
			}
			if roles != len(org.BuiltinRoles) || marks != 1 || roots != 1 {
				t.Fatalf("built-in roles %d (want %d), loaded marks %d, root units %d (want 1 each)", roles, len(org.BuiltinRoles), marks, roots)
			}
		})
	}
}

// Issue 20, silent while waiting: while another process holds the start-up
// lock, a starting serve answers /readyz at once with 503 "starting" (and
// /healthz 200 "starting"), then ready once the lock is released.
func TestServeAnswersStartingWhileWaiting(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "f.db")
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	release, err := d.StartupLock(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	addr := freeAddr(t)
	out, errb, done := startServe(sctx, "--addr", addr, "--db", dsn, "--data-dir", t.TempDir())
	var body struct{ Status, Message string }
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := (&http.Client{Timeout: 2 * time.Second}).Get("http://" + addr + "/readyz")
		if err == nil {
			json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable || body.Status != "starting" || !strings.Contains(body.Message, "正在启动") {
				t.Fatalf("/readyz while waiting: %d %+v", resp.StatusCode, body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer while waiting: %v\n%s", err, errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code := getStatus(t, "http://"+addr+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz while waiting: %d", code)
	}
	if code := getStatus(t, "http://"+addr+"/api/me"); code != http.StatusServiceUnavailable {
		t.Fatalf("/api/me while waiting: %d", code)
	}
	time.Sleep(300 * time.Millisecond)
	if strings.Contains(out.String(), "fazhi 已启动") {
		t.Fatal("started while another process held the start-up lock")
	}
	release()
	waitStarted(t, "serve", out, errb, done)
	if code := getStatus(t, "http://"+addr+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz after start: %d", code)
	}
	if strings.Contains(errb.String(), "数据库无响应") || strings.Contains(errb.String(), "database not answering") {
		t.Fatalf("probes logged as failures: %s", errb.String())
	}
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
