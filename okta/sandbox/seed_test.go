package sandbox

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeedExampleLoads(t *testing.T) {
	f, err := os.Open("testdata/seed-example.json")
	require.NoError(t, err)
	defer f.Close()
	seed, err := LoadSeed(f)
	require.NoError(t, err)
	h := newHarness(t, Options{Seed: seed})
	assert.Equal(t, 4, h.org.UserCount())
	assert.Equal(t, 4, h.org.GroupCount())
	assert.Equal(t, "00gsandboxeveryone01", h.org.EveryoneGroupID())

	ada, ok := h.org.LookupUser("ada.lovelace")
	require.True(t, ok)
	assert.Equal(t, "00usandboxadalovela1", ada.ID)
	assert.True(t, ada.HasPassword)
	assert.Len(t, ada.GroupIDs, 3)
	u := h.do("GET", "/api/v1/users/ada.lovelace", "").json(t)
	assert.Equal(t, "2025-01-06T09:00:00.000Z", u["created"])
	assert.Equal(t, "2025-01-06T09:00:00.000Z", u["activated"], "defaults to created")
	assert.Equal(t, "2025-02-01T08:30:00.000Z", u["lastLogin"])
	assert.NotContains(t, string(h.do("GET", "/api/v1/users/ada.lovelace", "").body), "Sandbox-Example-Passw0rd")

	susp := h.do("GET", "/api/v1/users/on.leave", "").json(t)
	assert.Equal(t, "What was the name of your first pet?", susp["credentials"].(map[string]any)["recovery_question"].(map[string]any)["question"])
	staged := h.do("GET", "/api/v1/users/new.hire", "").json(t)
	assert.Nil(t, staged["statusChanged"])
	assert.Nil(t, staged["activated"])
	assert.Equal(t, "2026-03-04T05:06:07.000Z", staged["created"], "defaults to the org's creation time")

	vpn := h.do("GET", "/api/v1/groups/00gsandboxvpnusers01", "").json(t)
	assert.Equal(t, []any{"okta:windows_security_principal"}, vpn["objectClass"])

	// Factors and sessions from the seed, with their defaults.
	assert.Equal(t, 2, h.org.SessionCount(ada.ID))
	assert.Equal(t, 3, h.org.FactorCount(ada.ID))
	var fs []map[string]any
	require.NoError(t, json.Unmarshal(h.do("GET", "/api/v1/users/"+ada.ID+"/factors", "").body, &fs))
	require.Len(t, fs, 3)
	assert.Equal(t, "sms", fs[0]["factorType"])
	assert.True(t, strings.HasPrefix(fs[0]["id"].(string), "mbl"), fs[0]["id"])
	assert.Equal(t, "OKTA", fs[0]["provider"])
	assert.Equal(t, "OKTA", fs[0]["vendorName"], "defaults to the provider")
	assert.Equal(t, "ACTIVE", fs[0]["status"])
	assert.Equal(t, "2025-01-07T10:00:00.000Z", fs[0]["created"])
	assert.Equal(t, "+15555550100", fs[0]["profile"].(map[string]any)["phoneNumber"])
	assert.Equal(t, "2025-01-06T09:00:00.000Z", fs[1]["created"], "defaults to the user's creation")
	assert.Equal(t, "GOOGLE", fs[2]["provider"])
	assert.Equal(t, "PENDING_ACTIVATION", fs[2]["status"])
	h.do("DELETE", "/api/v1/users/"+ada.ID+"/sessions", "")
	assert.Equal(t, 0, h.org.SessionCount(ada.ID))
	// A seed has no System Log history: only what is done from now on.
	var events []map[string]any
	require.NoError(t, json.Unmarshal(h.do("GET", "/api/v1/logs", "").body, &events))
	require.Len(t, events, 1)
	assert.Equal(t, "user.session.clear", events[0]["eventType"])
}

func TestDemoSeed(t *testing.T) {
	seed := DemoSeed()
	statuses := map[string]int{}
	for _, u := range seed.Users {
		statuses[u.Status]++
		assert.True(t, strings.HasSuffix(u.Profile["email"].(string), "example.com"))
	}
	assert.GreaterOrEqual(t, len(seed.Users), 45)
	for _, s := range []string{"ACTIVE", "STAGED", "PROVISIONED", "SUSPENDED", "DEPROVISIONED", "RECOVERY", "LOCKED_OUT", "PASSWORD_EXPIRED"} {
		assert.Positive(t, statuses[s], s)
	}
	assert.Greater(t, statuses["ACTIVE"], len(seed.Users)/2)
	types := map[string]int{}
	for _, g := range seed.Groups {
		types[g.Type]++
	}
	assert.Equal(t, map[string]int{"BUILT_IN": 1, "APP_GROUP": 1, "OKTA_GROUP": 6}, types)

	// Deterministic: two demo orgs are identical.
	a := newHarness(t, Options{})
	b := newHarness(t, Options{})
	assert.Equal(t, a.do("GET", "/api/v1/users?limit=200", "").body, b.do("GET", "/api/v1/users?limit=200", "").body)
	// DemoSeed returns a fresh copy each time.
	seed.Users[0].Profile["firstName"] = "Changed"
	assert.NotEqual(t, "Changed", DemoSeed().Users[0].Profile["firstName"])
}

