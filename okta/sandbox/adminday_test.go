package sandbox

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// logs queries the System Log with the given parameters.
func (h *harness) logs(params url.Values) result {
	h.t.Helper()
	return h.do("GET", "/api/v1/logs?"+params.Encode(), "")
}

func (h *harness) eventsFor(filter string) []map[string]any {
	h.t.Helper()
	r := h.logs(url.Values{"filter": {filter}, "since": {testStart.Add(-time.Hour).Format(time.RFC3339)}, "until": {h.clock.t.Add(time.Hour).Format(time.RFC3339)}})
	require.Equal(h.t, 200, r.status, "%s", r.body)
	return r.list(h.t)
}

func TestSystemLogRecordsEveryWrite(t *testing.T) {
	h := newTestOrg(t)
	active := h.userID("active@example.com")
	eng := h.groupID("Engineering")
	sales := h.groupID("Sales")

	r := h.do("POST", "/api/v1/users/"+active+"/lifecycle/suspend", "")
	require.Equal(t, 200, r.status)
	evs := h.eventsFor(`eventType eq "user.lifecycle.suspend" and target.id eq "` + active + `"`)
	require.Len(t, evs, 1)
	ev := evs[0]
	assert.Equal(t, r.header.Get("X-Okta-Request-Id"), ev["transaction"].(map[string]any)["id"], "transaction id = the response's request id")
	assert.Equal(t, "SUCCESS", ev["outcome"].(map[string]any)["result"])
	assert.Equal(t, "00usandboxtokenowner", ev["actor"].(map[string]any)["id"], "a custom seed's token has a synthetic owner")
	assert.Equal(t, sandboxTokenID, ev["transaction"].(map[string]any)["detail"].(map[string]any)["requestApiTokenId"])
	assert.Equal(t, "Suspend Okta user", ev["displayMessage"])
	target := ev["target"].([]any)[0].(map[string]any)
	assert.Equal(t, "User", target["type"])
	assert.Equal(t, "active@example.com", target["alternateId"])

	// Membership: a change is logged with both targets; a no-op is not.
	require.Equal(t, 204, h.do("PUT", "/api/v1/groups/"+sales+"/users/"+active, "").status)
	require.Equal(t, 204, h.do("PUT", "/api/v1/groups/"+sales+"/users/"+active, "").status)
	evs = h.eventsFor(`eventType eq "group.user_membership.add" and target.id eq "` + active + `" and target.id eq "` + sales + `"`)
	require.Len(t, evs, 1, "adding an existing member logs nothing")
	require.Equal(t, 204, h.do("DELETE", "/api/v1/groups/"+eng+"/users/"+active, "").status)
	assert.Len(t, h.eventsFor(`eventType eq "group.user_membership.remove" and target.id eq "`+eng+`"`), 1)

	// Creation with activation, profile update, deletion in two steps.
	r = h.do("POST", "/api/v1/users?activate=true", newUserBody("logged@example.com", `,"credentials":{"password":{"value":"`+testPassword+`"}}`))
	require.Equal(t, 200, r.status, "%s", r.body)
	id := r.json(t)["id"].(string)
	types := func() []string {
		var out []string
		for _, e := range h.eventsFor(`target.id eq "` + id + `"`) {
			out = append(out, e["eventType"].(string))
		}
		return out
	}
	assert.Equal(t, []string{"user.lifecycle.create", "user.lifecycle.activate"}, types())
	h.clock.Advance(time.Second)
	require.Equal(t, 200, h.do("POST", "/api/v1/users/"+id, `{"profile":{"title":"T"}}`).status)
	h.clock.Advance(time.Second)
	require.Equal(t, 204, h.do("DELETE", "/api/v1/users/"+id, "").status)
	h.clock.Advance(time.Second)
	require.Equal(t, 204, h.do("DELETE", "/api/v1/users/"+id, "").status)
	assert.Equal(t, []string{"user.lifecycle.create", "user.lifecycle.activate", "user.account.update_profile",
		"user.lifecycle.deactivate", "user.lifecycle.delete.initiated", "user.lifecycle.delete.completed"}, types())

	// Groups.
	r = h.do("POST", "/api/v1/groups", `{"profile":{"name":"Logged"}}`)
	gid := r.json(t)["id"].(string)
	require.Equal(t, 200, h.do("PUT", "/api/v1/groups/"+gid, `{"profile":{"name":"Logged 2"}}`).status)
	require.Equal(t, 204, h.do("DELETE", "/api/v1/groups/"+gid, "").status)
	var gtypes []string
	for _, e := range h.eventsFor(`target.id eq "` + gid + `"`) {
		gtypes = append(gtypes, e["eventType"].(string))
	}
	assert.Equal(t, []string{"group.lifecycle.create", "group.profile.update", "group.lifecycle.delete"}, gtypes)

	// Failed writes log nothing.
	n := h.org.LogEventCount()
	require.Equal(t, 403, h.do("POST", "/api/v1/users/"+h.userID("expired@example.com")+"/lifecycle/unlock", "").status)
	assert.Equal(t, n, h.org.LogEventCount())
}

