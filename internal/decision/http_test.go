package decision

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/httpx"
)

// HTTP scenarios: decode → service → encode, the error mapping, the public
// API without a session, and the archive download.
func TestHTTPScenarios(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		mux := http.NewServeMux()
		api := httpx.NewAPI(mux, "test")
		f.s.Register(api)
		staff := auth.From(f.ctx)
		// "X-Test-User: staff" signs the request in; no header is anonymous.
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Test-User") == "staff" {
				r = r.WithContext(auth.With(r.Context(), staff))
			}
			mux.ServeHTTP(w, r)
		})
		consult := f.walk(t, StepConsultation)
		consult = must(f.s.OpenConsultation(f.ctx, consult.ID, ConsultationInput{Version: consult.Version, Channels: []string{"网站"}, Summary: "征求意见稿",
			CommentStart: "2026-11-01", CommentEnd: "2026-12-08"}))(t)
		review := f.walk(t, StepCollective)
		f.review.conclude(review.ID, ReviewPending, "")
		published := f.walk(t, "")
		fresh := f.walk(t, StepConsultation)

		type scenario struct {
			name, method, path, user, addr string
			body                           any
			status                         int
			contains                       string
		}
		scenarios := []scenario{
			{"list needs a session", "GET", "/api/decisions", "", "", nil, 401, "请先登录"},
			{"list", "GET", "/api/decisions?q=学校&page_size=2", "staff", "", nil, 200, `"total":4`},
			{"detail has the timeline", "GET", fmt.Sprintf("/api/decisions/%d", published.ID), "staff", "", nil, 200, `"label":"集体讨论决定"`},
			{"unknown decision", "GET", "/api/decisions/999999", "staff", "", nil, 404, "决策不存在"},
			{"bad input names the field", "POST", "/api/decisions", "staff", "", map[string]any{"title": ""}, 422, `"field":"title"`},
			{"collective refused before the review passed", "POST", fmt.Sprintf("/api/decisions/%d/collective", review.ID), "staff", "",
				collective(review.Version), 422, MsgNoLegalReview},
			{"stale version", "POST", fmt.Sprintf("/api/decisions/%d/archive", published.ID), "staff", "",
				map[string]any{"version": published.Version - 1, "archive_no": "A", "keeper": "K"}, 409, "已被他人修改"},
			{"unknown body field refused", "POST", fmt.Sprintf("/api/decisions/%d/skip", consult.ID), "staff", "",
				map[string]any{"version": consult.Version, "step": "risk", "reason": "r", "file_ids": []int{1}}, 422, "file_ids"},
			{"public list without a session", "GET", "/api/public/decisions?kind=open", "", "", nil, 200, "征求意见稿"},
			{"public view hides internal fields", "GET", fmt.Sprintf("/api/public/decisions/%d", consult.ID), "", "", nil, 200, `"open":true`},
			{"a closed consultation stays on the portal", "GET", fmt.Sprintf("/api/public/decisions/%d", review.ID), "", "", nil, 200, `"consultation":"closed"`},
			{"never put on the portal", "GET", fmt.Sprintf("/api/public/decisions/%d", fresh.ID), "", "", nil, 404, "未公开征求意见"},
			{"public comment too short", "POST", fmt.Sprintf("/api/public/decisions/%d/comments", consult.ID), "", "198.51.100.7:1234",
				map[string]any{"content": "好"}, 422, "至少 5 个字"},
		}
		for i := range 5 {
			scenarios = append(scenarios, scenario{fmt.Sprintf("public comment %d", i+1), "POST", fmt.Sprintf("/api/public/decisions/%d/comments", consult.ID), "",
				"198.51.100.7:1234", map[string]any{"content": "建议完善学校周边交通组织方案"}, 201, ""})
		}
		scenarios = append(scenarios,
			scenario{"sixth comment from one address is throttled", "POST", fmt.Sprintf("/api/public/decisions/%d/comments", consult.ID), "", "198.51.100.7:999",
				map[string]any{"content": "再提一条意见内容"}, 429, "每小时最多提交 5 条"},
			scenario{"another address may comment", "POST", fmt.Sprintf("/api/public/decisions/%d/comments", consult.ID), "", "203.0.113.9:1",
				map[string]any{"content": "另一个地址提交的意见"}, 201, ""},
			scenario{"staff see the comments with contacts", "GET", fmt.Sprintf("/api/decisions/%d/comments", consult.ID), "staff", "", nil, 200, `"total":6`},
		)
		for _, sc := range scenarios {
			var body *bytes.Reader
			if sc.body != nil {
				b, _ := json.Marshal(sc.body)
				body = bytes.NewReader(b)
			} else {
				body = bytes.NewReader(nil)
			}
			r := httptest.NewRequest(sc.method, sc.path, body)
			r.Header.Set("Content-Type", "application/json")
			if sc.user != "" {
				r.Header.Set("X-Test-User", sc.user)
			}
			if sc.addr != "" {
				r.RemoteAddr = sc.addr
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != sc.status || !strings.Contains(w.Body.String(), sc.contains) {
				t.Errorf("%s: %s %s → %d %s; want %d containing %q", sc.name, sc.method, sc.path, w.Code, w.Body.String(), sc.status, sc.contains)
			}
		}

		// The archive downloads as a ZIP named in UTF-8.
		r := httptest.NewRequest("GET", fmt.Sprintf("/api/decisions/%d/archive.zip", published.ID), nil)
		r.Header.Set("X-Test-User", "staff")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/zip" || !strings.Contains(w.Header().Get("Content-Disposition"), "filename*=UTF-8''"+published.Code) {
			t.Fatalf("archive: %d %v", w.Code, w.Header())
		}
		zr, err := zip.NewReader(bytes.NewReader(w.Body.Bytes()), int64(w.Body.Len()))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, zf := range zr.File {
			found = found || zf.Name == IndexName
		}
		if !found {
			t.Fatal("archive has no index")
		}

		// The export is a workbook with the ledger's header.
		r = httptest.NewRequest("GET", "/api/decisions/export.xlsx?q=学校", nil)
		r.Header.Set("X-Test-User", "staff")
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "PK") {
			t.Fatalf("export: %d", w.Code)
		}
	})
}
