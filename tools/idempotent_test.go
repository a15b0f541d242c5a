package tools

import (
	"context"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIdempotentNoOpsSucceed: a lifecycle tool marked idempotent whose goal
// already holds reports success with what was already true, sends nothing
// to Okta but the lookup, and asks no one to confirm.
func TestIdempotentNoOpsSucceed(t *testing.T) {
	tests := []struct {
		tool, userID, flag, message string
	}{
		{"okta_suspend_user", suspLogin, "suspended", "already was SUSPENDED"},
		{"okta_unsuspend_user", adaLogin, "unsuspended", "already was ACTIVE"},
		{"okta_deactivate_user", deprovLogin, "deactivated", "already was deactivated (DEPROVISIONED)"},
		{"okta_unlock_user", adaLogin, "unlocked", "already was ACTIVE (not locked out)"},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			e := newEnv(t)
			before := e.user(tt.userID)
			out := e.ok(tt.tool, map[string]any{"userId": tt.userID})
			assert.Equal(t, true, out[tt.flag])
			assert.Equal(t, false, out["changed"])
			assert.Contains(t, out["message"], tt.message)
			assert.Equal(t, before.Status, e.user(tt.userID).Status)
			assert.Zero(t, e.writes(), "nothing but the lookup is sent")
			lines := e.audit.lines(t)
			require.Len(t, lines, 1)
			assert.Equal(t, "unchanged", lines[0]["result"])
		})
	}
}

// TestIdempotentToolsTwice: every write tool marked idempotentHint succeeds
// when called again with the same arguments (okta_delete_group excepted: a
// second delete finds no group, and "no such group" must stay an error, as
// it is also what a mistyped id gets).
func TestIdempotentToolsTwice(t *testing.T) {
	e := newEnv(t)
	group := e.groupID("Engineering")
	calls := map[string]map[string]any{
		"okta_suspend_user":           {"userId": adaLogin},
		"okta_unsuspend_user":         {"userId": suspLogin},
		"okta_deactivate_user":        {"userId": "alan.turing@example.com"},
		"okta_add_user_to_group":      {"userId": stagedLogin, "groupId": group},
		"okta_remove_user_from_group": {"userId": stagedLogin, "groupId": group},
		"okta_update_user":            {"userId": adaLogin, "title": "Countess"},
		"okta_update_group":           {"groupId": group, "name": "Engineering", "description": "Builders"},
		"okta_unlock_user":            {"userId": "katherine.johnson@example.com"},
		"okta_clear_user_sessions":    {"userId": adaLogin},
		"okta_reset_user_factors":     {"userId": adaLogin},
	}
	for _, tool := range e.tools() {
		a := tool.Annotations
		if a.ReadOnlyHint == nil || *a.ReadOnlyHint || a.IdempotentHint == nil || !*a.IdempotentHint || tool.Name == "okta_delete_group" {
			continue
		}
		args, ok := calls[tool.Name]
		require.True(t, ok, "%s is marked idempotent: add it to this test", tool.Name)
		first := e.ok(tool.Name, args)
		second := e.ok(tool.Name, args)
		assert.Equal(t, first["success"], second["success"], tool.Name)
	}
}

func (e *env) tools() []mcp.Tool {
	e.t.Helper()
	res, err := e.client.ListTools(context.Background(), mcp.ListToolsRequest{})
	require.NoError(e.t, err)
	return res.Tools
}