func TestSystemLogQuery(t *testing.T) {
	h := newHarness(t, Options{}) // the demo org and its history
	week := url.Values{"since": {testStart.Add(-7 * 24 * time.Hour).Format(time.RFC3339)}, "until": {testStart.Format(time.RFC3339)}, "limit": {"1000"}}
	r := h.logs(week)
	require.Equal(t, 200, r.status, "%s", r.body)
	all := r.list(t)
	require.Greater(t, len(all), 100, "a week of history")
	assert.NotContains(t, r.header.Values("Link"), "next", "a bounded query that fits ends without next")
	prev := ""
	kinds := map[string]bool{}
	for _, e := range all {
		p := e["published"].(string)
		assert.GreaterOrEqual(t, p, prev, "ASCENDING by default")
		prev = p
		kinds[e["eventType"].(string)] = true
	}
	for _, k := range []string{"user.session.start", "user.authentication.auth_via_mfa", "user.account.lock", "user.lifecycle.suspend", "user.account.expire_password", "user.lifecycle.deactivate", "group.user_membership.add"} {
		assert.True(t, kinds[k], "history has %s", k)
	}

	// filter: failed sign-ins of a locked-out user, with their lockout.
	katherine := h.userID("katherine.johnson@example.com")
	q := url.Values{"since": week["since"], "until": week["until"], "filter": {`actor.id eq "` + katherine + `" and (outcome.result eq "FAILURE" or eventType eq "user.account.lock")`}}
	evs := h.logs(q).list(t)
	require.Len(t, evs, 11)
	assert.Equal(t, "user.account.lock", evs[10]["eventType"])
	assert.Equal(t, "INVALID_CREDENTIALS", evs[0]["outcome"].(map[string]any)["reason"])
	assert.Equal(t, "Romania", evs[0]["client"].(map[string]any)["geographicalContext"].(map[string]any)["country"])

	// q: keywords, all of which must match, ignoring case.
	q = url.Values{"since": week["since"], "until": week["until"], "q": {"Katherine LOCK"}}
	evs = h.logs(q).list(t)
	require.NotEmpty(t, evs)
	for _, e := range evs {
		assert.Contains(t, e["eventType"], "lock")
	}

	// DESCENDING with paging: pages chain through next links, newest first,
	// every event once, and the last page has no next.
	page := url.Values{"since": week["since"], "until": week["until"], "limit": {"37"}, "sortOrder": {"DESCENDING"}}
	path := "/api/v1/logs?" + page.Encode()
	var seen []string
	for i := 0; ; i++ {
		require.Less(t, i, 100)
		r := h.do("GET", path, "")
		require.Equal(t, 200, r.status, "%s", r.body)
		for _, e := range r.list(t) {
			seen = append(seen, e["uuid"].(string))
		}
		next := nextLink(r)
		if next == "" {
			break
		}
		assert.NotContains(t, next, "since=", "the cursor carries since")
		path = next
	}
	require.Len(t, seen, len(all))
	assert.Equal(t, all[len(all)-1]["uuid"], seen[0], "newest first")

	// Polling (no until, ASCENDING): next on every page, even an empty one.
	r = h.logs(url.Values{"since": {testStart.Add(-time.Minute).Format(time.RFC3339)}})
	require.Equal(t, 200, r.status)
	assert.Empty(t, r.list(t))
	next := nextAfter(r)
	require.NotEmpty(t, next, "polling always has next")
	h.do("POST", "/api/v1/users/"+h.userID("ada.lovelace@example.com")+"/lifecycle/suspend", "")
	r = h.logs(url.Values{"after": {next}})
	require.Len(t, r.list(t), 1, "the next poll sees the new event")
	assert.NotEmpty(t, nextAfter(r))

	// Errors.
	for _, c := range []struct {
		params url.Values
		code   string
	}{
		{url.Values{"filter": {`eventType eqq "x"`}}, "E0000053"},
		{url.Values{"filter": {`nosuch.field eq "x"`}}, "E0000053"},
		{url.Values{"filter": {`published gt "2020-01-01T00:00:00Z"`}}, "E0000053"},
		{url.Values{"filter": {`debugContext.debugData.url co "x"`}}, "E0000031"},
		{url.Values{"since": {"yesterday"}}, "E0000001"},
		{url.Values{"until": {"2026-13-01"}}, "E0000001"},
		{url.Values{"since": {testStart.Add(-200 * 24 * time.Hour).Format(time.RFC3339)}}, "E0000053"},
		{url.Values{"limit": {"-1"}}, "E0000001"},
		{url.Values{"sortOrder": {"NEWEST"}}, "E0000001"},
		{url.Values{"after": {"garbage"}}, "E0000001"},
		{url.Values{"after": {"1700000000000_1_1690000000000"}, "since": {"2026-03-01T00:00:00Z"}}, "E0000001"},
		{url.Values{"q": {strings.Repeat("x", 41)}}, "E0000001"},
		{url.Values{"q": {"a b c d e f g h i j k"}}, "E0000001"},
	} {
		r := h.logs(c.params)
		assert.Equal(t, 400, r.status, "%v", c.params)
		assert.Equal(t, c.code, r.errorCode(t), "%v: %s", c.params, r.body)
	}
}

