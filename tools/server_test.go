package tools

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

func (e *env) listed() []string {
	e.t.Helper()
	res, err := e.client.ListTools(context.Background(), mcp.ListToolsRequest{})
	require.NoError(e.t, err)
	var names []string
	for _, t := range res.Tools {
		names = append(names, t.Name)
	}
	sort.Strings(names)
	return names
}

var readTools = []string{"okta_get_group", "okta_get_system_log", "okta_get_user", "okta_list_group_members", "okta_list_groups",
	"okta_list_user_factors", "okta_list_user_groups", "okta_list_users"}

// toolCount is the number of tools: the seed's 18 and the 8 of issue 11.
const toolCount = 26

func TestServerInfo(t *testing.T) {
	e := newEnv(t, legacyProtocol())
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_LEGACY_PROTOCOL_VERSION
	res, err := e.client.Initialize(context.Background(), init)
	require.NoError(t, err)
	assert.Equal(t, "okta-mcp", res.ServerInfo.Name)
	assert.Equal(t, "test", res.ServerInfo.Version)
	assert.Contains(t, res.Instructions, "after=nextCursor")
	assert.Contains(t, res.Instructions, "two-step")
	assert.NotNil(t, res.Capabilities.Logging)
	require.NotNil(t, res.Capabilities.Tools)
	assert.False(t, res.Capabilities.Tools.ListChanged)
	assert.Len(t, e.listed(), toolCount)
}

func TestToolSelection(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		want     []string
		disabled string // a tool that must be refused by name
		why      string
	}{
		{"default", Options{Toolsets: []string{"default"}}, defaultTools, "okta_create_group", `toolset "groups" is not enabled); the operator can add it with --toolsets default,groups`},
		{"all", Options{Toolsets: []string{"all"}}, nil, "", ""},
		{"read-only", Options{ReadOnly: true, Toolsets: []string{"all"}}, readTools, "okta_delete_user", "disabled: the server runs with --read-only"},
		{"users toolset", Options{Toolsets: []string{"users"}}, []string{"okta_create_user", "okta_get_user", "okta_list_users", "okta_update_user"}, "okta_list_groups", `toolset "groups" is not enabled`},
		{"toolsets plus tools", Options{Toolsets: []string{" Groups "}, Tools: []string{"okta_get_user"}}, []string{"okta_create_group", "okta_delete_group", "okta_get_group", "okta_get_user", "okta_list_groups", "okta_update_group"}, "okta_list_users", "--tools okta_list_users"},
		{"tools only", Options{Tools: []string{"okta_get_user", "okta_suspend_user"}}, []string{"okta_get_user", "okta_suspend_user"}, "okta_delete_user", "--toolsets default,lifecycle"},
		{"read-only beats tools", Options{ReadOnly: true, Tools: []string{"okta_get_user", "okta_delete_group"}}, []string{"okta_get_user"}, "okta_delete_group", "--read-only"},
		{"read-only members", Options{ReadOnly: true, Toolsets: []string{"members"}}, []string{"okta_list_group_members", "okta_list_user_groups"}, "okta_add_user_to_group", "--read-only"},
		{"read-only logs and security", Options{ReadOnly: true, Toolsets: []string{"logs", "security"}}, []string{"okta_get_system_log", "okta_list_user_factors"}, "okta_reset_user_factors", "--read-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withOptions(func(o *Options) { *o = tt.opts }))
			got := e.listed()
			if tt.want == nil {
				assert.Len(t, got, toolCount)
			} else {
				assert.Equal(t, tt.want, got)
			}
			var catalog []string
			for _, ti := range Catalog(tt.opts) {
				catalog = append(catalog, ti.Name)
			}
			sort.Strings(catalog)
			assert.Equal(t, got, catalog, "Catalog lists what tools/list lists")
			if tt.disabled == "" {
				return
			}
			before := e.requests()
			msg := e.fails(tt.disabled, map[string]any{"userId": adaID, "groupId": e.groupID("Sales")})
			assert.Contains(t, msg, tt.disabled+" is disabled")
			assert.Contains(t, msg, tt.why)
			assert.Equal(t, before, e.requests(), "a disabled tool sends nothing")
		})
	}
}

// defaultTools is what the default configuration serves: everything but
// creating, renaming and deleting groups (and, later, the toolsets that
// are not Default).
var defaultTools = []string{
	"okta_activate_user", "okta_add_user_to_group", "okta_create_user", "okta_deactivate_user", "okta_delete_user",
	"okta_expire_password", "okta_get_group", "okta_get_user", "okta_list_group_members", "okta_list_groups",
	"okta_list_user_groups", "okta_list_users", "okta_remove_user_from_group", "okta_reset_password",
	"okta_suspend_user", "okta_unlock_user", "okta_unsuspend_user", "okta_update_user",
}

