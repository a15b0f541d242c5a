// Package tools defines okta-mcp's MCP tools (users, lifecycle, groups and
// group members), groups them into toolsets, and builds the MCP server that
// serves them.
package tools

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
)

// Options configure NewServer and Catalog. The zero value serves every tool
// in per-call credential mode.
type Options struct {
	// Version is reported to MCP clients in serverInfo.
	Version string
	// ServerClient, when non-nil, puts the server in server credential mode:
	// tools use this client, apiKey/domain are absent from every schema and
	// refused if sent.
	ServerClient *okta.Client
	// ClientConfig is the template for per-call and per-header clients
	// (AllowHTTP, CustomDomains, HTTPClient, Logger, ...); OrgURL and Auth are
	// filled in per call.
	ClientConfig okta.Config
	// ReadOnly drops every tool that changes Okta.
	ReadOnly bool
	// Toolsets lists the toolsets to serve ("all" = every toolset); empty
	// means all.
	Toolsets []string
	// Tools adds individual tools by name to those of Toolsets.
	Tools []string
	// RequireConfirmation makes confirmation-gated tools refuse to run for
	// clients that cannot ask their human (no MCP elicitation).
	RequireConfirmation bool
	// Logger receives the server's own logs; default: discard.
	Logger *slog.Logger
	// Audit receives one line per write; default: discard.
	Audit *slog.Logger
}

// ToolInfo describes a tool for `okta-mcp tools`.
type ToolInfo struct {
	Name        string `json:"name"`
	Toolset     string `json:"toolset"`
	ReadOnly    bool   `json:"readOnly"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

// NewServer builds the MCP server with the tools selected by opts.
func NewServer(opts Options) (*server.MCPServer, error) {
	s := server.NewMCPServer("okta-mcp", opts.Version,
		server.WithRecovery(),
		server.WithToolCapabilities(false),
		server.WithLogging(),
	)
	return s, nil
}

// Catalog lists the tools NewServer would serve with opts.
func Catalog(opts Options) []ToolInfo {
	return nil
}

type headerCredsKey struct{}

type headerCreds struct {
	orgURL string
	token  string
}

// HTTPContextFunc stores the per-request Okta credentials of an HTTP request
// (headers X-Okta-Org-URL and X-Okta-API-Token) in ctx. Wire it into the
// SSE and streamable HTTP transports.
func HTTPContextFunc(ctx context.Context, r *http.Request) context.Context {
	hc := headerCreds{orgURL: r.Header.Get("X-Okta-Org-URL"), token: r.Header.Get("X-Okta-API-Token")}
	if hc.orgURL == "" && hc.token == "" {
		return ctx
	}
	return context.WithValue(ctx, headerCredsKey{}, hc)
}
