package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
	"github.com/okta-mcp/okta-mcp/tools"
)

const testAuthToken = "e2e-test-token-0123456789abcdef"

// rawPost sends one JSON-RPC message to url with the given headers.
func rawPost(t *testing.T, url, body string, headers map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`

// rawStdio drives okta-mcp over stdio with hand-written JSON-RPC, checking
// that every stdout line is a JSON-RPC message.
type rawStdio struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string
	stderr *syncBuffer
	seen   []map[string]any // every stdout message so far
	exited chan struct{}
}

func startRawStdio(t *testing.T, args ...string) *rawStdio {
	t.Helper()
	r := &rawStdio{t: t, lines: make(chan string, 100), stderr: &syncBuffer{}, exited: make(chan struct{})}
	r.cmd = exec.Command(binPath, args...)
	r.cmd.Env = childEnv()
	var err error
	r.stdin, err = r.cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := r.cmd.StdoutPipe()
	require.NoError(t, err)
	r.cmd.Stderr = r.stderr
	require.NoError(t, r.cmd.Start())
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 1<<20), 8<<20)
		for sc.Scan() {
			r.lines <- sc.Text()
		}
		close(r.lines)
		_ = r.cmd.Wait()
		close(r.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-r.exited:
		default:
			_ = r.cmd.Process.Kill()
			<-r.exited
		}
		if t.Failed() {
			t.Logf("okta-mcp stderr:\n%s", r.stderr.String())
		}
	})
	return r
}

func (r *rawStdio) send(msg string) {
	r.t.Helper()
	_, err := io.WriteString(r.stdin, msg+"\n")
	require.NoError(r.t, err)
}

// next reads one stdout line, which must be a JSON-RPC message.
func (r *rawStdio) next(timeout time.Duration) (map[string]any, bool) {
	r.t.Helper()
	select {
	case line, ok := <-r.lines:
		if !ok {
			return nil, false
		}
		var m map[string]any
		require.NoError(r.t, json.Unmarshal([]byte(line), &m), "stdout line is not JSON: %q", line)
		require.Equal(r.t, "2.0", m["jsonrpc"], "stdout line is not JSON-RPC: %q", line)
		r.seen = append(r.seen, m)
		return m, true
	case <-time.After(timeout):
		r.t.Fatalf("nothing on stdout for %s; stderr:\n%s", timeout, r.stderr.String())
		return nil, false
	}
}

// response reads stdout until the response with id arrives.
func (r *rawStdio) response(id int) map[string]any {
	r.t.Helper()
	for {
		m, ok := r.next(30 * time.Second)
		require.True(r.t, ok, "stdout closed before response %d; stderr:\n%s", id, r.stderr.String())
		if v, isNum := m["id"].(float64); isNum && int(v) == id && m["method"] == nil {
			return m
		}
	}
}

// drain reads stdout to its end (the process exits) and returns the exit
// code.
func (r *rawStdio) drain(timeout time.Duration) int {
	r.t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case line, ok := <-r.lines:
			if !ok {
				<-r.exited
				return r.cmd.ProcessState.ExitCode()
			}
			var m map[string]any
			require.NoError(r.t, json.Unmarshal([]byte(line), &m), "stdout line is not JSON: %q", line)
		case <-deadline:
			r.t.Fatalf("okta-mcp did not exit within %s; stderr:\n%s", timeout, r.stderr.String())
		}
	}
}

func (r *rawStdio) initialize() {
	r.t.Helper()
	r.send(initializeBody)
	r.response(1)
	r.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
}

// toolResult returns the result object of a tools/call response.
func toolResult(t *testing.T, resp map[string]any) map[string]any {
	t.Helper()
	require.Nil(t, resp["error"], "protocol error: %v", resp["error"])
	res, ok := resp["result"].(map[string]any)
	require.True(t, ok, "no result in %v", resp)
	return res
}

// TestStdioStdoutIsProtocolOnly checks that every line okta-mcp writes to
// stdout is a JSON-RPC message, while its logs (debug level) go to stderr.
func TestStdioStdoutIsProtocolOnly(t *testing.T) {
	t.Parallel()
	r := startRawStdio(t, "--sandbox", "--log-level", "debug")
	r.initialize()
	r.send(`{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"debug"}}`)
	r.response(2)
	r.send(`{"jsonrpc":"2.0","id":3,"method":"tools/list"}`)
	r.response(3)
	r.send(`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"okta_list_users","arguments":{"limit":2}}}`)
	assert.NotEqual(t, true, toolResult(t, r.response(4))["isError"])
	r.send(`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"okta_get_user","arguments":{"userId":"nobody@example.com"}}}`)
	assert.Equal(t, true, toolResult(t, r.response(5))["isError"])
	r.send(`this is not json`)
	r.send(`{"jsonrpc":"2.0","id":6,"method":"ping"}`)
	r.response(6)
	require.NoError(t, r.stdin.Close())
	assert.Equal(t, 0, r.drain(30*time.Second), "stdin closed: clean exit")
	assert.GreaterOrEqual(t, len(r.seen), 6)
	assert.Contains(t, r.stderr.String(), "okta-mcp starting")
	assert.Contains(t, r.stderr.String(), "level=DEBUG", "debug logs went to stderr")
}

// TestHTTPAuthToken checks the bearer token on both HTTP transports: 401
// without it or with a wrong one, success with it; /healthz needs none.
func TestHTTPAuthToken(t *testing.T) {
	t.Parallel()
	for _, transportName := range []string{"http", "sse"} {
		t.Run(transportName, func(t *testing.T) {
			t.Parallel()
			p := startProc(t, []string{"OKTA_MCP_AUTH_TOKEN=" + testAuthToken},
				"--sandbox", "--transport", transportName, "--listen", "127.0.0.1:0")
			base := "http://" + p.listenAddr()

			resp, err := http.Get(base + "/healthz")
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, 200, resp.StatusCode, "/healthz needs no token")

			endpoint := base + "/mcp"
			if transportName == "sse" {
				endpoint = base + "/message?sessionId=x"
			}
			for _, auth := range []string{"", "Bearer wrong-token-0123456789abcdef", "Basic " + testAuthToken} {
				h := map[string]string{}
				if auth != "" {
					h["Authorization"] = auth
				}
				resp := rawPost(t, endpoint, initializeBody, h)
				assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "auth %q", auth)
				assert.Equal(t, `Bearer realm="okta-mcp"`, resp.Header.Get("WWW-Authenticate"))
			}
			if transportName == "sse" {
				req, _ := http.NewRequest(http.MethodGet, base+"/sse", nil)
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "GET /sse needs the token")
			} else {
				resp := rawPost(t, endpoint, initializeBody, map[string]string{"Authorization": "Bearer " + testAuthToken})
				assert.Equal(t, http.StatusOK, resp.StatusCode)
			}

			// A real client with the token works end to end.
			o := clientOptions{legacy: true, headers: map[string]string{"Authorization": "Bearer " + testAuthToken}}
			s := &session{t: t}
			if transportName == "sse" {
				s.c = connectSSE(t, base+"/sse", o)
			} else {
				s.c = connectHTTP(t, base+"/mcp", o)
			}
			s.ok("okta_get_user", map[string]any{"userId": "ada.lovelace@example.com"})
			assert.NotContains(t, p.Stderr(), testAuthToken, "the token is never logged")
		})
	}
}

// TestRefusesNonLoopbackWithoutToken: no socket is opened on 0.0.0.0.
func TestRefusesNonLoopbackWithoutToken(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--sandbox", "--transport", "http", "--listen", "0.0.0.0:0"},
		{"--sandbox", "--transport", "sse", "--listen", ":0"},
		{"sandbox", "--listen", "0.0.0.0:0"},
	} {
		_, stderr, code := runCmd(t, nil, args...)
		assert.NotEqual(t, 0, code, "%v", args)
		assert.Contains(t, stderr, "refusing to", "%v", args)
		assert.Contains(t, stderr, "loopback", "%v", args)
	}
}

// TestDNSRebindingProtection replays the official conformance scenario
// dns-rebinding-protection (Host and Origin set to a foreign name → 4xx; the
// server's own loopback name → 2xx, and the initialized notification with
// the session id → 2xx) and the same checks on the SSE endpoints.
func TestDNSRebindingProtection(t *testing.T) {
	t.Parallel()
	t.Run("http", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, nil, "--sandbox", "--transport", "http", "--listen", "127.0.0.1:0")
		addr := p.listenAddr()
		url := "http://" + addr + "/mcp"

		resp := rawPost(t, url, initializeBody, map[string]string{"Host": "evil.example.com", "Origin": "http://evil.example.com"})
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)

		resp = rawPost(t, url, initializeBody, map[string]string{"Host": addr, "Origin": "http://evil.example.com"})
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "foreign Origin with a good Host")

		resp = rawPost(t, url, initializeBody, map[string]string{"Host": addr, "Origin": "http://" + addr})
		require.Equal(t, http.StatusOK, resp.StatusCode)
		sid := resp.Header.Get("Mcp-Session-Id")
		require.NotEmpty(t, sid)
		resp = rawPost(t, url, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, map[string]string{
			"Host": addr, "Origin": "http://" + addr, "Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25"})
		assert.Equal(t, http.StatusAccepted, resp.StatusCode)

		port := addr[strings.LastIndex(addr, ":"):]
		resp = rawPost(t, url, initializeBody, map[string]string{"Host": "localhost" + port, "Origin": "http://localhost" + port})
		assert.Equal(t, http.StatusOK, resp.StatusCode, "localhost names the same listener")
	})
	t.Run("sse", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, nil, "--sandbox", "--transport", "sse", "--listen", "127.0.0.1:0",
			"--allowed-origins", "https://app.example.com")
		addr := p.listenAddr()
		get := func(headers map[string]string) int {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/sse", nil)
			for k, v := range headers {
				if k == "Host" {
					req.Host = v
				} else {
					req.Header.Set(k, v)
				}
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close() // the stream: status is all we need
			return resp.StatusCode
		}
		assert.Equal(t, http.StatusForbidden, get(map[string]string{"Host": "evil.example.com", "Origin": "http://evil.example.com"}))
		assert.Equal(t, http.StatusForbidden, get(map[string]string{"Origin": "http://evil.example.com"}))
		assert.Equal(t, http.StatusOK, get(map[string]string{"Origin": "https://app.example.com"}), "allowed origin")
		assert.Equal(t, http.StatusOK, get(nil))
		resp := rawPost(t, "http://"+addr+"/message?sessionId=x", initializeBody, map[string]string{"Host": "evil.example.com"})
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
}

// TestHTTPLimits checks the body limit (413), /healthz, unknown paths and
// the session cap on the real binary.
func TestHTTPLimits(t *testing.T) {
	t.Parallel()
	p := startProc(t, nil, "--sandbox", "--transport", "http", "--listen", "127.0.0.1:0",
		"--max-request-bytes", "4096", "--max-sessions", "1")
	base := "http://" + p.listenAddr()

	resp, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "ok\n", string(body))

	big := `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"` + strings.Repeat("x", 8192) + `"}}`
	resp = rawPost(t, base+"/mcp", big, nil)
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)

	resp, err = http.Get(base + "/nope")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	resp = rawPost(t, base+"/mcp", initializeBody, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	sid := resp.Header.Get("Mcp-Session-Id")
	require.NotEmpty(t, sid)
	resp = rawPost(t, base+"/mcp", initializeBody, nil)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "one session at most")
	resp = rawPost(t, base+"/mcp", `{"jsonrpc":"2.0","id":2,"method":"ping"}`, map[string]string{
		"Mcp-Session-Id": "okta-mcp-FORGED", "MCP-Protocol-Version": "2025-11-25"})
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "unknown session ids are refused")

	// Ending the session frees its place.
	req, _ := http.NewRequest(http.MethodDelete, base+"/mcp", nil)
	req.Header.Set("Mcp-Session-Id", sid)
	req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp = rawPost(t, base+"/mcp", initializeBody, nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// slowOrg is an in-memory org served on 127.0.0.1 whose GET of slowUserID
// waits until released, so that a call is in flight for as long as a test
// needs.
type slowOrg struct {
	url     string
	arrived chan struct{}
	release chan struct{}
	once    sync.Once
}

// unblock lets the held requests (and all later ones) through.
func (so *slowOrg) unblock() { so.once.Do(func() { close(so.release) }) }

// adaID is Ada Lovelace (ada.lovelace@example.com) in the demo org.
const adaID = "00u75w1rvpXJRZYTDRkL"

const slowUserID = adaID

func newSlowOrg(t *testing.T) *slowOrg {
	t.Helper()
	org, err := sandbox.New(sandbox.Options{})
	require.NoError(t, err)
	so := &slowOrg{arrived: make(chan struct{}, 10), release: make(chan struct{})}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/"+slowUserID) {
			so.arrived <- struct{}{}
			select {
			case <-so.release:
			case <-r.Context().Done():
				return
			}
		}
		org.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		so.unblock()
		ts.Close()
	})
	so.url = ts.URL
	return so
}

// TestGracefulShutdown sends SIGTERM while a tool call is in flight: the
// call completes with its result and the process exits 0 (on stdio with
// stdin still open); new calls are refused meanwhile.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	t.Run("stdio", func(t *testing.T) {
		t.Parallel()
		org := newSlowOrg(t)
		r := startRawStdio(t, "--allow-http", "--shutdown-timeout", "20s")
		r.initialize()
		creds := `"apiKey":"` + sandbox.DefaultToken + `","domain":"` + org.url + `"`
		r.send(`{"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"okta_get_user","arguments":{"userId":"` + slowUserID + `",` + creds + `}}}`)
		waitArrived(t, org)
		require.NoError(t, r.cmd.Process.Signal(syscall.SIGTERM))
		require.Eventually(t, func() bool { return strings.Contains(r.stderr.String(), "okta-mcp shutting down") },
			10*time.Second, 10*time.Millisecond, "the server is draining")
		r.send(`{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"okta_list_users","arguments":{"limit":1,` + creds + `}}}`)
		refused := toolResult(t, r.response(11))
		assert.Equal(t, true, refused["isError"])
		assert.Contains(t, fmt.Sprint(refused["content"]), "shutting down")
		org.unblock()
		res := toolResult(t, r.response(10))
		assert.NotEqual(t, true, res["isError"], "the in-flight call completed: %v", res)
		sc, _ := res["structuredContent"].(map[string]any)
		assert.Equal(t, slowUserID, sc["id"])
		assert.Equal(t, 0, r.drain(30*time.Second), "exit 0 after the drain, with stdin still open")
	})
	for _, transportName := range []string{"http", "sse"} {
		t.Run(transportName, func(t *testing.T) {
			t.Parallel()
			org := newSlowOrg(t)
			s := &session{t: t, creds: map[string]any{"domain": org.url, "apiKey": sandbox.DefaultToken}}
			p := startProc(t, nil, "--allow-http", "--shutdown-timeout", "20s",
				"--transport", transportName, "--listen", "127.0.0.1:0")
			base := "http://" + p.listenAddr()
			if transportName == "sse" {
				s.c = connectSSE(t, base+"/sse", clientOptions{legacy: true})
			} else {
				s.c = connectHTTP(t, base+"/mcp", clientOptions{legacy: true})
			}
			done := make(chan *mcp.CallToolResult, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				req := mcp.CallToolRequest{}
				req.Params.Name = "okta_get_user"
				req.Params.Arguments = map[string]any{"userId": slowUserID, "domain": org.url, "apiKey": sandbox.DefaultToken}
				res, err := s.c.CallTool(ctx, req)
				if err != nil {
					res = mcp.NewToolResultError("protocol error: " + err.Error())
				}
				done <- res
			}()
			waitArrived(t, org)
			p.signal(syscall.SIGTERM)
			// Draining: /healthz says so, or the listener is already closed.
			require.Eventually(t, func() bool {
				resp, err := http.Get(base + "/healthz")
				if err != nil {
					return true
				}
				resp.Body.Close()
				return resp.StatusCode == http.StatusServiceUnavailable
			}, 10*time.Second, 20*time.Millisecond)
			// Hold the call well past the moment the server would close the
			// streams if it did not wait for calls in flight.
			time.Sleep(time.Second)
			org.unblock()
			select {
			case res := <-done:
				require.False(t, res.IsError, "the in-flight call failed: %s", resultText(res))
				assert.Equal(t, slowUserID, structured(t, res)["id"])
			case <-time.After(30 * time.Second):
				t.Fatal("the in-flight call never completed")
			}
			assert.Equal(t, 0, p.exit(30*time.Second))
			assert.Contains(t, p.Stderr(), "okta-mcp stopped")
		})
	}
}

