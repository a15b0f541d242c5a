package tools

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// param is one input parameter of the seed's contract (TOOLS.md).
type param struct {
	typ      string
	required bool
}

// seedTool is a tool as the seed defines it: its inputs (without apiKey and
// domain, which every tool has in per-call mode) and its outputs (without
// success, which every tool adds).
type seedTool struct {
	inputs  map[string]param
	outputs []string
	items   []string // fields of each element of the list output, if any
}

var (
	str = func(req bool) param { return param{"string", req} }
	num = param{"number", false}
	bl  = param{"boolean", false}
)

var listUserFields = []string{"id", "status", "firstName", "lastName", "email", "login", "mobilePhone", "title", "department", "created", "lastLogin", "lastUpdated", "activated", "statusChanged"}
var groupFields = []string{"id", "name", "description", "type", "created", "lastUpdated", "lastMembershipUpdated"}
var userWriteFields = []string{"id", "status", "firstName", "lastName", "email", "login", "created", "lastUpdated"}

// seed is TOOLS.md, the contract: names, parameter names, types and
// required flags, and output fields.
var seed = map[string]seedTool{
	"okta_list_users":             {inputs: map[string]param{"search": str(false), "filter": str(false), "limit": num}, outputs: []string{"users", "count"}, items: listUserFields},
	"okta_get_user":               {inputs: map[string]param{"userId": str(true)}, outputs: []string{"id", "status", "firstName", "lastName", "email", "login", "mobilePhone", "secondEmail", "displayName", "title", "department", "organization", "manager", "managerId", "division", "employeeNumber", "userType", "created", "activated", "lastLogin", "lastUpdated", "statusChanged", "passwordChanged"}},
	"okta_create_user":            {inputs: map[string]param{"firstName": str(true), "lastName": str(true), "email": str(true), "login": str(false), "password": str(false), "mobilePhone": str(false), "title": str(false), "department": str(false), "activate": bl}, outputs: userWriteFields},
	"okta_update_user":            {inputs: map[string]param{"userId": str(true), "firstName": str(false), "lastName": str(false), "email": str(false), "login": str(false), "mobilePhone": str(false), "title": str(false), "department": str(false)}, outputs: userWriteFields},
	"okta_activate_user":          {inputs: map[string]param{"userId": str(true), "sendEmail": bl}, outputs: []string{"userId", "activated", "activationUrl", "activationToken"}},
	"okta_deactivate_user":        {inputs: map[string]param{"userId": str(true), "sendEmail": bl}, outputs: []string{"userId", "deactivated"}},
	"okta_suspend_user":           {inputs: map[string]param{"userId": str(true)}, outputs: []string{"userId", "suspended"}},
	"okta_unsuspend_user":         {inputs: map[string]param{"userId": str(true)}, outputs: []string{"userId", "unsuspended"}},
	"okta_reset_password":         {inputs: map[string]param{"userId": str(true), "sendEmail": bl}, outputs: []string{"userId", "resetPasswordUrl"}},
	"okta_delete_user":            {inputs: map[string]param{"userId": str(true), "sendEmail": bl}, outputs: []string{"userId", "deleted"}},
	"okta_list_groups":            {inputs: map[string]param{"search": str(false), "filter": str(false), "limit": num}, outputs: []string{"groups", "count"}, items: groupFields},
	"okta_get_group":              {inputs: map[string]param{"groupId": str(true)}, outputs: groupFields},
	"okta_create_group":           {inputs: map[string]param{"name": str(true), "description": str(false)}, outputs: groupFields},
	"okta_update_group":           {inputs: map[string]param{"groupId": str(true), "name": str(true), "description": str(false)}, outputs: groupFields},
	"okta_delete_group":           {inputs: map[string]param{"groupId": str(true)}, outputs: []string{"groupId", "deleted"}},
	"okta_add_user_to_group":      {inputs: map[string]param{"groupId": str(true), "userId": str(true)}, outputs: []string{"groupId", "userId", "added"}},
	"okta_remove_user_from_group": {inputs: map[string]param{"groupId": str(true), "userId": str(true)}, outputs: []string{"groupId", "userId", "removed"}},
	"okta_list_group_members":     {inputs: map[string]param{"groupId": str(true), "limit": num}, outputs: []string{"members", "count"}, items: listUserFields},
}

