package tools

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// TestUpdateGroupKeepsCustomAttributes: Okta group profiles are
// extensible and replaceGroup replaces the whole profile, so
// okta_update_group must send the custom attributes it read back with the
// new name and description.
func TestUpdateGroupKeepsCustomAttributes(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		seed := sandbox.DemoSeed()
		found := false
		for i, g := range seed.Groups {
			if g.Profile["name"] == "Sales" {
				seed.Groups[i].Profile["costCenter"] = "CC-42"
				seed.Groups[i].Profile["floor"] = json.Number("3")
				seed.Groups[i].Profile["manager"] = nil
				found = true
			}
		}
		require.True(t, found, "the demo org has a Sales group")
		e := newEnv(t, mode, withSandbox(sandbox.Options{Seed: seed}))
		id := e.groupID("Sales")
		before, _ := e.org.LookupGroup(id)

		tests := []struct {
			name, description string // "" = not passed
			wantDescription   any
		}{
			{name: "Sales EMEA", wantDescription: before.Profile["description"]},
			{name: "Sales Europe", description: "Europe", wantDescription: "Europe"},
		}
		for _, tt := range tests {
			args := map[string]any{"groupId": id, "name": tt.name}
			if tt.description != "" {
				args["description"] = tt.description
			}
			out := e.ok("okta_update_group", args)
			assert.Equal(t, tt.name, out["name"])
			g, ok := e.org.LookupGroup(id)
			require.True(t, ok)
			stored, err := json.Marshal(g.Profile)
			require.NoError(t, err)
			want, err := json.Marshal(map[string]any{"name": tt.name, "description": tt.wantDescription,
				"costCenter": "CC-42", "floor": 3, "manager": nil})
			require.NoError(t, err)
			assert.JSONEq(t, string(want), string(stored), "the update keeps the custom attributes")
		}
	})
}
