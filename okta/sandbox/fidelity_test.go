package sandbox

// Fidelity tests: facts about real Okta, each mined from recorded traffic
// of real orgs (or, where the recordings are silent, Okta's own
// documentation), stated as table rows with their source, and checked
// against the in-memory org. The recordings themselves are not part of
// the project; a row says what was observed and where to look:
//
//	tf   okta/terraform-provider-okta, go-vcr recordings of acceptance tests
//	     against a Classic and an Identity Engine org (2025-2026),
//	     test/fixtures/vcr/idaas/<Test>/{classic,oie}-00.yaml
//	py   okta/okta-sdk-python, vcrpy cassettes (2020 and 2025-2026, all
//	     headers), tests/integration/cassettes/<module>/<Test>.yaml
//	docs okta/okta-developer-docs: the error catalog, the legacy Users API
//	     reference and the management rate-limit table
//
// "#n" after a path is the interaction's index in the file. Where sources
// disagree or are silent, the row cites the decision in doc.go.

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// source names one recorded interaction or document.
type source struct{ repo, commit, path string }

func (s source) String() string { return s.repo + "@" + s.commit[:12] + ":" + s.path }

const (
	tfCommit   = "e59c130b0b6e4b9f76aacbba437515cd5e95cc71"
	pyCommit   = "f68509793adefde945ab53ff38f83fab578e3966"
	docsCommit = "468de9c511b5e4009bb5f06c25cbf4b85fecb8d0"
	// The management rate-limit table, before its page was removed in
	// 6de7f89f (2025-12-16).
	docsRLCommit = "69fe2395b5e2f2d2852cb21e61c416a845d52f9e"
	// The legacy Users API reference, before its stub cleanup 982a3bc1.
	docsUsersCommit = "ecf85338c0d88aae810ca6c2624090735b6f6688"
)

func tf(path string) source {
	return source{"okta/terraform-provider-okta", tfCommit, "test/fixtures/vcr/idaas/" + path}
}

func py(path string) source {
	return source{"okta/okta-sdk-python", pyCommit, "tests/integration/cassettes/" + path}
}

var (
	docsErrors    = source{"okta/okta-developer-docs", docsCommit, "packages/@okta/vuepress-site/data/error-codes.json"}
	docsRateLimit = source{"okta/okta-developer-docs", docsRLCommit, "packages/@okta/vuepress-site/docs/reference/rl-global-mgmt/index.md"}
	docsOAuthRL   = source{"okta/okta-developer-docs", docsRLCommit, "packages/@okta/vuepress-site/docs/reference/rl-global-enduser/index.md"}
	docsUsers     = source{"okta/okta-developer-docs", docsUsersCommit, "packages/@okta/vuepress-site/docs/reference/api/users/index.md"}
	decision      = source{"okta-mcp/okta-mcp", "0000000000000000000000000000000000000000", "okta/sandbox/doc.go (a decision: sources silent or in disagreement)"}
)

// The X-Rate-Limit-Limit a standard org announces for each operation. The
// 2020 cassettes of okta-sdk-python come from an org with the Workforce
// Identity limits of Okta's table; the 2025 ones from an org with the
// lower limits of a free/integrator plan (50, 300), not modelled.
var rateLimitFacts = []struct {
	method, path string
	limit        string
	src          source
}{
	{"GET", "/api/v1/users", "600", py("test_users_it/TestUsersResource.test_activate_user.yaml#2")},
	{"POST", "/api/v1/users", "600", py("test_users_it/TestUsersResource.test_activate_user.yaml#0")},
	{"GET", "/api/v1/users/{user}", "2000", py("test_users_it/TestUsersResource.test_create_get_user.yaml#1")},
	{"GET", "/api/v1/users/{login}", "2000", py("test_users_it/TestUsersResource.test_create_get_user.yaml#2")},
	{"POST", "/api/v1/users/{user}", "600", py("test_users_it/TestUsersResource.test_update_user_profile.yaml#1")},
	{"DELETE", "/api/v1/users/{user}", "600", py("test_users_it/TestUsersResource.test_activate_user.yaml#4")},
	{"POST", "/api/v1/users/{user}/lifecycle/suspend", "600", py("test_users_it/TestUsersResource.test_suspend_user.yaml#1")},
	{"GET", "/api/v1/groups", "500", py("test_groups_it/TestGroupsResource.test_list_groups.yaml#1")},
	{"POST", "/api/v1/groups", "500", py("test_groups_it/TestGroupsResource.test_list_groups.yaml#0")},
	{"GET", "/api/v1/groups/{group}", "1000", py("test_groups_it/TestGroupsResource.test_update_group.yaml#2")},
	{"PUT", "/api/v1/groups/{group}", "1000", py("test_groups_it/TestGroupsResource.test_update_group.yaml#1")},
	{"DELETE", "/api/v1/groups/{group}", "1000", py("test_groups_it/TestGroupsResource.test_update_group.yaml#3")},
	{"GET", "/api/v1/groups/{group}/users", "500", py("test_groups_it/TestGroupsResource.test_group_users_operations.yaml#4")},
	{"PUT", "/api/v1/groups/{group}/users/{user}", "500", py("test_groups_it/TestGroupsResource.test_group_users_operations.yaml#3")},
	{"DELETE", "/api/v1/groups/{group}/users/{user}", "500", py("test_groups_it/TestGroupsResource.test_group_users_operations.yaml#5")},
	{"GET", "/api/v1/users/{user}/groups", "600", docsRateLimit}, // "/api/v1/users*" shares the users bucket (recordings: lifecycle, roles, factors)
	{"POST", "/oauth2/v1/token", "2000", docsOAuthRL},
	{"GET", "/api/v1/users/{user}/factors", "600", py("test_factors_it/TestFactorsResource.test_list_factors_new_user.yaml#1")},
	{"DELETE", "/api/v1/users/{user}/sessions", "600", docsRateLimit}, // "/api/v1/users*", as the other /api/v1/users/{id}/... operations
	{"GET", "/api/v1/logs", "120", docsRateLimit},
	{"POST", "/api/v1/users/{user}/lifecycle/reset_factors", "600", py("test_users_it/TestUsersResource.test_reset_factors.yaml")},
}

