package tools

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestFieldsTrimListItems(t *testing.T) {
	for _, mode := range []envOption{func(*envConfig) {}, perCallMode()} {
		e := newEnv(t, mode)
		full := e.ok("okta_list_users", map[string]any{"limit": 5})
		items := full["users"].([]any)
		require.Len(t, items, 5)
		assert.Len(t, items[0].(map[string]any), 14, "without fields every field of the seed is returned")

		res := e.call("okta_list_users", e.args(map[string]any{"limit": 5, "fields": []any{"login", "id"}}))
		require.False(t, res.IsError, text(res))
		var got map[string]any
		require.NoError(t, json.Unmarshal(res.RawStructuredContent, &got))
		assert.Equal(t, []string{"count", "nextCursor", "success", "users"}, keys(got))
		assert.EqualValues(t, 5, got["count"])
		assert.NotNil(t, got["nextCursor"])
		for i, it := range got["users"].([]any) {
			m := it.(map[string]any)
			assert.Equal(t, []string{"id", "login"}, keys(m))
			assert.Equal(t, items[i].(map[string]any)["id"], m["id"], "same users, same order")
		}
		assert.JSONEq(t, string(res.RawStructuredContent), text(res), "text and structured content agree")
		assert.Less(t, len(res.RawStructuredContent)*3, len(mustMarshal(t, full)), "much smaller")

		g := e.call("okta_list_groups", e.args(map[string]any{"fields": []any{"name"}}))
		require.False(t, g.IsError, text(g))
		var gs map[string]any
		require.NoError(t, json.Unmarshal(g.RawStructuredContent, &gs))
		for _, it := range gs["groups"].([]any) {
			assert.Equal(t, []string{"name"}, keys(it.(map[string]any)))
		}

		m := e.call("okta_list_group_members", e.args(map[string]any{"groupId": e.groupID("Sales"), "fields": []any{"email", "status"}}))
		require.False(t, m.IsError, text(m))
		var ms map[string]any
		require.NoError(t, json.Unmarshal(m.RawStructuredContent, &ms))
		require.NotEmpty(t, ms["members"])
		for _, it := range ms["members"].([]any) {
			assert.Equal(t, []string{"email", "status"}, keys(it.(map[string]any)))
		}
	}
}

func TestFieldsUnknownNameRefused(t *testing.T) {
	e := newEnv(t)
	before := e.requests()
	msg := e.fails("okta_list_users", map[string]any{"fields": []any{"id", "emial", "manager"}})
	assert.Contains(t, msg, `okta_list_users: invalid arguments: fields: unknown fields "emial", "manager"; the users of okta_list_users have: id, status, firstName, lastName, email, login,`)
	assert.Contains(t, msg, "Nothing was sent to Okta.")
	assert.Equal(t, before, e.requests(), "nothing sent")

	msg = e.fails("okta_list_groups", map[string]any{"fields": []any{"id", "members"}})
	assert.Contains(t, msg, `unknown field "members"; the groups of okta_list_groups have: id, name, description, type`)

	msg = e.fails("okta_list_users", map[string]any{"fields": []any{}})
	assert.Contains(t, msg, "fields")
	msg = e.fails("okta_list_users", map[string]any{"fields": "id"})
	assert.Contains(t, msg, "fields: must be an array")
	assert.Equal(t, before, e.requests(), "nothing sent")
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// The admin-day list tools take fields too.
func TestFieldsOnAdminDayLists(t *testing.T) {
	e := newEnv(t)
	res := e.call("okta_list_user_groups", e.args(map[string]any{"userId": adaLogin, "fields": []any{"name"}}))
	require.False(t, res.IsError, text(res))
	var g map[string]any
	require.NoError(t, json.Unmarshal(res.RawStructuredContent, &g))
	require.NotEmpty(t, g["groups"])
	for _, it := range g["groups"].([]any) {
		assert.Equal(t, []string{"name"}, keys(it.(map[string]any)))
	}
	assert.Equal(t, adaLogin, g["userId"])

	res = e.call("okta_get_system_log", e.args(map[string]any{"limit": 5, "fields": []any{"eventType", "time"}}))
	require.False(t, res.IsError, text(res))
	var l map[string]any
	require.NoError(t, json.Unmarshal(res.RawStructuredContent, &l))
	require.NotEmpty(t, l["events"])
	for _, it := range l["events"].([]any) {
		assert.Equal(t, []string{"eventType", "time"}, keys(it.(map[string]any)))
	}
	res = e.call("okta_list_user_factors", e.args(map[string]any{"userId": adaLogin, "fields": []any{"factorType", "status"}}))
	require.False(t, res.IsError, text(res))
	var f map[string]any
	require.NoError(t, json.Unmarshal(res.RawStructuredContent, &f))
	require.NotEmpty(t, f["factors"])
	for _, it := range f["factors"].([]any) {
		assert.Equal(t, []string{"factorType", "status"}, keys(it.(map[string]any)))
	}
	assert.Equal(t, f["count"], float64(len(f["factors"].([]any))))
	msg := e.fails("okta_list_user_factors", map[string]any{"userId": adaLogin, "fields": []any{"secret"}})
	assert.Contains(t, msg, `unknown field "secret"; the factors of okta_list_user_factors have: id, factorType`)

	msg = e.fails("okta_get_system_log", map[string]any{"fields": []any{"actorId"}})
	assert.Contains(t, msg, `unknown field "actorId"; the events of okta_get_system_log have: time, eventType`)
}
