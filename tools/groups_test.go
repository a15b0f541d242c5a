package tools

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListAndGetGroups(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		e := newEnv(t, mode)
		out := e.ok("okta_list_groups", nil)
		groups := out["groups"].([]any)
		assert.EqualValues(t, 8, out["count"])
		assert.Len(t, groups, 8)
		assert.Nil(t, out["nextCursor"])
		var sales map[string]any
		for _, g := range groups {
			if m := g.(map[string]any); m["name"] == "Sales" {
				sales = m
			}
		}
		require.NotNil(t, sales)
		assert.Equal(t, "OKTA_GROUP", sales["type"])
		assert.Contains(t, sales, "description")

		got := e.ok("okta_get_group", map[string]any{"groupId": sales["id"]})
		assert.Equal(t, "Sales", got["name"])
		assert.Equal(t, true, got["success"])

		out = e.ok("okta_list_groups", map[string]any{"search": `profile.name sw "Eng"`})
		assert.EqualValues(t, 1, out["count"])
		out = e.ok("okta_list_groups", map[string]any{"filter": `type eq "BUILT_IN"`})
		assert.EqualValues(t, 1, out["count"])

		out = e.ok("okta_list_groups", map[string]any{"limit": 3})
		assert.EqualValues(t, 3, out["count"])
		require.NotNil(t, out["nextCursor"])
		next := e.ok("okta_list_groups", map[string]any{"limit": 10000, "after": out["nextCursor"]})
		assert.EqualValues(t, 5, next["count"])
		assert.Nil(t, next["nextCursor"])
	})
}

func TestGroupErrors(t *testing.T) {
	e := newEnv(t)
	msg := e.fails("okta_get_group", map[string]any{"groupId": "00gnothere"})
	assert.Contains(t, msg, "E0000007")
	assert.Contains(t, msg, "okta_list_groups")
	before := e.requests()
	msg = e.fails("okta_get_group", map[string]any{"groupId": "Sales/../x"})
	assert.Contains(t, msg, "groupId: invalid id or login")
	msg = e.fails("okta_list_groups", map[string]any{"limit": 10001})
	assert.Contains(t, msg, "limit: must be <= 10000 (got 10001)")
	assert.Equal(t, before, e.requests())
}

func TestCreateGroup(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		e := newEnv(t, mode)
		out := e.ok("okta_create_group", map[string]any{"name": "Contractors", "description": "External staff"})
		assert.Equal(t, "Contractors", out["name"])
		assert.Equal(t, "External staff", out["description"])
		assert.Equal(t, "OKTA_GROUP", out["type"])
		g, ok := e.org.LookupGroup("Contractors")
		require.True(t, ok)
		assert.Equal(t, out["id"], g.ID)

		out = e.ok("okta_create_group", map[string]any{"name": "No Description"})
		assert.Nil(t, out["description"])

		msg := e.fails("okta_create_group", map[string]any{"name": "sales"})
		assert.Contains(t, msg, "E0000001")
		assert.Contains(t, msg, `a group named "sales" already exists`)

		before := e.writes()
		msg = e.fails("okta_create_group", map[string]any{"name": ""})
		assert.Contains(t, msg, "name: must not be empty")
		assert.Equal(t, before, e.writes())
	})
}

func TestUpdateGroup(t *testing.T) {
	e := newEnv(t)
	id := e.groupID("Sales")
	before, _ := e.org.LookupGroup(id)
	require.NotEmpty(t, before.Profile["description"], "the demo group has a description")

	out := e.ok("okta_update_group", map[string]any{"groupId": id, "name": "Sales EMEA"})
	assert.Equal(t, "Sales EMEA", out["name"])
	assert.Equal(t, before.Profile["description"], out["description"], "the description is kept when none is given")
	g, _ := e.org.LookupGroup(id)
	assert.Equal(t, before.Profile["description"], g.Profile["description"])

	out = e.ok("okta_update_group", map[string]any{"groupId": id, "name": "Sales EMEA", "description": "Europe"})
	assert.Equal(t, "Europe", out["description"])

	out = e.ok("okta_update_group", map[string]any{"groupId": id, "name": "Sales EMEA", "description": ""})
	assert.Empty(t, out["description"], `"" clears the description`)
	g, _ = e.org.LookupGroup(id)
	assert.Empty(t, g.Profile["description"])

	msg := e.fails("okta_update_group", map[string]any{"groupId": e.org.EveryoneGroupID(), "name": "All"})
	assert.Contains(t, msg, "E0000006")
	assert.Contains(t, msg, "only OKTA_GROUP groups can be updated; this group is BUILT_IN")

	msg = e.fails("okta_update_group", map[string]any{"groupId": "00gmissing", "name": "x"})
	assert.Contains(t, msg, "E0000007")
	assert.Contains(t, msg, `no group with id "00gmissing"`)

	before2 := e.writes()
	msg = e.fails("okta_update_group", map[string]any{"groupId": id})
	assert.Contains(t, msg, "name is required")
	assert.Equal(t, before2, e.writes())
}

func TestDeleteGroup(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		e := newEnv(t, mode)
		id := e.groupID("Marketing")
		out := e.ok("okta_delete_group", map[string]any{"groupId": id})
		assert.Equal(t, id, out["groupId"])
		assert.Equal(t, true, out["deleted"])
		_, ok := e.org.LookupGroup(id)
		assert.False(t, ok)

		msg := e.fails("okta_delete_group", map[string]any{"groupId": id})
		assert.Contains(t, msg, "E0000007")

		msg = e.fails("okta_delete_group", map[string]any{"groupId": e.org.EveryoneGroupID()})
		assert.Contains(t, msg, "E0000006")
		assert.Contains(t, msg, "BUILT_IN groups (such as Everyone)")
	})
}
