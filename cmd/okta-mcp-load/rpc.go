package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// protocolVersion is the MCP version the load command speaks: the latest
// session-based one, which every transport of okta-mcp accepts.
const protocolVersion = "2025-11-25"

// rpcMessage is any JSON-RPC 2.0 message read from a server.
type rpcMessage struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *rpcError       `json:"error,omitempty"`
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("json-rpc error %d: %s", e.Code, e.Message) }

// toolResult is the part of a tools/call result the load command checks.
type toolResult struct {
	IsError           bool            `json:"isError"`
	StructuredContent json.RawMessage `json:"structuredContent"`
	Content           []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"content"`
}

// text returns the first text content, for error messages.
func (r *toolResult) text() string {
	for _, c := range r.Content {
		if c.Type == "text" {
			return c.Text
		}
	}
	return ""
}

// requestLine encodes one JSON-RPC request (or notification when id is 0) as a line.
func requestLine(id int64, method string, params any) []byte {
	var b bytes.Buffer
	b.WriteString(`{"jsonrpc":"2.0",`)
	if id != 0 {
		b.WriteString(`"id":`)
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteByte(',')
	}
	b.WriteString(`"method":`)
	m, _ := json.Marshal(method)
	b.Write(m)
	if params != nil {
		p, err := json.Marshal(params)
		if err != nil {
			panic(err) // programming error: params are built by this command
		}
		b.WriteString(`,"params":`)
		b.Write(p)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func initializeParams() map[string]any {
	return map[string]any{
		"protocolVersion": protocolVersion,
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]any{"name": "okta-mcp-load", "version": "1"},
	}
}

// callParams builds tools/call params; a non-empty progressToken asks for
// progress notifications.
func callParams(tool string, args map[string]any, progressToken string) map[string]any {
	p := map[string]any{"name": tool, "arguments": args}
	if progressToken != "" {
		p["_meta"] = map[string]any{"progressToken": progressToken}
	}
	return p
}

// stdioServer is an MCP server process spoken to over its stdin/stdout.
type stdioServer struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *tailBuffer
	nextID int64
	// notifications counts server notifications by method.
	notifications map[string]int
}

// startStdio starts bin with args and env (env is the complete environment).
func startStdio(bin string, args, env []string) (*stdioServer, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	tb := &tailBuffer{max: 8 << 10}
	cmd.Stderr = tb
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &stdioServer{cmd: cmd, stdin: in, stdout: bufio.NewReaderSize(out, 1<<20), stderr: tb, notifications: map[string]int{}}, nil
}

// send writes a request and returns its id.
func (s *stdioServer) send(method string, params any) (int64, error) {
	s.nextID++
	_, err := s.stdin.Write(requestLine(s.nextID, method, params))
	return s.nextID, err
}

// notify writes a notification.
func (s *stdioServer) notify(method string, params any) error {
	_, err := s.stdin.Write(requestLine(0, method, params))
	return err
}

// wait reads messages until the response to id arrives, counting
// notifications and answering server pings on the way.
func (s *stdioServer) wait(id int64) (json.RawMessage, error) {
	want := strconv.FormatInt(id, 10)
	for {
		line, err := s.stdout.ReadBytes('\n')
		if err != nil {
			return nil, fmt.Errorf("reading from server: %w (stderr: %s)", err, s.stderr.String())
		}
		var m rpcMessage
		if err := json.Unmarshal(line, &m); err != nil {
			return nil, fmt.Errorf("server wrote a non-JSON line %q: %w", truncate(string(line), 200), err)
		}
		switch {
		case m.Method != "" && len(m.ID) > 0: // a server request: answer pings, refuse the rest
			reply := `{"jsonrpc":"2.0","id":` + string(m.ID) + `,"result":{}}` + "\n"
			if m.Method != "ping" {
				reply = `{"jsonrpc":"2.0","id":` + string(m.ID) + `,"error":{"code":-32601,"message":"not supported by okta-mcp-load"}}` + "\n"
			}
			if _, err := io.WriteString(s.stdin, reply); err != nil {
				return nil, err
			}
		case m.Method != "":
			s.notifications[m.Method]++
		case string(m.ID) == want:
			if m.Error != nil {
				return nil, m.Error
			}
			return m.Result, nil
		}
	}
}

// call sends a request and waits for its result.
func (s *stdioServer) call(method string, params any) (json.RawMessage, error) {
	id, err := s.send(method, params)
	if err != nil {
		return nil, err
	}
	return s.wait(id)
}

// initialize performs the MCP handshake.
func (s *stdioServer) initialize() error {
	if _, err := s.call("initialize", initializeParams()); err != nil {
		return err
	}
	return s.notify("notifications/initialized", nil)
}

// callTool calls a tool and decodes its result.
func (s *stdioServer) callTool(tool string, args map[string]any, progressToken string) (*toolResult, error) {
	raw, err := s.call("tools/call", callParams(tool, args, progressToken))
	if err != nil {
		return nil, err
	}
	var r toolResult
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// stop closes stdin (the MCP way to end a stdio server), waits up to grace
// for the process to exit, then kills it.
func (s *stdioServer) stop(grace time.Duration) {
	_ = s.stdin.Close()
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// tailBuffer keeps the last max bytes written to it (a child's stderr).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.b))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// loopbackClient returns an HTTP client that refuses to dial anything but a
// loopback address: the load command never talks to another host.
func loopbackClient(maxConns int) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			ip := net.ParseIP(host)
			if ip == nil || !ip.IsLoopback() {
				return nil, fmt.Errorf("okta-mcp-load: refusing to dial %s: only loopback addresses are allowed", addr)
			}
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        maxConns * 2,
		MaxIdleConnsPerHost: maxConns * 2,
		IdleConnTimeout:     30 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: 2 * time.Minute}
}

// httpSession is one MCP session over streamable HTTP.
type httpSession struct {
	url    string
	hc     *http.Client
	header http.Header
	sid    string
	nextID atomic.Int64
	// progress counts notifications/progress received on call responses.
	progress atomic.Int64
}

func newHTTPSession(hc *http.Client, url string, header http.Header) *httpSession {
	return &httpSession{url: url, hc: hc, header: header}
}

// post sends one JSON-RPC message and returns the response to it (nil for a
// notification). SSE responses are read to the end.
func (s *httpSession) post(ctx context.Context, id int64, method string, params any) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(requestLine(id, method, params)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range s.header {
		req.Header[k] = v
	}
	if s.sid != "" {
		req.Header.Set("Mcp-Session-Id", s.sid)
	}
	if method != "initialize" {
		req.Header.Set("Mcp-Protocol-Version", protocolVersion)
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if method == "initialize" {
		s.sid = resp.Header.Get("Mcp-Session-Id")
	}
	if resp.StatusCode == http.StatusAccepted {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil, nil
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("%s: HTTP %d: %s", method, resp.StatusCode, truncate(strings.TrimSpace(string(b)), 300))
	}
	want := strconv.FormatInt(id, 10)
	handle := func(data []byte) (json.RawMessage, bool, error) {
		var m rpcMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, false, fmt.Errorf("bad JSON from server: %w", err)
		}
		if m.Method != "" {
			if m.Method == "notifications/progress" {
				s.progress.Add(1)
			}
			return nil, false, nil
		}
		if string(m.ID) != want {
			return nil, false, nil
		}
		if m.Error != nil {
			return nil, true, m.Error
		}
		return m.Result, true, nil
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		r := bufio.NewReader(resp.Body)
		var data []byte
		for {
			line, err := r.ReadBytes('\n')
			line = bytes.TrimRight(line, "\r\n")
			if after, ok := bytes.CutPrefix(line, []byte("data:")); ok {
				data = append(data, bytes.TrimSpace(after)...)
			} else if len(line) == 0 && len(data) > 0 {
				res, done, herr := handle(data)
				data = data[:0]
				if done || herr != nil {
					return res, herr
				}
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					return nil, fmt.Errorf("%s: event stream ended without a response", method)
				}
				return nil, err
			}
		}
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	res, done, err := handle(body)
	if err != nil {
		return nil, err
	}
	if !done {
		return nil, fmt.Errorf("%s: response carries another id", method)
	}
	return res, nil
}

func (s *httpSession) initialize(ctx context.Context) error {
	if _, err := s.post(ctx, s.nextID.Add(1), "initialize", initializeParams()); err != nil {
		return err
	}
	_, err := s.post(ctx, 0, "notifications/initialized", nil)
	return err
}

func (s *httpSession) callTool(ctx context.Context, tool string, args map[string]any, progressToken string) (*toolResult, error) {
	raw, err := s.post(ctx, s.nextID.Add(1), "tools/call", callParams(tool, args, progressToken))
	if err != nil {
		return nil, err
	}
	var r toolResult
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// close ends the session (DELETE), ignoring errors: the server may be stateless.
func (s *httpSession) close(ctx context.Context) {
	if s.sid == "" {
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, s.url, nil)
	if err != nil {
		return
	}
	for k, v := range s.header {
		req.Header[k] = v
	}
	req.Header.Set("Mcp-Session-Id", s.sid)
	if resp, err := s.hc.Do(req); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
