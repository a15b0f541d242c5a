package sandbox

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exampleSeed loads testdata/seed-example.json, the seed the README shows.
func exampleSeed(t *testing.T) *Seed {
	t.Helper()
	f, err := os.Open("testdata/seed-example.json")
	require.NoError(t, err)
	defer f.Close()
	seed, err := LoadSeed(f)
	require.NoError(t, err)
	return seed
}

func TestSeedExampleLoads(t *testing.T) {
	h := newHarness(t, Options{Seed: exampleSeed(t)})
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
	// The seed's System Log history, oldest first, then what is done now.
	var events []map[string]any
	require.NoError(t, json.Unmarshal(h.do("GET", "/api/v1/logs?since="+testStart.Add(-7*24*time.Hour).Format(time.RFC3339), "").body, &events))
	var types []string
	for _, e := range events {
		types = append(types, e["eventType"].(string))
	}
	assert.Equal(t, []string{"user.session.start", "user.session.start", "group.user_membership.add", "user.lifecycle.suspend", "user.session.clear"}, types)
	signIn := events[0]
	assert.Equal(t, testStart.Truncate(time.Second).Add(-72*time.Hour).UTC().Format("2006-01-02T15:04:05.000Z"), signIn["published"], "ago counts back from the org's creation (to the second)")
	assert.Equal(t, "User login to Okta", signIn["displayMessage"], "Okta's message for a type the org knows")
	assert.Equal(t, "INFO", signIn["severity"])
	assert.Equal(t, map[string]any{"id": ada.ID, "type": "User", "alternateId": "ada.lovelace@example.com", "displayName": "Ada Lovelace"}, signIn["actor"])
	assert.Equal(t, "198.51.100.20", signIn["client"].(map[string]any)["ipAddress"])
	assert.Equal(t, "London", signIn["client"].(map[string]any)["geographicalContext"].(map[string]any)["city"])
	assert.Equal(t, map[string]any{"result": "SUCCESS"}, signIn["outcome"])
	failed := events[1]
	assert.Equal(t, map[string]any{"result": "FAILURE", "reason": "INVALID_CREDENTIALS"}, failed["outcome"])
	assert.Equal(t, "WARN", failed["severity"])
	added := events[2]
	assert.Equal(t, "00usandboxtokenowner", added["actor"].(map[string]any)["id"], "no actor: the API token's owner")
	targets := added["target"].([]any)
	require.Len(t, targets, 2)
	assert.Equal(t, ada.ID, targets[0].(map[string]any)["id"])
	assert.Equal(t, map[string]any{"id": "00gsandboxvpnusers01", "type": "UserGroup", "alternateId": "VPN Users", "displayName": "VPN Users"}, targets[1])
	for _, e := range events[:4] {
		tx := e["transaction"].(map[string]any)["id"].(string)
		assert.Len(t, tx, 27, "each seeded event has a transaction id")
		assert.Equal(t, tx, e["debugContext"].(map[string]any)["debugData"].(map[string]any)["requestId"])
	}
	// An investigator's filter finds the seeded failure.
	r := h.logs(url.Values{"filter": {`outcome.result eq "FAILURE" and actor.alternateId eq "on.leave@example.com"`}, "since": {testStart.Add(-7 * 24 * time.Hour).Format(time.RFC3339)}})
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.Len(t, r.list(t), 1)
}

