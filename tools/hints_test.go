package tools

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// TestNotFoundHintsOnlySuggestSearchesThatCanMatch: the advice for an
// unknown user or group never suggests searching for an Okta id, nor a
// display name as a login; the searches it does suggest find the object.
func TestNotFoundHintsOnlySuggestSearchesThatCanMatch(t *testing.T) {
	e := newEnv(t)
	missingID := "00u" + strings.Repeat("z", 17)
	msg := e.fails("okta_get_user", map[string]any{"userId": missingID})
	assert.Contains(t, msg, "It is an Okta id")
	assert.NotContains(t, msg, `eq "`+missingID)

	msg = e.fails("okta_get_user", map[string]any{"userId": "Ada Lovelace"})
	search := `profile.firstName eq "Ada" and profile.lastName eq "Lovelace"`
	assert.Contains(t, msg, "not a person's name")
	assert.Contains(t, msg, search)
	out := e.ok("okta_list_users", map[string]any{"search": search})
	assert.EqualValues(t, 1, out["count"], "the suggested search finds the user")

	msg = e.fails("okta_suspend_user", map[string]any{"userId": e.groupID("Engineering")})
	assert.Contains(t, msg, "it is a group id")

	msg = e.fails("okta_get_group", map[string]any{"groupId": "Engineering"})
	assert.Contains(t, msg, `search profile.name eq "Engineering"`)
	out = e.ok("okta_list_groups", map[string]any{"search": `profile.name eq "Engineering"`})
	assert.EqualValues(t, 1, out["count"], "the suggested search finds the group")

	msg = e.fails("okta_get_group", map[string]any{"groupId": "00g" + strings.Repeat("z", 17)})
	assert.Contains(t, msg, "It is an Okta id")
	assert.NotContains(t, msg, `eq "00g`)
	msg = e.fails("okta_get_group", map[string]any{"groupId": e.user(adaLogin).ID})
	assert.Contains(t, msg, "it is a user id")
}

func TestNotFoundHintForUntrimmedInput(t *testing.T) {
	e := newEnv(t)
	msg := e.fails("okta_get_user", map[string]any{"userId": " " + adaLogin + " "})
	assert.Contains(t, msg, fmt.Sprintf("Call again with %q", adaLogin))
	assert.NotContains(t, msg, "search profile.email")
	group := e.groupID("Engineering")
	msg = e.fails("okta_get_group", map[string]any{"groupId": " " + group})
	assert.Contains(t, msg, fmt.Sprintf("Call again with %q", group))
}

// TestAmbiguousShortLogin: a short login that several logins start with is
// found by nobody in Okta; the advice says so and lists the candidates.
func TestAmbiguousShortLogin(t *testing.T) {
	e := newEnv(t)
	other := e.ok("okta_create_user", map[string]any{"firstName": "Ada", "lastName": "Byron", "email": "ada.lovelace@example.org"})
	msg := e.fails("okta_get_user", map[string]any{"userId": "ada.lovelace"})
	assert.Contains(t, msg, `"ada.lovelace" is a short login shared by several users`)
	assert.Contains(t, msg, adaLogin+" ("+e.user(adaLogin).ID+")")
	assert.Contains(t, msg, "ada.lovelace@example.org ("+other["id"].(string)+")")

	msg = e.fails("okta_suspend_user", map[string]any{"userId": "ada.lovelace"})
	assert.Contains(t, msg, "short login shared by several users")

	// An unambiguous short login works as in Okta.
	out := e.ok("okta_get_user", map[string]any{"userId": "grace.hopper"})
	require.Equal(t, "grace.hopper@example.com", out["login"])
	// A short login nobody has: no candidates, no id search.
	msg = e.fails("okta_get_user", map[string]any{"userId": "nobody.here"})
	assert.Contains(t, msg, `no login starts with "nobody.here@"`)
}

