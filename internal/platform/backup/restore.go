package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fazhi/internal/platform/db"
)

// RestoreOptions configures Restore (SQLite only).
type RestoreOptions struct {
	Archive string
	DB      string // SQLite file to create
	DataDir string // evidence files go to DataDir/files; default: DB's directory
	// Force replaces an existing database file. The old file (and its -wal
	// and -shm) is kept beside it with a ".before-restore-<time>" suffix.
	Force bool
	Now   func() time.Time
}

// RestoreResult reports what Restore did.
type RestoreResult struct {
	Manifest      *Manifest
	DB            string
	SchemaVersion int64 // of the restored database
	BinaryVersion int64 // newest this binary knows
	FilesWritten  int   // evidence files copied in
	FilesPresent  int   // evidence files already there (same content address)
	SavedAside    string
}

// Restore checks the whole archive, then writes its database to opt.DB and
// its evidence files under opt.DataDir. Nothing is changed unless the
// archive is intact and its schema is not newer than this binary.
func Restore(ctx context.Context, opt RestoreOptions) (*RestoreResult, error) {
	if db.IsPostgres(opt.DB) {
		return nil, errors.New("fazhi restore 只恢复 SQLite 数据库；PostgreSQL 备份请用 pg_restore 恢复（见 docs/运维手册.md）")
	}
	dbPath := strings.TrimPrefix(opt.DB, "sqlite://")
	if dbPath == "" {
		return nil, errors.New("请用 --db 指定要恢复到的 SQLite 数据库文件")
	}
	exists := false
	if st, err := os.Stat(dbPath); err == nil {
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s 不是数据库文件", dbPath)
		}
		exists = true
		if !opt.Force {
			return nil, fmt.Errorf("数据库文件 %s 已存在，为避免覆盖已中止恢复；如确需覆盖，请先停止 fazhi serve，再加 --force（原文件会改名保留）", dbPath)
		}
	}
	dataDir := opt.DataDir
	if dataDir == "" {
		dataDir = filepath.Dir(dbPath)
	}
	dir := filepath.Dir(dbPath)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("无法创建目录 %s：%w", dir, err)
	}
	stage, err := os.MkdirTemp(dir, ".fazhi-restore-*")
	if err != nil {
		return nil, fmt.Errorf("无法在 %s 创建临时目录（目录是否可写？）：%w", dir, err)
	}
	defer os.RemoveAll(stage)

	m, err := read(opt.Archive, func(m *Manifest) error {
		if m.Dialect != string(db.SQLite) {
			return fmt.Errorf("这是 PostgreSQL 备份：请用 tar -xzf 取出 %s，再用 pg_restore 恢复（见 docs/运维手册.md）", PostgresMember)
		}
		return nil
	}, func(mb Member, r io.Reader) error {
		if err := ctx.Err(); err != nil {
			return errors.New("恢复已取消")
		}
		dst := filepath.Join(stage, filepath.FromSlash(mb.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return err
		}
		f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("写入临时文件失败：%w", err)
		}
		if _, err := io.Copy(f, r); err != nil {
			f.Close()
			return integrity("成员 %s 读取失败，归档已损坏（%v）", mb.Name, err)
		}
		return f.Close()
	})
	if err != nil {
		return nil, err
	}

	staged := filepath.Join(stage, filepath.FromSlash(SQLiteMember))
	res := &RestoreResult{Manifest: m, DB: dbPath}
	if err := quickCheck(ctx, staged); err != nil {
		return nil, err
	}
	if res.SchemaVersion, res.BinaryVersion, err = stagedVersions(ctx, staged); err != nil {
		return nil, err
	}
	if res.SchemaVersion > res.BinaryVersion {
		return nil, fmt.Errorf("备份中的数据库结构版本 %d 高于本程序支持的最高版本 %d：请使用更新版本的 fazhi 恢复，切勿用旧版本打开", res.SchemaVersion, res.BinaryVersion)
	}
	if res.SchemaVersion != m.SchemaVersion {
		return nil, integrity("数据库结构版本为 %d，清单记录为 %d", res.SchemaVersion, m.SchemaVersion)
	}

	// Evidence first: adding content-addressed files is harmless even if
	// the database step then fails.
	for _, mb := range m.Members {
		if !strings.HasPrefix(mb.Name, FilesDir+"/") {
			continue
		}
		dst := filepath.Join(dataDir, filepath.FromSlash(mb.Name))
		if st, err := os.Stat(dst); err == nil && st.Size() == mb.Size {
			res.FilesPresent++
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return nil, fmt.Errorf("无法创建附件目录：%w", err)
		}
		if err := moveFile(filepath.Join(stage, filepath.FromSlash(mb.Name)), dst); err != nil {
			return nil, fmt.Errorf("写入附件 %s 失败：%w", dst, err)
		}
		res.FilesWritten++
	}

	if exists {
		now := time.Now
		if opt.Now != nil {
			now = opt.Now
		}
		aside := dbPath + ".before-restore-" + now().In(shanghai).Format("20060102-150405")
		if _, err := os.Stat(aside); err == nil {
			return nil, fmt.Errorf("%s 已存在，请稍后再试", aside)
		}
		// The -wal and -shm files belong to the old database: keep them
		// beside it under matching names so the saved copy stays whole,
		// and so SQLite never replays the old log into the restored file.
		for _, sfx := range []string{"-wal", "-shm", "-journal"} {
			if _, err := os.Stat(dbPath + sfx); err == nil {
				if err := os.Rename(dbPath+sfx, aside+sfx); err != nil {
					return nil, fmt.Errorf("无法移走旧数据库的 %s 文件：%w", sfx, err)
				}
			}
		}
		if err := os.Rename(dbPath, aside); err != nil {
			return nil, fmt.Errorf("无法将原数据库改名保留：%w", err)
		}
		res.SavedAside = aside
	}
	if err := os.Rename(staged, dbPath); err != nil {
		return nil, fmt.Errorf("写入数据库文件 %s 失败：%w", dbPath, err)
	}
	return res, nil
}

// stagedVersions opens the staged copy to learn its schema
// version and the newest this binary knows.
func stagedVersions(ctx context.Context, p string) (dbv, binv int64, err error) {
	d, err := db.Open(ctx, p)
	if err != nil {
		return 0, 0, err
	}
	defer d.Close()
	dbv, binv, err = d.SchemaVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("无法读取备份中数据库的结构版本：%w", err)
	}
	return dbv, binv, nil
}

// moveFile renames src to dst, copying when they are on different file
// systems.
func moveFile(src, dst string) error {
	if err := os.Rename(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".restore-*")
	if err != nil {
		return err
	}
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
