package files

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/httpx"

	"github.com/emmansun/gmsm/sm3"
)

const testMax = 64 << 10

type fixture struct {
	d      *db.DB
	store  countedStore
	tmpDir string // where the service spools uploads
	svc    *Service
}

// newFixture registers owner type "rec": record 1 belongs to unit 7; read
// needs rec.read, write needs rec.write. kind is "local" or "s3" (see
// newTestStore in s3_test.go).
func newFixture(t *testing.T, d *db.DB, kind string) *fixture {
	store, tmpDir := newTestStore(t, kind)
	svc := NewService(d, store, Options{MaxSize: testMax, TempDir: tmpDir})
	svc.RegisterOwner("rec", "测试记录", func(ctx context.Context, id int64, write bool) (int64, error) {
		perm := "rec.read"
		if write {
			perm = "rec.write"
		}
		if _, err := auth.Require(ctx, perm); err != nil {
			return 0, err
		}
		if id != 1 {
			return 0, apperr.New(apperr.NotFound, "记录不存在")
		}
		return 7, nil
	})
	return &fixture{d: d, store: store, tmpDir: tmpDir, svc: svc}
}

func actor(perms ...string) context.Context {
	a := &auth.Actor{UserID: 5, Username: "clerk", Perms: map[string]auth.Scope{}}
	for _, p := range perms {
		a.Perms[p] = auth.Scope{All: true}
	}
	return auth.With(context.Background(), a)
}

func pdfBytes(extra string) []byte {
	return []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" + extra + "\n%%EOF\n")
}

func ooxml(t *testing.T, parts map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (f *fixture) stored(t *testing.T) (rows, blobs, temps int) {
	t.Helper()
	if err := f.d.QueryRow(context.Background(), "SELECT COUNT(*) FROM files").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	var err error
	if blobs, err = f.store.Count(); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(f.tmpDir)
	if err != nil {
		t.Fatal(err)
	}
	return rows, blobs, len(ents)
}

func TestUploadHashesVersionsAndDownload(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		ctx := actor("rec.read", "rec.write")
		content := pdfBytes("第一版")
		got, err := f.svc.Upload(ctx, UploadInput{OwnerType: "rec", OwnerID: 1, Name: "整改报告.pdf"}, bytes.NewReader(content))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(content)
		h := sm3.New()
		h.Write(content)
		if got.SHA256 != hex.EncodeToString(sum[:]) || got.SM3 != hex.EncodeToString(h.Sum(nil)) {
			t.Fatalf("hashes: got %s / %s", got.SHA256, got.SM3)
		}
		if got.Kind != KindPDF || got.ContentType != "application/pdf" || got.Version != 1 || got.UnitID != 7 || got.Size != int64(len(content)) || got.UploadedBy != 5 {
			t.Fatalf("unexpected file: %+v", got)
		}
		if !strings.HasSuffix(got.storageKey, got.SHA256) || strings.Contains(got.storageKey, "整改") {
			t.Fatalf("storage key must be the content address, got %q", got.storageKey)
		}

		// A new version of the same evidence.
		v2content := ooxml(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "word/document.xml": []byte("<w:document/>")})
		v2, err := f.svc.Upload(ctx, UploadInput{Name: "整改报告（修订）.docx", Replaces: got.ID}, bytes.NewReader(v2content))
		if err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 || v2.EvidenceKey != got.EvidenceKey || v2.OwnerType != "rec" || v2.OwnerID != 1 || v2.Kind != KindOOXML ||
			v2.ContentType != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Fatalf("version 2: %+v", v2)
		}
		list, err := f.svc.List(ctx, "rec", 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != v2.ID {
			t.Fatalf("list should hold only the latest version, got %+v", list)
		}
		vs, err := f.svc.Versions(ctx, got.ID)
		if err != nil || len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 {
			t.Fatalf("versions: %v %+v", err, vs)
		}
		if n, _ := f.svc.Count(ctx, f.d, "rec", 1); n != 1 {
			t.Fatalf("count of evidence = %d, want 1", n)
		}

		// Download with permission returns the exact bytes.
		_, rc, err := f.svc.Open(ctx, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(b, content) {
			t.Fatal("downloaded bytes differ")
		}
		// Without read permission on the owning record: forbidden.
		if _, _, err := f.svc.Open(actor("rec.write"), got.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("download without rec.read: want forbidden, got %v", err)
		}
		// A record outside the actor's reach: not found, nothing leaks.
		if _, err := f.svc.List(ctx, "rec", 2); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("list of another record: want not_found, got %v", err)
		}
		if _, err := f.svc.List(actor(), "rec", 1); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("list without permission: want forbidden, got %v", err)
		}
		// Upload needs write on the record.
		if _, err := f.svc.Upload(actor("rec.read"), UploadInput{OwnerType: "rec", OwnerID: 1, Name: "a.pdf"}, bytes.NewReader(content)); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("upload without rec.write: want forbidden, got %v", err)
		}
		// Unknown owner types are refused.
		if _, err := f.svc.Upload(ctx, UploadInput{OwnerType: "nope", OwnerID: 1, Name: "a.pdf"}, bytes.NewReader(content)); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("unknown owner type: got %v", err)
		}
		// Same bytes again: a second row, one blob (content addressed).
		if _, err := f.svc.Upload(ctx, UploadInput{OwnerType: "rec", OwnerID: 1, Name: "副本.pdf"}, bytes.NewReader(content)); err != nil {
			t.Fatal(err)
		}
		rows, blobs, temps := f.stored(t)
		if rows != 3 || blobs != 2 || temps != 0 {
			t.Fatalf("rows=%d blobs=%d temps=%d, want 3, 2, 0", rows, blobs, temps)
		}
	})
}

