package normdoc

import (
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

// TestHTTPScenarios drives the routes end to end: the caller is chosen by
// the X-Test-Caller header (admin, clerk, or none for anonymous).
func TestHTTPScenarios(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		pub := f.publishDoc(f.civil, "清河区养老服务补贴管理办法", "第一条 为规范养老服务补贴发放……", "2026-03-02")
		draft, err := f.s.CreateDraft(f.clerk, DraftInput{IssuerID: f.civil.ID, Title: "清河区居家养老上门服务规范", DraftedOn: "2026-11-01", InternalNote: "内部：待与财政局沟通"})
		if err != nil {
			t.Fatal(err)
		}
		passed := f.filedDoc("清河区社区食堂管理办法")
		passed = must[*Document](t)(f.s.RecordFilingResult(f.admin, passed.ID, FilingResultInput{Result: FilingPassed, Date: "2026-10-09", Version: passed.Version}))
		ordered := f.filedDoc("清河区助餐服务补贴办法")
		ordered = must[*Document](t)(f.s.RecordFilingResult(f.admin, ordered.ID, FilingResultInput{Result: FilingCorrection, Date: "2026-10-09", Note: "第六条补贴对象范围不当", Version: ordered.Version}))
		mux := http.NewServeMux()
		api := httpx.NewAPI(mux, "test")
		f.s.RegisterRoutes(api)
		callers := map[string]*auth.Actor{"admin": auth.From(f.admin), "clerk": auth.From(f.clerk)}
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if a := callers[r.Header.Get("X-Test-Caller")]; a != nil {
				r = r.WithContext(auth.With(r.Context(), a))
			}
			mux.ServeHTTP(w, r)
		})
		type scenario struct {
			name, caller, method, path string
			body                       any
			status                     int
			contains, absent           []string
		}
		scenarios := []scenario{
			{name: "public library without login", method: "GET", path: "/api/public/normdocs?q=%E5%85%BB%E8%80%81", status: 200,
				contains: []string{"清河区养老服务补贴管理办法", "清河民规〔2026〕1号", `"total":1`}, absent: []string{"居家养老上门服务", "internal_note", "review"}},
			{name: "public full text", method: "GET", path: fmt.Sprintf("/api/public/normdocs/%d", pub.ID), status: 200, contains: []string{"为规范养老服务补贴发放", "现行有效"}},
			{name: "a draft is not public", method: "GET", path: fmt.Sprintf("/api/public/normdocs/%d", draft.ID), status: 404, contains: []string{"尚未公布"}},
			{name: "public issuing-body list hides units", method: "GET", path: "/api/public/normdocs/issuers", status: 200, contains: []string{"清河民规"}, absent: []string{"unit_name\":\"区民政局"}},
			{name: "ledger needs login", method: "GET", path: "/api/normdocs", status: 401, contains: []string{"请先登录"}},
			{name: "ledger for the clerk", caller: "clerk", method: "GET", path: "/api/normdocs?q=%E5%85%BB%E8%80%81", status: 200, contains: []string{"居家养老上门服务", `"total":2`}},
			{name: "detail with timeline and internal note", caller: "clerk", method: "GET", path: fmt.Sprintf("/api/normdocs/%d", pub.ID), status: 200,
				contains: []string{`"timeline"`, "统一登记编号", "filing_explain"}},
			{name: "draft validation names fields", caller: "clerk", method: "POST", path: "/api/normdocs", body: map[string]any{"issuer_id": f.civil.ID}, status: 422,
				contains: []string{`"field":"title"`, "请填写文件标题", `"field":"drafted_on"`}},
			{name: "create a draft", caller: "clerk", method: "POST", path: "/api/normdocs", body: map[string]any{"issuer_id": f.civil.ID, "title": "清河区慈善超市管理办法", "drafted_on": "2026-11-02"}, status: 201,
				contains: []string{`"status":"drafting"`, "起草中"}},
			{name: "deliberation gate", caller: "admin", method: "POST", path: fmt.Sprintf("/api/normdocs/%d/deliberation", draft.ID),
				body: map[string]any{"meeting": "局务会议", "date": "2026-11-10", "version": draft.Version}, status: 422, contains: []string{"未经合法性审核的规范性文件，不得提交集体审议"}},
			{name: "clerk may not record deliberation", caller: "clerk", method: "POST", path: fmt.Sprintf("/api/normdocs/%d/deliberation", draft.ID),
				body: map[string]any{"meeting": "局务会议", "date": "2026-11-10", "version": draft.Version}, status: 403},
			{name: "stale version", caller: "clerk", method: "POST", path: fmt.Sprintf("/api/normdocs/%d/evaluation", draft.ID),
				body: map[string]any{"date": "2026-11-05", "note": "可行", "version": draft.Version + 5}, status: 409},
			{name: "figures", caller: "admin", method: "GET", path: "/api/normdocs/figures?from=2026-01-01&to=2026-11-20", status: 200,
				contains: []string{"normdoc.filed_on_time_rate", "normdoc.filing_review_pass_rate", "/normdocs/ledger?"}},
			{name: "ledger export", caller: "admin", method: "GET", path: "/api/normdocs/export.xlsx", status: 200},
			{name: "a passed filing review is final", caller: "admin", method: "POST", path: fmt.Sprintf("/api/normdocs/%d/filing-result", passed.ID),
				body: map[string]any{"result": "revoked", "date": "2026-10-20", "note": "复查", "version": passed.Version}, status: 409,
				contains: []string{`"code":"conflict"`, "备案审查结果“审查通过”已于 2026-10-09 登记，是最终结论，不能更改或再次登记"}},
			{name: "after 责令纠正 no new result before the correction", caller: "admin", method: "POST", path: fmt.Sprintf("/api/normdocs/%d/filing-result", ordered.ID),
				body: map[string]any{"result": "passed", "date": "2026-10-20", "version": ordered.Version}, status: 422,
				contains: []string{`"code":"precondition"`, "须先由制定机关登记纠正情况，才能登记新的备案审查结果"}},
			{name: "correction fields named", caller: "clerk", method: "POST", path: fmt.Sprintf("/api/normdocs/%d/correction", ordered.ID),
				body: map[string]any{"version": ordered.Version}, status: 422,
				contains: []string{`"field":"corrected_on"`, `"field":"corrected_version"`, `"field":"note"`}},
			{name: "the issuing unit records the correction", caller: "clerk", method: "POST", path: fmt.Sprintf("/api/normdocs/%d/correction", ordered.ID),
				body: map[string]any{"corrected_on": "2026-10-30", "corrected_version": "2026年10月修正本", "note": "已调整第六条", "version": ordered.Version}, status: 200,
				contains: []string{`"filing_next":"result"`, `"kind":"correction"`, "2026年10月修正本"}},
			{name: "then a new result", caller: "admin", method: "POST", path: fmt.Sprintf("/api/normdocs/%d/filing-result", ordered.ID),
				body: map[string]any{"result": "passed", "date": "2026-11-10", "version": ordered.Version + 1}, status: 200,
				contains: []string{`"filing_result":"passed"`, "责令纠正", "纠正后重新审查"}},
			{name: "import without a file", caller: "clerk", method: "POST", path: "/api/normdocs/import?mode=all", status: 422, contains: []string{`"code":"invalid"`}},
		}
		for _, sc := range scenarios {
			var body *bytes.Reader
			if sc.body != nil {
				b, _ := json.Marshal(sc.body)
				body = bytes.NewReader(b)
			} else {
				body = bytes.NewReader(nil)
			}
			r := httptest.NewRequest(sc.method, sc.path, body)
			if sc.body != nil {
				r.Header.Set("Content-Type", "application/json")
			}
			if sc.caller != "" {
				r.Header.Set("X-Test-Caller", sc.caller)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			got := w.Body.String()
			if w.Code != sc.status {
				t.Errorf("%s: status %d, want %d: %s", sc.name, w.Code, sc.status, got)
				continue
			}
			for _, s := range sc.contains {
				if !strings.Contains(got, s) {
					t.Errorf("%s: body lacks %q: %s", sc.name, s, got)
				}
			}
			for _, s := range sc.absent {
				if strings.Contains(got, s) {
					t.Errorf("%s: body must not contain %q: %s", sc.name, s, got)
				}
			}
			if sc.path == "/api/normdocs/export.xlsx" && !strings.HasPrefix(w.Header().Get("Content-Type"), "application/vnd.openxmlformats") {
				t.Errorf("export content type %q", w.Header().Get("Content-Type"))
			}
		}
	})
}
