package legalreview

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/docx"
	"fazhi/internal/platform/httpx"
)

func TestHTTPScenarios(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		mux := http.NewServeMux()
		api := httpx.NewAPI(mux, "test")
		f.svc.Register(api)
		call := func(user, method, path string, body any) (int, []byte) {
			t.Helper()
			var rd *bytes.Reader
			if body != nil {
				b, _ := json.Marshal(body)
				rd = bytes.NewReader(b)
			} else {
				rd = bytes.NewReader(nil)
			}
			r := httptest.NewRequest(method, path, rd)
			r.Header.Set("Content-Type", "application/json")
			if user != "" {
				a, err := f.orgs.LoadActor(context.Background(), f.ids[user])
				if err != nil {
					t.Fatal(err)
				}
				r = r.WithContext(auth.With(r.Context(), a))
			}
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, r)
			return w.Code, w.Body.Bytes()
		}
		count := func() int {
			var n int
			if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM legalreviews").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		zjj := f.units["QH109000"]
		scenarios := []struct {
			name   string
			user   string
			body   map[string]any
			status int
			fields map[string]string // field → part of its Chinese message
		}{
			{"empty", "clerk_zjj", map[string]any{}, 422, map[string]string{"kind": "请选择审查类型", "title": "请填写送审事项名称"}},
			{"date too early", "clerk_zjj", map[string]any{"kind": "decision", "title": "清河区养老服务补贴办法", "unit_id": zjj, "requested_by": "2026-10-09"}, 422,
				map[string]string{"requested_by": "不得早于 2026-10-13"}},
			{"bad date", "clerk_zjj", map[string]any{"kind": "decision", "title": "清河区养老服务补贴办法", "unit_id": zjj, "requested_by": "10/13/2026"}, 422,
				map[string]string{"requested_by": "格式应为 YYYY-MM-DD"}},
			{"title too long", "clerk_zjj", map[string]any{"kind": "contract", "title": strings.Repeat("长", 201), "unit_id": zjj}, 422,
				map[string]string{"title": "不能超过200个字"}},
			{"policy without checklist", "clerk_zjj", map[string]any{"kind": "policy", "title": "清河区稳岗补贴措施", "unit_id": zjj}, 422,
				map[string]string{"checks[0].answer": "公平竞争审查"}},
			{"other unit", "clerk_zjj", map[string]any{"kind": "contract", "title": "清河区市场监管协作协议", "unit_id": f.units["QH116000"]}, 404, nil},
			{"no permission", "leader", map[string]any{"kind": "contract", "title": "清河区市场监管协作协议", "unit_id": zjj}, 403, nil},
			{"anonymous", "", map[string]any{"kind": "contract", "title": "清河区市场监管协作协议", "unit_id": zjj}, 401, nil},
		}
		for _, sc := range scenarios {
			code, body := call(sc.user, "POST", "/api/legalreviews", sc.body)
			if code != sc.status {
				t.Errorf("%s: status %d, want %d: %s", sc.name, code, sc.status, body)
				continue
			}
			var eb struct {
				Message string
				Fields  []struct{ Field, Message string }
			}
			_ = json.Unmarshal(body, &eb)
			for field, want := range sc.fields {
				found := false
				for _, fe := range eb.Fields {
					if fe.Field == field && strings.Contains(fe.Message, want) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: no field %s with %q in %s", sc.name, field, want, body)
				}
			}
			if n := count(); n != 0 {
				t.Fatalf("%s: a refused request wrote %d reviews", sc.name, n)
			}
		}

		code, body := call("clerk_zjj", "POST", "/api/legalreviews", map[string]any{"kind": "decision", "title": "清河区养老服务补贴办法", "unit_id": zjj, "requested_by": "2026-10-16"})
		if code != 201 {
			t.Fatalf("create: %d %s", code, body)
		}
		var r Review
		_ = json.Unmarshal(body, &r)
		if r.RequestedBy != "2026-10-16" || r.StatusLabel != "审查中" || r.DueOn != "2026-10-23" {
			t.Fatalf("created %+v", r)
		}
		code, body = call("clerk_zjj", "GET", "/api/legalreviews?kind=decision&keyword=养老", nil)
		if code != 200 || !strings.Contains(string(body), `"total":1`) {
			t.Fatalf("list: %d %s", code, body)
		}
		code, body = call("clerk_zjj", "GET", "/api/legalreviews?status=unknown", nil)
		if code != 422 || !strings.Contains(string(body), "办理状态无效") {
			t.Fatalf("bad filter: %d %s", code, body)
		}
		code, body = call("clerk_zjj", "GET", "/api/legalreviews/export.xlsx?keyword=养老", nil)
		if code != 200 || !bytes.HasPrefix(body, []byte("PK")) {
			t.Fatalf("export: %d", code)
		}
		path := "/api/legalreviews/" + itoa(r.ID)
		code, body = call("clerk_zjj", "GET", path+"/opinion.docx", nil)
		if code != 422 || !strings.Contains(string(body), "尚未办结") {
			t.Fatalf("letter before conclusion: %d %s", code, body)
		}
		f.pass(t, r.ID)
		code, body = call("sifaju", "POST", path+"/conclude", map[string]any{"conclusion": "passed_with_changes", "opinions": []string{"  "}, "version": f.ver(t, r.ID)})
		if code != 422 || !strings.Contains(string(body), "第1条审查意见不能为空") {
			t.Fatalf("bad conclusion: %d %s", code, body)
		}
		// Concluded on the submission day: before the minimum review time,
		// so the urgent matter and its approver are recorded.
		code, body = call("sifaju", "POST", path+"/conclude", map[string]any{"conclusion": "passed_with_changes", "opinions": []string{"第三条补贴对象范围应与上位法一致。"},
			"early_reason": "区政府常务会议议程紧急", "early_approver": "司法局局长王建国", "version": f.ver(t, r.ID)})
		if code != 200 {
			t.Fatalf("conclude: %d %s", code, body)
		}
		code, body = call("clerk_zjj", "GET", path+"/opinion.docx", nil)
		if code != 200 {
			t.Fatalf("letter: %d %s", code, body)
		}
		text, err := docx.Text(body)
		if err != nil || !strings.Contains(text, "清河司审〔2026〕1号") || !strings.Contains(text, "第三条补贴对象范围应与上位法一致。") {
			t.Fatalf("letter text %v:\n%s", err, text)
		}
		code, body = call("clerk_zjj", "POST", path+"/adoption", map[string]any{"items": []map[string]any{{"seq": 1, "adoption": "rejected"}}, "version": f.ver(t, r.ID)})
		if code != 422 || !strings.Contains(string(body), "须说明理由") {
			t.Fatalf("adoption without reason: %d %s", code, body)
		}
		// An action without the version it was made on is refused, naming 版本号.
		code, body = call("clerk_zjj", "POST", path+"/adoption", map[string]any{"items": []map[string]any{{"seq": 1, "adoption": "adopted"}}})
		if code != 422 || !strings.Contains(string(body), "版本号") || !strings.Contains(string(body), `"field":"version"`) {
			t.Fatalf("adoption without version: %d %s", code, body)
		}
		code, body = call("sifaju", "GET", "/api/legalreviews/figures?from=2026-13-01", nil)
		if code != 422 || !strings.Contains(string(body), "日期格式") {
			t.Fatalf("bad figure period: %d %s", code, body)
		}
	})
}

func itoa(id int64) string { return jsonNum(id) }

func jsonNum(id int64) string { b, _ := json.Marshal(id); return string(b) }
