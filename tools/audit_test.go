package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

func TestAuditLines(t *testing.T) {
	e := newEnv(t)
	sales := e.groupID("Sales")
	e.ok("okta_get_user", map[string]any{"userId": adaLogin})
	e.ok("okta_list_groups", nil)
	assert.Empty(t, e.audit.String(), "reads are not audited")

	e.ok("okta_suspend_user", map[string]any{"userId": adaLogin})
	e.fails("okta_suspend_user", map[string]any{"userId": stagedLogin})
	e.ok("okta_add_user_to_group", map[string]any{"userId": adaLogin, "groupId": sales})
	e.fails("okta_update_user", map[string]any{"userId": adaLogin, "email": "bad"})
	out := e.ok("okta_create_group", map[string]any{"name": "Auditors"})

	lines := e.audit.lines(t)
	require.Len(t, lines, 5, "one line per write call")
	writes := map[string]string{} // request id -> method+path of the org's writes
	for _, r := range e.org.Requests() {
		if r.Method != "GET" {
			writes[r.RequestID] = r.Method + " " + r.Path
		}
	}
	tests := []struct {
		tool, target, result string
		write                string // the org request the line names, "" = none
	}{
		{"okta_suspend_user", adaID + " (" + adaLogin + ")", "ok", "POST /api/v1/users/" + adaID + "/lifecycle/suspend"},
		{"okta_suspend_user", e.user(stagedLogin).ID + " (" + stagedLogin + ")", "E0000001", "POST /api/v1/users/" + e.user(stagedLogin).ID + "/lifecycle/suspend"},
		{"okta_add_user_to_group", adaID + " (" + adaLogin + ") -> group " + sales, "ok", "PUT /api/v1/groups/" + sales + "/users/" + adaID},
		{"okta_update_user", adaLogin, "invalid_arguments", ""},
		{"okta_create_group", out["id"].(string) + " (Auditors)", "ok", "POST /api/v1/groups"},
	}
	for i, tt := range tests {
		l := lines[i]
		assert.Equal(t, "okta write", l["msg"])
		assert.NotEmpty(t, l["time"])
		assert.Equal(t, tt.tool, l["tool"])
		assert.Equal(t, tt.target, l["target"])
		assert.Equal(t, tt.result, l["result"])
		if tt.write == "" {
			assert.Empty(t, l["okta_request_id"])
			assert.Empty(t, l["credentials"], "refused before any credential was used")
			continue
		}
		assert.Equal(t, "server api-token:…0000", l["credentials"])
		assert.Equal(t, "sandbox.okta.com", l["org"])
		assert.Equal(t, tt.write, writes[l["okta_request_id"].(string)], "the line carries the write's Okta request id")
	}
}