// nextLink is the path and query of the rel="next" link ("" if none).
func nextLink(r result) string {
	for _, l := range r.header.Values("Link") {
		if strings.Contains(l, `rel="next"`) {
			u, _ := url.Parse(strings.Trim(strings.SplitN(l, ";", 2)[0], "<>"))
			return u.RequestURI()
		}
	}
	return ""
}

func nextAfter(r result) string {
	for _, l := range r.header.Values("Link") {
		if strings.Contains(l, `rel="next"`) {
			u, _ := url.Parse(strings.Trim(strings.SplitN(l, ";", 2)[0], "<>"))
			return u.Query().Get("after")
		}
	}
	return ""
}

func TestFactorsAndResetFactors(t *testing.T) {
	h := newHarness(t, Options{})
	types := map[string]bool{}
	for _, login := range []string{"ada.lovelace@example.com", "alan.turing@example.com", "grace.hopper@example.com", "barbara.liskov@example.com", "alex.kim@example.com", "ken.thompson@example.com"} {
		r := h.do("GET", "/api/v1/users/"+h.userID(login)+"/factors", "")
		require.Equal(t, 200, r.status, "%s", r.body)
		for _, f := range r.list(t) {
			types[f["factorType"].(string)] = true
			assert.Len(t, f["id"], 20)
			assert.NotContains(t, string(r.body), `"answer"`)
			assert.NotContains(t, string(r.body), `"sharedSecret"`)
		}
	}
	assert.GreaterOrEqual(t, len(types), 4, "several factor types: %v", types)

	ada := h.userID("ada.lovelace@example.com")
	r := h.do("GET", "/api/v1/users/"+ada+"/factors", "")
	var sms map[string]any
	for _, f := range r.list(t) {
		if f["factorType"] == "sms" {
			sms = f
		}
	}
	require.NotNil(t, sms, "Ada has a mobile phone, hence an SMS factor")
	assert.Equal(t, "+15550100", sms["profile"].(map[string]any)["phoneNumber"], "Okta returns the number in clear (E.164)")

	assert.Equal(t, 404, h.do("GET", "/api/v1/users/ada.lovelace@example.com/factors", "").status, "the path takes a user id")
	assert.Equal(t, 404, h.do("GET", "/api/v1/users/00unobody00000000000/factors", "").status)

	r = h.do("POST", "/api/v1/users/"+ada+"/lifecycle/reset_factors", "")
	require.Equal(t, 200, r.status)
	assert.JSONEq(t, `{}`, string(r.body))
	assert.Equal(t, 0, h.org.FactorCount(ada))
	assert.Equal(t, "[]", string(h.do("GET", "/api/v1/users/"+ada+"/factors", "").body))
	assert.Equal(t, "ACTIVE", h.status("ada.lovelace@example.com"), "reset_factors leaves the status")
	assert.Len(t, h.eventsFor(`eventType eq "user.mfa.factor.reset_all" and target.id eq "`+ada+`"`), 1)
	assert.Equal(t, 200, h.do("POST", "/api/v1/users/"+ada+"/lifecycle/reset_factors", "").status, "nothing enrolled is still 200")

	r = h.do("POST", "/api/v1/users/"+h.userID("emma.schmidt@example.com")+"/lifecycle/reset_factors", "")
	assert.Equal(t, 403, r.status)
	assert.Equal(t, "E0000038", r.errorCode(t))
}

