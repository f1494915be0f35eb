package finding

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/httpx"

	"github.com/xuri/excelize/v2"
)

// The export streams the filtered ledger straight to the response; a caller
// without the permission gets the JSON error, not a file.
func TestExportStreamsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		if _, err := BulkDemo(context.Background(), d, 700, []int64{2, 3, 4}, supervisor, 3); err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		f.s.Register(httpx.NewAPI(mux, "test"))
		get := func(ctx context.Context, path string) *httptest.ResponseRecorder {
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx))
			return rec
		}
		closed, err := f.s.List(as(supervisor), Filter{Status: "closed"}, db.ListReq{})
		if err != nil || closed.Total == 0 {
			t.Fatalf("closed findings: %d %v", closed.Total, err)
		}
		rec := get(as(supervisor), "/api/findings/export.xlsx?status=closed")
		if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), "spreadsheetml") ||
			!strings.Contains(rec.Header().Get("Content-Disposition"), "findings-ledger.xlsx") {
			t.Fatalf("export: %d %v %s", rec.Code, rec.Header(), rec.Body.String()[:min(200, rec.Body.Len())])
		}
		x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		rows, err := x.GetRows(SheetName)
		if err != nil || len(rows) != closed.Total+1 || rows[1][0] != closed.Items[0].Code || rows[1][9] != "已销号" {
			t.Fatalf("exported %d rows (want %d), first %v, %v", len(rows), closed.Total+1, rows[1], err)
		}
		nobody := auth.With(context.Background(), &auth.Actor{UserID: 99, Perms: map[string]auth.Scope{}})
		rec = get(nobody, "/api/findings/export.xlsx")
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Header().Get("Content-Type"), "json") || !strings.Contains(rec.Body.String(), `"code"`) {
			t.Fatalf("export without permission: %d %s", rec.Code, rec.Body.String())
		}
	})
}
