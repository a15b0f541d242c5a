package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/tools"
)

// sseEndpoint opens /sse on a handler built for cfg and returns the
// endpoint event's data.
func sseEndpoint(t *testing.T, cfg *serveConfig) string {
	t.Helper()
	s, err := tools.NewServer(tools.Options{Version: "test"})
	require.NoError(t, err)
	ts := httptest.NewUnstartedServer(nil)
	bound := ts.Listener.Addr().(*net.TCPAddr)
	cfg.listen = bound.String()
	h, closeSessions, err := buildHTTPHandler(cfg, s, newCallTracker(4), bound, nil, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(func() { closeSessions(context.Background()); ts.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/sse", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err == io.EOF {
			t.Fatal("no endpoint event")
		}
		require.NoError(t, err)
		if data, ok := strings.CutPrefix(line, "data: "); ok {
			return strings.TrimSpace(data)
		}
	}
}

func TestSSEEndpointURL(t *testing.T) {
	base := serveConfig{transport: "sse", maxSessions: 4, maxCallsPerSession: 4, maxRequestBytes: 1 << 20, writeTimeout: 5 * time.Second}

	cfg := base
	ep := sseEndpoint(t, &cfg)
	assert.True(t, strings.HasPrefix(ep, "/message?sessionId="), "relative by default, whatever URL the client used: %s", ep)

	cfg = base
	cfg.baseURL = "https://mcp.example.com/okta"
	ep = sseEndpoint(t, &cfg)
	assert.True(t, strings.HasPrefix(ep, "https://mcp.example.com/okta/message?sessionId="), "--base-url for proxies: %s", ep)
}
