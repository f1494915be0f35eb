package app

import (
	"encoding/json"
	"strings"
	"testing"

	"fazhi/internal/platform/db/dbtest"
)

// Issue 10: text that would be stored changed or broken, and paging out of
// range, are refused on every route with the field named — never quietly
// replaced, stored or defaulted.
func TestBadTextAndPagingRefusedAtDecoding(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		a := demoApp(t, dsn)
		h := a.Handler()
		cookie := loginCookie(t, h, "sifaju")
		do := func(method, path string, body []byte) (int, string, string) {
			w := send(h, cookie, method, path, "application/json", body)
			var e struct {
				Fields []struct{ Field, Message string }
			}
			_ = json.Unmarshal(w.Body.Bytes(), &e)
			if len(e.Fields) == 0 {
				return w.Code, "", truncate(w.Body.Bytes())
			}
			return w.Code, e.Fields[0].Field, e.Fields[0].Message
		}
		before := scalar[int](t, a, "SELECT COUNT(*) FROM findings")
		cases := []struct {
			name, method, path string
			body               []byte
			field, says        string
		}{
			{"NUL in a title", "POST", "/api/findings", []byte(`{"title":"未送达\u0000回证","source":"other"}`), "title", "空字符"},
			{"invalid UTF-8 in a title", "POST", "/api/findings", append(append([]byte(`{"title":"未送达`), 0xff, 0xfe), []byte(`回证"}`)...), "title", "UTF-8"},
			{"NUL nested in a list", "POST", "/api/findings", []byte(`{"title":"x","tags":["a","b\u0000"]}`), "tags[1]", "空字符"},
			{"NUL in a query", "GET", "/api/findings?keyword=%00", nil, "keyword", "空字符"},
			{"invalid UTF-8 in a query", "GET", "/api/findings?keyword=%ff", nil, "keyword", "UTF-8"},
			{"negative page size", "GET", "/api/findings?page_size=-1", nil, "page_size", "1 到 500"},
			{"page size over the cap", "GET", "/api/findings?page_size=100000", nil, "page_size", "1 到 500"},
			{"page zero", "GET", "/api/findings?page=0", nil, "page", "正整数"},
		}
		for _, c := range cases {
			status, field, msg := do(c.method, c.path, c.body)
			if status != 422 || field != c.field || !strings.Contains(msg, c.says) || !strings.Contains(msg, c.field) {
				t.Errorf("%s: %d %q %q; want 422 on %s saying %q", c.name, status, field, msg, c.field, c.says)
			}
		}
		if after := scalar[int](t, a, "SELECT COUNT(*) FROM findings"); after != before {
			t.Errorf("%d findings written by refused requests", after-before)
		}
		// Ordinary text and paging still pass.
		if status, _, msg := do("GET", "/api/findings?keyword=%E5%9B%9E%E8%AF%81&page=2&page_size=50", nil); status != 200 {
			t.Errorf("ordinary query: %d %s", status, msg)
		}
	})
}
