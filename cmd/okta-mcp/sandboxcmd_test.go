package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// `okta-mcp sandbox` announces a standard org's limit per bucket by
// default; --rate-limit N sets N in every bucket and --rate-limit 0 none.
func TestSandboxRateLimitFlag(t *testing.T) {
	for _, tt := range []struct {
		args           []string
		users, getUser string // X-Rate-Limit-Limit of GET /api/v1/users and GET /api/v1/users/{id}
	}{
		{nil, "600", "2000"},
		{[]string{"--rate-limit", "7"}, "7", "7"},
		{[]string{"--rate-limit", "0"}, "2147483647", "2147483647"},
	} {
		base := startSandbox(t, tt.args...)
		get := func(path string) string {
			req, err := http.NewRequest("GET", base+path, nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "SSWS "+sandbox.DefaultToken)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, 200, resp.StatusCode)
			return resp.Header.Get("X-Rate-Limit-Limit")
		}
		assert.Equal(t, tt.users, get("/api/v1/users?limit=1"), "%v", tt.args)
		assert.Equal(t, tt.getUser, get("/api/v1/users/ada.lovelace@example.com"), "%v", tt.args)
	}
	_, stderr, code := runCmd(t, nil, "sandbox", "--rate-limit", "-1")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "rate-limit")
}

// `okta-mcp sandbox --token-role READ_ONLY_ADMIN` serves a token that reads
// and is refused every change (403 E0000006); an unknown role is a usage
// error that names the accepted ones.
func TestSandboxTokenRoleFlag(t *testing.T) {
	base := startSandbox(t, "--token-role", "READ_ONLY_ADMIN")
	call := func(method, path string) int {
		req, err := http.NewRequest(method, base+path, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "SSWS "+sandbox.DefaultToken)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, 200, call("GET", "/api/v1/users/ada.lovelace@example.com"))
	assert.Equal(t, 403, call("POST", "/api/v1/users/ada.lovelace@example.com/lifecycle/suspend"))

	_, stderr, code := runCmd(t, nil, "sandbox", "--token-role", "READ_ONLY")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `--token-role "READ_ONLY": want SUPER_ADMIN or READ_ONLY_ADMIN`)
}
