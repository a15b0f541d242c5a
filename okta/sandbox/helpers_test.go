package sandbox

import (
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

const testPassword = "Sandbox-Test-Passw0rd"

func seedUser(login, status string, password bool, groups ...string) SeedUser {
	name := login[:len(login)-len("@example.com")]
	u := SeedUser{
		Status:  status,
		Profile: map[string]any{"login": login, "email": login, "firstName": name, "lastName": "Tester"},
		Groups:  groups,
	}
	if password {
		u.Password = testPassword
	}
	return u
}

// testSeed is a small org with one user per status (logins name the status)
// and one group of each type.
func testSeed() *Seed {
	return &Seed{
		// Custom attributes the tests set, of several JSON types.
		Schema: &SeedSchema{Custom: map[string]SeedAttribute{
			"age": {Type: "integer"}, "tags": {Type: "array"}, "vip": {Type: "boolean"},
			"n": {Type: "number"}, "big": {Type: "number"}, "b": {Type: "boolean"}, "arr": {Type: "array"},
			"obj": {}, "s": {}, "nul": {},
		}},
		Groups: []SeedGroup{
			{Profile: map[string]any{"name": "Engineering", "description": "Builders"}},
			{Profile: map[string]any{"name": "Sales"}},
			{Type: "APP_GROUP", Profile: map[string]any{"name": "VPN Users"}, SourceID: "0oa000000000000000ab"},
		},
		Users: []SeedUser{
			seedUser("staged@example.com", "STAGED", false),
			seedUser("stagedpw@example.com", "STAGED", true),
			seedUser("provisioned@example.com", "PROVISIONED", false),
			seedUser("active@example.com", "ACTIVE", true, "Engineering", "VPN Users"),
			seedUser("recovery@example.com", "RECOVERY", true),
			seedUser("locked@example.com", "LOCKED_OUT", true),
			seedUser("expired@example.com", "PASSWORD_EXPIRED", true),
			seedUser("suspended@example.com", "SUSPENDED", true, "Engineering"),
			seedUser("deprov@example.com", "DEPROVISIONED", false, "Sales"),
			seedUser("deprovpw@example.com", "DEPROVISIONED", true),
		},
	}
}

func newTestOrg(t *testing.T, opts ...func(*Options)) *harness {
	t.Helper()
	o := Options{Seed: testSeed()}
	for _, f := range opts {
		f(&o)
	}
	return newHarness(t, o)
}

// userID returns the id of the user with the given login.
func (h *harness) userID(login string) string {
	h.t.Helper()
	u, ok := h.org.LookupUser(login)
	require.True(h.t, ok, "user %s", login)
	return u.ID
}

func (h *harness) groupID(name string) string {
	h.t.Helper()
	g, ok := h.org.LookupGroup(name)
	require.True(h.t, ok, "group %s", name)
	return g.ID
}

func (h *harness) status(login string) string {
	h.t.Helper()
	u, ok := h.org.LookupUser(login)
	require.True(h.t, ok, "user %s", login)
	return u.Status
}

func newUserBody(login string, extra string) string {
	return fmt.Sprintf(`{"profile":{"login":%q,"email":%q,"firstName":"New","lastName":"User"}%s}`, login, login, extra)
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ids(list []map[string]any) []string {
	out := make([]string, len(list))
	for i, m := range list {
		out[i], _ = m["id"].(string)
	}
	return out
}
