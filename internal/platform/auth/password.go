package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"sync/atomic"
	"unicode"

	"fazhi/internal/platform/apperr"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (OWASP's recommended minimum: 19 MiB, 2 passes).
// The encoded hash carries them, so they can be raised later.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the PHC-style argon2id encoding of pw.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the encoded hash.
func CheckPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false
	}
	passwordChecks.Add(1)
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

var passwordChecks atomic.Int64

// PasswordChecks counts the argon2 derivations done to check passwords
// since start: every sign-in attempt costs exactly one, whether the account
// exists, is locked or not (tests hold the login path to it).
func PasswordChecks() int64 { return passwordChecks.Load() }

// dummyHash is checked against when the username does not exist, so that
// response time does not reveal which usernames exist.
var dummyHash, _ = HashPassword("fazhi-dummy-password-for-timing")

// CheckNothing burns the same time as CheckPassword.
func CheckNothing(pw string) { CheckPassword(dummyHash, pw) }

// CheckPolicy validates a new password against the policy: minimum length,
// at least three of four character classes, not containing the username.
func CheckPolicy(pw, username string, minLen int) error {
	if minLen < 8 {
		minLen = 8
	}
	if n := len([]rune(pw)); n < minLen {
		return apperr.Field("password", "密码长度至少 %d 位（当前 %d 位）", minLen, n)
	}
	var lower, upper, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return apperr.Field("password", "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类")
	}
	if username != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(username)) {
		return apperr.Field("password", "密码不能包含用户名")
	}
	return nil
}

// RandomPassword returns a password that satisfies the policy (for
// one-time passwords of first-start accounts).
func RandomPassword() string {
	const alpha = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = alpha[int(c)%len(alpha)]
	}
	return "Fz@" + string(out) + "9a"
}

// NewToken returns a random session token (URL-safe).
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
