// Package auditkey holds the audit log's secret keys: the key ring that signs
// each audit row with a keyed MAC (HMAC-SM3 or HMAC-SHA-256) and the key file
// it is read from. The keys live outside the database (a file in the data
// directory, or the FAZHI_AUDIT_KEY variable read by Config), so that a
// database writer cannot recompute the chain. It is a leaf package: the db
// handle carries a *Keyring so that every transaction reaches it.
package auditkey

import (
	"bufio"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// Hash functions the chain and its MAC are built on.
const (
	SM3    = "sm3"
	SHA256 = "sha256"
)

// NewHash returns the constructor of the named hash.
func NewHash(name string) (func() hash.Hash, error) {
	switch name {
	case SM3:
		return sm3.New, nil
	case SHA256:
		return sha256.New, nil
	}
	return nil, fmt.Errorf("unknown audit hash algorithm %q", name)
}

// secretLen is the size of a generated key (256 bits).
const secretLen = 32

// Key is one secret of the ring with its id. The id is a fingerprint of the
// secret, so a key file line cannot claim another key's id.
type Key struct {
	ID     string
	secret []byte
}

// ID returns the fingerprint id of secret (16 hex digits).
func ID(secret []byte) string {
	h := sha256.New()
	h.Write([]byte("fazhi audit key id\x00"))
	h.Write(secret)
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Keyring is the audit log's keys, oldest first: the last one signs new rows
// and checkpoints, the earlier ones (kept after a rotation) verify old rows.
type Keyring struct {
	hash string
	keys []Key
}

// New builds a ring from secrets (oldest first) for the hash sm3 or sha256.
func New(hashName string, secrets ...[]byte) (*Keyring, error) {
	if hashName == "" {
		hashName = SM3
	}
	if _, err := NewHash(hashName); err != nil {
		return nil, fmt.Errorf("审计哈希算法只能是 sm3 或 sha256，收到 %q", hashName)
	}
	if len(secrets) == 0 {
		return nil, errors.New("审计密钥为空")
	}
	kr := &Keyring{hash: hashName}
	for i, s := range secrets {
		if len(s) < 16 {
			return nil, fmt.Errorf("审计密钥第 %d 个太短（至少 16 字节，应为 64 位十六进制）", i+1)
		}
		kr.keys = append(kr.keys, Key{ID: ID(s), secret: append([]byte(nil), s...)})
	}
	return kr, nil
}

// Hash is the hash function new rows are signed with (sm3 or sha256).
func (k *Keyring) Hash() string { return k.hash }

// Current is the id of the key that signs new rows.
func (k *Keyring) Current() string { return k.keys[len(k.keys)-1].ID }

// IDs lists the ring's key ids, oldest first.
func (k *Keyring) IDs() []string {
	out := make([]string, len(k.keys))
	for i, key := range k.keys {
		out[i] = key.ID
	}
	return out
}

// MAC returns the hex HMAC of data under the key id with the named hash; ok
// is false when the ring holds no such key or the hash is unknown.
func (k *Keyring) MAC(id, hashName string, data []byte) (string, bool) {
	nh, err := NewHash(hashName)
	if err != nil {
		return "", false
	}
	for _, key := range k.keys {
		if key.ID == id {
			m := hmac.New(nh, key.secret)
			m.Write(data)
			return hex.EncodeToString(m.Sum(nil)), true
		}
	}
	return "", false
}

// Parse reads keys in the key file's format: one hex secret per line, the
// last field of the line (a creation time may precede it); blank lines and
// lines starting with # are ignored. Commas separate keys too, so that the
// FAZHI_AUDIT_KEY variable can hold several on one line.
func Parse(text string) ([][]byte, error) {
	var out [][]byte
	for n, line := range strings.Split(strings.ReplaceAll(text, ",", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		s, err := hex.DecodeString(f[len(f)-1])
		if err != nil || len(s) < 16 {
			return nil, fmt.Errorf("第 %d 行不是有效的密钥（应为至少 32 位十六进制数字）", n+1)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, errors.New("没有密钥")
	}
	return out, nil
}

// ErrNoKey is returned by Load when neither the variable nor the file holds a key.
var ErrNoKey = errors.New("no audit key")

// Load returns the ring from env (the FAZHI_AUDIT_KEY value, when set) or
// else from the key file at path. ErrNoKey means neither exists.
func Load(path, env, hashName string) (*Keyring, error) {
	if strings.TrimSpace(env) != "" {
		secrets, err := Parse(env)
		if err != nil {
			return nil, fmt.Errorf("FAZHI_AUDIT_KEY：%v", err)
		}
		return New(hashName, secrets...)
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoKey
	}
	if err != nil {
		return nil, fmt.Errorf("读取审计密钥文件 %s 失败：%v", path, err)
	}
	secrets, err := Parse(string(b))
	if err != nil {
		return nil, fmt.Errorf("审计密钥文件 %s：%v", path, err)
	}
	return New(hashName, secrets...)
}

const fileHeader = `# fazhi 审计日志密钥（HMAC）。请备份到数据库以外的安全位置，不要与数据库备份放在一起。
# 丢失密钥：审计日志无法再校验；泄露密钥：持有数据库写权限的人可以伪造审计日志。
# 每行一个密钥（创建时间 十六进制密钥），最后一行签名新的审计事件；轮换后保留旧行以校验旧事件。
`

// Create generates a key and writes a new key file at path (mode 0600). It
// fails if the file already exists: the file is written aside and linked
// into place, so two processes starting at once cannot both create one.
func Create(path, hashName string) (*Keyring, error) {
	secret := make([]byte, secretLen)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	kr, err := New(hashName, secret)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".audit-key-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if _, err := tmp.WriteString(fileHeader + line(secret)); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		return nil, err
	}
	return kr, nil
}

func line(secret []byte) string {
	return time.Now().UTC().Format(time.RFC3339) + " " + hex.EncodeToString(secret) + "\n"
}

// Rotate appends a new key to the key file at path and returns its id; the
// old keys stay in the file to verify the events they signed.
func Rotate(path string) (string, error) {
	old, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if _, err := Parse(string(old)); err != nil {
		return "", fmt.Errorf("审计密钥文件 %s：%v", path, err)
	}
	secret := make([]byte, secretLen)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriter(f)
	if len(old) > 0 && old[len(old)-1] != '\n' {
		w.WriteByte('\n')
	}
	w.WriteString(line(secret))
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	return ID(secret), f.Close()
}

// Loose reports whether the key file at path can be read by anyone but its
// owner (it should be mode 0600).
func Loose(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().Perm()&0o077 != 0
}
