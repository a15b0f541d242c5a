package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
	"github.com/okta-mcp/okta-mcp/tools"
)

// oauthIssuer is an authorization server on 127.0.0.1 (an Okta custom
// authorization server's metadata and keys) whose tokens the tests mint, and
// which records the Authorization headers it receives.
type oauthIssuer struct {
	url string
	key *rsa.PrivateKey
	mu  sync.Mutex
	rec []string
}

func newOAuthIssuer(t *testing.T) *oauthIssuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	iss := &oauthIssuer{key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth2/default/.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		iss.record(r)
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": iss.url, "jwks_uri": iss.url + "/v1/keys"})
	})
	mux.HandleFunc("/oauth2/default/v1/keys", func(w http.ResponseWriter, r *http.Request) {
		iss.record(r)
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
			"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
			"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
		}}})
	})
	ts := httptest.NewUnstartedServer(mux)
	iss.url = "http://" + ts.Listener.Addr().String() + "/oauth2/default"
	ts.Start()
	t.Cleanup(ts.Close)
	return iss
}

func (i *oauthIssuer) record(r *http.Request) {
	i.mu.Lock()
	i.rec = append(i.rec, r.Header.Get("Authorization"))
	i.mu.Unlock()
}

func (i *oauthIssuer) mint(t *testing.T, aud, sub, uid string, scopes ...string) string {
	t.Helper()
	now := time.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": i.url, "aud": aud, "sub": sub, "uid": uid, "cid": "0oaMCPClient",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "scp": scopes,
	})
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(i.key)
	require.NoError(t, err)
	return s
}

// recordingOrg is the in-memory org over HTTP, recording the Authorization
// header of every request it gets.
type recordingOrg struct {
	url  string
	mu   sync.Mutex
	auth []string
}

