package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
)

// CheckInput checks every body huma would decode as JSON: huma reads a
// body without a Content-Type, or with any "+json" type, as JSON too.
func TestCheckInputCoversEveryBodyHumaDecodes(t *testing.T) {
	mux := http.NewServeMux()
	api := NewAPI(mux, "test")
	var stored string
	huma.Post(api, "/api/things", func(ctx context.Context, in *struct {
		Body struct {
			Title string `json:"title"`
		}
	}) (*struct{}, error) {
		stored = in.Body.Title
		return nil, nil
	})
	var raw []byte
	huma.Post(api, "/api/uploads", func(ctx context.Context, in *struct{ RawBody []byte }) (*struct{}, error) {
		raw = in.RawBody
		return nil, nil
	})
	h := Chain(mux, BodyLimit(1<<20, 1<<20), CheckInput)
	post := func(contentType string, body []byte) (int, string) {
		stored = ""
		r := httptest.NewRequest(http.MethodPost, "/api/things", bytes.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var e struct {
			Fields []struct{ Field, Message string }
		}
		_ = json.Unmarshal(w.Body.Bytes(), &e)
		if len(e.Fields) > 0 {
			return w.Code, e.Fields[0].Field + ": " + e.Fields[0].Message
		}
		return w.Code, w.Body.String()
	}
	nul := []byte(`{"title":"未送达\u0000回证"}`)
	badUTF8 := append(append([]byte(`{"title":"未送达`), 0xff, 0xfe), []byte(`回证"}`)...)
	for _, ct := range []string{"", "application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"} {
		for _, body := range [][]byte{nul, badUTF8} {
			status, msg := post(ct, body)
			if status != http.StatusUnprocessableEntity || !strings.HasPrefix(msg, "title: ") || stored != "" {
				t.Errorf("Content-Type %q, body %q: %d %q, stored %q; want 422 on title, nothing decoded", ct, body, status, msg, stored)
			}
		}
	}
	// Ordinary text still passes, with or without a Content-Type.
	for _, ct := range []string{"", "application/json"} {
		if status, msg := post(ct, []byte(`{"title":"未送达回证"}`)); status >= 300 || stored != "未送达回证" {
			t.Errorf("Content-Type %q: %d %s, stored %q", ct, status, msg, stored)
		}
	}
	// A raw upload sent without a Content-Type is not JSON: it reaches its
	// route unchanged, invalid UTF-8 and all.
	zip := []byte("PK\x03\x04\xff\xfe\x00rest")
	r := httptest.NewRequest(http.MethodPost, "/api/uploads", bytes.NewReader(zip))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code >= 300 || !bytes.Equal(raw, zip) {
		t.Errorf("raw upload without a type: %d %s, received %q", w.Code, w.Body, raw)
	}
}
