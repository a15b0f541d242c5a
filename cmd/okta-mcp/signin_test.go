package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signInEnv is the environment of login/whoami/logout and of a server
// acting as the signed-in admin of the sandbox at orgURL.
func signInEnv(t *testing.T, orgURL string, extra ...string) (map[string]string, string) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	env := map[string]string{
		"OKTA_ORG_URL": orgURL, "OKTA_CLIENT_ID": sandbox.PublicClientID,
		"OKTA_MCP_CONFIG_DIR": dir, "OKTA_MCP_ALLOW_HTTP": "true", "OKTA_MCP_LOGIN_PORT": strconv.Itoa(port),
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return env, dir
}

func runSignIn(env map[string]string, args ...string) (stdout, stderr string, code int) {
	var out, errb strings.Builder
	code = run(args, envFunc(env), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func envList(env map[string]string) []string {
	var l []string
	for k, v := range env {
		l = append(l, k+"="+v)
	}
	return l
}

// followBrowser stands in for the browser: it follows the authorization URL
// through the auto-approved /authorize to the loopback redirect.
func followBrowser(t *testing.T) {
	old := openBrowser
	openBrowser = func(u string) error {
		go func() {
			resp, err := http.Get(u)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
		return nil
	}
	t.Cleanup(func() { openBrowser = old })
}

// storedTokens reads the access and refresh tokens of the only stored
// sign-in, checking the file's and directory's modes.
func storedTokens(t *testing.T, dir string) (access, refresh string) {
	t.Helper()
	st, err := os.Stat(filepath.Join(dir, "signin"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), st.Mode().Perm())
	files, err := filepath.Glob(filepath.Join(dir, "signin", "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	st, err = os.Stat(files[0])
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	b, err := os.ReadFile(files[0])
	require.NoError(t, err)
	var f struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	require.NoError(t, json.Unmarshal(b, &f))
	return f.AccessToken, f.RefreshToken
}

func apiStatus(t *testing.T, orgURL, token string) int {
	req, _ := http.NewRequest("GET", orgURL+"/api/v1/users?limit=1", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// TestLoginWhoamiLogout: okta-mcp login (browser grant, against
// `okta-mcp sandbox --auto-approve`), whoami, then logout revokes: the
// sandbox refuses the revoked token.
func TestLoginWhoamiLogout(t *testing.T) {
	followBrowser(t)
	orgURL := startSandbox(t, "--auto-approve", "ada.lovelace@example.com")
	env, dir := signInEnv(t, orgURL)

	_, stderr, code := runSignIn(env, "whoami")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "Not signed in to "+orgURL)

	stdout, stderr, code := runSignIn(env, "login")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "Signed in to "+orgURL+" as ada.lovelace@example.com (Ada Lovelace")
	assert.Contains(t, stderr, orgURL+"/oauth2/v1/authorize?", "the URL is printed in case no browser opens")
	assert.Contains(t, stderr, "redirect_uri=http%3A%2F%2F127.0.0.1%3A"+env["OKTA_MCP_LOGIN_PORT"]+"%2Fcallback")
	access, refresh := storedTokens(t, dir)
	require.NotEmpty(t, refresh)
	assert.NotContains(t, stdout+stderr, access)
	assert.NotContains(t, stdout+stderr, refresh)
	assert.Equal(t, 200, apiStatus(t, orgURL, access))

	stdout, _, code = runSignIn(env, "whoami")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, "Signed in as: ada.lovelace@example.com (Ada Lovelace")
	assert.Contains(t, stdout, "Org:          "+orgURL)
	assert.Contains(t, stdout, "Scopes:       okta.users.read okta.users.manage okta.groups.read okta.groups.manage openid profile offline_access")
	assert.Regexp(t, `Access token: until \S+ \(valid for (59m|1h0m)`, stdout)
	assert.NotContains(t, stdout, access)

	stdout, stderr, code = runSignIn(env, "logout")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "Signed out of "+orgURL)
	assert.Equal(t, 401, apiStatus(t, orgURL, access), "the revoked access token is refused")
	files, _ := filepath.Glob(filepath.Join(dir, "signin", "*.json"))
	assert.Empty(t, files, "forgotten")
	_, _, code = runSignIn(env, "whoami")
	assert.Equal(t, 1, code)
	stdout, _, code = runSignIn(env, "logout")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "Not signed in")
}

func TestLoginDeviceCommand(t *testing.T) {
	org, err := sandbox.New(sandbox.Options{AutoApprove: "grace.hopper@example.com"})
	require.NoError(t, err)
	ts := httptest.NewServer(org)
	t.Cleanup(ts.Close)
	env, dir := signInEnv(t, ts.URL)
	stdout, stderr, code := runSignIn(env, "login", "--device", "--read-only")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, ts.URL+"/activate")
	assert.Contains(t, stdout, "as grace.hopper@example.com")
	assert.Contains(t, stdout, "Scopes: okta.users.read okta.groups.read openid profile offline_access")
	access, _ := storedTokens(t, dir)
	assert.Equal(t, 200, apiStatus(t, ts.URL, access))
}

func TestSignInCommandErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"nothing configured", map[string]string{}, []string{"login"}, "set OKTA_ORG_URL"},
		{"api token", map[string]string{"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_API_TOKEN": "00abcdefghijklmnopqrstuvwxyz"}, []string{"whoami"}, "not signed in"},
		{"http org without --allow-http", map[string]string{"OKTA_ORG_URL": "http://127.0.0.1:1", "OKTA_CLIENT_ID": "0oa1"}, []string{"login"}, "OKTA_ORG_URL"},
		{"bad port", map[string]string{"OKTA_ORG_URL": "https://dev-1.okta.com", "OKTA_CLIENT_ID": "0oa1"}, []string{"login", "--port", "70000"}, "--port 70000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["OKTA_MCP_CONFIG_DIR"] = t.TempDir()
			_, stderr, code := runSignIn(tt.env, tt.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, tt.want)
			assert.NotContains(t, stderr, "00abcdefghijklmnopqrstuvwxyz")
		})
	}
}

