package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// stuckOrg is an in-memory org on 127.0.0.1 whose GET of adaID never
// answers: it waits until the request's context ends (the okta client gave
// up or was cancelled) and counts such requests and their cancellations.
type stuckOrg struct {
	url       string
	arrived   chan struct{}
	requests  atomic.Int32
	cancelled chan struct{}
}

func newStuckOrg(t *testing.T) *stuckOrg {
	t.Helper()
	org, err := sandbox.New(sandbox.Options{})
	require.NoError(t, err)
	so := &stuckOrg{arrived: make(chan struct{}, 10), cancelled: make(chan struct{}, 10)}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/"+adaID) {
			so.requests.Add(1)
			so.arrived <- struct{}{}
			select {
			case <-r.Context().Done():
				so.cancelled <- struct{}{}
			case <-time.After(30 * time.Second):
			}
			return
		}
		org.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	so.url = ts.URL
	return so
}

func (so *stuckOrg) waitArrived(t *testing.T) {
	t.Helper()
	select {
	case <-so.arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("the call never reached the org")
	}
}

// waitCancelled waits for the org to see its held request abandoned, then
// checks that no other request followed (no retry after a cancellation).
func (so *stuckOrg) waitCancelled(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case <-so.cancelled:
	case <-time.After(within):
		t.Fatalf("the Okta request was not stopped within %s", within)
	}
	time.Sleep(700 * time.Millisecond) // longer than the first retry backoff
	assert.Equal(t, int32(1), so.requests.Load(), "nothing was sent after the cancellation")
}

// TestCancellationStopsOktaRequests: when the MCP client cancels a call
// (notifications/cancelled) or simply goes away (closes the HTTP request),
// the Okta request of that call is abandoned at once and not retried.
func TestCancellationStopsOktaRequests(t *testing.T) {
	t.Parallel()
	call := func(s *session, org *stuckOrg) {
		ctx, cancel := context.WithCancel(context.Background())
		go func() { org.waitArrived(s.t); cancel() }()
		req := mcp.CallToolRequest{}
		req.Params.Name = "okta_get_user"
		req.Params.Arguments = map[string]any{"userId": adaID, "domain": org.url, "apiKey": sandbox.DefaultToken}
		_, err := s.c.CallTool(ctx, req)
		assert.Error(s.t, err, "the client gave up")
	}
	t.Run("stdio: notifications/cancelled", func(t *testing.T) {
		t.Parallel()
		org := newStuckOrg(t)
		s := &session{t: t}
		s.c, _ = connectStdio(t, nil, []string{"--allow-http"}, clientOptions{legacy: true})
		call(s, org)
		org.waitCancelled(t, 5*time.Second)
	})
	t.Run("http: notifications/cancelled", func(t *testing.T) {
		t.Parallel()
		org := newStuckOrg(t)
		p := startProc(t, nil, "--allow-http", "--transport", "http", "--listen", "127.0.0.1:0")
		s := &session{t: t}
		s.c = connectHTTP(t, "http://"+p.listenAddr()+"/mcp", clientOptions{legacy: true})
		call(s, org)
		org.waitCancelled(t, 5*time.Second)
	})
	t.Run("http: the client goes away", func(t *testing.T) {
		t.Parallel()
		org := newStuckOrg(t)
		p := startProc(t, nil, "--allow-http", "--transport", "http", "--listen", "127.0.0.1:0")
		url := "http://" + p.listenAddr() + "/mcp"
		resp := rawPost(t, url, initializeBody, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		h := map[string]string{"Mcp-Session-Id": resp.Header.Get("Mcp-Session-Id"), "MCP-Protocol-Version": "2025-11-25"}
		require.Equal(t, http.StatusAccepted, rawPost(t, url, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, h).StatusCode)

		ctx, cancel := context.WithCancel(context.Background())
		go func() { org.waitArrived(t); cancel() }() // drop the connection mid-call
		body := `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"okta_get_user","arguments":{"userId":"` + adaID +
			`","domain":"` + org.url + `","apiKey":"` + sandbox.DefaultToken + `"}}}`
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
		org.waitCancelled(t, 5*time.Second)
	})
}

// TestShutdownIsBounded: a call still in flight when --shutdown-timeout
// runs out is abandoned (its Okta request stopped), and the process exits
// non-zero soon after, saying so, instead of hanging.
func TestShutdownIsBounded(t *testing.T) {
	t.Parallel()
	for _, transportName := range []string{"stdio", "http"} {
		t.Run(transportName, func(t *testing.T) {
			t.Parallel()
			org := newStuckOrg(t)
			if transportName == "stdio" {
				r := startRawStdio(t, "--allow-http", "--shutdown-timeout", "500ms")
				r.initialize()
				r.send(`{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"okta_get_user","arguments":{"userId":"` + adaID +
					`","apiKey":"` + sandbox.DefaultToken + `","domain":"` + org.url + `"}}}`)
				org.waitArrived(t)
				start := time.Now()
				require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
				code := r.drain(15 * time.Second)
				assert.Less(t, time.Since(start), 5*time.Second, "the shutdown is bounded")
				assert.NotEqual(t, 0, code)
				assert.Contains(t, r.stderr.String(), "1 tool call(s) abandoned")
				org.waitCancelled(t, 5*time.Second)
				return
			}
			p := startProc(t, nil, "--allow-http", "--shutdown-timeout", "500ms", "--transport", "http", "--listen", "127.0.0.1:0")
			s := &session{t: t}
			s.c = connectHTTP(t, "http://"+p.listenAddr()+"/mcp", clientOptions{legacy: true})
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				req := mcp.CallToolRequest{}
				req.Params.Name = "okta_get_user"
				req.Params.Arguments = map[string]any{"userId": adaID, "domain": org.url, "apiKey": sandbox.DefaultToken}
				_, _ = s.c.CallTool(ctx, req)
			}()
			org.waitArrived(t)
			start := time.Now()
			p.signal(syscall.SIGTERM)
			code := p.exit(15 * time.Second)
			assert.Less(t, time.Since(start), 5*time.Second, "the shutdown is bounded")
			assert.NotEqual(t, 0, code)
			assert.Contains(t, p.Stderr(), "1 tool call(s) abandoned")
			org.waitCancelled(t, 5*time.Second)
		})
	}
}