// Operations that count against one bucket: in the recordings, a request
// of the second operation right after one of the first lowers the same
// X-Rate-Limit-Remaining (same X-Rate-Limit-Reset).
var sharedBucketFacts = []struct {
	first, second [2]string // method, path
	shared        bool
	src           source
}{
	{[2]string{"POST", "/api/v1/users"}, [2]string{"POST", "/api/v1/users/{user}/lifecycle/activate"}, true,
		py("test_users_it/TestUsersResource.test_activate_user.yaml#0-2 (Remaining 598, 597, 596)")},
	{[2]string{"POST", "/api/v1/users/{user}/lifecycle/suspend"}, [2]string{"GET", "/api/v1/users"}, true,
		py("test_users_it/TestUsersResource.test_suspend_user.yaml#1-2")},
	{[2]string{"POST", "/api/v1/users"}, [2]string{"GET", "/api/v1/users/{user}"}, false,
		py("test_users_it/TestUsersResource.test_create_get_user.yaml#0-1 (600/599 then 2000/1999)")},
	{[2]string{"POST", "/api/v1/users/{user}"}, [2]string{"DELETE", "/api/v1/users/{user}"}, true,
		docsRateLimit}, // "Update or delete a user by ID"
	{[2]string{"GET", "/api/v1/users"}, [2]string{"DELETE", "/api/v1/users/{user}"}, false,
		py("test_users_it/TestUsersResource.test_activate_user.yaml#2-4 (reset ...525 vs ...555)")},
	{[2]string{"POST", "/api/v1/groups"}, [2]string{"PUT", "/api/v1/groups/{group}/users/{user}"}, true,
		py("test_groups_it/TestGroupsResource.test_group_users_operations.yaml#2-3 (483, 482)")},
	{[2]string{"GET", "/api/v1/groups/{group}/users"}, [2]string{"DELETE", "/api/v1/groups/{group}/users/{user}"}, true,
		py("test_groups_it/TestGroupsResource.test_group_users_operations.yaml#4-5")},
	{[2]string{"PUT", "/api/v1/groups/{group}"}, [2]string{"GET", "/api/v1/groups/{group}"}, true,
		py("test_groups_it/TestGroupsResource.test_update_group.yaml#1-2 (994, 993)")},
	{[2]string{"POST", "/api/v1/groups"}, [2]string{"GET", "/api/v1/groups/{group}"}, false,
		py("test_groups_it/TestGroupsResource.test_update_group.yaml#0-1 (500 vs 1000)")},
}

// fidelityOrg is an org with Okta's default rate limits, and fill, which
// puts the ids of one of its users and groups into a path.
func fidelityOrg(t *testing.T) (*harness, func(string) string) {
	h := newTestOrg(t)
	fill := strings.NewReplacer("{user}", h.userID("active@example.com"), "{login}", "active@example.com",
		"{group}", h.groupID("Engineering")).Replace
	return h, fill
}

// fidelityBody is a valid body for a request of the tables.
func fidelityBody(method, path string) string {
	switch {
	case method == "POST" && path == "/api/v1/users":
		return newUserBody("fidelity@example.com", "")
	case method == "POST" && path == "/api/v1/groups":
		return `{"profile":{"name":"Fidelity"}}`
	case method == "PUT" && path == "/api/v1/groups/{group}":
		return `{"profile":{"name":"Engineering"}}`
	case method == "POST" && path == "/api/v1/users/{user}":
		return `{"profile":{"title":"Fidelity"}}`
	}
	return ""
}

func TestFidelityRateLimitPerOperation(t *testing.T) {
	for _, f := range rateLimitFacts {
		t.Run(f.method+" "+f.path, func(t *testing.T) {
			h, fill := fidelityOrg(t)
			r := h.do(f.method, fill(f.path), fidelityBody(f.method, f.path))
			assert.Equal(t, f.limit, r.header.Get("X-Rate-Limit-Limit"), "%s\nsource: %s", r.body, f.src)
		})
	}
}

