// Package httpx holds the HTTP plumbing shared by every module: the huma API
// configured with fazhi's error vocabulary, middleware, and helpers for the
// few handlers that stream bytes outside huma (downloads, uploads).
package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"fazhi/internal/platform/apperr"

	"github.com/danielgtaylor/huma/v2"
)

// ErrorBody is the JSON every failed API call returns.
type ErrorBody struct {
	status  int
	Code    apperr.Code         `json:"code" doc:"错误类别"`
	Message string              `json:"message" doc:"中文错误说明"`
	Fields  []apperr.FieldError `json:"fields,omitempty" doc:"逐字段错误"`
}

func (e *ErrorBody) Error() string  { return string(e.Code) + ": " + e.Message }
func (e *ErrorBody) GetStatus() int { return e.status }

// StatusClientClosedRequest is the status recorded when the client ended
// the request before the answer (nginx's 499); nobody receives the body.
const StatusClientClosedRequest = 499

// Body turns any error into the client-facing body. Unknown errors are
// logged with their cause and reported as a generic internal error.
func Body(err error) *ErrorBody {
	if eb, ok := err.(*ErrorBody); ok {
		return eb
	}
	if errors.Is(err, context.Canceled) {
		// The client went away (a page navigated on, a tab closed): not a
		// server failure, so no error log and no 500 in the metrics.
		slog.Info("request canceled by the client", "err", err)
		return &ErrorBody{status: StatusClientClosedRequest, Code: apperr.Unavailable, Message: "请求已取消"}
	}
	ae := apperr.As(err)
	if ae == nil || ae.Code == apperr.Internal {
		slog.Error("internal error", "err", err)
		return &ErrorBody{status: http.StatusInternalServerError, Code: apperr.Internal, Message: "系统内部错误，请稍后重试或联系管理员"}
	}
	if ae.Err != nil && ae.Code == apperr.Unavailable {
		slog.Warn("dependency unavailable", "err", ae.Err)
	}
	return &ErrorBody{status: apperr.Status(ae.Code), Code: ae.Code, Message: ae.Message, Fields: ae.Fields}
}

// WriteError writes err as JSON; for handlers outside huma.
func WriteError(w http.ResponseWriter, err error) {
	b := Body(err)
	WriteJSON(w, b.status, b)
}

// WriteJSON writes v with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func init() {
	// huma calls NewError both for its own failures (validation, bad JSON)
	// and, with status 500, wrapping errors our handlers return.
	huma.NewError = newError
}

func newError(status int, msg string, errs ...error) huma.StatusError {
	for _, e := range errs {
		if e == nil {
			continue
		}
		if ae := apperr.As(e); ae != nil {
			return Body(ae)
		}
		var se huma.StatusError
		if errors.As(e, &se) {
			if eb, ok := se.(*ErrorBody); ok {
				return eb
			}
		}
	}
	if status >= 500 {
		var cause error
		if len(errs) > 0 {
			cause = errors.Join(errs...)
		} else {
			cause = errors.New(msg)
		}
		return Body(cause)
	}
	// A huma-detected client error: translate it.
	var fields apperr.Fields
	for _, e := range errs {
		var d *huma.ErrorDetail
		if e == nil || !errors.As(e, &d) {
			continue
		}
		field := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(d.Location, "body."), "query."), "path."), "header.")
		if field == "body" {
			field = ""
		}
		fields.Add(field, "%s", translate(field, d.Message))
	}
	code := apperr.Invalid
	switch status {
	case http.StatusRequestEntityTooLarge:
		code = apperr.TooLarge
		limit := ""
		if m := reBodyLimit.FindStringSubmatch(msg); m != nil {
			if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
				limit = "（上限 " + sizeLabel(n) + "）"
			}
		}
		msg = "请求内容过大" + limit
	case http.StatusNotFound:
		code = apperr.NotFound
		msg = "资源不存在"
	case http.StatusUnauthorized:
		code = apperr.Unauthenticated
		msg = "请先登录"
	case http.StatusForbidden:
		code = apperr.Forbidden
		msg = "没有权限"
	default:
		if len(fields) > 0 {
			e := fields.Err().(*apperr.Error)
			return Body(e)
		}
		msg = translate("", msg)
	}
	return &ErrorBody{status: apperr.Status(code), Code: code, Message: msg}
}

