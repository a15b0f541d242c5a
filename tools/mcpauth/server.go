// Package mcpauth makes okta-mcp's HTTP transports an OAuth 2.0 protected
// resource, as the MCP authorization specification (2025-11-25, 2026-07-28)
// asks: it serves the protected resource metadata (RFC 9728), answers
// requests without a valid access token with 401 and a WWW-Authenticate
// challenge naming that metadata, validates access tokens as JWTs signed by
// the configured authorization server (an Okta custom authorization server),
// and answers a call that needs more scope than the token has with 403
// insufficient_scope, so that the client can step up.
//
// The access token is only ever read here: it is not put in the request
// context, so it cannot travel further (no token passthrough). What goes on
// is the Identity of the person it was issued to.
//
// It knows nothing of okta-mcp's tools: the caller says which tool calls
// need the manage scope (Config.NeedsManage).
package mcpauth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// The two scopes of okta-mcp: read for the tools that never change Okta,
// manage for all tools.
const (
	ScopeRead   = "okta-mcp.read"
	ScopeManage = "okta-mcp.manage"
)

// Config configures a resource server.
type Config struct {
	// Issuer is the authorization server's issuer identifier, e.g.
	// https://dev-1.okta.com/oauth2/default. Its metadata is read from
	// <Issuer>/.well-known/oauth-authorization-server.
	Issuer string
	// Resource is this server's resource identifier: the URL of its MCP
	// endpoint (https://mcp.example.com/mcp), without a trailing slash.
	Resource string
	// Audience is the aud value tokens must carry; default Resource.
	Audience string
	// Scopes are the scopes advertised (scopes_supported); default read and
	// manage.
	Scopes []string
	// NeedsManage reports whether calling the tool needs the manage scope.
	// Nil: no tool does.
	NeedsManage func(tool string) bool
	// AllowHTTP accepts an http:// issuer and key set URL on a loopback host.
	AllowHTTP bool
	// HTTPClient fetches the issuer's metadata and keys; default a client
	// with a 10 s timeout that follows no redirects.
	HTTPClient *http.Client
	// Leeway is the clock skew tolerated on exp, nbf and iat; default 30 s.
	Leeway time.Duration
	// KeyRefetchInterval is the shortest time between two fetches of the
	// issuer's keys caused by unknown key ids; default 30 s.
	KeyRefetchInterval time.Duration
	// KeyMaxAge is how long fetched keys are used before they are fetched
	// again; default 1 h.
	KeyMaxAge time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger receives the reasons tokens are refused (never the tokens).
	Logger *slog.Logger
}

// Server is an OAuth 2.0 resource server for the MCP endpoints.
type Server struct {
	cfg         Config
	audience    string
	metadataURL string
	metadata    http.Handler
	keys        *keySet
	logger      *slog.Logger
}