func TestFidelitySharedRateLimitBuckets(t *testing.T) {
	for _, f := range sharedBucketFacts {
		t.Run(f.first[0]+" "+f.first[1]+" then "+f.second[0]+" "+f.second[1], func(t *testing.T) {
			h, fill := fidelityOrg(t)
			// One request of the second operation, three of the first, one
			// more of the second: with one counter the last answer is one
			// below the one before; with two, two below its own limit.
			h.do(f.second[0], fill(f.second[1]), fidelityBody(f.second[0], f.second[1]))
			var a result
			for range 3 {
				a = h.do(f.first[0], fill(f.first[1]), fidelityBody(f.first[0], f.first[1]))
			}
			b := h.do(f.second[0], fill(f.second[1]), fidelityBody(f.second[0], f.second[1]))
			ra, rb := atoi(t, a.header.Get("X-Rate-Limit-Remaining")), atoi(t, b.header.Get("X-Rate-Limit-Remaining"))
			if f.shared {
				assert.Equal(t, ra-1, rb, "one counter: source: %s", f.src)
			} else {
				assert.Equal(t, atoi(t, b.header.Get("X-Rate-Limit-Limit"))-2, rb, "separate counters: source: %s", f.src)
			}
		})
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

// The _links of a single user, by status (GET /api/v1/users/{id} and the
// answers of create, update and expire_password carry the same).
// Collections carry self only.
var userLinkFacts = []struct {
	login string // a user of testSeed in that status
	rels  []string
	src   source
}{
	{"staged@example.com", []string{"self", "activate", "resetFactors", "schema", "type"},
		tf("TestAccResourceOktaUser_hashed_password_crud/classic-00.yaml#1")},
	{"provisioned@example.com", []string{"self", "reactivate", "resetPassword", "suspend", "resetFactors", "deactivate", "schema", "type"},
		tf("TestAccDataSourceOktaAppUserAssignments_read/classic-00.yaml#3")},
	{"active@example.com", []string{"self", "suspend", "resetPassword", "expirePassword", "forgotPassword", "changePassword",
		"changeRecoveryQuestion", "resetFactors", "deactivate", "schema", "type"},
		tf("TestAccResourceOktaUser_updateCredentials/classic-00.yaml#1")},
	{"expired@example.com", []string{"self", "suspend", "resetPassword", "expirePassword", "forgotPassword", "changePassword",
		"changeRecoveryQuestion", "resetFactors", "deactivate", "schema", "type"},
		py("test_users_it/TestUsersResource.test_expire_password.yaml#2")},
	{"suspended@example.com", []string{"self", "unsuspend", "resetFactors", "deactivate", "schema", "type"},
		py("test_users_it/TestUsersResource.test_comprehensive_user_lifecycle.yaml#4")},
	// The Classic org adds resetFactors (classic-00.yaml#6); the org follows
	// Identity Engine, where reset_factors of a DEPROVISIONED user is refused.
	{"deprov@example.com", []string{"self", "activate", "delete", "schema", "type"},
		tf("TestAccResourceOktaUser_statusDeprovisioned/oie-00.yaml#6")},
	// Never recorded: the legal operations (decision).
	{"recovery@example.com", []string{"self", "reactivate", "resetPassword", "expirePassword", "resetFactors", "deactivate", "schema", "type"}, decision},
	{"locked@example.com", []string{"self", "unlock", "resetPassword", "expirePassword", "resetFactors", "deactivate", "schema", "type"}, decision},
}

// Where each link points, and with which method.
var userLinkTargets = map[string][2]string{
	"self": {"", ""}, "activate": {"/lifecycle/activate", "POST"}, "reactivate": {"/lifecycle/reactivate", "POST"},
	"deactivate": {"/lifecycle/deactivate", "POST"}, "suspend": {"/lifecycle/suspend", "POST"},
	"unsuspend": {"/lifecycle/unsuspend", "POST"}, "unlock": {"/lifecycle/unlock", "POST"},
	"resetPassword": {"/lifecycle/reset_password", "POST"}, "expirePassword": {"/lifecycle/expire_password", "POST"},
	"resetFactors": {"/lifecycle/reset_factors", "POST"}, "changePassword": {"/credentials/change_password", "POST"},
	"changeRecoveryQuestion": {"/credentials/change_recovery_question", "POST"},
	"forgotPassword":         {"/credentials/forgot_password", "POST"}, "delete": {"", "DELETE"},
}

func TestFidelityUserLinks(t *testing.T) {
	h := newTestOrg(t)
	for _, f := range userLinkFacts {
		t.Run(f.login, func(t *testing.T) {
			id := h.userID(f.login)
			u := h.do("GET", "/api/v1/users/"+id, "").json(t)
			links := u["_links"].(map[string]any)
			assert.ElementsMatch(t, f.rels, keys(links), "source: %s", f.src)
			self := DemoOrgURL + "/api/v1/users/" + id
			for rel, v := range links {
				l := v.(map[string]any)
				switch rel {
				case "schema":
					assert.Regexp(t, `^https://sandbox\.okta\.com/api/v1/meta/schemas/user/osc[0-9A-Za-z]{17}$`, l["href"])
					assert.NotContains(t, l, "method")
				case "type":
					assert.Equal(t, DemoOrgURL+"/api/v1/meta/types/user/"+defaultUserTypeID, l["href"])
				default:
					want := userLinkTargets[rel]
					assert.Equal(t, self+want[0], l["href"], rel)
					if want[1] == "" {
						assert.NotContains(t, l, "method", rel)
					} else {
						assert.Equal(t, want[1], l["method"], rel)
					}
				}
			}
		})
	}
	// Collections: self only (py test_users_it/TestUsersResource.test_suspend_user.yaml#2,
	// tf TestAccDataSourceOktaGroup_read/classic-00.yaml#10).
	for _, u := range h.do("GET", "/api/v1/users?search="+url.QueryEscape(`status pr`), "").list(t) {
		assert.Equal(t, []string{"self"}, keys(u["_links"].(map[string]any)), u["status"])
	}
}

// What a create answers, by query and credentials: the status, which
// timestamps are set (to the creation time) and the credentials provider.
var createUserFacts = []struct {
	name, query, credentials string
	status                   string
	activated, statusChanged bool
	passwordChanged          bool
	provider                 string
	src                      source
}{
	{"no password", "", `{"password":{}}`, "PROVISIONED", true, true, false, "OKTA",
		tf("TestAccDataSourceOktaGroup_read/classic-00.yaml#5")},
	{"password", "?activate=true", `{"password":{"value":"` + testPassword + `"}}`, "ACTIVE", true, true, true, "OKTA",
		py("test_users_it/TestUsersResource.test_forgot_password.yaml#1")},
	{"staged", "?activate=false", `{"password":{}}`, "STAGED", false, false, false, "OKTA",
		tf("TestAccResourceOktaUser_updateAllAttributes/classic-00.yaml#0")},
	{"staged with password", "?activate=false", `{"password":{"value":"` + testPassword + `"}}`, "STAGED", false, false, true, "OKTA",
		py("test_users_it/TestUsersResource.test_activate_user.yaml#0")},
	{"hashed password", "?activate=false", `{"password":{"hash":{"algorithm":"SHA-512","salt":"c2FsdA==","saltOrder":"PREFIX","value":"aGFzaA=="}}}`,
		"STAGED", false, false, true, "IMPORT", tf("TestAccResourceOktaUser_hashed_password_crud/classic-00.yaml#0")},
	{"federation", "?provider=true", `{"provider":{"type":"FEDERATION","name":"FEDERATION"}}`, "ACTIVE", true, true, false, "FEDERATION",
		docsUsers}, // "Create User with Authentication Provider"
	{"federation staged", "?provider=true&activate=false", `{"provider":{"type":"FEDERATION","name":"FEDERATION"}}`, "STAGED", false, false, false, "FEDERATION",
		docsUsers}, // "sets the user status to either ACTIVE or STAGED based on the activate query parameter"
}

func TestFidelityCreateUser(t *testing.T) {
	for _, f := range createUserFacts {
		t.Run(f.name, func(t *testing.T) {
			h := newTestOrg(t)
			r := h.do("POST", "/api/v1/users"+f.query, newUserBody("fidelity@example.com", `,"credentials":`+f.credentials))
			require.Equal(t, 200, r.status, "%s", r.body)
			u := r.json(t)
			created := u["created"]
			assert.Equal(t, f.status, u["status"], "source: %s", f.src)
			for field, set := range map[string]bool{"activated": f.activated, "statusChanged": f.statusChanged, "passwordChanged": f.passwordChanged} {
				if set {
					assert.Equal(t, created, u[field], "%s: source: %s", field, f.src)
				} else {
					assert.Nil(t, u[field], "%s: source: %s", field, f.src)
				}
			}
			assert.Nil(t, u["lastLogin"])
			creds := u["credentials"].(map[string]any)
			assert.Equal(t, map[string]any{"type": f.provider, "name": f.provider}, creds["provider"], "source: %s", f.src)
			_, hasPassword := creds["password"]
			assert.Equal(t, f.passwordChanged, hasPassword, "a password credential, shown as {}")
		})
	}
}

// The shape of every user answer: the fields present (and which may be
// null), mobilePhone and secondEmail always there (null when unset),
// other attributes set to null absent, no transitioningToStatus, and
// timestamps of whole seconds.
var userShapeFacts = []struct {
	fact string
	src  source
}{
	{"fields: id status created activated statusChanged lastLogin lastUpdated passwordChanged type profile credentials _links",
		tf("TestAccDataSourceOktaAppUserAssignments_read/oie-00.yaml#1")},
	{"profile.mobilePhone and profile.secondEmail are null when unset; postalAddress:null sent on create is absent",
		tf("TestAccResourceOktaUser_updateAllAttributes/classic-00.yaml#0")},
	{"transitioningToStatus is absent unless a transition runs (present only as STAGED->PROVISIONED mid-activation)",
		tf("TestAccDataSourceOktaUsers_read/classic-00.yaml#12")},
	{"timestamps end in .000Z (3880 of 3880 user timestamps in tf, 544 of 544 in py)",
		tf("TestAccDataSourceOktaUser_read/classic-00.yaml")},
}

var timestampRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$`)

func TestFidelityUserShape(t *testing.T) {
	t.Logf("facts: %v", userShapeFacts)
	h := newTestOrg(t)
	body := `{"profile":{"login":"shape@example.com","email":"shape@example.com","firstName":"S","lastName":"H","postalAddress":null}}`
	r := h.do("POST", "/api/v1/users", body)
	require.Equal(t, 200, r.status, "%s", r.body)
	id := r.json(t)["id"].(string)
	h.clock.Advance(1234 * time.Millisecond)
	r = h.do("POST", "/api/v1/users/"+id, `{"profile":{"title":"T"}}`)
	require.Equal(t, 200, r.status, "%s", r.body)
	for _, answer := range []map[string]any{r.json(t), h.do("GET", "/api/v1/users/"+id, "").json(t)} {
		assert.ElementsMatch(t, []string{"id", "status", "created", "activated", "statusChanged", "lastLogin", "lastUpdated",
			"passwordChanged", "type", "profile", "credentials", "_links"}, keys(answer), "source: %s", userShapeFacts[0].src)
		p := answer["profile"].(map[string]any)
		assert.Contains(t, p, "mobilePhone")
		assert.Nil(t, p["mobilePhone"], "source: %s", userShapeFacts[1].src)
		assert.Contains(t, p, "secondEmail")
		assert.Nil(t, p["secondEmail"])
		assert.NotContains(t, p, "postalAddress", "source: %s", userShapeFacts[1].src)
		for _, k := range []string{"created", "activated", "statusChanged", "lastUpdated"} {
			assert.Regexp(t, timestampRE, answer[k], "%s: source: %s", k, userShapeFacts[3].src)
		}
	}
	for _, u := range h.do("GET", "/api/v1/users?limit=200", "").list(t) {
		assert.NotContains(t, u, "transitioningToStatus", "source: %s", userShapeFacts[2].src)
		for _, k := range []string{"created", "lastUpdated"} {
			assert.Regexp(t, timestampRE, u[k])
		}
	}
}

// Group answers: _links by type (no self), the Everyone group.
var groupFacts = []struct {
	name string
	rels []string
	src  source
}{
	{"Engineering", []string{"logo", "users", "apps"}, tf("TestAccDataSourceOktaGroupRule_read/classic-00.yaml#1")},
	{"Everyone", []string{"logo", "users", "apps"}, tf("TestAccDataSourceOktaEveryoneGroup_read/classic-00.yaml#0")},
}

func TestFidelityGroupShape(t *testing.T) {
	h := newTestOrg(t)
	for _, f := range groupFacts {
		t.Run(f.name, func(t *testing.T) {
			g := h.do("GET", "/api/v1/groups/"+h.groupID(f.name), "").json(t)
			links := g["_links"].(map[string]any)
			assert.ElementsMatch(t, f.rels, keys(links), "source: %s", f.src)
			logos := links["logo"].([]any)
			require.Len(t, logos, 2)
			assert.Equal(t, "medium", logos[0].(map[string]any)["name"])
			assert.Regexp(t, `/assets/img/logos/groups/odyssey/okta-medium\.png$`, logos[0].(map[string]any)["href"])
			assert.Equal(t, []any{"okta:user_group"}, g["objectClass"])
			for _, k := range []string{"created", "lastUpdated", "lastMembershipUpdated"} {
				assert.Regexp(t, timestampRE, g[k])
			}
		})
	}
	// A group created without a description shows it as null.
	r := h.do("POST", "/api/v1/groups", `{"profile":{"name":"No description"}}`)
	require.Equal(t, 200, r.status)
	for _, g := range []map[string]any{r.json(t), h.do("GET", "/api/v1/groups/"+r.json(t)["id"].(string), "").json(t)} {
		assert.Equal(t, map[string]any{"name": "No description", "description": nil}, g["profile"],
			"source: %s", py("test_groups_it/TestGroupsResource.test_create_get_group.yaml#0"))
	}
	every := h.do("GET", "/api/v1/groups/"+h.org.EveryoneGroupID(), "").json(t)
	assert.Equal(t, map[string]any{"name": "Everyone", "description": "All users in your organization"}, every["profile"],
		"source: %s", groupFacts[1].src)
}

// Error answers: status, errorCode, errorSummary and errorCauses.
var errorFacts = []struct {
	name, method, path, body string
	status                   int
	code, summary            string
	causes                   []string
	src                      source
}{
	{"unknown user", "GET", "/api/v1/users/00u0000000000000none", "", 404, "E0000007",
		"Not found: Resource not found: 00u0000000000000none (User)", nil,
		py("test_users_it/TestUsersResource.test_create_get_user.yaml#5")},
	{"unknown group", "GET", "/api/v1/groups/00g0000000000000none", "", 404, "E0000007",
		"Not found: Resource not found: 00g0000000000000none (UserGroup)", nil,
		py("test_groups_it/TestGroupsResource.test_create_get_group.yaml#3")},
	{"unlock a user not locked out", "POST", "/api/v1/users/active@example.com/lifecycle/unlock", "", 403, "E0000032",
		"Unlock is not allowed for this user.", []string{"The user is not locked out."},
		py("test_users_it/TestUsersResource.test_unlock_user.yaml#1")},
	{"reactivate an active user", "POST", "/api/v1/users/active@example.com/lifecycle/reactivate?sendEmail=false", "", 403, "E0000038",
		"This operation is not allowed in the user's current status.", nil,
		py("test_users_it/TestUsersResource.test_reactivate_user.yaml#1")},
	{"add a member to Everyone", "PUT", "/api/v1/groups/{everyone}/users/{user}", "", 501, "E0000060",
		"Unsupported operation.", nil, docsErrors},
	{"remove a member from Everyone", "DELETE", "/api/v1/groups/{everyone}/users/{user}", "", 501, "E0000060",
		"Unsupported operation.", nil, docsErrors},
	{"expire on create without a password", "POST", "/api/v1/users?nextLogin=changePassword", newUserBody("x@example.com", ""), 400, "E0000124",
		"Could not create user. To create a user and expire their password immediately, a password must be specified",
		[]string{"Could not create user. To create a user and expire their password immediately, a password must be specified"}, docsErrors},
	{"expire on create without activation", "POST", "/api/v1/users?activate=false&nextLogin=changePassword",
		newUserBody("x@example.com", `,"credentials":{"password":{"value":"`+testPassword+`"}}`), 400, "E0000125",
		`Could not create user. To create a user and expire their password immediately, "activate" must be true`,
		[]string{`Could not create user. To create a user and expire their password immediately, "activate" must be true`}, docsErrors},
}

var errorIDRE = regexp.MustCompile(`^oae[0-9A-Za-z_-]{22}$`)

func TestFidelityErrors(t *testing.T) {
	for _, f := range errorFacts {
		t.Run(f.name, func(t *testing.T) {
			h := newTestOrg(t)
			path := strings.NewReplacer("{everyone}", h.org.EveryoneGroupID(), "{user}", h.userID("staged@example.com")).Replace(f.path)
			r := h.do(f.method, path, f.body)
			require.Equal(t, f.status, r.status, "%s\nsource: %s", r.body, f.src)
			e := r.json(t)
			assert.Equal(t, f.code, e["errorCode"], "source: %s", f.src)
			assert.Equal(t, f.code, e["errorLink"])
			assert.Equal(t, f.summary, e["errorSummary"], "source: %s", f.src)
			assert.Regexp(t, errorIDRE, e["errorId"])
			causes := []string{}
			for _, c := range e["errorCauses"].([]any) {
				causes = append(causes, c.(map[string]any)["errorSummary"].(string))
			}
			if f.causes == nil {
				f.causes = []string{}
			}
			assert.Equal(t, f.causes, causes, "source: %s", f.src)
		})
	}
}

// The user schema: profile attributes must be declared, by Okta's base
// schema or as custom attributes (here: in the seed).
var schemaFacts = []struct {
	name, method, path, body string
	status                   int
	summary                  string
	causes                   []string
	src                      source
}{
	{"create with an undeclared attribute", "POST", "/api/v1/users",
		`{"profile":{"login":"nv@example.com","email":"nv@example.com","firstName":"N","lastName":"V","notValid":"this-isnt-valid","postalAddress":null}}`,
		400, "Api validation failed: newUser", []string{"Property name 'notValid' is not defined in profile"},
		tf("TestAccResourceOktaUser_invalidCustomProfileAttribute/classic-00.yaml#0")},
	{"create with every base attribute", "POST", "/api/v1/users", allBaseAttributesBody, 200, "", nil,
		tf("TestAccResourceOktaUser_updateAllAttributes/classic-00.yaml#7")},
	{"create with a declared custom attribute", "POST", "/api/v1/users",
		`{"profile":{"login":"cu@example.com","email":"cu@example.com","firstName":"C","lastName":"U","age":3}}`, 200, "", nil,
		tf("TestAccResourceOktaUser_customProfileAttributes/classic-00.yaml")},
	// Updates: the cause is Okta's; the summary's object name is a decision.
	{"partial update with an undeclared attribute", "POST", "/api/v1/users/active@example.com",
		`{"profile":{"favouriteColour":"blue"}}`, 400, "Api validation failed: profile",
		[]string{"Property name 'favouriteColour' is not defined in profile"}, decision},
	{"replace with an undeclared attribute", "PUT", "/api/v1/users/active@example.com",
		`{"profile":{"login":"active@example.com","email":"active@example.com","firstName":"A","lastName":"B","badge":"1"}}`, 400, "Api validation failed: profile",
		[]string{"Property name 'badge' is not defined in profile"}, decision},
}

const allBaseAttributesBody = `{"profile":{"city":"New York","costCenter":"10","countryCode":"US","department":"IT",
"displayName":"Dr. T S","division":"Acquisitions","email":"all@example.com","employeeNumber":"111111","firstName":"T",
"honorificPrefix":"Dr.","honorificSuffix":"Jr.","lastName":"S","locale":"en_US","login":"all@example.com","manager":"Jimbo",
"managerId":"222222","middleName":"John","mobilePhone":"1112223333","nickName":"Johnny","organization":"Testing Inc.",
"postalAddress":"1234 Testing St.","preferredLanguage":"en-us","primaryPhone":"4445556666",
"profileUrl":"http://www.example.com/profile","secondEmail":"all2@example.com","state":"NY","streetAddress":"5678 Testing Ave.",
"timezone":"America/New_York","title":"Director","userType":"Employee","zipCode":"11111"}}`

func TestFidelityUserSchema(t *testing.T) {
	for _, f := range schemaFacts {
		t.Run(f.name, func(t *testing.T) {
			h := newTestOrg(t)
			before, _ := h.org.LookupUser("active@example.com")
			r := h.do(f.method, f.path, f.body)
			require.Equal(t, f.status, r.status, "%s\nsource: %s", r.body, f.src)
			if f.status == 200 {
				return
			}
			e := r.json(t)
			assert.Equal(t, "E0000001", e["errorCode"])
			assert.Equal(t, f.summary, e["errorSummary"], "source: %s", f.src)
			var causes []string
			for _, c := range e["errorCauses"].([]any) {
				causes = append(causes, c.(map[string]any)["errorSummary"].(string))
			}
			assert.Equal(t, f.causes, causes, "source: %s", f.src)
			after, _ := h.org.LookupUser("active@example.com")
			assert.Equal(t, before, after, "a refused change changes nothing")
			assert.Equal(t, 10, h.org.UserCount())
		})
	}
}

func TestSeedSchemaErrors(t *testing.T) {
	for _, tt := range []struct {
		schema *SeedSchema
		users  []SeedUser
		want   string
	}{
		{&SeedSchema{Custom: map[string]SeedAttribute{"title": {}}}, nil, `sandbox: seed: schema.custom.title: a base attribute of Okta's user schema`},
		{&SeedSchema{Custom: map[string]SeedAttribute{"x": {Type: "date"}}}, nil, `sandbox: seed: schema.custom.x.type: unknown type "date"`},
		{&SeedSchema{Custom: map[string]SeedAttribute{"": {}}}, nil, `sandbox: seed: schema.custom: attribute name "" is not a valid variable name`},
		{nil, []SeedUser{{Profile: map[string]any{"login": "a@example.com", "email": "a@example.com", "firstName": "A", "lastName": "B", "badge": "7"}}},
			`sandbox: seed: users[0] (a@example.com): profile.badge: not defined in the user schema`},
	} {
		_, err := New(Options{Seed: &Seed{Schema: tt.schema, Users: tt.users}})
		require.Error(t, err)
		assert.Contains(t, err.Error(), tt.want)
		var se *SeedError
		assert.ErrorAs(t, err, &se, "names the seed's field like every seed error")
	}
	org, err := New(Options{Seed: &Seed{Schema: &SeedSchema{Custom: map[string]SeedAttribute{"badge": {}}}}})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"badge": "string"}, org.CustomAttributes())
}

