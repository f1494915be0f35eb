package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupVerifyRestoreCLI(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "live", "fazhi.db")
	demoDB(t, dsn, filepath.Join(dir, "live")).Close()
	// The audit key is kept apart from the backup; restore and verify are
	// told where it is.
	keyFile := filepath.Join(dir, "live", "audit.key")
	out := filepath.Join(dir, "b.tar.gz")

	code, stdout, stderr := runCLI(t, "backup", "--db", dsn, "--out", out)
	if code != 0 || !strings.Contains(stdout, "备份完成："+out) || !strings.Contains(stdout, "SQLite（结构版本") {
		t.Fatalf("backup: exit %d, %s %s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "backup", "--db", dsn, "--out", out)
	if code != 1 || !strings.HasPrefix(stderr, "错误：备份失败：") || !strings.Contains(stderr, "不会覆盖") {
		t.Fatalf("second backup to the same file: exit %d, %s %s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "backup", "verify", out)
	if code != 0 || !strings.Contains(stdout, "SHA-256 全部一致") {
		t.Fatalf("verify: exit %d, %s %s", code, stdout, stderr)
	}

	// Restore refuses the live database, then restores to a new path.
	code, _, stderr = runCLI(t, "restore", "--db", dsn, out)
	if code != 1 || !strings.Contains(stderr, "已存在") {
		t.Fatalf("restore over live database: exit %d, %s", code, stderr)
	}
	target := filepath.Join(dir, "restored", "fazhi.db")
	code, stdout, stderr = runCLI(t, "restore", out, "--db", target, "--audit-key-file", keyFile)
	if code != 0 || !strings.Contains(stdout, "已恢复数据库 "+target) || !strings.Contains(stdout, "哈希链校验通过") {
		t.Fatalf("restore: exit %d, %s %s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "audit", "verify", "--db", target, "--audit-key-file", keyFile)
	if code != 0 {
		t.Fatalf("audit verify on the restored copy: exit %d, %s %s", code, stdout, stderr)
	}

	// One flipped byte fails verification with exit 1 and no stack trace.
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/3] ^= 0x40
	bad := filepath.Join(dir, "bad.tar.gz")
	if err := os.WriteFile(bad, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = runCLI(t, "backup", "verify", bad)
	if code != 1 || !strings.Contains(stderr, "备份文件校验未通过") || strings.Contains(stderr, "goroutine") {
		t.Fatalf("tampered verify: exit %d, %s %s", code, stdout, stderr)
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"backup", "verify"}, 2, "用法：fazhi backup verify"},
		{[]string{"backup", "--bogus"}, 2, "未知参数"},
		{[]string{"restore", "--db", filepath.Join(dir, "x.db")}, 2, "用法：fazhi restore"},
		{[]string{"restore", "--db", "postgres://u@127.0.0.1/x", out}, 1, "pg_restore"},
		{[]string{"backup", "--db", filepath.Join(dir, "none.db"), "--out", filepath.Join(dir, "n.tar.gz")}, 1, "不存在"},
	} {
		code, _, stderr := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %s", c.args, code, stderr)
		}
	}
	if code, stdout, _ := runCLI(t, "help"); code != 0 || !strings.Contains(stdout, "backup") || !strings.Contains(stdout, "restore") {
		t.Fatalf("help does not list backup/restore: %s", stdout)
	}
}
