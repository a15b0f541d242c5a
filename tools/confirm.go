package tools

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// confirmKey names the confirmation among a call's input requests.
const confirmKey = "confirm"

// confirm asks the human behind the MCP client to confirm what the call is
// about to do, through MCP elicitation, when the call needs it. It returns
// nil to go ahead; otherwise the result to return at once: the request for
// input (the client asks its user and calls again with the answer), or a
// result saying that nothing was done.
//
// The question travels as a multi round-trip request (protocol 2026-07-28);
// mcp-go turns it into a server-initiated elicitation/create for older
// clients and calls the handler again with the answer. The answer is only
// honoured with the request state this server issued for these very
// arguments, so a confirmation cannot be carried over to another target.
func (c *call) confirm(ctx context.Context, action, question string) *mcp.CallToolResult {
	if !c.needsConfirm {
		return nil
	}
	if !clientCanElicit(ctx) {
		if c.d.opts.RequireConfirmation {
			c.outcome = "confirmation_unavailable"
			return errorResult(fmt.Sprintf("%s was not run: to %s this server needs a human's confirmation (it runs with --require-confirmation), and this MCP client cannot ask for one (it does not support elicitation). Nothing was changed. Ask the user to use an MCP client that supports elicitation, or to make this change in the Okta Admin Console.", c.tool, action))
		}
		return nil
	}
	if who := c.caller; who != nil {
		question = askedBy(question, *who)
	}
	state := c.confirmState()
	answer := server.ElicitationResponse(c.req.Params.InputResponses, confirmKey)
	if answer == nil || c.req.Params.RequestState != state {
		c.awaitingInput = true
		return server.NewInputRequestBuilder(state).Elicit(confirmKey, mcp.ElicitationParams{
			Message: question,
			RequestedSchema: map[string]any{
				"type": "object",
				"properties": map[string]any{
					"confirm": map[string]any{
						"type":        "boolean",
						"title":       "Yes, " + action,
						"description": "Tick to let the AI agent " + action + ".",
						"default":     false,
					},
				},
				"required": []string{"confirm"},
			},
		}).ToolResult()
	}
	switch answer.Action {
	case mcp.ElicitationResponseActionAccept:
		if confirmed(answer.Content) {
			c.confirmedBy = "user"
			return nil
		}
		c.outcome = "not_confirmed"
		return errorResult(fmt.Sprintf("%s was not run: the user did not tick the confirmation to %s. Nothing was changed. Do not retry unless the user asks for it again.", c.tool, action))
	case mcp.ElicitationResponseActionDecline:
		c.outcome = "declined"
		return errorResult(fmt.Sprintf("%s was not run: the user declined to %s. Nothing was changed. Do not retry unless the user asks for it again.", c.tool, action))
	default:
		c.outcome = "cancelled_by_user"
		return errorResult(fmt.Sprintf("%s was not run: the user dismissed the request to confirm that you %s. Nothing was changed.", c.tool, action))
	}
}

func confirmed(content any) bool {
	switch v := content.(type) {
	case map[string]any:
		b, _ := v["confirm"].(bool)
		return b
	case json.RawMessage:
		var m map[string]any
		if json.Unmarshal(v, &m) == nil {
			return confirmed(m)
		}
	}
	return false
}

// askedBy names, in a confirmation question, the person the agent acts for.
func askedBy(question string, who Caller) string {
	const agent = "An AI agent "
	if strings.HasPrefix(question, agent) {
		return agent + "acting for " + who.String() + " " + strings.TrimPrefix(question, agent)
	}
	return "For " + who.String() + ": " + question
}

// confirmState binds a confirmation to the tool and its arguments (without
// secrets), and to the caller when there is one.
func (c *call) confirmState() string {
	args := map[string]any{}
	for k, v := range c.args {
		if k == "apiKey" || k == "password" {
			continue
		}
		args[k] = v
	}
	b, _ := json.Marshal(args)
	prefix := c.tool + "\x00"
	if who := c.caller; who != nil {
		// A confirmation given to one person does not carry over to another.
		prefix += who.Subject + "\x00" + who.UserID + "\x00"
	}
	sum := sha256.Sum256(append([]byte(prefix), b...))
	return "okta-mcp-confirm-v1:" + hex.EncodeToString(sum[:16])
}

// clientCanElicit reports whether the client of this request can ask its
// user: it declared the elicitation capability (per request from protocol
// 2026-07-28; at initialize before), and its session can carry the request.
func clientCanElicit(ctx context.Context) bool {
	if info := server.RequestProtocolInfoFromContext(ctx); info != nil && info.Modern {
		return info.ClientCapabilities != nil && info.ClientCapabilities.Elicitation != nil
	}
	session := server.ClientSessionFromContext(ctx)
	if _, ok := session.(server.SessionWithElicitation); !ok {
		return false
	}
	ci, ok := session.(server.SessionWithClientInfo)
	return ok && ci.GetClientCapabilities().Elicitation != nil
}
