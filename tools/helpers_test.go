package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/contracttest"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// syncBuffer is a bytes.Buffer safe for concurrent writers.
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

// lines returns the JSON log lines written so far.
func (s *syncBuffer) lines(t testing.TB) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		out = append(out, m)
	}
	return out
}

type envConfig struct {
	perCall   bool
	opts      Options
	sandbox   sandbox.Options
	clientOps []client.ClientOption
	legacy    bool // initialize with protocol 2025-11-25 instead of the default (modern)
	noInit    bool
	maxWait   time.Duration
	// failClosed keeps the server's default of refusing sensitive calls
	// for clients that cannot confirm; other tests run as with
	// --allow-unconfirmed so that they can exercise those tools.
	failClosed bool
}

type envOption func(*envConfig)

func perCallMode() envOption { return func(c *envConfig) { c.perCall = true } }
func withOptions(f func(*Options)) envOption {
	return func(c *envConfig) { f(&c.opts) }
}
func withSandbox(o sandbox.Options) envOption { return func(c *envConfig) { c.sandbox = o } }
func withClientOptions(o ...client.ClientOption) envOption {
	return func(c *envConfig) { c.clientOps = append(c.clientOps, o...) }
}
func legacyProtocol() envOption { return func(c *envConfig) { c.legacy = true } }

// failClosed runs the server with its default confirmation policy (no
// --allow-unconfirmed).
func failClosed() envOption { return func(c *envConfig) { c.failClosed = true } }

// env is an okta-mcp server over the in-memory org, and an in-process MCP
// client connected to it.
type env struct {
	t       testing.TB
	org     *sandbox.Org
	srv     *server.MCPServer
	client  *client.Client
	audit   *syncBuffer
	logs    *syncBuffer
	perCall bool
}

func newEnv(t testing.TB, options ...envOption) *env {
	t.Helper()
	cfg := envConfig{}
	for _, o := range options {
		o(&cfg)
	}
	org, err := sandbox.New(cfg.sandbox)
	require.NoError(t, err)
	e := &env{t: t, org: org, audit: &syncBuffer{}, logs: &syncBuffer{}, perCall: cfg.perCall}
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := cfg.opts
	if len(opts.Toolsets) == 0 && len(opts.Tools) == 0 {
		opts.Toolsets = []string{ToolsetAll} // the tests exercise every tool
	}
	if !cfg.failClosed {
		opts.AllowUnconfirmed = true
	}
	opts.Version = "test"
	opts.Logger = logger
	opts.Audit = slog.New(slog.NewJSONHandler(e.audit, nil))
	var rt http.RoundTripper = org.Transport()
	if _, ok := t.(*testing.T); ok {
		// With OKTA_OPENAPI_SPEC set, every request the tools send and every
		// answer of the org is checked against Okta's OpenAPI spec; without
		// it the tests run unchecked (okta's contract tests enforce the spec
		// under CI). Benchmarks and fuzz targets are never wrapped.
		rt = contracttest.Wrap(t, rt)
	}
	hc := &http.Client{Transport: rt}
	// Per-call and per-header clients reach the in-memory org too, never
	// the network.
	opts.ClientConfig.HTTPClient = hc
	opts.ClientConfig.Logger = logger
	opts.ClientConfig.MaxWait = time.Second
	if !cfg.perCall {
		oc, err := okta.NewClient(okta.Config{
			OrgURL:     sandbox.DemoOrgURL,
			Auth:       okta.APIToken(sandbox.DefaultToken),
			HTTPClient: hc,
			Logger:     slog.New(NewLogHandler(logger.Handler())),
			MaxWait:    time.Second,
		})
		require.NoError(t, err)
		opts.ServerClient = oc
	}
	e.srv, err = NewServer(opts)
	require.NoError(t, err)
	e.client, err = client.NewInProcessClientWithOptions(e.srv, cfg.clientOps...)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, e.client.Start(ctx))
	t.Cleanup(func() { _ = e.client.Close() })
	if !cfg.noInit {
		init := mcp.InitializeRequest{}
		init.Params.ClientInfo = mcp.Implementation{Name: "tools-test", Version: "1"}
		if cfg.legacy {
			init.Params.ProtocolVersion = mcp.LATEST_LEGACY_PROTOCOL_VERSION
		}
		_, err = e.client.Initialize(ctx, init)
		require.NoError(t, err)
	}
	return e
}

// args adds the per-call credentials in per-call mode.
func (e *env) args(a map[string]any) map[string]any {
	out := map[string]any{}
	if e.perCall {
		out["apiKey"] = sandbox.DefaultToken
		out["domain"] = "sandbox.okta.com"
	}
	for k, v := range a {
		out[k] = v
	}
	return out
}

// call calls a tool with args (plus credentials in per-call mode).
func (e *env) call(name string, args map[string]any) *mcp.CallToolResult {
	e.t.Helper()
	return e.callRaw(context.Background(), name, e.args(args))
}

func (e *env) callRaw(ctx context.Context, name string, args any) *mcp.CallToolResult {
	e.t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := e.client.CallTool(ctx, req)
	require.NoError(e.t, err)
	return res
}

// ok calls a tool that must succeed and returns its structured result,
// checked against the tool's advertised output schema.
func (e *env) ok(name string, args map[string]any) map[string]any {
	e.t.Helper()
	res := e.call(name, args)
	require.False(e.t, res.IsError, "%s failed: %s", name, text(res))
	out := structured(e.t, res)
	e.matchesOutputSchema(name, out)
	return out
}

// fails calls a tool that must fail and returns its message.
func (e *env) fails(name string, args map[string]any) string {
	e.t.Helper()
	res := e.call(name, args)
	require.True(e.t, res.IsError, "%s succeeded: %s", name, text(res))
	return text(res)
}

func text(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// structured returns the structured content, checking that the text content
// is the same object.
func structured(t testing.TB, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	var sc any = res.StructuredContent
	if len(res.RawStructuredContent) > 0 {
		sc = res.RawStructuredContent
	}
	var b []byte
	switch v := sc.(type) {
	case json.RawMessage:
		b = v
	default:
		var err error
		b, err = json.Marshal(v)
		require.NoError(t, err)
	}
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	var fromText map[string]any
	require.NoError(t, json.Unmarshal([]byte(text(res)), &fromText), "text content is the JSON object")
	require.Equal(t, m, fromText, "text content equals structuredContent")
	return m
}

// writes counts the requests that could change the org.
func (e *env) writes() int {
	n := 0
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		n += e.org.RequestCount(m, "/api/v1/")
	}
	return n
}

func (e *env) requests() int { return e.org.RequestCount("", "/api/v1/") }

// Demo org users and groups used by the tests.
const (
	adaLogin    = "ada.lovelace@example.com"
	adaID       = "00u75w1rvpXJRZYTDRkL"
	stagedLogin = "tim.berners@example.com"
	suspLogin   = "dennis.ritchie@example.com"
	deprovLogin = "emma.schmidt@example.com"
)

func (e *env) groupID(name string) string {
	e.t.Helper()
	g, ok := e.org.LookupGroup(name)
	require.True(e.t, ok, "group %s", name)
	return g.ID
}

func (e *env) user(idOrLogin string) sandbox.UserState {
	e.t.Helper()
	u, ok := e.org.LookupUser(idOrLogin)
	require.True(e.t, ok, "user %s", idOrLogin)
	return u
}
