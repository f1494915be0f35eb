// Package backup makes, checks and restores fazhi backups: one .tar.gz
// holding a manifest, a consistent copy of the database and the evidence
// files.
//
// Archive layout (members in this order):
//
//	manifest.json        format, fazhi version, schema version, created_at, SHA-256 and size of every other member
//	database/fazhi.db    SQLite: an online snapshot made with VACUUM INTO
//	database/fazhi.dump  PostgreSQL: pg_dump -Fc (custom format, for pg_restore)
//	files/sha256/ab/…    the content-addressed evidence store (DataDir/files)
//
// The database is copied before the files. Evidence files are content
// addressed and never rewritten, so every file the snapshot refers to is
// already on disk when the files are copied; a file uploaded during the
// backup may be included without a database row, which is harmless.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

const (
	// Format names the archive format in the manifest.
	Format = "fazhi-backup"
	// FormatVersion is the newest manifest layout this package reads.
	FormatVersion = 1
	// ManifestName is the first member of every archive.
	ManifestName = "manifest.json"
	// SQLiteMember and PostgresMember hold the database copy.
	SQLiteMember   = "database/fazhi.db"
	PostgresMember = "database/fazhi.dump"
	// FilesDir is the evidence store under the data directory, and the
	// prefix of its members in the archive.
	FilesDir = "files"
)

// ErrIntegrity marks an archive that is damaged or was altered: a member
// whose hash or size differs from the manifest, a missing or unexpected
// member, or a corrupt gzip/tar stream.
var ErrIntegrity = errors.New("备份文件完整性校验失败")

// Member is one archived file as recorded in the manifest.
type Member struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest describes an archive.
type Manifest struct {
	Format        string    `json:"format"`
	FormatVersion int       `json:"format_version"`
	FazhiVersion  string    `json:"fazhi_version"`
	CreatedAt     time.Time `json:"created_at"`
	Dialect       string    `json:"dialect"` // "sqlite" or "postgres"
	SchemaVersion int64     `json:"schema_version"`
	Database      string    `json:"database"` // member holding the database copy
	Files         int       `json:"files"`    // number of evidence files
	Members       []Member  `json:"members"`  // every member except the manifest itself
}

// TotalSize is the sum of member sizes (uncompressed).
func (m *Manifest) TotalSize() int64 {
	var n int64
	for _, mb := range m.Members {
		n += mb.Size
	}
	return n
}

// Options configures Create.
type Options struct {
	DSN     string // SQLite path or postgres:// URL
	DataDir string // directory holding files/ (the evidence store)
	// Out is the archive to write. An existing directory means "a file
	// named DefaultName inside it"; an existing file is never overwritten.
	Out          string
	FazhiVersion string
	// PGDump is the pg_dump program; empty means look it up on PATH.
	PGDump string
	Now    func() time.Time // for tests; time.Now when nil
}

// DefaultName is the archive name used when --out names a directory.
func DefaultName(t time.Time) string {
	return "fazhi-backup-" + t.In(shanghai).Format("20060102-150405") + ".tar.gz"
}

