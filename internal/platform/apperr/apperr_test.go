package apperr

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestStatusTable(t *testing.T) {
	want := map[Code]int{
		Invalid: 422, NotFound: 404, Conflict: 409, Forbidden: 403, Unauthenticated: 401,
		DeadlinePassed: 422, Precondition: 422, TooLarge: 413, RateLimited: 429, Locked: 429,
		Unavailable: 503, Internal: 500, Code("something-new"): 500,
	}
	for code, status := range want {
		if got := Status(code); got != status {
			t.Errorf("Status(%s) = %d, want %d", code, got, status)
		}
	}
}

func TestFieldsCollectEveryProblem(t *testing.T) {
	var v Fields
	if v.Err() != nil {
		t.Fatal("empty Fields must be no error")
	}
	v.Add("title", "标题不能为空")
	v.Add("unit_id", "请选择承办单位（%d 不存在）", 42)
	err := v.Err()
	e := As(err)
	if e == nil || e.Code != Invalid || len(e.Fields) != 2 {
		t.Fatalf("got %#v", err)
	}
	if e.Fields[1].Message != "请选择承办单位（42 不存在）" || e.Message != "输入有误：标题不能为空；请选择承办单位（42 不存在）" {
		t.Fatalf("messages: %q / %q", e.Fields[1].Message, e.Message)
	}
}

func TestWrapKeepsCauseAndCode(t *testing.T) {
	cause := errors.New("driver: connection reset")
	err := fmt.Errorf("saving: %w", Wrap(cause, Unavailable, "数据库暂不可用"))
	if CodeOf(err) != Unavailable || !errors.Is(err, cause) || !Is(err, Unavailable) {
		t.Fatalf("wrapped error lost its code or cause: %v", err)
	}
	if CodeOf(nil) != "" || CodeOf(errors.New("x")) != Internal {
		t.Fatal("CodeOf: nil must be empty, foreign errors internal")
	}
	if Status(CodeOf(errors.New("x"))) != http.StatusInternalServerError {
		t.Fatal("foreign errors must map to 500")
	}
}