// Link headers of collections: self in canonical form (limit first, the
// effective limit filled in, sortOrder without sortBy dropped), next with
// after first; none at all for q.
var linkFacts = []struct {
	request string
	self    string // "" = no Link header
	next    bool
	src     source
}{
	{`/api/v1/users?filter=status+eq+%22ACTIVE%22`, `/api/v1/users?limit=200&filter=status+eq+%22ACTIVE%22`, false,
		py("test_users_it/TestUsersResource.test_activate_user.yaml#2")},
	{`/api/v1/users?limit=200&search=profile.email+eq+%22active%40example.com%22&sortOrder=0`,
		`/api/v1/users?limit=200&search=profile.email+eq+%22active%40example.com%22`, false,
		tf("TestAccDataSourceOktaUser_read/classic-00.yaml (GET /api/v1/users?limit=200&search=...&sortOrder=0)")},
	{`/api/v1/users?limit=1&search=profile.lastName+eq+%22Tester%22`, `/api/v1/users?limit=1&search=profile.lastName+eq+%22Tester%22`, true,
		tf("TestAccDataSourceOktaUser_read/classic-00.yaml (limit=1: self, then next with after first)")},
	{`/api/v1/groups?filter=type+eq+%22BUILT_IN%22&limit=200`, `/api/v1/groups?limit=200&filter=type+eq+%22BUILT_IN%22`, false,
		tf("TestAccDataSourceOktaEveryoneGroup_read/classic-00.yaml")},
	{`/api/v1/users/{user}/groups`, `/api/v1/users/{user}/groups?limit=200`, false,
		tf("TestAccDataSourceOktaUser_NoSkips/classic-00.yaml#6")},
	{`/api/v1/groups/{group}/users?limit=200`, `/api/v1/groups/{group}/users?limit=200`, false,
		tf("TestAccDataSourceOktaGroup_read/classic-00.yaml#10")},
	{`/api/v1/groups`, `/api/v1/groups?limit=10000`, false, py("test_groups_it/TestGroupsResource.test_list_groups.yaml#1")},
	{`/api/v1/groups?q=Everyone`, "", false, tf("TestAccDataSourceOktaEveryoneGroup_read/classic-00.yaml#0")},
	{`/api/v1/users?q=active`, "", false, decision}, // as groups' q
}

