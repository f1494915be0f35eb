package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Bad configuration stops at once with a Chinese message naming the problem
// and a non-zero exit code — never a stack trace.
func TestServeBadConfiguration(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	// A regular file where the data directory should be: cannot be
	// created or written, even by root.
	notDir := filepath.Join(t.TempDir(), "plainfile")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"serve", "--no-such-flag"}, "未知参数"},
		{"unreachable database", []string{"serve", "--addr", "127.0.0.1:0", "--db", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"}, "无法连接 PostgreSQL"},
		{"unwritable data directory", []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(notDir, "f.db")}, "数据目录"},
		{"non-existent parent under /proc", []string{"serve", "--addr", "127.0.0.1:0", "--db", "/proc/fazhi-nope/f.db"}, "数据目录"},
		{"port in use", []string{"serve", "--addr", busy.Addr().String(), "--db", filepath.Join(t.TempDir(), "f.db")}, "端口是否已被占用"},
		{"bad log format", []string{"serve", "--log-format", "xml"}, "--log-format"},
		{"bad normdoc period", []string{"serve", "--normdoc-valid-years", "11"}, "--normdoc-valid-years（FAZHI_NORMDOC_VALID_YEARS）应为 1 到 10 之间的整数"},
		{"bad normdoc reminders", []string{"demo", "--db", filepath.Join(t.TempDir(), "f.db"), "--normdoc-expiry-reminder-days", "90,x"}, "FAZHI_NORMDOC_EXPIRY_REMINDER_DAYS"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var out, errb strings.Builder
			start := time.Now()
			code := run(ctx, c.args, &out, &errb)
			if code == 0 {
				t.Fatalf("exit 0, want non-zero; stderr %q", errb.String())
			}
			if !strings.Contains(errb.String(), c.want) {
				t.Fatalf("stderr %q does not mention %q", errb.String(), c.want)
			}
			if strings.Contains(errb.String(), "goroutine") || strings.Contains(errb.String(), "panic") {
				t.Fatalf("stack trace on stderr: %s", errb.String())
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Fatalf("took %v to fail; should stop at once", d)
			}
		})
	}
}

func TestHelpAndUnknownCommand(t *testing.T) {
	var out, errb strings.Builder
	if code := run(context.Background(), []string{"help"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "serve") || !strings.Contains(out.String(), "deadline") {
		t.Fatalf("help: code %d out %q", code, out.String())
	}
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"frobnicate"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "未知命令") {
		t.Fatalf("unknown command: code %d err %q", code, errb.String())
	}
}
