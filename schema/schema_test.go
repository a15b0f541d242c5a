package schema

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/okta-mcp/okta-mcp/schema/schemagen"
	"github.com/stretchr/testify/require"
)

type testCreds struct {
	APIKey string `json:"apiKey" jsonschema:"minLength=1,writeOnly=true" jsonschema_description:"Okta API token"`
	Domain string `json:"domain" jsonschema:"minLength=1"`
}

type testInput struct {
	UserID   string   `json:"userId" jsonschema:"minLength=1" jsonschema_description:"User id or login, e.g. 00u1 or jane@example.com"`
	Email    *string  `json:"email,omitempty" jsonschema:"format=email"`
	Limit    *float64 `json:"limit,omitempty" jsonschema:"minimum=1,maximum=200,multipleOf=1,default=200"`
	Activate *bool    `json:"activate,omitempty" jsonschema:"default=true"`
	Password *string  `json:"password,omitempty" jsonschema:"minLength=8,writeOnly=true"`
}

type testItem struct {
	ID        string  `json:"id"`
	FirstName *string `json:"firstName"`
}

type testOutput struct {
	Items      []testItem `json:"items"`
	NextCursor *string    `json:"nextCursor"`
	Count      int        `json:"count" jsonschema:"type=number"`
	Success    bool       `json:"success"`
}

func mustJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestInputSchema(t *testing.T) {
	s := mustJSON(t, schemagen.Input[testInput]())
	assert.NotContains(t, s, "$schema")
	assert.NotContains(t, s, "$id")
	assert.Equal(t, "object", s["type"])
	assert.Equal(t, false, s["additionalProperties"])
	assert.Equal(t, []any{"userId"}, s["required"])
	props := s["properties"].(map[string]any)
	limit := props["limit"].(map[string]any)
	assert.Equal(t, "number", limit["type"])
	assert.EqualValues(t, 1, limit["minimum"])
	assert.EqualValues(t, 200, limit["maximum"])
	assert.EqualValues(t, 1, limit["multipleOf"])
	assert.EqualValues(t, 200, limit["default"])
	assert.Equal(t, "email", props["email"].(map[string]any)["format"])
	assert.Equal(t, true, props["activate"].(map[string]any)["default"])
	assert.Equal(t, true, props["password"].(map[string]any)["writeOnly"])
	assert.Contains(t, props["userId"].(map[string]any)["description"], "jane@example.com")
}

func TestOutputSchemaNullable(t *testing.T) {
	s := mustJSON(t, schemagen.Output[testOutput]())
	assert.NotContains(t, s, "additionalProperties")
	props := s["properties"].(map[string]any)
	assert.Equal(t, []any{"string", "null"}, props["nextCursor"].(map[string]any)["type"])
	assert.Equal(t, "number", props["count"].(map[string]any)["type"])
	assert.Equal(t, "boolean", props["success"].(map[string]any)["type"])
	item := props["items"].(map[string]any)["items"].(map[string]any)
	iprops := item["properties"].(map[string]any)
	assert.Equal(t, "string", iprops["id"].(map[string]any)["type"])
	assert.Equal(t, []any{"string", "null"}, iprops["firstName"].(map[string]any)["type"])
	assert.ElementsMatch(t, []any{"items", "nextCursor", "count", "success"}, s["required"])

	// Output produced from the struct validates against its own schema, nulls included.
	raw, err := schemagen.Marshal(schemagen.Output[testOutput]())
	require.NoError(t, err)
	v, err := NewValidator(raw)
	require.NoError(t, err)
	out, err := json.Marshal(testOutput{Items: []testItem{{ID: "00u1"}}, Count: 1, Success: true})
	require.NoError(t, err)
	args, err := DecodeArguments(out)
	require.NoError(t, err)
	assert.NoError(t, v.Validate(args))
}

func TestPrependAndOptional(t *testing.T) {
	s := schemagen.PrependProperties(schemagen.Input[testInput](), schemagen.Input[testCreds]())
	raw, err := schemagen.Marshal(s)
	require.NoError(t, err)
	v, err := NewValidator(raw)
	require.NoError(t, err)
	assert.Equal(t, []string{"apiKey", "domain", "userId", "email", "limit", "activate", "password"}, v.Properties())
	assert.Equal(t, []string{"apiKey", "domain", "userId"}, s.Required)
	o := schemagen.Optional(s, "apiKey", "domain")
	assert.Equal(t, []string{"userId"}, o.Required)
	assert.Equal(t, []string{"apiKey", "domain", "userId"}, s.Required, "the original is unchanged")
}

