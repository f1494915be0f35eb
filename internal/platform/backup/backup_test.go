package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fazhi/internal/app"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/audit/auditkey"
	"fazhi/internal/platform/backup"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// auditKeys is the audit key ring app.New created in dataDir: a second
// handle on the database signs and verifies audit events with it.
func auditKeys(t *testing.T, dataDir string) *auditkey.Keyring {
	t.Helper()
	var s audit.Settings
	if err := s.Normalize(dataDir); err != nil {
		t.Fatal(err)
	}
	kr, err := s.LoadKeys()
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// loadDemo builds the demo district in dsn and puts two evidence files
// (content-addressed like the files engine does) under dataDir/files.
func loadDemo(t *testing.T, dsn, dataDir string) {
	t.Helper()
	ctx := context.Background()
	a, err := app.New(ctx, app.Config{DB: dsn, DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.LoadDemo(ctx, 1); err != nil {
		a.Close()
		t.Fatal(err)
	}
	a.Close()
	for _, content := range []string{"会议纪要：区政府常务会议第 12 次", "合法性审查意见书（样张）"} {
		sum := sha256.Sum256([]byte(content))
		h := hex.EncodeToString(sum[:])
		p := filepath.Join(dataDir, "files", "sha256", h[:2], h)
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The upload spool is not evidence and must not be archived.
	if err := os.WriteFile(filepath.Join(dataDir, "files", ".tmp", "upload-123"), []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
}

// countFiles counts the evidence files under dataDir/files, outside the
// upload spool.
func countFiles(t *testing.T, dataDir string) int {
	t.Helper()
	n := 0
	root := filepath.Join(dataDir, "files")
	err := filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && p == filepath.Join(root, ".tmp") {
			return filepath.SkipDir
		}
		if e.Type().IsRegular() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// tableCounts counts the rows of every ordinary table.
func tableCounts(t *testing.T, d *db.DB) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	var q string
	if d.Dialect() == db.Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
	} else {
		q = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	}
	rows, err := d.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	out := map[string]int64{}
	for _, n := range names {
		var c int64
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM "`+n+`"`).Scan(&c); err != nil {
			t.Fatalf("count %s: %v", n, err)
		}
		out[n] = c
	}
	if len(out) < 10 {
		t.Fatalf("only %d tables found: %v", len(out), names)
	}
	return out
}

func auditHashes(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.Query(context.Background(), "SELECT hash FROM audit_events ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			t.Fatal(err)
		}
		out = append(out, h)
	}
	return out
}

// TestBackupWhileWritingRestoresConsistentCopy backs up a live SQLite
// database while another goroutine keeps appending audit events, then
// restores it: every other table matches, the audit log is an intact prefix
// of the live one, and the evidence files come back.
func TestBackupWhileWritingRestoresConsistentCopy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live", "fazhi.db")
	dataDir := filepath.Dir(live)
	loadDemo(t, live, dataDir)

	d, err := db.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.SetAuditKeys(auditKeys(t, dataDir))
	before := len(auditHashes(t, d))

	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	writerErr := make(chan error, 1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			err := d.WithTx(ctx, func(tx *db.Tx) error {
				return audit.Record(ctx, tx, audit.Event{Action: "test.write", ObjectType: "test", ObjectID: fmt.Sprint(i), ActorName: "tester", Summary: "备份期间的写入"})
			})
			if err != nil {
				writerErr <- err
				return
			}
			written.Add(1)
		}
	}()
	// Let the writer get going so the snapshot lands in the middle of it.
	for written.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	outDir := filepath.Join(dir, "backups")
	if err := os.Mkdir(outDir, 0o750); err != nil {
		t.Fatal(err)
	}
	m, archive, err := backup.Create(ctx, backup.Options{DSN: live, DataDir: dataDir, Out: outDir, FazhiVersion: "test"})
	duringBackup := written.Load()
	close(stop)
	wg.Wait()
	select {
	case err := <-writerErr:
		t.Fatalf("writer: %v", err)
	default:
	}
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(archive), "fazhi-backup-") || filepath.Dir(archive) != outDir {
		t.Fatalf("archive path %s", archive)
	}
	if m.Dialect != "sqlite" || m.Files != countFiles(t, dataDir) || m.Files < 2 || m.SchemaVersion <= 0 || m.FazhiVersion != "test" {
		t.Fatalf("manifest %+v", m)
	}
	if st, err := os.Stat(archive); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("archive mode: %v %v", st, err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(outDir, ".fazhi-backup-*")); len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
	vm, err := backup.Verify(archive)
	if err != nil {
		t.Fatal(err)
	}
	if len(vm.Members) != m.Files+1 {
		t.Fatalf("members %+v", vm.Members)
	}
	for _, mb := range vm.Members {
		if strings.Contains(mb.Name, ".tmp") {
			t.Fatalf("upload spool archived: %s", mb.Name)
		}
	}

	// Restore into a fresh place.
	target := filepath.Join(dir, "restored", "fazhi.db")
	res, err := backup.Restore(ctx, backup.RestoreOptions{Archive: archive, DB: target})
	if err != nil {
		t.Fatal(err)
	}
	if res.FilesWritten != m.Files || res.SchemaVersion != m.SchemaVersion || res.SavedAside != "" {
		t.Fatalf("restore result %+v", res)
	}
	r, err := db.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.SetAuditKeys(auditKeys(t, dataDir))
	vr, err := audit.Verify(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if vr.Broken != nil {
		t.Fatalf("restored audit chain broken: %v", vr.Broken)
	}
	liveCounts, gotCounts := tableCounts(t, d), tableCounts(t, r)
	for name, n := range liveCounts {
		if name == "audit_events" {
			continue
		}
		if gotCounts[name] != n {
			t.Errorf("table %s: restored %d rows, live %d", name, gotCounts[name], n)
		}
	}
	if len(gotCounts) != len(liveCounts) {
		t.Errorf("restored %d tables, live %d", len(gotCounts), len(liveCounts))
	}
	liveHashes, gotHashes := auditHashes(t, d), auditHashes(t, r)
	if len(gotHashes) < before+20 || len(gotHashes) > before+int(duringBackup) {
		t.Fatalf("restored %d audit events; expected between %d and %d", len(gotHashes), before+20, before+int(duringBackup))
	}
	for i, h := range gotHashes {
		if liveHashes[i] != h {
			t.Fatalf("restored audit event %d differs from the live one", i+1)
		}
	}
	for _, mb := range m.Members {
		if !strings.HasPrefix(mb.Name, "files/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(filepath.Dir(target), filepath.FromSlash(mb.Name)))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != mb.SHA256 || !strings.HasSuffix(mb.Name, mb.SHA256) {
			t.Fatalf("restored file %s has the wrong content", mb.Name)
		}
	}

	// A second restore over the same path needs --force and keeps the old file.
	if _, err := backup.Restore(ctx, backup.RestoreOptions{Archive: archive, DB: target}); err == nil || !strings.Contains(err.Error(), "已存在") {
		t.Fatalf("restore over an existing database: %v", err)
	}
	r.Close()
	res, err = backup.Restore(ctx, backup.RestoreOptions{Archive: archive, DB: target, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.SavedAside == "" || res.FilesPresent != m.Files || res.FilesWritten != 0 {
		t.Fatalf("forced restore %+v", res)
	}
	if _, err := os.Stat(res.SavedAside); err != nil {
		t.Fatalf("old database not kept: %v", err)
	}
	if _, err := os.Stat(target + "-wal"); err == nil {
		t.Fatalf("old WAL left beside the restored database")
	}
}

// makeArchive creates a small backup of a freshly migrated database.
func makeArchive(t *testing.T) (string, *backup.Manifest) {
	t.Helper()
	dir := t.TempDir()
	d := dbtest.Open(t)
	if err := os.MkdirAll(filepath.Join(dir, "files", "sha256", "ab"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "files", "sha256", "ab", "abcd"), []byte("佐证材料"), 0o600); err != nil {
		t.Fatal(err)
	}
	m, p, err := backup.Create(context.Background(), backup.Options{DSN: d.DSN(), DataDir: dir, Out: filepath.Join(dir, "b.tar.gz"), FazhiVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return p, m
}

type entry struct {
	name string
	body []byte
}

func readEntries(t *testing.T, p string) []entry {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out []entry
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		out = append(out, entry{h.Name, b})
	}
}

func writeEntries(t *testing.T, p string, es []entry) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range es {
		if err := tw.WriteHeader(&tar.Header{Name: e.name, Size: int64(len(e.body)), Mode: 0o600, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(e.body)
	}
	tw.Close()
	gz.Close()
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyDetectsDamageAndTampering(t *testing.T) {
	archive, m := makeArchive(t)
	if _, err := backup.Verify(archive); err != nil {
		t.Fatalf("intact archive: %v", err)
	}
	orig, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	entries := readEntries(t, archive)
	if entries[0].name != backup.ManifestName || len(entries) != len(m.Members)+1 {
		t.Fatalf("layout: %v", entries)
	}
	dbIdx := -1
	for i, e := range entries {
		if e.name == backup.SQLiteMember {
			dbIdx = i
		}
	}
	clone := func() []entry {
		out := make([]entry, len(entries))
		for i, e := range entries {
			out[i] = entry{e.name, append([]byte(nil), e.body...)}
		}
		return out
	}

	cases := []struct {
		name   string
		mutate func(p string)
		want   string
	}{
		{"flipped byte in the compressed file", func(p string) {
			b := append([]byte(nil), orig...)
			b[len(b)/2] ^= 0x01
			os.WriteFile(p, b, 0o600)
		}, ""},
		{"truncated", func(p string) { os.WriteFile(p, orig[:len(orig)*2/3], 0o600) }, ""},
		{"database byte changed, manifest kept", func(p string) {
			es := clone()
			es[dbIdx].body[len(es[dbIdx].body)/2] ^= 0x01
			writeEntries(t, p, es)
		}, "成员 database/fazhi.db 的 SHA-256 与清单不符"},
		{"evidence file replaced", func(p string) {
			es := clone()
			es[len(es)-1].body = []byte("伪造材料")
			writeEntries(t, p, es)
		}, "files/sha256/ab/abcd"},
		{"member removed", func(p string) { writeEntries(t, p, clone()[:len(entries)-1]) }, "缺少清单中的成员 files/sha256/ab/abcd"},
		{"member added", func(p string) {
			writeEntries(t, p, append(clone(), entry{"files/sha256/cd/extra", []byte("x")}))
		}, "不在清单中"},
		{"manifest not first", func(p string) {
			es := clone()
			es[0], es[1] = es[1], es[0]
			writeEntries(t, p, es)
		}, "第一个成员应为 manifest.json"},
		{"unsafe member name", func(p string) {
			es := clone()
			var mm backup.Manifest
			json.Unmarshal(es[0].body, &mm)
			sum := sha256.Sum256([]byte("evil"))
			mm.Members = append(mm.Members, backup.Member{Name: "files/../../evil", Size: 4, SHA256: hex.EncodeToString(sum[:])})
			es[0].body, _ = json.Marshal(mm)
			writeEntries(t, p, append(es, entry{"files/../../evil", []byte("evil")}))
		}, "不安全"},
		{"not a backup", func(p string) { os.WriteFile(p, []byte("hello"), 0o600) }, "不是 gzip"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "x.tar.gz")
			c.mutate(p)
			_, err := backup.Verify(p)
			if err == nil {
				t.Fatal("verify passed on a damaged archive")
			}
			if !errors.Is(err, backup.ErrIntegrity) {
				t.Fatalf("not an integrity error: %v", err)
			}
			if c.want != "" && !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want %q in %q", c.want, err)
			}
			// Restore refuses the same archive and writes nothing.
			target := filepath.Join(t.TempDir(), "r", "fazhi.db")
			if _, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: p, DB: target}); err == nil {
				t.Fatal("restore accepted a damaged archive")
			}
			if _, err := os.Stat(target); err == nil {
				t.Fatal("restore wrote a database from a damaged archive")
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(target), "..", "evil")); err == nil {
				t.Fatal("restore wrote outside the data directory")
			}
		})
	}
}

func TestRestoreRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	_, bin, err := d.SchemaVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, 1)", bin+1000); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	m, archive, err := backup.Create(ctx, backup.Options{DSN: d.DSN(), DataDir: dir, Out: filepath.Join(dir, "new.tar.gz")})
	if err != nil {
		t.Fatal(err)
	}
	if m.SchemaVersion != bin+1000 {
		t.Fatalf("manifest schema %d", m.SchemaVersion)
	}
	target := filepath.Join(dir, "r", "fazhi.db")
	_, err = backup.Restore(ctx, backup.RestoreOptions{Archive: archive, DB: target})
	if err == nil || !strings.Contains(err.Error(), "高于本程序支持的最高版本") {
		t.Fatalf("newer schema: %v", err)
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatal("newer-schema backup was restored")
	}
}

func TestCreateRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.tar.gz")
	os.WriteFile(existing, []byte("keep me"), 0o600)
	cases := []struct {
		name string
		opt  backup.Options
		env  map[string]string
		want string
	}{
		{"missing database", backup.Options{DSN: filepath.Join(dir, "nope.db"), Out: filepath.Join(dir, "a.tar.gz")}, nil, "不存在"},
		{"existing archive", backup.Options{DSN: dbtest.Open(t).DSN(), Out: existing}, nil, "不会覆盖"},
		{"missing output directory", backup.Options{DSN: dbtest.Open(t).DSN(), Out: filepath.Join(dir, "no", "a.tar.gz")}, nil, "不存在"},
		{"no pg_dump", backup.Options{DSN: "postgres://fazhi:secret@127.0.0.1:1/fazhi", Out: filepath.Join(dir, "p.tar.gz")}, map[string]string{"PATH": dir}, "未找到 pg_dump"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			_, _, err := backup.Create(ctx, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want %q, got %v", c.want, err)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Fatal("existing archive overwritten")
	}
}

// TestPostgresBackup dumps a demo PostgreSQL database with pg_dump, verifies
// the archive and restores the dump into a new database with pg_restore.
func TestPostgresBackup(t *testing.T) {
	if !dbtest.PG() {
		t.Skip("FAZHI_TEST_PG not set: PostgreSQL backup not tested")
	}
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump not on PATH: PostgreSQL backup not tested")
	}
	if _, err := exec.LookPath("pg_restore"); err != nil {
		t.Skip("pg_restore not on PATH: PostgreSQL restore not tested")
	}
	ctx := context.Background()
	dir := t.TempDir()
	dsn := dbtest.NewPGDatabase(t)
	loadDemo(t, dsn, dir)
	m, archive, err := backup.Create(ctx, backup.Options{DSN: dsn, DataDir: dir, Out: filepath.Join(dir, "pg.tar.gz"), FazhiVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Dialect != "postgres" || m.Database != backup.PostgresMember || m.Files != countFiles(t, dir) {
		t.Fatalf("manifest %+v", m)
	}
	if _, err := backup.Verify(archive); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(ctx, backup.RestoreOptions{Archive: archive, DB: filepath.Join(dir, "x.db")}); err == nil || !strings.Contains(err.Error(), "pg_restore") {
		t.Fatalf("restore of a PostgreSQL backup: %v", err)
	}
	var dump []byte
	for _, e := range readEntries(t, archive) {
		if e.name == backup.PostgresMember {
			dump = e.body
		}
	}
	dumpFile := filepath.Join(dir, "fazhi.dump")
	if err := os.WriteFile(dumpFile, dump, 0o600); err != nil {
		t.Fatal(err)
	}
	target := dbtest.NewPGDatabase(t)
	out, err := exec.Command("pg_restore", "--no-owner", "--exit-on-error", "--dbname="+target, dumpFile).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	src, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := db.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	dst.SetAuditKeys(auditKeys(t, dir))
	want, got := tableCounts(t, src), tableCounts(t, dst)
	for name, n := range want {
		if got[name] != n {
			t.Errorf("table %s: restored %d rows, source %d", name, got[name], n)
		}
	}
	vr, err := audit.Verify(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	if vr.Broken != nil || vr.Events == 0 {
		t.Fatalf("restored audit chain: %+v", vr)
	}
}
