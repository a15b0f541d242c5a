package main

import (
	"context"
	"sort"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/tools"
)

// Without --toolsets or OKTA_MCP_TOOLSETS the server serves the default
// configuration (issue 11): the group writes are one --toolsets away, and
// calling one by name says how to get it.
func TestDefaultToolsets(t *testing.T) {
	t.Parallel()
	c, _ := connectStdio(t, []string{"OKTA_MCP_TOOLSETS="}, []string{"--sandbox"}, clientOptions{})
	ctx := context.Background()
	res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	require.NoError(t, err)
	var names []string
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
	}
	sort.Strings(names)
	var want []string
	for _, ti := range tools.Catalog(tools.Options{}) {
		want = append(want, ti.Name)
	}
	sort.Strings(want)
	assert.Equal(t, want, names)
	assert.Contains(t, names, "okta_list_groups")
	assert.NotContains(t, names, "okta_create_group")
	assert.NotContains(t, names, "okta_get_system_log")

	var req mcp.CallToolRequest
	req.Params.Name = "okta_create_group"
	req.Params.Arguments = map[string]any{"name": "Nope"}
	r, err := c.CallTool(ctx, req)
	require.NoError(t, err)
	require.True(t, r.IsError)
	require.NotEmpty(t, r.Content)
	txt := r.Content[0].(mcp.TextContent).Text
	assert.Contains(t, txt, "okta_create_group is disabled")
	assert.Contains(t, txt, "--toolsets default,groups")
}
