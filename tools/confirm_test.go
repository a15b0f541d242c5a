package tools

import (
	"context"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// human answers elicitation requests the way a user of the MCP client would.
type human struct {
	mu      sync.Mutex
	action  mcp.ElicitationResponseAction
	content any
	asked   []mcp.ElicitationRequest
}

func (h *human) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.asked = append(h.asked, req)
	return &mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: h.action, Content: h.content}}, nil
}

func (h *human) questions() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, r := range h.asked {
		out = append(out, r.Params.Message)
	}
	return out
}

// answer is how a human answers.
type answer struct {
	action  mcp.ElicitationResponseAction
	content any
}

func TestConfirmation(t *testing.T) {
	for _, proto := range []struct {
		name string
		opt  envOption
	}{{"modern (multi round-trip)", func(*envConfig) {}}, {"legacy (elicitation/create)", legacyProtocol()}} {
		t.Run(proto.name, func(t *testing.T) {
			tests := []struct {
				name    string
				answer  answer
				done    bool
				want    string
				outcome string
			}{
				{"accept", answer{mcp.ElicitationResponseActionAccept, map[string]any{"confirm": true}}, true, "", "ok"},
				{"accept without ticking", answer{mcp.ElicitationResponseActionAccept, map[string]any{"confirm": false}}, false, "did not tick the confirmation", "not_confirmed"},
				{"decline", answer{mcp.ElicitationResponseActionDecline, nil}, false, "the user declined to deactivate", "declined"},
				{"cancel", answer{mcp.ElicitationResponseActionCancel, nil}, false, "dismissed the request", "cancelled_by_user"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					h := &human{action: tt.answer.action, content: tt.answer.content}
					e := newEnv(t, proto.opt, withClientOptions(client.WithElicitationHandler(h)))
					writes := e.writes()
					res := e.call("okta_deactivate_user", map[string]any{"userId": adaLogin})
					q := h.questions()
					require.Len(t, q, 1, "the human is asked once")
					assert.Contains(t, q[0], `"Ada Lovelace" (login "ada.lovelace@example.com", id `+adaID+", ACTIVE)")
					assert.Contains(t, q[0], "deactivate")
					audit := e.audit.lines(t)
					require.Len(t, audit, 1, "one audit line per call, not per round trip")
					assert.Equal(t, tt.outcome, audit[0]["result"])
					if tt.done {
						require.False(t, res.IsError, text(res))
						assert.Equal(t, "DEPROVISIONED", e.user(adaID).Status)
						assert.Equal(t, "user", audit[0]["confirmed_by"])
						return
					}
					require.True(t, res.IsError, "an agent must see that it did not happen")
					assert.Contains(t, text(res), tt.want)
					assert.Contains(t, text(res), "Nothing was changed")
					assert.Contains(t, text(res), "Do not retry unless the user asks", "a refusal, whatever its form, tells the agent not to retry on its own")
					assert.Equal(t, "ACTIVE", e.user(adaID).Status)
					assert.Equal(t, writes, e.writes(), "no write reached Okta")
				})
			}
		})
	}
}

func TestConfirmationScope(t *testing.T) {
	h := &human{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"confirm": true}}
	e := newEnv(t, withClientOptions(client.WithElicitationHandler(h)))
	asks := func() int { return len(h.questions()) }

	e.ok("okta_suspend_user", map[string]any{"userId": adaLogin})
	e.ok("okta_unsuspend_user", map[string]any{"userId": adaLogin})
	e.ok("okta_activate_user", map[string]any{"userId": stagedLogin})
	e.ok("okta_add_user_to_group", map[string]any{"userId": adaLogin, "groupId": e.groupID("Sales")})
	e.ok("okta_remove_user_from_group", map[string]any{"userId": adaLogin, "groupId": e.groupID("Sales")})
	e.ok("okta_get_user", map[string]any{"userId": adaLogin})
	assert.Equal(t, 0, asks(), "reversible writes and reads do not ask")

	e.ok("okta_activate_user", map[string]any{"userId": "noah.fischer@example.com", "sendEmail": false})
	assert.Equal(t, 1, asks(), "activation returning the link asks")
	assert.Contains(t, h.questions()[0], "activation link")

	e.ok("okta_reset_password", map[string]any{"userId": "alan.turing@example.com"})
	assert.Equal(t, 2, asks())
	e.ok("okta_delete_user", map[string]any{"userId": deprovLogin})
	assert.Equal(t, 3, asks())
	assert.Contains(t, h.questions()[2], "PERMANENTLY delete")
	e.ok("okta_delete_user", map[string]any{"userId": "grace.hopper@example.com"})
	assert.Contains(t, h.questions()[3], "first deactivates")
	e.ok("okta_delete_group", map[string]any{"groupId": e.groupID("Marketing")})
	assert.Equal(t, 5, asks())
	assert.Contains(t, h.questions()[4], `"Marketing"`)

	e.ok("okta_update_user", map[string]any{"userId": adaLogin, "title": "Countess", "firstName": "Augusta"})
	assert.Equal(t, 5, asks(), "profile changes that do not move credentials do not ask")
	alan := e.user("alan.turing@example.com").ID
	for i, change := range []map[string]any{{"email": "ada@evil.example"}, {"login": "ada2@example.com"}, {"mobilePhone": "+1-555-0199"}} {
		args := map[string]any{"userId": alan}
		for k, v := range change {
			args[k] = v
		}
		e.ok("okta_update_user", args)
		assert.Equal(t, 6+i, asks(), "changing %v asks", change)
	}
	assert.Contains(t, h.questions()[5], `email from "alan.turing@example.com" to "ada@evil.example"`)
	e.ok("okta_activate_user", map[string]any{"userId": "grace.hopper@example.com"})
	assert.Equal(t, 9, asks(), "re-activating a DEPROVISIONED user asks")
	assert.Contains(t, h.questions()[8], "re-activate")
	assert.Contains(t, h.questions()[8], `"grace.hopper@example.com"`, "the question says where the activation mail goes")
}