func TestFidelityLinkHeaders(t *testing.T) {
	for _, f := range linkFacts {
		t.Run(f.request, func(t *testing.T) {
			h, fill := fidelityOrg(t)
			r := h.do("GET", fill(f.request), "")
			require.Equal(t, 200, r.status, "%s", r.body)
			links := r.header.Values("Link")
			if f.self == "" {
				assert.Empty(t, links, "source: %s", f.src)
				return
			}
			require.NotEmpty(t, links)
			assert.Equal(t, "<"+DemoOrgURL+fill(f.self)+`>; rel="self"`, links[0], "source: %s", f.src)
			if !f.next {
				assert.Len(t, links, 1, "source: %s", f.src)
				return
			}
			require.Len(t, links, 2)
			assert.Regexp(t, `^<`+regexp.QuoteMeta(DemoOrgURL+"/api/v1/users?after=")+`00u[0-9A-Za-z]{17}&`+
				regexp.QuoteMeta(strings.TrimPrefix(fill(f.self), "/api/v1/users?"))+`>; rel="next"$`, links[1], "source: %s", f.src)
		})
	}
}

// Headers on every answer.
var headerFacts = []struct {
	header, pattern string
	src             source
}{
	{"X-Okta-Request-Id", `^[0-9a-f]{32}$`, py("test_agent_pools_it/TestAgentPoolsResource.test_agent_pools_error_handling.yaml (2025)")},
	{"Content-Type", `^application/json$`, tf("TestAccDataSourceOktaUser_read/classic-00.yaml")},
	{"Cache-Control", `^no-cache, no-store$`, py("test_users_it/TestUsersResource.test_activate_user.yaml#0")},
	{"Expires", `^0$`, py("test_users_it/TestUsersResource.test_activate_user.yaml#0")},
	{"X-Rate-Limit-Reset", `^\d{10}$`, py("test_users_it/TestUsersResource.test_activate_user.yaml#0")},
}

