package sandbox

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var nextLinkRE = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// nextPath returns the path+query of the rel="next" Link, or "".
func nextPath(t *testing.T, r result) string {
	t.Helper()
	for _, l := range r.header.Values("Link") {
		if m := nextLinkRE.FindStringSubmatch(l); m != nil {
			u, err := url.Parse(m[1])
			require.NoError(t, err)
			assert.Equal(t, "https", u.Scheme)
			assert.Equal(t, "sandbox.okta.com", u.Host)
			return u.RequestURI()
		}
	}
	return ""
}

// walk follows rel="next" from path and returns every id seen.
func walk(t *testing.T, h *harness, path string) (all []string, pages int) {
	t.Helper()
	for path != "" {
		r := h.do("GET", path, "")
		require.Equal(t, 200, r.status, string(r.body))
		all = append(all, ids(r.list(t))...)
		pages++
		path = nextPath(t, r)
		require.Less(t, pages, 1000, "paging does not end")
	}
	return all, pages
}

func TestUserPagingWalksEveryUserOnce(t *testing.T) {
	h := newHarness(t, Options{Seed: GenerateSeed(25, 3)})
	all, pages := walk(t, h, "/api/v1/users?limit=10")
	assert.Equal(t, 3, pages)
	assert.Len(t, all, 25)
	assert.True(t, slices.IsSorted(all), "stable id order")
	assert.Len(t, slices.Compact(slices.Clone(all)), 25, "no duplicates")
}

func TestLinkHeaders(t *testing.T) {
	h := newHarness(t, Options{Seed: GenerateSeed(5, 1)})
	r := h.do("GET", "/api/v1/users?limit=2", "")
	links := r.header.Values("Link")
	require.Len(t, links, 2, "one Link header per relation")
	assert.Equal(t, `<https://sandbox.okta.com/api/v1/users?limit=2>; rel="self"`, links[0])
	last := ids(r.list(t))[1]
	assert.Equal(t, `<https://sandbox.okta.com/api/v1/users?after=`+last+`&limit=2>; rel="next"`, links[1])

	// The next link keeps the other parameters.
	r = h.do("GET", "/api/v1/users?search="+url.QueryEscape(`status eq "ACTIVE"`)+"&limit=2", "")
	next := nextPath(t, r)
	q, err := url.ParseQuery(next[strings.Index(next, "?")+1:])
	require.NoError(t, err)
	assert.Equal(t, `status eq "ACTIVE"`, q.Get("search"))
	assert.Equal(t, "2", q.Get("limit"))
	assert.NotEmpty(t, q.Get("after"))
}

func TestPagingEdges(t *testing.T) {
	h := newHarness(t, Options{Seed: GenerateSeed(250, 1)})
	all, _ := walk(t, h, "/api/v1/users")
	require.Len(t, all, 250)

	t.Run("default page is 200", func(t *testing.T) {
		r := h.do("GET", "/api/v1/users", "")
		assert.Len(t, r.list(t), 200)
		assert.NotEmpty(t, nextPath(t, r))
	})
	t.Run("limit above 200 is clamped", func(t *testing.T) {
		r := h.do("GET", "/api/v1/users?limit=1000", "")
		assert.Len(t, r.list(t), 200)
	})
	t.Run("cursor at the end", func(t *testing.T) {
		r := h.do("GET", "/api/v1/users?after="+all[len(all)-1], "")
		require.Equal(t, 200, r.status)
		assert.Empty(t, r.list(t))
		assert.Equal(t, "[]", string(r.body))
		assert.Empty(t, nextPath(t, r))
	})
	t.Run("exact last page has no next", func(t *testing.T) {
		r := h.do("GET", "/api/v1/users?limit=50&after="+all[199], "")
		assert.Len(t, r.list(t), 50)
		assert.Empty(t, nextPath(t, r))
	})
	for _, bad := range []string{"limit=0", "limit=-5", "limit=abc", "limit=1.5", "after=%25%25", "after=a%2Fb", "after=" + strings.Repeat("x", 600)} {
		t.Run(bad, func(t *testing.T) {
			r := h.do("GET", "/api/v1/users?"+bad, "")
			assert.Equal(t, 400, r.status)
			assert.Equal(t, "E0000029", r.errorCode(t))
		})
	}
}

func TestCursorOfDeletedUser(t *testing.T) {
	h := newHarness(t, Options{Seed: GenerateSeed(12, 1)})
	all, _ := walk(t, h, "/api/v1/users")
	r := h.do("GET", "/api/v1/users?limit=5", "")
	next := nextPath(t, r)
	require.Equal(t, all[4], ids(r.list(t))[4])
	// Delete the cursor's user (two steps) before following next.
	require.Equal(t, 204, h.do("DELETE", "/api/v1/users/"+all[4], "").status)
	require.Equal(t, 204, h.do("DELETE", "/api/v1/users/"+all[4], "").status)
	r = h.do("GET", next, "")
	require.Equal(t, 200, r.status)
	assert.Equal(t, all[5:10], ids(r.list(t)))
}

