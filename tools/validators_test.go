package tools

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// TestValidatorsCompile compiles every tool's input validators, in both
// credential modes: they are compiled lazily, on a tool's first call, so
// without this a schema that does not compile would only fail at run time.
func TestValidatorsCompile(t *testing.T) {
	oc, err := okta.NewClient(okta.Config{OrgURL: sandbox.DemoOrgURL, Auth: okta.APIToken(sandbox.DefaultToken)})
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		opts    Options
		perCall bool
	}{
		{name: "server credentials", opts: Options{ServerClient: oc}},
		{name: "per-call credentials", opts: Options{}, perCall: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDeps(tc.opts)
			all, err := d.build()
			require.NoError(t, err)
			require.Len(t, d.validators, len(all))
			for _, st := range all {
				name := st.Tool.Name
				tv := d.validators[name]
				require.NotNil(t, tv, name)
				v, err := tv.main.get()
				require.NoError(t, err, name)
				require.NotNil(t, v, name)
				if tc.perCall {
					require.NotNil(t, tv.optCreds, name)
					v, err := tv.optCreds.get()
					require.NoError(t, err, name)
					require.NotNil(t, v, name)
				} else {
					assert.Nil(t, tv.optCreds, name)
				}
			}
		})
	}
}

func TestLazyValidator(t *testing.T) {
	t.Run("compiles once, concurrently", func(t *testing.T) {
		l := newLazyValidator([]byte(`{"type":"object","properties":{"a":{"type":"string"}}}`))
		var wg sync.WaitGroup
		got := make([]any, 8)
		for i := range got {
			wg.Go(func() {
				v, err := l.get()
				assert.NoError(t, err)
				got[i] = v
			})
		}
		wg.Wait()
		for _, v := range got {
			assert.Same(t, got[0], v)
		}
		v, err := l.get()
		require.NoError(t, err)
		assert.Error(t, v.Validate(map[string]any{"a": 1.0}))
		assert.NoError(t, v.Validate(map[string]any{"a": "x"}))
	})
	t.Run("a broken schema reports its error", func(t *testing.T) {
		l := newLazyValidator([]byte(`{"type":"object","properties":{"a":{"type":"no-such-type"}}}`))
		v, err := l.get()
		assert.Error(t, err)
		assert.Nil(t, v)
		_, err2 := l.get()
		assert.Equal(t, err, err2)
	})
}

// A tool whose schema does not compile refuses its calls (nothing runs)
// instead of skipping validation.
func TestBrokenValidatorRefusesCall(t *testing.T) {
	oc, err := okta.NewClient(okta.Config{OrgURL: sandbox.DemoOrgURL, Auth: okta.APIToken(sandbox.DefaultToken)})
	require.NoError(t, err)
	d := NewDeps(Options{ServerClient: oc})
	_, err = d.build()
	require.NoError(t, err)
	d.validators["okta_get_user"] = &toolValidators{main: lazyValidator{raw: []byte(`{"type":"nope"}`)}}
	var req mcp.CallToolRequest
	req.Params.Name = "okta_get_user"
	req.Params.Arguments = map[string]any{"userId": "00u1"}
	c := &call{d: d, tool: "okta_get_user", req: req}
	ran := false
	res := c.run(context.Background(), func(context.Context, *call, map[string]any, []byte) *mcp.CallToolResult {
		ran = true
		return nil
	})
	require.NotNil(t, res)
	assert.True(t, res.IsError)
	assert.Contains(t, text(res), "could not be compiled")
	assert.False(t, ran)
	assert.Equal(t, "internal_error", c.outcome)
}

// The result is marshalled once: the wire's structuredContent is the same
// JSON object as the text content, and in-process callers still get the
// object itself.
func TestOkResultWire(t *testing.T) {
	c := &call{tool: "okta_get_user"}
	v := struct {
		ID    string `json:"id"`
		Count int    `json:"count"`
	}{ID: "00u1", Count: 2}
	res := c.ok(v)
	assert.Equal(t, "ok", c.outcome)
	assert.Equal(t, v, res.StructuredContent)
	wire, err := json.Marshal(res)
	require.NoError(t, err)
	var got struct {
		StructuredContent map[string]any `json:"structuredContent"`
		Content           []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"content"`
	}
	require.NoError(t, json.Unmarshal(wire, &got), "%s", wire)
	assert.Equal(t, map[string]any{"id": "00u1", "count": 2.0}, got.StructuredContent)
	require.Len(t, got.Content, 1)
	assert.JSONEq(t, `{"id":"00u1","count":2}`, got.Content[0].Text)
}
