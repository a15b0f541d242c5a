package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
	"github.com/okta-mcp/okta-mcp/tools"
)

// runServe is `okta-mcp [flags]`: it serves MCP until stdin closes (stdio) or
// a signal arrives.
func runServe(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseServeConfig(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "okta-mcp: %v\nRun \"okta-mcp --help\" for the flags and their environment variables.\n", err)
		return 2
	}
	if cfg.transport == "stdio" && isTerminal(stdin) {
		fmt.Fprint(stderr, terminalHint)
	}
	level, _ := parseLevel(cfg.logLevel)
	handler, _ := newLogHandler(stderr, cfg.logFormat, level)
	logger := slog.New(handler)
	// mcp-go's SSE transport and net/http log through the log package: send
	// that to stderr through slog as well.
	slog.SetDefault(logger)

	ctx, cancel := signalContext(context.Background())
	defer cancel()
	if err := serve(ctx, cfg, getenv, logger, stdin, stdout); err != nil {
		logger.Error("okta-mcp stopped", "err", err)
		return 1
	}
	return 0
}

// serve builds the MCP server and runs the configured transport.
func serve(ctx context.Context, cfg *serveConfig, getenv func(string) string, logger *slog.Logger, stdin io.Reader, stdout io.Writer) error {
	v := buildVersion()
	okta.Version = v

	audit, auditCloser, err := openAudit(cfg.auditLog, logger)
	if err != nil {
		return err
	}
	defer auditCloser.Close()

	opts := tools.Options{
		Version:          v,
		ReadOnly:         cfg.readOnly,
		Toolsets:         cfg.toolsets,
		Tools:            cfg.tools,
		AllowUnconfirmed: cfg.allowUnconfirmed,
		ConfirmTimeout:   cfg.confirmTimeout,
		Logger:           logger,
		Audit:            audit,
		ClientConfig: okta.Config{
			AllowHTTP:     cfg.allowHTTP,
			CustomDomains: cfg.customDomains,
			Logger:        logger,
		},
	}
	credMode, err := configureCredentials(cfg, getenv, logger, &opts)
	if err != nil {
		return err
	}
	if cfg.oauthIssuer != "" && opts.ServerClient == nil {
		// No token passthrough: the people's MCP access tokens are never
		// sent to Okta, so the server needs credentials of its own.
		return errors.New("--oauth-issuer needs the server's own Okta credentials (OKTA_ORG_URL with a service app: OKTA_CLIENT_ID, OKTA_PRIVATE_KEY, OKTA_KEY_ID; or OKTA_API_TOKEN) or --sandbox: the people's MCP access tokens are never sent to Okta")
	}
	s, served, err := tools.NewServerCatalog(opts)
	if err != nil {
		return err
	}
	tracker := newCallTracker(cfg.maxCallsPerSession)
	s.Use(tracker.middleware)

	logger.Info("okta-mcp starting", "version", v, "transport", cfg.transport, "credentials", credMode,
		"read_only", cfg.readOnly, "toolsets", servedToolsets(served), "tool_count", len(served),
		"confirmation", confirmationPolicy(cfg.allowUnconfirmed))
	if cfg.allowUnconfirmed {
		logger.Warn("okta-mcp runs with --allow-unconfirmed: sensitive tools (delete, deactivate, password reset, credential-redirecting changes) run without a human's confirmation for clients that cannot ask; their audit lines say confirmed_by=operator_flag")
	}

	switch cfg.transport {
	case "stdio":
		return serveStdio(ctx, cfg, s, tracker, logger, stdin, stdout)
	default:
		return serveHTTP(ctx, cfg, s, served, tracker, logger)
	}
}