// Create writes a backup archive and returns its manifest and final path.
func Create(ctx context.Context, opt Options) (*Manifest, string, error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	created := now().UTC().Truncate(time.Second)
	out, err := outputPath(opt.Out, created)
	if err != nil {
		return nil, "", err
	}
	// Look for pg_dump before touching anything, so a missing tool is the
	// first and only thing the operator hears about.
	pgDump := ""
	if db.IsPostgres(opt.DSN) {
		if pgDump, err = findPGDump(opt.PGDump); err != nil {
			return nil, "", err
		}
	}
	work, err := os.MkdirTemp(filepath.Dir(out), ".fazhi-backup-*")
	if err != nil {
		return nil, "", fmt.Errorf("无法在 %s 创建临时目录（目录是否可写？）：%w", filepath.Dir(out), err)
	}
	defer os.RemoveAll(work)

	m := &Manifest{Format: Format, FormatVersion: FormatVersion, FazhiVersion: opt.FazhiVersion, CreatedAt: created}
	var dbCopy string
	if db.IsPostgres(opt.DSN) {
		m.Dialect, m.Database = string(db.Postgres), PostgresMember
		dbCopy = filepath.Join(work, "fazhi.dump")
		if m.SchemaVersion, err = dumpPostgres(ctx, opt.DSN, pgDump, dbCopy); err != nil {
			return nil, "", err
		}
	} else {
		m.Dialect, m.Database = string(db.SQLite), SQLiteMember
		dbCopy = filepath.Join(work, "fazhi.db")
		if m.SchemaVersion, err = snapshotSQLite(ctx, opt.DSN, dbCopy); err != nil {
			return nil, "", err
		}
	}

	// Pre-pass: hash everything so the manifest can be the first member.
	type source struct {
		member string
		path   string
	}
	srcs := []source{{m.Database, dbCopy}}
	files, err := evidenceFiles(opt.DataDir)
	if err != nil {
		return nil, "", err
	}
	for _, rel := range files {
		srcs = append(srcs, source{FilesDir + "/" + rel, filepath.Join(opt.DataDir, FilesDir, filepath.FromSlash(rel))})
	}
	m.Files = len(files)
	for _, s := range srcs {
		if err := ctx.Err(); err != nil {
			return nil, "", fmt.Errorf("备份已取消")
		}
		size, sum, err := hashFile(s.path)
		if err != nil {
			return nil, "", fmt.Errorf("读取 %s 失败：%w", s.path, err)
		}
		m.Members = append(m.Members, Member{Name: s.member, Size: size, SHA256: sum})
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, "", err
	}

	tmp, err := os.OpenFile(filepath.Join(work, "archive.tar.gz"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, "", fmt.Errorf("无法创建备份文件：%w", err)
	}
	defer tmp.Close()
	gz := gzip.NewWriter(tmp)
	tw := tar.NewWriter(gz)
	hdr := func(name string, size int64) *tar.Header {
		return &tar.Header{Name: name, Size: size, Mode: 0o600, ModTime: created, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	}
	if err := tw.WriteHeader(hdr(ManifestName, int64(len(manifest)))); err != nil {
		return nil, "", writeErr(err)
	}
	if _, err := tw.Write(manifest); err != nil {
		return nil, "", writeErr(err)
	}
	for i, s := range srcs {
		if err := ctx.Err(); err != nil {
			return nil, "", fmt.Errorf("备份已取消")
		}
		want := m.Members[i]
		f, err := os.Open(s.path)
		if err != nil {
			return nil, "", fmt.Errorf("读取 %s 失败：%w", s.path, err)
		}
		if err := tw.WriteHeader(hdr(want.Name, want.Size)); err != nil {
			f.Close()
			return nil, "", writeErr(err)
		}
		h := sha256.New()
		n, err := io.Copy(tw, io.TeeReader(io.LimitReader(f, want.Size), h))
		f.Close()
		if err != nil {
			return nil, "", writeErr(err)
		}
		if n != want.Size || hex.EncodeToString(h.Sum(nil)) != want.SHA256 {
			return nil, "", fmt.Errorf("文件 %s 在备份过程中发生了变化，请重新备份", s.path)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, "", writeErr(err)
	}
	if err := gz.Close(); err != nil {
		return nil, "", writeErr(err)
	}
	if err := tmp.Sync(); err != nil {
		return nil, "", writeErr(err)
	}
	if err := tmp.Close(); err != nil {
		return nil, "", writeErr(err)
	}
	// Link fails if out appeared meanwhile: never overwrite an archive.
	if err := os.Link(tmp.Name(), out); err != nil {
		if _, serr := os.Stat(out); serr == nil {
			return nil, "", fmt.Errorf("备份文件 %s 已存在，不会覆盖；请换一个文件名", out)
		}
		if err := os.Rename(tmp.Name(), out); err != nil {
			return nil, "", writeErr(err)
		}
	}
	return m, out, nil
}

func writeErr(err error) error {
	return fmt.Errorf("写入备份文件失败（磁盘空间是否充足？）：%w", err)
}

// outputPath resolves --out: empty means DefaultName in the current
// directory, a directory means DefaultName inside it.
func outputPath(out string, t time.Time) (string, error) {
	if out == "" {
		out = "."
	}
	if st, err := os.Stat(out); err == nil {
		if !st.IsDir() {
			return "", fmt.Errorf("备份文件 %s 已存在，不会覆盖；请换一个文件名，或用 --out 指定目录", out)
		}
		out = filepath.Join(out, DefaultName(t))
		if _, err := os.Stat(out); err == nil {
			return "", fmt.Errorf("备份文件 %s 已存在，不会覆盖", out)
		}
	}
	dir := filepath.Dir(out)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("备份文件所在目录 %s 不存在", dir)
	}
	return out, nil
}

// snapshotSQLite copies the live database into dst with VACUUM INTO: one
// read transaction, so the copy is consistent while fazhi serve keeps
// writing (WAL mode lets the writer continue meanwhile).
func snapshotSQLite(ctx context.Context, dsn, dst string) (int64, error) {
	p := strings.TrimPrefix(dsn, "sqlite://")
	if p == "" {
		p = db.DefaultPath
	}
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() {
		return 0, fmt.Errorf("数据库文件 %s 不存在（--db 是否写对？）", p)
	}
	d, err := db.Open(ctx, p)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	v, err := schemaVersion(ctx, d)
	if err != nil {
		return 0, err
	}
	if _, err := d.Exec(ctx, "VACUUM INTO ?", dst); err != nil {
		return 0, fmt.Errorf("生成数据库快照失败：%w", err)
	}
	if err := quickCheck(ctx, dst); err != nil {
		return 0, err
	}
	return v, nil
}

// quickCheck runs PRAGMA quick_check on a SQLite file.
func quickCheck(ctx context.Context, p string) error {
	c, err := sql.Open("sqlite", "file:"+p+"?mode=ro")
	if err != nil {
		return err
	}
	defer c.Close()
	var res string
	if err := c.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return fmt.Errorf("检查数据库快照失败：%w", err)
	}
	if res != "ok" {
		return fmt.Errorf("数据库快照未通过完整性检查：%s", res)
	}
	return nil
}

func schemaVersion(ctx context.Context, d *db.DB) (int64, error) {
	v, _, err := d.SchemaVersions(ctx)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("无法读取数据库结构版本（这是已初始化的 fazhi 数据库吗？可先运行 fazhi migrate）")
	}
	return v, nil
}

