package okta_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/contracttest"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

func ptr(s string) *string { return &s }

// TestGroupProfileJSON: custom attributes are flattened into the profile
// object and read back into Extra, numbers exactly; a nil description is
// left out.
func TestGroupProfileJSON(t *testing.T) {
	tests := []struct {
		name    string
		profile okta.GroupProfile
		wire    string
		back    *okta.GroupProfile // what the wire form reads back as, when not profile itself
	}{
		{name: "name only", profile: okta.GroupProfile{Name: "West"}, wire: `{"name":"West"}`},
		{name: "empty description is sent", profile: okta.GroupProfile{Name: "West", Description: ptr("")},
			wire: `{"name":"West","description":""}`},
		{name: "custom attributes after name and description, in key order",
			profile: okta.GroupProfile{Name: "West", Description: ptr("Users in the West"), Extra: map[string]any{
				"costCenter": "CC-42", "floor": json.Number("3"), "big": json.Number("9007199254740993"),
				"remote": true, "manager": nil, "tags": []any{"a", "b"}, "site": map[string]any{"city": "Oslo"},
			}},
			wire: `{"name":"West","description":"Users in the West","big":9007199254740993,"costCenter":"CC-42","floor":3,` +
				`"manager":null,"remote":true,"site":{"city":"Oslo"},"tags":["a","b"]}`},
		{name: "name and description in Extra are ignored",
			profile: okta.GroupProfile{Name: "West", Extra: map[string]any{"name": "East", "description": "d", "x": "y"}},
			wire:    `{"name":"West","x":"y"}`,
			back:    &okta.GroupProfile{Name: "West", Extra: map[string]any{"x": "y"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.profile)
			require.NoError(t, err)
			assert.Equal(t, tt.wire, string(b))
			var back okta.GroupProfile
			require.NoError(t, json.Unmarshal(b, &back))
			want := tt.profile
			if tt.back != nil {
				want = *tt.back
			}
			assert.Equal(t, want, back)
		})
	}

	t.Run("reading", func(t *testing.T) {
		var g okta.Group
		require.NoError(t, json.Unmarshal([]byte(`{"id":"00g1","type":"OKTA_GROUP",
			"profile":{"description":null,"name":"West","costCenter":"CC-42","headcount":12}}`), &g))
		assert.Equal(t, okta.GroupProfile{Name: "West", Extra: map[string]any{"costCenter": "CC-42", "headcount": json.Number("12")}}, g.Profile)

		var empty okta.Group
		require.NoError(t, json.Unmarshal([]byte(`{"id":"00g1","profile":null}`), &empty))
		assert.Equal(t, okta.GroupProfile{}, empty.Profile)

		var p okta.GroupProfile
		assert.Error(t, json.Unmarshal([]byte(`{"name":7}`), &p))
		assert.Error(t, json.Unmarshal([]byte(`[]`), &p))
	})

	t.Run("an attribute that cannot be written", func(t *testing.T) {
		_, err := json.Marshal(okta.GroupProfile{Name: "West", Extra: map[string]any{"bad": func() {}}})
		assert.ErrorContains(t, err, `"bad"`)
	})
}

// TestGroupProfileRoundTrip: custom attributes go to the org on create,
// come back on get, and survive a read-modify-write ReplaceGroup.
func TestGroupProfileRoundTrip(t *testing.T) {
	org, err := sandbox.New(sandbox.Options{})
	require.NoError(t, err)
	c, err := okta.NewClient(okta.Config{OrgURL: sandbox.DemoOrgURL, Auth: okta.APIToken(sandbox.DefaultToken),
		HTTPClient: &http.Client{Transport: contracttest.Wrap(t, org.Transport())}})
	require.NoError(t, err)
	ctx := context.Background()

	extra := map[string]any{"costCenter": "CC-42", "floor": json.Number("3"), "remote": true}
	g, _, err := c.CreateGroup(ctx, okta.GroupProfile{Name: "Custom", Description: ptr("has attributes"), Extra: extra})
	require.NoError(t, err)
	assert.Equal(t, extra, g.Profile.Extra)
	st, ok := org.LookupGroup(g.ID)
	require.True(t, ok)
	stored, err := json.Marshal(st.Profile)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"Custom","description":"has attributes","costCenter":"CC-42","floor":3,"remote":true}`, string(stored),
		"the org stored the attributes as plain profile attributes")

	got, _, err := c.GetGroup(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, okta.GroupProfile{Name: "Custom", Description: ptr("has attributes"), Extra: extra}, got.Profile)

	profile := got.Profile
	profile.Name = "Custom 2"
	replaced, _, err := c.ReplaceGroup(ctx, g.ID, profile)
	require.NoError(t, err)
	assert.Equal(t, okta.GroupProfile{Name: "Custom 2", Description: ptr("has attributes"), Extra: extra}, replaced.Profile)

	// Without Extra, ReplaceGroup drops them: it is a full replace.
	replaced, _, err = c.ReplaceGroup(ctx, g.ID, okta.GroupProfile{Name: "Custom 3"})
	require.NoError(t, err)
	assert.Equal(t, okta.GroupProfile{Name: "Custom 3"}, replaced.Profile)
}
