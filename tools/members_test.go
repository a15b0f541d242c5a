package tools

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMembership(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		e := newEnv(t, mode)
		sales := e.groupID("Sales")
		tests := []struct {
			name   string
			userID string
		}{
			{"by login (resolved to the id)", "alan.turing@example.com"},
			{"by id", e.user("grace.hopper@example.com").ID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id := e.user(tt.userID).ID
				out := e.ok("okta_add_user_to_group", map[string]any{"groupId": sales, "userId": tt.userID})
				assert.Equal(t, sales, out["groupId"])
				assert.Equal(t, id, out["userId"])
				assert.Equal(t, true, out["added"])
				assert.Contains(t, e.user(id).GroupIDs, sales)

				// Adding again is harmless.
				e.ok("okta_add_user_to_group", map[string]any{"groupId": sales, "userId": tt.userID})

				members := e.ok("okta_list_group_members", map[string]any{"groupId": sales})
				assert.True(t, slices.ContainsFunc(members["members"].([]any), func(m any) bool { return m.(map[string]any)["id"] == id }))

				out = e.ok("okta_remove_user_from_group", map[string]any{"groupId": sales, "userId": tt.userID})
				assert.Equal(t, true, out["removed"])
				assert.Equal(t, id, out["userId"])
				assert.NotContains(t, e.user(id).GroupIDs, sales)
			})
		}
		// Membership paths take ids only: a login never reaches them.
		for _, r := range e.org.Requests() {
			if r.Method == "PUT" || r.Method == "DELETE" {
				assert.NotContains(t, r.Path, "@", "membership requests use the user id")
			}
		}
	})
}

func TestMembershipErrors(t *testing.T) {
	e := newEnv(t)
	sales := e.groupID("Sales")
	tests := []struct {
		name string
		tool string
		args map[string]any
		want []string
	}{
		{"unknown user", "okta_add_user_to_group", map[string]any{"groupId": sales, "userId": "ghost@example.com"}, []string{"E0000007", `no user with id or login "ghost@example.com"`}},
		{"unknown group", "okta_add_user_to_group", map[string]any{"groupId": "00gnope", "userId": adaLogin}, []string{"E0000007", `no group with id "00gnope"`, "okta_list_groups"}},
		{"built-in group", "okta_add_user_to_group", map[string]any{"groupId": e.org.EveryoneGroupID(), "userId": adaLogin}, []string{"E0000060", "Unsupported operation.", "only the members of OKTA_GROUP groups can be changed", "BUILT_IN"}},
		{"remove from unknown group", "okta_remove_user_from_group", map[string]any{"groupId": "00gnope", "userId": adaLogin}, []string{"E0000007", `no group with id "00gnope"`}},
		{"list members of unknown group", "okta_list_group_members", map[string]any{"groupId": "00gnope"}, []string{"E0000007", `no group with id "00gnope"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := e.fails(tt.tool, tt.args)
			for _, w := range tt.want {
				assert.Contains(t, msg, w)
			}
		})
	}
	t.Run("bad arguments send nothing", func(t *testing.T) {
		before := e.requests()
		for _, args := range []map[string]any{
			{"groupId": sales},
			{"userId": adaLogin},
			{"groupId": sales, "userId": "a/b"},
			{"groupId": "..", "userId": adaLogin},
		} {
			msg := e.fails("okta_add_user_to_group", args)
			assert.Contains(t, msg, "Nothing was sent to Okta")
		}
		msg := e.fails("okta_list_group_members", map[string]any{"groupId": sales, "limit": 1001})
		assert.Contains(t, msg, "limit: must be <= 1000 (got 1001)")
		assert.Equal(t, before, e.requests())
	})
}

func TestListGroupMembersPaging(t *testing.T) {
	e := newEnv(t)
	everyone := e.org.EveryoneGroupID()
	var ids []string
	after := ""
	for range 20 {
		args := map[string]any{"groupId": everyone, "limit": 15}
		if after != "" {
			args["after"] = after
		}
		out := e.ok("okta_list_group_members", args)
		for _, m := range out["members"].([]any) {
			ids = append(ids, m.(map[string]any)["id"].(string))
		}
		if out["nextCursor"] == nil {
			break
		}
		after = out["nextCursor"].(string)
	}
	g, _ := e.org.LookupGroup(everyone)
	require.Len(t, ids, len(g.MemberIDs))
	assert.ElementsMatch(t, g.MemberIDs, ids)
}
