package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/okta-mcp/okta-mcp/tools/mcpauth"
)

// serveConfig is the configuration of `okta-mcp [flags]`, from flags and
// environment variables.
type serveConfig struct {
	transport           string
	listen              string
	sandbox             bool
	sandboxSeed         string
	readOnly            bool
	toolsets            []string
	tools               []string
	allowHTTP           bool
	customDomains       []string
	logLevel            string
	logFormat           string
	stateless           bool
	authToken           string // from OKTA_MCP_AUTH_TOKEN or --auth-token-file; never logged
	authTokenFile       string
	allowedOrigins      []string
	allowedHosts        []string
	requireConfirmation bool // accepted, no effect: refusing is the default
	allowUnconfirmed    bool
	confirmTimeout      time.Duration
	auditLog            string
	baseURL             string
	oauthIssuer         string // remote MCP authorization: the OAuth issuer whose access tokens are accepted
	oauthAudience       string // the aud those tokens must carry; default the resource identifier
	maxSessions         int
	maxCallsPerSession  int
	maxRequestBytes     int64
	sessionIdleTimeout  time.Duration
	shutdownTimeout     time.Duration
	writeTimeout        time.Duration

	// source names where a flag's value came from (--name or its
	// environment variable), so that errors name what the operator set.
	source func(flag string) string
}

const minAuthTokenLen = 16

// serveUsage is the help of okta-mcp itself: what it is, its commands, and
// the flags of serving.
func serveUsage() string {
	return `okta-mcp: an MCP server for administering Okta users and groups.

An MCP client (Claude Desktop, Claude Code, VS Code, Cursor, ...) starts it and
talks to it over stdio; or serve legacy SSE (/sse, /message) or streamable
HTTP (/mcp) with --transport. Okta credentials come from the environment
(OKTA_ORG_URL with OKTA_API_TOKEN, or an OAuth service app: OKTA_CLIENT_ID,
OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE, OKTA_KEY_ID, OKTA_SCOPES, or
OKTA_CLIENT_ID alone to act as the admin signed in with okta-mcp login); without
them every tool takes apiKey and domain arguments. --sandbox serves the
embedded demo org instead. OKTA_MCP_AUTH_TOKEN protects the HTTP endpoints
with one shared token; --oauth-issuer makes them an OAuth protected resource
(MCP authorization) for people signing in through their MCP client.

` + commandList() + `
Run "okta-mcp <command> --help" for a command's flags.

Flags (serving):
`
}

