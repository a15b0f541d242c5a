package main

// End-to-end tests: they build the okta-mcp binary once (TestMain) and drive
// it as a client would, over stdio, streamable HTTP and SSE, in both
// credential modes. Everything listens on and talks to 127.0.0.1 only.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/require"
)

// binPath is the okta-mcp binary built by TestMain.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "okta-mcp-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "okta-mcp")
	build := exec.Command("go", "build", "-o", binPath, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building okta-mcp:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// childEnv is the environment of a child process: ours without any OKTA_*
// variable (a developer's real credentials must not leak into tests), plus
// extra. The tests exercise every tool, so OKTA_MCP_TOOLSETS=all unless
// extra says otherwise (TestDefaultToolsets checks the default).
func childEnv(extra ...string) []string {
	env := []string{"OKTA_MCP_TOOLSETS=all"}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OKTA_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// proc is a running okta-mcp process whose stderr is collected.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr chan string // the listen address, once logged

	mu     sync.Mutex
	stderr strings.Builder

	done    chan struct{}
	waitErr error
}

var listenRe = regexp.MustCompile(`listening.* addr=(\S+)`)

// startProc starts okta-mcp with args; stdout is discarded unless the
// caller sets it (stdio tests use the MCP client instead).
func startProc(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, addr: make(chan string, 1), done: make(chan struct{})}
	p.cmd = exec.Command(binPath, args...)
	p.cmd.Env = childEnv(env...)
	stderr, err := p.cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.stderr.WriteString(line + "\n")
			p.mu.Unlock()
			if m := listenRe.FindStringSubmatch(line); m != nil && !sent {
				p.addr <- m[1]
				sent = true
			}
		}
		p.waitErr = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("okta-mcp %s stderr:\n%s", strings.Join(args, " "), p.Stderr())
		}
	})
	return p
}

// Stderr returns what the process wrote to stderr so far.
func (p *proc) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// listenAddr waits for the process to log its listen address.
func (p *proc) listenAddr() string {
	p.t.Helper()
	select {
	case a := <-p.addr:
		return a
	case <-p.done:
		p.t.Fatalf("okta-mcp exited before listening (%v); stderr:\n%s", p.waitErr, p.Stderr())
	case <-time.After(30 * time.Second):
		p.t.Fatalf("okta-mcp did not log a listen address; stderr:\n%s", p.Stderr())
	}
	return ""
}

// exit waits for the process to end and returns its exit code.
func (p *proc) exit(timeout time.Duration) int {
	p.t.Helper()
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.t.Fatalf("okta-mcp did not exit within %s; stderr:\n%s", timeout, p.Stderr())
	}
	return p.cmd.ProcessState.ExitCode()
}

func (p *proc) signal(sig os.Signal) {
	p.t.Helper()
	require.NoError(p.t, p.cmd.Process.Signal(sig))
}

// stop ends the process if it still runs: SIGTERM, then SIGKILL.
func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// runCmd runs okta-mcp to completion and returns stdout, stderr and the exit
// code.
func runCmd(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Env = childEnv(env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			require.NoError(t, err)
		}
	}
	return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
}

// startSandbox runs `okta-mcp sandbox` on a free loopback port and returns
// its base URL.
func startSandbox(t *testing.T, args ...string) string {
	t.Helper()
	p := startProc(t, nil, append([]string{"sandbox", "--listen", "127.0.0.1:0"}, args...)...)
	return "http://" + p.listenAddr()
}

// clientOptions describe how a test connects to okta-mcp.
type clientOptions struct {
	legacy  bool                  // pin protocol 2025-11-25 (MCP sessions) instead of trying 2026-07-28
	headers map[string]string     // extra HTTP headers
	options []client.ClientOption // e.g. an elicitation handler
}

// connectStdio starts okta-mcp over stdio through mcp-go's client; stderr is
// collected into the returned builder.
func connectStdio(t *testing.T, env []string, args []string, o clientOptions) (*client.Client, *syncBuffer) {
	t.Helper()
	stderr := &syncBuffer{}
	tr := transport.NewStdioWithOptions(binPath, nil, args,
		transport.WithCommandFunc(func(ctx context.Context, command string, _ []string, args []string) (*exec.Cmd, error) {
			cmd := exec.CommandContext(ctx, command, args...)
			cmd.Env = childEnv(env...)
			return cmd, nil
		}),
		transport.WithCommandStderrWriter(stderr),
	)
	c := client.NewClient(tr, o.options...)
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() {
		_ = c.Close()
		if t.Failed() {
			t.Logf("okta-mcp stdio stderr:\n%s", stderr.String())
		}
	})
	initialize(t, c, o)
	return c, stderr
}

// connectHTTP connects mcp-go's streamable HTTP client to url (…/mcp).
func connectHTTP(t *testing.T, url string, o clientOptions) *client.Client {
	t.Helper()
	tr, err := transport.NewStreamableHTTP(url, transport.WithHTTPHeaders(o.headers))
	require.NoError(t, err)
	c := client.NewClient(tr, o.options...)
	// Start's context lives as long as the connection (the SSE stream is
	// bound to it), so it ends with the test.
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { _ = c.Close(); cancel() })
	require.NoError(t, c.Start(ctx))
	initialize(t, c, o)
	return c
}

// connectSSE connects mcp-go's legacy SSE client to url (…/sse).
func connectSSE(t *testing.T, url string, o clientOptions) *client.Client {
	t.Helper()
	tr, err := transport.NewSSE(url, client.WithHeaders(o.headers))
	require.NoError(t, err)
	c := client.NewClient(tr, o.options...)
	// Start's context lives as long as the connection (the SSE stream is
	// bound to it), so it ends with the test.
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { _ = c.Close(); cancel() })
	require.NoError(t, c.Start(ctx))
	initialize(t, c, o)
	return c
}

func initialize(t *testing.T, c *client.Client, o clientOptions) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := mcp.InitializeRequest{}
	req.Params.ClientInfo = mcp.Implementation{Name: "okta-mcp-e2e", Version: "1"}
	if o.legacy {
		req.Params.ProtocolVersion = mcp.LATEST_LEGACY_PROTOCOL_VERSION
	}
	res, err := c.Initialize(ctx, req)
	require.NoError(t, err)
	require.Equal(t, "okta-mcp", res.ServerInfo.Name)
}

// syncBuffer is a goroutine-safe strings.Builder.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
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

var _ io.Writer = (*syncBuffer)(nil)
