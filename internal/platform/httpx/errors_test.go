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

	"github.com/danielgtaylor/huma/v2"
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

// huma's own refusals (a value outside an enum, a missing or mistyped
// field) name the field by its Chinese label, not its JSON key; a nested
// field is labelled by its last part; an unknown key stays as it is.
func TestHumaRefusalsNameTheFieldInChinese(t *testing.T) {
	RegisterLabels(map[string]string{"step_for_test": "程序步骤"})
	err := newError(http.StatusUnprocessableEntity, "validation failed",
		&huma.ErrorDetail{Location: "body.step_for_test", Message: `expected value to be one of "consultation, expert, risk"`},
		&huma.ErrorDetail{Location: "body.votes[0].version", Message: "expected integer"},
		&huma.ErrorDetail{Location: "body.unknown_for_test", Message: "expected string"})
	b := Body(err)
	got := map[string]string{}
	for _, f := range b.Fields {
		got[f.Field] = f.Message
	}
	want := map[string]string{
		"step_for_test":    "「程序步骤」取值不在允许范围内",
		"votes[0].version": "「版本号」应为数字",
		"unknown_for_test": "「unknown_for_test」应为文本",
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("field %s: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}
