package sandbox

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// logins lists the logins of a users page, sorted.
func logins(list []map[string]any) []string {
	out := make([]string, len(list))
	for i, u := range list {
		out[i] = u["profile"].(map[string]any)["login"].(string)
	}
	slices.Sort(out)
	return out
}

func queryOrg(t *testing.T) *harness {
	h := newTestOrg(t)
	h.clock.Advance(time.Hour)
	for login, profile := range map[string]string{
		"active@example.com":    `{"profile":{"title":"He said \"hi\" \\o/","age":42,"tags":["blue","Green"],"vip":true}}`,
		"recovery@example.com":  `{"profile":{"title":"Engineer","age":7,"vip":false}}`,
		"suspended@example.com": `{"profile":{"title":"engineering lead","age":"40"}}`,
	} {
		require.Equal(t, 200, h.do("POST", "/api/v1/users/"+login, profile).status)
	}
	return h
}

func TestUserSearch(t *testing.T) {
	h := queryOrg(t)
	staged := []string{"staged@example.com", "stagedpw@example.com"}
	tests := []struct {
		search string
		want   []string
	}{
		{`status eq "STAGED"`, staged},
		{`status eq "staged"`, staged}, // search values ignore case
		{`STATUS eq "STAGED"`, nil},    // (attribute names do not: see errors)
		{`status Eq "STAGED"`, staged}, // operators ignore case
		{`profile.firstName eq "ACTIVE"`, []string{"active@example.com"}},
		{`profile.FirstName eq "active"`, []string{}}, // no such profile attribute
		{`profile.login sw "STAGED"`, staged},
		{`profile.email co "PW@EX"`, []string{"deprovpw@example.com", "stagedpw@example.com"}},
		{`profile.firstName co "sion"`, []string{"provisioned@example.com"}},
		{`status eq "DEPROVISIONED"`, []string{"deprov@example.com", "deprovpw@example.com"}},
		{`status lt "STAGED" or status gt "STAGED"`, []string{"active@example.com", "deprov@example.com", "deprovpw@example.com",
			"expired@example.com", "locked@example.com", "provisioned@example.com", "recovery@example.com", "suspended@example.com"}},
		// and binds tighter than or.
		{`status eq "STAGED" or status eq "ACTIVE" and profile.firstName eq "nobody"`, staged},
		{`(status eq "STAGED" or status eq "ACTIVE") and profile.firstName eq "nobody"`, []string{}},
		{`(status eq "STAGED" or status eq "ACTIVE") and profile.login sw "a"`, []string{"active@example.com"}},
		{`profile.title eq "he said \"HI\" \\o/"`, []string{"active@example.com"}},
		{`profile.title pr`, []string{"active@example.com", "recovery@example.com", "suspended@example.com"}},
		{`profile.title sw "engineer"`, []string{"recovery@example.com", "suspended@example.com"}},
		{`profile.age gt 10`, []string{"active@example.com", "suspended@example.com"}},
		{`profile.age eq 7`, []string{"recovery@example.com"}},
		{`profile.age le 7`, []string{"recovery@example.com"}},
		{`profile.vip eq true`, []string{"active@example.com"}},
		{`profile.vip eq false`, []string{"recovery@example.com"}},
		{`profile.tags eq "green"`, []string{"active@example.com"}},
		{`profile.manager eq null`, []string{}},
		{`lastUpdated gt "2026-03-04T05:30:00.000Z"`, []string{"active@example.com", "recovery@example.com", "suspended@example.com"}},
		{`lastUpdated lt "2026-03-04T07:30:00.000+02:00" and status eq "LOCKED_OUT"`, []string{"locked@example.com"}},
		{`created ge "2000-01-01T00:00:00.000Z" and profile.login eq "locked@example.com"`, []string{"locked@example.com"}},
		{`type.id eq "` + defaultUserTypeID + `" and status eq "SUSPENDED"`, []string{"suspended@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			r := h.do("GET", "/api/v1/users?search="+url.QueryEscape(tt.search), "")
			if tt.want == nil {
				assert.Equal(t, 400, r.status)
				assert.Equal(t, "E0000031", r.errorCode(t))
				return
			}
			require.Equal(t, 200, r.status, string(r.body))
			assert.Equal(t, tt.want, logins(r.list(t)))
		})
	}
	id := h.userID("locked@example.com")
	r := h.do("GET", "/api/v1/users?search="+url.QueryEscape(`id eq "`+id+`"`), "")
	assert.Equal(t, []string{id}, ids(r.list(t)))
}