// beyondSeed are the tools CONTRACT.md names beyond the seed (issue 11),
// with the inputs and outputs this server documents for them.
var beyondSeed = map[string]seedTool{
	"okta_list_user_groups":    {inputs: map[string]param{"userId": str(true), "limit": num, "after": str(false)}, outputs: []string{"groups", "count", "userId"}, items: groupFields},
	"okta_unlock_user":         {inputs: map[string]param{"userId": str(true)}, outputs: []string{"userId", "unlocked", "status"}},
	"okta_expire_password":     {inputs: map[string]param{"userId": str(true), "tempPassword": bl}, outputs: []string{"userId", "status", "tempPassword", "message"}},
	"okta_clear_user_sessions": {inputs: map[string]param{"userId": str(true), "oauthTokens": bl}, outputs: []string{"userId", "sessionsCleared", "oauthTokensRevoked", "message"}},
	"okta_list_user_factors":   {inputs: map[string]param{"userId": str(true)}, outputs: []string{"factors", "count", "userId"}, items: []string{"id", "factorType", "provider", "vendorName", "status", "created", "lastUpdated", "profile"}},
	"okta_reset_user_factors":  {inputs: map[string]param{"userId": str(true)}, outputs: []string{"userId", "reset", "removed", "message"}},
	"okta_get_system_log": {inputs: map[string]param{"since": str(false), "until": str(false), "filter": str(false), "q": str(false), "limit": num, "after": str(false), "sortOrder": str(false)},
		outputs: []string{"events", "count", "since", "until"}, items: []string{"time", "eventType", "displayMessage", "outcome", "actor", "targets", "client", "transactionId"}},
	"okta_offboard_user": {inputs: map[string]param{"userId": str(true), "dryRun": bl, "deactivate": bl, "planId": str(false)},
		outputs: []string{"steps", "userId", "login", "status", "dryRun", "planId", "keptGroups", "warnings", "completed", "message"}, items: []string{"step", "action", "target", "description", "outcome", "error"}},
}

// contractTool is a tool's contract: the seed's or beyondSeed's.
func contractTool(name string) (seedTool, bool) {
	if st, ok := seed[name]; ok {
		return st, true
	}
	st, ok := beyondSeed[name]
	return st, ok
}

// extraInputs are parameters beyond the seed (paging; fields, issue 11).
var extraInputs = map[string]map[string]param{
	"okta_list_users":         {"after": str(false), "fields": {typ: "array"}},
	"okta_list_groups":        {"after": str(false), "fields": {typ: "array"}},
	"okta_list_group_members": {"after": str(false), "fields": {typ: "array"}},
	"okta_list_user_groups":   {"fields": {typ: "array"}},
	"okta_get_system_log":     {"fields": {typ: "array"}},
	"okta_list_user_factors":  {"fields": {typ: "array"}},
}

// toolsIn returns every tool definition for a credential mode.
func toolsIn(t testing.TB, mode string) []mcp.Tool {
	t.Helper()
	opts := Options{}
	if mode == "server" {
		oc, err := okta.NewClient(okta.Config{OrgURL: sandbox.DemoOrgURL, Auth: okta.APIToken(sandbox.DefaultToken), HTTPClient: &http.Client{Transport: failingTransport{t}}})
		require.NoError(t, err)
		opts.ServerClient = oc
	}
	all, err := NewDeps(opts).build()
	require.NoError(t, err)
	out := make([]mcp.Tool, len(all))
	for i, st := range all {
		out[i] = st.Tool
	}
	return out
}

type failingTransport struct{ t testing.TB }

func (f failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	f.t.Error("no request may be sent")
	return nil, http.ErrUseLastResponse
}

type schemaDoc struct {
	Type                 string                     `json:"type"`
	Properties           map[string]json.RawMessage `json:"properties"`
	Required             []string                   `json:"required"`
	AdditionalProperties *bool                      `json:"additionalProperties"`
	AnyOf, OneOf, AllOf  []any
}

type propDoc struct {
	Type        any             `json:"type"`
	Description string          `json:"description"`
	Format      string          `json:"format"`
	Items       json.RawMessage `json:"items"`
	MinLength   *int            `json:"minLength"`
	Minimum     *float64        `json:"minimum"`
	Maximum     *float64        `json:"maximum"`
	MultipleOf  *float64        `json:"multipleOf"`
	Default     any             `json:"default"`
	WriteOnly   bool            `json:"writeOnly"`
}

