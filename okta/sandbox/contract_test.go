package sandbox

// The OpenAPI contract test of the org on its own: raw requests, written
// here rather than sent by the client, go through contracttest's Transport,
// which validates each of them and each answer against Okta's OpenAPI spec
// (path from OKTA_OPENAPI_SPEC; without it the test skips, except under
// CI=true). okta's TestContract checks the client against the org the same
// way.

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/contracttest"
)

func TestOpenAPIContract(t *testing.T) {
	h := newHarness(t, Options{})
	vt := contracttest.NewTransport(t, h.org.Transport())
	h.hc = &http.Client{Transport: vt}

	ada := h.userID("ada.lovelace@example.com")
	eng := h.groupID("Engineering")
	h.do("GET", "/api/v1/users", "")
	h.do("GET", "/api/v1/users?limit=5&search="+url.QueryEscape(`profile.department eq "Sales"`), "")
	h.do("GET", "/api/v1/users?filter="+url.QueryEscape(`status eq "ACTIVE"`), "")
	h.do("GET", "/api/v1/users?q=ad", "")
	h.do("GET", "/api/v1/users?search=bad", "")
	h.do("GET", "/api/v1/users/"+ada, "")
	h.do("GET", "/api/v1/users/nobody", "")
	r := h.do("POST", "/api/v1/users?activate=false", newUserBody("contract@example.com", `,"credentials":{"password":{"value":"`+testPassword+`"}}`))
	require.Equal(t, 200, r.status)
	id := r.json(t)["id"].(string)
	h.do("POST", "/api/v1/users", newUserBody("contract@example.com", ""))
	h.do("POST", "/api/v1/users/"+id, `{"profile":{"title":"Tester"}}`)
	h.do("PUT", "/api/v1/users/"+id, newUserBody("contract@example.com", ""))
	h.do("POST", "/api/v1/users/"+id+"/lifecycle/activate?sendEmail=false", "")
	h.do("POST", "/api/v1/users/"+id+"/lifecycle/activate", "")
	h.do("POST", "/api/v1/users/"+id+"/lifecycle/suspend", "")
	h.do("POST", "/api/v1/users/"+id+"/lifecycle/unsuspend", "")
	h.do("POST", "/api/v1/users/"+id+"/lifecycle/unsuspend", "")
	h.do("POST", "/api/v1/users/"+id+"/lifecycle/reset_password?sendEmail=false", "")
	h.do("POST", "/api/v1/users/"+id+"/lifecycle/reset_password?sendEmail=true", "")
	h.do("POST", "/api/v1/users/"+id+"/lifecycle/expire_password", "")
	h.do("GET", "/api/v1/users/"+id+"/groups", "")
	// Admin-day operations (issue 11).
	h.do("GET", "/api/v1/users/"+ada+"/groups?limit=1", "")
	h.do("GET", "/api/v1/users/"+ada+"/factors", "")
	h.do("GET", "/api/v1/users/00unobody00000000000/factors", "")
	h.do("POST", "/api/v1/users/"+h.userID("katherine.johnson@example.com")+"/lifecycle/unlock", "")
	h.do("POST", "/api/v1/users/"+ada+"/lifecycle/unlock", "")
	h.do("POST", "/api/v1/users/"+h.userID("alan.turing@example.com")+"/lifecycle/expire_password_with_temp_password?revokeSessions=true", "")
	h.do("POST", "/api/v1/users/"+ada+"/lifecycle/reset_factors", "")
	h.do("POST", "/api/v1/users/"+h.userID("emma.schmidt@example.com")+"/lifecycle/reset_factors", "")
	h.do("DELETE", "/api/v1/users/"+ada+"/sessions?oauthTokens=true", "")
	h.do("DELETE", "/api/v1/users/00unobody00000000000/sessions", "")
	h.do("GET", "/api/v1/logs?limit=50&sortOrder=DESCENDING&filter="+url.QueryEscape(`outcome.result eq "FAILURE"`), "")
	h.do("GET", "/api/v1/logs?since=2026-03-01T00:00:00Z&until=2026-03-05T00:00:00Z&q=lock", "")
	h.do("GET", "/api/v1/logs?filter="+url.QueryEscape(`nosuch eq "x"`), "")
	h.do("GET", "/api/v1/groups", "")
	h.do("GET", "/api/v1/groups?expand=stats&limit=2", "")
	h.do("GET", "/api/v1/groups/"+eng, "")
	r = h.do("POST", "/api/v1/groups", `{"profile":{"name":"Contract","description":"c"}}`)
	gid := r.json(t)["id"].(string)
	h.do("POST", "/api/v1/groups", `{"profile":{"name":"Contract"}}`)
	// Group profiles are extensible: custom attributes are kept by a PUT
	// and read back.
	r = h.do("PUT", "/api/v1/groups/"+gid, `{"profile":{"name":"Contract 2","costCenter":"CC-42","floor":3}}`)
	require.Equal(t, 200, r.status, "%s", r.body)
	r = h.do("GET", "/api/v1/groups/"+gid, "")
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.Equal(t, map[string]any{"name": "Contract 2", "costCenter": "CC-42", "floor": 3.0, "description": nil}, r.json(t)["profile"])
	h.do("PUT", "/api/v1/groups/"+gid+"/users/"+id, "")
	// Recordings win over the spec (contracttest.undeclaredByOperation):
	// Everyone's members cannot be changed, 501 E0000060.
	require.Equal(t, 501, h.do("PUT", "/api/v1/groups/"+h.org.EveryoneGroupID()+"/users/"+id, "").status)
	require.Equal(t, 501, h.do("DELETE", "/api/v1/groups/"+h.org.EveryoneGroupID()+"/users/"+id, "").status)
	// An attribute no schema declares: 400 E0000001 (declared by the spec).
	require.Equal(t, 400, h.do("POST", "/api/v1/users/"+id, `{"profile":{"notValid":"x"}}`).status)
	h.do("GET", "/api/v1/groups/"+gid+"/users", "")
	h.do("DELETE", "/api/v1/groups/"+gid+"/users/"+id, "")
	h.do("DELETE", "/api/v1/groups/"+gid, "")
	h.do("POST", "/api/v1/users/"+id+"/lifecycle/deactivate", "")
	h.do("DELETE", "/api/v1/users/"+id, "")
	h.do("DELETE", "/api/v1/users/"+id, "")
	h.org.SetRateLimit(1)
	h.do("GET", "/api/v1/groups/"+eng, "")
	h.do("GET", "/api/v1/groups/"+eng, "")

	vt.AssertSucceeded(t, "listUsers", "getUser", "createUser", "updateUser", "replaceUser", "deleteUser",
		"activateUser", "deactivateUser", "suspendUser", "unsuspendUser", "resetPassword", "expirePassword", "listUserGroups",
		"unlockUser", "expirePasswordWithTempPassword", "resetFactors", "listFactors", "revokeUserSessions", "listLogEvents",
		"listGroups", "getGroup", "addGroup", "replaceGroup", "deleteGroup", "assignUserToGroup", "unassignUserFromGroup", "listGroupUsers")
	vt.AssertAnswered(t, map[string]int{"listUsers": 400, "getUser": 404, "createUser": 400, "addGroup": 400,
		"activateUser": 403, "unsuspendUser": 400, "deleteUser": 404, "getGroup": 429,
		"assignUserToGroup": 501, "unassignUserFromGroup": 501, "updateUser": 400,
		"unlockUser": 403, "resetFactors": 403, "listFactors": 404, "revokeUserSessions": 404, "listLogEvents": 400})
	t.Logf("validated %d exchanges: %v", vt.Checked(), vt.Statuses())
}

// A seeded org's System Log history, and the refusals of a Read-only
// Admin's token, answer as the spec declares.
func TestOpenAPIContractSeededLogAndReadOnlyToken(t *testing.T) {
	h := newHarness(t, Options{Seed: exampleSeed(t), TokenRole: RoleReadOnlyAdmin})
	vt := contracttest.NewTransport(t, h.org.Transport())
	h.hc = &http.Client{Transport: vt}

	r := h.do("GET", "/api/v1/logs?since="+url.QueryEscape(testStart.Add(-7*24*time.Hour).Format(time.RFC3339)), "")
	require.Equal(t, 200, r.status, "%s", r.body)
	require.Len(t, r.list(t), 4, "the seed's history")
	ada := h.userID("ada.lovelace@example.com")
	require.Equal(t, 403, h.do("POST", "/api/v1/users/"+ada+"/lifecycle/suspend", "").status)
	require.Equal(t, 403, h.do("DELETE", "/api/v1/users/"+ada+"/sessions", "").status)
	vt.AssertSucceeded(t, "listLogEvents")
	vt.AssertAnswered(t, map[string]int{"suspendUser": 403, "revokeUserSessions": 403})
}