func TestUserFilter(t *testing.T) {
	h := queryOrg(t)
	tests := []struct {
		filter string
		want   []string
	}{
		{`status eq "STAGED"`, []string{"staged@example.com", "stagedpw@example.com"}},
		{`status eq "staged"`, []string{}}, // filter values are case-sensitive
		{`status eq "LOCKED_OUT" or status eq "SUSPENDED"`, []string{"locked@example.com", "suspended@example.com"}},
		{`profile.login eq "active@example.com"`, []string{"active@example.com"}},
		{`profile.login eq "ACTIVE@example.com"`, []string{}},
		{`profile.firstName eq "expired" and profile.lastName eq "Tester"`, []string{"expired@example.com"}},
		{`lastUpdated gt "2026-03-04T05:30:00.000Z"`, []string{"active@example.com", "recovery@example.com", "suspended@example.com"}},
		{`lastUpdated ge "2026-03-04T06:06:07.000Z" and status eq "RECOVERY"`, []string{"recovery@example.com"}},
		{`status eq "DEPROVISIONED"`, []string{"deprov@example.com", "deprovpw@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			r := h.do("GET", "/api/v1/users?filter="+url.QueryEscape(tt.filter), "")
			require.Equal(t, 200, r.status, string(r.body))
			assert.Equal(t, tt.want, logins(r.list(t)))
		})
	}
}

func TestUserQueryErrors(t *testing.T) {
	h := queryOrg(t)
	tests := []struct {
		query, code string
	}{
		{"search=" + url.QueryEscape(`status eq`), "E0000031"},
		{"search=" + url.QueryEscape(`status eq ACTIVE`), "E0000031"},
		{"search=" + url.QueryEscape(`(status eq "ACTIVE"`), "E0000031"},
		{"search=" + url.QueryEscape(`status ne "ACTIVE"`), "E0000031"},
		{"search=" + url.QueryEscape(`profile.email ew ".com"`), "E0000031"},
		{"search=" + url.QueryEscape(`profile.department co "Eng"`), "E0000031"},
		{"search=" + url.QueryEscape(`STATUS eq "ACTIVE"`), "E0000031"},
		{"search=" + url.QueryEscape(`Profile.login eq "a"`), "E0000031"},
		{"search=" + url.QueryEscape(`lastUpdated gt "yesterday"`), "E0000030"},
		{"search=" + url.QueryEscape(`lastUpdated gt 5`), "E0000030"},
		{"filter=" + url.QueryEscape(`status eq`), "E0000031"},
		{"filter=" + url.QueryEscape(`profile.department eq "Eng"`), "E0000094"},
		{"filter=" + url.QueryEscape(`created gt "2026-01-01T00:00:00.000Z"`), "E0000094"},
		{"filter=" + url.QueryEscape(`status sw "ACT"`), "E0000094"},
		{"filter=" + url.QueryEscape(`profile.email co "x"`), "E0000094"},
		{"filter=" + url.QueryEscape(`status pr`), "E0000094"},
		{"search=x&filter=y", "E0000033"},
		{"search=" + url.QueryEscape(`status eq "ACTIVE"`) + "&filter=" + url.QueryEscape(`status eq "ACTIVE"`), "E0000033"},
		{"search=" + url.QueryEscape(`status pr`) + "&sortBy=profile.login&sortOrder=sideways", "E0000001"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := h.do("GET", "/api/v1/users?"+tt.query, "")
			assert.Equal(t, 400, r.status, string(r.body))
			assert.Equal(t, tt.code, r.errorCode(t))
		})
	}
}

