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
	"strconv"
	"strings"
	"testing"

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
