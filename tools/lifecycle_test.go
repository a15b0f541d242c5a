package tools

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

func TestLifecycleSuccess(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		tests := []struct {
			tool       string
			userID     string
			args       map[string]any
			flag       string
			wantStatus string
		}{
			{"okta_activate_user", stagedLogin, nil, "activated", "PROVISIONED"},
			{"okta_activate_user", deprovLogin, nil, "activated", "PROVISIONED"},
			{"okta_suspend_user", adaLogin, nil, "suspended", "SUSPENDED"},
			{"okta_unsuspend_user", suspLogin, nil, "unsuspended", "ACTIVE"},
			{"okta_deactivate_user", "alan.turing@example.com", nil, "deactivated", "DEPROVISIONED"},
			{"okta_reset_password", "grace.hopper@example.com", nil, "", "RECOVERY"},
		}
		for _, tt := range tests {
			t.Run(tt.tool+" "+tt.userID, func(t *testing.T) {
				e := newEnv(t, mode)
				want := e.user(tt.userID)
				args := map[string]any{"userId": tt.userID}
				for k, v := range tt.args {
					args[k] = v
				}
				out := e.ok(tt.tool, args)
				assert.Equal(t, want.ID, out["userId"], "the result names the user by id")
				if tt.flag != "" {
					assert.Equal(t, true, out[tt.flag])
				}
				assert.Equal(t, true, out["success"])
				assert.Equal(t, tt.wantStatus, e.user(tt.userID).Status)
			})
		}
	})
}

func TestActivateAndResetSendEmail(t *testing.T) {
	e := newEnv(t)
	out := e.ok("okta_activate_user", map[string]any{"userId": stagedLogin})
	assert.Nil(t, out["activationUrl"], "with the email sent, no link is returned")
	assert.Nil(t, out["activationToken"])

	out = e.ok("okta_activate_user", map[string]any{"userId": "noah.fischer@example.com", "sendEmail": false})
	assert.NotEmpty(t, out["activationUrl"])
	assert.NotEmpty(t, out["activationToken"])

	out = e.ok("okta_reset_password", map[string]any{"userId": adaLogin})
	assert.Nil(t, out["resetPasswordUrl"])
	out = e.ok("okta_reset_password", map[string]any{"userId": "alan.turing@example.com", "sendEmail": false})
	assert.NotEmpty(t, out["resetPasswordUrl"])

	// sendEmail is always sent explicitly (Okta requires it on reset_password).
	for _, r := range e.org.Requests() {
		if strings.Contains(r.Path, "/lifecycle/") && r.Method == "POST" &&
			(strings.HasSuffix(r.Path, "/activate") || strings.HasSuffix(r.Path, "/reset_password") || strings.HasSuffix(r.Path, "/deactivate")) {
			assert.Contains(t, r.Query, "sendEmail=", r.Path)
		}
	}
}

func TestLifecycleOktaErrors(t *testing.T) {
	tests := []struct {
		name   string
		tool   string
		userID string
		want   []string
	}{
		{"activate an active user", "okta_activate_user", adaLogin, []string{"E0000016", "HTTP 403", "already ACTIVE: nothing to do"}},
		{"activate a suspended user", "okta_activate_user", suspLogin, []string{"E0000038", "okta_unsuspend_user"}},
		{"suspend a staged user", "okta_suspend_user", stagedLogin, []string{"E0000001", "HTTP 400", "Cannot suspend a user that is not active", "suspend needs an ACTIVE user; this user is STAGED", "okta_activate_user"}},
		{"suspend a locked-out user", "okta_suspend_user", "katherine.johnson@example.com", []string{"E0000001", "this user is LOCKED_OUT", "okta_deactivate_user"}},
		{"reset password of a staged user", "okta_reset_password", stagedLogin, []string{"E0000038", "activate them with okta_activate_user"}},
		{"unknown user", "okta_suspend_user", "ghost@example.com", []string{"E0000007", "HTTP 404", `no user with id or login "ghost@example.com"`, "okta_list_users"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			msg := e.fails(tt.tool, map[string]any{"userId": tt.userID})
			for _, w := range tt.want {
				assert.Contains(t, msg, w)
			}
			assert.Contains(t, msg, "Okta request id:")
			assert.Contains(t, msg, "What to do:")
		})
	}
}