// 405 E0000022 answers carry no X-Rate-Limit-* headers (4 of 4 recorded).
var methodNotAllowedSrc = py("test_realms_it/TestRealmsResource.test_update_realm_basic.yaml")

func TestFidelityHeaders(t *testing.T) {
	h := newTestOrg(t)
	for _, path := range []string{"/api/v1/users", "/api/v1/users/active@example.com", "/api/v1/users/nobody", "/api/v1/groups"} {
		r := h.do("GET", path, "")
		for _, f := range headerFacts {
			assert.Regexp(t, f.pattern, r.header.Get(f.header), "%s on %s: source: %s", f.header, path, f.src)
		}
	}
	r := h.do("PATCH", "/api/v1/users", "")
	require.Equal(t, 405, r.status)
	assert.Equal(t, "E0000022", r.errorCode(t))
	assert.Empty(t, r.header.Get("X-Rate-Limit-Limit"), "source: %s", methodNotAllowedSrc)
	assert.Regexp(t, `^[0-9a-f]{32}$`, r.header.Get("X-Okta-Request-Id"))
	// A single user read carries a weak ETag (578 of 578 recorded GET
	// /api/v1/users/{id} in tf); create, update, lifecycle and list
	// answers carry none (0 of 127 POST /api/v1/users, 0 of 20 PUT).
	etagSrc := tf("TestAccDataSourceOktaUser_read/classic-00.yaml; TestAccResourceOktaUser_updateAllAttributes/classic-00.yaml#7")
	assert.Regexp(t, `^W/"`, h.do("GET", "/api/v1/users/active@example.com", "").header.Get("Etag"), "source: %s", etagSrc)
	assert.Empty(t, h.do("POST", "/api/v1/users/active@example.com", `{"profile":{"title":"E"}}`).header.Get("Etag"), "source: %s", etagSrc)
	assert.Empty(t, h.do("PUT", "/api/v1/users/active@example.com",
		`{"profile":{"login":"active@example.com","email":"active@example.com","firstName":"A","lastName":"B"}}`).header.Get("Etag"), "source: %s", etagSrc)
	assert.Empty(t, h.do("POST", "/api/v1/users", newUserBody("etag@example.com", "")).header.Get("Etag"), "source: %s", etagSrc)
	assert.Empty(t, h.do("GET", "/api/v1/users", "").header.Get("Etag"), "source: %s", etagSrc)
}

