package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/tools"
	"github.com/okta-mcp/okta-mcp/tools/mcpauth"
)

// HTTP server limits. Request bodies have their own deadline (limitBody) and
// writes theirs (--write-timeout); there is deliberately no server-wide
// ReadTimeout or WriteTimeout, as either would cut long-lived SSE streams.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	keepAliveInterval = 30 * time.Second
	// sseFlushGrace lets the SSE streams deliver the answers of the last
	// calls before they are closed at shutdown.
	sseFlushGrace = 250 * time.Millisecond
)

// serveHTTP serves the sse or http transport until ctx ends, then shuts down
// gracefully.
// served are the tools s serves (tools.NewServerCatalog), from which the
// OAuth resource server learns which calls need the manage scope.
func serveHTTP(ctx context.Context, cfg *serveConfig, s *server.MCPServer, served []tools.ToolInfo, tracker *callTracker, logger *slog.Logger) error {
	loopback, err := isLoopbackListenAddr(ctx, cfg.listen)
	if err != nil {
		return err
	}
	if !loopback && cfg.authToken == "" && cfg.oauthIssuer == "" {
		return fmt.Errorf("refusing to listen on %s, which is not a loopback address, without an auth token: "+
			"set OKTA_MCP_AUTH_TOKEN or --auth-token-file (clients then send Authorization: Bearer <token>), or --oauth-issuer, or listen on 127.0.0.1", cfg.listen)
	}
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return err
	}
	bound := ln.Addr().(*net.TCPAddr)

	var rs *mcpauth.Server
	if cfg.oauthIssuer != "" {
		if rs, err = newResourceServer(cfg, served, bound, loopback, logger); err != nil {
			ln.Close()
			return err
		}
		checkIssuer(ctx, rs, cfg.oauthIssuer, logger)
	}
	h, closeSessions, err := buildHTTPHandler(cfg, s, tracker, bound, rs, logger)
	if err != nil {
		ln.Close()
		return err
	}
	srv := newHTTPServer(h, logger)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	path := "/mcp"
	if cfg.transport == "sse" {
		path = "/sse"
	}
	logger.Info("okta-mcp listening", "transport", cfg.transport, "addr", bound.String(),
		"url", "http://"+bound.String()+path, "mcp_auth", mcpAuthMode(cfg, rs), "stateless", cfg.stateless)
	if !loopback {
		logger.Warn("okta-mcp serves plain HTTP on a non-loopback address: put a TLS-terminating proxy in front, " +
			"or the bearer token and any X-Okta-API-Token header travel in clear")
	}

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}

	tracker.drain() // new tool calls are refused, /healthz answers 503
	logger.Info("okta-mcp shutting down", "calls_in_flight", tracker.inFlight(), "timeout", cfg.shutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	// Shutdown closes the listener and idle connections, then waits for the
	// active ones: streamable HTTP POSTs whose calls are still running.
	shutdownDone := make(chan error, 1)
	go func() { shutdownDone <- srv.Shutdown(shutdownCtx) }()
	left := tracker.wait(shutdownCtx)
	if cfg.transport == "sse" && left == 0 {
		// SSE answers travel on the stream after the call returns.
		time.Sleep(sseFlushGrace)
	}
	// Long-lived streams never end by themselves.
	closeSessions(shutdownCtx)
	err = <-shutdownDone
	if err != nil || left > 0 {
		srv.Close()
		if left > 0 {
			return fmt.Errorf("shutdown timeout: %d tool call(s) abandoned", left)
		}
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("okta-mcp stopped")
	return nil
}

// newHTTPServer is the http.Server of the sse and http transports: headers
// bounded in size and read time, idle keep-alive connections closed.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// buildHTTPHandler mounts the transport's endpoints and /healthz on a mux
// behind the guards; with rs (--oauth-issuer), the endpoints need its access
// tokens and the protected resource metadata is served. closeSessions ends
// the open streams at shutdown.
func buildHTTPHandler(cfg *serveConfig, s *server.MCPServer, tracker *callTracker, bound *net.TCPAddr, rs *mcpauth.Server, logger *slog.Logger) (http.Handler, func(context.Context), error) {
	g, err := newGuard(guardConfig{
		listenAddr:     cfg.listen,
		boundAddr:      bound,
		allowedHosts:   cfg.allowedHosts,
		allowedOrigins: cfg.allowedOrigins,
		authToken:      cfg.authToken,
		logger:         logger,
	})
	if err != nil {
		return nil, nil, err
	}
	limiter := newSessionLimiter(cfg.maxSessions, cfg.maxCallsPerSession)
	protect := func(h http.Handler) http.Handler {
		return g.wrap(limitBody(cfg.maxRequestBytes, h))
	}
	contextFunc := tools.HTTPContextFunc
	if rs != nil {
		// The guard checks Host and Origin; the resource server the token,
		// after the body is read (a tools/call's tool decides the scope).
		protect = func(h http.Handler) http.Handler {
			return g.wrap(limitBody(cfg.maxRequestBytes, rs.Wrap(h)))
		}
		contextFunc = callerContext
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if tracker.isDraining() {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "shutting down")
			return
		}
		fmt.Fprintln(w, "ok")
	})
	if rs != nil {
		for _, p := range rs.MetadataPaths() {
			mux.Handle(p, rs.MetadataHandler())
		}
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mcpauth.WriteHTTPError(w, http.StatusNotFound, codeNotFound, fmt.Sprintf("no such endpoint %s; this server serves %s", r.URL.Path, endpointsOf(cfg.transport)))
	})

	var closeSessions func(context.Context)
	switch cfg.transport {
	case "http":
		opts := []server.StreamableHTTPOption{
			server.WithHTTPContextFunc(contextFunc),
			// Our guard does DNS-rebinding protection for both transports,
			// with --allowed-hosts/--allowed-origins.
			server.WithDisableLocalhostProtection(true),
			server.WithStreamableHTTPLogger(logger),
			server.WithHeartbeatInterval(keepAliveInterval),
		}
		if cfg.stateless {
			opts = append(opts, server.WithStateLess(true))
		} else {
			opts = append(opts, server.WithSessionIdManager(limiter), server.WithSessionIdleTTL(cfg.sessionIdleTimeout))
		}
		if len(cfg.allowedOrigins) > 0 {
			opts = append(opts, server.WithStreamableHTTPCORS(server.WithCORSAllowedOrigins(corsOrigins(cfg.allowedOrigins)...)))
		}
		hs := server.NewStreamableHTTPServer(s, opts...)
		mux.Handle("/mcp", protect(sessionRequests(cfg.stateless, noSubscriptionStreams(limiter.streamable(cfg.stateless, hs)))))
		closeSessions = func(ctx context.Context) { _ = hs.Shutdown(ctx) } // no http.Server of its own: ends streams and the sweeper
	case "sse":
		opts := []server.SSEOption{
			server.WithSSEContextFunc(contextFunc),
			server.WithSSEDisableLocalhostProtection(true),
			server.WithKeepAliveInterval(keepAliveInterval),
		}
		if cfg.baseURL != "" {
			// Absolute endpoint URLs for clients behind a path-rewriting
			// proxy; by default the endpoint event carries the relative
			// path /message, which resolves against whatever URL the
			// client used to reach /sse.
			opts = append(opts, server.WithBaseURL(cfg.baseURL))
		} else {
			opts = append(opts, server.WithUseFullURLForMessageEndpoint(false))
		}
		if len(cfg.allowedOrigins) > 0 {
			opts = append(opts, server.WithSSECORS(server.WithCORSAllowedOrigins(corsOrigins(cfg.allowedOrigins)...)))
		}
		ss := server.NewSSEServer(s, opts...)
		mux.Handle("/sse", protect(limiter.sseStream(ss.SSEHandler())))
		mux.Handle("/message", protect(limiter.sseMessage(ss.MessageHandler())))
		closeSessions = func(context.Context) { ss.CloseSessions() }
	default:
		return nil, nil, errors.New("no HTTP transport " + cfg.transport)
	}
	return withWriteDeadlines(cfg.writeTimeout, logger, mux), closeSessions, nil
}

