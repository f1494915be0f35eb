package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// CheckInput refuses, for every route and before any handler decodes it,
// text that would be quietly changed or stored broken: a NUL character
// (PostgreSQL refuses it in text columns later, SQLite keeps it) or bytes
// that are not UTF-8 (the JSON decoder would silently replace them) — in
// the query string, the path or a JSON body — and paging parameters out of
// range (which used to fall back to defaults). Each refusal names the
// field. Place it after BodyLimit: it reads JSON bodies whole.
func CheckInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := textProblem(r.URL.Path); p != "" {
			WriteError(w, apperr.Field("path", "请求地址%s", p))
			return
		}
		q := r.URL.Query()
		for k, vs := range q {
			for _, v := range vs {
				if p := textProblem(k + v); p != "" {
					WriteError(w, apperr.Field(k, "参数 %s %s", k, p))
					return
				}
			}
		}
		if err := checkPaging(q); err != nil {
			WriteError(w, err)
			return
		}
		if declared, maybe := jsonBody(r); declared || maybe {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					WriteError(w, apperr.New(apperr.TooLarge, "请求内容过大（上限 %s）", sizeLabel(mbe.Limit)))
				} else {
					WriteError(w, apperr.Wrap(err, apperr.Invalid, "请求内容读取失败，请重试"))
				}
				return
			}
			// Without a Content-Type, a body that is plainly not JSON is a
			// raw upload that huma passes on undecoded.
			if declared || looksLikeJSON(body) {
				if field, p := jsonTextProblem(body); p != "" {
					if field == "" {
						WriteError(w, apperr.New(apperr.Invalid, "请求内容%s", p))
					} else {
						WriteError(w, apperr.Field(field, "字段 %s %s", field, p))
					}
					return
				}
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// jsonBody says whether huma decodes r's body as JSON. huma's rule
// (huma.API.Unmarshal) reads the media type before any ';', from after a
// '+' when there is one: "application/json" or "json" is declared JSON,
// and no type at all (maybe) is decoded as JSON too — so a client that
// sends no Content-Type is checked like one that sends application/json,
// unless its body is plainly not JSON (a raw upload without a type).
func jsonBody(r *http.Request) (declared, maybe bool) {
	if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
		return false, false
	}
	ct := r.Header.Get("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if i := strings.IndexByte(ct, '+'); i >= 0 {
		ct = ct[i+1:]
	}
	ct = strings.ToLower(strings.TrimSpace(ct))
	return ct == "json" || ct == "application/json", ct == ""
}

// looksLikeJSON reports whether body starts like a JSON value huma could
// decode into an input body (an object, array or string).
func looksLikeJSON(body []byte) bool {
	b := bytes.TrimLeft(body, " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[' || b[0] == '"')
}

// textProblem says what is wrong with s as text ("" when nothing).
func textProblem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "含有无效的 UTF-8 字符（可能是其他编码的乱码），请重新输入"
	case strings.IndexByte(s, 0) >= 0:
		return "含有空字符（NUL），请删除后重试"
	}
	return ""
}

// checkPaging refuses page and page_size values that are not whole
// numbers in range.
func checkPaging(q map[string][]string) error {
	if v, ok := q["page"]; ok && v[0] != "" {
		if n, err := strconv.Atoi(v[0]); err != nil || n < 1 {
			return apperr.Field("page", "页码 page 应为正整数，收到 %q", v[0])
		}
	}
	if v, ok := q["page_size"]; ok && v[0] != "" {
		if n, err := strconv.Atoi(v[0]); err != nil || n < 1 || n > db.MaxPageSize {
			return apperr.Field("page_size", "每页条数 page_size 应为 1 到 %d 之间的整数，收到 %q", db.MaxPageSize, v[0])
		}
	}
	return nil
}

// jsonTextProblem finds the first string (key or value) of a JSON body
// that holds a NUL or bytes that are not UTF-8, and returns its path
// ("items[0].title") and the problem. A body that is not JSON is left to
// the decoder's own error.
func jsonTextProblem(body []byte) (field, problem string) {
	bad := -1
	if !utf8.Valid(body) {
		for i := 0; i < len(body); {
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n <= 1 {
				bad = i
				break
			}
			i += n
		}
	} else if !bytes.Contains(body, []byte(`\u0000`)) {
		return "", ""
	}
	type frame struct {
		obj     bool
		wantKey bool
		key     string
		idx     int
	}
	var stack []*frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.obj {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				b.WriteString("[" + strconv.Itoa(f.idx) + "]")
			}
		}
		return b.String()
	}
	// consumed advances the enclosing container past one value.
	consumed := func() {
		if len(stack) == 0 {
			return
		}
		if f := stack[len(stack)-1]; f.obj {
			f.wantKey = true
		} else {
			f.idx++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			if bad >= 0 {
				return "", textProblem(string(body[bad:]))
			}
			return "", ""
		}
		end := dec.InputOffset()
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, &frame{obj: t == '{', wantKey: true})
			default:
				stack = stack[:len(stack)-1]
				consumed()
			}
		case string:
			isKey := top != nil && top.obj && top.wantKey
			if isKey {
				top.key, top.wantKey = t, false
			}
			if bad >= int(start) && bad < int(end) {
				return path(), textProblem(string(body[bad:end]))
			}
			if strings.IndexByte(t, 0) >= 0 {
				return path(), textProblem(t)
			}
			if !isKey {
				consumed()
			}
		default:
			consumed()
		}
	}
}