// The zero Options serve the default configuration, as the CLI does
// without --toolsets or --tools.
func TestDefaultConfiguration(t *testing.T) {
	var names []string
	for _, ti := range Catalog(Options{}) {
		names = append(names, ti.Name)
	}
	sort.Strings(names)
	assert.Equal(t, defaultTools, names)
	var plus []string
	for _, ti := range Catalog(Options{Toolsets: []string{"default", "groups"}}) {
		plus = append(plus, ti.Name)
	}
	assert.Len(t, plus, len(defaultTools)+3, "default,groups adds the group writes")
}

func TestUnknownToolsetsAndTools(t *testing.T) {
	_, err := NewServer(Options{Toolsets: []string{"users", "admins"}, Tools: []string{"okta_get_usr"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown toolset "admins"`)
	assert.Contains(t, err.Error(), "all, default, users, lifecycle, groups, members")
	assert.Contains(t, err.Error(), `unknown tool "okta_get_usr"`)
}

func TestCatalog(t *testing.T) {
	cat := Catalog(Options{Toolsets: []string{"all"}})
	require.Len(t, cat, toolCount)
	assert.Equal(t, "okta_list_users", cat[0].Name)
	assert.Equal(t, "users", cat[0].Toolset)
	assert.True(t, cat[0].ReadOnly)
	assert.Equal(t, "List users", cat[0].Title)
	sets := map[string]int{}
	for _, ti := range cat {
		sets[ti.Toolset]++
		assert.NotEmpty(t, ti.Description)
	}
	assert.Equal(t, map[string]int{"users": 4, "lifecycle": 8, "groups": 5, "members": 4, "security": 3, "logs": 1, "workflows": 1}, sets)
}

// withHeaders is the ctx the HTTP transports build for a request with these
// headers.
func withHeaders(h map[string]string) context.Context {
	r := httptest.NewRequest(http.MethodPost, "/mcp", nil)
	for k, v := range h {
		r.Header.Set(k, v)
	}
	return HTTPContextFunc(context.Background(), r)
}

func TestServerModeHeaders(t *testing.T) {
	e := newEnv(t)
	get := map[string]any{"userId": adaID}
	tests := []struct {
		name    string
		headers map[string]string
		want    string // "" = success
		sent    bool
	}{
		{"no headers", nil, "", true},
		{"own org named", map[string]string{HeaderOrgURL: "https://sandbox.okta.com"}, "", true},
		{"another org without a token", map[string]string{HeaderOrgURL: "https://evil.okta.com"}, "only ever sent to its own org (sandbox.okta.com)", false},
		{"invalid org", map[string]string{HeaderOrgURL: "http://169.254.169.254"}, "is not an Okta org this server may call", false},
		{"token without org", map[string]string{HeaderAPIToken: "00tok"}, "needs the X-Okta-Org-URL header", false},
		{"both: used instead of the server's", map[string]string{HeaderOrgURL: "sandbox.okta.com", HeaderAPIToken: sandbox.DefaultToken}, "", true},
		{"both with a wrong token", map[string]string{HeaderOrgURL: "sandbox.okta.com", HeaderAPIToken: "00wrong-token-000000000"}, "E0000011", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.requests()
			res := e.callRaw(withHeaders(tt.headers), "okta_get_user", get)
			if tt.want == "" {
				require.False(t, res.IsError, text(res))
			} else {
				require.True(t, res.IsError, text(res))
				assert.Contains(t, text(res), tt.want)
			}
			assert.Equal(t, tt.sent, e.requests() > before)
		})
	}
	t.Run("header token error hint", func(t *testing.T) {
		res := e.callRaw(withHeaders(map[string]string{HeaderOrgURL: "sandbox.okta.com", HeaderAPIToken: "00wrong-token-000000000"}), "okta_get_user", get)
		assert.Contains(t, text(res), "X-Okta-API-Token and X-Okta-Org-URL headers")
	})
}

func TestPerCallCredentials(t *testing.T) {
	e := newEnv(t, perCallMode())
	hostile := []string{
		"169.254.169.254",
		"http://metadata.google.internal",
		"localhost",
		"127.0.0.1",
		"10.0.0.1",
		"okta.com@evil.example",
		"evil.example#.okta.com",
		"evil.example/.okta.com",
		"dev-1.okta.com.evil.example",
		"dev-1-admin.okta.com",
		"ftp://dev-1.okta.com",
		"http://dev-1.okta.com",
		"dev-1.okta.com%2F@evil.example",
		"dev-1.оkta.com", // Cyrillic о
		"evil.example",
	}
	for _, domain := range hostile {
		t.Run(domain, func(t *testing.T) {
			before := e.requests()
			res := e.callRaw(context.Background(), "okta_get_user", map[string]any{"apiKey": sandbox.DefaultToken, "domain": domain, "userId": adaID})
			require.True(t, res.IsError, text(res))
			assert.Contains(t, text(res), "is not an Okta org this server may call")
			assert.Contains(t, text(res), "Nothing was sent to Okta")
			assert.Equal(t, before, e.requests(), "no request leaves for %s", domain)
		})
	}
	t.Run("missing credentials", func(t *testing.T) {
		res := e.callRaw(context.Background(), "okta_get_user", map[string]any{"userId": adaID})
		require.True(t, res.IsError)
		assert.Contains(t, text(res), "apiKey is required")
		assert.Contains(t, text(res), "domain is required")
	})
	t.Run("wrong token", func(t *testing.T) {
		res := e.callRaw(context.Background(), "okta_get_user", map[string]any{"apiKey": "00not-the-token-0000000", "domain": "sandbox.okta.com", "userId": adaID})
		require.True(t, res.IsError)
		assert.Contains(t, text(res), "E0000011")
		assert.Contains(t, text(res), "HTTP 401")
		assert.Contains(t, text(res), "Check the apiKey")
	})
	t.Run("https URL as domain", func(t *testing.T) {
		res := e.callRaw(context.Background(), "okta_get_user", map[string]any{"apiKey": sandbox.DefaultToken, "domain": "https://sandbox.okta.com", "userId": adaID})
		require.False(t, res.IsError, text(res))
	})
	t.Run("clients are cached per org and token", func(t *testing.T) {
		d := NewDeps(Options{})
		a, err := d.clients.get(d, "sandbox.okta.com", "00token-a-000000000000")
		require.NoError(t, err)
		b, err := d.clients.get(d, "https://SANDBOX.okta.com", "00token-a-000000000000")
		require.NoError(t, err)
		assert.Same(t, a, b)
		c, err := d.clients.get(d, "sandbox.okta.com", "00token-b-000000000000")
		require.NoError(t, err)
		assert.NotSame(t, a, c)
		assert.Equal(t, 2, d.clients.len())
		for i := range 200 {
			_, err := d.clients.get(d, "sandbox.okta.com", strings.Repeat("x", 20)+string(rune('a'+i%26))+strings.Repeat("y", i))
			require.NoError(t, err)
		}
		assert.Equal(t, 128, d.clients.len(), "the cache is bounded")
	})
}

func TestPerCallModeWithHeaders(t *testing.T) {
	e := newEnv(t, perCallMode())
	ctx := withHeaders(map[string]string{HeaderOrgURL: "https://sandbox.okta.com", HeaderAPIToken: sandbox.DefaultToken})

	// tools/list for such a request: apiKey/domain are optional.
	req := mcp.ListToolsRequest{}
	res, err := e.client.ListTools(ctx, req)
	require.NoError(t, err)
	for _, tool := range res.Tools {
		in, props := decodeSchema(t, inputSchemaOf(t, tool))
		assert.Contains(t, props, "apiKey", tool.Name)
		assert.NotContains(t, in.Required, "apiKey", tool.Name)
		assert.NotContains(t, in.Required, "domain", tool.Name)
	}
	res, err = e.client.ListTools(context.Background(), req)
	require.NoError(t, err)
	in, _ := decodeSchema(t, inputSchemaOf(t, res.Tools[0]))
	assert.Contains(t, in.Required, "apiKey", "without headers the seed's schema applies")

	out := e.callRaw(ctx, "okta_get_user", map[string]any{"userId": adaID})
	require.False(t, out.IsError, text(out))

	// Per-call arguments are more specific than headers.
	out = e.callRaw(ctx, "okta_get_user", map[string]any{"userId": adaID, "apiKey": "00wrong-token-000000000", "domain": "sandbox.okta.com"})
	require.True(t, out.IsError)
	assert.Contains(t, text(out), "E0000011")

	out = e.callRaw(ctx, "okta_get_user", map[string]any{"userId": adaID, "apiKey": sandbox.DefaultToken})
	require.True(t, out.IsError)
	assert.Contains(t, text(out), "send both apiKey and domain")

	bad := withHeaders(map[string]string{HeaderOrgURL: "https://10.0.0.1", HeaderAPIToken: sandbox.DefaultToken})
	before := e.requests()
	out = e.callRaw(bad, "okta_get_user", map[string]any{"userId": adaID})
	require.True(t, out.IsError)
	assert.Contains(t, text(out), "X-Okta-Org-URL header")
	assert.Equal(t, before, e.requests())
}

// inputSchemaOf returns a tool's input schema as sent on the wire.
func inputSchemaOf(t testing.TB, tool mcp.Tool) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(tool)
	require.NoError(t, err)
	var w struct {
		InputSchema json.RawMessage `json:"inputSchema"`
	}
	require.NoError(t, json.Unmarshal(b, &w))
	return w.InputSchema
}
