package auth

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// ThrottleWindow is the counting window of both sign-in limits.
const ThrottleWindow = time.Minute

// Throttle counts a sign-in attempt for account from address in the
// database (so that every process shares the counts) and refuses it with
// RateLimited when the (account, address) pair has made more than
// ThrottlePerMinute attempts in the current window, or the address more
// than ThrottleAddressPerMinute over all accounts. The pair is the real
// limit — one attacker behind an office's NAT address does not block the
// colleagues signing in from it — and the address count only a high
// ceiling against spraying many names. Each count runs in its own small
// transaction so that a refused attempt still counts.
func Throttle(ctx context.Context, d *db.DB, address, account string, set Settings) error {
	if address == "" {
		address = "unknown"
	}
	perAddress, err := countAttempt(ctx, d, "address:"+address)
	if err != nil {
		return err
	}
	perPair, err := countAttempt(ctx, d, "account:"+account+"@"+address)
	if err != nil {
		return err
	}
	if perPair > set.ThrottlePerMinute || perAddress > set.ThrottleAddressPerMinute {
		return apperr.New(apperr.RateLimited, "登录尝试过于频繁，请 1 分钟后再试")
	}
	return nil
}

// countAttempt adds one attempt under key and returns the attempts in the
// current window.
func countAttempt(ctx context.Context, d *db.DB, key string) (int, error) {
	var attempts int
	err := d.WithTx(ctx, func(tx *db.Tx) error {
		lock := ""
		if tx.Dialect() == db.Postgres {
			lock = " FOR UPDATE"
		}
		now := Now()
		var start time.Time
		err := tx.QueryRow(ctx, "SELECT window_start, attempts FROM login_throttle WHERE address = ?"+lock, key).Scan(&start, &attempts)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			attempts = 1
			_, err = tx.Exec(ctx, "INSERT INTO login_throttle (address, window_start, attempts) VALUES (?, ?, 1) ON CONFLICT (address) DO UPDATE SET attempts = login_throttle.attempts + 1", key, now)
			return err
		case err != nil:
			return err
		case now.Sub(start) >= ThrottleWindow:
			attempts = 1
			_, err = tx.Exec(ctx, "UPDATE login_throttle SET window_start = ?, attempts = 1 WHERE address = ?", now, key)
			return err
		default:
			attempts++
			_, err = tx.Exec(ctx, "UPDATE login_throttle SET attempts = attempts + 1 WHERE address = ?", key)
			return err
		}
	})
	return attempts, err
}