func TestPlainListHidesDeprovisioned(t *testing.T) {
	h := newTestOrg(t)
	plain, _ := walk(t, h, "/api/v1/users?limit=3")
	assert.Len(t, plain, 8)
	assert.NotContains(t, plain, h.userID("deprov@example.com"))
	search, _ := walk(t, h, "/api/v1/users?limit=3&search="+url.QueryEscape(`status eq "DEPROVISIONED"`))
	assert.ElementsMatch(t, []string{h.userID("deprov@example.com"), h.userID("deprovpw@example.com")}, search)
	filter, _ := walk(t, h, "/api/v1/users?filter="+url.QueryEscape(`status eq "DEPROVISIONED"`))
	assert.Len(t, filter, 2)

	// When only DEPROVISIONED users are left after a full page there is
	// no next link.
	a1, a2, d := seedUser("a1@example.com", "ACTIVE", true), seedUser("a2@example.com", "ACTIVE", true), seedUser("d1@example.com", "DEPROVISIONED", false)
	a1.ID, a2.ID, d.ID = "00u00000000000000001", "00u00000000000000002", "00u00000000000000003"
	h2 := newHarness(t, Options{Seed: &Seed{Users: []SeedUser{d, a2, a1}}})
	r := h2.do("GET", "/api/v1/users?limit=2", "")
	assert.Equal(t, []string{a1.ID, a2.ID}, ids(r.list(t)))
	assert.Empty(t, nextPath(t, r))
	r = h2.do("GET", "/api/v1/users?limit=1", "")
	assert.Equal(t, "/api/v1/users?after="+a1.ID+"&limit=1", nextPath(t, r))
}

func TestUserQ(t *testing.T) {
	gen := newHarness(t, Options{Seed: GenerateSeed(30, 1)})
	r := gen.do("GET", "/api/v1/users?q=user", "")
	require.Equal(t, 200, r.status)
	assert.Len(t, r.list(t), 10, "q defaults to 10 results")
	assert.Empty(t, r.header.Values("Link"), "q is not paged: no Link header (fidelity_test.go)")
	assert.Len(t, gen.do("GET", "/api/v1/users?q=user&limit=25", "").list(t), 25)

	h := newHarness(t, Options{}) // demo org
	r = h.do("GET", "/api/v1/users?q=a", "")
	list := r.list(t)
	assert.Len(t, list, 9)
	for _, u := range list {
		p := u["profile"].(map[string]any)
		match := false
		for _, a := range []string{"firstName", "lastName", "email"} {
			match = match || strings.HasPrefix(strings.ToLower(p[a].(string)), "a")
		}
		assert.True(t, match, p)
		assert.NotEqual(t, "DEPROVISIONED", u["status"])
	}
	// q excludes DEPROVISIONED users (Emma Schmidt is one).
	assert.Empty(t, h.do("GET", "/api/v1/users?q=emma", "").list(t))
	assert.Len(t, h.do("GET", "/api/v1/users?q=LOVE", "").list(t), 1, "lastName prefix, any case")
	assert.Len(t, h.do("GET", "/api/v1/users?q=a&limit=3", "").list(t), 3)
	assert.Empty(t, h.do("GET", "/api/v1/users?q=velace", "").list(t), "prefix, not substring")
}

func TestGroupAndMemberPaging(t *testing.T) {
	h := newHarness(t, Options{Seed: GenerateSeed(30, 7)})
	groups, pages := walk(t, h, "/api/v1/groups?limit=3")
	assert.Len(t, groups, 8)
	assert.Equal(t, 3, pages)
	assert.Len(t, h.do("GET", "/api/v1/groups?limit=20000", "").list(t), 8)

	everyone := h.org.EveryoneGroupID()
	members, pages := walk(t, h, "/api/v1/groups/"+everyone+"/users?limit=7")
	assert.Len(t, members, 30)
	assert.Equal(t, 5, pages)
	assert.True(t, slices.IsSorted(members))
	g1 := h.groupID("Group 0001")
	members, _ = walk(t, h, "/api/v1/groups/"+g1+"/users?limit=2")
	assert.Len(t, members, 5)
	for _, m := range h.do("GET", "/api/v1/groups/"+g1+"/users", "").list(t) {
		assert.Equal(t, []string{"self"}, keys(m["_links"].(map[string]any)))
	}
	r := h.do("GET", "/api/v1/groups/"+g1+"/users?limit=0", "")
	assert.Equal(t, "E0000029", r.errorCode(t))
}
