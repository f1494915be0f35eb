package db

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// startupLockKey is the PostgreSQL advisory lock every fazhi process holds
// while it starts (migrations, built-in roles and units, audit keys, demo
// data, counters). It differs from goose's own migration lock, which is taken
// inside it.
const startupLockKey int64 = 0x66617a6869_00 // "fazhi" + 00

// StartupLock serialises the start-up of several fazhi processes on one
// database: whoever holds it migrates and writes the start-up records
// (read-then-insert steps such as the built-in roles, or "load the demo if
// the database is empty"), and the others wait and then find them done.
// release is idempotent. On PostgreSQL it is a session advisory lock on a
// connection pinned for the purpose; on SQLite an exclusive lock on a file
// beside the database (never on the database file itself: closing another
// descriptor of that file would drop SQLite's own POSIX locks).
func (d *DB) StartupLock(ctx context.Context) (release func(), err error) {
	if d.dialect == Postgres {
		conn, err := d.w.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("获取启动锁失败：%w", err)
		}
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", startupLockKey); err != nil {
			conn.Close()
			return nil, fmt.Errorf("获取启动锁失败：%w", err)
		}
		return onceFunc(func() {
			// A fresh context: the caller's may already be cancelled.
			_, _ = conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", startupLockKey)
			conn.Close()
		}), nil
	}
	path := strings.TrimPrefix(d.dsn, "sqlite://")
	if path == "" || strings.Contains(path, ":memory:") || strings.HasPrefix(path, "file:") {
		return func() {}, nil // a private database: nobody to wait for
	}
	f, err := os.OpenFile(path+".startlock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("无法创建启动锁文件：%w", err)
	}
	if err := lockFile(ctx, f); err != nil {
		f.Close()
		return nil, fmt.Errorf("获取启动锁失败：%w", err)
	}
	return onceFunc(func() { unlockFile(f); f.Close() }), nil
}

func onceFunc(f func()) func() {
	done := false
	return func() {
		if !done {
			done = true
			f()
		}
	}
}
