// Command plainmcp is the plain mcp-go server that okta-mcp's cold start and
// idle memory are compared with (issue 11): it reads tool definitions from a
// JSON file (a tools/list result, {"tools": [...]}, as okta-mcp answers it),
// registers each with mcp-go with a handler that does nothing, and serves
// stdio with server.ServeStdio. okta-mcp-load writes the file from okta-mcp's
// own tools/list, so both servers offer the very same definitions.
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
	noop := func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("ok"), nil
	}
	for _, d := range list.Tools {
		t := mcp.NewToolWithRawSchema(d.Name, d.Description, d.InputSchema)
		t.Title = d.Title
		t.RawOutputSchema = d.OutputSchema
		t.Annotations = d.Annotations
		s.AddTool(t, noop)
	}
	if err := server.ServeStdio(s); err != nil {
		fmt.Fprintln(os.Stderr, "plainmcp:", err)
		os.Exit(1)
	}
}
