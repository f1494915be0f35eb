package reminders

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestTwoServeProcessesDeliverOnce is the must-show: two real
// `fazhi serve` processes share one fresh PostgreSQL database, reminders
// fall due while both poll every 50 ms, and each reminder is delivered
// exactly once: one notification row per reminder and recipient, one
// "notification sent" log line across both processes, one attempt per job.
func TestTwoServeProcessesDeliverOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	dsn := dbtest.NewPGDatabase(t) // skips without FAZHI_TEST_PG
	ctx := context.Background()

	bin := filepath.Join(t.TempDir(), "fazhi")
	build := exec.Command("go", "build", "-o", bin, "fazhi/cmd/fazhi")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	type proc struct {
		cmd    *exec.Cmd
		stderr *syncBuffer
		done   chan struct{}
	}
	var procs []*proc
	// Servers sharing one database share its audit key (docs/security.md):
	// the first creates the file, the second loads it.
	keyFile := filepath.Join(t.TempDir(), "audit.key")
	for i := 0; i < 2; i++ {
		p := &proc{stderr: &syncBuffer{}, done: make(chan struct{})}
		p.cmd = exec.Command(bin, "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(),
			"--audit-key-file", keyFile, "--job-interval", "50ms", "--log-format", "json", "--log-level", "debug")
		p.cmd.Env = append(os.Environ(), "FAZHI_DB=", "FAZHI_ADDR=")
		stdout, _ := p.cmd.StdoutPipe()
		p.cmd.Stderr = p.stderr
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(stdout)
			once := false
			for sc.Scan() {
				if !once && strings.Contains(sc.Text(), "fazhi 已启动") {
					once = true
					close(ready)
				}
			}
		}()
		go func() { p.cmd.Wait(); close(p.done) }()
		t.Cleanup(func() {
			p.cmd.Process.Signal(os.Interrupt)
			select {
			case <-p.done:
			case <-time.After(20 * time.Second):
				p.cmd.Process.Kill()
			}
		})
		select {
		case <-ready:
		case <-p.done:
			t.Fatalf("fazhi serve #%d exited: %s", i+1, p.stderr.String())
		case <-time.After(60 * time.Second):
			t.Fatalf("fazhi serve #%d not ready: %s", i+1, p.stderr.String())
		}
		procs = append(procs, p)
	}

	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	// Reminders fall due one second from now, while both processes poll.
	const n = 30
	due := time.Now().Add(time.Second)
	for i := 0; i < n; i++ {
		_, err := Schedule(ctx, d, Reminder{Key: fmt.Sprintf("finding:%d:rectify", i), UserIDs: []int64{1001, 1002},
			Title: fmt.Sprintf("问题 %d 整改期限已到", i), Due: due, Offsets: []time.Duration{0}})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The same reminder scheduled again by another request: no second job.
	if c, _ := Schedule(ctx, d, Reminder{Key: "finding:0:rectify", UserIDs: []int64{1001, 1002}, Title: "问题 0 整改期限已到", Due: due, Offsets: []time.Duration{0}}); c != 0 {
		t.Fatalf("duplicate schedule created %d jobs", c)
	}

	deadline := time.Now().Add(30 * time.Second)
	for {
		var done int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM jobs WHERE kind = ? AND status = 'done'", Kind).Scan(&done); err != nil {
			t.Fatal(err)
		}
		if done == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d reminders done\n#1: %s\n#2: %s", done, n, procs[0].stderr.String(), procs[1].stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // let any duplicate run show itself

	var rows, retried int
	d.QueryRow(ctx, "SELECT COUNT(*) FROM notifications").Scan(&rows)
	// Only this engine's jobs: other modules queue their own (enforcement's
	// nightly rules run waits for 02:00 with no attempt yet).
	// Only the reminders this test scheduled: modules schedule their own at
	// start-up (the annual report's 1 March / 1 April reminders wait, with
	// no attempt yet, for next year).
	d.QueryRow(ctx, "SELECT COUNT(*) FROM jobs WHERE kind = ? AND unique_key LIKE 'reminder:finding:%' AND attempts <> 1", Kind).Scan(&retried)
	if rows != 2*n {
		t.Fatalf("notification rows = %d, want %d (one per reminder and recipient)", rows, 2*n)
	}
	var perUser int
	d.QueryRow(ctx, "SELECT COUNT(*) FROM notifications WHERE user_id = 1001 AND title = '问题 7 整改期限已到'").Scan(&perUser)
	if perUser != 1 {
		t.Fatalf("user 1001 got %d notifications for reminder 7", perUser)
	}
	if retried != 0 {
		var why []string
		if rs, err := d.Query(ctx, "SELECT id, attempts, COALESCE(last_error, '') FROM jobs WHERE kind = ? AND unique_key LIKE 'reminder:finding:%' AND attempts <> 1", Kind); err == nil {
			for rs.Next() {
				var id int64
				var n int
				var e string
				_ = rs.Scan(&id, &n, &e)
				why = append(why, fmt.Sprintf("job %d: %d attempts, last error %q", id, n, e))
			}
			rs.Close()
		}
		t.Fatalf("%d jobs ran more than once: %s", retried, strings.Join(why, "; "))
	}
	sent := 0
	for i, p := range procs {
		c := strings.Count(p.stderr.String(), `"msg":"notification sent"`)
		t.Logf("process #%d sent %d messages", i+1, c)
		sent += c
	}
	if sent != 2*n {
		t.Fatalf("messages sent across both processes = %d, want %d", sent, 2*n)
	}
}
