package tools

import (
	"context"
	"encoding/json"
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
					assert.Contains(t, q[0], "Ada Lovelace <ada.lovelace@example.com> ("+adaID+", ACTIVE)")
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
	assert.Contains(t, h.questions()[2], "permanently delete")
	e.ok("okta_delete_user", map[string]any{"userId": "grace.hopper@example.com"})
	assert.Contains(t, h.questions()[3], "first deactivates")
	e.ok("okta_delete_group", map[string]any{"groupId": e.groupID("Marketing")})
	assert.Equal(t, 5, asks())
	assert.Contains(t, h.questions()[4], `"Marketing"`)
}

func TestRequireConfirmation(t *testing.T) {
	t.Run("client without elicitation is refused", func(t *testing.T) {
		e := newEnv(t, withOptions(func(o *Options) { o.RequireConfirmation = true }))
		writes := e.writes()
		for _, call := range []struct {
			tool string
			args map[string]any
		}{
			{"okta_delete_user", map[string]any{"userId": adaLogin}},
			{"okta_deactivate_user", map[string]any{"userId": adaLogin}},
			{"okta_reset_password", map[string]any{"userId": adaLogin}},
			{"okta_delete_group", map[string]any{"groupId": e.groupID("Sales")}},
		} {
			msg := e.fails(call.tool, call.args)
			assert.Contains(t, msg, "--require-confirmation")
			assert.Contains(t, msg, "does not support elicitation")
			assert.Contains(t, msg, "Nothing was changed")
		}
		assert.Equal(t, writes, e.writes())
		assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
		e.ok("okta_suspend_user", map[string]any{"userId": adaLogin})
	})
	t.Run("client with elicitation is asked", func(t *testing.T) {
		h := &human{action: mcp.ElicitationResponseActionAccept, content: map[string]any{"confirm": true}}
		e := newEnv(t, withOptions(func(o *Options) { o.RequireConfirmation = true }), withClientOptions(client.WithElicitationHandler(h)))
		e.ok("okta_deactivate_user", map[string]any{"userId": adaLogin})
		assert.Len(t, h.questions(), 1)
	})
	t.Run("without the option, clients without elicitation go ahead", func(t *testing.T) {
		e := newEnv(t)
		e.ok("okta_deactivate_user", map[string]any{"userId": adaLogin})
		assert.Equal(t, "DEPROVISIONED", e.user(adaLogin).Status)
	})
}

func TestConfirmationIsBoundToItsArguments(t *testing.T) {
	a := &call{tool: "okta_delete_user", args: map[string]any{"userId": adaLogin}}
	b := &call{tool: "okta_delete_user", args: map[string]any{"userId": "alan.turing@example.com"}}
	assert.NotEqual(t, a.confirmState(), b.confirmState())
	assert.Equal(t, a.confirmState(), (&call{tool: "okta_delete_user", args: map[string]any{"userId": adaLogin, "apiKey": "x"}}).confirmState(), "secrets are not part of the state")

	// A modern client retries with the answer and the state; send that
	// retry by hand: an acceptance carrying another call's state is not
	// obeyed (the human is asked again), the right one is.
	e := newEnv(t)
	send := func(state string) map[string]any {
		answer := mcp.NewElicitationInputResponse(mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{
			Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"confirm": true}}})
		msg := map[string]any{
			"jsonrpc": "2.0", "id": 1, "method": "tools/call",
			"params": map[string]any{
				"name":           "okta_delete_user",
				"arguments":      map[string]any{"userId": adaLogin},
				"inputResponses": map[string]any{confirmKey: answer},
				"requestState":   state,
				"_meta": map[string]any{
					mcp.MetaKeyProtocolVersion:    mcp.LATEST_PROTOCOL_VERSION,
					mcp.MetaKeyClientCapabilities: map[string]any{"elicitation": map[string]any{}},
				},
			},
		}
		raw, err := json.Marshal(msg)
		require.NoError(t, err)
		out, err := json.Marshal(e.srv.HandleMessage(context.Background(), raw))
		require.NoError(t, err)
		var resp struct {
			Result map[string]any `json:"result"`
			Error  any            `json:"error"`
		}
		require.NoError(t, json.Unmarshal(out, &resp), string(out))
		require.Nil(t, resp.Error, string(out))
		return resp.Result
	}
	res := send(b.confirmState())
	assert.Equal(t, "input_required", res["resultType"], "a confirmation for another target is not obeyed")
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
	res = send("")
	assert.Equal(t, "input_required", res["resultType"], "an answer to a question never asked is not obeyed")
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)

	res = send(a.confirmState())
	assert.NotEqual(t, "input_required", res["resultType"])
	assert.Equal(t, "DEPROVISIONED", e.user(adaLogin).Status, "the answer to this very call is obeyed")
}
