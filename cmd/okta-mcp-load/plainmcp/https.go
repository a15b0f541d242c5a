//go:build https

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// The https build: every tool GETs $PLAIN_API_URL/api/v1/users/{userId}
// with "Authorization: SSWS $PLAIN_API_TOKEN" and returns the JSON object it
// gets back, which is the least a server fronting Okta's API must link (an
// HTTPS client, TLS, x509); and PLAIN_HTTP_ADDR, when set, serves streamable
// HTTP on /mcp and SSE on /sse and /message instead of stdio.
func init() {
	client := &http.Client{Timeout: 30 * time.Second}
	handler = func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		u := os.Getenv("PLAIN_API_URL") + "/api/v1/users/" + url.PathEscape(req.GetString("userId", ""))
		r, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return mcp.NewToolResultError(err.Error()), nil
		}
		r.Header.Set("Authorization", "SSWS "+os.Getenv("PLAIN_API_TOKEN"))
		r.Header.Set("Accept", "application/json")
		resp, err := client.Do(r)
		if err != nil {
			return mcp.NewToolResultError(err.Error()), nil
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
			return mcp.NewToolResultError(fmt.Sprintf("HTTP %d: %v", resp.StatusCode, err)), nil
		}
		return mcp.NewToolResultStructuredOnly(out), nil
	}
	serve = func(s *server.MCPServer) error {
		addr := os.Getenv("PLAIN_HTTP_ADDR")
		if addr == "" {
			return server.ServeStdio(s)
		}
		sse := server.NewSSEServer(s)
		mux := http.NewServeMux()
		mux.Handle("/mcp", server.NewStreamableHTTPServer(s))
		mux.Handle("/sse", sse.SSEHandler())
		mux.Handle("/message", sse.MessageHandler())
		return (&http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}).ListenAndServe()
	}
}