// sessionRequests answers at once the GET and DELETE requests on /mcp that
// cannot mean anything, where mcp-go would open a stream no message ever
// reaches (GET) or answer 200 having ended nothing (DELETE): without
// --stateless, those without an Mcp-Session-Id header (400); with it, all
// of them (405: there are no sessions). Requests of protocol 2026-07-28,
// which has neither, are left to mcp-go, which refuses them itself.
func sessionRequests(stateless bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodDelete || mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) {
			next.ServeHTTP(w, r)
			return
		}
		what := "GET /mcp opens the stream of server messages of an MCP session"
		if r.Method == http.MethodDelete {
			what = "DELETE /mcp ends an MCP session"
		}
		switch {
		case stateless:
			w.Header().Set("Allow", http.MethodPost)
			mcpauth.WriteHTTPError(w, http.StatusMethodNotAllowed, mcp.INVALID_REQUEST,
				"this server runs without MCP sessions (--stateless), so it has no "+strings.ToUpper(r.Method)+" /mcp: "+what+"; send every request with POST /mcp")
		case r.Header.Get(server.HeaderKeySessionID) == "":
			mcpauth.WriteHTTPError(w, http.StatusBadRequest, mcp.INVALID_REQUEST,
				what+": send the Mcp-Session-Id header that the answer to initialize (POST /mcp) carried")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func endpointsOf(transport string) string {
	if transport == "sse" {
		return "/sse, /message and /healthz"
	}
	return "/mcp and /healthz"
}

// corsOrigins returns the allowed origins in the form browsers send.
func corsOrigins(origins []string) []string {
	out := make([]string, 0, len(origins))
	for _, o := range origins {
		if n, err := normalizeOrigin(o); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// isLoopbackListenAddr reports whether addr (host:port) listens on loopback
// only. An empty host, 0.0.0.0 and :: listen everywhere; a name counts as
// loopback only if every address it resolves to is.
func isLoopbackListenAddr(ctx context.Context, addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("--listen %q: %w", addr, err)
	}
	if host == "" {
		return false, nil
	}
	if host == "localhost" {
		return true, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback(), nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return false, fmt.Errorf("--listen %q: %w", addr, err)
	}
	for _, ip := range ips {
		if !ip.IP.IsLoopback() {
			return false, nil
		}
	}
	return len(ips) > 0, nil
}
