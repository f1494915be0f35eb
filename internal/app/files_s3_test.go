package app

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"fazhi/internal/finding"
	"fazhi/internal/org"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/files/s3fake"
)

func s3TestConfig(fake *s3fake.Server, bucket string) files.S3Config {
	return files.S3Config{Endpoint: fake.Endpoint(), Bucket: bucket, AccessKey: s3fake.AccessKey, SecretKey: s3fake.SecretKey,
		Region: files.DefaultS3Region, Prefix: "fazhi", MaxRetries: 1}
}

// TestFilesOnS3 runs the whole program against a fake S3 server: a signed-in
// clerk uploads evidence through POST /api/files, the object lands in the
// bucket under its content address, and the download returns the same bytes.
func TestFilesOnS3(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		fake := s3fake.New("fazhi-evidence")
		defer fake.Close()
		dataDir := t.TempDir()
		a, err := New(ctx, Config{DB: dsn, DataDir: dataDir, S3: s3TestConfig(fake, "fazhi-evidence")})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		h := a.Handler()

		// A unit, a clerk in it and a finding the clerk may attach evidence to.
		sys := auth.With(ctx, auth.SystemActor("s3 test"))
		orgs := org.NewService(a.DB)
		units, _, err := orgs.ListUnits(sys, org.UnitFilter{}, db.Page{})
		if err != nil || len(units) == 0 {
			t.Fatalf("root unit: %v %v", units, err)
		}
		unit, err := orgs.CreateUnit(sys, org.UnitInput{Code: "S3-T", Name: "对象存储测试科", Type: org.TypeOffice, ParentID: units[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := orgs.CreateUser(sys, org.UserInput{Username: "s3_clerk", Name: "测试经办人", UnitID: unit.ID, Password: org.DemoPassword,
			Roles: []org.Assignment{{Role: org.RoleClerk}}}); err != nil {
			t.Fatal(err)
		}
		fd, err := a.Engines().Findings.Create(sys, finding.CreateInput{Title: "对象存储测试问题", Source: "inspection", UnitID: unit.ID, Severity: "general", FoundOn: calendar.Today(time.Now()).String()})
		if err != nil {
			t.Fatal(err)
		}

		cookie := loginCookie(t, h, "s3_clerk")

		content := []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n整改佐证材料（对象存储）\n%%EOF\n")
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("owner_type", finding.OwnerType)
		mw.WriteField("owner_id", strconv.FormatInt(fd.ID, 10))
		pw, _ := mw.CreateFormFile("file", "整改报告.pdf")
		pw.Write(content)
		mw.Close()
		r := httptest.NewRequest("POST", "/api/files", &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusCreated {
			t.Fatalf("upload: %d %s", w.Code, w.Body.String())
		}
		var up files.File
		if err := json.Unmarshal(w.Body.Bytes(), &up); err != nil {
			t.Fatal(err)
		}

		// The object is in the bucket, under the prefix and content address.
		name := "fazhi/" + files.KeyFor(up.SHA256)
		obj, ok := fake.Object("fazhi-evidence", name)
		if !ok || !bytes.Equal(obj.Data, content) || obj.ContentType != "application/pdf" {
			t.Fatalf("bucket holds %v; object %q found=%v type=%q", fake.Keys("fazhi-evidence"), name, ok, obj.ContentType)
		}
		// Nothing went to the local store, and the spool is empty again.
		if ents, _ := readDirNames(dataDir + "/files"); len(ents) != 0 {
			t.Fatalf("local store used alongside S3: %v", ents)
		}
		if ents, _ := readDirNames(dataDir + "/upload-tmp"); len(ents) != 0 {
			t.Fatalf("spooled uploads left behind: %v", ents)
		}

		r = httptest.NewRequest("GET", "/api/files/"+strconv.FormatInt(up.ID, 10)+"/download", nil)
		r.AddCookie(cookie)
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		got, _ := io.ReadAll(w.Result().Body)
		if w.Code != 200 || !bytes.Equal(got, content) || w.Header().Get("X-Checksum-SHA256") != up.SHA256 {
			t.Fatalf("download: %d %q", w.Code, got)
		}

		// With the storage server gone the download answers 503 with the
		// storage message, not an internal error.
		fake.Close()
		r = httptest.NewRequest("GET", "/api/files/"+strconv.FormatInt(up.ID, 10)+"/download", nil)
		r.AddCookie(cookie)
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "附件存储服务不可用") {
			t.Fatalf("download with S3 down: %d %s", w.Code, w.Body.String())
		}
	})
}

func readDirNames(dir string) ([]string, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Readdirnames(-1)
}

// TestS3StartupRefused: a bucket that does not exist stops app.New with a
// message naming the bucket, before anything is served.
func TestS3StartupRefused(t *testing.T) {
	fake := s3fake.New("other-bucket")
	defer fake.Close()
	dir := t.TempDir()
	_, err := New(context.Background(), Config{DB: dir + "/fazhi.db", DataDir: dir, S3: s3TestConfig(fake, "fazhi-evidence")})
	if err == nil || !strings.Contains(err.Error(), "不存在存储桶「fazhi-evidence」") || !strings.Contains(err.Error(), "--s3-bucket") {
		t.Fatalf("want a missing-bucket error, got %v", err)
	}
}

// TestS3Flags: the flags and FAZHI_S3_* variables fill Config.S3, TLS is on
// by default, and an incomplete setting is refused by Normalize.
func TestS3Flags(t *testing.T) {
	parse := func(args ...string) (Config, error) {
		var c Config
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		ServeFlags(fs, &c)
		if err := fs.Parse(args); err != nil {
			return c, err
		}
		return c, c.Normalize()
	}
	c, err := parse()
	if err != nil || c.S3.Enabled() || !c.S3.Secure || c.S3.Region != "us-east-1" {
		t.Fatalf("defaults: %+v %v", c.S3, err)
	}
	t.Setenv("FAZHI_S3_SECRET_KEY", "from-env")
	t.Setenv("FAZHI_S3_BUCKET", "env-bucket")
	c, err = parse("--s3-endpoint", "minio.gov.local:9000", "--s3-bucket", "fazhi-evidence", "--s3-access-key", "ak",
		"--s3-region", "cn-chongqing", "--s3-secure=false", "--s3-prefix", "qh")
	want := files.S3Config{Endpoint: "minio.gov.local:9000", Bucket: "fazhi-evidence", AccessKey: "ak", SecretKey: "from-env", Region: "cn-chongqing", Prefix: "qh"}
	if err != nil || c.S3 != want {
		t.Fatalf("flags: %+v %v", c.S3, err)
	}
	if _, err := parse("--s3-endpoint", "minio.gov.local:9000"); err == nil || !strings.Contains(err.Error(), "--s3-access-key") {
		t.Fatalf("incomplete S3 settings: %v", err)
	}
}
