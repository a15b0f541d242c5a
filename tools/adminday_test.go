package tools

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
	"github.com/okta-mcp/okta-mcp/schema"
)

// Demo users of the admin-day tests.
const (
	lockedLogin  = "katherine.johnson@example.com"
	expiredLogin = "daniel.okafor@example.com"
)

// accepting is a human who confirms every question.
func accepting() *human {
	return &human{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"confirm": true}}
}

func declining() *human { return &human{action: mcp.ElicitationResponseActionDecline} }

func withHuman(h client.ElicitationHandler) envOption {
	return withClientOptions(client.WithElicitationHandler(h))
}

func TestListUserGroups(t *testing.T) {
	e := newEnv(t)
	out := e.ok("okta_list_user_groups", map[string]any{"userId": adaLogin})
	assert.EqualValues(t, 3, out["count"])
	var names []string
	for _, g := range out["groups"].([]any) {
		names = append(names, g.(map[string]any)["name"].(string))
	}
	assert.ElementsMatch(t, []string{"Everyone", "Engineering", "VPN Users"}, names)
	assert.Nil(t, out["nextCursor"])

	// Paging: one group per call, every group once.
	var paged []string
	args := map[string]any{"userId": adaID, "limit": 1}
	for i := 0; i < 5; i++ {
		page := e.ok("okta_list_user_groups", args)
		for _, g := range page["groups"].([]any) {
			paged = append(paged, g.(map[string]any)["name"].(string))
		}
		if page["nextCursor"] == nil {
			break
		}
		args["after"] = page["nextCursor"]
	}
	assert.ElementsMatch(t, names, paged)

	msg := e.fails("okta_list_user_groups", map[string]any{"userId": "nobody@example.com"})
	assert.Contains(t, msg, "E0000007")
	assert.Contains(t, msg, "okta_list_users")
	before := e.requests()
	msg = e.fails("okta_list_user_groups", map[string]any{"userId": adaID, "limit": 0})
	assert.Contains(t, msg, "invalid arguments")
	assert.Equal(t, before, e.requests(), "bad input sends nothing")
}

func TestUnlockUser(t *testing.T) {
	e := newEnv(t)
	out := e.ok("okta_unlock_user", map[string]any{"userId": lockedLogin})
	assert.Equal(t, true, out["unlocked"])
	assert.Equal(t, "ACTIVE", e.user(lockedLogin).Status)
	audit := e.audit.lines(t)
	require.Len(t, audit, 1)
	assert.Equal(t, "ok", audit[0]["result"])

	// Unlocking an ACTIVE user is a no-op the tool reports (idempotent).
	again := e.ok("okta_unlock_user", map[string]any{"userId": adaLogin})
	assert.Equal(t, false, again["changed"])
	assert.Contains(t, again["message"], "not locked out")
	msg := e.fails("okta_unlock_user", map[string]any{"userId": suspLogin})
	assert.Contains(t, msg, "okta_unsuspend_user")
	assert.Equal(t, "SUSPENDED", e.user(suspLogin).Status)
}