// What each lifecycle operation answers, and the user's status after it.
var lifecycleFacts = []struct {
	login, op, query string
	status           int
	body             string // a regexp of the answer ("{}" exactly, or a pattern)
	after            string
	src              source
}{
	{"staged@example.com", "activate", "?sendEmail=false", 200,
		`^\{"activationUrl":"https://sandbox\.okta\.com/tokens/[0-9A-Za-z_-]{20}/verify","activationToken":"[0-9A-Za-z_-]{20}"\}$`, "PROVISIONED",
		tf("TestAccResourceOktaUser_updateAllAttributes/classic-00.yaml#5-6 (STAGED without password -> PROVISIONED); py test_users_it/TestUsersResource.test_activate_user.yaml (2025: /tokens/<t>/verify)")},
	{"staged@example.com", "activate", "", 200, `^\{\}$`, "PROVISIONED", tf("TestAccResourceOktaUser_updateAllAttributes/classic-00.yaml#5")},
	{"active@example.com", "deactivate", "", 200, `^\{\}$`, "DEPROVISIONED", py("test_users_it/TestUsersResource.test_activate_user.yaml#3")},
	{"active@example.com", "suspend", "", 200, `^\{\}$`, "SUSPENDED", py("test_users_it/TestUsersResource.test_suspend_user.yaml#1")},
	{"suspended@example.com", "unsuspend", "", 200, `^\{\}$`, "ACTIVE", py("test_users_it/TestUsersResource.test_suspend_user.yaml#3")},
	{"active@example.com", "reset_password", "?sendEmail=false", 200,
		`^\{"resetPasswordUrl":"https://sandbox\.okta\.com/reset_password/[0-9A-Za-z_-]{20}"\}$`, "RECOVERY",
		py("test_users_it/TestUsersResource.test_get_reset_password_link_for_user.yaml")},
	{"active@example.com", "expire_password", "", 200, `^\{"id":"00u.*"status":"PASSWORD_EXPIRED"`, "PASSWORD_EXPIRED",
		py("test_users_it/TestUsersResource.test_expire_password.yaml#1")},
	{"locked@example.com", "unlock", "", 200, `^\{\}$`, "ACTIVE", decision},
	{"provisioned@example.com", "reactivate", "?sendEmail=true", 200, `^\{\}$`, "PROVISIONED", decision},
}

