package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

const sandboxUsage = `Usage: okta-mcp sandbox [flags]

Serves the in-memory Okta org's Management API (/api/v1/users, /api/v1/groups,
...) over plain HTTP, for trying okta-mcp or testing Okta clients without a
real org. Point okta-mcp at it in per-call mode with --allow-http and
domain=http://127.0.0.1:8181, apiKey=<the token>.

It is also an authorization server, as Okta lays them out: the org's
(/oauth2/v1/authorize, /token, /device/authorize, /keys, /revoke,
/.well-known/openid-configuration) and the custom server "default"
(/oauth2/default/v1/..., issuer <url>/oauth2/default), with the public client
okta-mcp-sandbox (PKCE, loopback redirects, device grant). Users sign in on
its page with their password (the demo org's: Sandbox-Demo-Passw0rd), or
--auto-approve LOGIN signs that user in without the page.

Flags:
`

// runSandbox is `okta-mcp sandbox`.
func runSandbox(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := newFlagSet("okta-mcp sandbox", stdout)
	var (
		listen, token, seed, logLevel, logFormat string
		autoApprove, tokenRole                   string
		rateLimit                                rateLimitFlag
		allowNonLoopback                         bool
	)
	fs.StringVar(&listen, "listen", "127.0.0.1:8181", "`address` to listen on (loopback only unless --allow-non-loopback)")
	fs.StringVar(&token, "token", "", "the accepted API token (\"Authorization: SSWS <token>\"); default "+sandbox.DefaultToken)
	fs.StringVar(&seed, "seed", "", "load the org from this seed JSON `file` (default: the embedded demo org)")
	fs.StringVar(&tokenRole, "token-role", sandbox.RoleSuperAdmin, "the admin `role` the API token acts with: SUPER_ADMIN, or READ_ONLY_ADMIN (reads work, every change is refused with 403 E0000006), to try okta-mcp with a least-privilege token")
	fs.Var(&rateLimit, "rate-limit", "requests per minute allowed in every endpoint bucket, 429 E0000047 beyond (0 = no limit; default: a standard Okta org's limit of each bucket, e.g. 600 for /api/v1/users)")
	fs.StringVar(&autoApprove, "auto-approve", "", "sign this user (`login`) in without the sign-in page, and approve every device code for them at once (tests, scripted demos)")
	fs.BoolVar(&allowNonLoopback, "allow-non-loopback", false, "allow --listen on a non-loopback address (the sandbox has no TLS)")
	fs.StringVar(&logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.StringVar(&logFormat, "log-format", "text", "log `format`: text or json")
	fs.bindEnv("listen", "OKTA_SANDBOX_LISTEN")
	fs.bindEnv("token", "OKTA_SANDBOX_TOKEN")
	fs.bindEnv("seed", "OKTA_SANDBOX_SEED")
	fs.bindEnv("token-role", "OKTA_SANDBOX_TOKEN_ROLE")
	fs.bindEnv("rate-limit", "OKTA_SANDBOX_RATE_LIMIT")
	fs.bindEnv("auto-approve", "OKTA_SANDBOX_AUTO_APPROVE")
	fs.bindEnv("log-level", "OKTA_MCP_LOG_LEVEL")
	fs.bindEnv("log-format", "OKTA_MCP_LOG_FORMAT")
	fs.Usage = fs.usage(sandboxUsage)
	err := fs.parse(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	roles := []string{sandbox.RoleSuperAdmin, sandbox.RoleReadOnlyAdmin}
	if err == nil && !slices.Contains(roles, tokenRole) {
		err = badValue(fs.source("token-role"), tokenRole, roles)
	}
	var level slog.Level
	if err == nil {
		if level, err = parseLevel(logLevel); err != nil {
			err = badValue(fs.source("log-level"), logLevel, []string{"debug", "info", "warn", "error"})
		}
	}
	var handler slog.Handler
	if err == nil {
		if handler, err = newLogHandler(stderr, logFormat, level); err != nil {
			err = badValue(fs.source("log-format"), logFormat, []string{"text", "json"})
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "okta-mcp sandbox: %v\nRun \"okta-mcp sandbox --help\" for the flags.\n", err)
		return 2
	}
	logger := slog.New(handler)

	ctx, cancel := signalContext(context.Background())
	defer cancel()
	if err := serveSandbox(ctx, sandboxConfig{
		listen: listen, token: token, seed: seed, rateLimit: rateLimit.options(), allowNonLoopback: allowNonLoopback,
		autoApprove: autoApprove, tokenRole: tokenRole,
	}, logger); err != nil {
		logger.Error("okta-mcp sandbox stopped", "err", err)
		return 1
	}
	return 0
}

type sandboxConfig struct {
	listen           string
	token            string
	seed             string
	rateLimit        int // as sandbox.Options.RateLimit
	allowNonLoopback bool
	autoApprove      string
	tokenRole        string // as sandbox.Options.TokenRole
}

// rateLimitFlag is --rate-limit: unset means Okta's default limits; 0 none.
type rateLimitFlag struct {
	n   int
	set bool
}

func (f *rateLimitFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.Itoa(f.n)
}

func (f *rateLimitFlag) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return errors.New("must be a whole number of requests per minute, 0 for no limit")
	}
	f.n, f.set = n, true
	return nil
}

