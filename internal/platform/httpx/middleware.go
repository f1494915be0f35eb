package httpx

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"

	"github.com/prometheus/client_golang/prometheus"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Chain applies mws so that the first one is outermost.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

// SecurityHeaders sets the headers a government security review asks for.
// The CSP allows only same-origin scripts; Element Plus needs inline styles.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// BodyLimit caps request bodies: JSON (and form) bodies at jsonN, uploads —
// any other content type: multipart files, spreadsheets — at uploadN, so
// that an upload route's own limit (huma's MaxBodyBytes, the files
// service's size) is what applies to it, while a JSON route never reads
// more than jsonN whatever it claims to be.
func BodyLimit(jsonN, uploadN int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, what := jsonN, "请求内容过大（上限 %s）"
			if isUpload(r) {
				n, what = uploadN, "上传内容过大（上限 %s）"
			}
			if r.ContentLength > n {
				WriteError(w, apperr.New(apperr.TooLarge, what, sizeLabel(n)))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// isUpload reports whether r carries a file rather than JSON or a form.
func isUpload(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ct == "", ct == "application/json", ct == "application/x-www-form-urlencoded",
		strings.HasSuffix(ct, "+json"), strings.HasPrefix(ct, "text/"):
		return false
	}
	return true
}

// sizeLabel renders a byte limit as "1 MB" or "512 KB".
func sizeLabel(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(max(n>>10, 1), 10) + " KB"
}

// Recover turns a panic into a logged internal error instead of a dropped
// connection.
func Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				slog.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				WriteError(w, apperr.New(apperr.Internal, "internal"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

var (
	httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fazhi_http_requests_total", Help: "HTTP requests by route pattern and status.",
	}, []string{"method", "route", "status"})
	httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "fazhi_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
		Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"method", "route"})
)

func init() { prometheus.MustRegister(httpRequests, httpDuration) }

// AccessLog logs one structured line per request and records metrics by the
// matched route pattern (not the raw path, to keep label cardinality low).
func AccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		d := time.Since(start)
		route := r.Pattern
		if route == "" {
			route = "other"
		}
		httpRequests.WithLabelValues(r.Method, route, strconv.Itoa(rec.status)).Inc()
		httpDuration.WithLabelValues(r.Method, route).Observe(d.Seconds())
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
			return
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		slog.Log(r.Context(), level, "http", "method", r.Method, "path", r.URL.Path, "status", rec.status, "bytes", rec.bytes, "ms", d.Milliseconds(), "remote", ClientIP(r))
	})
}

type clientKey struct{}

type client struct {
	ip     string
	secure bool
}

// ClientInfo works out, once per request, the client address and whether
// the request arrived over TLS, for ClientIP and Client. With trustProxy
// (--trust-proxy) the first X-Forwarded-For entry and X-Forwarded-Proto of
// the reverse proxy are believed; otherwise the socket address and r.TLS.
// It must be the outermost middleware.
func ClientInfo(trustProxy bool) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := client{ip: socketIP(r), secure: r.TLS != nil}
			if trustProxy {
				if xf := r.Header.Get("X-Forwarded-For"); xf != "" {
					c.ip = strings.TrimSpace(strings.Split(xf, ",")[0])
				}
				c.secure = c.secure || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
		})
	}
}

// Client returns the client address audit records and throttling use, and
// whether the request came over TLS (so that cookies get Secure), as
// ClientInfo found them; without ClientInfo, the socket address and r.TLS.
func Client(r *http.Request) (ip string, secure bool) {
	if c, ok := r.Context().Value(clientKey{}).(client); ok {
		return c.ip, c.secure
	}
	return socketIP(r), r.TLS != nil
}

// ClientIP is Client's address.
func ClientIP(r *http.Request) string {
	ip, _ := Client(r)
	return ip
}

func socketIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}
