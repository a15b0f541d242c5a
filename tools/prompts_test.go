package tools

import (
	"context"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func getPrompt(t *testing.T, e *env, name string, args map[string]string) (string, error) {
	t.Helper()
	req := mcp.GetPromptRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := e.client.GetPrompt(context.Background(), req)
	if err != nil {
		return "", err
	}
	require.Len(t, res.Messages, 1)
	assert.Equal(t, mcp.RoleUser, res.Messages[0].Role)
	assert.NotEmpty(t, res.Description)
	tc, ok := res.Messages[0].Content.(mcp.TextContent)
	require.True(t, ok, "text content, got %T", res.Messages[0].Content)
	return tc.Text, nil
}

func complete(t *testing.T, e *env, prompt, arg, value string) mcp.Completion {
	t.Helper()
	req := mcp.CompleteRequest{}
	req.Params.Ref = mcp.PromptReference{Type: "ref/prompt", Name: prompt}
	req.Params.Argument = mcp.CompleteArgument{Name: arg, Value: value}
	res, err := e.client.Complete(context.Background(), req)
	require.NoError(t, err)
	return res.Completion
}

func TestPromptsListed(t *testing.T) {
	e := newEnv(t)
	res, err := e.client.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
	require.NoError(t, err)
	byName := map[string]mcp.Prompt{}
	for _, p := range res.Prompts {
		byName[p.Name] = p
	}
	require.Len(t, byName, 3)
	required := func(p mcp.Prompt) []string {
		var out []string
		for _, a := range p.Arguments {
			assert.NotEmpty(t, a.Description, "%s.%s", p.Name, a.Name)
			if a.Required {
				out = append(out, a.Name)
			}
		}
		return out
	}
	assert.Equal(t, []string{"firstName", "lastName", "email"}, required(byName[PromptOnboarding]))
	assert.Equal(t, []string{"user"}, required(byName[PromptOffboarding]))
	assert.Equal(t, []string{"user"}, required(byName[PromptIncident]))
	for _, p := range res.Prompts {
		assert.NotEmpty(t, p.Description)
	}
}

func TestPromptOnboarding(t *testing.T) {
	e := newEnv(t)
	before := e.requests()
	text, err := getPrompt(t, e, PromptOnboarding, map[string]string{
		"firstName": "Grace", "lastName": "Hopper", "email": "grace.hopper@example.com", "groups": "Sales, Engineering", "title": "Admiral",
	})
	require.NoError(t, err)
	assert.Contains(t, text, "Grace Hopper, email grace.hopper@example.com, login grace.hopper@example.com, title Admiral")
	assert.Contains(t, text, `okta_get_user with userId "grace.hopper@example.com"`)
	assert.Contains(t, text, `okta_list_groups (search: profile.name eq "NAME"): "Sales", "Engineering"`)
	assert.Contains(t, text, "okta_create_user (firstName, lastName, email, title;")
	assert.Contains(t, text, "okta_add_user_to_group")
	assert.NotContains(t, text, "not served", "every tool is served here")
	assert.Equal(t, before, e.requests(), "a prompt sends nothing to Okta")

	// A server without the groups toolset says how to get it.
	e2 := newEnv(t, withOptions(func(o *Options) { o.Toolsets = []string{"users", "members"} }))
	text, err = getPrompt(t, e2, PromptOnboarding, map[string]string{"firstName": "G", "lastName": "H", "email": "g.h@example.com", "groups": "Sales"})
	require.NoError(t, err)
	assert.Contains(t, text, "okta_list_groups (not served by this server now: the operator can add it with --toolsets default,groups)")
}

func TestPromptOffboardingStartsWithThePlan(t *testing.T) {
	e := newEnv(t)
	text, err := getPrompt(t, e, PromptOffboarding, map[string]string{"user": adaLogin, "deactivate": "true", "reason": "last day today"})
	require.NoError(t, err)
	assert.Contains(t, text, adaLogin+" (last day today)")
	assert.Contains(t, text, "and deactivate them")
	assert.Contains(t, text, "Only after I approve")
	if e.srv != nil && NewDeps(Options{}).hasTool("okta_offboard_user") {
		assert.Contains(t, text, "dryRun true, deactivate true")
		assert.Less(t, indexOf(text, "dryRun true"), indexOf(text, "dryRun false"), "the dry run comes first")
	} else {
		assert.Less(t, indexOf(text, "Show me the plan"), indexOf(text, "Only after I approve"), "the plan comes first")
	}
}

func TestPromptIncident(t *testing.T) {
	e := newEnv(t)
	text, err := getPrompt(t, e, PromptIncident, map[string]string{"user": adaLogin, "since": "2026-12-01T00:00:00Z"})
	require.NoError(t, err)
	assert.Contains(t, text, "okta_suspend_user", "suspend is the default containment")
	assert.Contains(t, text, "since 2026-12-01T00:00:00Z")
	assert.Contains(t, text, `target.id eq "USER_ID"`)
	assert.Contains(t, text, "okta_get_system_log")
	assert.Less(t, indexOf(text, "Contain:"), indexOf(text, "Investigate"), "contain first")

	text, err = getPrompt(t, e, PromptIncident, map[string]string{"user": adaLogin, "containment": "clear_sessions"})
	require.NoError(t, err)
	assert.Contains(t, text, "okta_clear_user_sessions")
	assert.NotContains(t, text, "okta_suspend_user with")
}

func TestPromptArgumentErrors(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		name string
		args map[string]string
		want string
	}{
		{PromptOnboarding, map[string]string{"firstName": "A", "lastName": "B"}, "prompt onboarding: missing required argument email"},
		{PromptOffboarding, map[string]string{"user": " "}, "missing required argument user"},
		{PromptOffboarding, map[string]string{"user": "x", "deactivate": "yes"}, `deactivate must be "true" or "false" (got "yes")`},
		{PromptIncident, map[string]string{"user": "x", "containment": "nuke"}, `containment must be "suspend" or "clear_sessions" (got "nuke")`},
		{PromptIncident, map[string]string{"user": "x", "usr": "y"}, "unknown argument usr; it takes: user, containment, since"},
	} {
		_, err := getPrompt(t, e, tt.name, tt.args)
		require.Error(t, err, tt.want)
		assert.Contains(t, err.Error(), tt.want)
	}
}

