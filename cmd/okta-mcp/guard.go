package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/okta-mcp/okta-mcp/tools/mcpauth"
)

// guard protects the MCP endpoints of the sse and http transports (and the
// API of `okta-mcp sandbox`, without a token): DNS
// rebinding protection (Host and Origin checks, 403) and the optional bearer
// token (401). It is the same middleware for both transports, so they behave
// identically.
type guard struct {
	port        string          // the listener's port
	boundIP     net.IP          // the listener's IP; unspecified (0.0.0.0, ::) when listening on all
	listenName  string          // the host name given in --listen, if it was a name
	hosts       map[string]bool // allowed Host values: "name" (any port) or "name:port"
	origins     map[string]bool // allowed origins, normalized
	tokenDigest []byte          // sha256 of the bearer token; nil = no auth
	logger      *slog.Logger
}

type guardConfig struct {
	listenAddr     string // --listen as given
	boundAddr      *net.TCPAddr
	allowedHosts   []string
	allowedOrigins []string
	authToken      string
	logger         *slog.Logger
}

func newGuard(c guardConfig) (*guard, error) {
	g := &guard{
		port:    fmt.Sprint(c.boundAddr.Port),
		boundIP: c.boundAddr.IP,
		hosts:   map[string]bool{},
		origins: map[string]bool{},
		logger:  c.logger,
	}
	if h, _, err := net.SplitHostPort(c.listenAddr); err == nil && h != "" && net.ParseIP(h) == nil {
		g.listenName = canonicalHostname(h)
	}
	for _, h := range c.allowedHosts {
		name, port, err := normalizeHostPort(h)
		if err != nil {
			return nil, err
		}
		g.hosts[joinHostPort(name, port)] = true
	}
	for _, o := range c.allowedOrigins {
		n, err := normalizeOrigin(o)
		if err != nil {
			return nil, err
		}
		g.origins[n] = true
		// The contract: hosts of allowed origins are accepted as Host too
		// (on any port: a TLS-terminating proxy may drop or change it).
		u, _ := url.Parse(n)
		g.hosts[canonicalHostname(u.Hostname())] = true
	}
	if c.authToken != "" {
		d := sha256.Sum256([]byte(c.authToken))
		g.tokenDigest = d[:]
	}
	return g, nil
}

