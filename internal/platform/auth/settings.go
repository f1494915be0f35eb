package auth

import (
	"context"
	"strconv"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// Settings are the security settings the security administrator edits. They
// live in the settings table (key security.<json name>) so that every
// process uses the same values.
type Settings struct {
	PasswordMinLength  int `json:"password_min_length" doc:"密码最短长度"`
	PasswordHistory    int `json:"password_history" doc:"不得与最近几次密码相同"`
	PasswordExpiryDays int `json:"password_expiry_days" doc:"密码有效期（天），0 为不过期"`
	LockoutThreshold   int `json:"lockout_threshold" doc:"连续失败几次锁定"`
	LockoutMinutes     int `json:"lockout_minutes" doc:"锁定时长（分钟）"`
	ThrottlePerMinute  int `json:"throttle_per_minute" doc:"同一账号在同一地址每分钟最多登录尝试次数"`
	// ThrottleAddressPerMinute is a high ceiling per address (a whole
	// office may sign in from behind one NAT address).
	ThrottleAddressPerMinute int `json:"throttle_address_per_minute" doc:"同一地址每分钟最多登录尝试次数（所有账号合计，上限）"`
	SessionIdleMinutes       int `json:"session_idle_minutes" doc:"会话空闲超时（分钟）"`
	SessionAbsoluteHours     int `json:"session_absolute_hours" doc:"会话最长有效期（小时）"`
}

// DefaultSettings are the 等保三级 defaults.
func DefaultSettings() Settings {
	return Settings{
		PasswordMinLength: 12, PasswordHistory: 5, PasswordExpiryDays: 90,
		LockoutThreshold: 5, LockoutMinutes: 15, ThrottlePerMinute: 20, ThrottleAddressPerMinute: 300,
		SessionIdleMinutes: 30, SessionAbsoluteHours: 12,
	}
}

func (s *Settings) fields() map[string]*int {
	return map[string]*int{
		"security.password_min_length":         &s.PasswordMinLength,
		"security.password_history":            &s.PasswordHistory,
		"security.password_expiry_days":        &s.PasswordExpiryDays,
		"security.lockout_threshold":           &s.LockoutThreshold,
		"security.lockout_minutes":             &s.LockoutMinutes,
		"security.throttle_per_minute":         &s.ThrottlePerMinute,
		"security.throttle_address_per_minute": &s.ThrottleAddressPerMinute,
		"security.session_idle_minutes":        &s.SessionIdleMinutes,
		"security.session_absolute_hours":      &s.SessionAbsoluteHours,
	}
}

// Validate checks the values are sensible and not weaker than the floor.
func (s Settings) Validate() error {
	var v apperr.Fields
	if s.PasswordMinLength < 12 || s.PasswordMinLength > 64 {
		v.Add("password_min_length", "密码最短长度应在 12 到 64 之间")
	}
	if s.PasswordHistory < 1 || s.PasswordHistory > 24 {
		v.Add("password_history", "密码历史次数应在 1 到 24 之间")
	}
	if s.PasswordExpiryDays < 0 || s.PasswordExpiryDays > 365 {
		v.Add("password_expiry_days", "密码有效期应在 0 到 365 天之间")
	}
	if s.LockoutThreshold < 3 || s.LockoutThreshold > 10 {
		v.Add("lockout_threshold", "锁定阈值应在 3 到 10 次之间")
	}
	if s.LockoutMinutes < 1 || s.LockoutMinutes > 1440 {
		v.Add("lockout_minutes", "锁定时长应在 1 到 1440 分钟之间")
	}
	if s.ThrottlePerMinute < 1 || s.ThrottlePerMinute > 1000 {
		v.Add("throttle_per_minute", "每分钟登录尝试次数应在 1 到 1000 之间")
	}
	if s.ThrottleAddressPerMinute < s.ThrottlePerMinute || s.ThrottleAddressPerMinute > 10000 {
		v.Add("throttle_address_per_minute", "同一地址每分钟登录尝试次数应在每账号次数（%d）到 10000 之间", s.ThrottlePerMinute)
	}
	if s.SessionIdleMinutes < 1 || s.SessionIdleMinutes > 240 {
		v.Add("session_idle_minutes", "会话空闲超时应在 1 到 240 分钟之间")
	}
	if s.SessionAbsoluteHours < 1 || s.SessionAbsoluteHours > 72 {
		v.Add("session_absolute_hours", "会话最长有效期应在 1 到 72 小时之间")
	}
	return v.Err()
}

// Idle and Absolute return the session limits as durations.
func (s Settings) Idle() time.Duration     { return time.Duration(s.SessionIdleMinutes) * time.Minute }
func (s Settings) Absolute() time.Duration { return time.Duration(s.SessionAbsoluteHours) * time.Hour }

// LoadSettings reads the settings, defaults filling what is not stored.
func LoadSettings(ctx context.Context, q db.Querier) (Settings, error) {
	s := DefaultSettings()
	rows, err := q.Query(ctx, "SELECT key, value FROM settings WHERE key LIKE 'security.%'")
	if err != nil {
		return s, err
	}
	defer rows.Close()
	f := s.fields()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return s, err
		}
		if p, ok := f[k]; ok {
			if n, err := strconv.Atoi(v); err == nil {
				*p = n
			}
		}
	}
	return s, rows.Err()
}

// SaveSettings writes every setting (the caller audits and checks rights).
func SaveSettings(ctx context.Context, q db.Querier, s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	now := time.Now().UTC()
	for k, p := range s.fields() {
		res, err := q.Exec(ctx, "UPDATE settings SET value = ?, updated_at = ? WHERE key = ?", strconv.Itoa(*p), now, k)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := q.Exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", k, strconv.Itoa(*p), now); err != nil {
				return err
			}
		}
	}
	return nil
}