func findPGDump(p string) (string, error) {
	if p == "" {
		p = "pg_dump"
	}
	full, err := exec.LookPath(p)
	if err != nil {
		return "", fmt.Errorf("未找到 pg_dump：备份 PostgreSQL 数据库需要 pg_dump，请安装 PostgreSQL 客户端（如 apt-get install postgresql-client，版本不低于数据库服务器）并确保它在 PATH 中")
	}
	return full, nil
}

// dumpPostgres runs pg_dump -Fc into dst. The password travels in
// PGPASSWORD, never on the command line where ps would show it.
func dumpPostgres(ctx context.Context, dsn, pgDump, dst string) (int64, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return 0, err
	}
	v, err := schemaVersion(ctx, d)
	d.Close()
	if err != nil {
		return 0, err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return 0, fmt.Errorf("--db 不是有效的 PostgreSQL 地址")
	}
	env := os.Environ()
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			env = append(env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--no-password", "--file="+dst, "--dbname="+u.String())
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return 0, fmt.Errorf("pg_dump 执行失败：%s", lastLine(msg))
	}
	return v, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// evidenceFiles lists DataDir/files (slash-separated, sorted), skipping the
// upload spool .tmp and anything that is not a regular file.
func evidenceFiles(dataDir string) ([]string, error) {
	root := filepath.Join(dataDir, FilesDir)
	if _, err := os.Stat(root); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var out []string
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && e.Name() == ".tmp" && filepath.Dir(p) == root {
			return filepath.SkipDir
		}
		if !e.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("读取附件目录 %s 失败：%w", root, err)
	}
	sort.Strings(out)
	return out, nil
}

func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

// safeName reports whether a member name may be written under a directory:
// relative, slash-separated, clean, no "..", and in a known place.
func safeName(name string) bool {
	if name == "" || strings.Contains(name, "\\") || path.IsAbs(name) || path.Clean(name) != name {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." || part == "." || part == "" {
			return false
		}
	}
	return name == SQLiteMember || name == PostgresMember || strings.HasPrefix(name, FilesDir+"/")
}

// shanghai is Beijing time (China has kept UTC+8 without daylight saving
// since 1991), shared with the calendar so no zoneinfo files are needed.
var shanghai = calendar.Shanghai
