package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/files/s3fake"
)

const testBucket = "fazhi-evidence"

// countedStore is a Storage the tests can count blobs in.
type countedStore interface {
	Storage
	Count() (int, error)
}

// s3Counted counts the objects the fake server holds.
type s3Counted struct {
	*S3
	fake *s3fake.Server
}

func (s s3Counted) Count() (int, error) { return len(s.fake.Keys(testBucket)), nil }

func testS3Config(fake *s3fake.Server) S3Config {
	return S3Config{Endpoint: fake.Endpoint(), Bucket: testBucket, AccessKey: s3fake.AccessKey, SecretKey: s3fake.SecretKey, MaxRetries: 1}
}

// newTestStore returns a store of the given kind and the directory the
// service should spool uploads to.
func newTestStore(t *testing.T, kind string) (countedStore, string) {
	t.Helper()
	switch kind {
	case "local":
		l, err := NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return l, l.TempDir()
	case "s3":
		fake := s3fake.New(testBucket)
		t.Cleanup(fake.Close)
		s, err := NewS3(context.Background(), testS3Config(fake))
		if err != nil {
			t.Fatal(err)
		}
		return s3Counted{s, fake}, t.TempDir()
	}
	t.Fatalf("unknown store kind %q", kind)
	return nil, ""
}

var storeKinds = []string{"local", "s3"}

// eachStore runs fn against each storage kind on a fresh database of each
// dialect.
func eachStore(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newFixture(t, d, kind)) })
		})
	}
}

func keyOf(b []byte) string {
	sum := sha256.Sum256(b)
	return KeyFor(hex.EncodeToString(sum[:]))
}

// TestStorageContract holds both stores to the Storage interface's promises.
func TestStorageContract(t *testing.T) {
	ctx := context.Background()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			st, _ := newTestStore(t, kind)
			content := pdfBytes("合同")
			key := keyOf(content)
			if ok, err := st.Exists(ctx, key); ok || err != nil {
				t.Fatalf("exists before put: %v %v", ok, err)
			}
			// Missing content is NotFound with a Chinese message.
			_, err := st.Open(ctx, key)
			if e := apperr.As(err); e == nil || e.Code != apperr.NotFound || !strings.Contains(e.Message, "不存在") {
				t.Fatalf("open missing: want not_found, got %v", err)
			}
			if err := st.Put(ctx, key, bytes.NewReader(content), int64(len(content))); err != nil {
				t.Fatal(err)
			}
			if ok, err := st.Exists(ctx, key); !ok || err != nil {
				t.Fatalf("exists after put: %v %v", ok, err)
			}
			rc, err := st.Open(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("read back %q, %v", got, err)
			}
			// Same key again: a no-op, still one blob.
			if err := st.Put(ctx, key, bytes.NewReader(content), int64(len(content))); err != nil {
				t.Fatal(err)
			}
			if n, _ := st.Count(); n != 1 {
				t.Fatalf("blobs after storing twice = %d, want 1", n)
			}
			// Bytes that do not hash to the key are refused and not kept.
			other := pdfBytes("另一份")
			wrongKey := keyOf([]byte("something else"))
			if err := st.Put(ctx, wrongKey, bytes.NewReader(other), int64(len(other))); err == nil {
				t.Fatal("put with a key that does not match the content succeeded")
			}
			if ok, _ := st.Exists(ctx, wrongKey); ok {
				t.Fatal("mismatched content stayed stored")
			}
			// Short content is refused too.
			short := pdfBytes("截断")
			if err := st.Put(ctx, keyOf(short), bytes.NewReader(short[:10]), int64(len(short))); err == nil {
				t.Fatal("short content accepted")
			}
			if n, _ := st.Count(); n != 1 {
				t.Fatalf("blobs after refused puts = %d, want 1", n)
			}
			// Keys that are not content addresses never reach the store.
			for _, bad := range []string{"../../etc/passwd", "sha256/ab/../../x", "整改报告.pdf", ""} {
				if err := st.Put(ctx, bad, bytes.NewReader(content), int64(len(content))); err == nil {
					t.Errorf("put %q accepted", bad)
				}
				if _, err := st.Open(ctx, bad); err == nil {
					t.Errorf("open %q accepted", bad)
				}
			}
			if err := st.Delete(ctx, key); err != nil {
				t.Fatal(err)
			}
			if ok, err := st.Exists(ctx, key); ok || err != nil {
				t.Fatalf("exists after delete: %v %v", ok, err)
			}
			if err := st.Delete(ctx, key); err != nil {
				t.Fatalf("deleting a missing key: %v", err)
			}
			if n, _ := st.Count(); n != 0 {
				t.Fatalf("blobs after delete = %d", n)
			}
		})
	}
}

