package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFirstSentence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"One. Two.", "One."},
		{"Suspend a user, e.g. during an incident. More.", "Suspend a user, e.g. during an incident."},
		{"Ids like 00u... are accepted. More.", "Ids like 00u... are accepted."},
		{"No period", "No period"},
		{"Line one\nLine two", "Line one"},
		{"Ends with a period.", "Ends with a period."},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, firstSentence(tt.in), tt.in)
	}
}

// Issue 9 finding 10: `okta-mcp tools` reads the server's environment
// variables, so it lists what a server started there serves.
func TestToolsCatalogFollowsTheEnvironment(t *testing.T) {
	names := func(env map[string]string, args ...string) []string {
		var out, errb bytes.Buffer
		code := run(append([]string{"tools", "--json"}, args...), envFunc(env), strings.NewReader(""), &out, &errb)
		require.Equal(t, 0, code, errb.String())
		var entries []struct {
			Name     string `json:"name"`
			ReadOnly bool   `json:"readOnly"`
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &entries))
		var n []string
		for _, e := range entries {
			assert.True(t, e.ReadOnly || env["OKTA_MCP_READ_ONLY"] == "", "%s is not read-only", e.Name)
			n = append(n, e.Name)
		}
		return n
	}
	all := names(nil)
	ro := names(map[string]string{"OKTA_MCP_READ_ONLY": "true"})
	assert.Less(t, len(ro), len(all))
	assert.Contains(t, ro, "okta_get_user")
	assert.NotContains(t, ro, "okta_delete_user")
	assert.Equal(t, []string{"okta_get_group"}, names(map[string]string{"OKTA_MCP_TOOLSETS": "none-such-but-tools", "OKTA_MCP_TOOLS": "okta_get_group"}, "--toolsets", ""))
}
