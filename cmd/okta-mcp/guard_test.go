package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

func newTestGuard(t *testing.T, listen string, bound *net.TCPAddr, hosts, origins []string, token string) *guard {
	t.Helper()
	g, err := newGuard(guardConfig{
		listenAddr: listen, boundAddr: bound, allowedHosts: hosts, allowedOrigins: origins,
		authToken: token, logger: slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	return g
}

func TestGuardHostAndOrigin(t *testing.T) {
	loop := newTestGuard(t, "127.0.0.1:8080", &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8080},
		[]string{"mcp.example.com"}, []string{"https://app.example.com"}, "")
	named := newTestGuard(t, "mcp.internal:9000", &net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 9000}, nil, nil, "")
	any := newTestGuard(t, ":8080", &net.TCPAddr{IP: net.IPv4zero, Port: 8080}, nil, nil, "")

	tests := []struct {
		name   string
		g      *guard
		host   string
		origin string
		local  string // connection's local address, when it matters
		want   int
	}{
		{"loopback ip with port", loop, "127.0.0.1:8080", "", "", 200},
		{"localhost with port", loop, "localhost:8080", "", "", 200},
		{"LOCALHOST upper case", loop, "LOCALHOST:8080", "", "", 200},
		{"ipv6 loopback", loop, "[::1]:8080", "", "", 200},
		{"same-origin browser request", loop, "127.0.0.1:8080", "http://127.0.0.1:8080", "", 200},
		{"https origin on a plain-http listener", loop, "127.0.0.1:8080", "https://127.0.0.1:8080", "", 403},
		{"https localhost origin on a plain-http listener", loop, "localhost:8080", "https://localhost:8080", "", 403},
		{"localhost origin for 127.0.0.1 host", loop, "127.0.0.1:8080", "http://localhost:8080", "", 403},
		{"allowed origin", loop, "127.0.0.1:8080", "https://app.example.com", "", 200},
		{"allowed origin with explicit default port", loop, "127.0.0.1:8080", "https://app.example.com:443", "", 200},
		{"allowed origin's host as Host", loop, "app.example.com", "", "", 200},
		{"allowed host any port", loop, "mcp.example.com:443", "", "", 200},
		{"allowed host, same-origin https origin", loop, "mcp.example.com", "https://mcp.example.com", "", 200},
		{"conformance: rebinding host and origin", loop, "evil.example.com", "http://evil.example.com", "", 403},
		{"rebinding host with our port", loop, "evil.example.com:8080", "", "", 403},
		{"loopback host, other port", loop, "127.0.0.1:9999", "", "", 403},
		{"localhost without port (80)", loop, "localhost", "", "", 403},
		{"foreign origin", loop, "127.0.0.1:8080", "http://evil.example.com", "", 403},
		{"null origin", loop, "127.0.0.1:8080", "null", "", 403},
		{"subdomain of localhost", loop, "evil.localhost:8080", "", "", 403},
		{"allowed host look-alike", loop, "mcp.example.com.evil.example:8080", "", "", 403},
		{"userinfo in host", loop, "evil@127.0.0.1:8080", "", "", 403},
		{"empty host", loop, "", "", "", 403},
		{"listen name", named, "mcp.internal:9000", "", "", 200},
		{"bound ip", named, "10.1.2.3:9000", "", "", 200},
		{"other ip", named, "10.1.2.4:9000", "", "", 403},
		{"listen name other port", named, "mcp.internal:9001", "", "", 403},
		{"all interfaces: local ip literal", any, "192.0.2.10:8080", "", "192.0.2.10:8080", 200},
		{"all interfaces: other ip literal", any, "192.0.2.11:8080", "", "192.0.2.10:8080", 403},
		{"all interfaces: dns name", any, "okta-mcp.example:8080", "", "192.0.2.10:8080", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.g.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
			r := httptest.NewRequest(http.MethodPost, "/mcp", nil)
			r.Host = tt.host
			if tt.origin != "" {
				r.Header.Set("Origin", tt.origin)
			}
			if tt.local != "" {
				la, err := net.ResolveTCPAddr("tcp", tt.local)
				require.NoError(t, err)
				r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, net.Addr(la)))
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, tt.want, w.Code, w.Body.String())
			if tt.want == 403 {
				assert.Contains(t, w.Body.String(), `"code":-32002`)
			}
		})
	}
}

