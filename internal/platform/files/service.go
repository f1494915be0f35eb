// Package files stores evidence (佐证材料): uploads checked against a size
// limit and a type allow-list decided from the content, hashed with SHA-256
// and SM3, kept in content-addressed storage, versioned, linked to any
// record, and downloadable only by someone who may read that record.
package files

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"

	"github.com/emmansun/gmsm/sm3"
)

// DefaultMaxSize is the upload limit unless configured (FAZHI_MAX_UPLOAD_MB).
const DefaultMaxSize = 50 << 20

// maxNameRunes bounds display names.
const maxNameRunes = 200

// File is one stored version of a piece of evidence.
type File struct {
	ID          int64     `json:"id"`
	EvidenceKey string    `json:"evidence_key" doc:"同一份佐证材料各版本共用的标识"`
	Version     int       `json:"version"`
	OwnerType   string    `json:"owner_type"`
	OwnerID     int64     `json:"owner_id"`
	UnitID      int64     `json:"unit_id"`
	Name        string    `json:"name" doc:"原文件名（仅用于显示）"`
	ContentType string    `json:"content_type"`
	Kind        Kind      `json:"kind"`
	KindLabel   string    `json:"kind_label"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	SM3         string    `json:"sm3"`
	UploadedBy  int64     `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
	storageKey  string
}

// OwnerCheck decides whether the actor in ctx may read (write=false) or add
// files to (write=true) the record ownerID, and returns that record's unit.
// It returns a NotFound or Forbidden apperr when not.
type OwnerCheck func(ctx context.Context, ownerID int64, write bool) (unitID int64, err error)

// Auditor writes one audit event in the caller's transaction. The wiring
// plugs in audit.Record; nil disables auditing (unit tests of this package).
type Auditor func(ctx context.Context, q db.Querier, action string, f *File) error

// Service is the evidence store.
type Service struct {
	db      *db.DB
	store   Storage
	tmpDir  string
	maxSize int64
	audit   Auditor

	mu     sync.RWMutex
	owners map[string]ownerReg
}

type ownerReg struct {
	label string
	check OwnerCheck
}

// Options configures a Service.
type Options struct {
	MaxSize int64  // bytes; 0 means DefaultMaxSize
	TempDir string // where uploads are spooled; "" means os.TempDir()
	Audit   Auditor
}

// NewService returns a Service storing bytes in store.
func NewService(d *db.DB, store Storage, opt Options) *Service {
	if opt.MaxSize <= 0 {
		opt.MaxSize = DefaultMaxSize
	}
	if opt.TempDir == "" {
		if l, ok := store.(*Local); ok {
			opt.TempDir = l.TempDir()
		} else {
			opt.TempDir = os.TempDir()
		}
	}
	return &Service{db: d, store: store, tmpDir: opt.TempDir, maxSize: opt.MaxSize, audit: opt.Audit, owners: map[string]ownerReg{}}
}

// MaxSize is the upload limit in bytes.
func (s *Service) MaxSize() int64 { return s.maxSize }

// RegisterOwner lets a module attach files to its records: check decides
// who may read and add them. label is the Chinese name of the record kind.
func (s *Service) RegisterOwner(ownerType, label string, check OwnerCheck) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owners[ownerType] = ownerReg{label: label, check: check}
}

func (s *Service) authorize(ctx context.Context, ownerType string, ownerID int64, write bool) (int64, error) {
	if auth.From(ctx) == nil {
		return 0, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	s.mu.RLock()
	reg, ok := s.owners[ownerType]
	s.mu.RUnlock()
	if !ok {
		return 0, apperr.Field("owner_type", "不支持的关联记录类型「%s」", ownerType)
	}
	if ownerID <= 0 {
		return 0, apperr.Field("owner_id", "缺少关联记录编号")
	}
	return reg.check(ctx, ownerID, write)
}

// CheckName returns the display name to store, or an Invalid error naming
// the problem. A name carrying a path ("../../etc/passwd", "a\\b.pdf") is
// refused rather than silently cut down: browsers send bare names, so a
// path means a crafted request.
func CheckName(name string) (string, error) {
	n := strings.TrimSpace(name)
	if n == "" {
		return "", apperr.Field("file", "缺少文件名")
	}
	if !utf8.ValidString(n) {
		return "", apperr.Field("file", "文件名不是有效的文字编码，请改名后重新上传")
	}
	if strings.ContainsAny(n, `/\`) || n == "." || strings.HasPrefix(n, "..") {
		return "", apperr.Field("file", "文件名「%s」含有路径（/、\\ 或 ..），不能上传；请改为不含路径的文件名后重新上传", printable(n))
	}
	for _, r := range n {
		if unicode.IsControl(r) || strings.ContainsRune(`<>:"|?*`, r) {
			return "", apperr.Field("file", "文件名「%s」含有不允许的字符（控制字符或 < > : \" | ? *），请改名后重新上传", printable(n))
		}
	}
	if utf8.RuneCountInString(n) > maxNameRunes {
		return "", apperr.Field("file", "文件名过长（不能超过 %d 个字），请改名后重新上传", maxNameRunes)
	}
	return n, nil
}