func TestSeedErrors(t *testing.T) {
	user := `{"profile":{"login":"a@example.com","email":"a@example.com","firstName":"A","lastName":"B"}`
	tests := []struct {
		name, json, want string
	}{
		{"unknown field", `{"users":[],"grups":[]}`, `grups: unknown field`},
		{"unknown record field", `{"users":[` + user + `,"stauts":"ACTIVE"}]}`, "users[0] (a@example.com): stauts: unknown field"},
		{"wrong type", `{"users":[{"id":1}]}`, "users[0]: id: want a string, got a JSON number"},
		{"not json", `{"users":`, "not valid JSON"},
		{"syntax error", "{\n \"users\": [}", "line 2, column 12"},
		{"trailing data", `{} {}`, "trailing data"},
		{"bad status", `{"users":[` + user + `,"status":"HAPPY"}]}`, `users[0] (a@example.com): status: unknown status "HAPPY"`},
		{"bad profile", `{"users":[{"profile":{"login":"a"}}]}`, "users[0] (a): profile.firstName: The field cannot be left blank"},
		{"duplicate login", `{"users":[` + user + `},` + strings.Replace(user, "a@", "A@", 1) + `}]}`, "users[1] (A@example.com): profile.login: duplicate login"},
		{"bad user id", `{"users":[` + user + `,"id":"123"}]}`, "not 20 characters"},
		{"unknown group", `{"users":[` + user + `,"groups":["Nope"]}]}`, `unknown group "Nope"`},
		{"bad group type", `{"groups":[{"type":"WEIRD","profile":{"name":"X"}}]}`, "unknown type"},
		{"group without name", `{"groups":[{"profile":{}}]}`, "groups[0]: profile.name: The field cannot be left blank"},
		{"duplicate group", `{"groups":[{"profile":{"name":"X"}},{"profile":{"name":"x"}}]}`, "duplicate name"},
		{"two BUILT_IN", `{"groups":[{"type":"BUILT_IN","profile":{"name":"A"}},{"type":"BUILT_IN","profile":{"name":"B"}}]}`, "only one BUILT_IN"},
		{"Everyone not BUILT_IN", `{"groups":[{"profile":{"name":"Everyone"}}]}`, "not BUILT_IN"},
		{"bad timestamp", `{"users":[` + user + `,"created":"yesterday"}]}`, `users[0] (a@example.com): created: want a timestamp such as "2024-01-02T03:04:05.000Z", got "yesterday"`},
		{"factor of a STAGED user", `{"users":[` + user + `,"status":"STAGED","factors":[{"factorType":"sms"}]}]}`, "users[0] (a@example.com): factors: a STAGED user has never signed in"},
		{"sessions of a DEPROVISIONED user", `{"users":[` + user + `,"status":"DEPROVISIONED","sessions":1}]}`, "users[0] (a@example.com): sessions: a DEPROVISIONED user"},
		{"unknown factor type", `{"users":[` + user + `,"factors":[{"factorType":"SMS"}]}]}`, `users[0] (a@example.com): factors[0].factorType: "SMS" is not one of Okta's factor types (call, email,`},
		{"bad factor status", `{"users":[` + user + `,"factors":[{"factorType":"sms"},{"factorType":"push","status":"INACTIVE"}]}]}`, `users[0] (a@example.com): factors[1].status: "INACTIVE" (want ACTIVE or PENDING_ACTIVATION)`},
		{"secret in a factor", `{"users":[` + user + `,"factors":[{"factorType":"token:software:totp","profile":{"sharedSecret":"JBSWY3DP"}}]}]}`, "users[0] (a@example.com): factors[0].profile.sharedSecret: factor profiles never hold secrets"},
		{"unknown factor field", `{"users":[` + user + `,"factors":[{"factorType":"sms","phone":"+1"}]}]}`, "users[0] (a@example.com): factors[0].phone: unknown field"},
		{"negative sessions", `{"users":[` + user + `,"sessions":-1}]}`, "users[0] (a@example.com): sessions: -1 is not a number of sessions from 0 to 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed, err := LoadSeed(strings.NewReader(tt.json))
			if err == nil {
				_, err = New(Options{Seed: seed})
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var se *SeedError
			assert.ErrorAs(t, err, &se)
		})
	}
}

func TestGenerateSeed(t *testing.T) {
	seed := GenerateSeed(1000, 10)
	require.Len(t, seed.Users, 1000)
	require.Len(t, seed.Groups, 10)
	o, err := New(Options{Seed: seed, Now: func() time.Time { return testStart }})
	require.NoError(t, err)
	assert.Equal(t, 1000, o.UserCount())
	assert.Equal(t, 11, o.GroupCount())
	g, _ := o.LookupGroup("Group 0003")
	assert.Len(t, g.MemberIDs, 100)
	// Deterministic ids.
	o2, err := New(Options{Seed: GenerateSeed(1000, 10)})
	require.NoError(t, err)
	a, _ := o.LookupUser("user000500@example.com")
	b, _ := o2.LookupUser("user000500@example.com")
	assert.Equal(t, a.ID, b.ID)
}