func TestPromptCompletions(t *testing.T) {
	e := newEnv(t) // server credentials: completions ask the org
	c := complete(t, e, PromptOffboarding, "user", "ada")
	assert.Contains(t, c.Values, adaLogin)
	for _, v := range c.Values {
		assert.Regexp(t, `^ada`, v)
	}
	all := complete(t, e, PromptIncident, "user", "")
	assert.Len(t, all.Values, completeLimit)
	assert.True(t, all.HasMore)

	g := complete(t, e, PromptOnboarding, "groups", "Sa")
	assert.Contains(t, g.Values, "Sales")
	g = complete(t, e, PromptOnboarding, "groups", "Sales, Eng")
	assert.Contains(t, g.Values, "Sales, Engineering")
	g = complete(t, e, PromptOnboarding, "groups", "Sales, Sal")
	assert.NotContains(t, g.Values, "Sales, Sales", "a group already chosen is not offered again")

	assert.Equal(t, []string{"clear_sessions"}, complete(t, e, PromptIncident, "containment", "cl").Values)
	assert.Equal(t, []string{"false", "true"}, complete(t, e, PromptOffboarding, "deactivate", "").Values)
	assert.Empty(t, complete(t, e, PromptOnboarding, "firstName", "Gr").Values, "not from the org: nothing to offer")

	// Search syntax in the value cannot break out of the quoted string.
	assert.Empty(t, complete(t, e, PromptOffboarding, "user", `x" or profile.login sw "`).Values)

	// Per-call credentials travel in tool arguments only: completion has
	// nothing to ask with, and says so with no values (not an error).
	pc := newEnv(t, perCallMode())
	before := pc.requests()
	assert.Empty(t, complete(t, pc, PromptOffboarding, "user", "ada").Values)
	assert.Equal(t, before, pc.requests())
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
