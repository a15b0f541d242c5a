package main

// First contact: what someone trying okta-mcp by hand sees (help, typos, bad
// environment values, the start-up log, the tool catalog).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/tools"
)

// runInProcess runs the command line args in this process (no serving that
// outlives stdin) and returns stdout, stderr and the exit code.
func runInProcess(t *testing.T, env map[string]string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, envFunc(env), strings.NewReader(stdin), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

func TestHelpGoesToStdoutAndListsCommands(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		stdout, stderr, code := runInProcess(t, nil, "", args...)
		assert.Equal(t, 0, code, args)
		assert.Empty(t, stderr, args)
		for _, want := range []string{"okta-mcp tools", "okta-mcp sandbox", "okta-mcp version", "okta-mcp login", "okta-mcp logout", "okta-mcp whoami", "--transport", "OKTA_MCP_READ_ONLY"} {
			assert.Contains(t, stdout, want, args)
		}
	}
	for _, args := range [][]string{{"tools", "--help"}, {"help", "tools"}} {
		stdout, stderr, code := runInProcess(t, nil, "", args...)
		assert.Equal(t, 0, code, args)
		assert.Empty(t, stderr, args)
		assert.Contains(t, stdout, "--json", args)
	}
	for _, c := range []string{"login", "logout", "whoami"} {
		stdout, stderr, code := runInProcess(t, nil, "", c, "--help")
		assert.Equal(t, 0, code, c)
		assert.Empty(t, stderr, c)
		assert.Contains(t, stdout, "Usage: okta-mcp "+c, c)
	}
	stdout, stderr, code := runInProcess(t, nil, "", "sandbox", "--help")
	assert.Equal(t, 0, code)
	assert.Empty(t, stderr)
	assert.Contains(t, stdout, "OKTA_SANDBOX_LISTEN")
}

func TestUnknownCommandSuggestsNearest(t *testing.T) {
	tests := map[string]string{"tool": `did you mean "tools"?`, "sandbx": `did you mean "sandbox"?`, "verison": `did you mean "version"?`, "whoamí": `did you mean "whoami"?`}
	for cmd, want := range tests {
		stdout, stderr, code := runInProcess(t, nil, "", cmd)
		assert.Equal(t, 2, code, cmd)
		assert.Empty(t, stdout, cmd)
		assert.Contains(t, stderr, `unknown command "`+cmd+`"`)
		assert.Contains(t, stderr, want, cmd)
		assert.Equal(t, 1, strings.Count(stderr, "unknown command"), "said once: %s", stderr)
	}
	_, stderr, _ := runInProcess(t, nil, "", "frobnicate")
	assert.NotContains(t, stderr, "did you mean", "no suggestion when nothing is close")
}