// TestS3Objects checks what lands in the bucket: the content address under
// the prefix, the content type, and a streaming-signature upload over
// plain HTTP.
func TestS3Objects(t *testing.T) {
	ctx := context.Background()
	fake := s3fake.New(testBucket)
	defer fake.Close()
	cfg := testS3Config(fake)
	cfg.Prefix = "/gov/fazhi/"
	s, err := NewS3(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	content := bytes.Repeat(pdfBytes("分块"), 5000) // > 64 KiB: several signed chunks
	key := keyOf(content)
	if err := putBlob(ctx, s, key, "application/pdf", bytes.NewReader(content), int64(len(content))); err != nil {
		t.Fatal(err)
	}
	if keys := fake.Keys(testBucket); len(keys) != 1 || keys[0] != "gov/fazhi/"+key {
		t.Fatalf("objects: %v, want gov/fazhi/%s", keys, key)
	}
	o, _ := fake.Object(testBucket, "gov/fazhi/"+key)
	if !bytes.Equal(o.Data, content) || o.ContentType != "application/pdf" {
		t.Fatalf("stored %d bytes as %q", len(o.Data), o.ContentType)
	}
	var streamed bool
	for _, r := range fake.Requests() {
		if r.Method == "PUT" && strings.HasPrefix(r.ContentSHA256, "STREAMING-") {
			streamed = true
		}
		if r.Method == "GET" && strings.Contains(r.Path, "location") {
			t.Errorf("the region is configured, yet the client looked up the bucket location: %+v", r)
		}
	}
	if !streamed {
		t.Fatalf("expected a streaming-signature PUT, saw %+v", fake.Requests())
	}
	rc, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, content) {
		t.Fatal("read back differs")
	}
}

// TestS3OverTLS: with TLS (the default) the body goes as it is, signed as
// UNSIGNED-PAYLOAD, and reads back the same.
func TestS3OverTLS(t *testing.T) {
	ctx := context.Background()
	fake := s3fake.NewTLS(testBucket)
	defer fake.Close()
	cfg := testS3Config(fake)
	cfg.Secure = true
	cfg.Transport = fake.Client().Transport
	s, err := NewS3(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	content := pdfBytes("加密传输")
	key := keyOf(content)
	if err := putBlob(ctx, s, key, "application/pdf", bytes.NewReader(content), int64(len(content))); err != nil {
		t.Fatal(err)
	}
	if o, ok := fake.Object(testBucket, key); !ok || !bytes.Equal(o.Data, content) || o.ContentType != "application/pdf" {
		t.Fatalf("stored %+v %v", o, ok)
	}
	for _, r := range fake.Requests() {
		if r.Method == "PUT" && r.ContentSHA256 != "UNSIGNED-PAYLOAD" {
			t.Fatalf("PUT over TLS signed as %q", r.ContentSHA256)
		}
	}
	rc, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, content) {
		t.Fatal("read back differs")
	}
}