// parseServeConfig reads the serve flags and their environment variables.
func parseServeConfig(args []string, getenv func(string) string, helpOut io.Writer) (*serveConfig, error) {
	c := &serveConfig{}
	fs := newFlagSet("okta-mcp", helpOut)
	var toolsets, toolList, customDomains, allowedOrigins, allowedHosts string
	var maxRequestBytes int

	fs.StringVar(&c.transport, "transport", "stdio", "MCP transport: stdio, sse (legacy /sse + /message) or http (streamable /mcp)")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "`address` the sse/http transports listen on")
	fs.BoolVar(&c.sandbox, "sandbox", false, "back the tools with the embedded in-memory demo org (no Okta credentials needed)")
	fs.StringVar(&c.sandboxSeed, "sandbox-seed", "", "with --sandbox: load the org from this seed JSON `file` instead of the demo org")
	fs.BoolVar(&c.readOnly, "read-only", false, "expose only tools that never change Okta")
	fs.StringVar(&toolsets, "toolsets", "", "comma `list` of toolsets to expose: default, users, lifecycle, groups, members, security, logs, workflows, or all (default: default, what a typical admin session needs)")
	fs.StringVar(&toolList, "tools", "", "comma `list` of individual tool names to expose (adds to --toolsets)")
	fs.BoolVar(&c.allowHTTP, "allow-http", false, "accept http:// org URLs whose host is a loopback address (local fakes only)")
	fs.StringVar(&customDomains, "custom-domains", "", "comma `list` of extra hosts accepted as org domains (Okta custom URL domains)")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `level`: debug, info, warn or error (logs go to stderr)")
	fs.StringVar(&c.logFormat, "log-format", "text", "log `format`: text or json")
	fs.BoolVar(&c.stateless, "stateless", false, "http transport: no MCP sessions, so replicas can run behind any load balancer")
	fs.StringVar(&c.authTokenFile, "auth-token-file", "", "`file` holding the bearer token clients must send to /mcp, /sse and /message (or set OKTA_MCP_AUTH_TOKEN)")
	fs.StringVar(&allowedOrigins, "allowed-origins", "", "comma `list` of extra origins (https://app.example.com) allowed to call the sse/http endpoints; their hosts are accepted as Host too")
	fs.StringVar(&allowedHosts, "allowed-hosts", "", "comma `list` of extra Host header values (mcp.example.com or mcp.example.com:443) accepted, e.g. behind a reverse proxy")
	fs.BoolVar(&c.allowUnconfirmed, "allow-unconfirmed", false, "let sensitive tools run unconfirmed for clients that cannot ask their human (no MCP elicitation); without it they refuse")
	fs.DurationVar(&c.confirmTimeout, "confirm-timeout", 5*time.Minute, "how long a question to the human (MCP elicitation) stays answerable; a later answer changes nothing")
	fs.BoolVar(&c.requireConfirmation, "require-confirmation", false, "accepted for compatibility, no effect: sensitive tools already refuse for clients that cannot ask their human")
	fs.StringVar(&c.auditLog, "audit-log", "", "append the audit lines (one per write) to this `file` as JSON instead of stderr")
	fs.StringVar(&c.baseURL, "base-url", "", "sse/http: public base `URL` of this server (https://mcp.example.com): announced in the SSE endpoint event (default: relative /message) and, with --oauth-issuer, the base of the resource identifier")
	fs.StringVar(&c.oauthIssuer, "oauth-issuer", "", "sse/http: accept OAuth access tokens (JWTs) from this authorization server `URL` (an Okta custom authorization server, e.g. https://dev-1.okta.com/oauth2/default) instead of OKTA_MCP_AUTH_TOKEN; scopes okta-mcp.read and okta-mcp.manage")
	fs.StringVar(&c.oauthAudience, "oauth-audience", "", "with --oauth-issuer: the `aud` access tokens must carry (default: the resource identifier, --base-url + /mcp)")
	fs.IntVar(&c.maxSessions, "max-sessions", 256, "sse/http: most concurrent sessions (open SSE streams, MCP sessions, sessionless requests in flight); 503 beyond")
	fs.IntVar(&c.maxCallsPerSession, "max-calls-per-session", 16, "most requests in flight in one session (tool calls: per person with --oauth-issuer); 429 (or a tool error on sse/stdio) beyond")
	fs.IntVar(&maxRequestBytes, "max-request-bytes", 1<<20, "sse/http: largest request body in bytes; 413 beyond")
	fs.DurationVar(&c.sessionIdleTimeout, "session-idle-timeout", 30*time.Minute, "http transport: end MCP sessions idle for this long")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "on SIGINT/SIGTERM, how long in-flight calls may take to finish")
	fs.DurationVar(&c.writeTimeout, "write-timeout", 30*time.Second, "sse/http: longest a single write to a client may block (streams themselves are not limited)")

	for name, env := range map[string]string{
		"transport":             "OKTA_MCP_TRANSPORT",
		"listen":                "OKTA_MCP_LISTEN",
		"sandbox":               "OKTA_MCP_SANDBOX",
		"sandbox-seed":          "OKTA_MCP_SANDBOX_SEED",
		"read-only":             "OKTA_MCP_READ_ONLY",
		"toolsets":              "OKTA_MCP_TOOLSETS",
		"tools":                 "OKTA_MCP_TOOLS",
		"allow-http":            "OKTA_MCP_ALLOW_HTTP",
		"custom-domains":        "OKTA_MCP_CUSTOM_DOMAINS",
		"log-level":             "OKTA_MCP_LOG_LEVEL",
		"log-format":            "OKTA_MCP_LOG_FORMAT",
		"stateless":             "OKTA_MCP_STATELESS",
		"auth-token-file":       "OKTA_MCP_AUTH_TOKEN_FILE",
		"allowed-origins":       "OKTA_MCP_ALLOWED_ORIGINS",
		"allowed-hosts":         "OKTA_MCP_ALLOWED_HOSTS",
		"require-confirmation":  "OKTA_MCP_REQUIRE_CONFIRMATION",
		"allow-unconfirmed":     "OKTA_MCP_ALLOW_UNCONFIRMED",
		"confirm-timeout":       "OKTA_MCP_CONFIRM_TIMEOUT",
		"audit-log":             "OKTA_MCP_AUDIT_LOG",
		"base-url":              "OKTA_MCP_BASE_URL",
		"oauth-issuer":          "OKTA_MCP_OAUTH_ISSUER",
		"oauth-audience":        "OKTA_MCP_OAUTH_AUDIENCE",
		"max-sessions":          "OKTA_MCP_MAX_SESSIONS",
		"max-calls-per-session": "OKTA_MCP_MAX_CALLS_PER_SESSION",
		"max-request-bytes":     "OKTA_MCP_MAX_REQUEST_BYTES",
		"session-idle-timeout":  "OKTA_MCP_SESSION_IDLE_TIMEOUT",
		"shutdown-timeout":      "OKTA_MCP_SHUTDOWN_TIMEOUT",
		"write-timeout":         "OKTA_MCP_WRITE_TIMEOUT",
	} {
		fs.bindEnv(name, env)
	}
	fs.Usage = func() { fs.usage(serveUsage())() } // the help text is only built when asked for

	c.source = fs.source
	if err := fs.parse(args, getenv); err != nil {
		return nil, err
	}
	c.toolsets = splitList(toolsets)
	c.tools = splitList(toolList)
	c.customDomains = splitList(customDomains)
	c.allowedOrigins = splitList(allowedOrigins)
	c.allowedHosts = splitList(allowedHosts)
	c.maxRequestBytes = int64(maxRequestBytes)
	c.transport = strings.ToLower(strings.TrimSpace(c.transport))

	if err := c.validate(); err != nil {
		return nil, err
	}
	if err := c.loadAuthToken(getenv); err != nil {
		return nil, err
	}
	if err := c.validateOAuth(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *serveConfig) validate() error {
	src := c.source
	if src == nil {
		src = func(name string) string { return "--" + name }
	}
	switch c.transport {
	case "stdio", "sse", "http":
	case "streamable-http", "streamable":
		c.transport = "http"
	default:
		return badValue(src("transport"), c.transport, []string{"stdio", "sse", "http"})
	}
	if _, err := parseLevel(c.logLevel); err != nil {
		return badValue(src("log-level"), c.logLevel, []string{"debug", "info", "warn", "error"})
	}
	if _, err := newLogHandler(io.Discard, c.logFormat, nil); err != nil {
		return badValue(src("log-format"), c.logFormat, []string{"text", "json"})
	}
	if c.stateless && c.transport != "http" {
		return fmt.Errorf("%s applies to the http transport only (%s is %s)", src("stateless"), src("transport"), c.transport)
	}
	if c.sandboxSeed != "" && !c.sandbox {
		return fmt.Errorf("%s needs --sandbox (or OKTA_MCP_SANDBOX=true)", src("sandbox-seed"))
	}
	if c.maxSessions < 1 {
		return fmt.Errorf("%s must be at least 1", src("max-sessions"))
	}
	if c.maxCallsPerSession < 1 {
		return fmt.Errorf("%s must be at least 1", src("max-calls-per-session"))
	}
	if c.maxRequestBytes < 1024 {
		return fmt.Errorf("%s must be at least 1024", src("max-request-bytes"))
	}
	if c.shutdownTimeout <= 0 {
		return fmt.Errorf("%s must be positive", src("shutdown-timeout"))
	}
	if c.writeTimeout <= 0 {
		return fmt.Errorf("%s must be positive", src("write-timeout"))
	}
	if c.confirmTimeout <= 0 || c.confirmTimeout > time.Hour {
		return errors.New("--confirm-timeout must be positive and at most 1h")
	}
	if c.sessionIdleTimeout < 0 {
		return fmt.Errorf("%s must not be negative", src("session-idle-timeout"))
	}
	for _, o := range c.allowedOrigins {
		if _, err := normalizeOrigin(o); err != nil {
			return fmt.Errorf("%s: %w", src("allowed-origins"), err)
		}
	}
	for _, h := range c.allowedHosts {
		if _, _, err := normalizeHostPort(h); err != nil {
			return fmt.Errorf("%s: %w", src("allowed-hosts"), err)
		}
	}
	if c.baseURL != "" {
		if !strings.HasPrefix(c.baseURL, "http://") && !strings.HasPrefix(c.baseURL, "https://") {
			return fmt.Errorf("%s %q: want an http:// or https:// URL", src("base-url"), c.baseURL)
		}
	}
	return nil
}