func TestBadValuesNameTheirSource(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		want     []string
		unwanted []string
	}{
		{"env bool", nil, map[string]string{"OKTA_MCP_READ_ONLY": "yes"},
			[]string{"OKTA_MCP_READ_ONLY", `"yes"`, "true or false", "1 or 0"}, []string{"parse error", "--read-only"}},
		{"env transport", nil, map[string]string{"OKTA_MCP_TRANSPORT": "htp"},
			[]string{"OKTA_MCP_TRANSPORT", `"htp"`, "stdio, sse or http", "did you mean http"}, []string{"--transport"}},
		{"flag transport", []string{"--transport", "htp"}, map[string]string{"OKTA_MCP_TRANSPORT": "sse"},
			[]string{"--transport", "stdio, sse or http"}, []string{"OKTA_MCP_TRANSPORT"}},
		{"flag bool", []string{"--read-only=yes"}, nil,
			[]string{"--read-only", "true or false"}, []string{"parse error", " -read-only"}},
		{"env duration", nil, map[string]string{"OKTA_MCP_WRITE_TIMEOUT": "30"},
			[]string{"OKTA_MCP_WRITE_TIMEOUT", "duration such as 30s"}, []string{"parse error", "time:"}},
		{"env int", nil, map[string]string{"OKTA_MCP_MAX_SESSIONS": "lots"},
			[]string{"OKTA_MCP_MAX_SESSIONS", "whole number"}, []string{"parse error"}},
		{"env range", nil, map[string]string{"OKTA_MCP_MAX_SESSIONS": "0"},
			[]string{"OKTA_MCP_MAX_SESSIONS must be at least 1"}, []string{"--max-sessions"}},
		{"env log level", nil, map[string]string{"OKTA_MCP_LOG_LEVEL": "verbose"},
			[]string{"OKTA_MCP_LOG_LEVEL", "debug, info, warn or error"}, []string{"--log-level"}},
		{"env stateless on stdio", nil, map[string]string{"OKTA_MCP_STATELESS": "1"},
			[]string{"OKTA_MCP_STATELESS applies to the http transport only"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseServeConfig(tt.args, envFunc(tt.env), io.Discard)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			for _, u := range tt.unwanted {
				assert.NotContains(t, err.Error(), u)
			}
		})
	}
	// Through the command: the message is printed once, on stderr.
	stdout, stderr, code := runInProcess(t, map[string]string{"OKTA_MCP_READ_ONLY": "yes"}, "")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, 1, strings.Count(stderr, "OKTA_MCP_READ_ONLY"), stderr)
	_, stderr, code = runInProcess(t, map[string]string{"OKTA_SANDBOX_RATE_LIMIT": "-1"}, "", "sandbox")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `OKTA_SANDBOX_RATE_LIMIT="-1"`)
}

func TestNearest(t *testing.T) {
	cands := []string{"stdio", "sse", "http"}
	assert.Equal(t, "http", nearest("htp", cands))
	assert.Equal(t, "http", nearest("HTTP2", cands))
	assert.Equal(t, "stdio", nearest("studio", cands))
	assert.Equal(t, "", nearest("carrier-pigeon", cands))
	assert.Equal(t, "", nearest("x", cands))
	assert.Equal(t, 3, editDistance("kitten", "sitting"))
}

// TestStartupLogShowsEffectiveToolsets: the log says which toolsets and how
// many tools are served, not just what was asked for (nothing, by default).
func TestStartupLogShowsEffectiveToolsets(t *testing.T) {
	var all []string
	var groups int
	for _, ts := range tools.Toolsets() {
		all = append(all, ts.Name)
		if ts.Name == tools.ToolsetGroups {
			groups = len(ts.Read) + len(ts.Write)
		}
	}
	defaults := len(tools.Catalog(tools.Options{}))
	everything := len(tools.Catalog(tools.Options{Toolsets: []string{"all"}}))
	readOnly := len(tools.Catalog(tools.Options{ReadOnly: true}))

	// The default set serves part of the groups toolset (its read tools).
	_, stderr, code := runInProcess(t, nil, "", "--sandbox")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, fmt.Sprintf(`toolsets=users,lifecycle,groups\(\d+/%d\),members tool_count=%d `, groups, defaults), stderr)

	_, stderr, code = runInProcess(t, nil, "", "--sandbox", "--toolsets", "all")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, fmt.Sprintf("toolsets=%s tool_count=%d", strings.Join(all, ","), everything))

	_, stderr, code = runInProcess(t, map[string]string{"OKTA_MCP_READ_ONLY": "true"}, "", "--sandbox")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `toolsets=users\(2/\d+\),groups\(2/\d+\),\S* tool_count=`+fmt.Sprint(readOnly)+` `, stderr)
	assert.NotContains(t, stderr, "lifecycle", "a toolset with no read-only tool is not served")

	_, stderr, code = runInProcess(t, nil, "", "--sandbox", "--toolsets", "groups", "--tools", "okta_get_user")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, fmt.Sprintf(`toolsets=users\(1/\d+\),groups tool_count=%d `, groups+1), stderr)
}

