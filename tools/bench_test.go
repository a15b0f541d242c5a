package tools

import (
	"context"
	"net/http"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// BenchmarkGetUserTool measures okta_get_user called through an in-process
// MCP client, against the baseline of the same GET made directly with the
// okta client on the same in-memory org. The difference is what the MCP
// layer costs: JSON-RPC, argument validation, credential resolution and
// result encoding.
func BenchmarkGetUserTool(b *testing.B) {
	ctx := context.Background()
	b.Run("direct-client", func(b *testing.B) {
		org, err := sandbox.New(sandbox.Options{RequestLogSize: -1, RateLimit: sandbox.NoRateLimit})
		if err != nil {
			b.Fatal(err)
		}
		oc, err := okta.NewClient(okta.Config{OrgURL: sandbox.DemoOrgURL, Auth: okta.APIToken(sandbox.DefaultToken), HTTPClient: &http.Client{Transport: org.Transport()}})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := oc.GetUser(ctx, adaID); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, mode := range []struct {
		name string
		opt  envOption
	}{{"mcp-server-credentials", func(*envConfig) {}}, {"mcp-per-call-credentials", perCallMode()}} {
		b.Run(mode.name, func(b *testing.B) {
			e := newEnv(b, mode.opt, withSandbox(sandbox.Options{RequestLogSize: -1, RateLimit: sandbox.NoRateLimit}))
			req := mcp.CallToolRequest{}
			req.Params.Name = "okta_get_user"
			req.Params.Arguments = e.args(map[string]any{"userId": adaID})
			b.ReportAllocs()
			for b.Loop() {
				res, err := e.client.CallTool(ctx, req)
				if err != nil || res.IsError {
					b.Fatal(err, res)
				}
			}
		})
	}
}