func TestClearSessions(t *testing.T) {
	h := newHarness(t, Options{})
	var withSessions string
	for _, login := range []string{"ada.lovelace@example.com", "alan.turing@example.com", "grace.hopper@example.com"} {
		if id := h.userID(login); h.org.SessionCount(id) > 0 {
			withSessions = id
		}
	}
	require.NotEmpty(t, withSessions, "the demo org has live sessions")
	assert.Equal(t, 400, h.do("DELETE", "/api/v1/users/"+withSessions+"/sessions?oauthTokens=maybe", "").status)
	assert.Greater(t, h.org.SessionCount(withSessions), 0, "a refused call changes nothing")
	r := h.do("DELETE", "/api/v1/users/"+withSessions+"/sessions", "")
	require.Equal(t, 204, r.status)
	assert.Empty(t, r.body)
	assert.Equal(t, 0, h.org.SessionCount(withSessions))
	assert.Equal(t, 204, h.do("DELETE", "/api/v1/users/"+withSessions+"/sessions", "").status, "idempotent")
	assert.Len(t, h.eventsFor(`eventType eq "user.session.clear" and target.id eq "`+withSessions+`"`), 2)
	assert.Equal(t, 404, h.do("DELETE", "/api/v1/users/00unobody00000000000/sessions", "").status)

	var granted string
	for _, id := range h.org.st.userIDs {
		if h.org.OAuthGrantCount(id) > 0 {
			granted = id
			break
		}
	}
	require.NotEmpty(t, granted)
	require.Equal(t, 204, h.do("DELETE", "/api/v1/users/"+granted+"/sessions", "").status)
	assert.Greater(t, h.org.OAuthGrantCount(granted), 0, "OAuth tokens stay by default")
	require.Equal(t, 204, h.do("DELETE", "/api/v1/users/"+granted+"/sessions?oauthTokens=true", "").status)
	assert.Equal(t, 0, h.org.OAuthGrantCount(granted))
}

