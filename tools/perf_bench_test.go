package tools_test

// Performance benchmarks of the MCP layer (issue 6). They run only with
// -bench; cmd/okta-mcp-load/perf.sh runs them with the flags behind the README's
// figures. Every MCP figure has its baseline in the same run: a direct HTTP
// GET of the same user from the same in-memory org, served on 127.0.0.1.
//
// Custom metrics: p50-µs and p99-µs are per-call latency percentiles;
// BenchmarkPerfOverhead also reports direct-p50-µs, mcp-p50-µs and
// overhead-µs (the difference of the two medians) from calls paired one by
// one, so that noise hits both sides alike.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
	"github.com/okta-mcp/okta-mcp/tools"
)

// perfProtocol is the MCP version the raw clients below speak.
const perfProtocol = "2025-11-25"

// perfEnv is an in-memory org on loopback and an okta-mcp server whose own
// credentials point at it.
type perfEnv struct {
	org    *sandbox.Org
	ts     *httptest.Server
	hc     *http.Client // for direct calls to the org
	client *okta.Client // the MCP server's client
	srv    *server.MCPServer
	userID string
}

func newPerfEnv(tb testing.TB, opts sandbox.Options) *perfEnv {
	tb.Helper()
	if opts.RateLimit == 0 {
		opts.RateLimit = sandbox.NoRateLimit // measured loops go far past Okta's per-minute limits
	}
	org, err := sandbox.New(opts)
	require.NoError(tb, err)
	ts := httptest.NewServer(org) // listens on 127.0.0.1
	tb.Cleanup(ts.Close)
	e := &perfEnv{org: org, ts: ts, hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	tb.Cleanup(e.hc.CloseIdleConnections)

	// Any user of the org will do; take the first one.
	req, err := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/users?limit=1", nil)
	require.NoError(tb, err)
	req.Header.Set("Authorization", "SSWS "+perfToken(opts))
	resp, err := e.hc.Do(req)
	require.NoError(tb, err)
	var users []struct {
		ID string `json:"id"`
	}
	require.NoError(tb, json.NewDecoder(resp.Body).Decode(&users))
	resp.Body.Close()
	require.NotEmpty(tb, users)
	e.userID = users[0].ID

	e.client, err = okta.NewClient(okta.Config{
		OrgURL:     ts.URL,
		AllowHTTP:  true,
		Auth:       okta.APIToken(perfToken(opts)),
		HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
	})
	require.NoError(tb, err)
	e.srv, err = tools.NewServer(tools.Options{Version: "bench", ServerClient: e.client})
	require.NoError(tb, err)
	return e
}

func perfToken(o sandbox.Options) string {
	if o.Token != "" {
		return o.Token
	}
	return sandbox.DefaultToken
}

// directGet is the baseline: GET /api/v1/users/{id} on loopback, body read.
func (e *perfEnv) directGet(buf *bytes.Buffer) error {
	req, err := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1/users/"+e.userID, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultToken)
	req.Header.Set("Accept", "application/json")
	resp, err := e.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("direct GET: HTTP %d", resp.StatusCode)
	}
	return nil
}

// caller makes one okta_get_user call through some transport.
type caller interface {
	call() error
	close()
}

// stdioCaller serves an MCP server with mcp-go's StdioServer on a pair of
// OS pipes (as a client process would see it) and speaks raw JSON-RPC
// lines, so that almost every allocation measured is the server's.
type stdioCaller struct {
	in     *os.File // client → server
	out    *bufio.Reader
	outW   *os.File
	done   chan error
	id     int64
	line   []byte
	tail   string // `,"method":"tools/call","params":{...}}` + "\n"
	cancel context.CancelFunc
}

// newStdioCaller serves e's server on pipes; every call is okta_get_user of
// e's user.
func newStdioCaller(tb testing.TB, e *perfEnv) *stdioCaller {
	tb.Helper()
	c := startStdioCaller(tb, e.srv, `{"name":"okta_get_user","arguments":{"userId":"`+e.userID+`"}}`)
	res, err := c.rpc("tools/call", `{"name":"okta_get_user","arguments":{"userId":"`+e.userID+`"}}`)
	require.NoError(tb, err)
	requireUserResult(tb, res, e.userID)
	return c
}