// servedToolsets names the toolsets the served tools come from, in catalog
// order, marking those only partly served (--tools, --read-only):
// "users(2/4),groups".
func servedToolsets(served []tools.ToolInfo) string {
	count := map[string]int{}
	for _, t := range served {
		count[t.Toolset]++
	}
	var out []string
	for _, ts := range tools.Toolsets() {
		n := count[ts.Name]
		if n == 0 {
			continue
		}
		if all := len(ts.Read) + len(ts.Write); n < all {
			out = append(out, fmt.Sprintf("%s(%d/%d)", ts.Name, n, all))
		} else {
			out = append(out, ts.Name)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ",")
}

// configureCredentials sets opts.ServerClient for --sandbox or the server's
// environment credentials and describes the credential mode for the log.
func configureCredentials(cfg *serveConfig, getenv func(string) string, logger *slog.Logger, opts *tools.Options) (string, error) {
	creds, credErr := loadServerCredentials(getenv, cfg.readOnly)
	if cfg.sandbox {
		if creds != nil || credErr != nil {
			logger.Warn("--sandbox: ignoring the Okta credentials in the environment")
		}
		org, err := newSandboxOrg(sandbox.Options{}, cfg.sandboxSeed)
		if err != nil {
			return "", err
		}
		client, err := okta.NewClient(okta.Config{
			OrgURL:     sandbox.DemoOrgURL,
			Auth:       okta.APIToken(sandbox.DefaultToken),
			HTTPClient: &http.Client{Transport: org.Transport()},
			Logger:     oktaClientLogger(logger),
		})
		if err != nil {
			return "", fmt.Errorf("sandbox client: %w", err)
		}
		opts.ServerClient = client
		if cfg.sandboxSeed != "" {
			return "sandbox (in-memory org from " + cfg.sandboxSeed + ", " + sandbox.DemoOrgURL + ")", nil
		}
		return "sandbox (in-memory demo org " + sandbox.DemoOrgURL + ")", nil
	}
	if credErr != nil {
		return "", credErr
	}
	if creds == nil {
		return "per-call (apiKey/domain arguments or X-Okta-Org-URL/X-Okta-API-Token headers)", nil
	}
	if creds.signIn != nil {
		auth, interactive, err := newUserAuthenticator(creds, cfg.allowHTTP, cfg.customDomains, getenv, logger)
		if err != nil {
			return "", err
		}
		creds.auth = auth
		if cfg.transport == "stdio" {
			// Local use: the server can run the browser sign-in itself
			// for clients that offer URL-mode elicitation.
			opts.SignIn = interactive
		}
	}
	client, err := okta.NewClient(okta.Config{
		OrgURL:        creds.orgURL,
		Auth:          creds.auth,
		AllowHTTP:     cfg.allowHTTP,
		CustomDomains: cfg.customDomains,
		Logger:        oktaClientLogger(logger),
	})
	if err != nil {
		return "", fmt.Errorf("server credentials: %w", err)
	}
	opts.ServerClient = client
	return "server (" + creds.auth.Describe() + " for " + client.OrgURL().String() + ")", nil
}

// oktaClientLogger is the logger of the server's own Okta client: its
// records go to the server's log, and those logged with a tool call's
// context (retries, rate-limit waits, warnings, the debug line of each
// request) also reach that call's MCP client as notifications/message, at
// the level the client asked for (tools.NewLogHandler). Per-call and
// per-header clients get the same from the tools package.
func oktaClientLogger(logger *slog.Logger) *slog.Logger {
	return slog.New(tools.NewLogHandler(logger.Handler()))
}

// newSandboxOrg builds an in-memory org, from a seed file when one is given.
// A bad seed is reported once, naming the file, the record and the field.
func newSandboxOrg(opts sandbox.Options, seedFile string) (*sandbox.Org, error) {
	if seedFile != "" {
		f, err := os.Open(seedFile)
		if err != nil {
			return nil, fmt.Errorf("seed file: %w", err)
		}
		defer f.Close()
		seed, err := sandbox.LoadSeed(f)
		if err != nil {
			return nil, seedFileError(seedFile, err)
		}
		opts.Seed = seed
	}
	org, err := sandbox.New(opts)
	if err != nil {
		if seedFile != "" {
			return nil, seedFileError(seedFile, err)
		}
		if strings.HasPrefix(err.Error(), "sandbox: ") {
			return nil, err
		}
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	return org, nil
}

func seedFileError(file string, err error) error {
	var se *sandbox.SeedError
	if errors.As(err, &se) {
		return fmt.Errorf("seed file %s: %w", file, se.Err)
	}
	return fmt.Errorf("seed file %s: %w", file, err)
}

// serveStdio serves one client over stdin/stdout. On a signal it refuses new
// tool calls, lets those in flight finish (bounded by --shutdown-timeout),
// then stops.
func serveStdio(ctx context.Context, cfg *serveConfig, s *server.MCPServer, tracker *callTracker, logger *slog.Logger, stdin io.Reader, stdout io.Writer) error {
	stdio := server.NewStdioServer(s)
	stdio.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))
	stdin, stdout, restore := pollable(stdin, stdout)
	defer restore()
	stdin = newResponseIDFilter(stdin, logger)

	// Listen's context is not ctx: cancelling it cancels the calls in flight,
	// which must first get their chance to finish.
	listenCtx, stopListen := context.WithCancel(context.Background())
	defer stopListen()
	done := make(chan error, 1)
	go func() { done <- stdio.Listen(listenCtx, stdin, stdout) }()
	logger.Info("okta-mcp serving MCP on stdio")

	select {
	case err := <-done:
		// stdin closed: the client is gone.
		logger.Info("okta-mcp stdin closed; exiting")
		if errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	tracker.drain()
	logger.Info("okta-mcp shutting down", "calls_in_flight", tracker.inFlight(), "timeout", cfg.shutdownTimeout)
	waitCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	left := tracker.wait(waitCtx)
	stopListen()
	select {
	case <-done: // the stdio server has written the answers of completed calls
	case <-time.After(2 * time.Second):
	}
	if left > 0 {
		return fmt.Errorf("shutdown timeout: %d tool call(s) abandoned", left)
	}
	logger.Info("okta-mcp stopped")
	return nil
}

// confirmationPolicy names the confirmation policy for the start-up log.
func confirmationPolicy(allowUnconfirmed bool) string {
	if allowUnconfirmed {
		return "allow-unconfirmed (sensitive tools run unasked for clients without elicitation)"
	}
	return "required (sensitive tools refuse for clients without elicitation)"
}
