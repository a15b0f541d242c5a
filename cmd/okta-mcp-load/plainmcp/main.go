// Command plainmcp is the plain mcp-go server that okta-mcp's cold start and
// idle memory are compared with (issue 11): it reads tool definitions from a
// JSON file (a tools/list result, {"tools": [...]}, as okta-mcp answers it),
// registers each with mcp-go with a handler that does nothing, and serves
// stdio with server.ServeStdio. okta-mcp-load writes the file from okta-mcp's
// own tools/list, so both servers offer the very same definitions.
//
// Built with -tags https, it is the same server plus what any server that
// fronts a web API links: each tool's handler GETs a URL over HTTPS with an
// API token and returns the decoded JSON, and with PLAIN_HTTP_ADDR set it
// serves streamable HTTP and SSE instead of stdio (see https.go). okta-mcp is
// compared with both builds: the bare one shows everything okta-mcp adds,
// the https one what it adds beyond talking to a web API at all.
//
// Usage: plainmcp TOOLS.json
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: plainmcp TOOLS.json")
		os.Exit(2)
	}
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "plainmcp:", err)
		os.Exit(1)
	}
	// The schemas stay raw JSON, as okta-mcp holds them.
	var list struct {
		Tools []struct {
			Name         string             `json:"name"`
			Title        string             `json:"title"`
			Description  string             `json:"description"`
			InputSchema  json.RawMessage    `json:"inputSchema"`
			OutputSchema json.RawMessage    `json:"outputSchema"`
			Annotations  mcp.ToolAnnotation `json:"annotations"`
		} `json:"tools"`
	}
	if err := json.Unmarshal(b, &list); err != nil {
		fmt.Fprintln(os.Stderr, "plainmcp:", err)
		os.Exit(1)
	}
	s := server.NewMCPServer("plainmcp", "1", server.WithToolCapabilities(false))
	for _, d := range list.Tools {
		t := mcp.NewToolWithRawSchema(d.Name, d.Description, d.InputSchema)
		t.Title = d.Title
		t.RawOutputSchema = d.OutputSchema
		t.Annotations = d.Annotations
		s.AddTool(t, handler)
	}
	if err := serve(s); err != nil {
		fmt.Fprintln(os.Stderr, "plainmcp:", err)
		os.Exit(1)
	}
}

// handler answers every tool call; serve serves the server. The bare build
// does nothing and serves stdio; https.go (-tags https) replaces both.
var (
	handler server.ToolHandlerFunc = func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("ok"), nil
	}
	serve = func(s *server.MCPServer) error { return server.ServeStdio(s) }
)
