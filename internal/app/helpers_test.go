package app

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

// demoApp opens an App on dsn with the demo district loaded (scale 1); it
// is closed when the test ends.
func demoApp(t testing.TB, dsn string) *App {
	t.Helper()
	ctx := context.Background()
	a, err := New(ctx, Config{DB: dsn, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	if err := a.LoadDemo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	return a
}

// scalar runs a query returning one value (a count, an id) on a's
// database; an error fails the test.
func scalar[T any](t testing.TB, a *App, q string, args ...any) T {
	t.Helper()
	var v T
	if err := a.DB.QueryRow(context.Background(), q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// send serves one request through h signed in with cookie; a non-nil body
// goes with content type ctype.
func send(h http.Handler, cookie *http.Cookie, method, path, ctype string, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	if body != nil {
		r.Header.Set("Content-Type", ctype)
	}
	r.AddCookie(cookie)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}