// badValue is the error for a value outside a fixed set: it names where the
// value came from (a flag or its environment variable), the accepted values,
// and the nearest one when the value looks like a typo.
func badValue(source, value string, accepted []string) error {
	msg := fmt.Sprintf("%s %q: want %s", source, value, quoteList(accepted))
	if !strings.HasPrefix(source, "--") {
		msg = fmt.Sprintf("environment variable %s=%q: want %s", source, value, quoteList(accepted))
	}
	if n := nearest(value, accepted); n != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", n)
	}
	return errors.New(msg)
}

// validateOAuth checks the remote MCP authorization settings: HTTP
// transports only, and exclusive with the static bearer token.
func (c *serveConfig) validateOAuth() error {
	if c.oauthIssuer == "" {
		if c.oauthAudience != "" {
			return errors.New("--oauth-audience needs --oauth-issuer")
		}
		return nil
	}
	if c.transport == "stdio" {
		return errors.New("--oauth-issuer applies to the sse and http transports (stdio takes no MCP authorization; its credentials come from the environment)")
	}
	if c.authToken != "" {
		return errors.New("--oauth-issuer (OKTA_MCP_OAUTH_ISSUER) and OKTA_MCP_AUTH_TOKEN (or --auth-token-file) are exclusive: use OAuth access tokens for people, or one shared bearer token for a service, not both")
	}
	if err := mcpauth.CheckIssuerURL(c.oauthIssuer, c.allowHTTP); err != nil {
		return fmt.Errorf("--oauth-issuer: %w", err)
	}
	if c.baseURL != "" {
		if u, err := url.Parse(c.baseURL); err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("--base-url %q: with --oauth-issuer, want scheme://host[:port] without a path (the resource identifier is --base-url + /mcp)", c.baseURL)
		}
	}
	return nil
}

