// Package updatetest holds the assertion every module's tests make about
// update.RequireVersion, so that the modules check the same thing.
package updatetest

import (
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
)

// WantVersionRequired fails t unless err is the validation error of a
// missing version: code Invalid, one field "version", a message naming
// 版本号 — not a conflict.
func WantVersionRequired(t testing.TB, what string, err error) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "version" || !strings.Contains(e.Error(), "版本号") {
		t.Fatalf("%s without a version: want the validation error on version naming 版本号, got %v", what, err)
	}
}
