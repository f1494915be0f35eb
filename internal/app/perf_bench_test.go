package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"fazhi/internal/finding"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/testenv"
	"fazhi/internal/platform/xlsx"
)

// Profiling benchmarks over a database already loaded with
// `fazhi demo --records N` (issue 11): FAZHI_BENCH_DB names it (SQLite path or
// postgres:// URL); without it they skip. They exist to be run with
// -cpuprofile/-memprofile when looking for what a request spends its time
// on; `make bench` (scripts/bench-records.sh) is the measurement of record.
//
//	FAZHI_BENCH_DB=/tmp/f200k.db go test -run '^$' -bench Loaded -cpuprofile cpu.out ./internal/app/

func loadedApp(b *testing.B) (*App, http.Handler, func(user string) *http.Cookie) {
	dsn := testenv.BenchDB
	if dsn == "" {
		b.Skip("FAZHI_BENCH_DB not set (a database loaded with fazhi demo --records N)")
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	a, err := New(context.Background(), Config{DB: dsn})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	h := a.Handler()
	return a, h, func(user string) *http.Cookie { return loginCookie(b, h, user) }
}

// discard is a ResponseWriter that keeps only the status and the size.
type discard struct {
	h    http.Header
	code int
	n    int64
}

func (d *discard) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}
func (d *discard) WriteHeader(code int) { d.code = code }
func (d *discard) Write(p []byte) (int, error) {
	if d.code == 0 {
		d.code = 200
	}
	d.n += int64(len(p))
	return len(p), nil
}

func benchGet(b *testing.B, h http.Handler, c *http.Cookie, path string) {
	b.Helper()
	b.ReportAllocs()
	var size int64
	for b.Loop() {
		r := httptest.NewRequest("GET", path, nil)
		r.AddCookie(c)
		w := &discard{}
		h.ServeHTTP(w, r)
		if w.code != 200 {
			b.Fatalf("%s: %d", path, w.code)
		}
		size = w.n
	}
	b.ReportMetric(float64(size), "bytes/resp")
}

func BenchmarkLoaded(b *testing.B) {
	a, h, login := loadedApp(b)
	var minID int64
	if err := a.DB.QueryRow(context.Background(), "SELECT COALESCE(MIN(id), 0) FROM findings").Scan(&minID); err != nil {
		b.Fatal(err)
	}
	dist, unit := login("sifaju"), login("clerk_sj")
	b.Run("dashboard-district", func(b *testing.B) { benchGet(b, h, dist, "/api/dashboard/summary") })
	b.Run("dashboard-unit", func(b *testing.B) { benchGet(b, h, unit, "/api/dashboard/summary") })
	b.Run("list-first", func(b *testing.B) { benchGet(b, h, dist, "/api/findings") })
	b.Run("list-overdue", func(b *testing.B) { benchGet(b, h, dist, "/api/findings?overdue=true") })
	b.Run("list-unit", func(b *testing.B) { benchGet(b, h, unit, "/api/findings") })
	// The oldest rows, by the keyset cursor (what 下一页 sends deep down).
	b.Run("list-deep", func(b *testing.B) {
		benchGet(b, h, dist, "/api/findings?after="+db.WalkCursor(600, []any{minID + 1000}, db.CountCap, true))
	})
	if y := testenv.BenchExportYear; y != "" {
		b.Run("export", func(b *testing.B) { benchGet(b, h, dist, "/api/findings/export.xlsx?year="+y) })
	}
}

// BenchmarkLoadedImport uploads a workbook of FAZHI_BENCH_IMPORT_ROWS
// findings (default 1,000) through the import endpoint; each iteration adds
// them to the database.
func BenchmarkLoadedImport(b *testing.B) {
	a, h, login := loadedApp(b)
	dist := login("sifaju")
	n := 1000
	if s := testenv.BenchImportRows; s != "" {
		n, _ = strconv.Atoi(s)
	}
	var unit string
	if err := a.DB.QueryRow(context.Background(), "SELECT u.name FROM users s JOIN org_units u ON u.id = s.unit_id WHERE s.username = 'clerk_sj'").Scan(&unit); err != nil {
		b.Fatal(err)
	}
	cols := []xlsx.Column{{Title: "问题标题"}, {Title: "问题描述"}, {Title: "问题来源"}, {Title: "来源编号"}, {Title: "责任单位"}, {Title: "严重程度"}, {Title: "发现日期"}}
	wb, err := xlsx.Bytes(finding.SheetName, cols, func(add func(...any) error) error {
		for i := range n {
			if err := add(fmt.Sprintf("导入测量问题 %d", i+1), "描述", finding.Sources[i%len(finding.Sources)].Label, "", unit,
				finding.Severities[i%len(finding.Severities)].Label, "2026-11-02"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r := httptest.NewRequest("POST", "/api/findings/import", bytes.NewReader(wb))
		r.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		r.AddCookie(dist)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("import: %d %.300s", w.Code, w.Body.String())
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
