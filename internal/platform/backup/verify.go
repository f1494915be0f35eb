package backup

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
)

// maxManifest bounds the manifest read into memory (a million files fit).
const maxManifest = 256 << 20

var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

func integrity(format string, args ...any) error {
	return fmt.Errorf("%w：%s", ErrIntegrity, fmt.Sprintf(format, args...))
}

// Verify reads the whole archive and checks every member against the
// manifest. It returns the manifest when the archive is intact and an error
// wrapping ErrIntegrity when it is not.
func Verify(archive string) (*Manifest, error) {
	return read(archive, nil, nil)
}

// read walks archive. onManifest (optional) may refuse the archive before
// any member is read; onMember (optional) consumes each member's content,
// whose hash and size are checked after it returns. Members not consumed
// are drained and checked all the same.
func read(archive string, onManifest func(*Manifest) error, onMember func(Member, io.Reader) error) (*Manifest, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, fmt.Errorf("无法打开备份文件 %s：%w", archive, err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, integrity("%s 不是 gzip 压缩的 fazhi 备份文件", archive)
	}
	tr := tar.NewReader(gz)

	hdr, err := tr.Next()
	if err != nil {
		return nil, integrity("无法读取归档内容（%v）", err)
	}
	if hdr.Name != ManifestName {
		return nil, integrity("第一个成员应为 %s，实为 %q：这不是 fazhi 备份文件", ManifestName, hdr.Name)
	}
	if hdr.Size > maxManifest {
		return nil, integrity("清单 %s 过大", ManifestName)
	}
	raw, err := io.ReadAll(io.LimitReader(tr, maxManifest))
	if err != nil {
		return nil, integrity("清单读取失败（%v）", err)
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, integrity("清单不是有效的 JSON（%v）", err)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	if onManifest != nil {
		if err := onManifest(&m); err != nil {
			return nil, err
		}
	}

	want := make(map[string]Member, len(m.Members))
	for _, mb := range m.Members {
		want[mb.Name] = mb
	}
	seen := make(map[string]bool, len(m.Members))
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, integrity("归档已损坏（%v）", err)
		}
		mb, ok := want[hdr.Name]
		if !ok {
			return nil, integrity("成员 %q 不在清单中", hdr.Name)
		}
		if seen[hdr.Name] {
			return nil, integrity("成员 %q 重复出现", hdr.Name)
		}
		seen[hdr.Name] = true
		if hdr.Typeflag != tar.TypeReg {
			return nil, integrity("成员 %q 不是普通文件", hdr.Name)
		}
		if hdr.Size != mb.Size {
			return nil, integrity("成员 %s 的大小为 %d 字节，清单记录为 %d 字节（已损坏或被篡改）", mb.Name, hdr.Size, mb.Size)
		}
		h := sha256.New()
		r := io.TeeReader(tr, h)
		if onMember != nil {
			if err := onMember(mb, r); err != nil {
				return nil, err
			}
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			return nil, integrity("成员 %s 读取失败，归档已损坏（%v）", mb.Name, err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != mb.SHA256 {
			return nil, integrity("成员 %s 的 SHA-256 与清单不符（已损坏或被篡改）", mb.Name)
		}
	}
	// The tar end marker comes before the end of the gzip stream: read on
	// so the gzip checksum is checked too.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return nil, integrity("压缩数据已损坏（%v）", err)
	}
	if err := gz.Close(); err != nil {
		return nil, integrity("压缩数据已损坏（%v）", err)
	}
	for _, mb := range m.Members {
		if !seen[mb.Name] {
			return nil, integrity("缺少清单中的成员 %s", mb.Name)
		}
	}
	return &m, nil
}

// check validates the manifest itself.
func (m *Manifest) check() error {
	if m.Format != Format {
		return integrity("清单格式为 %q，不是 fazhi 备份", m.Format)
	}
	if m.FormatVersion < 1 || m.FormatVersion > FormatVersion {
		return fmt.Errorf("备份格式版本 %d 不受本程序支持（最高 %d）：请使用更新版本的 fazhi", m.FormatVersion, FormatVersion)
	}
	switch {
	case m.Dialect == "sqlite" && m.Database == SQLiteMember:
	case m.Dialect == "postgres" && m.Database == PostgresMember:
	default:
		return integrity("清单中的数据库类型 %q 与成员 %q 不符", m.Dialect, m.Database)
	}
	seen := map[string]bool{}
	hasDB := false
	for _, mb := range m.Members {
		if !safeName(mb.Name) {
			return integrity("清单中的成员名 %q 不安全或不合规", mb.Name)
		}
		if seen[mb.Name] {
			return integrity("清单中的成员 %q 重复", mb.Name)
		}
		seen[mb.Name] = true
		if !hexSHA256.MatchString(mb.SHA256) || mb.Size < 0 {
			return integrity("清单中成员 %q 的哈希或大小无效", mb.Name)
		}
		if mb.Name == m.Database {
			hasDB = true
		} else if mb.Name == SQLiteMember || mb.Name == PostgresMember {
			return integrity("清单中多出数据库成员 %q", mb.Name)
		}
	}
	if !hasDB {
		return integrity("清单中缺少数据库成员 %s", m.Database)
	}
	return nil
}