var (
	reBodyLimit = regexp.MustCompile(`limit=(\d+) bytes`)
	reRequired  = regexp.MustCompile(`expected required property (\S+) to be present`)
	reMaxLen    = regexp.MustCompile(`expected length <= (\d+)`)
	reMinLen    = regexp.MustCompile(`expected length >= (\d+)`)
	reMax       = regexp.MustCompile(`expected number <= ([\d.]+)`)
	reMin       = regexp.MustCompile(`expected number >= ([\d.]+)`)
)

// translate renders huma's English validation messages in Chinese. Services
// do the business validation with labelled messages; these are the
// type-level checks that happen before a service is reached.
func translate(field, m string) string {
	name := "「" + FieldLabel(field) + "」"
	if field == "" {
		name = "请求内容"
	}
	switch {
	case reRequired.MatchString(m):
		return "「" + FieldLabel(reRequired.FindStringSubmatch(m)[1]) + "」为必填项"
	case strings.Contains(m, "expected string"):
		return name + "应为文本"
	case strings.Contains(m, "expected integer"), strings.Contains(m, "expected number"):
		if s := reMax.FindStringSubmatch(m); s != nil {
			return name + "不能大于 " + s[1]
		}
		if s := reMin.FindStringSubmatch(m); s != nil {
			return name + "不能小于 " + s[1]
		}
		return name + "应为数字"
	case strings.Contains(m, "expected boolean"):
		return name + "应为是/否"
	case strings.Contains(m, "expected array"):
		return name + "应为列表"
	case strings.Contains(m, "expected object"):
		return name + "格式不正确"
	case reMaxLen.MatchString(m):
		return name + "长度不能超过 " + reMaxLen.FindStringSubmatch(m)[1]
	case reMinLen.MatchString(m):
		return name + "长度不能少于 " + reMinLen.FindStringSubmatch(m)[1]
	case strings.Contains(m, "unexpected property"):
		return name + "不是可接受的字段"
	case strings.Contains(m, "expected value to be one of"):
		return name + "取值不在允许范围内"
	case strings.Contains(m, "unmarshal"), strings.Contains(m, "invalid character"), strings.Contains(m, "unexpected end of JSON"):
		return "请求内容不是有效的 JSON"
	case strings.Contains(m, "expected date"), strings.Contains(m, "format"):
		return name + "格式不正确"
	}
	return fmt.Sprintf("%s不正确", name)
}

var (
	labelMu sync.RWMutex
	labels  = map[string]string{
		// Fields of several modules' requests, named generically.
		"version": "版本号", "page": "页码", "page_size": "每页条数", "after": "翻页位置", "q": "关键词",
		"from": "起始日期", "to": "截止日期", "unit_id": "单位", "title": "标题", "kind": "类别",
		"status": "状态", "result": "结果", "action": "办理操作", "note": "说明", "reason": "理由",
		"date": "日期", "file_ids": "附件", "opinion": "意见",
	}
)

// RegisterLabels names request fields in Chinese (a module calls it from
// init for its own fields). Validation messages that huma raises before a
// service is reached — a value outside an enum, a wrong type — name the
// field by this label instead of its JSON key; a key registered twice keeps
// the later label, so use a name that fits every request carrying the key.
func RegisterLabels(m map[string]string) {
	labelMu.Lock()
	defer labelMu.Unlock()
	for k, v := range m {
		labels[k] = v
	}
}

// FieldLabel is the Chinese label of a request field by its JSON key or
// location ("votes[0].opinion" is labelled as "opinion"); an unknown key is
// returned as it is.
func FieldLabel(field string) string {
	key := field
	if i := strings.LastIndexAny(key, ".]"); i >= 0 {
		key = key[i+1:]
	}
	labelMu.RLock()
	defer labelMu.RUnlock()
	if l, ok := labels[key]; ok {
		return l
	}
	return field
}