func newRecordingOrg(t *testing.T) *recordingOrg {
	t.Helper()
	org, err := sandbox.New(sandbox.Options{})
	require.NoError(t, err)
	ro := &recordingOrg{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ro.mu.Lock()
		ro.auth = append(ro.auth, r.Header.Get("Authorization"))
		ro.mu.Unlock()
		org.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	ro.url = ts.URL
	return ro
}

func (ro *recordingOrg) seen() []string {
	ro.mu.Lock()
	defer ro.mu.Unlock()
	return append([]string(nil), ro.auth...)
}

// TestRemoteOAuth runs okta-mcp --oauth-issuer over streamable HTTP with
// server credentials and checks the whole resource server from outside:
// metadata, challenges, scopes, tools/list, the audit line and that no MCP
// access token ever reaches Okta.
func TestRemoteOAuth(t *testing.T) {
	t.Parallel()
	iss := newOAuthIssuer(t)
	org := newRecordingOrg(t)
	p := startProc(t, []string{"OKTA_ORG_URL=" + org.url, "OKTA_API_TOKEN=" + sandbox.DefaultToken},
		"--transport", "http", "--listen", "127.0.0.1:0", "--allow-http", "--oauth-issuer", iss.url)
	base := "http://" + p.listenAddr()
	resource := base + "/mcp"
	metaURL := base + "/.well-known/oauth-protected-resource/mcp"
	assert.Contains(t, p.Stderr(), `mcp_auth="oauth (issuer `+iss.url+", audience "+resource)

	// Metadata, at the path-suffixed and the root location.
	for _, u := range []string{metaURL, base + "/.well-known/oauth-protected-resource"} {
		resp, err := http.Get(u)
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&doc))
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, resource, doc["resource"], u)
		assert.Equal(t, []any{iss.url}, doc["authorization_servers"])
		assert.Equal(t, []any{"okta-mcp.read", "okta-mcp.manage"}, doc["scopes_supported"])
		assert.Equal(t, []any{"header"}, doc["bearer_methods_supported"])
	}

	// No token: 401 naming the metadata. /healthz stays open.
	resp := rawPost(t, resource, initializeBody, nil)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, `Bearer scope="okta-mcp.read", resource_metadata="`+metaURL+`"`, resp.Header.Get("WWW-Authenticate"))
	hresp, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	hresp.Body.Close()
	assert.Equal(t, 200, hresp.StatusCode)

	// A token for another audience: 401 invalid_token.
	wrongAud := iss.mint(t, "api://default", "ada.lovelace@example.com", adaID, "okta-mcp.manage")
	resp = rawPost(t, resource, initializeBody, map[string]string{"Authorization": "Bearer " + wrongAud})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`)

	// Read scope: read tools only, in tools/list and in calls.
	readTok := iss.mint(t, resource, "ada.lovelace@example.com", adaID, "okta-mcp.read")
	reader := &session{t: t, c: connectHTTP(t, resource, clientOptions{legacy: true, headers: map[string]string{"Authorization": "Bearer " + readTok}})}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	list, err := reader.c.ListTools(ctx, mcp.ListToolsRequest{})
	require.NoError(t, err)
	readOnly := map[string]bool{}
	for _, ti := range tools.Catalog(tools.Options{Toolsets: []string{tools.ToolsetAll}}) {
		if ti.ReadOnly {
			readOnly[ti.Name] = true
		}
	}
	require.NotEmpty(t, list.Tools)
	assert.Len(t, list.Tools, len(readOnly))
	for _, tool := range list.Tools {
		assert.True(t, readOnly[tool.Name], "%s is listed for a read-only token", tool.Name)
	}
	reader.ok("okta_get_user", map[string]any{"userId": "grace.hopper@example.com"})

	// A write with the read scope: HTTP 403 insufficient_scope (step-up).
	call := `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"okta_suspend_user","arguments":{"userId":"grace.hopper@example.com"}}}`
	resp = rawPost(t, resource, call, map[string]string{"Authorization": "Bearer " + readTok})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Header.Get("WWW-Authenticate"),
		`Bearer error="insufficient_scope", scope="okta-mcp.manage", resource_metadata="`+metaURL+`"`), resp.Header.Get("WWW-Authenticate"))

	// Manage scope: the write goes through, in the person's name.
	manageTok := iss.mint(t, resource, "ada.lovelace@example.com", adaID, "okta-mcp.manage")
	manager := &session{t: t, c: connectHTTP(t, resource, clientOptions{headers: map[string]string{"Authorization": "Bearer " + manageTok}})}
	list, err = manager.c.ListTools(ctx, mcp.ListToolsRequest{})
	require.NoError(t, err)
	assert.Len(t, list.Tools, len(tools.Catalog(tools.Options{Toolsets: []string{tools.ToolsetAll}})))
	manager.ok("okta_suspend_user", map[string]any{"userId": "grace.hopper@example.com"})
	assert.Eventually(t, func() bool {
		return strings.Contains(p.Stderr(), "okta write") && strings.Contains(p.Stderr(), "caller=ada.lovelace@example.com caller_id="+adaID)
	}, 5*time.Second, 20*time.Millisecond, "the audit line names the person")

	// A session stays with the person who started it.
	init := rawPost(t, resource, initializeBody, map[string]string{"Authorization": "Bearer " + readTok})
	require.Equal(t, http.StatusOK, init.StatusCode)
	sid := init.Header.Get("Mcp-Session-Id")
	require.NotEmpty(t, sid)
	listReq := `{"jsonrpc":"2.0","id":3,"method":"tools/list"}`
	bobTok := iss.mint(t, resource, "bob@example.com", "00ubob", "okta-mcp.manage")
	resp = rawPost(t, resource, listReq, map[string]string{"Authorization": "Bearer " + bobTok, "Mcp-Session-Id": sid})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "another person's token cannot use ada's session")
	resp = rawPost(t, resource, listReq, map[string]string{"Authorization": "Bearer " + readTok, "Mcp-Session-Id": sid})
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	// No token passthrough: Okta saw only the server's API token, the
	// issuer no Authorization at all; the tokens are not logged.
	seen := org.seen()
	require.NotEmpty(t, seen)
	for _, a := range seen {
		assert.Equal(t, "SSWS "+sandbox.DefaultToken, a)
	}
	iss.mu.Lock()
	for _, a := range iss.rec {
		assert.Empty(t, a)
	}
	iss.mu.Unlock()
	for _, tok := range []string{readTok, manageTok, wrongAud, bobTok} {
		assert.NotContains(t, p.Stderr(), tok)
		assert.NotContains(t, p.Stderr(), strings.Split(tok, ".")[2], "not even the signature")
	}
}

// TestRemoteOAuthSSE: the legacy SSE transport is protected the same way.
func TestRemoteOAuthSSE(t *testing.T) {
	t.Parallel()
	iss := newOAuthIssuer(t)
	p := startProc(t, nil, "--sandbox", "--transport", "sse", "--listen", "127.0.0.1:0", "--allow-http", "--oauth-issuer", iss.url)
	base := "http://" + p.listenAddr()
	resp, err := http.Get(base + "/sse")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, `Bearer scope="okta-mcp.read", resource_metadata="`+base+`/.well-known/oauth-protected-resource/sse"`, resp.Header.Get("WWW-Authenticate"))
	tok := iss.mint(t, base+"/sse", "ada.lovelace@example.com", adaID, "okta-mcp.read")
	s := &session{t: t, c: connectSSE(t, base+"/sse", clientOptions{legacy: true, headers: map[string]string{"Authorization": "Bearer " + tok}})}
	s.ok("okta_get_user", map[string]any{"userId": "grace.hopper@example.com"})
	// A write with the read scope: POST /message answers 403, which
	// mcp-go's SSE client reports as an error; nothing is changed.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := mcp.CallToolRequest{}
	req.Params.Name = "okta_suspend_user"
	req.Params.Arguments = map[string]any{"userId": "grace.hopper@example.com"}
	res, err := s.c.CallTool(ctx, req)
	if err == nil {
		assert.True(t, res.IsError)
	} else {
		assert.Contains(t, err.Error(), "403")
	}
	got := s.ok("okta_get_user", map[string]any{"userId": "grace.hopper@example.com"})
	assert.Equal(t, "ACTIVE", got["status"])

	// An SSE session stays with the person whose stream it is.
	sctx, scancel := context.WithCancel(context.Background())
	defer scancel()
	sreq, _ := http.NewRequestWithContext(sctx, http.MethodGet, base+"/sse", nil)
	sreq.Header.Set("Authorization", "Bearer "+tok)
	stream, err := http.DefaultClient.Do(sreq)
	require.NoError(t, err)
	defer stream.Body.Close()
	require.Equal(t, http.StatusOK, stream.StatusCode)
	sc := bufio.NewScanner(stream.Body)
	var endpoint string
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			endpoint = line
			break
		}
	}
	require.Contains(t, endpoint, "sessionId=")
	bob := iss.mint(t, base+"/sse", "bob@example.com", "00ubob", "okta-mcp.manage")
	ping := `{"jsonrpc":"2.0","id":9,"method":"ping"}`
	resp = rawPost(t, base+endpoint, ping, map[string]string{"Authorization": "Bearer " + bob})
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "another person's token cannot post to ada's stream")
	resp = rawPost(t, base+endpoint, ping, map[string]string{"Authorization": "Bearer " + tok})
	assert.Less(t, resp.StatusCode, 300, "ada can")
}

func TestRemoteOAuthStartupErrors(t *testing.T) {
	t.Parallel()
	const issuer = "https://dev-1.okta.com/oauth2/default"
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"with the static token", []string{"OKTA_MCP_AUTH_TOKEN=" + testAuthToken}, []string{"--sandbox", "--transport", "http", "--oauth-issuer", issuer}, "exclusive"},
		{"env with the static token", []string{"OKTA_MCP_AUTH_TOKEN=" + testAuthToken, "OKTA_MCP_OAUTH_ISSUER=" + issuer}, []string{"--sandbox", "--transport", "http"}, "exclusive"},
		{"on stdio", nil, []string{"--sandbox", "--oauth-issuer", issuer}, "sse and http transports"},
		{"http issuer without --allow-http", nil, []string{"--sandbox", "--transport", "http", "--oauth-issuer", "http://127.0.0.1:9/oauth2/default"}, "--allow-http"},
		{"http issuer not on loopback", nil, []string{"--sandbox", "--transport", "http", "--allow-http", "--oauth-issuer", "http://auth.example.com/oauth2/default"}, "loopback"},
		{"audience without issuer", nil, []string{"--sandbox", "--transport", "http", "--oauth-audience", "api://x"}, "needs --oauth-issuer"},
		{"base url with a path", nil, []string{"--sandbox", "--transport", "http", "--oauth-issuer", issuer, "--base-url", "https://mcp.example.com/mcp"}, "without a path"},
		{"no server credentials", nil, []string{"--transport", "http", "--listen", "127.0.0.1:0", "--oauth-issuer", issuer}, "server's own Okta credentials"},
		{"non-loopback without base url", nil, []string{"--sandbox", "--transport", "http", "--listen", "0.0.0.0:0", "--oauth-issuer", issuer}, "needs --base-url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCmd(t, tt.env, tt.args...)
			assert.NotEqual(t, 0, code)
			assert.Contains(t, stderr, tt.want)
			assert.NotContains(t, stderr+stdout, testAuthToken)
		})
	}
}

// TestCallLimitPerPerson: with OAuth, the cap on tool calls in flight holds
// per person across sessions.
func TestCallLimitPerPerson(t *testing.T) {
	tr := newCallTracker(1)
	release := make(chan struct{})
	started := make(chan struct{})
	h := tr.middleware(func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		close(started)
		<-release
		return mcp.NewToolResultText("done"), nil
	})
	ada := tools.WithCaller(context.Background(), tools.Caller{Subject: "ada@example.com", UserID: "00uada"})
	done := make(chan *mcp.CallToolResult)
	go func() { r, _ := h(ada, mcp.CallToolRequest{}); done <- r }()
	<-started
	quick := tr.middleware(func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("done"), nil
	})
	r, err := quick(tools.WithCaller(context.Background(), tools.Caller{Subject: "ada@example.com", UserID: "00uada"}), mcp.CallToolRequest{})
	require.NoError(t, err)
	require.True(t, r.IsError, "a second call of the same person (another session) is refused")
	assert.Contains(t, r.Content[0].(mcp.TextContent).Text, "for you (across your sessions)")
	r, err = quick(tools.WithCaller(context.Background(), tools.Caller{Subject: "bob@example.com", UserID: "00ubob"}), mcp.CallToolRequest{})
	require.NoError(t, err)
	assert.False(t, r.IsError, "another person is not limited by ada's calls")
	close(release)
	assert.False(t, (<-done).IsError)
}