// TestToolsJSONHasSchemasAndAnnotations: `okta-mcp tools --json` carries what
// a registry or a documentation generator needs.
func TestToolsJSONHasSchemasAndAnnotations(t *testing.T) {
	stdout, stderr, code := runInProcess(t, nil, "", "tools", "--json")
	require.Equal(t, 0, code, stderr)
	var entries []struct {
		Name         string          `json:"name"`
		ReadOnly     bool            `json:"readOnly"`
		InputSchema  json.RawMessage `json:"inputSchema"`
		OutputSchema json.RawMessage `json:"outputSchema"`
		Annotations  map[string]any  `json:"annotations"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &entries))
	require.Equal(t, len(tools.Catalog(tools.Options{})), len(entries))
	for _, e := range entries {
		var in, out map[string]any
		require.NoError(t, json.Unmarshal(e.InputSchema, &in), e.Name)
		require.NoError(t, json.Unmarshal(e.OutputSchema, &out), e.Name)
		assert.Equal(t, "object", in["type"], e.Name)
		assert.Equal(t, "object", out["type"], e.Name)
		props, _ := in["properties"].(map[string]any)
		assert.NotContains(t, props, "apiKey", "%s: schemas as served with server credentials", e.Name)
		assert.Equal(t, e.ReadOnly, e.Annotations["readOnlyHint"], e.Name)
		for _, k := range []string{"title", "destructiveHint", "idempotentHint", "openWorldHint"} {
			assert.Contains(t, e.Annotations, k, e.Name)
		}
	}
	stdout, _, code = runInProcess(t, nil, "", "tools", "--json", "--per-call", "--tools", "okta_get_user")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, `"apiKey"`)
}

// TestSeedFileErrorNamesFileRecordField: a bad seed file is reported once,
// naming the file, the record and the field, without the layers it passed.
func TestSeedFileErrorNamesFileRecordField(t *testing.T) {
	file := filepath.Join(t.TempDir(), "org-seed")
	user := `{"profile":{"login":"ada@example.com","email":"ada@example.com","firstName":"Ada","lastName":"Lovelace"}`
	tests := map[string]string{
		`{"users":[` + user + `},` + user + `,"id":7}]}`:         "users[1] (ada@example.com): id: want a string, got a JSON number",
		`{"groups":[{"profile":{"name":"Eng"}},{"profile":{}}]}`: "groups[1]: profile.name: The field cannot be left blank",
		`{"users":[` + user + `,"groups":["Nope"]}]}`:            `users[0] (ada@example.com): groups: unknown group "Nope"`,
	}
	for seed, want := range tests {
		require.NoError(t, os.WriteFile(file, []byte(seed), 0o600))
		_, stderr, code := runInProcess(t, nil, "", "--sandbox", "--sandbox-seed", file)
		assert.Equal(t, 1, code)
		stderr = strings.ReplaceAll(stderr, `\"`, `"`) // the log quotes the error
		assert.Contains(t, stderr, "seed file "+file+": "+want)
		assert.Equal(t, 1, strings.Count(stderr, "seed file"), "said once: %s", stderr)
		for _, layer := range []string{"sandbox:", "Go struct", "json: ", "reading seed"} {
			assert.NotContains(t, stderr, layer)
		}
	}
}

// The start-up log says which in-memory org is served: the demo org, or
// the one a seed file describes.
func TestStartupLogNamesTheSandboxOrg(t *testing.T) {
	_, stderr, code := runInProcess(t, nil, "", "--sandbox")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "in-memory demo org https://sandbox.okta.com")

	file := filepath.Join("..", "..", "okta", "sandbox", "testdata", "seed-example.json")
	_, stderr, code = runInProcess(t, nil, "", "--sandbox", "--sandbox-seed", file)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "in-memory org from "+file)
	assert.NotContains(t, stderr, "demo org")
}

func TestUnknownFlagSuggestsNearest(t *testing.T) {
	_, err := parseServeConfig([]string{"--transprt", "http"}, envFunc(nil), io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "flag provided but not defined: --transprt (did you mean --transport?)")
	_, err = parseServeConfig([]string{"--frobnicate"}, envFunc(nil), io.Discard)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "did you mean")
}
