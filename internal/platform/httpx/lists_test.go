package httpx

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
)

type listItem struct {
	Tags []string `json:"tags"`
}

type listBody struct {
	Items   []listItem          `json:"items"`
	IDs     []int64             `json:"ids"`
	Opt     []string            `json:"opt,omitempty"`
	Ptr     *listItem           `json:"ptr"`
	ByKey   map[string][]string `json:"by_key"`
	Any     any                 `json:"any"`
	Raw     json.RawMessage     `json:"raw"`
	private []string
}

// A response's nil slices, however deep, go out as [] (never null); byte
// slices and omitempty lists are untouched; the OpenAPI document declares
// response lists non-nullable.
func TestEmptyLists(t *testing.T) {
	mux := http.NewServeMux()
	api := NewAPI(mux, "test")
	huma.Register(api, huma.Operation{OperationID: "lists", Method: http.MethodGet, Path: "/api/lists"},
		func(ctx context.Context, _ *struct{}) (*struct{ Body listBody }, error) {
			return &struct{ Body listBody }{Body: listBody{Items: []listItem{{}}, Ptr: &listItem{}, ByKey: map[string][]string{"a": nil}, Any: listItem{}}}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "bare", Method: http.MethodGet, Path: "/api/bare"},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []listItem }, error) {
			return &struct{ Body []listItem }{}, nil
		})
	get := func(path string) string {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		return strings.TrimSpace(rec.Body.String())
	}
	want := `{"items":[{"tags":[]}],"ids":[],"ptr":{"tags":[]},"by_key":{"a":[]},"any":{"tags":[]},"raw":null}`
	if got := get("/api/lists"); got != want {
		t.Fatalf("lists:\n got %s\nwant %s", got, want)
	}
	if got := get("/api/bare"); got != "[]" {
		t.Fatalf("a nil list body: %s", got)
	}
	doc, err := OpenAPIJSON(api)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), `"null"`) {
		t.Fatalf("a response list is still nullable in the document: %s", doc)
	}
}
