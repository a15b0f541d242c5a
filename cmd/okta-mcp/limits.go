package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/tools"
	"github.com/okta-mcp/okta-mcp/tools/mcpauth"
)

// sessionLimiter caps the concurrent sessions of the sse and http transports
// and the requests in flight in each streamable HTTP session.
//
// A "session" is an initialized streamable HTTP session, an open SSE stream,
// or a request in flight that belongs to no session (stateless mode, the
// 2026-07-28 protocol, initialize itself). In stateful http mode the limiter
// is also the mcp-go SessionIdManager, so it knows every live session: it
// mints their ids, mcp-go's idle sweeper and DELETE end them, and unknown ids
// are refused.
type sessionLimiter struct {
	maxSessions int
	perSession  int

	mu       sync.Mutex
	slots    int               // open streams and sessionless requests in flight
	sessions map[string]int    // live session id -> requests in flight
	owners   map[string]string // session id -> the person who started it (OAuth)
	sseOwner map[string]string // SSE session id -> the person whose stream it is (OAuth)
}

var _ server.SessionIdManager = (*sessionLimiter)(nil)

func newSessionLimiter(maxSessions, perSession int) *sessionLimiter {
	return &sessionLimiter{maxSessions: maxSessions, perSession: perSession, sessions: map[string]int{}, owners: map[string]string{}, sseOwner: map[string]string{}}
}

// acquireSlot takes a session slot; false when all are taken.
func (l *sessionLimiter) acquireSlot() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.slots+len(l.sessions) >= l.maxSessions {
		return false
	}
	l.slots++
	return true
}

func (l *sessionLimiter) releaseSlot() {
	l.mu.Lock()
	l.slots--
	l.mu.Unlock()
}

// acquireCall counts a request in session id. known is false for an id the
// limiter did not mint (or that has ended); ok is false when the session has
// perSession requests in flight already.
func (l *sessionLimiter) acquireCall(id string) (ok, known bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, known := l.sessions[id]
	if !known {
		return false, false
	}
	if n >= l.perSession {
		return false, true
	}
	l.sessions[id] = n + 1
	return true, true
}

func (l *sessionLimiter) releaseCall(id string) {
	l.mu.Lock()
	if n, ok := l.sessions[id]; ok && n > 0 {
		l.sessions[id] = n - 1
	}
	l.mu.Unlock()
}

func (l *sessionLimiter) known(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.sessions[id]
	return ok
}

// count returns the number of sessions taken (for tests and logs).
func (l *sessionLimiter) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.slots + len(l.sessions)
}

// Generate implements server.SessionIdManager. mcp-go calls it while
// answering initialize, which holds a slot, so the cap still holds.
func (l *sessionLimiter) Generate() string {
	id := "okta-mcp-" + rand.Text()
	l.mu.Lock()
	l.sessions[id] = 0
	l.mu.Unlock()
	return id
}

// Validate implements server.SessionIdManager: only live sessions are valid.
func (l *sessionLimiter) Validate(id string) (isTerminated bool, err error) {
	if !l.known(id) {
		return false, errors.New("unknown session")
	}
	return false, nil
}

// Terminate implements server.SessionIdManager.
func (l *sessionLimiter) Terminate(id string) (isNotAllowed bool, err error) {
	l.mu.Lock()
	delete(l.sessions, id)
	delete(l.owners, id)
	l.mu.Unlock()
	return false, nil
}

// personOf is the person of an OAuth-authenticated request, or "".
func personOf(r *http.Request) string {
	if id, ok := mcpauth.IdentityFrom(r.Context()); ok {
		return id.Key()
	}
	return ""
}

// ownedByOther reports whether session id was started by another person
// than the request's: a session stays with the person who initialized it.
func (l *sessionLimiter) ownedByOther(id string, r *http.Request) bool {
	who := personOf(r)
	l.mu.Lock()
	defer l.mu.Unlock()
	owner, ok := l.owners[id]
	return ok && owner != who
}

// ownerRecorder records, when the response to an initialize carries a new
// session id, the person who started that session.
type ownerRecorder struct {
	http.ResponseWriter
	l       *sessionLimiter
	who     string
	checked bool
}

func (o *ownerRecorder) record() {
	if o.checked {
		return
	}
	o.checked = true
	if id := o.Header().Get(server.HeaderKeySessionID); id != "" {
		o.l.mu.Lock()
		if _, live := o.l.sessions[id]; live {
			o.l.owners[id] = o.who
		}
		o.l.mu.Unlock()
	}
}