// New checks cfg and returns a resource server. It does not contact the
// issuer: keys are fetched on first use (see Check to do so at start-up).
func New(cfg Config) (*Server, error) {
	if err := checkURL(cfg.Issuer, cfg.AllowHTTP); err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	if err := checkURL(cfg.Resource, true); err != nil {
		return nil, fmt.Errorf("resource identifier: %w", err)
	}
	if strings.HasSuffix(cfg.Resource, "/") {
		return nil, fmt.Errorf("resource identifier %q: no trailing slash", cfg.Resource)
	}
	if cfg.Audience == "" {
		cfg.Audience = cfg.Resource
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{ScopeRead, ScopeManage}
	}
	if cfg.NeedsManage == nil {
		cfg.NeedsManage = func(string) bool { return false }
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = 30 * time.Second
	}
	if cfg.KeyRefetchInterval == 0 {
		cfg.KeyRefetchInterval = 30 * time.Second
	}
	if cfg.KeyMaxAge == 0 {
		cfg.KeyMaxAge = time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{
			Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	u, _ := url.Parse(cfg.Resource)
	meta := server.ProtectedResourceMetadataConfig{
		Resource:               cfg.Resource,
		AuthorizationServers:   []string{cfg.Issuer},
		ScopesSupported:        cfg.Scopes,
		BearerMethodsSupported: []string{"header"},
		ResourceName:           "okta-mcp",
		ResourceDocumentation:  "https://github.com/okta-mcp/okta-mcp#remote-use-with-oauth",
	}
	return &Server{
		cfg:         cfg,
		audience:    cfg.Audience,
		metadataURL: u.Scheme + "://" + u.Host + server.ProtectedResourceMetadataPath(cfg.Resource),
		metadata:    server.NewProtectedResourceMetadataHandler(meta),
		keys: &keySet{
			issuer:      cfg.Issuer,
			client:      cfg.HTTPClient,
			allowHTTP:   cfg.AllowHTTP,
			minInterval: cfg.KeyRefetchInterval,
			maxAge:      cfg.KeyMaxAge,
			now:         cfg.Now,
		},
		logger: cfg.Logger,
	}, nil
}

// Audience is the aud value tokens must carry.
func (s *Server) Audience() string { return s.audience }

// MetadataURL is the URL of the protected resource metadata named in the
// challenges (the path-suffixed form of RFC 9728 §3).
func (s *Server) MetadataURL() string { return s.metadataURL }

// MetadataPaths are the paths the metadata is served at: the root form and
// the path-suffixed form for the MCP endpoint.
func (s *Server) MetadataPaths() []string {
	paths := []string{server.WellKnownProtectedResourcePath}
	if p := server.ProtectedResourceMetadataPath(s.cfg.Resource); p != paths[0] {
		paths = append(paths, p)
	}
	return paths
}

// MetadataHandler serves the protected resource metadata document.
func (s *Server) MetadataHandler() http.Handler { return s.metadata }

// Check fetches the issuer's metadata and keys now, to report a wrong
// issuer at start-up.
func (s *Server) Check(ctx context.Context) error {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	s.keys.triedAt = s.cfg.Now()
	if err := s.keys.refresh(ctx); err != nil {
		return err
	}
	s.keys.fetchedAt = s.keys.triedAt
	return nil
}

type identityKey struct{}

// IdentityFrom returns the identity of the request's access token, set by
// Wrap.
func IdentityFrom(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}

// Wrap protects next: requests need a valid access token for this resource;
// listing and calling tools need the read scope, calling a tool that
// changes Okta the manage scope (see missingScope). CORS preflights pass without a token. The identity is put in the
// request's context; the Authorization header is removed, so that nothing
// below can forward the token.
func (s *Server) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			next.ServeHTTP(w, r)
			return
		}
		raw, ok := bearer(r)
		if !ok {
			// No credentials: no error code (RFC 6750 §3.1).
			s.challenge(w, r, http.StatusUnauthorized, "", ScopeRead, "no access token: sign in through the MCP client's OAuth flow (the authorization server is named in the protected resource metadata)")
			return
		}
		id, err := s.validate(r.Context(), raw)
		if err != nil {
			if errors.Is(err, ErrKeysUnavailable) {
				s.logger.Error("cannot check MCP access tokens", "issuer", s.cfg.Issuer, "err", err)
				WriteHTTPError(w, http.StatusServiceUnavailable, codeUnavailable, "the authorization server's signing keys could not be fetched; try again later")
				return
			}
			s.challenge(w, r, http.StatusUnauthorized, "invalid_token", ScopeRead, err.Error())
			return
		}
		if scope, why := s.missingScope(r, id); scope != "" {
			s.challenge(w, r, http.StatusForbidden, "insufficient_scope", scope, why)
			return
		}
		r = r.Clone(context.WithValue(r.Context(), identityKey{}, id))
		r.Header.Del("Authorization")
		next.ServeHTTP(w, r)
	})
}

