package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/okta-mcp/okta-mcp/tools"
	"github.com/okta-mcp/okta-mcp/tools/mcpauth"
)

// newResourceServer builds the OAuth resource server of --oauth-issuer. The
// resource identifier is the URL of the MCP endpoint: --base-url + /mcp (or
// /sse), or, on a loopback listener, http://<bound address>/mcp. served are
// the tools the server serves.
func newResourceServer(cfg *serveConfig, served []tools.ToolInfo, bound *net.TCPAddr, loopback bool, logger *slog.Logger) (*mcpauth.Server, error) {
	base := strings.TrimSuffix(cfg.baseURL, "/")
	if base == "" {
		if !loopback {
			return nil, fmt.Errorf("--oauth-issuer on %s, which is not a loopback address, needs --base-url: the public https URL clients reach this server at (the resource identifier is built from it)", cfg.listen)
		}
		base = "http://" + bound.String()
	}
	endpoint := "/mcp"
	if cfg.transport == "sse" {
		endpoint = "/sse"
	}
	// Which tool calls need okta-mcp.manage: the enabled tools that change
	// Okta. Without any, only okta-mcp.read is advertised.
	writes := map[string]bool{}
	for _, t := range served {
		if !t.ReadOnly {
			writes[t.Name] = true
		}
	}
	scopes := []string{mcpauth.ScopeRead, mcpauth.ScopeManage}
	if len(writes) == 0 {
		scopes = scopes[:1]
	}
	return mcpauth.New(mcpauth.Config{
		Issuer:      cfg.oauthIssuer,
		Resource:    base + endpoint,
		Audience:    cfg.oauthAudience,
		Scopes:      scopes,
		NeedsManage: func(tool string) bool { return writes[tool] },
		AllowHTTP:   cfg.allowHTTP,
		Logger:      logger,
	})
}

// checkIssuer fetches the issuer's metadata and keys at start-up; a failure
// is logged, not fatal (the issuer may start later), and tokens are refused
// with 503 until it answers.
func checkIssuer(ctx context.Context, rs *mcpauth.Server, issuer string, logger *slog.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := rs.Check(ctx); err != nil {
		logger.Warn("cannot read the OAuth issuer's keys yet; MCP requests with tokens get 503 until it answers", "issuer", issuer, "err", err)
	}
}

// callerContext is the HTTP context function of OAuth mode: it carries the
// person of the request's access token to the tools. The X-Okta-* header
// credentials are not read: Okta calls use the server's own credentials.
func callerContext(ctx context.Context, r *http.Request) context.Context {
	id, ok := mcpauth.IdentityFrom(r.Context())
	if !ok {
		return ctx
	}
	return tools.WithCaller(ctx, tools.Caller{
		Subject:  id.Subject,
		UserID:   id.UserID,
		ClientID: id.ClientID,
		Manage:   id.CanManage(),
	})
}

// mcpAuthMode describes how the MCP endpoints are protected, for the
// start-up log.
func mcpAuthMode(cfg *serveConfig, rs *mcpauth.Server) string {
	switch {
	case rs != nil:
		return "oauth (issuer " + cfg.oauthIssuer + ", audience " + rs.Audience() + ", metadata " + rs.MetadataURL() + ")"
	case cfg.authToken != "":
		return "bearer token (OKTA_MCP_AUTH_TOKEN)"
	default:
		return "none (loopback only)"
	}
}
