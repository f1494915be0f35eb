package app

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"
)

// Benchmarks for `make bench`. They report figures; they never fail on time.

// BenchmarkStartupEmptySQLite measures app.New on a fresh SQLite file: open,
// run every migration, wire every module (the server is ready after this).
func BenchmarkStartupEmptySQLite(b *testing.B) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	dir := b.TempDir()
	for i := 0; b.Loop(); i++ {
		a, err := New(ctx, Config{DB: filepath.Join(dir, time.Now().Format("150405.000000000")+".db")})
		if err != nil {
			b.Fatal(err)
		}
		a.Close()
	}
}

// BenchmarkDashboardVsHealthz measures the home page's figures (a signed-in
// request through sessions, scope and live counts over the demo district)
// against /healthz in the same run, and reports the ratio.
func BenchmarkDashboardVsHealthz(b *testing.B) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	a, err := New(ctx, Config{DB: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	if err := a.LoadDemo(ctx, 1); err != nil {
		b.Fatal(err)
	}
	h := a.Handler()
	cookie := loginCookie(b, h, "sifaju")
	call := func(path string) {
		r := httptest.NewRequest("GET", path, nil)
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	var base, dash time.Duration
	for b.Loop() {
		t0 := time.Now()
		call("/healthz")
		t1 := time.Now()
		call("/api/dashboard/summary")
		t2 := time.Now()
		base += t1.Sub(t0)
		dash += t2.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(base.Nanoseconds())/n, "healthz-ns/op")
	b.ReportMetric(float64(dash.Nanoseconds())/n, "dashboard-ns/op")
	b.ReportMetric(float64(dash)/float64(base), "ratio(dashboard/healthz)")
}