func decodeSchema(t testing.TB, raw json.RawMessage) (schemaDoc, map[string]propDoc) {
	t.Helper()
	var sd schemaDoc
	require.NoError(t, json.Unmarshal(raw, &sd))
	props := map[string]propDoc{}
	for k, v := range sd.Properties {
		var p propDoc
		require.NoError(t, json.Unmarshal(v, &p))
		props[k] = p
	}
	return sd, props
}

func TestToolsMatchTheSeed(t *testing.T) {
	for _, mode := range []string{"server", "percall"} {
		t.Run(mode, func(t *testing.T) {
			tools := toolsIn(t, mode)
			var names []string
			for _, tool := range tools {
				names = append(names, tool.Name)
			}
			var want []string
			for n := range seed {
				want = append(want, n)
			}
			for n := range beyondSeed {
				want = append(want, n)
			}
			sort.Strings(want)
			assert.ElementsMatch(t, want, names, "exactly the seed's 18 tools and the 8 CONTRACT.md adds")

			for _, tool := range tools {
				t.Run(tool.Name, func(t *testing.T) {
					st, known := contractTool(tool.Name)
					require.True(t, known, tool.Name)
					_, inSeed := seed[tool.Name]
					in, props := decodeSchema(t, tool.RawInputSchema)
					assert.Equal(t, "object", in.Type)
					require.NotNil(t, in.AdditionalProperties)
					assert.False(t, *in.AdditionalProperties, "unknown parameters are refused")
					assert.Empty(t, in.AnyOf, "no top-level combinators")
					assert.Empty(t, in.OneOf)
					assert.Empty(t, in.AllOf)

					wantIn := map[string]param{}
					for k, v := range st.inputs {
						wantIn[k] = v
					}
					for k, v := range extraInputs[tool.Name] {
						wantIn[k] = v
					}
					if mode == "percall" {
						wantIn["apiKey"] = str(true)
						wantIn["domain"] = str(true)
					}
					var gotNames []string
					for k := range props {
						gotNames = append(gotNames, k)
					}
					var wantNames []string
					for k := range wantIn {
						wantNames = append(wantNames, k)
					}
					assert.ElementsMatch(t, wantNames, gotNames, "input parameter names")
					for name, p := range wantIn {
						got := props[name]
						assert.Equal(t, p.typ, got.Type, "%s type", name)
						assert.Equal(t, p.required, slices.Contains(in.Required, name), "%s required", name)
						assert.NotEmpty(t, got.Description, "%s has a description", name)
						if name == "userId" || name == "groupId" || name == "apiKey" || name == "domain" {
							require.NotNil(t, got.MinLength, name)
							assert.Equal(t, 1, *got.MinLength, "%s minLength", name)
						}
						if name == "limit" && inSeed {
							assert.Equal(t, 1.0, *got.Minimum)
							assert.Equal(t, 1.0, *got.MultipleOf, "limit must be whole")
							assert.Equal(t, *got.Maximum, got.Default)
						}
						if name == "email" {
							assert.Equal(t, "email", got.Format)
						}
						if name == "apiKey" || name == "password" {
							assert.True(t, got.WriteOnly, "%s is marked writeOnly", name)
						}
					}
					if mode == "percall" {
						assert.Equal(t, []string{"apiKey", "domain"}, in.Required[:2], "credentials come first, as in the seed")
					}

					require.NotEmpty(t, tool.RawOutputSchema, "every tool has an output schema")
					out, oprops := decodeSchema(t, tool.RawOutputSchema)
					assert.Equal(t, "object", out.Type)
					for _, f := range append(slices.Clone(st.outputs), "success") {
						assert.Contains(t, oprops, f, "output field %s", f)
						assert.Contains(t, out.Required, f, "output field %s is always present", f)
					}
					assert.Equal(t, "boolean", oprops["success"].Type)
					if st.items != nil {
						list := st.outputs[0]
						if tool.Name == "okta_offboard_user" {
							list = "steps"
						}
						assert.Equal(t, "array", oprops[list].Type)
						var items schemaDoc
						require.NoError(t, json.Unmarshal(oprops[list].Items, &items))
						for _, f := range st.items {
							assert.Contains(t, items.Properties, f, "%s[].%s", list, f)
						}
						if tool.Name != "okta_offboard_user" {
							assert.Equal(t, "number", oprops["count"].Type)
						}
						if _, paged := props["after"]; paged {
							assert.Equal(t, []any{"string", "null"}, oprops["nextCursor"].Type)
						}
					}
				})
			}
		})
	}
}