// TestServerActsAsSignedInAdmin: the MCP server with OKTA_CLIENT_ID and no
// key uses the stored sign-in: reads work; a read-only sign-in cannot
// write and the tool result names the missing scope; without a sign-in the
// result tells the agent to ask the human to run okta-mcp login.
// signInOrg serves the demo org over HTTP, signing login in at once, and
// returns it with the environment and token directory of okta-mcp login.
func signInOrg(t *testing.T, login string) (org *sandbox.Org, env map[string]string, dir string) {
	t.Helper()
	followBrowser(t)
	org, err := sandbox.New(sandbox.Options{AutoApprove: login})
	require.NoError(t, err)
	ts := httptest.NewServer(org)
	t.Cleanup(ts.Close)
	env, dir = signInEnv(t, ts.URL)
	return org, env, dir
}

func TestServerActsAsSignedInAdmin(t *testing.T) {
	org, env, dir := signInOrg(t, "ada.lovelace@example.com")

	// Not signed in yet.
	s := &session{t: t}
	var stderr *syncBuffer
	s.c, stderr = connectStdio(t, envList(env), []string{"--allow-http", "--log-level", "debug"}, clientOptions{legacy: true})
	text := s.fails("okta_list_users", map[string]any{})
	assert.Contains(t, text, "okta-mcp login")
	assert.Contains(t, text, "Nothing was sent to Okta")
	assert.Equal(t, 0, org.RequestCount("", "/api/"))
	assert.Contains(t, stderr.String(), "nobody is signed in")

	// Signed in with read scopes only: the same server picks it up.
	_, errOut, code := runSignIn(env, "login", "--read-only")
	require.Equal(t, 0, code, errOut)
	out := s.ok("okta_list_users", map[string]any{"limit": 2})
	assert.NotEmpty(t, out["users"])
	text = s.fails("okta_create_group", map[string]any{"name": "Signed-in admins"})
	assert.Contains(t, text, "E0000006")
	assert.Contains(t, text, "lacks the OAuth scope okta.groups.manage")
	assert.Contains(t, text, "okta-mcp login")
	_, found := org.LookupGroup("Signed-in admins")
	assert.False(t, found)
	assert.Eventually(t, func() bool { return strings.Contains(stderr.String(), "user:ada.lovelace@example.com") },
		5*time.Second, 20*time.Millisecond, "the audit names the admin")

	// Signed in with manage scopes: the write goes through.
	_, errOut, code = runSignIn(env, "login")
	require.Equal(t, 0, code, errOut)
	s.ok("okta_create_group", map[string]any{"name": "Signed-in admins"})
	_, found = org.LookupGroup("Signed-in admins")
	assert.True(t, found)
	access, refresh := storedTokens(t, dir)
	assertNoSecret(t, stderr.String(), access, refresh)
}