func (o *ownerRecorder) WriteHeader(code int) { o.record(); o.ResponseWriter.WriteHeader(code) }
func (o *ownerRecorder) Write(b []byte) (int, error) {
	o.record()
	return o.ResponseWriter.Write(b)
}
func (o *ownerRecorder) Flush() {
	o.record()
	if f, ok := o.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
func (o *ownerRecorder) Unwrap() http.ResponseWriter { return o.ResponseWriter }

// streamable returns the middleware for /mcp. In stateless mode every request
// is its own session and the Mcp-Session-Id header is ignored.
func (l *sessionLimiter) streamable(stateless bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sid := r.Header.Get(server.HeaderKeySessionID)
		if stateless {
			sid = ""
		}
		if sid != "" && l.ownedByOther(sid, r) {
			mcpauth.WriteHTTPError(w, http.StatusForbidden, codeForbidden, "forbidden: this MCP session was started with another person's access token; initialize a session of your own")
			return
		}
		if sid != "" {
			if r.Method != http.MethodPost {
				if !l.known(sid) {
					mcpauth.WriteHTTPError(w, http.StatusNotFound, codeNotFound, "unknown or expired session: initialize a new one")
					return
				}
				next.ServeHTTP(w, r)
				return
			}
			if !isJSONRPCRequest(r) {
				// Notifications and the client's answers (to elicitation,
				// for example) never count: a call waiting for one must get it.
				if !l.known(sid) {
					mcpauth.WriteHTTPError(w, http.StatusNotFound, codeNotFound, "unknown or expired session: initialize a new one")
					return
				}
				next.ServeHTTP(w, r)
				return
			}
			ok, known := l.acquireCall(sid)
			if !known {
				mcpauth.WriteHTTPError(w, http.StatusNotFound, codeNotFound, "unknown or expired session: initialize a new one")
				return
			}
			if !ok {
				w.Header().Set("Retry-After", "1")
				mcpauth.WriteHTTPError(w, http.StatusTooManyRequests, codeServerBusy,
					fmt.Sprintf("too many requests in flight in this session (limit %d): wait for one to finish, then retry", l.perSession))
				return
			}
			defer l.releaseCall(sid)
			next.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodPost && r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if !l.acquireSlot() {
			l.busy(w)
			return
		}
		defer l.releaseSlot()
		if who := personOf(r); who != "" && !stateless {
			w = &ownerRecorder{ResponseWriter: w, l: l, who: who}
		}
		next.ServeHTTP(w, r)
	})
}

// isJSONRPCRequest reports whether the (already buffered, see limitBody)
// POST body is a JSON-RPC request, as opposed to a notification or a response;
// a batch counts as a request. It leaves r.Body readable.
func isJSONRPCRequest(r *http.Request) bool {
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return true
	}
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		return true
	}
	var msg struct {
		Method string          `json:"method"`
		ID     json.RawMessage `json:"id"`
	}
	if json.Unmarshal(body, &msg) != nil {
		return true // let mcp-go answer the parse error, counted
	}
	return msg.Method != "" && len(msg.ID) > 0 && string(msg.ID) != "null"
}

// sseStream returns the middleware for GET /sse: each open stream is a
// session.
func (l *sessionLimiter) sseStream(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if !l.acquireSlot() {
			l.busy(w)
			return
		}
		defer l.releaseSlot()
		if who := personOf(r); who != "" {
			rec := &sseOwnerRecorder{ResponseWriter: w, l: l, who: who}
			defer rec.forget()
			w = rec
		}
		next.ServeHTTP(w, r)
	})
}