func TestUnlockAndExpirePassword(t *testing.T) {
	h := newTestOrg(t)
	r := h.do("POST", "/api/v1/users/"+h.userID("active@example.com")+"/lifecycle/unlock", "")
	assert.Equal(t, 403, r.status)
	assert.Equal(t, "E0000032", r.errorCode(t))
	locked := h.userID("locked@example.com")
	require.Equal(t, 200, h.do("POST", "/api/v1/users/"+locked+"/lifecycle/unlock", "").status)
	assert.Equal(t, "ACTIVE", h.status("locked@example.com"))
	assert.Len(t, h.eventsFor(`eventType eq "user.account.unlock_by_admin" and target.id eq "`+locked+`"`), 1)

	active := h.userID("active@example.com")
	r = h.do("POST", "/api/v1/users/"+active+"/lifecycle/expire_password_with_temp_password?revokeSessions=true", "")
	require.Equal(t, 200, r.status, "%s", r.body)
	tmp := r.json(t)["tempPassword"].(string)
	assert.Len(t, tmp, 8)
	assert.NoError(t, checkPasswordPolicy(tmp, map[string]any{"login": "active@example.com"}))
	assert.Equal(t, "PASSWORD_EXPIRED", h.status("active@example.com"))
	assert.Len(t, h.eventsFor(`eventType eq "user.account.expire_password"`), 1)

	for _, login := range []string{"suspended@example.com", "staged@example.com", "deprov@example.com"} {
		r = h.do("POST", "/api/v1/users/"+h.userID(login)+"/lifecycle/expire_password_with_temp_password", "")
		assert.Equal(t, 403, r.status, login)
		assert.Equal(t, "E0000038", r.errorCode(t), login)
		r = h.do("POST", "/api/v1/users/"+h.userID(login)+"/lifecycle/expire_password", "")
		assert.Equal(t, "E0000038", r.errorCode(t), login)
	}
}

func TestUserGroupsPaging(t *testing.T) {
	h := newHarness(t, Options{})
	ada := h.userID("ada.lovelace@example.com")
	r := h.do("GET", "/api/v1/users/"+ada+"/groups", "")
	require.Equal(t, 200, r.status)
	all := ids(r.list(t))
	require.Len(t, all, 3, "Everyone, Engineering, VPN Users")
	assert.Empty(t, nextAfter(r))
	var paged []string
	after := ""
	for i := 0; i < 10; i++ {
		r := h.do("GET", "/api/v1/users/"+ada+"/groups?limit=1&after="+after, "")
		require.Equal(t, 200, r.status, "%s", r.body)
		paged = append(paged, ids(r.list(t))...)
		if after = nextAfter(r); after == "" {
			break
		}
	}
	assert.Equal(t, all, paged)
	assert.Equal(t, 400, h.do("GET", "/api/v1/users/"+ada+"/groups?limit=0", "").status)
}

func TestDemoHistoryIsRecent(t *testing.T) {
	h := newHarness(t, Options{})
	require.Positive(t, h.org.LogEventCount())
	for _, e := range h.org.day.log.events {
		assert.True(t, e.published.Before(testStart), "%s at %s is in the past", e.eventType, e.published)
		assert.True(t, e.published.After(testStart.Add(-8*24*time.Hour)), "%s within the week", e.eventType)
	}
	// Every LOCKED_OUT demo user has a lockout in the log.
	for _, id := range h.org.st.userIDs {
		if h.org.st.users[id].status == statusLockedOut {
			r := h.logs(url.Values{"filter": {`eventType eq "user.account.lock" and actor.id eq "` + id + `"`}, "until": {testStart.Format(time.RFC3339)}})
			assert.Len(t, r.list(t), 1, id)
		}
	}
}

func TestSystemLogActorOfOAuthCalls(t *testing.T) {
	f := newOAuthFixture(t)
	r := f.token(t, tokenForm(f.assertion(t, "0oaadmin", f.rsaKey, nil), "okta.users.manage"))
	require.Equal(t, 200, r.status, string(r.body))
	admin := "Bearer " + r.json(t)["access_token"].(string)
	active := f.userID("active@example.com")
	require.Equal(t, 200, f.do("POST", "/api/v1/users/"+active+"/lifecycle/suspend", "", "Authorization", admin).status)

	evs := f.eventsFor(`eventType eq "user.lifecycle.suspend"`)
	require.Len(t, evs, 1)
	actor := evs[0]["actor"].(map[string]any)
	assert.Equal(t, "0oaadmin", actor["id"], "the OAuth client is the actor")
	assert.Equal(t, "PublicClientApp", actor["type"])
	assert.Empty(t, evs[0]["transaction"].(map[string]any)["detail"], "no API token behind an OAuth call")

	// Reading the log needs okta.logs.read.
	r = f.do("GET", "/api/v1/logs", "", "Authorization", admin)
	assert.Equal(t, 403, r.status)
	assert.Contains(t, r.header.Get("WWW-Authenticate"), "insufficient_scope")
}