func TestExpirePassword(t *testing.T) {
	t.Run("without a temporary password no one is asked", func(t *testing.T) {
		h := accepting()
		e := newEnv(t, withHuman(h))
		out := e.ok("okta_expire_password", map[string]any{"userId": adaLogin})
		assert.Equal(t, "PASSWORD_EXPIRED", out["status"])
		assert.Nil(t, out["tempPassword"])
		assert.Empty(t, h.questions())
		assert.Equal(t, "PASSWORD_EXPIRED", e.user(adaID).Status)
	})
	t.Run("a temporary password is confirmed and never logged", func(t *testing.T) {
		h := accepting()
		e := newEnv(t, withHuman(h))
		out := e.ok("okta_expire_password", map[string]any{"userId": adaLogin, "tempPassword": true})
		tmp, _ := out["tempPassword"].(string)
		require.Len(t, tmp, 8)
		require.Len(t, h.questions(), 1)
		assert.Contains(t, h.questions()[0], "temporary")
		assert.Contains(t, h.questions()[0], adaID)
		assert.Equal(t, "PASSWORD_EXPIRED", e.user(adaID).Status)
		assert.NotContains(t, e.audit.String(), tmp)
		assert.NotContains(t, e.logs.String(), tmp)
	})
	t.Run("declined", func(t *testing.T) {
		e := newEnv(t, withHuman(declining()))
		writes := e.writes()
		msg := e.fails("okta_expire_password", map[string]any{"userId": adaLogin, "tempPassword": true})
		assert.Contains(t, msg, "declined")
		assert.Equal(t, writes, e.writes())
		assert.Equal(t, "ACTIVE", e.user(adaID).Status)
	})
	t.Run("wrong status", func(t *testing.T) {
		e := newEnv(t)
		msg := e.fails("okta_expire_password", map[string]any{"userId": suspLogin})
		assert.Contains(t, msg, "E0000038")
		assert.Contains(t, msg, "unsuspend them first")
		msg = e.fails("okta_expire_password", map[string]any{"userId": stagedLogin})
		assert.Contains(t, msg, "okta_activate_user")
	})
}

// withSessions returns a demo user who has live sessions and OAuth tokens.
func withSessions(t *testing.T, org *sandbox.Org) string {
	t.Helper()
	for _, login := range []string{"ada.lovelace@example.com", "alex.kim@example.com", "ava.patel@example.com", "barbara.liskov@example.com", "benjamin.cohen@example.com", "ella.andersen@example.com", "felix.wagner@example.com", "grace.hopper@example.com", "hannah.lee@example.com", "james.wilson@example.com"} {
		u, _ := org.LookupUser(login)
		if org.SessionCount(u.ID) > 0 && org.OAuthGrantCount(u.ID) > 0 {
			return u.ID
		}
	}
	t.Fatal("no demo user with sessions and OAuth tokens")
	return ""
}

func TestClearUserSessions(t *testing.T) {
	t.Run("sessions only", func(t *testing.T) {
		h := accepting()
		e := newEnv(t, withHuman(h))
		id := withSessions(t, e.org)
		grants := e.org.OAuthGrantCount(id)
		out := e.ok("okta_clear_user_sessions", map[string]any{"userId": id})
		assert.Equal(t, true, out["sessionsCleared"])
		assert.Equal(t, false, out["oauthTokensRevoked"])
		assert.Contains(t, out["message"], "suspend or deactivate")
		assert.Equal(t, 0, e.org.SessionCount(id))
		assert.Equal(t, grants, e.org.OAuthGrantCount(id))
		require.Len(t, h.questions(), 1)
		assert.Contains(t, h.questions()[0], "end every Okta session")
	})
	t.Run("with OAuth tokens", func(t *testing.T) {
		h := accepting()
		e := newEnv(t, withHuman(h))
		id := withSessions(t, e.org)
		out := e.ok("okta_clear_user_sessions", map[string]any{"userId": id, "oauthTokens": true})
		assert.Equal(t, true, out["oauthTokensRevoked"])
		assert.Equal(t, 0, e.org.OAuthGrantCount(id))
		assert.Contains(t, h.questions()[0], "revoke their OAuth tokens")
	})
	t.Run("declined", func(t *testing.T) {
		e := newEnv(t, withHuman(declining()))
		id := withSessions(t, e.org)
		n := e.org.SessionCount(id)
		e.fails("okta_clear_user_sessions", map[string]any{"userId": id})
		assert.Equal(t, n, e.org.SessionCount(id))
	})
	t.Run("unknown user", func(t *testing.T) {
		e := newEnv(t, withHuman(accepting()))
		msg := e.fails("okta_clear_user_sessions", map[string]any{"userId": "nobody@example.com"})
		assert.Contains(t, msg, "no user with id or login")
		assert.Equal(t, 0, e.writes())
	})
}

func TestListUserFactors(t *testing.T) {
	e := newEnv(t)
	out := e.ok("okta_list_user_factors", map[string]any{"userId": adaLogin})
	factors := out["factors"].([]any)
	assert.EqualValues(t, e.org.FactorCount(adaID), out["count"])
	require.NotEmpty(t, factors)
	types := map[string]map[string]any{}
	for _, f := range factors {
		m := f.(map[string]any)
		types[m["factorType"].(string)] = m["profile"].(map[string]any)
	}
	require.Contains(t, types, "sms")
	assert.Equal(t, "+****0100", types["sms"]["phoneNumber"], "the phone number is masked")
	require.Contains(t, types, "email")
	assert.Equal(t, "a***@example.com", types["email"]["email"])
	raw := text(e.call("okta_list_user_factors", map[string]any{"userId": adaLogin}))
	assert.NotContains(t, raw, "5550100")
	assert.NotContains(t, raw, "credentialId")

	// Every demo factor type shows no secret.
	for _, login := range []string{"alan.turing@example.com", "grace.hopper@example.com", "barbara.liskov@example.com", "ava.patel@example.com"} {
		raw := text(e.call("okta_list_user_factors", map[string]any{"userId": login}))
		for _, secret := range []string{"answer", "sharedSecret", "passCode"} {
			assert.NotContains(t, raw, secret, login)
		}
	}
	// No factors: an empty list, not an error.
	out = e.ok("okta_list_user_factors", map[string]any{"userId": stagedLogin})
	assert.EqualValues(t, 0, out["count"])
	assert.Equal(t, []any{}, out["factors"])
}

func TestResetUserFactors(t *testing.T) {
	t.Run("confirmed", func(t *testing.T) {
		h := accepting()
		e := newEnv(t, withHuman(h))
		n := e.org.FactorCount(adaID)
		require.Positive(t, n)
		out := e.ok("okta_reset_user_factors", map[string]any{"userId": adaLogin})
		assert.Equal(t, true, out["reset"])
		assert.EqualValues(t, n, out["removed"])
		assert.Equal(t, 0, e.org.FactorCount(adaID))
		assert.Equal(t, "ACTIVE", e.user(adaID).Status)
		require.Len(t, h.questions(), 1)
		assert.Contains(t, h.questions()[0], "sms", "the question says which factors go")
	})
	t.Run("declined", func(t *testing.T) {
		e := newEnv(t, withHuman(declining()))
		n := e.org.FactorCount(adaID)
		e.fails("okta_reset_user_factors", map[string]any{"userId": adaLogin})
		assert.Equal(t, n, e.org.FactorCount(adaID))
	})
	t.Run("deactivated user", func(t *testing.T) {
		e := newEnv(t, withHuman(accepting()))
		msg := e.fails("okta_reset_user_factors", map[string]any{"userId": deprovLogin})
		assert.Contains(t, msg, "E0000038")
		assert.Contains(t, msg, "deactivated")
	})
}

func TestGetSystemLog(t *testing.T) {
	e := newEnv(t)
	out := e.ok("okta_get_system_log", nil)
	events := out["events"].([]any)
	require.Len(t, events, 50, "default limit")
	prev := "9999"
	for _, ev := range events {
		m := ev.(map[string]any)
		assert.LessOrEqual(t, m["time"], prev, "newest first by default")
		prev = m["time"].(string)
		assert.NotEmpty(t, m["eventType"])
		assert.NotNil(t, m["outcome"].(map[string]any)["result"])
	}
	require.NotNil(t, out["nextCursor"])

	// Paging continues where the first page ended.
	page2 := e.ok("okta_get_system_log", map[string]any{"after": out["nextCursor"], "until": out["until"]})
	first := map[string]bool{}
	for _, ev := range events {
		first[ev.(map[string]any)["transactionId"].(string)+ev.(map[string]any)["time"].(string)] = true
	}
	for _, ev := range page2["events"].([]any) {
		m := ev.(map[string]any)
		assert.False(t, first[m["transactionId"].(string)+m["time"].(string)], "pages do not overlap")
		assert.LessOrEqual(t, m["time"], prev)
	}

	// Paging a bounded query with the same arguments: the tool leaves since
	// to the cursor (Okta refuses since with after), and the pages chain.
	args := map[string]any{"since": "7d", "limit": 40, "filter": `eventType eq "user.session.start"`}
	p1 := e.ok("okta_get_system_log", args)
	require.NotNil(t, p1["nextCursor"])
	args["after"], args["until"] = p1["nextCursor"], p1["until"]
	p2 := e.ok("okta_get_system_log", args)
	require.Positive(t, p2["count"])
	last := p1["events"].([]any)[39].(map[string]any)["time"].(string)
	assert.LessOrEqual(t, p2["events"].([]any)[0].(map[string]any)["time"], last, "page 2 continues after page 1")

	// What happened to a locked-out user this week.
	locked := e.user(lockedLogin).ID
	out = e.ok("okta_get_system_log", map[string]any{"since": "7d", "filter": `actor.id eq "` + locked + `" and outcome.result eq "FAILURE"`, "limit": 100})
	require.EqualValues(t, 10, out["count"])
	ev := out["events"].([]any)[0].(map[string]any)
	assert.Equal(t, "user.session.start", ev["eventType"])
	assert.Equal(t, "INVALID_CREDENTIALS", ev["outcome"].(map[string]any)["reason"])
	assert.Equal(t, "Romania", ev["client"].(map[string]any)["country"])
	assert.NotNil(t, ev["client"].(map[string]any)["ipAddress"])

	// A write through a tool is in the log, with the audit's request id.
	e.ok("okta_suspend_user", map[string]any{"userId": adaLogin})
	audit := e.audit.lines(t)
	out = e.ok("okta_get_system_log", map[string]any{"since": "5m", "filter": `target.id eq "` + adaID + `"`})
	require.EqualValues(t, 1, out["count"])
	ev = out["events"].([]any)[0].(map[string]any)
	assert.Equal(t, "user.lifecycle.suspend", ev["eventType"])
	assert.Equal(t, audit[len(audit)-1]["okta_request_id"], ev["transactionId"], "the System Log and the audit log name the same request")
	assert.Equal(t, "william.jones@example.com", ev["actor"].(map[string]any)["alternateId"], "the API token's owner")

	out = e.ok("okta_get_system_log", map[string]any{"since": "7d", "q": "katherine.johnson@example.com lock", "sortOrder": "ASCENDING"})
	require.Positive(t, out["count"])

	// Bad input: nothing is sent.
	before := e.requests()
	for _, args := range []map[string]any{{"since": "last tuesday"}, {"until": "yesterday"}, {"since": "1h", "until": "2h"}, {"sortOrder": "NEWEST"}, {"limit": 1001}} {
		msg := e.fails("okta_get_system_log", args)
		assert.Contains(t, msg, "invalid arguments", "%v", args)
	}
	assert.Equal(t, before, e.requests())
	msg := e.fails("okta_get_system_log", map[string]any{"filter": `published gt "2026-01-01T00:00:00Z"`})
	assert.Contains(t, msg, "E0000053")
	assert.Contains(t, msg, "use since and until")
}

// offboardSteps lists an okta_offboard_user result's steps as action:outcome.
func offboardSteps(out map[string]any) []string {
	var s []string
	for _, st := range out["steps"].([]any) {
		m := st.(map[string]any)
		s = append(s, m["action"].(string)+":"+m["outcome"].(string))
	}
	return s
}

func TestOffboardUser(t *testing.T) {
	steps := offboardSteps
	t.Run("dry run, then the confirmed plan", func(t *testing.T) {
		h := accepting()
		e := newEnv(t, withHuman(h))
		eng := e.groupID("Engineering")
		plan := e.ok("okta_offboard_user", map[string]any{"userId": adaLogin})
		assert.Equal(t, true, plan["dryRun"])
		assert.Equal(t, []string{"suspend:planned", "clear_sessions:planned", "remove_from_group:planned"}, steps(plan))
		assert.Equal(t, eng, plan["steps"].([]any)[2].(map[string]any)["target"])
		var kept []string
		for _, k := range plan["keptGroups"].([]any) {
			kept = append(kept, k.(map[string]any)["name"].(string))
		}
		assert.ElementsMatch(t, []string{"Everyone", "VPN Users"}, kept)
		assert.Equal(t, 0, e.writes(), "a dry run changes nothing")
		assert.Empty(t, h.questions(), "a dry run asks no one")

		out := e.ok("okta_offboard_user", map[string]any{"userId": adaLogin, "dryRun": false, "planId": plan["planId"]})
		assert.Equal(t, true, out["completed"])
		assert.Equal(t, []string{"suspend:done", "clear_sessions:done", "remove_from_group:done"}, steps(out))
		assert.Equal(t, "SUSPENDED", e.user(adaID).Status)
		assert.Equal(t, 0, e.org.SessionCount(adaID))
		groups := e.ok("okta_list_user_groups", map[string]any{"userId": adaID})
		assert.EqualValues(t, 2, groups["count"], "only Everyone and the app group remain")
		require.Len(t, h.questions(), 1)
		q := h.questions()[0]
		for _, want := range []string{"1. Suspend", "2. End every Okta session", `3. Remove the user from group "Engineering"`} {
			assert.Contains(t, q, want, "the human sees the exact plan")
		}

		// The System Log shows the steps, in order.
		log := e.ok("okta_get_system_log", map[string]any{"since": "5m", "filter": `target.id eq "` + adaID + `"`, "sortOrder": "ASCENDING"})
		var types []string
		for _, ev := range log["events"].([]any) {
			types = append(types, ev.(map[string]any)["eventType"].(string))
		}
		assert.Equal(t, []string{"user.lifecycle.suspend", "user.session.clear", "app.oauth2.token.revoke.implicit.user", "group.user_membership.remove"}, types)

		// Again: only what is left.
		again := e.ok("okta_offboard_user", map[string]any{"userId": adaLogin})
		assert.Equal(t, []string{"clear_sessions:planned"}, steps(again))
	})
	t.Run("deactivate", func(t *testing.T) {
		e := newEnv(t, withHuman(accepting()))
		out := e.ok("okta_offboard_user", map[string]any{"userId": adaLogin, "deactivate": true, "dryRun": false})
		assert.Equal(t, []string{"deactivate:done", "clear_sessions:done", "remove_from_group:done"}, steps(out))
		assert.Equal(t, "DEPROVISIONED", e.user(adaID).Status)
	})
	t.Run("a plan that changed is not run", func(t *testing.T) {
		e := newEnv(t, withHuman(accepting()))
		plan := e.ok("okta_offboard_user", map[string]any{"userId": adaLogin})
		e.ok("okta_add_user_to_group", map[string]any{"userId": adaID, "groupId": e.groupID("Sales")})
		writes := e.writes()
		msg := e.fails("okta_offboard_user", map[string]any{"userId": adaLogin, "dryRun": false, "planId": plan["planId"]})
		assert.Contains(t, msg, "the plan has changed")
		assert.Contains(t, msg, "leave 2 group(s)")
		assert.Equal(t, writes, e.writes(), "nothing changed")
		assert.Equal(t, "ACTIVE", e.user(adaID).Status)
	})
	t.Run("the confirmation is bound to the plan", func(t *testing.T) {
		// The human's answer arrives after the plan changed: it is not
		// taken for the new plan. Nothing runs; asked again, the human
		// sees the new plan.
		for _, proto := range []envOption{func(*envConfig) {}, legacyProtocol()} {
			h := &planChanger{human: accepting()}
			e := newEnv(t, proto, withHuman(h))
			sales := e.groupID("Sales")
			h.change = func() { e.addMember(sales, adaID) }
			writes := e.writes()
			msg := e.fails("okta_offboard_user", map[string]any{"userId": adaLogin, "dryRun": false})
			assert.Contains(t, msg, "the target changed")
			assert.Equal(t, writes+1, e.writes(), "nothing but the concurrent change")
			assert.Equal(t, "ACTIVE", e.user(adaID).Status)
			out := e.ok("okta_offboard_user", map[string]any{"userId": adaLogin, "dryRun": false})
			qs := h.questions()
			require.Len(t, qs, 2)
			assert.NotContains(t, qs[0], `"Sales"`)
			assert.Contains(t, qs[1], `"Sales"`)
			assert.Equal(t, []string{"suspend:done", "clear_sessions:done", "remove_from_group:done", "remove_from_group:done"}, steps(out))
		}
	})
	t.Run("declined", func(t *testing.T) {
		e := newEnv(t, withHuman(declining()))
		e.fails("okta_offboard_user", map[string]any{"userId": adaLogin, "dryRun": false})
		assert.Equal(t, 0, e.writes())
	})
	t.Run("a failure part-way stops and says what was done", func(t *testing.T) {
		e := newEnv(t, withHuman(accepting()))
		sales := e.groupID("Sales")
		e.ok("okta_add_user_to_group", map[string]any{"userId": adaID, "groupId": sales})
		e.org.AddFault(sandbox.Fault{Method: "DELETE", Path: "/api/v1/groups/" + sales + "/users/*", Status: 503})
		res := e.call("okta_offboard_user", map[string]any{"userId": adaLogin, "dryRun": false})
		require.True(t, res.IsError)
		msg := text(res)
		out := structuredOnly(t, res)
		e.matchesOutputSchema("okta_offboard_user", out) // clients validate structuredContent even on errors
		assert.Equal(t, false, out["success"])
		assert.Equal(t, false, out["completed"])
		got := steps(out)
		require.Len(t, got, 4)
		assert.Equal(t, []string{"suspend:done", "clear_sessions:done"}, got[:2])
		assert.Contains(t, got[2:], "remove_from_group:failed")
		assert.Contains(t, msg, "Done: 1. Suspend")
		assert.Contains(t, msg, "Failed:")
		assert.Contains(t, msg, "Not done:")
		assert.Contains(t, msg, "call okta_offboard_user again")
		assert.Equal(t, "SUSPENDED", e.user(adaID).Status, "the steps before the failure stay done")
	})
	t.Run("rate limits stop the run with a time to retry", func(t *testing.T) {
		e := newEnv(t, withHuman(accepting()))
		for _, g := range []string{"Sales", "Marketing", "Finance"} {
			e.addMember(e.groupID(g), adaID) // not through a tool: no lookups counted
		}
		e.org.SetRateLimit(3) // per minute and bucket (Okta's buckets): the run cannot finish
		res := e.call("okta_offboard_user", map[string]any{"userId": adaLogin, "dryRun": false})
		require.True(t, res.IsError, text(res))
		out := structuredOnly(t, res)
		require.NotNil(t, out["steps"], text(res))
		got := steps(out)
		require.Len(t, got, 6)
		assert.Equal(t, "suspend:done", got[0])
		failed := slices.IndexFunc(got, func(s string) bool { return strings.HasSuffix(s, ":failed") })
		require.Positive(t, failed, "one step failed, after at least one was done: %v", got)
		for _, s := range got[:failed] {
			assert.True(t, strings.HasSuffix(s, ":done"), "%v", got)
		}
		for _, s := range got[failed+1:] {
			assert.True(t, strings.HasSuffix(s, ":not_run"), "%v", got)
		}
		assert.Contains(t, text(res), "rate-limited")
		assert.Contains(t, text(res), "retry after")
	})
	t.Run("paced by the rate limit, the run finishes without a 429", func(t *testing.T) {
		// Okta's buckets at 2 requests a minute, on a clock that waits
		// instantly: the okta client holds each request whose bucket the
		// last answer reported exhausted until the window resets, so the
		// six steps (and the lookups before them) all go through and the
		// org never has to answer 429. The membership lookup, the suspend
		// and the session clearing are three operations of one bucket
		// (/api/v1/users): the client must know they share it.
		faultModes(t, func(t *testing.T, perCall bool) {
			clock := newStepClock()
			e := newConfiguredEnv(t, configuredEnv{
				perCall: perCall,
				sandbox: sandbox.Options{Now: clock.Now},
				config:  func(c *okta.Config) { c.Clock = clock },
			})
			for _, g := range []string{"Sales", "Marketing", "Finance"} {
				e.addMember(e.groupID(g), adaID)
			}
			e.org.SetRateLimit(2)
			// The memberships above used the groups window; start on a
			// fresh one, as the client cannot know of requests it did not
			// send.
			require.NoError(t, clock.Sleep(context.Background(), time.Minute+time.Second))
			start := clock.Now()
			out := e.ok("okta_offboard_user", map[string]any{"userId": adaLogin, "dryRun": false})
			assert.Equal(t, true, out["completed"])
			got := steps(out)
			require.Len(t, got, 6)
			for _, s := range got {
				assert.True(t, strings.HasSuffix(s, ":done"), "%v", got)
			}
			for _, r := range e.org.Requests() {
				t.Logf("%s %s %s %d", r.Time.Format("15:04:05.000"), r.Method, r.Path, r.Status)
			}
			for _, r := range e.org.Requests() {
				assert.NotEqual(t, http.StatusTooManyRequests, r.Status, "%s %s was refused: the client did not pace ahead", r.Method, r.Path)
			}
			assert.NotEmpty(t, clock.slept(), "the client waited for the windows to reset")
			assert.GreaterOrEqual(t, clock.Now().Sub(start), time.Minute, "four group removals at 2 a minute span window resets")
			assert.Equal(t, "SUSPENDED", e.user(adaID).Status)
		})
	})
	t.Run("a user who cannot be suspended", func(t *testing.T) {
		e := newEnv(t)
		plan := e.ok("okta_offboard_user", map[string]any{"userId": lockedLogin})
		assert.NotContains(t, steps(plan), "suspend:planned")
		assert.Contains(t, plan["warnings"].([]any)[0], "deactivate true")
	})
}

// planChanger confirms, but changes the org (once) while the human reads
// the first question.
type planChanger struct {
	*human
	once   sync.Once
	change func()
}

func (p *planChanger) Elicit(ctx context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	p.once.Do(p.change)
	return p.human.Elicit(ctx, req)
}

// structuredOnly decodes the structured content of a result whose text is a
// message (an error result that also carries its report).
func structuredOnly(t *testing.T, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	var b []byte
	if len(res.RawStructuredContent) > 0 {
		b = res.RawStructuredContent
	} else {
		var err error
		b, err = json.Marshal(res.StructuredContent)
		require.NoError(t, err)
	}
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// addMember adds a user to a group straight through the org's API.
func (e *env) addMember(groupID, userID string) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPut, sandbox.DemoOrgURL+"/api/v1/groups/"+groupID+"/users/"+userID, nil)
	require.NoError(e.t, err)
	req.Header.Set("Authorization", "SSWS "+sandbox.DefaultToken)
	resp, err := (&http.Client{Transport: e.org.Transport()}).Do(req)
	require.NoError(e.t, err)
	resp.Body.Close()
	require.Equal(e.t, http.StatusNoContent, resp.StatusCode)
}

// matchesOutputSchema checks a structured result against the tool's
// advertised outputSchema.
func (e *env) matchesOutputSchema(name string, out map[string]any) {
	e.t.Helper()
	st := e.srv.GetTool(name)
	require.NotNil(e.t, st)
	v, err := schema.NewValidator(st.Tool.RawOutputSchema)
	require.NoError(e.t, err)
	b, err := json.Marshal(out)
	require.NoError(e.t, err)
	decoded, err := schema.DecodeArguments(b)
	require.NoError(e.t, err)
	require.NoError(e.t, v.Validate(decoded), "%s: structuredContent matches the outputSchema", name)
}

// An org seeded with its own System Log history answers an investigation
// through the tool, in both credential modes.
func TestGetSystemLogSeededHistory(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		seed, err := sandbox.LoadSeed(strings.NewReader(`{
			"users": [{"profile": {"login": "kim@example.com", "email": "kim@example.com", "firstName": "Kim", "lastName": "Lee"}}],
			"groups": [{"profile": {"name": "Finance"}}],
			"systemLog": [
				{"ago": "3d", "eventType": "user.session.start", "actor": "kim@example.com", "client": {"ipAddress": "198.51.100.7", "geographicalContext": {"city": "Leeds", "country": "United Kingdom"}}},
				{"ago": "2h", "eventType": "user.session.start", "actor": "kim@example.com", "outcome": {"result": "FAILURE", "reason": "INVALID_CREDENTIALS"}, "client": {"ipAddress": "203.0.113.50", "geographicalContext": {"country": "Romania"}}},
				{"ago": "1h", "eventType": "group.user_membership.remove", "targets": ["kim@example.com", "Finance"]}
			]}`))
		require.NoError(t, err)
		e := newEnv(t, mode, withSandbox(sandbox.Options{Seed: seed}))
		kim := e.user("kim@example.com").ID
		out := e.ok("okta_get_system_log", map[string]any{"since": "7d", "filter": `actor.id eq "` + kim + `" or target.id eq "` + kim + `"`})
		require.EqualValues(t, 3, out["count"], "%v", out)
		events := out["events"].([]any)
		newest := events[0].(map[string]any)
		assert.Equal(t, "group.user_membership.remove", newest["eventType"])
		assert.Equal(t, "Remove user from group membership", newest["displayMessage"])
		failed := events[1].(map[string]any)
		assert.Equal(t, "FAILURE", failed["outcome"].(map[string]any)["result"])
		assert.Equal(t, "Romania", failed["client"].(map[string]any)["country"])
		assert.Equal(t, "203.0.113.50", failed["client"].(map[string]any)["ipAddress"])
		assert.Equal(t, "Leeds", events[2].(map[string]any)["client"].(map[string]any)["city"])
	})
}

// With a Read-only Admin's API token, a change is refused by Okta (403
// E0000006): the agent is told that the token's role does not cover it, and
// nothing changes; reads and the System Log still work.
func TestReadOnlyAdminTokenRefusesChanges(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		e := newEnv(t, mode, withSandbox(sandbox.Options{TokenRole: sandbox.RoleReadOnlyAdmin}))
		msg := e.fails("okta_suspend_user", map[string]any{"userId": adaLogin})
		assert.Contains(t, msg, "E0000006")
		assert.Contains(t, msg, "the API token acts with the role of the admin who created it, and that role does not cover this (okta.users.manage")
		assert.Equal(t, "ACTIVE", e.user(adaLogin).Status, "nothing changed")
		got := e.ok("okta_get_user", map[string]any{"userId": adaLogin})
		assert.Equal(t, "ACTIVE", got["status"])
		e.ok("okta_get_system_log", map[string]any{"since": "1h"})
	})
}

// Offboarding with a Read-only Admin's token: the plan is read, then the
// first step is refused by Okta and nothing is done.
func TestOffboardWithReadOnlyAdminToken(t *testing.T) {
	e := newEnv(t, withSandbox(sandbox.Options{TokenRole: sandbox.RoleReadOnlyAdmin}), withHuman(accepting()))
	plan := e.ok("okta_offboard_user", map[string]any{"userId": adaLogin})
	require.NotEmpty(t, offboardSteps(plan), "the dry run only reads")
	res := e.call("okta_offboard_user", map[string]any{"userId": adaLogin, "dryRun": false})
	require.True(t, res.IsError, text(res))
	got := offboardSteps(structuredOnly(t, res))
	require.NotEmpty(t, got)
	assert.Equal(t, "suspend:failed", got[0])
	for _, s := range got[1:] {
		assert.True(t, strings.HasSuffix(s, ":not_run"), "%v", got)
	}
	assert.Contains(t, text(res), "E0000006")
	assert.Contains(t, text(res), "role does not cover this")
	assert.Equal(t, "ACTIVE", e.user(adaID).Status, "nothing was done")
}