// wrap applies the Host/Origin check, then the bearer token check.
func (g *guard) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, why := g.allowHost(r); !ok {
			g.reject(w, r, http.StatusForbidden, why)
			return
		}
		if ok, why := g.allowOrigin(r); !ok {
			g.reject(w, r, http.StatusForbidden, why)
			return
		}
		if g.tokenDigest != nil && !isPreflight(r) && !g.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="okta-mcp"`)
			mcpauth.WriteHTTPError(w, http.StatusUnauthorized, codeUnauthorized,
				"unauthorized: this server needs an \"Authorization: Bearer <token>\" header with its auth token")
			g.logger.Warn("rejected MCP request", "status", http.StatusUnauthorized, "reason", "missing or wrong bearer token",
				"method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (g *guard) reject(w http.ResponseWriter, r *http.Request, status int, why string) {
	g.logger.Warn("rejected MCP request", "status", status, "reason", why,
		"method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
	mcpauth.WriteHTTPError(w, status, codeForbidden, "forbidden: "+why)
}

// isPreflight reports a CORS preflight, which browsers send without
// credentials.
func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
}

// authorized compares the bearer token in constant time (over digests, so
// that not even the token's length leaks).
func (g *guard) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	d := sha256.Sum256([]byte(strings.TrimSpace(h[len(prefix):])))
	return subtle.ConstantTimeCompare(d[:], g.tokenDigest) == 1
}

// allowHost accepts the listener's own names: loopback names and addresses
// with the listener's port, the bound address, the name given in --listen,
// the connection's local IP when listening on all interfaces, and the
// explicitly allowed hosts. Anything else may be a DNS rebinding attack.
func (g *guard) allowHost(r *http.Request) (bool, string) {
	name, port, err := normalizeHostPort(r.Host)
	if err != nil || name == "" {
		return false, fmt.Sprintf("invalid Host header %q", r.Host)
	}
	if port == "" {
		port = "80"
		if r.TLS != nil {
			port = "443"
		}
	}
	if g.hosts[name] || g.hosts[joinHostPort(name, port)] {
		return true, ""
	}
	if port == g.port {
		if isLoopbackName(name) {
			return true, ""
		}
		if name == g.listenName {
			return true, ""
		}
		if ip := net.ParseIP(name); ip != nil {
			if !g.boundIP.IsUnspecified() && ip.Equal(g.boundIP) {
				return true, ""
			}
			if g.boundIP.IsUnspecified() {
				if la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
					if ta, ok := la.(*net.TCPAddr); ok && ta.IP.Equal(ip) {
						return true, ""
					}
				}
			}
		}
	}
	return false, fmt.Sprintf("Host %q is not this server's address; add it with --allowed-hosts if it is (e.g. behind a reverse proxy)", r.Host)
}

// allowOrigin accepts requests without Origin (non-browser clients),
// same-origin requests (Origin's host is the request's already checked Host)
// and the explicitly allowed origins.
func (g *guard) allowOrigin(r *http.Request) (bool, string) {
	o := r.Header.Get("Origin")
	if o == "" {
		return true, ""
	}
	n, err := normalizeOrigin(o)
	if err != nil {
		return false, fmt.Sprintf("invalid Origin %q", o)
	}
	if g.origins[n] {
		return true, ""
	}
	u, _ := url.Parse(n)
	hname, hport, err := normalizeHostPort(r.Host)
	// Same origin is the same scheme too: an https:// page is not the
	// origin of a plain-http listener. Behind a TLS-terminating proxy
	// (a Host named with --allowed-hosts) the scheme seen here is not the
	// browser's, so only the host and port are compared there.
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	proxied := err == nil && (g.hosts[hname] || g.hosts[joinHostPort(hname, hport)])
	if err == nil && hname == canonicalHostname(u.Hostname()) && (u.Scheme == scheme || proxied) &&
		effectivePort(hport, u.Scheme) == effectivePort(u.Port(), u.Scheme) {
		return true, ""
	}
	return false, fmt.Sprintf("Origin %q is not allowed; add it with --allowed-origins if it should be", o)
}

// normalizeOrigin returns scheme://host[:port] in lower case, without the
// scheme's default port.
func normalizeOrigin(o string) (string, error) {
	o = strings.TrimSpace(o)
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q is not an origin (want scheme://host[:port], e.g. https://app.example.com)", o)
	}
	name := canonicalHostname(u.Hostname())
	if name == "" {
		return "", fmt.Errorf("%q is not an origin", o)
	}
	port := u.Port()
	if port == effectivePort("", u.Scheme) {
		port = ""
	}
	return strings.ToLower(u.Scheme) + "://" + joinHostPort(name, port), nil
}

// normalizeHostPort splits a Host header value (name, name:port, [v6]:port)
// into a lower-case name without trailing dot and the port ("" if absent).
func normalizeHostPort(h string) (name, port string, err error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return "", "", fmt.Errorf("empty host")
	}
	if strings.ContainsAny(h, "/@?#\\ \t") {
		return "", "", fmt.Errorf("%q is not a host", h)
	}
	if n, p, e := net.SplitHostPort(h); e == nil {
		name, port = n, p
		if port == "" {
			return "", "", fmt.Errorf("%q has an empty port", h)
		}
		for _, c := range port {
			if c < '0' || c > '9' {
				return "", "", fmt.Errorf("%q has an invalid port", h)
			}
		}
	} else {
		name = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
		if strings.Contains(name, ":") && net.ParseIP(name) == nil {
			return "", "", fmt.Errorf("%q is not a host", h)
		}
	}
	name = canonicalHostname(name)
	if name == "" {
		return "", "", fmt.Errorf("%q is not a host", h)
	}
	return name, port, nil
}

func canonicalHostname(h string) string {
	h = strings.ToLower(strings.TrimSuffix(strings.Trim(h, "[]"), "."))
	if ip := net.ParseIP(h); ip != nil {
		return ip.String()
	}
	return h
}

func joinHostPort(name, port string) string {
	if port == "" {
		if strings.Contains(name, ":") {
			return "[" + name + "]"
		}
		return name
	}
	return net.JoinHostPort(name, port)
}

func effectivePort(port, scheme string) string {
	if port != "" {
		return port
	}
	if strings.EqualFold(scheme, "https") {
		return "443"
	}
	return "80"
}

// isLoopbackName reports localhost names and loopback IP addresses.
func isLoopbackName(name string) bool {
	if name == "localhost" {
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && ip.IsLoopback()
}

// JSON-RPC error codes used in HTTP-level rejections (implementation-defined
// server errors, -32000 to -32099).
const (
	codeServerBusy   = -32000
	codeUnauthorized = -32001
	codeForbidden    = -32002
	codeTooLarge     = -32003
	codeNotFound     = -32004
)
