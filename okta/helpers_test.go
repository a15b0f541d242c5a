package okta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testToken is the API token the test clients send; tests search all output
// for it.
const testToken = "00TESTtokenSECRET-abcdefghijklmnopqrstuvwxyz"

// fakeClock is a Clock whose Sleep returns at once, advancing Now and
// recording the durations.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// loopbackDialer refuses every address that is not a loopback IP, before
// any packet is sent, and counts dial attempts. Tests of the client use it
// for all their HTTP clients, so that nothing they do can leave loopback.
type loopbackDialer struct {
	attempts atomic.Int64
	refused  atomic.Int64
}

var errNonLoopback = errors.New("test dialer: non-loopback address refused")

func (d *loopbackDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d.attempts.Add(1)
	host, _, err := net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	if err != nil || ip == nil || !ip.IsLoopback() {
		d.refused.Add(1)
		return nil, &net.OpError{Op: "dial", Net: network, Err: errNonLoopback}
	}
	return (&net.Dialer{Timeout: time.Second}).DialContext(ctx, network, addr)
}

// httpClient returns an *http.Client that dials only loopback through d.
func (d *loopbackDialer) httpClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext:         d.DialContext,
		Proxy:               nil,
		MaxIdleConnsPerHost: 32,
	}}
}

// fixture is a client pointed at an httptest server, go-github style.
type fixture struct {
	client *Client
	mux    *http.ServeMux
	server *httptest.Server
	clock  *fakeClock
	dialer *loopbackDialer
	logs   *syncBuffer
}

// syncBuffer is a goroutine-safe bytes.Buffer for log output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// setup starts a server with an empty mux and a client for it; mutate cfg
// to change the client's configuration.
func setup(t testing.TB, mutate ...func(*Config)) *fixture {
	t.Helper()
	f := &fixture{mux: http.NewServeMux(), clock: newFakeClock(), dialer: &loopbackDialer{}, logs: &syncBuffer{}}
	f.server = httptest.NewServer(f.mux)
	t.Cleanup(f.server.Close)
	cfg := Config{
		OrgURL:     f.server.URL,
		Auth:       APIToken(testToken),
		AllowHTTP:  true,
		HTTPClient: f.dialer.httpClient(),
		Timeout:    5 * time.Second,
		Clock:      f.clock,
		Logger:     slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := NewClient(cfg)
	require.NoError(t, err)
	c.jitter = func(time.Duration) time.Duration { return 0 }
	f.client = c
	return f
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeOktaError(w http.ResponseWriter, status int, code, summary string) {
	w.Header().Set("X-Okta-Request-Id", "req-"+code)
	writeJSON(w, status, map[string]any{
		"errorCode": code, "errorSummary": summary, "errorLink": code,
		"errorId": "oae" + code, "errorCauses": []any{},
	})
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	assert.Equal(t, want, r.Method, "method")
}

func readBody(t testing.TB, r *http.Request) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	return string(b)
}
