package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSessionLimiterSessionsAndIDs(t *testing.T) {
	l := newSessionLimiter(2, 1)
	require.True(t, l.acquireSlot()) // initialize in flight
	id := l.Generate()               // ... which mints a session
	l.releaseSlot()
	assert.Equal(t, 1, l.count())

	_, err := l.Validate(id)
	assert.NoError(t, err)
	_, err = l.Validate("okta-mcp-forged")
	assert.Error(t, err, "ids the limiter did not mint are invalid")

	require.True(t, l.acquireSlot())
	assert.False(t, l.acquireSlot(), "the cap counts live sessions and slots together")
	l.releaseSlot()

	_, err = l.Terminate(id)
	require.NoError(t, err)
	_, err = l.Validate(id)
	assert.Error(t, err, "a terminated session is gone")
	assert.Equal(t, 0, l.count())
}

func TestSessionLimiterCallsPerSession(t *testing.T) {
	l := newSessionLimiter(10, 2)
	id := l.Generate()
	ok, known := l.acquireCall(id)
	require.True(t, ok && known)
	ok, _ = l.acquireCall(id)
	require.True(t, ok)
	ok, known = l.acquireCall(id)
	assert.False(t, ok)
	assert.True(t, known)
	l.releaseCall(id)
	ok, _ = l.acquireCall(id)
	assert.True(t, ok)
	_, known = l.acquireCall("other")
	assert.False(t, known)
}

// TestSessionLimiterStreamable drives the /mcp middleware: sessionless
// requests take a slot for their duration, session requests count against
// their session, unknown sessions get 404.
func TestSessionLimiterStreamable(t *testing.T) {
	l := newSessionLimiter(1, 1)
	release := make(chan struct{})
	entered := make(chan struct{}, 4)
	var post func(sid, body string) *httptest.ResponseRecorder
	var h http.Handler
	h = l.streamable(false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.WriteHeader(200)
	}))
	do := func(sid string) *httptest.ResponseRecorder {
		return post(sid, `{"jsonrpc":"2.0","id":1,"method":"tools/call"}`)
	}
	post = func(sid, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/mcp", strings.NewReader(body))
		if sid != "" {
			r.Header.Set("Mcp-Session-Id", sid)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}

	// A sessionless request holds the only slot...
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); assert.Equal(t, 200, do("").Code) }()
	<-entered
	// ... so a second one is refused with 503.
	w := do("")
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Contains(t, w.Body.String(), "too many concurrent sessions")
	assert.NotEmpty(t, w.Header().Get("Retry-After"))
	release <- struct{}{}
	wg.Wait()

	assert.Equal(t, http.StatusNotFound, do("okta-mcp-unknown").Code)

	// A live session: one request in flight at a time (perSession = 1).
	l2 := newSessionLimiter(5, 1)
	id := l2.Generate()
	h = l2.streamable(false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.WriteHeader(200)
	}))
	wg.Add(1)
	go func() { defer wg.Done(); assert.Equal(t, 200, do(id).Code) }()
	<-entered
	w = do(id)
	assert.Equal(t, http.StatusTooManyRequests, w.Code)
	assert.Contains(t, w.Body.String(), "too many requests in flight in this session")
	// The client's answer to an elicitation, and notifications, still pass.
	wg.Add(2)
	go func() {
		defer wg.Done()
		assert.Equal(t, 200, post(id, `{"jsonrpc":"2.0","id":7,"result":{"action":"accept"}}`).Code)
	}()
	go func() {
		defer wg.Done()
		assert.Equal(t, 200, post(id, `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{}}`).Code)
	}()
	<-entered
	<-entered
	release <- struct{}{}
	release <- struct{}{}
	release <- struct{}{}
	wg.Wait()

	// Stateless: the session header is ignored, every request is a slot.
	l3 := newSessionLimiter(1, 1)
	h = l3.streamable(true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	assert.Equal(t, 200, do("anything").Code)
	assert.Equal(t, 0, l3.count())
}

func TestCallTrackerDrainAndPerSession(t *testing.T) {
	tr := newCallTracker(1)
	release := make(chan struct{})
	started := make(chan struct{})
	handler := tr.middleware(func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		close(started)
		<-release
		return mcp.NewToolResultText("done"), nil
	})
	var res *mcp.CallToolResult
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, _ = handler(context.Background(), mcp.CallToolRequest{})
	}()
	<-started
	assert.Equal(t, 1, tr.inFlight())

	// Per-session cap (session ids come from the MCP session; begin is the
	// part that decides).
	assert.Empty(t, tr.begin("s1"))
	assert.Contains(t, tr.begin("s1"), "too many tool calls in flight")
	tr.end("s1")

	tr.drain()
	refused, err := tr.middleware(func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		t.Fatal("a call started while draining")
		return nil, nil
	})(context.Background(), mcp.CallToolRequest{})
	require.NoError(t, err)
	assert.True(t, refused.IsError)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	assert.Equal(t, 1, tr.wait(ctx), "wait gives up at the deadline")
	cancel()

	go func() { time.Sleep(20 * time.Millisecond); close(release) }()
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	assert.Equal(t, 0, tr.wait(ctx), "wait returns once the call is done")
	<-done
	require.NotNil(t, res)
	assert.False(t, res.IsError)
}

func TestLimitBody(t *testing.T) {
	const max = 1024
	h := limitBody(max, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		w.WriteHeader(200)
		_, _ = w.Write(b)
	}))
	tests := []struct {
		name      string
		size      int
		chunked   bool
		wantCode  int
		wantEcho  bool
		wantInMsg string
	}{
		{"small", 10, false, 200, true, ""},
		{"at the limit", max, false, 200, true, ""},
		{"content-length over the limit", max + 1, false, 413, false, "request body too large"},
		{"chunked over the limit", 4 * max, true, 413, false, "request body too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Repeat("a", tt.size)
			r := httptest.NewRequest(http.MethodPost, "/mcp", strings.NewReader(body))
			if tt.chunked {
				r.ContentLength = -1
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			assert.Equal(t, tt.wantCode, w.Code)
			if tt.wantEcho {
				assert.Equal(t, body, w.Body.String())
			}
			if tt.wantInMsg != "" {
				assert.Contains(t, w.Body.String(), tt.wantInMsg)
			}
		})
	}
}
