package sandbox

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroupShape(t *testing.T) {
	h := newTestOrg(t)
	eng := h.groupID("Engineering")
	r := h.do("GET", "/api/v1/groups/"+eng+"?expand=stats", "")
	require.Equal(t, 200, r.status)
	g := r.json(t)
	assert.Equal(t, "OKTA_GROUP", g["type"])
	assert.Equal(t, []any{"okta:user_group"}, g["objectClass"])
	assert.Regexp(t, `^00g[0-9A-Za-z]{17}$`, g["id"])
	for _, k := range []string{"created", "lastUpdated", "lastMembershipUpdated"} {
		assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, g[k])
	}
	links := g["_links"].(map[string]any)
	assert.ElementsMatch(t, []string{"users", "apps", "logo"}, keys(links))
	assert.Equal(t, "https://sandbox.okta.com/api/v1/groups/"+eng+"/users", links["users"].(map[string]any)["href"])
	assert.Len(t, links["logo"], 2)
	stats := g["_embedded"].(map[string]any)["stats"].(map[string]any)
	assert.EqualValues(t, 2, stats["usersCount"])

	app := h.do("GET", "/api/v1/groups/"+h.groupID("VPN Users"), "").json(t)
	assert.Equal(t, "APP_GROUP", app["type"])
	assert.Equal(t, "https://sandbox.okta.com/api/v1/apps/0oa000000000000000ab", app["_links"].(map[string]any)["source"].(map[string]any)["href"])

	every := h.do("GET", "/api/v1/groups/"+h.org.EveryoneGroupID()+"?expand=stats", "").json(t)
	assert.Equal(t, "BUILT_IN", every["type"])
	assert.EqualValues(t, 10, every["_embedded"].(map[string]any)["stats"].(map[string]any)["usersCount"])

	r = h.do("GET", "/api/v1/groups/00gnothere0000000000", "")
	assert.Equal(t, 404, r.status)
	assert.Equal(t, "Not found: Resource not found: 00gnothere0000000000 (UserGroup)", r.json(t)["errorSummary"])
}

func TestCreateReplaceDeleteGroup(t *testing.T) {
	h := newTestOrg(t)
	h.clock.Advance(time.Hour)
	r := h.do("POST", "/api/v1/groups", `{"profile":{"name":"Platform","description":"Platform team"}}`)
	require.Equal(t, 200, r.status, string(r.body))
	g := r.json(t)
	id := g["id"].(string)
	assert.Equal(t, "OKTA_GROUP", g["type"])
	assert.Equal(t, "2026-03-04T06:06:07.000Z", g["created"])

	h.clock.Advance(time.Minute)
	r = h.do("PUT", "/api/v1/groups/"+id, `{"profile":{"name":"Platform Eng"}}`)
	require.Equal(t, 200, r.status, string(r.body))
	g = r.json(t)
	assert.Equal(t, map[string]any{"name": "Platform Eng", "description": nil}, g["profile"], "PUT replaces the profile (description shows as null)")
	assert.Equal(t, "2026-03-04T06:07:07.000Z", g["lastUpdated"])
	assert.Equal(t, "2026-03-04T06:06:07.000Z", g["created"])

	// The old name is free again, the new one taken.
	assert.Equal(t, 200, h.do("POST", "/api/v1/groups", `{"profile":{"name":"Platform"}}`).status)
	r = h.do("POST", "/api/v1/groups", `{"profile":{"name":"platform eng"}}`)
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "Api validation failed: name", r.json(t)["errorSummary"])
	assert.Equal(t, []any{map[string]any{"errorSummary": "name: An object with this field already exists in the current organization"}}, r.json(t)["errorCauses"])

	r = h.do("DELETE", "/api/v1/groups/"+id, "")
	assert.Equal(t, 204, r.status)
	assert.Equal(t, 404, h.do("GET", "/api/v1/groups/"+id, "").status)
	assert.Equal(t, 404, h.do("DELETE", "/api/v1/groups/"+id, "").status)
}

