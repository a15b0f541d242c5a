package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/tools"
)

// serveStreamable serves the real /mcp handler (mcp-go behind our wrappers)
// on a loopback port and returns its URL.
func serveStreamable(t *testing.T, stateless bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	cfg := &serveConfig{transport: "http", listen: ln.Addr().String(), stateless: stateless, maxSessions: 8, maxCallsPerSession: 4,
		maxRequestBytes: 1 << 20, sessionIdleTimeout: time.Minute, writeTimeout: 5 * time.Second}
	s, err := tools.NewServer(tools.Options{Version: "test"})
	require.NoError(t, err)
	h, closeSessions, err := buildHTTPHandler(cfg, s, newCallTracker(4), ln.Addr().(*net.TCPAddr), nil, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	srv := newHTTPServer(h, slog.New(slog.DiscardHandler))
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		closeSessions(context.Background())
		_ = srv.Close()
	})
	return "http://" + ln.Addr().String() + "/mcp"
}

func sessionRequest(t *testing.T, method, url, sid string) (int, string, http.Header) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/json, text/event-stream")
	if sid != "" {
		req.Header.Set("Mcp-Session-Id", sid)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err, "%s must answer at once, not open a silent stream", method)
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return resp.StatusCode, "(stream)", resp.Header
	}
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "%s must answer at once, not open a silent stream", method)
	return resp.StatusCode, string(body), resp.Header
}

// TestSessionlessGetAndDelete: GET and DELETE on /mcp that cannot mean
// anything get a clear 4xx at once, instead of a stream no message ever
// reaches or a 200 that ended nothing.
func TestSessionlessGetAndDelete(t *testing.T) {
	t.Parallel()
	url := serveStreamable(t, false)
	code, body, _ := sessionRequest(t, http.MethodGet, url, "")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, "Mcp-Session-Id")
	code, body, _ = sessionRequest(t, http.MethodDelete, url, "")
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body, "DELETE /mcp ends an MCP session")
	// A real session still gets its stream, and can be ended.
	init := rawPost(t, url, initializeBody, nil)
	sid := init.Header.Get("Mcp-Session-Id")
	require.NotEmpty(t, sid)
	code, body, _ = sessionRequest(t, http.MethodGet, url, sid)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "(stream)", body)
	code, _, _ = sessionRequest(t, http.MethodDelete, url, sid)
	assert.Equal(t, http.StatusOK, code)

	stateless := serveStreamable(t, true)
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		for _, sid := range []string{"", "anything"} {
			code, body, h := sessionRequest(t, m, stateless, sid)
			assert.Equal(t, http.StatusMethodNotAllowed, code, m)
			assert.Equal(t, "POST", h.Get("Allow"))
			assert.Contains(t, body, "--stateless", m)
		}
	}
}
