package tools

import (
	"context"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEmptyResourcesAndPrompts: okta-mcp offers no resources but declares
// the capability, so that clients which list them (and the conformance
// suite's resources-list) get an empty list instead of "method not found";
// its prompts (prompts_test.go) are listed under the prompts capability,
// with completions. Tools are unaffected.
func TestEmptyResourcesAndPrompts(t *testing.T) {
	for _, proto := range []struct {
		name string
		opt  envOption
	}{{"modern", func(*envConfig) {}}, {"legacy", legacyProtocol()}} {
		t.Run(proto.name, func(t *testing.T) {
			e := newEnv(t, proto.opt, noInitialize())
			ctx := context.Background()
			init := mcp.InitializeRequest{}
			init.Params.ClientInfo = mcp.Implementation{Name: "caps-test", Version: "1"}
			if proto.name == "legacy" {
				init.Params.ProtocolVersion = mcp.LATEST_LEGACY_PROTOCOL_VERSION
			}
			res, err := e.client.Initialize(ctx, init)
			require.NoError(t, err)
			caps := res.Capabilities
			require.NotNil(t, caps.Resources, "resources capability declared")
			assert.False(t, caps.Resources.Subscribe)
			assert.False(t, caps.Resources.ListChanged)
			require.NotNil(t, caps.Prompts, "prompts capability declared")
			assert.False(t, caps.Prompts.ListChanged)
			require.NotNil(t, caps.Tools)
			assert.NotNil(t, caps.Logging)

			resources, err := e.client.ListResources(ctx, mcp.ListResourcesRequest{})
			require.NoError(t, err)
			assert.NotNil(t, resources.Resources, "an empty list, not null")
			assert.Empty(t, resources.Resources)
			templates, err := e.client.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
			require.NoError(t, err)
			assert.Empty(t, templates.ResourceTemplates)
			prompts, err := e.client.ListPrompts(ctx, mcp.ListPromptsRequest{})
			require.NoError(t, err)
			assert.Len(t, prompts.Prompts, 3, "onboarding, offboarding, incident-response")
			require.NotNil(t, caps.Completions, "completions capability declared")

			read := mcp.ReadResourceRequest{}
			read.Params.URI = "file:///etc/passwd"
			_, err = e.client.ReadResource(ctx, read)
			assert.Error(t, err, "there is nothing to read")
			get := mcp.GetPromptRequest{}
			get.Params.Name = "anything"
			_, err = e.client.GetPrompt(ctx, get)
			assert.Error(t, err, "no such prompt")

			assert.Len(t, e.listed(), toolCount, "tools/list is unchanged")
		})
	}
}

func noInitialize() envOption { return func(c *envConfig) { c.noInit = true } }