// TestLowerCaseStatusIsCaught: status (and group type) values are upper case
// in Okta; a lower-case one would silently match nothing, so it is refused
// with the value meant, before anything is sent.
func TestLowerCaseStatusIsCaught(t *testing.T) {
	e := newEnv(t)
	for _, args := range []map[string]any{
		{"filter": `status eq "suspended"`},
		{"search": `profile.department eq "Engineering" and status eq "Suspended"`},
	} {
		before := e.requests()
		msg := e.fails("okta_list_users", args)
		assert.Contains(t, msg, `use status eq "SUSPENDED"`)
		assert.Equal(t, before, e.requests(), "nothing sent")
	}
	out := e.ok("okta_list_users", map[string]any{"filter": `status eq "SUSPENDED"`})
	assert.Positive(t, out["count"], "the suggested value matches")
	// Values that are not statuses, and other attributes, pass as given.
	e.ok("okta_list_users", map[string]any{"search": `profile.nickName eq "active" or profile.status eq "active"`})

	msg := e.fails("okta_list_groups", map[string]any{"filter": `type eq "okta_group"`})
	assert.Contains(t, msg, `use type eq "OKTA_GROUP"`)
	out = e.ok("okta_list_groups", map[string]any{"filter": `type eq "OKTA_GROUP"`})
	assert.Positive(t, out["count"])
}

// TestMalformedCursorIsAnError: an after cursor Okta did not issue is an
// error that says what to pass, not an empty last page.
func TestMalformedCursorIsAnError(t *testing.T) {
	e := newEnv(t)
	// (Not okta_list_group_members: Okta's spec declares no 400 for
	// listGroupUsers, so the contract check refuses the answer; the org
	// rejects the cursor all the same.)
	for tool, args := range map[string]map[string]any{
		"okta_list_users":  {"after": "bogus"},
		"okta_list_groups": {"after": "page-2"},
	} {
		msg := e.fails(tool, args)
		assert.Contains(t, msg, "E0000029", tool)
		assert.Contains(t, msg, "pass the nextCursor of the previous call unchanged", tool)
		assert.NotContains(t, msg, "check the expression", "%s: no search syntax lecture for a cursor", tool)
	}
	// A cursor Okta issued still pages.
	first := e.ok("okta_list_users", map[string]any{"limit": 2})
	require.NotNil(t, first["nextCursor"])
	next := e.ok("okta_list_users", map[string]any{"limit": 2, "after": first["nextCursor"]})
	assert.EqualValues(t, 2, next["count"])
}

// TestSearchHintFitsTheTool: a search syntax error gets the syntax of the
// listing it was for, not both.
func TestSearchHintFitsTheTool(t *testing.T) {
	e := newEnv(t)
	msg := e.fails("okta_list_users", map[string]any{"search": `profile.email xx "a"`})
	assert.Contains(t, msg, "Users: search supports")
	assert.NotContains(t, msg, "Groups:")
	msg = e.fails("okta_list_groups", map[string]any{"search": `profile.name xx "a"`})
	assert.Contains(t, msg, "Groups: search supports")
	assert.NotContains(t, msg, "Users:")
}

// TestPermissionHintFitsTheCall: a 403 E0000006 names the one scope the
// call needs and the grant for its kind of credentials, not every case.
func TestPermissionHintFitsTheCall(t *testing.T) {
	d := NewDeps(Options{})
	_, err := d.build()
	require.NoError(t, err)
	c := &call{d: d, tool: "okta_suspend_user", write: true, creds: "server api-token:…abcd"}
	h := c.permissionHint()
	assert.Contains(t, h, "okta.users.manage")
	assert.Contains(t, h, "tell the operator")
	assert.NotContains(t, h, "okta.groups")
	assert.NotContains(t, h, "OAuth")

	c = &call{d: d, tool: "okta_list_groups", creds: "server oauth:0oa123"}
	h = c.permissionHint()
	assert.Contains(t, h, "okta.groups.read scope")
	assert.NotContains(t, h, "okta.users")
	assert.NotContains(t, h, "API token")
}

// TestOutcomeUnknownNamesOneReader: an unknown outcome points at the one
// tool that reads what the call changed.
func TestOutcomeUnknownNamesOneReader(t *testing.T) {
	e, _ := newFaultEnv(t, false)
	e.org.SetFaults(sandbox.Fault{Method: http.MethodPost, Path: "/api/v1/users/*/lifecycle/suspend", Drop: sandbox.DropBeforeProcessing})
	msg := e.fails("okta_suspend_user", map[string]any{"userId": adaLogin})
	assert.Contains(t, msg, "outcome is unknown")
	assert.Contains(t, msg, "(okta_get_user)")
	assert.NotContains(t, msg, "okta_get_group")

	group := e.groupID("Engineering")
	e.org.SetFaults(sandbox.Fault{Method: http.MethodPut, Path: "/api/v1/groups/" + group, Drop: sandbox.DropBeforeProcessing})
	msg = e.fails("okta_update_group", map[string]any{"groupId": group, "name": "Engineering", "description": "x"})
	assert.NotContains(t, msg, "okta_get_user", msg)
}