func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, s)
}

// UploadInput says what the upload is attached to. Replaces, when set, is
// the id of any version of an existing piece of evidence: the upload becomes
// its next version, on the same record.
type UploadInput struct {
	OwnerType string
	OwnerID   int64
	Name      string
	Replaces  int64
}

// Upload checks and stores one file read from r. When it refuses, nothing is
// kept: no row, no blob, no spooled temporary file.
func (s *Service) Upload(ctx context.Context, in UploadInput, r io.Reader) (*File, error) {
	actor := auth.From(ctx)
	if actor == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	name, err := CheckName(in.Name)
	if err != nil {
		return nil, err
	}
	var prev *File
	if in.Replaces > 0 {
		prev, err = s.load(ctx, s.db, in.Replaces)
		if err != nil {
			return nil, err
		}
		if (in.OwnerType != "" && in.OwnerType != prev.OwnerType) || (in.OwnerID != 0 && in.OwnerID != prev.OwnerID) {
			return nil, apperr.Field("replaces", "新版本必须与原文件关联同一条记录")
		}
		in.OwnerType, in.OwnerID = prev.OwnerType, prev.OwnerID
	}
	unitID, err := s.authorize(ctx, in.OwnerType, in.OwnerID, true)
	if err != nil {
		return nil, err
	}

	sp, err := s.spool(r, name)
	if err != nil {
		return nil, err
	}
	defer sp.close()

	f := &File{
		OwnerType: in.OwnerType, OwnerID: in.OwnerID, UnitID: unitID, Name: name,
		ContentType: sp.detected.ContentType, Kind: sp.detected.Kind, KindLabel: sp.detected.Kind.Label(),
		Size: sp.size, SHA256: sp.sha256, SM3: sp.sm3, UploadedBy: actor.UserID,
	}
	f.storageKey = KeyFor(f.SHA256)
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if err := putBlob(ctx, s.store, f.storageKey, f.ContentType, sp.f, sp.size); err != nil {
		return nil, storageErr(err, "文件存储暂不可用，请稍后重试")
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if prev != nil {
			f.EvidenceKey = prev.EvidenceKey
			if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM files WHERE evidence_key = ?", f.EvidenceKey).Scan(&f.Version); err != nil {
				return err
			}
		} else {
			f.EvidenceKey = newEvidenceKey()
			f.Version = 1
		}
		err := tx.QueryRow(ctx, `INSERT INTO files (evidence_key, version, owner_type, owner_id, unit_id, name, content_type, kind, size, sha256, sm3, storage_key, uploaded_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, created_at`,
			f.EvidenceKey, f.Version, f.OwnerType, f.OwnerID, f.UnitID, f.Name, f.ContentType, string(f.Kind), f.Size, f.SHA256, f.SM3, f.storageKey, f.UploadedBy).
			Scan(&f.ID, &f.CreatedAt)
		if err != nil {
			return db.Classify(err)
		}
		if s.audit != nil {
			return s.audit(ctx, tx, "file.upload", f)
		}
		return nil
	})
	if err != nil {
		s.dropIfUnused(f.storageKey)
		if apperr.Is(err, apperr.Conflict) {
			return nil, apperr.Wrap(err, apperr.Conflict, "同一材料正在被他人上传新版本，请刷新后重试")
		}
		return nil, err
	}
	return f, nil
}

// dropIfUnused deletes a blob no row refers to (an upload whose row could
// not be written).
func (s *Service) dropIfUnused(key string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var n int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM files WHERE storage_key = ?", key).Scan(&n); err == nil && n == 0 {
		_ = s.store.Delete(ctx, key)
	}
}

type spooled struct {
	f        *os.File
	size     int64
	sha256   string
	sm3      string
	detected Detected
}

func (sp *spooled) close() {
	sp.f.Close()
	os.Remove(sp.f.Name())
}