// bearer returns the access token of the Authorization header. Tokens in
// the query string or the body are not accepted (MCP forbids them).
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	t := strings.TrimSpace(h[len(prefix):])
	return t, t != ""
}

// missingScope returns the scope the request's JSON-RPC body (one message
// or a batch) needs beyond what id grants, and why; "" when it needs
// nothing more. Tools need okta-mcp.read (listing or calling them), and the
// tools that change Okta okta-mcp.manage; the rest of the protocol
// (initialize, ping, notifications, prompts) needs a valid token only. It
// leaves r.Body readable.
func (s *Server) missingScope(r *http.Request, id Identity) (scope, why string) {
	if id.CanManage() || r.Method != http.MethodPost || r.Body == nil {
		return "", ""
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return "", ""
	}
	type message struct {
		Method string `json:"method"`
		Params struct {
			Name string `json:"name"`
		} `json:"params"`
	}
	var msgs []message
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		if json.Unmarshal(body, &msgs) != nil {
			return "", ""
		}
	} else {
		var m message
		if json.Unmarshal(body, &m) != nil {
			return "", "" // mcp-go answers the parse error
		}
		msgs = []message{m}
	}
	for _, m := range msgs {
		if m.Method == "tools/call" && s.cfg.NeedsManage(m.Params.Name) {
			return ScopeManage, fmt.Sprintf("%s changes Okta and needs the %s scope; the access token of %s has %s", m.Params.Name, ScopeManage, id.Subject, scopeList(id))
		}
	}
	if id.CanRead() {
		return "", ""
	}
	for _, m := range msgs {
		if m.Method == "tools/call" || m.Method == "tools/list" {
			return ScopeRead, fmt.Sprintf("%s needs the %s scope; the access token of %s has %s", m.Method, ScopeRead, id.Subject, scopeList(id))
		}
	}
	return "", ""
}

func scopeList(id Identity) string {
	var own []string
	for _, sc := range id.Scopes {
		if sc == ScopeRead || sc == ScopeManage {
			own = append(own, sc)
		}
	}
	if len(own) == 0 {
		return "neither " + ScopeRead + " nor " + ScopeManage
	}
	return "only " + strings.Join(own, " ")
}

// challenge answers with status and a Bearer challenge (RFC 6750 §3, RFC
// 9728 §5.1) naming the metadata and the scope the request needs.
func (s *Server) challenge(w http.ResponseWriter, r *http.Request, status int, errCode, scope, why string) {
	v := "Bearer "
	if errCode != "" {
		v += fmt.Sprintf("error=%q, ", errCode)
	}
	v += fmt.Sprintf("scope=%q, resource_metadata=%q", scope, s.metadataURL)
	if errCode != "" {
		v += fmt.Sprintf(", error_description=%q", quoteSafe(why))
	}
	w.Header().Set("WWW-Authenticate", v)
	w.Header().Add("Access-Control-Expose-Headers", "WWW-Authenticate")
	s.logger.Warn("rejected MCP request", "status", status, "reason", why,
		"method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
	code := codeUnauthorized
	if status == http.StatusForbidden {
		code = codeForbidden
	}
	WriteHTTPError(w, status, code, why)
}

// quoteSafe keeps the characters RFC 6750 allows in error_description.
func quoteSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < 0x20 || r > 0x7e {
			return '\''
		}
		return r
	}, s)
}

// JSON-RPC error codes of the HTTP rejections, as okta-mcp's other HTTP
// rejections use them.
const (
	codeUnavailable  = -32000
	codeUnauthorized = -32001
	codeForbidden    = -32002
)

// WriteHTTPError answers an HTTP request with status and a JSON-RPC error
// body (id null), which MCP clients can show. okta-mcp's other HTTP
// rejections (origin, size, sessions, limits) use it too.
func WriteHTTPError(w http.ResponseWriter, status, code int, msg string) {
	body, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0",
		"id":      nil,
		"error":   map[string]any{"code": code, "message": msg},
	})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
