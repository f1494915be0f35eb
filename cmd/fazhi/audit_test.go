package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"fazhi/internal/app"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// demoDB loads the demo into dsn and returns an open handle for tampering.
func demoDB(t *testing.T, dsn string) *db.DB {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, app.Config{DB: dsn})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.LoadDemo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if code, _, stderr := runCLI(t, "user", "add", "--username", "zhao_wj", "--password", "Qinghe#2026zz", "--role", "clerk", "--unit", "QH114000", "--name", "赵文静", "--db", dsn); code != 0 {
		t.Fatalf("user add: %s", stderr)
	}
	if code, _, stderr := runCLI(t, "user", "reset-password", "--username", "zhao_wj", "--password", "Qinghe#2026yy", "--db", dsn); code != 0 {
		t.Fatalf("reset-password: %s", stderr)
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestAuditVerifyDetectsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper string
		want   string // substring naming the broken event
	}{
		{"untouched", "", ""},
		{"edit summary", "UPDATE audit_events SET summary = '载入演示组织机构：0 个单位' WHERE seq = 4", "第 4 条事件"},
		{"edit actor", "UPDATE audit_events SET actor_name = 'nobody' WHERE seq = 2", "第 2 条事件"},
		{"delete middle", "DELETE FROM audit_events WHERE seq = 3", "第 4 条事件"},
		{"delete newest", "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)", "最新的事件已被删除"},
		{"rehash without head", "UPDATE audit_events SET hash = 'x' WHERE seq = 5", "第 5 条事件"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.EachDSN(t, func(t *testing.T, dsn string) {
				d := demoDB(t, dsn)
				if c.tamper != "" {
					if _, err := d.Exec(context.Background(), c.tamper); err != nil {
						t.Fatal(err)
					}
				}
				code, stdout, stderr := runCLI(t, "audit", "verify", "--db", dsn)
				if c.want == "" {
					if code != 0 || !strings.Contains(stdout, "哈希链校验通过") {
						t.Fatalf("untouched chain: exit %d, %s %s", code, stdout, stderr)
					}
					return
				}
				if code == 0 {
					t.Fatalf("tampering not detected: %s", stdout)
				}
				if !strings.Contains(stderr, c.want) {
					t.Fatalf("want %q in %q", c.want, stderr)
				}
			})
		})
	}
}

func TestUserAddRefusesTwoAdminRoles(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		code, _, stderr := runCLI(t, "user", "add", "--username", "boss", "--password", "Qinghe#2026zz", "--role", "sysadmin,auditor", "--db", dsn)
		if code == 0 || !strings.Contains(stderr, "三员分立") {
			t.Fatalf("exit %d, %s", code, stderr)
		}
		// The audit role stands alone (issue 10).
		code, _, stderr = runCLI(t, "user", "add", "--username", "boss", "--password", "Qinghe#2026zz", "--role", "auditor,leader", "--db", dsn)
		if code == 0 || !strings.Contains(stderr, "审计管理员不能兼任其他任何角色") {
			t.Fatalf("auditor+leader: exit %d, %s", code, stderr)
		}
		code, stdout, stderr := runCLI(t, "user", "add", "--username", "boss", "--password", "Qinghe#2026zz", "--role", "leader", "--db", dsn)
		if code != 0 || !strings.Contains(stdout, "已创建账号 boss") {
			t.Fatalf("exit %d, %s %s", code, stdout, stderr)
		}
		code, _, stderr = runCLI(t, "user", "add", "--username", "weak", "--password", "short", "--role", "leader", "--db", dsn)
		if code == 0 || !strings.Contains(stderr, "密码长度至少 12 位") {
			t.Fatalf("weak password: exit %d, %s", code, stderr)
		}
	})
}
