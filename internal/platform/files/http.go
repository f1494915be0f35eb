package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/httpx"

	"github.com/danielgtaylor/huma/v2"
)

// multipartOverhead is what a multipart body may carry beyond the file
// itself (boundaries, headers, small form fields).
const multipartOverhead = 64 << 10

// Register adds the file routes. Upload and download stream bytes, so they
// are plain handlers on mux (the platform body limit exempts /api/files and
// the upload applies its own); metadata goes through huma.
func (s *Service) Register(mux *http.ServeMux, api huma.API) {
	mux.HandleFunc("POST /api/files", s.handleUpload)
	mux.HandleFunc("GET /api/files/{id}/download", s.handleDownload)

	huma.Register(api, huma.Operation{OperationID: "getFile", Method: http.MethodGet, Path: "/api/files/{id}", Summary: "佐证材料信息", Tags: []string{"files"}},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*fileOut, error) {
			f, err := s.Get(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &fileOut{Body: *f}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "listFiles", Method: http.MethodGet, Path: "/api/files", Summary: "记录的佐证材料（各材料最新版本）", Tags: []string{"files"}},
		func(ctx context.Context, in *struct {
			OwnerType string `query:"owner_type" doc:"关联记录类型，如 finding"`
			OwnerID   int64  `query:"owner_id" doc:"关联记录编号"`
		}) (*listOut, error) {
			fs, err := s.List(ctx, in.OwnerType, in.OwnerID)
			if err != nil {
				return nil, err
			}
			return &listOut{Body: ListBody{Items: fs, Total: len(fs)}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "listFileVersions", Method: http.MethodGet, Path: "/api/files/{id}/versions", Summary: "佐证材料的全部版本", Tags: []string{"files"}},
		func(ctx context.Context, in *struct {
			ID int64 `path:"id"`
		}) (*listOut, error) {
			fs, err := s.Versions(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &listOut{Body: ListBody{Items: fs, Total: len(fs)}}, nil
		})
}

type fileOut struct{ Body File }

// ListBody is a list of files.
type ListBody struct {
	Items []File `json:"items"`
	Total int    `json:"total"`
}

type listOut struct{ Body ListBody }

// handleUpload reads multipart/form-data with a "file" part. owner_type,
// owner_id and replaces come from the query string or from form fields sent
// before the file part (the order FormData keeps).
func (s *Service) handleUpload(w http.ResponseWriter, r *http.Request) {
	limit := s.maxSize + multipartOverhead
	if r.ContentLength > limit {
		httpx.WriteError(w, s.tooLarge("上传内容"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		httpx.WriteError(w, apperr.Field("file", "请以 multipart/form-data 方式上传文件"))
		return
	}
	q := r.URL.Query()
	fields := map[string]string{}
	for _, k := range []string{"owner_type", "owner_id", "replaces"} {
		fields[k] = q.Get(k)
	}
	var f *File
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				httpx.WriteError(w, s.tooLarge("上传内容"))
			} else {
				httpx.WriteError(w, apperr.Wrap(err, apperr.Invalid, "上传内容格式不正确，请重新上传"))
			}
			return
		}
		name := part.FormName()
		if name == "file" {
			if f != nil {
				part.Close()
				httpx.WriteError(w, apperr.Field("file", "一次只能上传一个文件"))
				return
			}
			in, err := uploadInput(fields, partFileName(part))
			if err != nil {
				part.Close()
				httpx.WriteError(w, err)
				return
			}
			f, err = s.Upload(r.Context(), in, part)
			part.Close()
			if err != nil {
				httpx.WriteError(w, err)
				return
			}
			continue
		}
		if _, ok := fields[name]; ok {
			b, _ := io.ReadAll(io.LimitReader(part, 256))
			if v := strings.TrimSpace(string(b)); v != "" {
				fields[name] = v
			}
		}
		part.Close()
	}
	if f == nil {
		httpx.WriteError(w, apperr.Field("file", "缺少上传文件"))
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, f)
}

// partFileName returns the file name exactly as the client sent it.
// mime/multipart's FileName() applies filepath.Base, which would hide a
// path-traversal attempt ("../../etc/passwd" → "passwd") instead of letting
// CheckName refuse it.
func partFileName(p *multipart.Part) string {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return p.FileName()
	}
	return params["filename"]
}

func uploadInput(fields map[string]string, name string) (UploadInput, error) {
	in := UploadInput{OwnerType: fields["owner_type"], Name: name}
	var v apperr.Fields
	if s := fields["owner_id"]; s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			v.Add("owner_id", "关联记录编号应为正整数")
		}
		in.OwnerID = n
	}
	if s := fields["replaces"]; s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			v.Add("replaces", "被替换文件编号应为正整数")
		}
		in.Replaces = n
	}
	if in.Replaces == 0 && in.OwnerType == "" {
		v.Add("owner_type", "缺少关联记录类型")
	}
	return in, v.Err()
}

func (s *Service) handleDownload(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		httpx.WriteError(w, apperr.New(apperr.NotFound, "文件不存在"))
		return
	}
	f, rc, err := s.Open(r.Context(), id)
	if err != nil {
		httpx.WriteError(w, err)
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	fallback := ""
	if asciiName(f.Name) == "" {
		// A name with no ASCII words: the file's id says which it is.
		fallback = fmt.Sprintf("file-%d%s", f.ID, asciiExt(f.Name))
	}
	h.Set("Content-Disposition", ContentDisposition(f.Name, fallback))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox")
	h.Set("X-Checksum-SHA256", f.SHA256)
	h.Set("X-Checksum-SM3", f.SM3)
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, rc)
}

// ContentDisposition is an attachment header carrying the UTF-8 file name
// (RFC 6266/5987 filename*) and, for clients that ignore filename*, an
// ASCII name that still says what the file is. fallback (optional) is that
// ASCII name, e.g. "legal-review-ledger-20261206.xlsx"; without it the
// ASCII words and numbers of name are kept ("现场照片 IMG_0042.jpg" →
// "IMG_0042.jpg", "清河司审〔2026〕3号.docx" → "2026-3.docx"), and a name
// with none becomes "download" with name's extension.
func ContentDisposition(name string, fallback ...string) string {
	ascii := ""
	if len(fallback) > 0 {
		ascii = asciiName(fallback[0])
	}
	if ascii == "" {
		ascii = asciiName(name)
	}
	if ascii == "" {
		ascii = "download" + asciiExt(name)
	}
	v := mime.FormatMediaType("attachment", map[string]string{"filename": ascii})
	if v == "" {
		v = "attachment"
	}
	return fmt.Sprintf("%s; filename*=UTF-8''%s", v, url.PathEscape(name))
}

// asciiName keeps the runs of ASCII letters, digits, '-', '_' and '.' of a
// file name's base joined by '-', plus its extension when that is ASCII;
// "" when the base has none.
func asciiName(name string) string {
	base := name
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		base = name[:i]
	}
	words := strings.FieldsFunc(base, func(r rune) bool { return !asciiWord(r) })
	out := strings.Trim(strings.Join(words, "-"), ".-")
	if out == "" {
		return ""
	}
	return out + asciiExt(name)
}

// asciiExt is name's extension (".pdf") when it is ASCII, else "".
func asciiExt(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return ""
	}
	for _, r := range name[i+1:] {
		if !asciiWord(r) || r == '.' {
			return ""
		}
	}
	return name[i:]
}

func asciiWord(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
}
