package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fazhi/internal/platform/draw"
)

// vectorDir copies the draw package's published test vector to a temp dir.
func vectorDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range []string{"snapshot.json", "commitment.json", "reveal.json", "result.json"} {
		b, err := os.ReadFile(filepath.Join("../../internal/platform/draw/testdata/vector", n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDrawVerifyCLI(t *testing.T) {
	dir := vectorDir(t)
	code, out, errOut := runCLI(t, "draw", "verify", dir)
	if code != 0 || !strings.HasPrefix(out, "OK") || !strings.Contains(out, "SJ-2026-001") {
		t.Fatalf("published draw: code %d out %q err %q", code, out, errOut)
	}
	// The four files named one by one, in another order.
	code, out, _ = runCLI(t, "draw", "verify", filepath.Join(dir, "result.json"), filepath.Join(dir, "reveal.json"),
		filepath.Join(dir, "snapshot.json"), filepath.Join(dir, "commitment.json"))
	if code != 0 || !strings.HasPrefix(out, "OK") {
		t.Fatalf("files in another order: %d %q", code, out)
	}

	tamper := func(name string, change func([]byte) []byte) (int, string) {
		d := vectorDir(t)
		p := filepath.Join(d, name)
		b, _ := os.ReadFile(p)
		if err := os.WriteFile(p, change(b), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, _ := runCLI(t, "draw", "verify", d)
		return code, out
	}
	// A tampered snapshot: one entity's name changed.
	code, out = tamper("snapshot.json", func(b []byte) []byte {
		return bytes.Replace(b, []byte("有限公司3"), []byte("有限公司8"), 1)
	})
	if code != 1 || !strings.Contains(out, "快照被改动") {
		t.Fatalf("tampered snapshot: %d %q", code, out)
	}
	// A changed seed.
	code, out = tamper("reveal.json", func(b []byte) []byte {
		var r draw.Reveal
		_ = json.Unmarshal(b, &r)
		r.Seed = strings.Repeat("5a", 32)
		b, _ = draw.Encode(r)
		return b
	})
	if code != 1 || !strings.Contains(out, "种子被更换") {
		t.Fatalf("changed seed: %d %q", code, out)
	}
	// A reordered pool: the inspectors listed backwards.
	code, out = tamper("snapshot.json", func(b []byte) []byte {
		var s draw.Snapshot
		_ = json.Unmarshal(b, &s)
		for i, j := 0, len(s.Assignees)-1; i < j; i, j = i+1, j-1 {
			s.Assignees[i], s.Assignees[j] = s.Assignees[j], s.Assignees[i]
		}
		b, _ = draw.Encode(s)
		return b
	})
	if code != 1 || !strings.Contains(out, "快照被改动") || !strings.Contains(out, "严格升序") {
		t.Fatalf("reordered pool: %d %q", code, out)
	}
	// Usage errors.
	if code, _, errOut := runCLI(t, "draw", "verify"); code != 1 || !strings.Contains(errOut, "四个文件") {
		t.Fatalf("no files: %d %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "draw"); code != 2 {
		t.Fatalf("no verb: %d", code)
	}
}