// TestAnnotations fails when any tool lacks a title or any hint, or states
// readOnlyHint against its toolset list.
func TestAnnotations(t *testing.T) {
	writes := map[string]bool{}
	for _, ts := range Toolsets() {
		for _, f := range ts.Write {
			tool, _ := f(NewDeps(Options{}))
			writes[tool.Name] = true
		}
	}
	destructive := []string{"okta_update_user", "okta_deactivate_user", "okta_suspend_user", "okta_reset_password", "okta_delete_user", "okta_update_group", "okta_delete_group", "okta_remove_user_from_group",
		"okta_expire_password", "okta_clear_user_sessions", "okta_reset_user_factors", "okta_offboard_user"}
	for _, mode := range []string{"server", "percall"} {
		for _, tool := range toolsIn(t, mode) {
			a := tool.Annotations
			assert.NotEmpty(t, a.Title, tool.Name)
			assert.Equal(t, a.Title, tool.Title, tool.Name)
			require.NotNil(t, a.ReadOnlyHint, "%s readOnlyHint", tool.Name)
			require.NotNil(t, a.DestructiveHint, "%s destructiveHint", tool.Name)
			require.NotNil(t, a.IdempotentHint, "%s idempotentHint", tool.Name)
			require.NotNil(t, a.OpenWorldHint, "%s openWorldHint", tool.Name)
			assert.Equal(t, !writes[tool.Name], *a.ReadOnlyHint, "%s readOnlyHint matches its toolset list", tool.Name)
			assert.Equal(t, slices.Contains(destructive, tool.Name), *a.DestructiveHint, "%s destructiveHint", tool.Name)
			assert.True(t, *a.OpenWorldHint, tool.Name)
			if *a.ReadOnlyHint {
				assert.True(t, *a.IdempotentHint, "%s: reads are idempotent", tool.Name)
				assert.False(t, *a.DestructiveHint, tool.Name)
			}
			assert.NotEmpty(t, tool.Description, tool.Name)
		}
	}
}

// TestToolSnapshots compares every tool's JSON (name, description, schemas,
// annotations) with testdata/toolsnaps/<mode>/<tool>.json; UPDATE_TOOLSNAPS=1
// rewrites them.
func TestToolSnapshots(t *testing.T) {
	update := os.Getenv("UPDATE_TOOLSNAPS") != ""
	for _, mode := range []string{"server", "percall"} {
		dir := filepath.Join("..", "testdata", "toolsnaps", mode)
		tools := toolsIn(t, mode)
		if update {
			require.NoError(t, os.MkdirAll(dir, 0o755))
		}
		for _, tool := range tools {
			t.Run(mode+"/"+tool.Name, func(t *testing.T) {
				got := snapshot(t, tool)
				path := filepath.Join(dir, tool.Name+".json")
				if update {
					require.NoError(t, os.WriteFile(path, got, 0o644))
					return
				}
				want, err := os.ReadFile(path)
				require.NoError(t, err, "missing snapshot; run UPDATE_TOOLSNAPS=1 go test ./tools/ -run TestToolSnapshots")
				assert.JSONEq(t, string(want), string(got), "tool %s changed; if intended, run UPDATE_TOOLSNAPS=1 go test ./tools/ -run TestToolSnapshots", tool.Name)
				assert.Equal(t, string(want), string(got), "tool %s changed (order or formatting); if intended, run UPDATE_TOOLSNAPS=1", tool.Name)
			})
		}
		if !update {
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Len(t, entries, len(tools), "no stale snapshots in %s", dir)
		}
	}
}

func snapshot(t testing.TB, tool mcp.Tool) []byte {
	t.Helper()
	b, err := json.Marshal(tool)
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, json.Indent(&out, b, "", "  "))
	out.WriteByte('\n')
	return out.Bytes()
}