// startStdioCaller serves srv on pipes, initializes the session, and
// prepares calls with the given tools/call params.
func startStdioCaller(tb testing.TB, srv *server.MCPServer, callParams string) *stdioCaller {
	tb.Helper()
	sr, cw, err := os.Pipe() // server reads what the client writes
	require.NoError(tb, err)
	cr, sw, err := os.Pipe() // client reads what the server writes
	require.NoError(tb, err)
	ctx, cancel := context.WithCancel(context.Background())
	c := &stdioCaller{in: cw, out: bufio.NewReaderSize(cr, 1<<20), outW: sw, done: make(chan error, 1), cancel: cancel,
		tail: `,"method":"tools/call","params":` + callParams + "}\n"}
	ss := server.NewStdioServer(srv)
	ss.SetErrorLogger(log.New(io.Discard, "", 0))
	go func() { c.done <- ss.Listen(ctx, sr, sw); sr.Close() }()
	_, err = c.rpc("initialize", `{"protocolVersion":"`+perfProtocol+`","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}`)
	require.NoError(tb, err)
	_, err = cw.Write([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"))
	require.NoError(tb, err)
	return c
}

// rpc sends one request and returns the raw result of its response.
func (c *stdioCaller) rpc(method, params string) (json.RawMessage, error) {
	c.id++
	line := `{"jsonrpc":"2.0","id":` + strconv.FormatInt(c.id, 10) + `,"method":"` + method + `","params":` + params + "}\n"
	if _, err := c.in.Write([]byte(line)); err != nil {
		return nil, err
	}
	for {
		b, err := c.out.ReadBytes('\n')
		if err != nil {
			return nil, err
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		if string(m.ID) != strconv.FormatInt(c.id, 10) {
			continue // a notification
		}
		if m.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, m.Error)
		}
		return m.Result, nil
	}
}

// call sends the prebuilt tools/call request and reads the answer without
// decoding it (it was checked once when the caller was made).
func (c *stdioCaller) call() error {
	c.id++
	c.line = append(c.line[:0], `{"jsonrpc":"2.0","id":`...)
	c.line = strconv.AppendInt(c.line, c.id, 10)
	c.line = append(c.line, c.tail...)
	if _, err := c.in.Write(c.line); err != nil {
		return err
	}
	for {
		b, err := c.out.ReadSlice('\n')
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(`"isError":true`)) || bytes.Contains(b, []byte(`"error":{`)) {
			return fmt.Errorf("call failed: %.300s", b)
		}
		if bytes.Contains(b, []byte(`"result"`)) {
			return nil
		}
	}
}

func (c *stdioCaller) close() {
	c.in.Close() // EOF ends Listen
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		c.cancel()
		<-c.done
	}
	c.outW.Close()
	c.cancel()
}

// newMCPEndpoint serves the MCP server with mcp-go's streamable HTTP
// handler on loopback, the way cmd/okta-mcp serves it, and returns its URL.
func newMCPEndpoint(tb testing.TB, e *perfEnv, opts ...server.StreamableHTTPOption) string {
	tb.Helper()
	h := server.NewStreamableHTTPServer(e.srv, append([]server.StreamableHTTPOption{server.WithHTTPContextFunc(tools.HTTPContextFunc)}, opts...)...)
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return ts.URL + "/mcp"
}

// httpCaller is one MCP session over streamable HTTP speaking raw JSON-RPC.
type httpCaller struct {
	url    string
	hc     *http.Client
	sid    string
	id     int64
	body   []byte
	buf    bytes.Buffer
	userID string
}