func TestSearchSortBy(t *testing.T) {
	h := newHarness(t, Options{Seed: GenerateSeed(9, 1)})
	search := url.QueryEscape(`status eq "ACTIVE"`)
	var got []string
	path := "/api/v1/users?search=" + search + "&sortBy=profile.login&sortOrder=desc&limit=4"
	for path != "" {
		r := h.do("GET", path, "")
		require.Equal(t, 200, r.status, string(r.body))
		for _, u := range r.list(t) {
			got = append(got, u["profile"].(map[string]any)["login"].(string))
		}
		path = nextPath(t, r)
	}
	want := []string{"user000009@example.com", "user000008@example.com", "user000007@example.com", "user000006@example.com",
		"user000005@example.com", "user000004@example.com", "user000003@example.com", "user000002@example.com", "user000001@example.com"}
	assert.Equal(t, want, got)

	r := h.do("GET", "/api/v1/users?search="+search+"&sortBy=profile.login&limit=3", "")
	assert.Equal(t, []string{"user000001@example.com", "user000002@example.com", "user000003@example.com"}, logins(r.list(t)))
	// The cursor survives deletion of the user it points at.
	next := nextPath(t, r)
	id := h.userID("user000003@example.com")
	h.do("DELETE", "/api/v1/users/"+id, "")
	h.do("DELETE", "/api/v1/users/"+id, "")
	assert.Equal(t, []string{"user000004@example.com", "user000005@example.com", "user000006@example.com"}, logins(h.do("GET", next, "").list(t)))
}

func TestGroupSearchAndFilter(t *testing.T) {
	h := newTestOrg(t)
	h.clock.Advance(time.Hour)
	require.Equal(t, 200, h.do("PUT", "/api/v1/groups/"+h.groupID("Sales"), `{"profile":{"name":"Sales","description":"Closers"}}`).status)
	names := func(list []map[string]any) []string {
		out := make([]string, len(list))
		for i, g := range list {
			out[i] = g["profile"].(map[string]any)["name"].(string)
		}
		slices.Sort(out)
		return out
	}
	tests := []struct {
		param, expr string
		want        []string
		code        string
	}{
		{"search", `type eq "APP_GROUP"`, []string{"VPN Users"}, ""},
		{"search", `type eq "okta_group"`, []string{"Engineering", "Sales"}, ""},
		{"search", `profile.name sw "eng"`, []string{"Engineering"}, ""},
		{"search", `profile.name co "ALE"`, []string{"Sales"}, ""},
		{"search", `profile.description co "build"`, []string{"Engineering"}, ""},
		{"search", `lastUpdated gt "2026-03-04T05:30:00.000Z"`, []string{"Sales"}, ""},
		{"search", `source.id eq "0oa000000000000000ab"`, []string{"VPN Users"}, ""},
		{"search", `id co "00g"`, nil, "E0000031"},
		{"search", `type ne "BUILT_IN"`, nil, "E0000031"},
		{"filter", `type eq "OKTA_GROUP"`, []string{"Engineering", "Sales"}, ""},
		{"filter", `type eq "okta_group"`, []string{}, ""},
		{"filter", `type eq "BUILT_IN" or type eq "APP_GROUP"`, []string{"Everyone", "VPN Users"}, ""},
		{"filter", `type eq "OKTA_GROUP" and (lastUpdated gt "2026-03-04T05:30:00.000Z" or lastMembershipUpdated gt "2030-01-01T00:00:00.000Z")`, []string{"Sales"}, ""},
		{"filter", `lastMembershipUpdated lt "2030-01-01T00:00:00.000Z" and type eq "APP_GROUP"`, []string{"VPN Users"}, ""},
		{"filter", `profile.name eq "Sales"`, nil, "E0000094"},
		{"filter", `lastUpdated ge "2026-03-04T05:30:00.000Z"`, nil, "E0000094"},
		{"filter", `type sw "OKTA"`, nil, "E0000094"},
		{"filter", `type eq`, nil, "E0000031"},
	}
	for _, tt := range tests {
		t.Run(tt.param+" "+tt.expr, func(t *testing.T) {
			r := h.do("GET", "/api/v1/groups?"+tt.param+"="+url.QueryEscape(tt.expr), "")
			if tt.code != "" {
				assert.Equal(t, 400, r.status)
				assert.Equal(t, tt.code, r.errorCode(t))
				return
			}
			require.Equal(t, 200, r.status, string(r.body))
			assert.Equal(t, tt.want, names(r.list(t)))
		})
	}
	r := h.do("GET", "/api/v1/groups?search=a&filter=b", "")
	assert.Equal(t, "E0000033", r.errorCode(t))
}