// sseMessage returns the middleware for POST /message: with OAuth, only the
// person whose stream a session is may post to it (the answers travel on
// that stream).
func (l *sessionLimiter) sseMessage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sid := r.URL.Query().Get("sessionId"); sid != "" {
			who := personOf(r)
			l.mu.Lock()
			owner, ok := l.sseOwner[sid]
			l.mu.Unlock()
			if ok && owner != who {
				mcpauth.WriteHTTPError(w, http.StatusForbidden, codeForbidden, "forbidden: this SSE session was opened with another person's access token; open a stream of your own")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// sseOwnerRecorder finds the session id in the endpoint event that starts
// an SSE stream and records whose stream it is, until the stream ends.
type sseOwnerRecorder struct {
	http.ResponseWriter
	l   *sessionLimiter
	who string
	sid string
}

func (o *sseOwnerRecorder) Write(b []byte) (int, error) {
	if o.sid == "" {
		if _, after, ok := bytes.Cut(b, []byte("sessionId=")); ok {
			end := bytes.IndexFunc(after, func(r rune) bool { return r == '&' || r == '\r' || r == '\n' || r == '"' })
			if end < 0 {
				end = len(after)
			}
			if id := string(after[:end]); id != "" {
				o.sid = id
				o.l.mu.Lock()
				o.l.sseOwner[id] = o.who
				o.l.mu.Unlock()
			}
		}
	}
	return o.ResponseWriter.Write(b)
}

func (o *sseOwnerRecorder) Flush() {
	if f, ok := o.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (o *sseOwnerRecorder) Unwrap() http.ResponseWriter { return o.ResponseWriter }

func (o *sseOwnerRecorder) forget() {
	if o.sid != "" {
		o.l.mu.Lock()
		delete(o.l.sseOwner, o.sid)
		o.l.mu.Unlock()
	}
}

func (l *sessionLimiter) busy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "5")
	mcpauth.WriteHTTPError(w, http.StatusServiceUnavailable, codeServerBusy,
		fmt.Sprintf("too many concurrent sessions (limit %d): close an idle session or retry later", l.maxSessions))
}

// callTracker counts tool calls in flight: per session (a cap that holds on
// every transport, including SSE where a call outlives its HTTP request) and
// in total, so that shutdown can wait for them. Once draining, it refuses new
// calls.
type callTracker struct {
	perSession int

	mu        sync.Mutex
	inflight  int
	bySession map[string]int
	draining  bool
	idle      chan struct{} // closed when inflight drops to 0 while draining
}

func newCallTracker(perSession int) *callTracker {
	return &callTracker{perSession: perSession, bySession: map[string]int{}}
}

// middleware is the tool handler middleware installed on the MCP server.
// Calls count per session, or, for a person authenticated by an OAuth
// access token, per person across all their sessions.
func (t *callTracker) middleware(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		sid := ""
		if s := server.ClientSessionFromContext(ctx); s != nil {
			sid = s.SessionID()
		}
		if who, ok := tools.CallerFrom(ctx); ok {
			sid = "person:" + who.Subject
			if who.UserID != "" {
				sid = "person:" + who.UserID
			}
		}
		if msg := t.begin(sid); msg != "" {
			return mcp.NewToolResultError(msg), nil
		}
		defer t.end(sid)
		return next(ctx, req)
	}
}

// begin counts a call; it returns a refusal message instead when the server
// is shutting down or the session has too many calls in flight.
func (t *callTracker) begin(sid string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.draining {
		return "okta-mcp is shutting down and accepts no new tool calls; nothing was changed. Retry in a moment."
	}
	if sid != "" && t.bySession[sid] >= t.perSession {
		scope := "in this session"
		if strings.HasPrefix(sid, "person:") {
			scope = "for you (across your sessions)"
		}
		return fmt.Sprintf("too many tool calls in flight %s (limit %d); nothing was changed. Wait for a call to finish, then retry.", scope, t.perSession)
	}
	t.inflight++
	if sid != "" {
		t.bySession[sid]++
	}
	return ""
}

func (t *callTracker) end(sid string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.inflight--
	if sid != "" {
		if t.bySession[sid]--; t.bySession[sid] <= 0 {
			delete(t.bySession, sid)
		}
	}
	if t.inflight == 0 && t.idle != nil {
		close(t.idle)
		t.idle = nil
	}
}

// drain refuses new calls from now on.
func (t *callTracker) drain() {
	t.mu.Lock()
	t.draining = true
	t.mu.Unlock()
}

func (t *callTracker) isDraining() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.draining
}

// inFlight returns the number of calls in flight.
func (t *callTracker) inFlight() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.inflight
}

// wait blocks until no call is in flight or ctx ends; it returns the number
// of calls still running.
func (t *callTracker) wait(ctx context.Context) int {
	t.mu.Lock()
	if t.inflight == 0 {
		t.mu.Unlock()
		return 0
	}
	if t.idle == nil {
		t.idle = make(chan struct{})
	}
	idle := t.idle
	t.mu.Unlock()
	select {
	case <-idle:
		return 0
	case <-ctx.Done():
		return t.inFlight()
	}
}

// bodyReadTimeout bounds how long reading one request body may take.
const bodyReadTimeout = 30 * time.Second

// limitBody reads POST bodies up to max bytes (413 beyond) within
// bodyReadTimeout, so that the handlers below see a complete, bounded body.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
			next.ServeHTTP(w, r)
			return
		}
		tooLarge := func() {
			mcpauth.WriteHTTPError(w, http.StatusRequestEntityTooLarge, codeTooLarge,
				fmt.Sprintf("request body too large: the limit is %d bytes", max))
		}
		if r.ContentLength > max {
			tooLarge()
			return
		}
		rc := http.NewResponseController(w)
		_ = rc.SetReadDeadline(time.Now().Add(bodyReadTimeout))
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
		_ = rc.SetReadDeadline(time.Time{})
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				tooLarge()
				return
			}
			mcpauth.WriteHTTPError(w, http.StatusRequestTimeout, codeServerBusy, "could not read the request body")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}
