package httpx

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClientInfoTrustsTheProxyOnlyWhenConfigured(t *testing.T) {
	req := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/api/x", nil)
		r.RemoteAddr = "[::1]:51234"
		r.Header.Set("X-Forwarded-For", "203.0.113.7, 10.0.0.2")
		r.Header.Set("X-Forwarded-Proto", "https")
		return r
	}
	see := func(trust bool, r *http.Request) (ip string, secure bool) {
		ClientInfo(trust)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ip, secure = Client(r)
			if ClientIP(r) != ip {
				t.Errorf("ClientIP %q, Client %q", ClientIP(r), ip)
			}
		})).ServeHTTP(httptest.NewRecorder(), r)
		return ip, secure
	}
	if ip, secure := see(false, req()); ip != "::1" || secure {
		t.Errorf("untrusted proxy: %q %v, want the socket address over plain HTTP", ip, secure)
	}
	if ip, secure := see(true, req()); ip != "203.0.113.7" || !secure {
		t.Errorf("trusted proxy: %q %v, want the first forwarded address over HTTPS", ip, secure)
	}
	direct := req()
	direct.Header.Del("X-Forwarded-For")
	direct.Header.Del("X-Forwarded-Proto")
	direct.TLS = &tls.ConnectionState{}
	if ip, secure := see(true, direct); ip != "::1" || !secure {
		t.Errorf("direct TLS: %q %v", ip, secure)
	}
	// Outside the chain (a handler test): the socket address.
	if ip, secure := Client(req()); ip != "::1" || secure {
		t.Errorf("without ClientInfo: %q %v", ip, secure)
	}
}