func TestGroupValidation(t *testing.T) {
	h := newTestOrg(t)
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantCode                 string
	}{
		{"no name", "POST", "/api/v1/groups", `{"profile":{"description":"x"}}`, 400, "E0000001"},
		{"no profile", "POST", "/api/v1/groups", `{}`, 400, "E0000001"},
		{"blank name", "POST", "/api/v1/groups", `{"profile":{"name":"  "}}`, 400, "E0000001"},
		{"name not a string", "POST", "/api/v1/groups", `{"profile":{"name":7}}`, 400, "E0000001"},
		{"duplicate name", "POST", "/api/v1/groups", `{"profile":{"name":"ENGINEERING"}}`, 400, "E0000001"},
		{"malformed", "POST", "/api/v1/groups", `{"profile":`, 400, "E0000003"},
		{"rename onto another", "PUT", "/api/v1/groups/" + h.groupID("Sales"), `{"profile":{"name":"Engineering"}}`, 400, "E0000001"},
		{"replace unknown", "PUT", "/api/v1/groups/00gnothere0000000000", `{"profile":{"name":"X"}}`, 404, "E0000007"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.org.GroupCount()
			r := h.do(tt.method, tt.path, tt.body)
			assert.Equal(t, tt.wantStatus, r.status, string(r.body))
			assert.Equal(t, tt.wantCode, r.errorCode(t))
			assert.Equal(t, before, h.org.GroupCount())
		})
	}
	// Renaming a group to its own name (another case) is fine.
	assert.Equal(t, 200, h.do("PUT", "/api/v1/groups/"+h.groupID("Sales"), `{"profile":{"name":"SALES"}}`).status)
}

func TestBuiltInAndAppGroupsAreProtected(t *testing.T) {
	h := newTestOrg(t)
	everyone, vpn := h.org.EveryoneGroupID(), h.groupID("VPN Users")
	staged := h.userID("staged@example.com")
	active := h.userID("active@example.com")
	tests := []struct {
		name, method, path, body string
	}{
		{"replace Everyone", "PUT", "/api/v1/groups/" + everyone, `{"profile":{"name":"All"}}`},
		{"delete Everyone", "DELETE", "/api/v1/groups/" + everyone, ""},
		// Membership changes of Everyone: 501 E0000060, see fidelity_test.go.
		{"replace APP_GROUP", "PUT", "/api/v1/groups/" + vpn, `{"profile":{"name":"VPN"}}`},
		{"add to APP_GROUP", "PUT", "/api/v1/groups/" + vpn + "/users/" + staged, ""},
		{"remove from APP_GROUP", "DELETE", "/api/v1/groups/" + vpn + "/users/" + active, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do(tt.method, tt.path, tt.body)
			assert.Equal(t, 403, r.status, string(r.body))
			assert.Equal(t, "E0000006", r.errorCode(t))
			assert.Equal(t, "You do not have permission to perform the requested action", r.json(t)["errorSummary"])
		})
	}
	g, _ := h.org.LookupGroup(vpn)
	assert.Equal(t, "VPN Users", g.Name)
	assert.Contains(t, g.MemberIDs, active)

	// An APP_GROUP can be deleted; its members lose the membership.
	require.Equal(t, 204, h.do("DELETE", "/api/v1/groups/"+vpn, "").status)
	u, _ := h.org.LookupUser(active)
	assert.NotContains(t, u.GroupIDs, vpn)
	_, found := h.org.LookupGroup(everyone)
	assert.True(t, found)
}

