package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// ThrottleWindow is the per-address counting window.
const ThrottleWindow = time.Minute

// Throttle counts a login attempt from address in the database (so that
// every process shares the count) and refuses it with RateLimited when the
// address has made more than perMinute attempts in the current window. It
// runs in its own small transaction so that a refused attempt still counts.
func Throttle(ctx context.Context, d *db.DB, address string, perMinute int) error {
	if address == "" {
		address = "unknown"
	}
	var attempts int
	err := d.WithTx(ctx, func(tx *db.Tx) error {
		lock := ""
		if tx.Dialect() == db.Postgres {
			lock = " FOR UPDATE"
		}
		now := Now()
		var start time.Time
		err := tx.QueryRow(ctx, "SELECT window_start, attempts FROM login_throttle WHERE address = ?"+lock, address).Scan(&start, &attempts)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			attempts = 1
			_, err = tx.Exec(ctx, "INSERT INTO login_throttle (address, window_start, attempts) VALUES (?, ?, 1) ON CONFLICT (address) DO UPDATE SET attempts = login_throttle.attempts + 1", address, now)
			return err
		case err != nil:
			return err
		case now.Sub(start) >= ThrottleWindow:
			attempts = 1
			_, err = tx.Exec(ctx, "UPDATE login_throttle SET window_start = ?, attempts = 1 WHERE address = ?", now, address)
			return err
		default:
			attempts++
			_, err = tx.Exec(ctx, "UPDATE login_throttle SET attempts = attempts + 1 WHERE address = ?", address)
			return err
		}
	})
	if err != nil {
		return err
	}
	if attempts > perMinute {
		return apperr.New(apperr.RateLimited, "登录尝试过于频繁，请 1 分钟后再试")
	}
	return nil
}