// spool copies r to a temporary file, hashing as it goes and stopping one
// byte past the limit, then checks the content type.
func (s *Service) spool(r io.Reader, name string) (*spooled, error) {
	tmp, err := os.CreateTemp(s.tmpDir, "upload-*")
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "文件存储暂不可用，请稍后重试")
	}
	sp := &spooled{f: tmp}
	h256, hsm3 := sha256.New(), sm3.New()
	n, err := io.Copy(io.MultiWriter(tmp, h256, hsm3), io.LimitReader(r, s.maxSize+1))
	if err != nil {
		sp.close()
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, s.tooLarge(name)
		}
		return nil, apperr.Wrap(err, apperr.Invalid, "文件「%s」上传中断，请重新上传", name)
	}
	if n > s.maxSize {
		sp.close()
		return nil, s.tooLarge(name)
	}
	sp.size = n
	sp.sha256 = hex.EncodeToString(h256.Sum(nil))
	sp.sm3 = hex.EncodeToString(hsm3.Sum(nil))
	head := make([]byte, sniffLen)
	k, err := tmp.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		sp.close()
		return nil, err
	}
	sp.detected, err = Detect(head[:k], tmp, n, name)
	if err != nil {
		sp.close()
		return nil, err
	}
	return sp, nil
}

func (s *Service) tooLarge(name string) error {
	e := apperr.Field("file", "文件「%s」超过大小上限 %s，不能上传", name, humanSize(s.maxSize))
	e.Code = apperr.TooLarge
	return e
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

func newEvidenceKey() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

const fileCols = "id, evidence_key, version, owner_type, owner_id, unit_id, name, content_type, kind, size, sha256, sm3, storage_key, uploaded_by, created_at"

func scanFile(row db.Scanner) (File, error) {
	var f File
	var kind string
	if err := row.Scan(&f.ID, &f.EvidenceKey, &f.Version, &f.OwnerType, &f.OwnerID, &f.UnitID, &f.Name, &f.ContentType, &kind, &f.Size, &f.SHA256, &f.SM3, &f.storageKey, &f.UploadedBy, &f.CreatedAt); err != nil {
		return f, err
	}
	f.Kind = Kind(kind)
	f.KindLabel = f.Kind.Label()
	return f, nil
}

func (s *Service) load(ctx context.Context, q db.Querier, id int64) (*File, error) {
	f, err := scanFile(q.QueryRow(ctx, "SELECT "+fileCols+" FROM files WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "文件不存在")
	}
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// Get returns a file's metadata if the actor may read its record.
func (s *Service) Get(ctx context.Context, id int64) (*File, error) {
	f, err := s.load(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	// The owner check answers as for the record itself: forbidden without
	// the permission, not found outside the data scope.
	if _, err := s.authorize(ctx, f.OwnerType, f.OwnerID, false); err != nil {
		return nil, err
	}
	return f, nil
}

// Open returns a file's metadata and contents if the actor may read its
// record. The caller closes the reader.
func (s *Service) Open(ctx context.Context, id int64) (*File, io.ReadCloser, error) {
	f, err := s.Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	rc, err := s.store.Open(ctx, f.storageKey)
	if err != nil {
		return nil, nil, storageErr(err, "文件内容暂时无法读取，请联系管理员")
	}
	return f, rc, nil
}

// List returns the latest version of each piece of evidence on a record.
func (s *Service) List(ctx context.Context, ownerType string, ownerID int64) ([]File, error) {
	if _, err := s.authorize(ctx, ownerType, ownerID, false); err != nil {
		return nil, err
	}
	return s.ListFor(ctx, s.db, ownerType, ownerID)
}

// ListFor lists without an authorization check, for modules that already
// checked access to their record (timelines, exports).
func (s *Service) ListFor(ctx context.Context, q db.Querier, ownerType string, ownerID int64) ([]File, error) {
	return db.All(ctx, q, scanFile, "SELECT "+fileCols+` FROM files f WHERE owner_type = ? AND owner_id = ?
AND version = (SELECT MAX(version) FROM files g WHERE g.evidence_key = f.evidence_key) ORDER BY id`, ownerType, ownerID)
}

// Versions returns every version of the evidence that file id belongs to,
// newest first.
func (s *Service) Versions(ctx context.Context, id int64) ([]File, error) {
	f, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return db.All(ctx, s.db, scanFile, "SELECT "+fileCols+" FROM files WHERE evidence_key = ? ORDER BY version DESC", f.EvidenceKey)
}

// Count returns how many pieces of evidence a record has (for procedure
// gates such as "no close-out without evidence").
func (s *Service) Count(ctx context.Context, q db.Querier, ownerType string, ownerID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(DISTINCT evidence_key) FROM files WHERE owner_type = ? AND owner_id = ?", ownerType, ownerID).Scan(&n)
	return n, err
}
