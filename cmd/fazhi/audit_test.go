package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fazhi/internal/app"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"

	"github.com/emmansun/gmsm/sm3"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// auditFiles are the flags naming the audit key and checkpoint files in
// dataDir (commands other than serve and audit have no --data-dir).
func auditFiles(dataDir string) []string {
	return []string{"--audit-key-file", filepath.Join(dataDir, "audit.key"), "--audit-checkpoint-file", filepath.Join(dataDir, "audit-checkpoints.log")}
}

// demoDB loads the demo into dsn, with its audit key and checkpoints in
// dataDir, and returns an open handle for tampering.
func demoDB(t *testing.T, dsn, dataDir string) *db.DB {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, app.Config{DB: dsn, DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.LoadDemo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if code, _, stderr := runCLI(t, append([]string{"user", "add", "--username", "zhao_wj", "--password", "Qinghe#2026zz", "--role", "clerk", "--unit", "QH114000", "--name", "赵文静", "--db", dsn}, auditFiles(dataDir)...)...); code != 0 {
		t.Fatalf("user add: %s", stderr)
	}
	if code, _, stderr := runCLI(t, append([]string{"user", "reset-password", "--username", "zhao_wj", "--password", "Qinghe#2026yy", "--db", dsn}, auditFiles(dataDir)...)...); code != 0 {
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
		attack func(t *testing.T, d *db.DB) // instead of tamper: a scripted attacker
		want   string                       // substring naming the broken event
	}{
		{name: "untouched"},
		{name: "edit summary", tamper: "UPDATE audit_events SET summary = '载入演示组织机构：0 个单位' WHERE seq = 4", want: "第 4 条事件"},
		{name: "edit actor", tamper: "UPDATE audit_events SET actor_name = 'nobody' WHERE seq = 2", want: "第 2 条事件"},
		{name: "delete middle", tamper: "DELETE FROM audit_events WHERE seq = 3", want: "第 4 条事件"},
		{name: "delete newest", tamper: "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)", want: "最新的事件已被删除"},
		{name: "rehash without head", tamper: "UPDATE audit_events SET hash = 'x' WHERE seq = 5", want: "第 5 条事件"},
		// Issue 10: an attacker with database write access but not the key.
		{name: "rewrite and recompute the chain", attack: func(t *testing.T, d *db.DB) { rehashFrom(t, d, 4) }, want: "第 4 条事件"},
		{name: "delete the tail and move the head", attack: func(t *testing.T, d *db.DB) { truncateTail(t, d, 3) }, want: "其后的事件已被删除，链头被移回"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.EachDSN(t, func(t *testing.T, dsn string) {
				dataDir := t.TempDir()
				d := demoDB(t, dsn, dataDir)
				if c.tamper != "" {
					if _, err := d.Exec(context.Background(), c.tamper); err != nil {
						t.Fatal(err)
					}
				}
				if c.attack != nil {
					c.attack(t, d)
				}
				code, stdout, stderr := runCLI(t, "audit", "verify", "--db", dsn, "--data-dir", dataDir)
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

// rehashFrom is the attacker who edits event from and recomputes the hash
// chain from there on (the plain SM3 chain fazhi wrote before issue 10),
// then moves the chain head to match.
func rehashFrom(t *testing.T, d *db.DB, from int64) {
	t.Helper()
	ctx := context.Background()
	type row struct {
		seq                    int64
		fields                 []string
		prev, summary, newHash string
	}
	rows, err := d.Query(ctx, `SELECT seq, at, COALESCE(actor_id, 0), actor_name, ip, action, object_type, object_id, COALESCE(unit_id, 0),
		summary, before_data, after_data, result, prev_hash FROM audit_events WHERE seq >= ? ORDER BY seq`, from)
	if err != nil {
		t.Fatal(err)
	}
	var evs []row
	for rows.Next() {
		var r row
		var actor, unit int64
		f := make([]string, 12)
		if err := rows.Scan(&r.seq, &f[0], &actor, &f[1], &f[2], &f[3], &f[4], &f[5], &unit, &f[6], &f[7], &f[8], &f[9], &r.prev); err != nil {
			t.Fatal(err)
		}
		r.fields = []string{fmt.Sprint(r.seq), f[0], fmt.Sprint(actor), f[1], f[2], f[3], f[4], f[5], fmt.Sprint(unit), f[6], f[7], f[8], f[9], "sm3"}
		evs = append(evs, r)
	}
	rows.Close()
	evs[0].fields[9] = "（已改写）" // the summary
	prev := evs[0].prev
	for i := range evs {
		var b strings.Builder
		for _, f := range append(evs[i].fields, prev) {
			fmt.Fprintf(&b, "%d:%s|", len(f), f)
		}
		sum := sm3.Sum([]byte(b.String()))
		h := hex.EncodeToString(sum[:])
		if _, err := d.Exec(ctx, "UPDATE audit_events SET summary = ?, alg = 'sm3', prev_hash = ?, hash = ? WHERE seq = ?", evs[i].fields[9], prev, h, evs[i].seq); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
	if _, err := d.Exec(ctx, "UPDATE audit_chain_head SET last_seq = ?, hash = ? WHERE id = 1", evs[len(evs)-1].seq, prev); err != nil {
		t.Fatal(err)
	}
}

// truncateTail deletes the newest n events and moves the chain head back to
// the one before them, so that the table alone looks whole.
func truncateTail(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ctx := context.Background()
	var last int64
	if err := d.QueryRow(ctx, "SELECT last_seq FROM audit_chain_head WHERE id = 1").Scan(&last); err != nil {
		t.Fatal(err)
	}
	keep := last - int64(n)
	var hash string
	if err := d.QueryRow(ctx, "SELECT hash FROM audit_events WHERE seq = ?", keep).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, "DELETE FROM audit_events WHERE seq > ?", keep); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, "UPDATE audit_chain_head SET last_seq = ?, hash = ? WHERE id = 1", keep, hash); err != nil {
		t.Fatal(err)
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

// TestAuditKeyRotationCLI rotates the key between two writes: the chain
// verifies across the rotation, the rotation is itself an audit event, and
// without the old key the old events no longer verify.
func TestAuditKeyRotationCLI(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		dataDir := t.TempDir()
		demoDB(t, dsn, dataDir).Close()
		code, stdout, stderr := runCLI(t, "audit", "rotate-key", "--db", dsn, "--data-dir", dataDir)
		if code != 0 || !strings.Contains(stdout, "已在") || !strings.Contains(stdout, "追加新的审计签名密钥") {
			t.Fatalf("rotate-key: exit %d, %s %s", code, stdout, stderr)
		}
		if code, _, stderr := runCLI(t, append([]string{"user", "add", "--username", "qian_l", "--password", "Qinghe#2026qq", "--role", "clerk", "--unit", "QH114000", "--db", dsn}, auditFiles(dataDir)...)...); code != 0 {
			t.Fatalf("user add after rotation: %s", stderr)
		}
		code, stdout, stderr = runCLI(t, "audit", "verify", "--db", dsn, "--data-dir", dataDir)
		if code != 0 || !strings.Contains(stdout, "哈希链校验通过（签名密钥 2 个）") {
			t.Fatalf("verify across rotation: exit %d, %s %s", code, stdout, stderr)
		}
		d, err := db.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		var rotations int
		d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE action = 'audit.key.rotate'").Scan(&rotations)
		if rotations != 1 {
			t.Fatalf("audit.key.rotate events: %d", rotations)
		}

		// Only the new key (the old line removed): the old events fail.
		keyFile := filepath.Join(dataDir, "audit.key")
		b, err := os.ReadFile(keyFile)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		newOnly := filepath.Join(t.TempDir(), "new-only.key")
		os.WriteFile(newOnly, []byte(lines[len(lines)-1]+"\n"), 0o600)
		code, _, stderr = runCLI(t, "audit", "verify", "--db", dsn, "--data-dir", dataDir, "--audit-key-file", newOnly)
		if code != 1 || !strings.Contains(stderr, "第 1 条事件") || !strings.Contains(stderr, "不在密钥文件中") {
			t.Fatalf("verify without the old key: exit %d, %s", code, stderr)
		}
	})
}

func TestAuditVerifyKeyErrors(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "fazhi.db")
	code, _, stderr := runCLI(t, "audit", "verify", "--db", dsn)
	if code != 1 || !strings.Contains(stderr, "找不到审计密钥") || !strings.Contains(stderr, filepath.Join(dir, "audit.key")) {
		t.Fatalf("no key: exit %d, %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "audit", "verify", "--db", dsn, "--audit-hash", "md5")
	if code != 1 || !strings.Contains(stderr, "--audit-hash（FAZHI_AUDIT_HASH）只能是 sm3 或 sha256") {
		t.Fatalf("bad hash: exit %d, %s", code, stderr)
	}
	t.Setenv("FAZHI_AUDIT_KEY", strings.Repeat("ab", 32))
	code, _, stderr = runCLI(t, "audit", "rotate-key", "--db", dsn)
	if code != 1 || !strings.Contains(stderr, "FAZHI_AUDIT_KEY") {
		t.Fatalf("rotate with the key in the environment: exit %d, %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "audit", "rotate")
	if code != 2 || !strings.Contains(stderr, "fazhi audit rotate-key") {
		t.Fatalf("unknown subcommand: exit %d, %s", code, stderr)
	}
}