// urlOpener is a client's elicitation handler that "opens" URL-mode
// elicitations like a browser would (following redirects).
type urlOpener struct {
	mu   sync.Mutex
	seen []mcp.ElicitationParams
}

func (u *urlOpener) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	u.mu.Lock()
	u.seen = append(u.seen, req.Params)
	u.mu.Unlock()
	if req.Params.Mode != mcp.ElicitationModeURL {
		return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionDecline}}, nil
	}
	go func() {
		if resp, err := http.Get(req.Params.URL); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionAccept}}, nil
}

// TestSignInOfferedThroughURLElicitation: under a client that supports
// URL-mode elicitation, a call that finds nobody signed in offers the
// sign-in page; once the human signed in, the next call works.
func TestSignInOfferedThroughURLElicitation(t *testing.T) {
	org, err := sandbox.New(sandbox.Options{AutoApprove: "ada.lovelace@example.com"})
	require.NoError(t, err)
	ts := httptest.NewServer(org)
	t.Cleanup(ts.Close)
	env, dir := signInEnv(t, ts.URL)

	opener := &urlOpener{}
	stderr := &syncBuffer{}
	tr := transport.NewStdioWithOptions(binPath, nil, []string{"--allow-http"},
		transport.WithCommandFunc(func(ctx context.Context, command string, _ []string, args []string) (*exec.Cmd, error) {
			cmd := exec.CommandContext(ctx, command, args...)
			cmd.Env = childEnv(envList(env)...)
			return cmd, nil
		}),
		transport.WithCommandStderrWriter(stderr),
	)
	c := client.NewClient(tr, client.WithElicitationHandler(opener))
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() {
		_ = c.Close()
		if t.Failed() {
			t.Logf("stderr:\n%s", stderr.String())
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	init := mcp.InitializeRequest{}
	init.Params.ClientInfo = mcp.Implementation{Name: "url-elicitation-test", Version: "1"}
	init.Params.ProtocolVersion = mcp.LATEST_LEGACY_PROTOCOL_VERSION
	init.Params.Capabilities.Elicitation = &mcp.ElicitationCapability{Form: &struct{}{}, URL: &struct{}{}}
	_, err = c.Initialize(ctx, init)
	require.NoError(t, err)
	s := &session{t: t, c: c}

	text := s.fails("okta_list_users", map[string]any{})
	assert.Contains(t, text, "The human has now signed in")
	assert.Contains(t, text, "call the tool again")
	opener.mu.Lock()
	require.Len(t, opener.seen, 1)
	p := opener.seen[0]
	opener.mu.Unlock()
	assert.Equal(t, mcp.ElicitationModeURL, p.Mode)
	assert.True(t, strings.HasPrefix(p.URL, ts.URL+"/oauth2/v1/authorize?"), p.URL)
	assert.Contains(t, p.URL, "redirect_uri=http%3A%2F%2F127.0.0.1%3A"+env["OKTA_MCP_LOGIN_PORT"])
	storedTokens(t, dir)

	out := s.ok("okta_list_users", map[string]any{"limit": 1})
	assert.NotEmpty(t, out["users"])
}

func TestSandboxAutoApproveUnknownUser(t *testing.T) {
	_, stderr, code := runCmd(t, nil, "sandbox", "--listen", "127.0.0.1:0", "--auto-approve", "nobody@example.com")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "auto-approve: no user")
	assert.Contains(t, stderr, "nobody@example.com")
	assert.NotContains(t, stderr, "sandbox: sandbox:")
}

// A signed-in Read-only Admin (the demo org's Isabella Garcia) gets the
// manage scopes, and Okta refuses the change itself: the agent is told that
// the person's admin role, not the token, is what is missing.
func TestSignedInReadOnlyAdmin(t *testing.T) {
	org, env, _ := signInOrg(t, "isabella.garcia@example.com")
	_, errOut, code := runSignIn(env, "login")
	require.Equal(t, 0, code, errOut)

	s := &session{t: t}
	s.c, _ = connectStdio(t, envList(env), []string{"--allow-http"}, clientOptions{legacy: true})
	out := s.ok("okta_list_users", map[string]any{"limit": 2})
	assert.NotEmpty(t, out["users"])
	text := s.fails("okta_create_group", map[string]any{"name": "Auditors"})
	assert.Contains(t, text, "E0000006")
	assert.Contains(t, text, "the signed-in admin's Okta admin role does not allow this")
	_, found := org.LookupGroup("Auditors")
	assert.False(t, found)
}
