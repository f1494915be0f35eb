package auditkey

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCreateLoadRotate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "audit.key")
	if _, err := Load(path, "", SM3); !errors.Is(err, ErrNoKey) {
		t.Fatalf("missing file: %v", err)
	}
	kr, err := Create(path, SM3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Create(path, SM3); !errors.Is(err, os.ErrExist) {
		t.Fatalf("second create must not replace the key: %v", err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode())
	}
	again, err := Load(path, "", SHA256)
	if err != nil || again.Current() != kr.Current() || again.Hash() != SHA256 {
		t.Fatalf("reload: %v %+v", err, again)
	}
	m1, ok1 := kr.MAC(kr.Current(), SM3, []byte("x"))
	m2, ok2 := again.MAC(kr.Current(), SM3, []byte("x"))
	if !ok1 || !ok2 || m1 != m2 {
		t.Fatal("the same key must give the same MAC")
	}
	if _, ok := kr.MAC("nope", SM3, []byte("x")); ok {
		t.Fatal("MAC under an unknown key id")
	}

	// A file edited by hand without a final newline still rotates cleanly.
	b, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.TrimRight(string(b), "\n")), 0o600)
	id, err := Rotate(path)
	if err != nil {
		t.Fatal(err)
	}
	rot, err := Load(path, "", SM3)
	if err != nil {
		t.Fatal(err)
	}
	if ids := rot.IDs(); len(ids) != 2 || ids[0] != kr.Current() || ids[1] != id || rot.Current() != id {
		t.Fatalf("after rotation: %v, current %s, new %s", ids, rot.Current(), id)
	}
}

func TestEnvironmentKeysAndBadInput(t *testing.T) {
	a, b := strings.Repeat("ab", 32), strings.Repeat("cd", 32)
	kr, err := Load("/nonexistent/audit.key", " "+a+", "+b+" ", SM3)
	if err != nil {
		t.Fatal(err)
	}
	sb, _ := hex.DecodeString(b)
	if kr.Current() != ID(sb) || len(kr.IDs()) != 2 {
		t.Fatalf("env ring %v", kr.IDs())
	}
	if _, err := Load("", "zz", SM3); err == nil || !strings.Contains(err.Error(), "FAZHI_AUDIT_KEY") {
		t.Fatalf("bad env key: %v", err)
	}
	if _, err := Load("", "abcd", SM3); err == nil {
		t.Fatal("a 2-byte key was accepted")
	}
	if _, err := New("md5", []byte(strings.Repeat("k", 32))); err == nil || !strings.Contains(err.Error(), "sm3 或 sha256") {
		t.Fatalf("unknown hash: %v", err)
	}
	path := filepath.Join(t.TempDir(), "audit.key")
	os.WriteFile(path, []byte("# only a comment\n"), 0o644)
	if _, err := Load(path, "", SM3); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("empty key file: %v", err)
	}
	if !Loose(path) {
		t.Fatal("a 0644 key file is not reported")
	}
}