// TestSecretsNeverLeak runs a full set of calls in per-call mode, failing
// ones included, and searches every result, log line, audit line and
// notification for the tokens and the password.
func TestSecretsNeverLeak(t *testing.T) {
	const token = "00SECRET-tok3n-a1b2c3d4e5f6g7h8i9Zq"
	const wrong = "00WRONG-s3cr3t-token-zz99yy88xx77Wq"
	const password = "Sup3r-Secret-Passw0rd!x"
	h := &human{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"confirm": true}}
	e := newEnv(t, perCallMode(), withSandbox(sandbox.Options{Token: token, RateLimit: 40}), withClientOptions(client.WithElicitationHandler(h)))
	var mu sync.Mutex
	var notes []string
	e.client.OnNotification(func(n mcp.JSONRPCNotification) {
		b, _ := json.Marshal(n)
		mu.Lock()
		notes = append(notes, string(b))
		mu.Unlock()
	})
	require.NoError(t, e.client.SetLevel(context.Background(), mcp.SetLevelRequest{Params: mcp.SetLevelParams{Level: mcp.LoggingLevelDebug}}))
	creds := func(tok string, a map[string]any) map[string]any {
		out := map[string]any{"apiKey": tok, "domain": "sandbox.okta.com"}
		for k, v := range a {
			out[k] = v
		}
		return out
	}
	sales := e.groupID("Sales")
	calls := []struct {
		tool string
		args any
	}{
		{"okta_get_user", creds(token, map[string]any{"userId": adaLogin})},
		{"okta_list_users", creds(token, map[string]any{"limit": 3})},
		{"okta_get_user", creds(wrong, map[string]any{"userId": adaLogin})},
		{"okta_create_user", creds(token, map[string]any{"firstName": "P", "lastName": "W", "email": "p.w@example.com", "password": password})},
		{"okta_create_user", creds(token, map[string]any{"firstName": "P", "lastName": "W", "email": "p.w@example.com", "password": password})},
		{"okta_create_user", creds(token, map[string]any{"firstName": "P", "lastName": "W", "email": "bad", "password": password})},
		{"okta_create_user", creds(token, map[string]any{"firstName": "P", "lastName": "W", "email": "q@example.com", "password": 12345678901})},
		{"okta_create_user", creds(token, map[string]any{"firstName": "P", "lastName": "W", "email": "r@example.com", "password": "weak"})},
		{"okta_suspend_user", creds(token, map[string]any{"userId": stagedLogin})},
		{"okta_reset_password", creds(token, map[string]any{"userId": adaLogin, "sendEmail": false})},
		{"okta_add_user_to_group", creds(token, map[string]any{"userId": adaLogin, "groupId": sales})},
		{"okta_delete_group", creds(token, map[string]any{"groupId": "00gnope"})},
		{"okta_get_user", creds(token, map[string]any{"userId": adaLogin, "usrId": token})},
		{"okta_get_user", map[string]any{"apiKey": 12345, "domain": "sandbox.okta.com", "userId": adaLogin}},
		{"okta_get_user", map[string]any{"apiKey": []any{token}, "domain": "sandbox.okta.com", "userId": adaLogin}},
		{"okta_get_user", creds(token, map[string]any{"userId": adaLogin, "domain": "169.254.169.254"})},
		{"okta_get_user", creds(token, map[string]any{"userId": "../" + token})},
		{"okta_get_user", creds(token, map[string]any{"userId": adaLogin, "apiKey": token + "/x"})},
		{"okta_delete_user", creds(token, map[string]any{"userId": deprovLogin})},
		{"okta_list_groups", creds(token, nil)},
	}
	var results []string
	for _, c := range calls {
		res := e.callRaw(context.Background(), c.tool, c.args)
		b, err := json.Marshal(res)
		require.NoError(t, err)
		results = append(results, string(b))
	}
	// Hammer one bucket into the rate limit so that waits are logged too.
	for range 45 {
		res := e.callRaw(context.Background(), "okta_list_groups", creds(token, nil))
		b, _ := json.Marshal(res)
		results = append(results, string(b))
	}
	time.Sleep(50 * time.Millisecond) // let notifications arrive
	mu.Lock()
	all := strings.Join(results, "\n") + e.logs.String() + e.audit.String() + strings.Join(notes, "\n") + strings.Join(h.questions(), "\n")
	mu.Unlock()
	require.Contains(t, all, "E0000011", "the failing calls ran")
	require.Contains(t, all, "rate-limited", "the rate limit was hit")
	require.NotEmpty(t, e.audit.String())
	require.NotEmpty(t, notes, "log notifications were captured")
	for _, secret := range []string{token, wrong, password, token[2:14], wrong[2:14], password[:12], "12345678901"} {
		assert.NotContains(t, all, secret)
	}
	assert.Contains(t, e.audit.String(), "per-call api-token:…i9Zq", "the audit names the credential by its last characters")
}

func TestLogNotifications(t *testing.T) {
	for _, proto := range []struct {
		name string
		opt  envOption
	}{{"modern", func(*envConfig) {}}, {"legacy", legacyProtocol()}} {
		t.Run(proto.name, func(t *testing.T) {
			e := newEnv(t, proto.opt, withSandbox(sandbox.Options{Faults: []sandbox.Fault{{Method: "GET", Path: "/api/v1/users/*", Status: 503, Times: 1}}}))
			var mu sync.Mutex
			var logs []map[string]any
			e.client.OnNotification(func(n mcp.JSONRPCNotification) {
				if n.Method == string(mcp.MethodNotificationMessage) {
					mu.Lock()
					logs = append(logs, n.Params.AdditionalFields)
					mu.Unlock()
				}
			})
			got := func() []map[string]any {
				mu.Lock()
				defer mu.Unlock()
				return append([]map[string]any(nil), logs...)
			}

			// The default level (error) keeps the retry warning back.
			e.ok("okta_get_user", map[string]any{"userId": adaLogin})
			time.Sleep(20 * time.Millisecond)
			assert.Empty(t, got())

			e.org.SetFaults(sandbox.Fault{Method: "GET", Path: "/api/v1/users/*", Status: 503, Times: 1})
			require.NoError(t, e.client.SetLevel(context.Background(), mcp.SetLevelRequest{Params: mcp.SetLevelParams{Level: mcp.LoggingLevelWarning}}))
			e.ok("okta_get_user", map[string]any{"userId": adaLogin})
			require.Eventually(t, func() bool { return len(got()) > 0 }, time.Second, 10*time.Millisecond)
			l := got()[0]
			assert.Equal(t, "warning", fmt.Sprint(l["level"]))
			assert.Equal(t, "okta", fmt.Sprint(l["logger"]))
			data, _ := l["data"].(map[string]any)
			require.NotNil(t, data)
			assert.Contains(t, data["message"], "retrying")
			for _, l := range got() {
				assert.NotEqual(t, "debug", fmt.Sprint(l["level"]), "below the client's level nothing is sent")
			}
		})
	}
}