// TestUploadRefusals is the must-show: each refusal has a clear
// Chinese message and leaves no row, no blob and no temporary file.
func TestUploadRefusals(t *testing.T) {
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0}, 200)...)
	pe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
	cases := []struct {
		name     string
		fileName string
		content  []byte
		code     apperr.Code
		want     string
	}{
		{"ELF renamed .pdf", "报告.pdf", elf, apperr.Invalid, "可执行程序（ELF），禁止上传"},
		{"Windows exe renamed .pdf", "报告.pdf", pe, apperr.Invalid, "可执行程序（Windows EXE/DLL），禁止上传"},
		{"Mach-O renamed .docx", "a.docx", append([]byte{0xCF, 0xFA, 0xED, 0xFE}, make([]byte, 64)...), apperr.Invalid, "Mach-O"},
		{"shell script renamed .pdf", "说明.pdf", []byte("#!/bin/sh\nrm -rf /\n"), apperr.Invalid, "脚本程序，禁止上传"},
		{"oversized", "大文件.pdf", append(pdfBytes(""), bytes.Repeat([]byte("x"), testMax)...), apperr.TooLarge, "超过大小上限 64 KB"},
		{"path traversal", "../../etc/passwd", pdfBytes(""), apperr.Invalid, "文件名「../../etc/passwd」含有路径"},
		{"windows path traversal", `..\..\boot.ini`, pdfBytes(""), apperr.Invalid, "含有路径"},
		{"absolute path", "/etc/shadow", pdfBytes(""), apperr.Invalid, "含有路径"},
		{"control character", "a\x00.pdf", pdfBytes(""), apperr.Invalid, "不允许的字符"},
		{"html", "page.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), apperr.Invalid, "网页 HTML"},
		{"plain zip", "a.docx", nil, apperr.Invalid, "普通压缩包"},
		{"docx carrying an exe", "a.docx", nil, apperr.Invalid, "内含可执行程序"},
		{"empty", "a.txt", []byte{}, apperr.Invalid, "空文件"},
	}
	eachStore(t, func(t *testing.T, f *fixture) {
		ctx := actor("rec.read", "rec.write")
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				content := c.content
				switch c.name {
				case "plain zip":
					content = ooxml(t, map[string][]byte{"readme.txt": []byte("hi")})
				case "docx carrying an exe":
					content = ooxml(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "word/document.xml": []byte("<w/>"), "word/embeddings/x.bin": elf})
				}
				_, err := f.svc.Upload(ctx, UploadInput{OwnerType: "rec", OwnerID: 1, Name: c.fileName}, bytes.NewReader(content))
				e := apperr.As(err)
				if e == nil || e.Code != c.code || !strings.Contains(e.Message, c.want) {
					t.Fatalf("want %s containing %q, got %v", c.code, c.want, err)
				}
				if len(e.Fields) != 1 || e.Fields[0].Field != "file" {
					t.Fatalf("the error should name the field: %+v", e.Fields)
				}
				if rows, blobs, temps := f.stored(t); rows != 0 || blobs != 0 || temps != 0 {
					t.Fatalf("refused upload left rows=%d blobs=%d temps=%d", rows, blobs, temps)
				}
			})
		}
	})
}