// A seed's events given by published time: kept in order with the others,
// and beyond Okta's 90 days they are not returned, as Okta's are not.
func TestSeedSystemLogPublished(t *testing.T) {
	user := `{"id":"00usandboxseedlog001","profile":{"login":"a@example.com","email":"a@example.com","firstName":"A","lastName":"B"}}`
	at := func(d time.Duration) string { return testStart.Add(-d).UTC().Format("2006-01-02T15:04:05.000Z") }
	ago := func(d time.Duration) string { return at(d + testStart.Sub(testStart.Truncate(time.Second))) }
	seed, err := LoadSeed(strings.NewReader(`{"users":[` + user + `],"systemLog":[
		{"published":"` + at(time.Hour) + `","eventType":"user.account.lock","actor":"00usandboxseedlog001"},
		{"ago":"2h","eventType":"user.session.start","actor":"A@Example.com"},
		{"published":"` + at(100*24*time.Hour) + `","eventType":"user.session.start","actor":"a@example.com"},
		{"ago":"90m","eventType":"policy.evaluate_sign_on","displayMessage":"Evaluation of sign-on policy","actor":"a@example.com","outcome":{"result":"DENY"}}]}`))
	require.NoError(t, err)
	h := newHarness(t, Options{Seed: seed})
	assert.Equal(t, 4, h.org.LogEventCount(), "all kept")
	r := h.logs(url.Values{"since": {testStart.Add(-179 * 24 * time.Hour).Format(time.RFC3339)}})
	require.Equal(t, 200, r.status, "%s", r.body)
	var got []string
	for _, e := range r.list(t) {
		got = append(got, e["eventType"].(string)+" "+e["published"].(string))
	}
	assert.Equal(t, []string{
		"user.session.start " + ago(2*time.Hour),
		"policy.evaluate_sign_on " + ago(90*time.Minute),
		"user.account.lock " + at(time.Hour),
	}, got, "in time order; the one older than 90 days is not returned")
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
		{"event without type", `{"systemLog":[{"ago":"1h"}]}`, `systemLog[0]: eventType: required, such as "user.session.start"`},
		{"bad event type", `{"systemLog":[{"ago":"1h","eventType":"User Login"}]}`, `systemLog[0] (User Login): eventType: "User Login" is not an Okta event type`},
		{"event without time", `{"systemLog":[{"eventType":"user.session.start"}]}`, `systemLog[0] (user.session.start): published: required (or ago, such as "26h")`},
		{"event with both times", `{"systemLog":[{"ago":"1h","published":"2024-01-02T03:04:05.000Z","eventType":"user.session.start"}]}`, "systemLog[0] (user.session.start): ago: give published or ago, not both"},
		{"bad ago", `{"systemLog":[{"ago":"yesterday","eventType":"user.session.start"}]}`, `systemLog[0] (user.session.start): ago: "yesterday" is not a time before the org's creation`},
		{"negative ago", `{"systemLog":[{"ago":"-1h","eventType":"user.session.start"}]}`, `ago: "-1h" is not a time before`},
		{"ago in days", `{"systemLog":[{"ago":"0d","eventType":"user.session.start"}]}`, `ago: "0d" is not a number of days from 1 to 365`},
		{"event in the future", `{"systemLog":[{"published":"2999-01-02T03:04:05.000Z","eventType":"user.session.start"}]}`, "systemLog[0] (user.session.start): published: 2999-01-02T03:04:05.000Z is in the future"},
		{"unknown message", `{"systemLog":[{"ago":"1h","eventType":"policy.evaluate_sign_on"}]}`, "systemLog[0] (policy.evaluate_sign_on): displayMessage: required for this event type"},
		{"bad severity", `{"systemLog":[{"ago":"1h","eventType":"user.session.start","severity":"LOUD"}]}`, `severity: "LOUD" (want DEBUG, INFO, WARN or ERROR)`},
		{"bad outcome", `{"systemLog":[{"ago":"1h","eventType":"user.session.start","outcome":{"result":"OK"}}]}`, `systemLog[0] (user.session.start): outcome.result: "OK" (want SUCCESS, FAILURE`},
		{"unknown actor", `{"users":[` + user + `}],"systemLog":[{"ago":"1h","eventType":"user.session.start","actor":"b@example.com"}]}`, `systemLog[0] (user.session.start): actor: "b@example.com" is not a user of the seed`},
		{"unknown target", `{"users":[` + user + `}],"systemLog":[{"ago":"1h","eventType":"user.lifecycle.suspend","targets":["a@example.com","Nope"]}]}`, `systemLog[0] (user.lifecycle.suspend): targets[1]: "Nope" is neither a user`},
		{"bad client ip", `{"systemLog":[{"ago":"1h","eventType":"user.session.start","client":{"ipAddress":"10.0.0.300"}}]}`, `client.ipAddress: "10.0.0.300" is not an IP address`},
		{"unknown event field", `{"systemLog":[{"ago":"1h","eventType":"user.session.start","who":"x"}]}`, "systemLog[0] (user.session.start): who: unknown field"},
		{"event field of the wrong type", `{"systemLog":[{"ago":"1h","eventType":"user.session.start","targets":"a@example.com"}]}`, "systemLog[0] (user.session.start): targets: want a list of strings"},
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

// A seed file is an operator's input: whatever it holds, loading it and
// making an org either works or fails with a SeedError, and never panics.
func FuzzLoadSeed(f *testing.F) {
	user := `{"id":"00usandboxfuzzuser01","profile":{"login":"a@example.com","email":"a@example.com","firstName":"A","lastName":"B"},"groups":["G"]`
	for _, s := range []string{
		`{"users":[` + user + `}],"groups":[{"profile":{"name":"G"}}]}`,
		`{"users":[` + user + `,"status":"LOCKED_OUT","factors":[{"factorType":"sms","profile":{"phoneNumber":"+1"}}],"sessions":2}],"groups":[{"profile":{"name":"G"}}]}`,
		`{"users":[` + user + `}],"groups":[{"profile":{"name":"G"}}],"systemLog":[{"ago":"3d","eventType":"user.session.start","actor":"a@example.com","outcome":{"result":"FAILURE","reason":"x"},"client":{"ipAddress":"203.0.113.9"}},{"published":"2026-01-01T00:00:00.123Z","eventType":"group.user_membership.add","targets":["a@example.com","G"]}]}`,
		`{"schema":{"custom":{"badgeId":{"type":"string"}}},"users":[{"profile":{"login":"b@example.com","email":"b@example.com","firstName":"B","lastName":"C","badgeId":"7"}}]}`,
		`{"groups":[{"type":"BUILT_IN","profile":{"name":"Everyone"}},{"type":"APP_GROUP","profile":{"name":"X"}}]}`,
		`{"systemLog":[{"ago":"1d","eventType":"a.b"}]}`, `{"users":[{}]}`, `[]`, `{`,
	} {
		f.Add(s)
	}
	now := func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) }
	f.Fuzz(func(t *testing.T, s string) {
		seed, err := LoadSeed(strings.NewReader(s))
		if err == nil {
			_, err = New(Options{Seed: seed, Now: now})
		}
		if err != nil {
			var se *SeedError
			if !errors.As(err, &se) {
				t.Fatalf("%q: error %v (%T) is not a SeedError", s, err, err)
			}
		}
	})
}

func TestSeedAdminRoleErrors(t *testing.T) {
	_, err := New(Options{Seed: &Seed{Users: []SeedUser{{AdminRole: "ORG_ADMIN", Profile: map[string]any{"login": "a@example.com", "email": "a@example.com", "firstName": "A", "lastName": "B"}}}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `users[0] (a@example.com): adminRole: "ORG_ADMIN" (want SUPER_ADMIN or READ_ONLY_ADMIN)`)
	var se *SeedError
	assert.ErrorAs(t, err, &se)
}
