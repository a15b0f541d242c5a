package tools

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	reader  = Caller{Subject: "rita.reader@example.com", UserID: "00urita", ClientID: "0oaclient", Manage: false}
	manager = Caller{Subject: "max.manager@example.com", UserID: "00umax", ClientID: "0oaclient", Manage: true}
)

// handle sends one JSON-RPC message to the server with ctx (modern
// protocol, the client able to elicit) and returns its result.
func (e *env) handle(ctx context.Context, method string, params map[string]any) map[string]any {
	e.t.Helper()
	if params == nil {
		params = map[string]any{}
	}
	params["_meta"] = map[string]any{
		mcp.MetaKeyProtocolVersion:    mcp.LATEST_PROTOCOL_VERSION,
		mcp.MetaKeyClientCapabilities: map[string]any{"elicitation": map[string]any{}},
	}
	raw, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	require.NoError(e.t, err)
	out, err := json.Marshal(e.srv.HandleMessage(ctx, raw))
	require.NoError(e.t, err)
	var resp struct {
		Result map[string]any `json:"result"`
		Error  any            `json:"error"`
	}
	require.NoError(e.t, json.Unmarshal(out, &resp), string(out))
	require.Nil(e.t, resp.Error, string(out))
	return resp.Result
}

func (e *env) listedTools(ctx context.Context) map[string]bool {
	res := e.handle(ctx, "tools/list", nil)
	names := map[string]bool{}
	for _, t := range res["tools"].([]any) {
		names[t.(map[string]any)["name"].(string)] = true
	}
	return names
}

func TestToolsListFollowsCallerScope(t *testing.T) {
	e := newEnv(t)
	all := e.listedTools(context.Background())
	asReader := e.listedTools(WithCaller(context.Background(), reader))
	asManager := e.listedTools(WithCaller(context.Background(), manager))
	assert.Equal(t, all, asManager, "okta-mcp.manage: every tool")
	require.NotEmpty(t, asReader)
	for _, info := range Catalog(Options{Toolsets: []string{ToolsetAll}}) {
		assert.Equal(t, info.ReadOnly, asReader[info.Name], "okta-mcp.read lists exactly the read-only tools: %s", info.Name)
	}
	assert.Less(t, len(asReader), len(all))
}

func TestWriteToolRefusedWithoutManageScope(t *testing.T) {
	e := newEnv(t)
	before := e.writes()
	res := e.handle(WithCaller(context.Background(), reader), "tools/call",
		map[string]any{"name": "okta_suspend_user", "arguments": map[string]any{"userId": adaLogin}})
	assert.Equal(t, true, res["isError"])
	b, _ := json.Marshal(res)
	assert.Contains(t, string(b), "rita.reader@example.com (00urita) does not grant the okta-mcp.manage scope")
	assert.Equal(t, before, e.writes(), "nothing reached Okta")
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
	// Reads work with the read scope.
	res = e.handle(WithCaller(context.Background(), reader), "tools/call",
		map[string]any{"name": "okta_get_user", "arguments": map[string]any{"userId": adaLogin}})
	assert.NotEqual(t, true, res["isError"])

	lines := e.audit.lines(t)
	require.Len(t, lines, 1)
	assert.Equal(t, "insufficient_scope", lines[0]["result"])
	assert.Equal(t, "rita.reader@example.com", lines[0]["caller"])
}

func TestAuditAndConfirmationNameTheCaller(t *testing.T) {
	e := newEnv(t)
	ctx := WithCaller(context.Background(), manager)
	res := e.handle(ctx, "tools/call", map[string]any{"name": "okta_suspend_user", "arguments": map[string]any{"userId": adaLogin}})
	assert.NotEqual(t, true, res["isError"])
	assert.Equal(t, "SUSPENDED", e.user(adaLogin).Status)

	// A destructive call asks the human, naming whom the agent acts for.
	res = e.handle(ctx, "tools/call", map[string]any{"name": "okta_deactivate_user", "arguments": map[string]any{"userId": adaLogin}})
	require.Equal(t, "input_required", res["resultType"])
	b, _ := json.Marshal(res)
	assert.Contains(t, string(b), `An AI agent acting for \"max.manager@example.com (00umax)\" wants to`)

	lines := e.audit.lines(t)
	require.Len(t, lines, 1, "the call awaiting confirmation is not audited yet")
	assert.Equal(t, "okta_suspend_user", lines[0]["tool"])
	assert.Equal(t, "ok", lines[0]["result"])
	assert.Equal(t, "max.manager@example.com", lines[0]["caller"])
	assert.Equal(t, "00umax", lines[0]["caller_id"])
	assert.Equal(t, "0oaclient", lines[0]["caller_client"])

	// Without a caller (stdio, static token), no caller fields.
	e.ok("okta_unsuspend_user", map[string]any{"userId": adaLogin})
	lines = e.audit.lines(t)
	require.Len(t, lines, 2)
	assert.NotContains(t, lines[1], "caller")
}

func TestConfirmationIsBoundToTheCaller(t *testing.T) {
	args := map[string]any{"userId": adaLogin}
	ctx := context.Background()
	a := &call{tool: "okta_delete_user", args: args, caller: &manager}
	other := manager
	other.Subject, other.UserID = "mallory@example.com", "00umal"
	b := &call{tool: "okta_delete_user", args: args, caller: &other}
	anon := &call{tool: "okta_delete_user", args: args}
	assert.NotEqual(t, a.confirmScope(ctx, "q"), b.confirmScope(ctx, "q"), "another person's confirmation does not apply")
	assert.NotEqual(t, a.confirmScope(ctx, "q"), anon.confirmScope(ctx, "q"))
	assert.Equal(t, a.confirmScope(ctx, "q"), (&call{tool: "okta_delete_user", args: args, caller: &manager}).confirmScope(ctx, "q"))

	// End to end: the question asked for the manager, answered by mallory.
	e := newEnv(t)
	res := e.handle(WithCaller(ctx, manager), "tools/call", map[string]any{"name": "okta_deactivate_user", "arguments": args})
	require.Equal(t, "input_required", res["resultType"])
	yes := mcp.NewElicitationInputResponse(mcp.ElicitationResult{ElicitationResponse: mcp.ElicitationResponse{Action: mcp.ElicitationResponseActionAccept, Content: map[string]any{"confirm": true}}})
	res = e.handle(WithCaller(ctx, other), "tools/call", map[string]any{"name": "okta_deactivate_user", "arguments": args,
		"requestState": res["requestState"], "inputResponses": map[string]any{confirmKey: yes}})
	assert.Equal(t, true, res["isError"])
	assert.Equal(t, "ACTIVE", e.user(adaLogin).Status)
}