func TestDetectAllowed(t *testing.T) {
	cases := []struct {
		name    string
		content []byte
		kind    Kind
		ct      string
	}{
		{"a.pdf", pdfBytes(""), KindPDF, "application/pdf"},
		{"a.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), KindJPEG, "image/jpeg"},
		{"a.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), KindPNG, "image/png"},
		{"a.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 64)...), KindOLE, "application/vnd.ms-excel"},
		{"a.doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 64)...), KindOLE, "application/msword"},
		{"说明.txt", []byte("整改情况说明：已完成。\n"), KindText, "text/plain; charset=utf-8"},
		{"gbk.csv", []byte{0xd5, 0xfb, 0xb8, 0xc4, ',', '1', '\n'}, KindText, "text/plain; charset=utf-8"},
	}
	for _, c := range cases {
		got, err := Detect(c.content, bytes.NewReader(c.content), int64(len(c.content)), c.name)
		if err != nil || got.Kind != c.kind || got.ContentType != c.ct {
			t.Errorf("%s: got %+v, %v; want %s %s", c.name, got, err, c.kind, c.ct)
		}
	}
	xlsx := ooxml(t, map[string][]byte{"[Content_Types].xml": []byte("<Types/>"), "xl/workbook.xml": []byte("<w/>")})
	if got, err := Detect(xlsx[:min(len(xlsx), sniffLen)], bytes.NewReader(xlsx), int64(len(xlsx)), "a.bin"); err != nil || got.ContentType != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("xlsx: %+v %v", got, err)
	}
	ofd := ooxml(t, map[string][]byte{"OFD.xml": []byte("<ofd:OFD/>"), "Doc_0/Document.xml": []byte("<d/>")})
	if got, err := Detect(ofd[:min(len(ofd), sniffLen)], bytes.NewReader(ofd), int64(len(ofd)), "a.ofd"); err != nil || got.Kind != KindOFD {
		t.Errorf("ofd: %+v %v", got, err)
	}
}

// TestHTTP drives the real routes: multipart upload, refusals with the
// error body, download headers and permission.
func TestHTTP(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		mux := http.NewServeMux()
		api := httpx.NewAPI(mux, "test")
		f.svc.Register(mux, api)
		perms := []string{"rec.read", "rec.write"}
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := &auth.Actor{UserID: 5, Username: "clerk", Perms: map[string]auth.Scope{}}
			for _, p := range perms {
				a.Perms[p] = auth.Scope{All: true}
			}
			mux.ServeHTTP(w, r.WithContext(auth.With(r.Context(), a)))
		})
		srv := httptest.NewServer(h)
		defer srv.Close()

		upload := func(name string, content []byte) (*http.Response, map[string]any) {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("owner_type", "rec")
			mw.WriteField("owner_id", "1")
			hdr := textproto.MIMEHeader{}
			// Written by hand: CreateFormFile would escape nothing, but we want
			// the raw name on the wire exactly as an attacker would send it.
			hdr.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
			hdr.Set("Content-Type", "application/pdf")
			pw, _ := mw.CreatePart(hdr)
			pw.Write(content)
			mw.Close()
			resp, err := http.Post(srv.URL+"/api/files", mw.FormDataContentType(), &body)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out map[string]any
			json.NewDecoder(resp.Body).Decode(&out)
			return resp, out
		}

		resp, out := upload("../../etc/passwd", pdfBytes(""))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(out["message"].(string), "含有路径") {
			t.Fatalf("traversal over HTTP: %d %v", resp.StatusCode, out)
		}
		resp, out = upload("tool.pdf", append([]byte("MZ"), make([]byte, 100)...))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(out["message"].(string), "禁止上传") {
			t.Fatalf("exe over HTTP: %d %v", resp.StatusCode, out)
		}
		resp, out = upload("big.pdf", append(pdfBytes(""), bytes.Repeat([]byte("x"), testMax+multipartOverhead)...))
		if resp.StatusCode != http.StatusRequestEntityTooLarge || out["code"] != "too_large" || !strings.Contains(out["message"].(string), "大小上限") {
			t.Fatalf("oversized over HTTP: %d %v", resp.StatusCode, out)
		}
		resp, out = upload("big2.pdf", append(pdfBytes(""), bytes.Repeat([]byte("x"), testMax)...))
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(out["message"].(string), "64 KB") {
			t.Fatalf("just oversized over HTTP: %d %v", resp.StatusCode, out)
		}
		if rows, blobs, temps := f.stored(t); rows != 0 || blobs != 0 || temps != 0 {
			t.Fatalf("refused uploads left rows=%d blobs=%d temps=%d", rows, blobs, temps)
		}

		content := pdfBytes("正文")
		resp, out = upload("整改 报告.pdf", content)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d %v", resp.StatusCode, out)
		}
		id := int64(out["id"].(float64))
		dl, err := http.Get(srv.URL + "/api/files/" + jsonNum(id) + "/download")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(dl.Body)
		dl.Body.Close()
		if dl.StatusCode != 200 || !bytes.Equal(b, content) || dl.Header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(dl.Header.Get("Content-Disposition"), "filename*=UTF-8''%E6%95%B4%E6%94%B9%20%E6%8A%A5%E5%91%8A.pdf") ||
			dl.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("download: %d %q %v", dl.StatusCode, b, dl.Header)
		}
		// A name without ASCII words: the plain filename is the file's id.
		if cd := dl.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=file-"+jsonNum(id)+".pdf; ") {
			t.Fatalf("ASCII name of %q: %q", "整改 报告.pdf", cd)
		}
		lr, _ := http.Get(srv.URL + "/api/files?owner_type=rec&owner_id=1")
		var list ListBody
		json.NewDecoder(lr.Body).Decode(&list)
		lr.Body.Close()
		if list.Total != 1 || list.Items[0].Name != "整改 报告.pdf" {
			t.Fatalf("list: %+v", list)
		}
		// One that has them keeps them, even when they start with "download".
		resp, out = upload("download-2026 清单.pdf", pdfBytes("清单"))
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("upload: %d %v", resp.StatusCode, out)
		}
		dl2, err := http.Get(srv.URL + "/api/files/" + jsonNum(int64(out["id"].(float64))) + "/download")
		if err != nil {
			t.Fatal(err)
		}
		dl2.Body.Close()
		if cd := dl2.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=download-2026.pdf; ") {
			t.Fatalf("ASCII name of %q: %q", "download-2026 清单.pdf", cd)
		}

		perms = []string{"rec.write"} // may write, may not read
		dl, _ = http.Get(srv.URL + "/api/files/" + jsonNum(id) + "/download")
		dl.Body.Close()
		if dl.StatusCode != http.StatusForbidden {
			t.Fatalf("download without read permission: %d", dl.StatusCode)
		}
		mr, _ := http.Get(srv.URL + "/api/files/" + jsonNum(id))
		mr.Body.Close()
		if mr.StatusCode != http.StatusForbidden {
			t.Fatalf("metadata without read permission: %d", mr.StatusCode)
		}
	})
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }
