package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// session is a connected MCP client plus the per-call credentials to add to
// every call (empty in server credential mode).
type session struct {
	t     *testing.T
	c     *client.Client
	creds map[string]any
}

// call calls a tool and returns its result.
func (s *session) call(name string, args map[string]any) *mcp.CallToolResult {
	s.t.Helper()
	all := map[string]any{}
	for k, v := range s.creds {
		all[k] = v
	}
	for k, v := range args {
		all[k] = v
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = all
	res, err := s.c.CallTool(ctx, req)
	require.NoError(s.t, err, "%s: protocol error", name)
	require.NotNil(s.t, res)
	return res
}

// ok calls a tool that must succeed and returns its structured result.
func (s *session) ok(name string, args map[string]any) map[string]any {
	s.t.Helper()
	res := s.call(name, args)
	require.False(s.t, res.IsError, "%s failed: %s", name, resultText(res))
	out := structured(s.t, res)
	assert.Equal(s.t, true, out["success"], "%s: success", name)
	return out
}

// fails calls a tool that must answer with a tool error and returns the text.
func (s *session) fails(name string, args map[string]any) string {
	s.t.Helper()
	res := s.call(name, args)
	require.True(s.t, res.IsError, "%s should have failed, got: %s", name, resultText(res))
	return resultText(res)
}

func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := mcp.AsTextContent(c); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// structured returns the structured content as a map, decoding the JSON
// text when a transport delivered it only as text.
func structured(t *testing.T, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	if m, ok := res.StructuredContent.(map[string]any); ok {
		return m
	}
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(resultText(res)), &m), "result is neither structured nor JSON text")
	return m
}

var uniq atomic.Int64

// testPassword satisfies Okta's default password policy, so that activation
// makes users ACTIVE (without a password they would be PROVISIONED).
const testPassword = "Correct-Horse-9-Battery"

// uniqueEmail returns an address no other test uses.
func uniqueEmail(prefix string) string {
	return fmt.Sprintf("%s.%d.%d@example.com", prefix, time.Now().UnixNano()%1e9, uniq.Add(1))
}

// onboard creates a user and a group, activates the user (by login), adds
// them to the group and checks the membership; it returns the user's id and
// login and the group's id.
func onboard(s *session) (userID, login, groupID string) {
	t := s.t
	t.Helper()
	login = uniqueEmail("new.hire")

	g := s.ok("okta_create_group", map[string]any{"name": "E2E " + login, "description": "created by the e2e test"})
	groupID, _ = g["id"].(string)
	require.NotEmpty(t, groupID)

	u := s.ok("okta_create_user", map[string]any{
		"firstName": "New", "lastName": "Hire", "email": login, "department": "Engineering",
		"password": testPassword, "activate": false,
	})
	userID, _ = u["id"].(string)
	require.NotEmpty(t, userID)
	assert.Equal(t, "STAGED", u["status"])
	assert.Equal(t, login, u["login"], "login defaults to the email")

	a := s.ok("okta_activate_user", map[string]any{"userId": login, "sendEmail": false})
	assert.Equal(t, true, a["activated"])
	assert.Equal(t, userID, a["userId"])

	m := s.ok("okta_add_user_to_group", map[string]any{"groupId": groupID, "userId": userID})
	assert.Equal(t, true, m["added"])

	l := s.ok("okta_list_group_members", map[string]any{"groupId": groupID})
	assert.EqualValues(t, 1, l["count"])
	members, _ := l["members"].([]any)
	require.Len(t, members, 1)
	assert.Equal(t, userID, members[0].(map[string]any)["id"])

	got := s.ok("okta_get_user", map[string]any{"userId": login})
	assert.Equal(t, "ACTIVE", got["status"])
	assert.Equal(t, "Engineering", got["department"])
	return userID, login, groupID
}

// offboard walks the user through an incident and departure: suspend,
// unsuspend, password reset, removal from the group, deactivation and
// deletion; then deletes an active user in two calls (deactivate, delete).
func offboard(s *session, userID, login, groupID string) {
	t := s.t
	t.Helper()

	assert.Equal(t, true, s.ok("okta_suspend_user", map[string]any{"userId": userID})["suspended"])
	assert.Equal(t, "SUSPENDED", s.ok("okta_get_user", map[string]any{"userId": userID})["status"])
	// Suspending twice is an Okta error the agent can act on.
	s.fails("okta_suspend_user", map[string]any{"userId": userID})
	assert.Equal(t, true, s.ok("okta_unsuspend_user", map[string]any{"userId": login})["unsuspended"])

	r := s.ok("okta_reset_password", map[string]any{"userId": userID, "sendEmail": false})
	assert.NotEmpty(t, r["resetPasswordUrl"])

	assert.Equal(t, true, s.ok("okta_remove_user_from_group", map[string]any{"groupId": groupID, "userId": userID})["removed"])
	assert.EqualValues(t, 0, s.ok("okta_list_group_members", map[string]any{"groupId": groupID})["count"])

	assert.Equal(t, true, s.ok("okta_deactivate_user", map[string]any{"userId": userID})["deactivated"])
	assert.Equal(t, "DEPROVISIONED", s.ok("okta_get_user", map[string]any{"userId": userID})["status"])
	assert.Equal(t, true, s.ok("okta_delete_user", map[string]any{"userId": userID})["deleted"])
	s.fails("okta_get_user", map[string]any{"userId": userID})

	// An active user takes two delete calls: the first deactivates.
	other := s.ok("okta_create_user", map[string]any{"firstName": "Leaving", "lastName": "Soon", "email": uniqueEmail("leaver"), "password": testPassword})
	otherID, _ := other["id"].(string)
	require.NotEmpty(t, otherID)
	assert.Equal(t, "ACTIVE", other["status"], "activate defaults to true")
	assert.Equal(t, false, s.ok("okta_delete_user", map[string]any{"userId": otherID})["deleted"])
	assert.Equal(t, "DEPROVISIONED", s.ok("okta_get_user", map[string]any{"userId": otherID})["status"])
	assert.Equal(t, true, s.ok("okta_delete_user", map[string]any{"userId": otherID})["deleted"])

	assert.Equal(t, true, s.ok("okta_delete_group", map[string]any{"groupId": groupID})["deleted"])
	s.fails("okta_get_group", map[string]any{"groupId": groupID})
}

// TestFlows runs onboarding and offboarding over every transport in both
// credential modes.
func TestFlows(t *testing.T) {
	transports := []struct {
		name string
		o    clientOptions
	}{
		{"stdio", clientOptions{}},
		{"http", clientOptions{}},                    // 2026-07-28: sessionless
		{"http-legacy", clientOptions{legacy: true}}, // 2025-11-25: MCP sessions
		{"http-stateless", clientOptions{legacy: true}},
		{"sse", clientOptions{legacy: true}},
	}
	modes := []string{"sandbox", "per-call"}
	for _, tr := range transports {
		for _, mode := range modes {
			t.Run(tr.name+"/"+mode, func(t *testing.T) {
				t.Parallel()
				// These clients cannot confirm; the flows exercise the
				// writes (TestConfirmationOverTransports the confirmation).
				args := []string{"--allow-unconfirmed"}
				creds := map[string]any{}
				if mode == "sandbox" {
					args = append(args, "--sandbox")
				} else {
					args = append(args, "--allow-http")
					creds["domain"] = startSandbox(t)
					creds["apiKey"] = sandbox.DefaultToken
				}
				s := &session{t: t, creds: creds}
				switch tr.name {
				case "stdio":
					s.c, _ = connectStdio(t, nil, args, tr.o)
				case "http", "http-legacy", "http-stateless":
					args = append(args, "--transport", "http", "--listen", "127.0.0.1:0")
					if tr.name == "http-stateless" {
						args = append(args, "--stateless")
					}
					p := startProc(t, nil, args...)
					s.c = connectHTTP(t, "http://"+p.listenAddr()+"/mcp", tr.o)
				case "sse":
					args = append(args, "--transport", "sse", "--listen", "127.0.0.1:0")
					p := startProc(t, nil, args...)
					s.c = connectSSE(t, "http://"+p.listenAddr()+"/sse", tr.o)
				}
				checkToolList(t, s, mode)
				userID, login, groupID := onboard(s)
				offboard(s, userID, login, groupID)
				adminDay(s)
			})
		}
	}
}

// adminDay drives the tools of issue 11 against the demo org: a user's
// groups, a helpdesk unlock, a lost phone, password expiry, an incident
// (sessions, then the System Log) and a whole offboarding.
func adminDay(s *session) {
	t := s.t
	t.Helper()
	const ada, katherine = "ada.lovelace@example.com", "katherine.johnson@example.com"
	g := s.ok("okta_list_user_groups", map[string]any{"userId": ada, "limit": 2})
	assert.EqualValues(t, 2, g["count"])
	require.NotNil(t, g["nextCursor"])
	g = s.ok("okta_list_user_groups", map[string]any{"userId": ada, "after": g["nextCursor"]})
	assert.EqualValues(t, 1, g["count"], "Ada is in three groups")

	assert.Equal(t, true, s.ok("okta_unlock_user", map[string]any{"userId": katherine})["unlocked"])
	assert.Contains(t, s.fails("okta_unlock_user", map[string]any{"userId": katherine}), "E0000032")

	f := s.ok("okta_list_user_factors", map[string]any{"userId": ada})
	require.Positive(t, f["count"])
	assert.NotContains(t, fmt.Sprint(f), "5550100", "phone numbers are masked")
	r := s.ok("okta_reset_user_factors", map[string]any{"userId": ada})
	assert.Equal(t, f["count"], r["removed"])
	assert.EqualValues(t, 0, s.ok("okta_list_user_factors", map[string]any{"userId": ada})["count"])

	assert.Equal(t, "PASSWORD_EXPIRED", s.ok("okta_expire_password", map[string]any{"userId": "grace.hopper@example.com"})["status"])
	tmp := s.ok("okta_expire_password", map[string]any{"userId": "alan.turing@example.com", "tempPassword": true})
	assert.Len(t, tmp["tempPassword"], 8)

	c := s.ok("okta_clear_user_sessions", map[string]any{"userId": ada, "oauthTokens": true})
	assert.Equal(t, true, c["sessionsCleared"])
	log := s.ok("okta_get_system_log", map[string]any{"since": "10m", "filter": `target.id eq "` + adaID + `"`, "sortOrder": "ASCENDING"})
	var types []string
	for _, e := range log["events"].([]any) {
		types = append(types, e.(map[string]any)["eventType"].(string))
	}
	assert.Equal(t, []string{"user.mfa.factor.reset_all", "user.session.clear", "app.oauth2.token.revoke.implicit.user"}, types)
	hist := s.ok("okta_get_system_log", map[string]any{"since": "7d", "filter": `eventType eq "user.account.lock"`})
	assert.EqualValues(t, 2, hist["count"], "the demo org's history has its two lockouts")

	plan := s.ok("okta_offboard_user", map[string]any{"userId": "barbara.liskov@example.com"})
	assert.Equal(t, true, plan["dryRun"])
	done := s.ok("okta_offboard_user", map[string]any{"userId": "barbara.liskov@example.com", "dryRun": false, "planId": plan["planId"]})
	assert.Equal(t, true, done["completed"])
	assert.Equal(t, "SUSPENDED", s.ok("okta_get_user", map[string]any{"userId": "barbara.liskov@example.com"})["status"])
}

// toolCount is the number of tools: the seed's 18 and the 8 of issue 11.
const toolCount = 26

// checkToolList checks that all the tools are served and that apiKey/domain
// appear in the schemas exactly in per-call mode.
func checkToolList(t *testing.T, s *session, mode string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := s.c.ListTools(ctx, mcp.ListToolsRequest{})
	require.NoError(t, err)
	require.Len(t, res.Tools, toolCount)
	for _, tool := range res.Tools {
		raw, err := json.Marshal(tool)
		require.NoError(t, err)
		hasAPIKey := strings.Contains(string(raw), `"apiKey"`)
		assert.Equal(t, mode == "per-call", hasAPIKey, "%s: apiKey in schema", tool.Name)
	}
}

// elicitor answers every elicitation with action (and content when it
// accepts) and counts the questions.
type elicitor struct {
	action mcp.ElicitationResponseAction
	asked  atomic.Int32
}

func (e *elicitor) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	e.asked.Add(1)
	res := &mcp.ElicitationResult{}
	res.Action = e.action
	if e.action == mcp.ElicitationResponseActionAccept {
		res.Content = map[string]any{"confirm": true}
	}
	return res, nil
}

// TestConfirmationOverTransports: a destructive tool asks the human through
// MCP elicitation on stdio and streamable HTTP (the question and the answer
// must get through the HTTP middleware); a decline changes nothing, an
// accept runs it. By default (fail closed) a client without elicitation is
// refused, and so is every client on legacy SSE, which cannot carry
// server-to-client requests in mcp-go; --allow-unconfirmed lets them run.
// --require-confirmation is still accepted (a no-op alias of the default).
func TestConfirmationOverTransports(t *testing.T) {
	t.Parallel()
	transports := []struct {
		name string
		o    clientOptions
	}{
		{"stdio", clientOptions{legacy: true}},
		{"http", clientOptions{}},
		{"http-legacy", clientOptions{legacy: true}},
		{"sse", clientOptions{legacy: true}},
	}
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			el := &elicitor{action: mcp.ElicitationResponseActionDecline}
			o := tr.o
			o.options = []client.ClientOption{client.WithElicitationHandler(el)}
			args := []string{"--sandbox"}
			if tr.name == "http" {
				args = append(args, "--require-confirmation") // still accepted
			}
			s := &session{t: t}
			switch tr.name {
			case "stdio":
				s.c, _ = connectStdio(t, nil, args, o)
			case "sse":
				p := startProc(t, nil, append(args, "--transport", "sse", "--listen", "127.0.0.1:0")...)
				s.c = connectSSE(t, "http://"+p.listenAddr()+"/sse", o)
			default:
				p := startProc(t, nil, append(args, "--transport", "http", "--listen", "127.0.0.1:0")...)
				s.c = connectHTTP(t, "http://"+p.listenAddr()+"/mcp", o)
			}
			u := s.ok("okta_create_user", map[string]any{"firstName": "Con", "lastName": "Firm", "email": uniqueEmail("confirm"), "password": testPassword})
			id := u["id"].(string)
			if tr.name == "sse" {
				text := s.fails("okta_deactivate_user", map[string]any{"userId": id})
				assert.Contains(t, text, "cannot ask for one")
				assert.EqualValues(t, 0, el.asked.Load())
				assert.Equal(t, "ACTIVE", s.ok("okta_get_user", map[string]any{"userId": id})["status"])
				return
			}

			text := s.fails("okta_deactivate_user", map[string]any{"userId": id})
			assert.Contains(t, text, "declined")
			assert.EqualValues(t, 1, el.asked.Load(), "the human was asked")
			assert.Equal(t, "ACTIVE", s.ok("okta_get_user", map[string]any{"userId": id})["status"], "a decline changes nothing")

			el.action = mcp.ElicitationResponseActionAccept
			assert.Equal(t, true, s.ok("okta_deactivate_user", map[string]any{"userId": id})["deactivated"])
			assert.EqualValues(t, 2, el.asked.Load())
			assert.Equal(t, "DEPROVISIONED", s.ok("okta_get_user", map[string]any{"userId": id})["status"])
		})
	}
	t.Run("no elicitation", func(t *testing.T) {
		t.Parallel()
		s := &session{t: t}
		s.c, _ = connectStdio(t, nil, []string{"--sandbox"}, clientOptions{legacy: true})
		text := s.fails("okta_deactivate_user", map[string]any{"userId": "ada.lovelace@example.com"})
		assert.Contains(t, text, "cannot ask for one")
		assert.Contains(t, text, "--allow-unconfirmed")
		assert.Equal(t, "ACTIVE", s.ok("okta_get_user", map[string]any{"userId": "ada.lovelace@example.com"})["status"])
	})
	t.Run("no elicitation, --allow-unconfirmed", func(t *testing.T) {
		t.Parallel()
		s := &session{t: t}
		s.c, _ = connectStdio(t, nil, []string{"--sandbox", "--allow-unconfirmed"}, clientOptions{legacy: true})
		assert.Equal(t, true, s.ok("okta_deactivate_user", map[string]any{"userId": "ada.lovelace@example.com"})["deactivated"])
	})
}