func newTestValidator(t testing.TB) *Validator {
	t.Helper()
	raw, err := schemagen.Marshal(schemagen.PrependProperties(schemagen.Input[testInput](), schemagen.Input[testCreds]()))
	require.NoError(t, err)
	v, err := NewValidator(raw)
	require.NoError(t, err)
	return v
}

func TestValidateMessages(t *testing.T) {
	v := newTestValidator(t)
	base := `"apiKey":"k","domain":"d.okta.com"`
	tests := []struct {
		name string
		args string
		want []string
	}{
		{"valid", `{` + base + `,"userId":"u1","limit":5}`, nil},
		{"missing", `{` + base + `}`, []string{"userId is required"}},
		{"missing all", `{}`, []string{"apiKey is required", "domain is required", "userId is required"}},
		{"null args", `null`, []string{"apiKey is required", "domain is required", "userId is required"}},
		{"empty id", `{` + base + `,"userId":""}`, []string{"userId: must not be empty"}},
		{"limit too big", `{` + base + `,"userId":"u","limit":500}`, []string{"limit: must be <= 200 (got 500)"}},
		{"limit too small", `{` + base + `,"userId":"u","limit":0}`, []string{"limit: must be >= 1 (got 0)"}},
		{"limit fraction", `{` + base + `,"userId":"u","limit":2.5}`, []string{"limit: must be a whole number (got 2.5)"}},
		{"limit integral float", `{` + base + `,"userId":"u","limit":10.0}`, nil},
		{"limit string", `{` + base + `,"userId":"u","limit":"10"}`, []string{`limit: must be a number (got string "10")`}},
		{"bad email", `{` + base + `,"userId":"u","email":"bob"}`, []string{`email: "bob" is not a valid email address (missing @)`}},
		{"typo", `{` + base + `,"usrId":"u"}`, []string{`unknown parameter "usrId" (did you mean "userId"?)`, "userId is required"}},
		{"unknown", `{` + base + `,"userId":"u","zzzzzzzz":1}`, []string{`unknown parameter "zzzzzzzz"; this tool accepts: apiKey, domain, userId, email, limit, activate, password`}},
		{"not an object", `[1,2]`, []string{"arguments must be a JSON object (got array)"}},
		{"bool type", `{` + base + `,"userId":"u","activate":"yes"}`, []string{`activate: must be a boolean (got string "yes")`}},
		{"null value", `{` + base + `,"userId":null}`, []string{"userId: must be a string (got null)"}},
		{"bad json", `{"userId":`, []string{"arguments are not valid JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in testInput
			err := v.Bind([]byte(tt.args), &in)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var ve *Error
			require.ErrorAs(t, err, &ve)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Len(t, ve.Violations, len(tt.want), err.Error())
		})
	}
}

func TestSecretsNeverEchoed(t *testing.T) {
	v := newTestValidator(t)
	const secret = "SECRETtoken123"
	for _, args := range []string{
		`{"apiKey":123456789,"domain":"d","userId":"u"}`,
		`{"apiKey":"k","domain":"d","userId":"u","password":"` + secret[:5] + `"}`,
		`{"apiKey":["` + secret + `"],"domain":"d","userId":"u"}`,
		`{"apiKey":{"x":"` + secret + `"},"domain":"d","userId":"u"}`,
	} {
		var in testInput
		err := v.Bind([]byte(args), &in)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secret[:5], args)
		assert.NotContains(t, err.Error(), "123456789", args)
	}
}

func TestValidateLongValueShortened(t *testing.T) {
	v := newTestValidator(t)
	long := strings.Repeat("x", 500)
	var in testInput
	err := v.Bind([]byte(`{"apiKey":"k","domain":"d","userId":"u","email":"`+long+`"}`), &in)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 250)
}

func TestBindDecodes(t *testing.T) {
	v := newTestValidator(t)
	var in testInput
	require.NoError(t, v.Bind([]byte(`{"apiKey":"k","domain":"d","userId":"jane@example.com","limit":7,"activate":false}`), &in))
	assert.Equal(t, "jane@example.com", in.UserID)
	require.NotNil(t, in.Limit)
	assert.InDelta(t, 7, *in.Limit, 0)
	require.NotNil(t, in.Activate)
	assert.False(t, *in.Activate)
	assert.Nil(t, in.Email)
}