// TestSystemLogConcurrentWrites: concurrent writes and reads each log their
// events once, with distinct transaction ids (run with -race).
func TestSystemLogConcurrentWrites(t *testing.T) {
	h := newHarness(t, Options{})
	before := h.org.LogEventCount()
	groups := []string{h.groupID("Sales"), h.groupID("Marketing"), h.groupID("Finance"), h.groupID("Support")}
	ada := h.userID("ada.lovelace@example.com")
	var wg sync.WaitGroup
	for _, g := range groups {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				h.do("PUT", "/api/v1/groups/"+g+"/users/"+ada, "")
				h.do("DELETE", "/api/v1/groups/"+g+"/users/"+ada, "")
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				h.logs(url.Values{"filter": {`target.id eq "` + g + `"`}})
				h.do("GET", "/api/v1/users/"+ada+"/factors", "")
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, before+len(groups)*20, h.org.LogEventCount())
	seen := map[string]bool{}
	for _, e := range h.org.day.log.events[before:] {
		assert.False(t, seen[e.txID], "one event per request")
		seen[e.txID] = true
	}
}

// A token whose owner is a Read-only Admin reads everything an investigator
// needs and changes nothing: every write is 403 E0000006, as Okta answers a
// call outside the admin's role, and leaves no System Log event.
func TestReadOnlyAdminToken(t *testing.T) {
	h := newTestOrg(t, func(o *Options) { o.TokenRole = RoleReadOnlyAdmin })
	active := h.userID("active@example.com")
	eng := h.groupID("Engineering")
	for _, path := range []string{"/api/v1/users", "/api/v1/users/" + active, "/api/v1/groups", "/api/v1/groups/" + eng + "/users", "/api/v1/users/" + active + "/groups", "/api/v1/users/" + active + "/factors", "/api/v1/logs"} {
		assert.Equal(t, 200, h.do("GET", path, "").status, path)
	}
	before, groups := h.org.LogEventCount(), h.org.GroupCount()
	for _, w := range []struct{ method, path, body string }{
		{"POST", "/api/v1/users/" + active + "/lifecycle/suspend", ""},
		{"POST", "/api/v1/users/" + active + "/lifecycle/deactivate", ""},
		{"DELETE", "/api/v1/users/" + active + "/sessions", ""},
		{"PUT", "/api/v1/groups/" + eng + "/users/" + active, ""},
		{"POST", "/api/v1/users/" + active, `{"profile":{"title":"Boss"}}`},
		{"POST", "/api/v1/groups", `{"profile":{"name":"New"}}`},
	} {
		r := h.do(w.method, w.path, w.body)
		assert.Equal(t, 403, r.status, "%s %s", w.method, w.path)
		assert.Equal(t, "E0000006", r.errorCode(t), "%s %s", w.method, w.path)
	}
	assert.Equal(t, "ACTIVE", h.status("active@example.com"), "nothing changed")
	assert.Equal(t, groups, h.org.GroupCount(), "no group created")
	assert.Equal(t, before, h.org.LogEventCount(), "no event for refused calls")

	// The default is a Super Admin's token; unknown roles are refused.
	full := newTestOrg(t, func(o *Options) { o.TokenRole = RoleSuperAdmin })
	assert.Equal(t, 200, full.do("POST", "/api/v1/users/"+full.userID("active@example.com")+"/lifecycle/suspend", "").status)
	_, err := New(Options{TokenRole: "HELP_DESK_ADMIN"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `token role "HELP_DESK_ADMIN": want SUPER_ADMIN or READ_ONLY_ADMIN`)
}