func TestFidelityLifecycle(t *testing.T) {
	for _, f := range lifecycleFacts {
		t.Run(f.op+" "+f.login+f.query, func(t *testing.T) {
			h := newTestOrg(t)
			r := h.do("POST", "/api/v1/users/"+f.login+"/lifecycle/"+f.op+f.query, "")
			require.Equal(t, f.status, r.status, "%s\nsource: %s", r.body, f.src)
			assert.Regexp(t, f.body, string(r.body), "source: %s", f.src)
			assert.Equal(t, f.after, h.status(f.login), "source: %s", f.src)
			u := h.do("GET", "/api/v1/users/"+f.login, "").json(t)
			assert.Equal(t, u["lastUpdated"], u["statusChanged"], "a transition sets statusChanged")
			if f.after == "PROVISIONED" || f.after == "ACTIVE" {
				assert.NotNil(t, u["activated"], "activation sets activated (source: %s)", f.src)
			}
		})
	}
	// DELETE: the first deactivates, the second deletes; 204 both times
	// (tf TestAccResourceOktaUser_updateAllAttributes/classic-00.yaml#14-15).
	h := newTestOrg(t)
	assert.Equal(t, 204, h.do("DELETE", "/api/v1/users/active@example.com", "").status)
	assert.Equal(t, "DEPROVISIONED", h.status("active@example.com"))
	assert.Equal(t, 204, h.do("DELETE", "/api/v1/users/active@example.com", "").status)
	assert.Equal(t, 404, h.do("GET", "/api/v1/users/active@example.com", "").status)
}

// Every operation the org serves is covered by at least one fact: a row
// of the tables above names its method and path.
func TestFidelityCoversEveryOperation(t *testing.T) {
	covered := map[string]bool{}
	note := func(method, path string) {
		path, _, _ = strings.Cut(path, "?")
		path = strings.NewReplacer("{user}", "00u0000000000000user", "{login}", "a@example.com", "{group}", "00g000000000000group",
			"{everyone}", "00g0000000everyone1").Replace(path)
		if strings.HasPrefix(path, "/oauth2/") {
			return // the authorization servers, outside routes (authserver_test.go)
		}
		rt, _ := matchRoute(path)
		require.NotNil(t, rt, "%s %s is not a route", method, path)
		covered[method+" "+rt.template] = true
	}
	for _, f := range rateLimitFacts {
		note(f.method, f.path)
	}
	for _, f := range sharedBucketFacts {
		note(f.first[0], f.first[1])
		note(f.second[0], f.second[1])
	}
	for _, f := range errorFacts {
		note(f.method, f.path)
	}
	for _, f := range schemaFacts {
		note(f.method, f.path)
	}
	for _, f := range linkFacts {
		note("GET", f.request)
	}
	for range lifecycleFacts {
		note("POST", "/api/v1/users/{user}/lifecycle/activate")
	}
	note("GET", "/api/v1/users/{user}") // userLinkFacts
	// The authorization servers' endpoints (/oauth2/...) are served
	// outside routes; authserver_test.go covers them.
	for _, rt := range routes() {
		for m := range rt.methods {
			assert.True(t, covered[m+" "+rt.template], "%s %s has no fact", m, rt.template)
		}
	}
}

// Collection order: groups by name (ids out of order: Everyone 00gc04...,
// Group-Target-Test 00gsfa..., NBA Players 00gc0e...), users, members and a
// user's groups by id.
var orderFacts = []struct {
	path   string
	byName bool
	src    source
}{
	{"/api/v1/groups", true, py("test_groups_it/TestGroupsResource.test_list_groups.yaml#1")},
	{"/api/v1/groups?q=E", true, tf("TestAccDataSourceOktaGroup_read_multiple_groups/oie-00.yaml#6 (names in order, ids not)")},
	{"/api/v1/users", false, py("test_users_it/TestUsersResource.test_activate_user.yaml#2")},
	{"/api/v1/groups/{everyone}/users", false, tf("TestAccDataSourceOktaGroup_read/classic-00.yaml#10")},
	{"/api/v1/users/{user}/groups", false, tf("TestAccDataSourceOktaUser_NoSkips/classic-00.yaml#6")},
}

func TestFidelityOrder(t *testing.T) {
	h := newTestOrg(t)
	// Names whose order differs from their ids' order.
	for _, n := range []string{"Zulu", "alpha", "Echo", "Mike", "bravo"} {
		require.Equal(t, 200, h.do("POST", "/api/v1/groups", `{"profile":{"name":"`+n+`"}}`).status)
	}
	for _, g := range []string{"Zulu", "alpha", "Echo"} {
		require.Equal(t, 204, h.do("PUT", "/api/v1/groups/"+h.groupID(g)+"/users/"+h.userID("active@example.com"), "").status)
	}
	fill := strings.NewReplacer("{everyone}", h.org.EveryoneGroupID(), "{user}", h.userID("active@example.com")).Replace
	for _, f := range orderFacts {
		list := h.do("GET", fill(f.path), "").list(t)
		require.NotEmpty(t, list, f.path)
		var got []string
		for _, o := range list {
			if f.byName {
				got = append(got, strings.ToLower(o["profile"].(map[string]any)["name"].(string)))
			} else {
				got = append(got, o["id"].(string))
			}
		}
		assert.True(t, slices.IsSorted(got), "%s: %v: source: %s", f.path, got, f.src)
	}
	// Paging by name goes on after the cursor's group is deleted.
	first := h.do("GET", "/api/v1/groups?limit=2", "")
	page := first.list(t)
	require.Len(t, page, 2)
	require.Equal(t, 204, h.do("DELETE", "/api/v1/groups/"+page[1]["id"].(string), "").status)
	next := h.do("GET", "/api/v1/groups?limit=2&after="+page[1]["id"].(string), "").list(t)
	require.NotEmpty(t, next)
	assert.Less(t, strings.ToLower(page[1]["profile"].(map[string]any)["name"].(string)),
		strings.ToLower(next[0]["profile"].(map[string]any)["name"].(string)))
}