func waitArrived(t *testing.T, org *slowOrg) {
	t.Helper()
	select {
	case <-org.arrived:
	case <-time.After(20 * time.Second):
		t.Fatal("the call never reached the org")
	}
}

func TestToolsCommand(t *testing.T) {
	t.Parallel()
	// Without --toolsets: the default configuration, as the server serves it.
	stdout, stderr, code := runCmd(t, []string{"OKTA_MCP_TOOLSETS="}, "tools", "--json")
	require.Equal(t, 0, code, stderr)
	var def []catalogEntry
	require.NoError(t, json.Unmarshal([]byte(stdout), &def))
	assert.Len(t, def, len(tools.Catalog(tools.Options{})), "the default configuration")
	for _, e := range def {
		assert.NotContains(t, []string{"okta_create_group", "okta_update_group", "okta_delete_group", "okta_get_system_log"}, e.Name)
	}

	stdout, stderr, code = runCmd(t, nil, "tools", "--json", "--toolsets", "all")
	require.Equal(t, 0, code, stderr)
	var entries []catalogEntry
	require.NoError(t, json.Unmarshal([]byte(stdout), &entries))
	require.Len(t, entries, toolCount)
	seen := map[string]bool{}
	toolsets := map[string]bool{"users": true, "lifecycle": true, "groups": true, "members": true, "security": true, "logs": true, "workflows": true}
	readOnly := 0
	for _, e := range entries {
		assert.True(t, strings.HasPrefix(e.Name, "okta_"), e.Name)
		assert.False(t, seen[e.Name], "duplicate %s", e.Name)
		seen[e.Name] = true
		assert.True(t, toolsets[e.Toolset], "%s: toolset %q", e.Name, e.Toolset)
		assert.NotEmpty(t, e.Description, e.Name)
		if e.ReadOnly {
			readOnly++
		}
	}
	assert.True(t, seen["okta_get_user"] && seen["okta_delete_user"])

	stdout, _, code = runCmd(t, nil, "tools", "--json", "--read-only")
	require.Equal(t, 0, code)
	require.NoError(t, json.Unmarshal([]byte(stdout), &entries))
	assert.Len(t, entries, readOnly)
	for _, e := range entries {
		assert.True(t, e.ReadOnly, e.Name)
	}

	_, stderr, code = runCmd(t, nil, "tools", "--toolsets", "nope")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown toolset "nope"`)

	stdout, _, code = runCmd(t, nil, "tools")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, "NAME")
	assert.Contains(t, stdout, "okta_list_group_members")
}

func TestVersionCommand(t *testing.T) {
	t.Parallel()
	stdout, _, code := runCmd(t, nil, "version")
	require.Equal(t, 0, code)
	assert.Regexp(t, `^okta-mcp \S+\n$`, stdout)
}

// TestStartupErrors: bad configuration exits non-zero with a clear message
// that never echoes a secret.
func TestStartupErrors(t *testing.T) {
	t.Parallel()
	const secret = "00super-secret-token-value"
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	require.NoError(t, os.WriteFile(keyFile, []byte("not a key"), 0o600))
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"token without org url", []string{"OKTA_API_TOKEN=" + secret}, nil, "OKTA_ORG_URL"},
		{"org url without token", []string{"OKTA_ORG_URL=https://dev-1.okta.com"}, nil, "OKTA_API_TOKEN"},
		{"hostile org url", []string{"OKTA_ORG_URL=https://169.254.169.254", "OKTA_API_TOKEN=" + secret}, nil, "org URL"},
		{"unknown command", nil, []string{"frobnicate"}, "unknown command"},
		{"bad flag", nil, []string{"--no-such-flag"}, "no-such-flag"},
		{"short auth token", []string{"OKTA_MCP_AUTH_TOKEN=abc"}, []string{"--transport", "http"}, "too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCmd(t, tt.env, tt.args...)
			assert.NotEqual(t, 0, code)
			assert.Contains(t, stderr, tt.want)
			assert.NotContains(t, stderr+stdout, secret)
			assert.Empty(t, stdout, "errors go to stderr")
		})
	}
}

// TestSandboxCommand serves the in-memory org over HTTP and checks Okta's
// API shape and token.
func TestSandboxCommand(t *testing.T) {
	t.Parallel()
	base := startSandbox(t, "--token", "custom-sandbox-token-123456")
	get := func(auth string) int {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/users?limit=1", nil)
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, 200, get("SSWS custom-sandbox-token-123456"))
	assert.Equal(t, 401, get("SSWS "+sandbox.DefaultToken))

	s := &session{t: t, creds: map[string]any{"domain": base, "apiKey": "custom-sandbox-token-123456"}}
	s.c, _ = connectStdio(t, nil, []string{"--allow-http"}, clientOptions{})
	out := s.ok("okta_list_users", map[string]any{"limit": 2})
	assert.EqualValues(t, 2, out["count"])
	assert.NotEmpty(t, out["nextCursor"])
}

// TestHeaderCredentials: one server without credentials of its own serves
// an org named by the X-Okta-Org-URL / X-Okta-API-Token headers of each HTTP
// request, on both HTTP transports (the transports pass the headers to the
// tools).
func TestHeaderCredentials(t *testing.T) {
	t.Parallel()
	org := startSandbox(t)
	for _, transportName := range []string{"http", "sse"} {
		t.Run(transportName, func(t *testing.T) {
			t.Parallel()
			p := startProc(t, nil, "--allow-http", "--transport", transportName, "--listen", "127.0.0.1:0")
			base := "http://" + p.listenAddr()
			o := clientOptions{legacy: true, headers: map[string]string{
				"X-Okta-Org-URL": org, "X-Okta-API-Token": sandbox.DefaultToken,
			}}
			s := &session{t: t}
			if transportName == "sse" {
				s.c = connectSSE(t, base+"/sse", o)
			} else {
				s.c = connectHTTP(t, base+"/mcp", o)
			}
			got := s.ok("okta_get_user", map[string]any{"userId": "ada.lovelace@example.com"})
			assert.Equal(t, adaID, got["id"])
			assert.NotContains(t, p.Stderr(), sandbox.DefaultToken, "the header token is never logged")
		})
	}
}

// TestStreamsOutliveWriteTimeout: --write-timeout bounds single writes, not
// streams: an SSE stream idle for longer still carries the next answer.
// And idle MCP sessions expire (--session-idle-timeout): their id then gets
// 404.
func TestStreamsAndIdleSessions(t *testing.T) {
	t.Parallel()
	t.Run("sse stream outlives the write timeout", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, nil, "--sandbox", "--transport", "sse", "--listen", "127.0.0.1:0", "--write-timeout", "1s")
		s := &session{t: t}
		s.c = connectSSE(t, "http://"+p.listenAddr()+"/sse", clientOptions{legacy: true})
		time.Sleep(2500 * time.Millisecond)
		s.ok("okta_get_user", map[string]any{"userId": adaID})
	})
	t.Run("idle sessions expire", func(t *testing.T) {
		t.Parallel()
		p := startProc(t, nil, "--sandbox", "--transport", "http", "--listen", "127.0.0.1:0", "--session-idle-timeout", "1s")
		url := "http://" + p.listenAddr() + "/mcp"
		resp := rawPost(t, url, initializeBody, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		sid := resp.Header.Get("Mcp-Session-Id")
		ping := func() int {
			return rawPost(t, url, `{"jsonrpc":"2.0","id":2,"method":"ping"}`, map[string]string{
				"Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25"}).StatusCode
		}
		require.Equal(t, http.StatusOK, ping(), "a live session")
		// The sweeper runs every second; each ping would renew the session.
		time.Sleep(3 * time.Second)
		assert.Equal(t, http.StatusNotFound, ping(), "the session expired once idle for longer than the timeout")
	})
}

// TestOAuthServerCredentials runs okta-mcp with an OAuth service app in its
// environment against an in-memory org (on 127.0.0.1) that registers the
// app: the tools then work without apiKey/domain, and the key never shows in
// the logs. With only read scopes granted, a write is refused by the org.
func TestOAuthServerCredentials(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	keyFile := filepath.Join(t.TempDir(), "service-app.pem")
	require.NoError(t, os.WriteFile(keyFile, []byte(keyPEM), 0o600))

	org, err := sandbox.New(sandbox.Options{OAuthClients: []sandbox.OAuthClient{{
		ClientID: "0oaServiceApp", PublicKey: &key.PublicKey, KeyID: "key-1",
		Scopes: []string{"okta.users.read", "okta.groups.read"},
	}}})
	require.NoError(t, err)
	ts := httptest.NewServer(org)
	t.Cleanup(ts.Close)

	s := &session{t: t}
	var stderr *syncBuffer
	s.c, stderr = connectStdio(t, []string{
		"OKTA_ORG_URL=" + ts.URL, "OKTA_CLIENT_ID=0oaServiceApp", "OKTA_PRIVATE_KEY_FILE=" + keyFile,
		"OKTA_KEY_ID=key-1", "OKTA_SCOPES=okta.users.read okta.groups.read",
	}, []string{"--allow-http", "--log-level", "debug"}, clientOptions{})
	checkToolList(t, s, "server")
	got := s.ok("okta_get_user", map[string]any{"userId": "ada.lovelace@example.com"})
	assert.Equal(t, adaID, got["id"])
	text := s.fails("okta_create_group", map[string]any{"name": "Not allowed"})
	assert.Contains(t, text, "scope", "the org refuses a write outside the granted scopes")
	assert.Contains(t, stderr.String(), "oauth:0oaServiceApp", "the log names the credential")
	assert.NotContains(t, stderr.String(), "PRIVATE KEY")
}

// TestAuditLogFile: with --audit-log, every write is a JSON line in the file
// (and not on stderr), naming the tool and the credential but never the
// secret.
func TestAuditLogFile(t *testing.T) {
	t.Parallel()
	org := startSandbox(t)
	auditFile := filepath.Join(t.TempDir(), "audit.jsonl")
	s := &session{t: t, creds: map[string]any{"domain": org, "apiKey": sandbox.DefaultToken}}
	var stderr *syncBuffer
	s.c, stderr = connectStdio(t, nil, []string{"--allow-http", "--audit-log", auditFile}, clientOptions{})
	g := s.ok("okta_create_group", map[string]any{"name": "Audited " + uniqueEmail("g")})
	s.ok("okta_get_group", map[string]any{"groupId": g["id"]})

	b, err := os.ReadFile(auditFile)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Len(t, lines, 1, "one line per write, none for reads: %s", b)
	var line map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &line))
	assert.Contains(t, lines[0], "okta_create_group")
	assert.Contains(t, lines[0], g["id"])
	assert.NotContains(t, string(b), sandbox.DefaultToken)
	assert.Equal(t, "audit", line["log"])
	assert.NotContains(t, stderr.String(), "log=audit", "audit lines go to the file, not stderr")

	// Without --audit-log they are on stderr.
	s2 := &session{t: t, creds: s.creds}
	s2.c, stderr = connectStdio(t, nil, []string{"--allow-http"}, clientOptions{})
	s2.ok("okta_create_group", map[string]any{"name": "Audited " + uniqueEmail("g")})
	assert.Eventually(t, func() bool { return strings.Contains(stderr.String(), "log=audit") }, 5*time.Second, 20*time.Millisecond)
	assert.NotContains(t, stderr.String(), sandbox.DefaultToken)
}