func TestDeleteUserTwoStep(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		e := newEnv(t, mode)
		id := e.user("alan.turing@example.com").ID

		out := e.ok("okta_delete_user", map[string]any{"userId": "alan.turing@example.com"})
		assert.Equal(t, id, out["userId"])
		assert.Equal(t, false, out["deleted"])
		assert.Equal(t, "DEPROVISIONED", out["status"])
		assert.Contains(t, out["message"], "Call okta_delete_user again")
		assert.Equal(t, "DEPROVISIONED", e.user(id).Status)

		out = e.ok("okta_delete_user", map[string]any{"userId": id})
		assert.Equal(t, true, out["deleted"])
		assert.Nil(t, out["status"])
		assert.Equal(t, "The user was permanently deleted.", out["message"], "checked by reading the user back")
		_, exists := e.org.LookupUser(id)
		assert.False(t, exists)

		msg := e.fails("okta_delete_user", map[string]any{"userId": id})
		assert.Contains(t, msg, "E0000007")
	})
}

func TestDeleteUserSendEmailDefaultFalse(t *testing.T) {
	e := newEnv(t)
	e.ok("okta_delete_user", map[string]any{"userId": deprovLogin})
	var found bool
	for _, r := range e.org.Requests() {
		if r.Method == "DELETE" {
			found = true
			assert.Contains(t, r.Query, "sendEmail=false")
		}
	}
	require.True(t, found)
}

func TestLifecycleRateLimited(t *testing.T) {
	// One request per minute per bucket: the lookup (GET /users/{id}) uses
	// its bucket, the first suspend its own, the second suspend is refused.
	e := newEnv(t, withSandbox(sandbox.Options{RateLimit: 1}))
	e.ok("okta_suspend_user", map[string]any{"userId": adaID})
	msg := e.fails("okta_unsuspend_user", map[string]any{"userId": adaID})
	assert.Contains(t, msg, "rate-limited")
	assert.Regexp(t, `retry after \d\d:\d\d:\d\d UTC`, msg)
	audit := e.audit.lines(t)
	require.NotEmpty(t, audit)
	assert.Equal(t, "E0000047", audit[len(audit)-1]["result"])
}

func TestOktaRateLimitAnswer(t *testing.T) {
	// Okta answers 429 E0000047 (a storm): the error carries Okta's code,
	// request id and when to retry.
	e := newEnv(t, withSandbox(sandbox.Options{Faults: []sandbox.Fault{{Method: "POST", Path: "/api/v1/users/*/lifecycle/suspend", Status: 429}}}))
	msg := e.fails("okta_suspend_user", map[string]any{"userId": adaLogin})
	assert.Contains(t, msg, "Okta rate-limited the request to suspend user")
	assert.Contains(t, msg, "E0000047 (HTTP 429 Too Many Requests)")
	assert.Contains(t, msg, "Okta request id:")
	assert.Regexp(t, `retry after \d\d:\d\d:\d\d UTC`, msg)
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
}

func TestOktaServerErrorOnWrite(t *testing.T) {
	e := newEnv(t, withSandbox(sandbox.Options{Faults: []sandbox.Fault{{Method: "POST", Path: "/api/v1/users/*/lifecycle/suspend", Status: 503, Times: 1}}}))
	msg := e.fails("okta_suspend_user", map[string]any{"userId": adaLogin})
	assert.Contains(t, msg, "outcome is unknown")
	assert.Contains(t, msg, "read the current state")
	assert.Equal(t, 1, e.org.RequestCount("POST", "/api/v1/users/"), "a write is never sent twice")
}
