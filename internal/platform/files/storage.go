package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"fazhi/internal/platform/apperr"
)

// Storage keeps file contents under keys the service generates. Keys are
// content addresses ("sha256/ab/ab12…"), never derived from user input, so
// no implementation ever builds a path from a file name. Local keeps them in
// a directory; S3 (s3.go) in an S3-compatible bucket with keys as object
// names.
type Storage interface {
	// Put stores size bytes from r under key, refusing (and keeping
	// nothing of) bytes whose SHA-256 is not the one the key names. Storing
	// a key that already exists is a no-op (the bytes are identical).
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Open returns the contents of key; a missing key is apperr NotFound.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// Exists reports whether key is stored.
	Exists(ctx context.Context, key string) (bool, error)
}

var keyPattern = regexp.MustCompile(`^sha256/[0-9a-f]{2}/[0-9a-f]{64}$`)

func checkKey(key string) error {
	if !keyPattern.MatchString(key) {
		return fmt.Errorf("files: invalid storage key %q", key)
	}
	return nil
}

// typedPutter is a Storage that records the content type with the bytes.
type typedPutter interface {
	PutTyped(ctx context.Context, key, contentType string, r io.Reader, size int64) error
}

// putBlob stores through PutTyped when the storage has it.
func putBlob(ctx context.Context, st Storage, key, contentType string, r io.Reader, size int64) error {
	if tp, ok := st.(typedPutter); ok {
		return tp.PutTyped(ctx, key, contentType, r, size)
	}
	return st.Put(ctx, key, r, size)
}

// storageErr keeps a storage error that already speaks to users (S3's
// NotFound and Unavailable) and wraps any other with msg.
func storageErr(err error, msg string) error {
	if apperr.As(err) != nil {
		return err
	}
	return apperr.Wrap(err, apperr.Unavailable, "%s", msg)
}

// keyHash is the SHA-256 (hex) a checked key names.
func keyHash(key string) string { return key[strings.LastIndexByte(key, '/')+1:] }

// checkSum returns an error unless h, fed the bytes written, hashes to what
// key names (both storages refuse content that is not its address).
func checkSum(key string, h hash.Hash) error {
	if got := hex.EncodeToString(h.Sum(nil)); got != keyHash(key) {
		return fmt.Errorf("files: content of %s hashes to %s", key, got)
	}
	return nil
}

// missingContent is the NotFound both storages answer for a key they do not
// hold although a row names it.
func missingContent(err error) error {
	return apperr.Wrap(err, apperr.NotFound, "附件内容在存储中不存在，请联系管理员")
}

// KeyFor is the content address of a file with the given SHA-256 (hex).
func KeyFor(sha256Hex string) string { return "sha256/" + sha256Hex[:2] + "/" + sha256Hex }

// Local stores files in a directory (DataDir/files by default).
type Local struct{ root string }

// NewLocal creates root if needed.
func NewLocal(root string) (*Local, error) {
	if err := os.MkdirAll(filepath.Join(root, ".tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("无法创建附件目录 %s：%w", root, err)
	}
	return &Local{root: root}, nil
}

// TempDir is where uploads are spooled before they are accepted; it is on
// the same file system as the store so accepting is a rename.
func (l *Local) TempDir() string { return filepath.Join(l.root, ".tmp") }

func (l *Local) path(key string) string { return filepath.Join(l.root, filepath.FromSlash(key)) }

func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if err := checkKey(key); err != nil {
		return err
	}
	dst := l.path(key)
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(l.TempDir(), "put-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err == nil && n != size {
		err = fmt.Errorf("files: wrote %d bytes, expected %d", n, size)
	}
	if err == nil {
		err = checkSum(key, h)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o440); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func (l *Local) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	f, err := os.Open(l.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, missingContent(err)
	}
	return f, err
}

func (l *Local) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	err := os.Remove(l.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func (l *Local) Exists(ctx context.Context, key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	_, err := os.Stat(l.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Count returns how many blobs are stored (tests assert nothing was kept).
func (l *Local) Count() (int, error) {
	n := 0
	err := filepath.WalkDir(l.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".tmp" {
			return fs.SkipDir
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	return n, err
}
