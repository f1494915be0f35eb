package db

import (
	"context"
	"fmt"
	"io/fs"

	"fazhi/migrations"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// ErrSchemaTooNew is returned when the database was migrated by a newer fazhi.
type ErrSchemaTooNew struct{ DB, Binary int64 }

func (e ErrSchemaTooNew) Error() string {
	return fmt.Sprintf("数据库结构版本 %d 高于本程序支持的最高版本 %d：请使用更新版本的 fazhi，切勿用旧版本打开", e.DB, e.Binary)
}

func (d *DB) provider() (*goose.Provider, error) {
	var (
		dialect goose.Dialect
		fsys    fs.FS
		opts    []goose.ProviderOption
		err     error
	)
	switch d.dialect {
	case Postgres:
		dialect = goose.DialectPostgres
		fsys, err = fs.Sub(migrations.Postgres, "postgres")
		// Several fazhi processes may start together on one PostgreSQL: an
		// advisory lock lets exactly one of them migrate.
		locker, lerr := lock.NewPostgresSessionLocker()
		if lerr != nil {
			return nil, lerr
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	default:
		dialect = goose.DialectSQLite3
		fsys, err = fs.Sub(migrations.SQLite, "sqlite")
	}
	if err != nil {
		return nil, err
	}
	// Owners number migrations in blocks (docs/dev-notes.md "Migrations"), so
	// a release can bring a migration numbered below one an installation has
	// already applied (00030 after 00122): apply it instead of refusing.
	opts = append(opts, goose.WithAllowOutofOrder(true))
	return goose.NewProvider(dialect, d.w, fsys, opts...)
}

// SchemaVersions returns the database's schema version and the newest this
// binary knows.
func (d *DB) SchemaVersions(ctx context.Context) (dbVersion, binVersion int64, err error) {
	p, err := d.provider()
	if err != nil {
		return 0, 0, err
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		binVersion = srcs[len(srcs)-1].Version
	}
	dbVersion, err = p.GetDBVersion(ctx)
	return dbVersion, binVersion, err
}

// Migrate applies pending migrations, each in its own transaction. It
// refuses a database whose schema is newer than this binary.
func (d *DB) Migrate(ctx context.Context) (applied int, err error) {
	p, err := d.provider()
	if err != nil {
		return 0, err
	}
	srcs := p.ListSources()
	var newest int64
	if len(srcs) > 0 {
		newest = srcs[len(srcs)-1].Version
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("读取数据库结构版本失败：%w", err)
	}
	if cur > newest {
		return 0, ErrSchemaTooNew{DB: cur, Binary: newest}
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("数据库迁移失败：%w", err)
	}
	if len(res) > 0 {
		// New tables and indexes: give the planner statistics for them.
		if err := d.Analyze(ctx); err != nil {
			return len(res), fmt.Errorf("迁移后更新统计信息失败：%w", err)
		}
	}
	return len(res), nil
}