// newHTTPCaller opens a session on url; hc may be shared between sessions.
func newHTTPCaller(tb testing.TB, e *perfEnv, url string, hc *http.Client) *httpCaller {
	tb.Helper()
	c := &httpCaller{url: url, hc: hc, userID: e.userID}
	_, err := c.rpc("initialize", `{"protocolVersion":"`+perfProtocol+`","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}`)
	require.NoError(tb, err)
	_, err = c.post([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`))
	require.NoError(tb, err)
	res, err := c.rpc("tools/call", `{"name":"okta_get_user","arguments":{"userId":"`+e.userID+`"}}`)
	require.NoError(tb, err)
	requireUserResult(tb, res, e.userID)
	return c
}

func (c *httpCaller) post(body []byte) ([]byte, error) {
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if c.sid != "" {
		req.Header.Set("Mcp-Session-Id", c.sid)
		req.Header.Set("Mcp-Protocol-Version", perfProtocol)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if sid := resp.Header.Get("Mcp-Session-Id"); sid != "" {
		c.sid = sid
	}
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(resp.Body); err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusAccepted {
		return nil, fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, c.buf.Bytes())
	}
	return c.buf.Bytes(), nil
}

func (c *httpCaller) rpc(method, params string) (json.RawMessage, error) {
	c.id++
	b, err := c.post([]byte(`{"jsonrpc":"2.0","id":` + strconv.FormatInt(c.id, 10) + `,"method":"` + method + `","params":` + params + `}`))
	if err != nil {
		return nil, err
	}
	// The answer is JSON, or an event stream when notifications preceded it.
	if i := bytes.LastIndex(b, []byte("data: ")); i >= 0 {
		b = b[i+len("data: "):]
	}
	var m struct {
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(b), &m); err != nil {
		return nil, fmt.Errorf("%s: %w in %.300s", method, err, b)
	}
	if m.Error != nil {
		return nil, fmt.Errorf("%s: %s", method, m.Error)
	}
	return m.Result, nil
}

func (c *httpCaller) call() error {
	c.id++
	c.body = append(c.body[:0], `{"jsonrpc":"2.0","id":`...)
	c.body = strconv.AppendInt(c.body, c.id, 10)
	c.body = append(c.body, `,"method":"tools/call","params":{"name":"okta_get_user","arguments":{"userId":"`...)
	c.body = append(c.body, c.userID...)
	c.body = append(c.body, `"}}}`...)
	b, err := c.post(c.body)
	if err != nil {
		return err
	}
	if !bytes.Contains(b, []byte(`"result"`)) || bytes.Contains(b, []byte(`"isError":true`)) {
		return fmt.Errorf("call failed: %.300s", b)
	}
	return nil
}

func (c *httpCaller) close() {}

// inProcessCaller uses mcp-go's in-process client (no serialization of the
// transport, but the client's own allocations are counted).
type inProcessCaller struct {
	c   *client.Client
	req mcp.CallToolRequest
}

func newInProcessCaller(tb testing.TB, e *perfEnv) *inProcessCaller {
	tb.Helper()
	c, err := client.NewInProcessClient(e.srv)
	require.NoError(tb, err)
	ctx := context.Background()
	require.NoError(tb, c.Start(ctx))
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = perfProtocol
	init.Params.ClientInfo = mcp.Implementation{Name: "bench", Version: "1"}
	_, err = c.Initialize(ctx, init)
	require.NoError(tb, err)
	ic := &inProcessCaller{c: c}
	ic.req.Params.Name = "okta_get_user"
	ic.req.Params.Arguments = map[string]any{"userId": e.userID}
	res, err := c.CallTool(ctx, ic.req)
	require.NoError(tb, err)
	require.False(tb, res.IsError, "okta_get_user: %v", res.Content)
	raw, err := json.Marshal(res)
	require.NoError(tb, err)
	requireUserResult(tb, raw, e.userID)
	return ic
}

func (c *inProcessCaller) call() error {
	res, err := c.c.CallTool(context.Background(), c.req)
	if err != nil {
		return err
	}
	if res.IsError {
		return fmt.Errorf("okta_get_user: %v", res.Content)
	}
	return nil
}

func (c *inProcessCaller) close() { _ = c.c.Close() }

// oktaClientCaller calls okta.Client.GetUser directly: the Okta client's
// share of the MCP path (request building, JSON decoding).
type oktaClientCaller struct{ e *perfEnv }

func (c oktaClientCaller) call() error {
	_, _, err := c.e.client.GetUser(context.Background(), c.e.userID)
	return err
}
func (oktaClientCaller) close() {}

// directCaller is the baseline as a caller.
type directCaller struct {
	e   *perfEnv
	buf bytes.Buffer
}

func (c *directCaller) call() error { return c.e.directGet(&c.buf) }
func (*directCaller) close()        {}

// requireUserResult checks that a tools/call result is okta_get_user's
// success for id, with structured content.
func requireUserResult(tb testing.TB, raw json.RawMessage, id string) {
	tb.Helper()
	var r struct {
		IsError           bool `json:"isError"`
		StructuredContent struct {
			ID      string `json:"id"`
			Success bool   `json:"success"`
		} `json:"structuredContent"`
	}
	require.NoError(tb, json.Unmarshal(raw, &r), "%s", raw)
	require.False(tb, r.IsError, "%s", raw)
	require.Equal(tb, id, r.StructuredContent.ID, "%s", raw)
	require.True(tb, r.StructuredContent.Success, "%s", raw)
}

// percentileUS returns the q-quantile of ds in microseconds (ds is sorted).
func percentileUS(ds []time.Duration, q float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := max(0, min(len(ds)-1, int(q*float64(len(ds))+0.5)-1))
	return float64(ds[i]) / 1e3
}

// benchCalls times every call and reports p50/p99 next to ns/op.
func benchCalls(b *testing.B, c caller) {
	ds := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if err := c.call(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	b.StopTimer()
	b.ReportMetric(percentileUS(ds, 0.5), "p50-µs")
	b.ReportMetric(percentileUS(ds, 0.99), "p99-µs")
}

// BenchmarkPerfGetUser measures one okta_get_user call per op through each
// path; -benchmem's allocs/op counts the whole process (client, MCP server,
// Okta client and the in-memory org), so the MCP layer's share is the
// difference from direct-http.
func BenchmarkPerfGetUser(b *testing.B) {
	e := newPerfEnv(b, sandbox.Options{})
	cases := []struct {
		name string
		new  func(testing.TB) caller
	}{
		{"direct-http", func(testing.TB) caller { return &directCaller{e: e} }},
		{"okta-client", func(testing.TB) caller { return oktaClientCaller{e} }},
		{"mcp-inprocess", func(tb testing.TB) caller { return newInProcessCaller(tb, e) }},
		{"mcp-stdio", func(tb testing.TB) caller { return newStdioCaller(tb, e) }},
		{"mcp-http", func(tb testing.TB) caller { return newHTTPCaller(tb, e, newMCPEndpoint(tb, e), newLoopbackClient(tb)) }},
		// The floor of mcp-go's stdio transport: a tool that does nothing,
		// on a bare mcp-go server.
		{"mcp-stdio-noop-tool", func(tb testing.TB) caller { return newNoopStdioCaller(tb) }},
		// The floor of any stdio protocol: a line echoed back over the
		// same pair of OS pipes.
		{"pipe-echo", func(tb testing.TB) caller { return newPipeEcho(tb) }},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			c := tc.new(b)
			defer c.close()
			benchCalls(b, c)
		})
	}
}

// pipeEcho writes a 120-byte line into an OS pipe; a goroutine reads it and
// writes it back through a second pipe.
type pipeEcho struct {
	w    *os.File
	r    *bufio.Reader
	line []byte
	stop func()
}

func newPipeEcho(tb testing.TB) *pipeEcho {
	tb.Helper()
	sr, cw, err := os.Pipe()
	require.NoError(tb, err)
	cr, sw, err := os.Pipe()
	require.NoError(tb, err)
	go func() {
		r := bufio.NewReader(sr)
		for {
			l, err := r.ReadSlice('\n')
			if err != nil {
				sw.Close()
				return
			}
			if _, err := sw.Write(l); err != nil {
				return
			}
		}
	}()
	line := append(bytes.Repeat([]byte("x"), 119), '\n')
	return &pipeEcho{w: cw, r: bufio.NewReader(cr), line: line, stop: func() { cw.Close(); cr.Close(); sr.Close() }}
}

func (p *pipeEcho) call() error {
	if _, err := p.w.Write(p.line); err != nil {
		return err
	}
	_, err := p.r.ReadSlice('\n')
	return err
}

func (p *pipeEcho) close() { p.stop() }

// newNoopStdioCaller serves a bare mcp-go server with one tool that returns
// a small structured result without doing anything.
func newNoopStdioCaller(tb testing.TB) *stdioCaller {
	tb.Helper()
	s := server.NewMCPServer("noop", "1", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("noop", mcp.WithString("userId")), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		out := map[string]any{"id": "00u1", "success": true}
		return mcp.NewToolResultStructured(out, `{"id":"00u1","success":true}`), nil
	})
	c := startStdioCaller(tb, s, `{"name":"noop","arguments":{"userId":"00u1"}}`)
	res, err := c.rpc("tools/call", `{"name":"noop","arguments":{"userId":"00u1"}}`)
	require.NoError(tb, err)
	requireUserResult(tb, res, "00u1")
	return c
}

// BenchmarkPerfOverhead pairs every MCP call with a direct GET of the same
// user (alternating which goes first) and reports both medians and their
// difference: the MCP layer's overhead per call.
func BenchmarkPerfOverhead(b *testing.B) {
	e := newPerfEnv(b, sandbox.Options{})
	cases := []struct {
		name string
		new  func(testing.TB) caller
	}{
		// okta-client is the Okta client alone (no MCP): its share of the
		// overhead of the transports below.
		{"okta-client", func(testing.TB) caller { return oktaClientCaller{e} }},
		{"inprocess", func(tb testing.TB) caller { return newInProcessCaller(tb, e) }},
		{"stdio", func(tb testing.TB) caller { return newStdioCaller(tb, e) }},
		{"http", func(tb testing.TB) caller { return newHTTPCaller(tb, e, newMCPEndpoint(tb, e), newLoopbackClient(tb)) }},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			c := tc.new(b)
			defer c.close()
			d := &directCaller{e: e}
			direct := make([]time.Duration, 0, b.N)
			mcpDs := make([]time.Duration, 0, b.N)
			diffs := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := range b.N {
				first, second := caller(d), c
				if i%2 == 1 {
					first, second = c, d
				}
				t0 := time.Now()
				if err := first.call(); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := second.call(); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				dd, dm := t1.Sub(t0), t2.Sub(t1)
				if i%2 == 1 {
					dd, dm = dm, dd
				}
				direct = append(direct, dd)
				mcpDs = append(mcpDs, dm)
				diffs = append(diffs, dm-dd)
			}
			b.StopTimer()
			pd, pm := percentileUS(direct, 0.5), percentileUS(mcpDs, 0.5)
			b.ReportMetric(pd, "direct-p50-µs")
			b.ReportMetric(pm, "mcp-p50-µs")
			b.ReportMetric(pm-pd, "overhead-µs")
			b.ReportMetric(percentileUS(diffs, 0.5), "paired-diff-p50-µs")
		})
	}
}

// BenchmarkPerfThroughput runs okta_get_user over streamable HTTP from 1
// and 32 concurrent sessions (in-process Go version of okta-mcp-load's
// throughput figure) and reports calls/s next to direct GETs with as many
// concurrent workers.
func BenchmarkPerfThroughput(b *testing.B) {
	e := newPerfEnv(b, sandbox.Options{})
	for _, n := range []int{1, 32} {
		b.Run("sessions-"+strconv.Itoa(n), func(b *testing.B) {
			url, hc := newMCPEndpoint(b, e), newLoopbackClient(b)
			callers := make([]*httpCaller, n)
			for i := range callers {
				callers[i] = newHTTPCaller(b, e, url, hc)
			}
			directs := make([]*directCaller, n)
			for i := range directs {
				directs[i] = &directCaller{e: e}
			}
			run := func(f func(w int) error) float64 {
				var wg sync.WaitGroup
				var mu sync.Mutex
				var first error
				per := max(1, b.N/n)
				t0 := time.Now()
				for w := range n {
					wg.Go(func() {
						for range per {
							if err := f(w); err != nil {
								mu.Lock()
								first = cmp(first, err)
								mu.Unlock()
								return
							}
						}
					})
				}
				wg.Wait()
				if first != nil {
					b.Fatal(first)
				}
				return float64(per*n) / time.Since(t0).Seconds()
			}
			b.ResetTimer()
			mcpRate := run(func(w int) error { return callers[w].call() })
			b.StopTimer()
			directRate := run(func(w int) error { return directs[w].call() })
			b.ReportMetric(mcpRate, "mcp-calls/s")
			b.ReportMetric(directRate, "direct-calls/s")
		})
	}
}

// cmp keeps the first non-nil error.
func cmp(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// newLoopbackClient is an HTTP client that keeps enough idle connections
// for 32 concurrent sessions.
func newLoopbackClient(tb testing.TB) *http.Client {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	tb.Cleanup(hc.CloseIdleConnections)
	return hc
}

// scaledClock runs scale times faster than real time, for both the org's
// rate-limit windows and the client's waits: a one-minute window lasts
// 1/scale of a minute. Everything else (the work per call) runs in real
// time, so the scaled figures are, if anything, pessimistic: the time calls
// take counts scale times over in virtual time.
type scaledClock struct {
	base, real0 time.Time
	scale       float64
}

func newScaledClock(scale float64) *scaledClock {
	now := time.Now()
	return &scaledClock{base: now, real0: now, scale: scale}
}

func (c *scaledClock) Now() time.Time {
	return c.base.Add(time.Duration(float64(time.Since(c.real0)) * c.scale))
}

func (c *scaledClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(time.Duration(float64(d) / c.scale))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// BenchmarkPerfRateLimit: the org allows N requests per minute per
// endpoint; 4 concurrent MCP sessions make 10*N+4 okta_get_user
// calls. The least possible time is 10 full windows (the org's fixed
// windows start with the first request after the previous one ended; the
// last 4 calls need no wait). Reported: efficiency = ideal/actual (virtual
// time), errors surfaced to the agent (must be 0), and the org's 429s.
//
// Time is scaled (a minute lasts 1 s) for the org's windows and the client's
// waits alike; cmd/okta-mcp-load's ratelimit experiment runs the same thing
// against the real binary in real time.
func BenchmarkPerfRateLimit(b *testing.B) {
	// limit-600 is the figure; limit-20 spends each window within a few
	// virtual hundred milliseconds, as a fast client spends 600/min in real
	// time, which is when requests retried after a 429 can lose the next
	// window to requests that were merely held (calls-held-over-1-window).
	for _, limit := range []int{600, 20} {
		b.Run("limit-"+strconv.Itoa(limit), func(b *testing.B) { benchRateLimit(b, limit) })
	}
}

func benchRateLimit(b *testing.B, rlLimit int) {
	const (
		rlWindows  = 10
		rlSessions = 4
		rlScale    = 60
	)
	calls := rlWindows*rlLimit + rlSessions
	for range b.N {
		clock := newScaledClock(rlScale)
		org, err := sandbox.New(sandbox.Options{RateLimit: rlLimit, Now: clock.Now})
		require.NoError(b, err)
		ts := httptest.NewServer(org)
		oc, err := okta.NewClient(okta.Config{
			OrgURL: ts.URL, AllowHTTP: true, Auth: okta.APIToken(sandbox.DefaultToken), Clock: clock,
			HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
		})
		require.NoError(b, err)
		srv, err := tools.NewServer(tools.Options{Version: "bench", ServerClient: oc})
		require.NoError(b, err)
		// The user to get, without spending the getUser bucket.
		users, _, err := oc.ListUsers(context.Background(), &okta.ListUsersParams{Limit: 1})
		require.NoError(b, err)
		require.NotEmpty(b, users)
		e := &perfEnv{srv: srv, userID: users[0].ID}
		sessions := make([]*inProcessCaller, rlSessions)
		for i := range sessions {
			sessions[i] = newInProcessCaller(b, e) // spends one getUser call each
		}
		// Start from a fresh window: wait out the one the checks opened.
		require.NoError(b, clock.Sleep(context.Background(), time.Minute+time.Second))
		b.ResetTimer()

		var next, errs atomic.Int64
		var mu sync.Mutex
		var firstErr error
		var slowest time.Duration
		slow := 0 // calls held longer than one window
		v0, r0 := clock.Now(), time.Now()
		var wg sync.WaitGroup
		for _, s := range sessions {
			wg.Go(func() {
				for next.Add(1) <= int64(calls) {
					t0 := clock.Now()
					err := s.call()
					d := clock.Now().Sub(t0)
					mu.Lock()
					if err != nil {
						errs.Add(1)
						firstErr = cmp(firstErr, err)
					}
					slowest = max(slowest, d)
					if d > time.Minute+5*time.Second {
						slow++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		virtual, real := clock.Now().Sub(v0), time.Since(r0)
		b.StopTimer()
		rejected := 0
		for _, r := range org.Requests() {
			if r.Status == http.StatusTooManyRequests {
				rejected++
			}
		}
		ideal := time.Duration(rlWindows) * time.Minute
		b.ReportMetric(ideal.Seconds()/virtual.Seconds(), "efficiency")
		b.ReportMetric(float64(errs.Load()), "errors")
		b.ReportMetric(float64(rejected), "org-429s")
		b.ReportMetric(virtual.Seconds(), "virtual-s")
		b.ReportMetric(slowest.Seconds(), "slowest-call-virtual-s")
		b.ReportMetric(float64(slow), "calls-held-over-1-window")
		b.ReportMetric(real.Seconds(), "real-s")
		if firstErr != nil {
			b.Logf("first error surfaced: %v", firstErr)
		}
		for _, s := range sessions {
			s.close()
		}
		ts.Close()
	}
}

// TestPerfProgressOverTransports checks that a long pagination (1000 group
// members, 5 Okta pages of 200) sends one notifications/progress per page
// but the last, carrying the client's token, over stdio (OS pipes) and
// streamable HTTP (the POST answer becomes an event stream).
func TestPerfProgressOverTransports(t *testing.T) {
	e := newPerfEnv(t, sandbox.Options{Seed: sandbox.GenerateSeed(1000, 1)})
	g, ok := e.org.LookupGroup("Group 0001")
	require.True(t, ok)
	params := `{"name":"okta_list_group_members","arguments":{"groupId":"` + g.ID + `","limit":1000},"_meta":{"progressToken":"tok-7"}}`

	check := func(t *testing.T, msgs [][]byte) {
		t.Helper()
		var progress []float64
		var count float64
		for _, m := range msgs {
			var msg struct {
				Method string `json:"method"`
				Params struct {
					ProgressToken string  `json:"progressToken"`
					Progress      float64 `json:"progress"`
				} `json:"params"`
				Result *struct {
					IsError           bool `json:"isError"`
					StructuredContent struct {
						Count float64 `json:"count"`
					} `json:"structuredContent"`
				} `json:"result"`
			}
			require.NoError(t, json.Unmarshal(m, &msg), "%s", m)
			switch {
			case msg.Method == "notifications/progress":
				assert.Equal(t, "tok-7", msg.Params.ProgressToken)
				progress = append(progress, msg.Params.Progress)
			case msg.Result != nil:
				require.False(t, msg.Result.IsError, "%s", m)
				count = msg.Result.StructuredContent.Count
			}
		}
		assert.EqualValues(t, 1000, count)
		assert.Equal(t, []float64{200, 400, 600, 800}, progress, "one notification per page but the last")
	}

	t.Run("stdio", func(t *testing.T) {
		c := startStdioCaller(t, e.srv, params)
		defer c.close()
		c.id++
		_, err := c.in.Write([]byte(`{"jsonrpc":"2.0","id":` + strconv.FormatInt(c.id, 10) + c.tail))
		require.NoError(t, err)
		// Notifications are written by another goroutine than the answer, so
		// one may follow it: read up to the answer of a ping sent after it.
		var msgs [][]byte
		sawResult := false
		for {
			b, err := c.out.ReadBytes('\n')
			require.NoError(t, err)
			if bytes.Contains(b, []byte(`"id":`+strconv.FormatInt(c.id, 10)+`,"result"`)) && !sawResult {
				sawResult = true
				c.id++
				_, err := c.in.Write([]byte(`{"jsonrpc":"2.0","id":` + strconv.FormatInt(c.id, 10) + `,"method":"ping"}` + "\n"))
				require.NoError(t, err)
			} else if sawResult && bytes.Contains(b, []byte(`"id":`+strconv.FormatInt(c.id, 10))) {
				break
			}
			msgs = append(msgs, b)
		}
		check(t, msgs)
	})

	t.Run("streamable-http", func(t *testing.T) {
		hc := newLoopbackClient(t)
		c := newHTTPCaller(t, e, newMCPEndpoint(t, e), hc)
		body, err := c.post([]byte(`{"jsonrpc":"2.0","id":99,"method":"tools/call","params":` + params + `}`))
		require.NoError(t, err)
		var msgs [][]byte
		for _, line := range bytes.Split(body, []byte("\n")) {
			if d, ok := bytes.CutPrefix(line, []byte("data: ")); ok {
				msgs = append(msgs, bytes.Clone(d))
			}
		}
		require.NotEmpty(t, msgs, "the answer is an event stream: %.300s", body)
		check(t, msgs)
	})
}

// BenchmarkPerfNewServer measures building the MCP server with all 18 tools
// (schemas reflected, validators compiled): the part of okta-mcp's cold
// start that is the project's own (the Go runtime and package init are
// measured by okta-mcp-load's coldstart experiment).
func BenchmarkPerfNewServer(b *testing.B) {
	for _, mode := range []string{"per-call", "server-credentials"} {
		b.Run(mode, func(b *testing.B) {
			var opts tools.Options
			if mode == "server-credentials" {
				org, err := sandbox.New(sandbox.Options{RateLimit: sandbox.NoRateLimit})
				require.NoError(b, err)
				opts.ServerClient, err = okta.NewClient(okta.Config{OrgURL: sandbox.DemoOrgURL, Auth: okta.APIToken(sandbox.DefaultToken),
					HTTPClient: &http.Client{Transport: org.Transport()}})
				require.NoError(b, err)
			}
			b.ReportAllocs()
			for range b.N {
				if _, err := tools.NewServer(opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// listPageCaller is the direct baseline for a page of users: GET
// /api/v1/users?limit=200, body read.
type listPageCaller struct {
	e   *perfEnv
	buf bytes.Buffer
}

func (c *listPageCaller) call() error {
	req, err := http.NewRequest(http.MethodGet, c.e.ts.URL+"/api/v1/users?limit=200", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultToken)
	resp, err := c.e.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	c.buf.Reset()
	if _, err := c.buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

func (*listPageCaller) close() {}

// BenchmarkPerfListUsersPage measures one page of 200 users: okta_list_users
// over stdio against the direct GET of the same page (the unit of work when
// an agent pages through a large org).
func BenchmarkPerfListUsersPage(b *testing.B) {
	e := newPerfEnv(b, sandbox.Options{Seed: sandbox.GenerateSeed(1000, 0)})
	cases := []struct {
		name string
		new  func(testing.TB) caller
	}{
		{"direct-http", func(testing.TB) caller { return &listPageCaller{e: e} }},
		{"mcp-stdio", func(tb testing.TB) caller {
			c := startStdioCaller(tb, e.srv, `{"name":"okta_list_users","arguments":{"limit":200}}`)
			res, err := c.rpc("tools/call", `{"name":"okta_list_users","arguments":{"limit":200}}`)
			require.NoError(tb, err)
			var r struct {
				StructuredContent struct {
					Count int `json:"count"`
				} `json:"structuredContent"`
			}
			require.NoError(tb, json.Unmarshal(res, &r))
			require.Equal(tb, 200, r.StructuredContent.Count)
			return c
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			c := tc.new(b)
			defer c.close()
			benchCalls(b, c)
		})
	}
}