func TestGuardBearerToken(t *testing.T) {
	const token = "0123456789abcdef-secret-token"
	g := newTestGuard(t, "127.0.0.1:8080", &net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8080}, nil, nil, token)
	h := g.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	tests := []struct {
		name, auth string
		preflight  bool
		want       int
	}{
		{"no header", "", false, 401},
		{"wrong token", "Bearer wrong-token-wrong-token", false, 401},
		{"token prefix", "Bearer " + token[:10], false, 401},
		{"token with suffix", "Bearer " + token + "x", false, 401},
		{"basic scheme", "Basic " + token, false, 401},
		{"right token", "Bearer " + token, false, 200},
		{"scheme is case-insensitive", "bearer " + token, false, 200},
		{"cors preflight needs no token", "", true, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := http.MethodPost
			if tt.preflight {
				method = http.MethodOptions
			}
			r := httptest.NewRequest(method, "/mcp", nil)
			r.Host = "127.0.0.1:8080"
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			if tt.preflight {
				r.Header.Set("Access-Control-Request-Method", "POST")
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, tt.want, w.Code)
			if tt.want == 401 {
				assert.Equal(t, `Bearer realm="okta-mcp"`, w.Header().Get("WWW-Authenticate"))
				body, _ := io.ReadAll(w.Body)
				assert.NotContains(t, string(body), token)
			}
		})
	}
}

func TestNormalizeOrigin(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"https://App.Example.com", "https://app.example.com", true},
		{"https://app.example.com:443", "https://app.example.com", true},
		{"http://app.example.com:80/", "http://app.example.com", true},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"http://[::1]:8080", "http://[::1]:8080", true},
		{"app.example.com", "", false},
		{"ftp://app.example.com", "", false},
		{"https://app.example.com/path", "", false},
		{"https://user@app.example.com", "", false},
		{"null", "", false},
	}
	for _, tt := range tests {
		got, err := normalizeOrigin(tt.in)
		if !tt.ok {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestIsLoopbackListenAddr(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:8080", true},
		{"127.0.0.2:0", true},
		{"[::1]:8080", true},
		{"localhost:8080", true},
		{":8080", false},
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{"192.0.2.1:8080", false},
	}
	for _, tt := range tests {
		got, err := isLoopbackListenAddr(context.Background(), tt.addr)
		require.NoError(t, err, tt.addr)
		assert.Equal(t, tt.want, got, tt.addr)
	}
	_, err := isLoopbackListenAddr(context.Background(), "no-port")
	assert.Error(t, err)
}

// Issue 9 finding 9: `okta-mcp sandbox` refuses a foreign Host or Origin
// (DNS rebinding) and serves its loopback names.
func TestSandboxRefusesForeignHostAndOrigin(t *testing.T) {
	t.Parallel()
	base := startSandbox(t)
	u, err := url.Parse(base)
	require.NoError(t, err)
	get := func(host, origin string) (int, string) {
		req, err := http.NewRequest(http.MethodGet, base+"/api/v1/users?limit=1", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "SSWS "+sandbox.DefaultToken)
		if host != "" {
			req.Host = host
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b) + resp.Header.Get("Link")
	}
	status, body := get("", "")
	assert.Equal(t, 200, status, body)
	status, _ = get("localhost:"+u.Port(), "")
	assert.Equal(t, 200, status)
	status, body = get("attacker.example:"+u.Port(), "")
	assert.Equal(t, 403, status)
	assert.NotContains(t, body, "attacker.example/api", "no Link built from the spoofed Host")
	status, _ = get("attacker.example:"+u.Port(), "http://attacker.example:"+u.Port())
	assert.Equal(t, 403, status, "rebinding: foreign Host and same-site Origin")
	status, _ = get("", "http://evil.example")
	assert.Equal(t, 403, status, "foreign Origin")
}