// loadAuthToken reads the MCP endpoint token from OKTA_MCP_AUTH_TOKEN or
// --auth-token-file. Error messages never contain the token.
func (c *serveConfig) loadAuthToken(getenv func(string) string) error {
	envTok := strings.TrimSpace(getenv("OKTA_MCP_AUTH_TOKEN"))
	if envTok != "" && c.authTokenFile != "" {
		return errors.New("set OKTA_MCP_AUTH_TOKEN or --auth-token-file, not both")
	}
	tok := envTok
	src := "OKTA_MCP_AUTH_TOKEN"
	if c.authTokenFile != "" {
		b, err := os.ReadFile(c.authTokenFile)
		if err != nil {
			return fmt.Errorf("--auth-token-file: %w", err)
		}
		tok = strings.TrimSpace(string(b))
		src = "--auth-token-file " + c.authTokenFile
		if tok == "" {
			return fmt.Errorf("%s is empty", src)
		}
	}
	if tok == "" {
		return nil
	}
	if len(tok) < minAuthTokenLen {
		return fmt.Errorf("the MCP auth token from %s is too short: use at least %d characters (for example: openssl rand -hex 32)", src, minAuthTokenLen)
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < 0x21 || tok[i] > 0x7e {
			return fmt.Errorf("the MCP auth token from %s contains spaces or non-ASCII characters, which cannot be sent in an Authorization header", src)
		}
	}
	c.authToken = tok
	return nil
}