func TestMembership(t *testing.T) {
	h := newTestOrg(t)
	sales := h.groupID("Sales")
	uid := h.userID("staged@example.com")
	g0, _ := h.org.LookupGroup(sales)

	h.clock.Advance(time.Minute)
	r := h.do("PUT", "/api/v1/groups/"+sales+"/users/"+uid, "")
	require.Equal(t, 204, r.status, string(r.body))
	assert.Empty(t, r.body)
	g, _ := h.org.LookupGroup(sales)
	assert.Contains(t, g.MemberIDs, uid)
	assert.Equal(t, h.clock.Now().Truncate(time.Second), g.LastMembershipUpdated)
	assert.Equal(t, g0.LastUpdated, g.LastUpdated, "membership changes do not touch lastUpdated")

	// Adding again is an idempotent 204 that changes nothing.
	h.clock.Advance(time.Minute)
	require.Equal(t, 204, h.do("PUT", "/api/v1/groups/"+sales+"/users/"+uid, "").status)
	g2, _ := h.org.LookupGroup(sales)
	assert.Equal(t, g.MemberIDs, g2.MemberIDs)
	assert.Equal(t, g.LastMembershipUpdated, g2.LastMembershipUpdated)

	// The member list shows the user.
	members := h.do("GET", "/api/v1/groups/"+sales+"/users", "").list(t)
	assert.Contains(t, ids(members), uid)

	require.Equal(t, 204, h.do("DELETE", "/api/v1/groups/"+sales+"/users/"+uid, "").status)
	g3, _ := h.org.LookupGroup(sales)
	assert.NotContains(t, g3.MemberIDs, uid)
	assert.Equal(t, h.clock.Now().Truncate(time.Second), g3.LastMembershipUpdated)
	// Removing a non-member is a 204 no-op too.
	assert.Equal(t, 204, h.do("DELETE", "/api/v1/groups/"+sales+"/users/"+uid, "").status)

	for _, tt := range []struct{ path, code string }{
		{"/api/v1/groups/00gnothere0000000000/users/" + uid, "E0000007"},
		{"/api/v1/groups/" + sales + "/users/00unothere0000000000", "E0000007"},
	} {
		r := h.do("PUT", tt.path, "")
		assert.Equal(t, 404, r.status)
		assert.Equal(t, tt.code, r.errorCode(t))
	}
}

func TestEveryoneHasEveryUser(t *testing.T) {
	h := newTestOrg(t)
	everyone := h.org.EveryoneGroupID()
	n := len(h.do("GET", "/api/v1/groups/"+everyone+"/users", "").list(t))
	assert.Equal(t, h.org.UserCount(), n, "Everyone lists DEPROVISIONED users too")

	h.clock.Advance(time.Minute)
	r := h.do("POST", "/api/v1/users?activate=false", newUserBody("fresh@example.com", ""))
	require.Equal(t, 200, r.status)
	id := r.json(t)["id"].(string)
	assert.Contains(t, ids(h.do("GET", "/api/v1/groups/"+everyone+"/users", "").list(t)), id)
	g, _ := h.org.LookupGroup(everyone)
	assert.Equal(t, h.clock.Now().Truncate(time.Second), g.LastMembershipUpdated)
	groups := h.do("GET", "/api/v1/users/"+id+"/groups", "").list(t)
	require.Len(t, groups, 1)
	assert.Equal(t, everyone, groups[0]["id"])
}

func TestListGroupsQ(t *testing.T) {
	h := newTestOrg(t)
	for i := range 5 {
		require.Equal(t, 200, h.do("POST", "/api/v1/groups", fmt.Sprintf(`{"profile":{"name":"Eng %d"}}`, i)).status)
	}
	require.Equal(t, 200, h.do("POST", "/api/v1/groups", `{"profile":{"name":"Eng"}}`).status)
	r := h.do("GET", "/api/v1/groups?q=eng", "")
	require.Equal(t, 200, r.status)
	list := r.list(t)
	assert.Len(t, list, 7)
	assert.Equal(t, "Eng", list[0]["profile"].(map[string]any)["name"], "an exact match comes first")
	assert.Len(t, h.do("GET", "/api/v1/groups?q=eng&limit=2", "").list(t), 2)
	assert.Empty(t, r.header.Values("Link"), "q is not paged: no Link header (fidelity_test.go)")
	assert.Empty(t, h.do("GET", "/api/v1/groups?q=zzz", "").list(t))
}