// TestS3Unavailable: with the server gone every operation is Unavailable
// with the user-facing message, and the cause is logged.
func TestS3Unavailable(t *testing.T) {
	ctx := context.Background()
	fake := s3fake.New(testBucket)
	var logs bytes.Buffer
	cfg := testS3Config(fake)
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	s, err := NewS3(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fake.Close()
	content := pdfBytes("断线")
	key := keyOf(content)
	check := func(op string, err error) {
		t.Helper()
		if e := apperr.As(err); e == nil || e.Code != apperr.Unavailable || e.Message != "附件存储服务不可用" {
			t.Fatalf("%s with the server down: want unavailable, got %v", op, err)
		}
	}
	check("put", s.Put(ctx, key, bytes.NewReader(content), int64(len(content))))
	_, err = s.Open(ctx, key)
	check("open", err)
	_, err = s.Exists(ctx, key)
	check("exists", err)
	check("delete", s.Delete(ctx, key))
	if !strings.Contains(logs.String(), "S3 storage failed") || !strings.Contains(logs.String(), "op=get") || !strings.Contains(logs.String(), key) {
		t.Fatalf("failures not logged: %s", logs.String())
	}

	// Through the service: the upload is refused with the same message and
	// leaves no row and no spooled file.
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		tmp := t.TempDir()
		svc := NewService(d, s, Options{TempDir: tmp})
		svc.RegisterOwner("rec", "测试记录", func(ctx context.Context, id int64, write bool) (int64, error) { return 7, nil })
		_, err := svc.Upload(actor(), UploadInput{OwnerType: "rec", OwnerID: 1, Name: "a.pdf"}, bytes.NewReader(content))
		check("upload", err)
		var rows int
		d.QueryRow(ctx, "SELECT COUNT(*) FROM files").Scan(&rows)
		if rows != 0 {
			t.Fatalf("rows after a failed upload: %d", rows)
		}
	})
}

// TestS3StartupChecks: configuration and bucket problems stop start-up
// with a message naming what to fix.
func TestS3StartupChecks(t *testing.T) {
	ctx := context.Background()
	fake := s3fake.New(testBucket)
	defer fake.Close()
	cases := []struct {
		name string
		edit func(*S3Config)
		want string
	}{
		{"bucket missing", func(c *S3Config) { c.Bucket = "no-such-bucket" }, "不存在存储桶「no-such-bucket」"},
		{"wrong access key", func(c *S3Config) { c.AccessKey = "nobody" }, "--s3-access-key"},
		{"no secret", func(c *S3Config) { c.SecretKey = "" }, "还须设置：--s3-secret-key"},
		{"only a bucket", func(c *S3Config) { c.Endpoint, c.AccessKey, c.SecretKey = "", "", "" }, "--s3-endpoint (FAZHI_S3_ENDPOINT)、--s3-access-key"},
		{"bad bucket name", func(c *S3Config) { c.Bucket = "Evidence_Files" }, "存储桶名称「Evidence_Files」不合规"},
		{"http with TLS", func(c *S3Config) { c.Endpoint, c.Secure = "http://"+fake.Endpoint(), true }, "--s3-secure=false"},
		{"endpoint with a path", func(c *S3Config) { c.Endpoint = "http://" + fake.Endpoint() + "/fazhi" }, "不能带路径"},
		{"prefix climbing out", func(c *S3Config) { c.Prefix = "a/../b" }, "--s3-prefix「a/../b」不合规"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testS3Config(fake)
			c.edit(&cfg)
			s, err := NewS3(ctx, cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error containing %q, got %v", c.want, err)
			}
			if s != nil {
				t.Fatal("a store was returned with the error")
			}
		})
	}
	// A server that does not answer.
	down := s3fake.New(testBucket)
	down.Close()
	cfg := testS3Config(down)
	if _, err := NewS3(ctx, cfg); err == nil || !strings.Contains(err.Error(), "无法连接对象存储") {
		t.Fatalf("server down at start: %v", err)
	}
	// http:// with Secure off is accepted as host:port.
	cfg = testS3Config(fake)
	cfg.Endpoint = "http://" + fake.Endpoint()
	if _, err := NewS3(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if (S3Config{}).Enabled() || (S3Config{}).Validate() != nil {
		t.Fatal("an empty S3Config must mean local storage")
	}
}

// TestServiceOnS3MissingBlob: a row whose object is gone downloads as
// NotFound, not as a server error.
func TestServiceOnS3MissingBlob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, "s3")
		ctx := actor("rec.read", "rec.write")
		got, err := f.svc.Upload(ctx, UploadInput{OwnerType: "rec", OwnerID: 1, Name: "a.pdf"}, bytes.NewReader(pdfBytes("丢失")))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.store.Delete(context.Background(), got.storageKey); err != nil {
			t.Fatal(err)
		}
		_, _, err = f.svc.Open(ctx, got.ID)
		if !apperr.Is(err, apperr.NotFound) || errors.Is(err, io.EOF) {
			t.Fatalf("want not_found, got %v", err)
		}
	})
}
