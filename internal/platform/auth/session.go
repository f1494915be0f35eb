package auth

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"fazhi/internal/platform/db"
)

// CookieName is the session cookie.
const CookieName = "fazhi_session"

// Now is the clock sessions, lockout and throttling read (tests move it).
var Now = func() time.Time { return time.Now().UTC() }

// sessionID is what the database stores: the token's SHA-256, so that a
// copy of the sessions table does not let anyone sign in.
func sessionID(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// Session is one signed-in browser.
type Session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// CreateSession stores a new session for userID and returns its token.
func CreateSession(ctx context.Context, q db.Querier, userID int64, s Settings, ip, ua string) (string, error) {
	token := NewToken()
	now := Now()
	if len(ua) > 300 {
		ua = ua[:300]
	}
	_, err := q.Exec(ctx, "INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)",
		sessionID(token), userID, now, now, now.Add(s.Absolute()), ip, ua)
	return token, err
}

// ErrNoSession means the token names no live session.
var ErrNoSession = errors.New("no live session")

// touchEvery limits last-seen writes to one per session per interval.
const touchEvery = 30 * time.Second

// LookupSession returns the live session for token, ending it (deleting the
// row) when it has been idle longer than the idle timeout or has passed its
// absolute lifetime. A live session's last-seen time is refreshed.
func LookupSession(ctx context.Context, d *db.DB, token string, s Settings) (*Session, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	id := sessionID(token)
	var ss Session
	err := d.QueryRow(ctx, "SELECT id, user_id, created_at, last_seen_at, expires_at FROM sessions WHERE id = ?", id).
		Scan(&ss.ID, &ss.UserID, &ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	now := Now()
	absolute := ss.CreatedAt.Add(s.Absolute())
	if ss.ExpiresAt.Before(absolute) {
		absolute = ss.ExpiresAt
	}
	if now.After(absolute) || now.Sub(ss.LastSeenAt) > s.Idle() {
		_, _ = d.Exec(ctx, "DELETE FROM sessions WHERE id = ?", id)
		return nil, ErrNoSession
	}
	if now.Sub(ss.LastSeenAt) > touchEvery {
		if _, err := d.Exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", now, id); err != nil {
			return nil, err
		}
		ss.LastSeenAt = now
	}
	return &ss, nil
}

// DeleteSession ends the session with token (sign-out).
func DeleteSession(ctx context.Context, q db.Querier, token string) error {
	_, err := q.Exec(ctx, "DELETE FROM sessions WHERE id = ?", sessionID(token))
	return err
}

// DeleteUserSessions ends every session of userID (sign-out everywhere,
// password reset, account disabled); it returns how many were ended.
func DeleteUserSessions(ctx context.Context, q db.Querier, userID int64) (int64, error) {
	res, err := q.Exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// SessionIDOf exposes the stored id of a token (for the actor's SessionID).
func SessionIDOf(token string) string { return sessionID(token) }