// options is the flag as sandbox.Options.RateLimit.
func (f rateLimitFlag) options() int {
	switch {
	case !f.set:
		return 0
	case f.n == 0:
		return sandbox.NoRateLimit
	}
	return f.n
}

func serveSandbox(ctx context.Context, c sandboxConfig, logger *slog.Logger) error {
	loopback, err := isLoopbackListenAddr(ctx, c.listen)
	if err != nil {
		return err
	}
	if !loopback && !c.allowNonLoopback {
		return fmt.Errorf("refusing to serve the sandbox on %s, which is not a loopback address: "+
			"it speaks plain HTTP and accepts a known token; pass --allow-non-loopback if you really mean it", c.listen)
	}
	org, err := newSandboxOrg(sandbox.Options{Token: c.token, TokenRole: c.tokenRole, RateLimit: c.rateLimit, AutoApprove: c.autoApprove}, c.seed)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return err
	}
	// The same Host/Origin guard as the MCP endpoints: a DNS-rebinding page
	// (Host: attacker.example) must not read the demo org with the known
	// default token, nor make it build Link URLs from a spoofed Host.
	g, err := newGuard(guardConfig{listenAddr: c.listen, boundAddr: ln.Addr().(*net.TCPAddr), logger: logger})
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           g.wrap(org),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	addr := ln.Addr().String()
	rl := "okta-defaults"
	switch {
	case c.rateLimit == sandbox.NoRateLimit:
		rl = "none"
	case c.rateLimit > 0:
		rl = strconv.Itoa(c.rateLimit) + "/min"
	}
	attrs := []any{"addr", addr, "url", "http://" + addr, "rate_limit", rl}
	if c.token == "" {
		// The demo token is a published constant, not a secret.
		attrs = append(attrs, "token", sandbox.DefaultToken)
	}
	if c.seed != "" {
		attrs = append(attrs, "seed", c.seed)
	}
	if c.tokenRole != "" && c.tokenRole != sandbox.RoleSuperAdmin {
		attrs = append(attrs, "token_role", c.tokenRole)
	}
	attrs = append(attrs, "issuer", "http://"+addr, "custom_issuer", "http://"+addr+"/oauth2/default", "client_id", sandbox.PublicClientID)
	if c.autoApprove != "" {
		attrs = append(attrs, "auto_approve", c.autoApprove)
	}
	logger.Info("okta sandbox listening", attrs...)

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("okta sandbox stopped")
	return nil
}
