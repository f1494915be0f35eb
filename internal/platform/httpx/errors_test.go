package httpx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
)

// captureLog sends slog's default logger to a buffer for the test.
func captureLog(t *testing.T) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

// A request whose client went away (the browser navigated on while the
// dashboard was loading) failed with "internal error" at ERROR level and a
// 500; it is now a 499 logged at INFO.
func TestBodyClientCanceledIsNotAnInternalError(t *testing.T) {
	buf := captureLog(t)
	b := Body(fmt.Errorf("dashboard summary: %w", context.Canceled))
	if b.GetStatus() != StatusClientClosedRequest {
		t.Fatalf("status %d, want %d", b.GetStatus(), StatusClientClosedRequest)
	}
	if b.Code == apperr.Internal {
		t.Fatalf("code %q for a canceled request", b.Code)
	}
	if b.Message != "请求已取消" {
		t.Fatalf("message %q", b.Message)
	}
	if strings.Contains(buf.String(), "level=ERROR") || strings.Contains(buf.String(), "internal error") {
		t.Fatalf("canceled request logged as an error: %s", buf.String())
	}
	if !strings.Contains(buf.String(), "request canceled by the client") {
		t.Fatalf("canceled request not logged: %q", buf.String())
	}
}

func TestBodyUnknownErrorStaysInternal(t *testing.T) {
	buf := captureLog(t)
	b := Body(errors.New("disk on fire"))
	if b.GetStatus() != http.StatusInternalServerError || b.Code != apperr.Internal {
		t.Fatalf("got %d %q, want 500 internal", b.GetStatus(), b.Code)
	}
	if strings.Contains(b.Message, "disk") {
		t.Fatalf("cause leaked to the client: %q", b.Message)
	}
	if !strings.Contains(buf.String(), "level=ERROR") || !strings.Contains(buf.String(), "disk on fire") {
		t.Fatalf("internal error not logged with its cause: %q", buf.String())
	}
	// A deadline exceeded is a real failure (a slow query), not a cancel.
	if b := Body(fmt.Errorf("q: %w", context.DeadlineExceeded)); b.GetStatus() != http.StatusInternalServerError {
		t.Fatalf("deadline exceeded answered %d, want 500", b.GetStatus())
	}
}
