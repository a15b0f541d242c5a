package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeClientSnippets parses every client configuration the README shows (```json blocks and
// the one-line JSON of the "Try it in two minutes" table) and starts okta-mcp's configuration
// parser with each okta-mcp command line in them, so a snippet with a JSON error, a renamed flag or
// a variable okta-mcp does not read fails here rather than in a user's client.
func TestReadmeClientSnippets(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	readme := string(b)

	var snippets []string
	for _, m := range regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(readme, -1) {
		snippets = append(snippets, m[1])
	}
	for _, m := range regexp.MustCompile("`(\\{\"(?:mcpServers|servers|context_servers)\".*?\\})`").FindAllStringSubmatch(readme, -1) {
		snippets = append(snippets, m[1])
	}
	require.GreaterOrEqual(t, len(snippets), 8, "the README's client snippets")

	known := envVarsOfHelp(t)
	commands := 0
	for _, s := range snippets {
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(s), &doc), "README snippet is not valid JSON:\n%s", s)
		for _, key := range []string{"mcpServers", "servers", "context_servers"} {
			servers, _ := doc[key].(map[string]any)
			for name, v := range servers {
				srv, _ := v.(map[string]any)
				command, _ := srv["command"].(string)
				var args []string
				for _, a := range asSlice(srv["args"]) {
					args = append(args, a.(string))
				}
				if command == "docker" {
					i := indexOf(args, "okta-mcp")
					require.GreaterOrEqual(t, i, 0, "%s: docker args name no okta-mcp image", name)
					args = args[i+1:]
				} else if command == "" {
					continue // a remote server (url)
				} else {
					assert.True(t, strings.HasSuffix(command, "/okta-mcp"), "%s: command %q", name, command)
				}
				env := map[string]string{}
				for k, v := range asMap(srv["env"]) {
					assert.Contains(t, known, k, "%s: okta-mcp does not read %s", name, k)
					env[k] = v.(string)
				}
				_, err := parseServeConfig(args, envFunc(env), &bytes.Buffer{})
				assert.NoError(t, err, "%s: okta-mcp %v", name, args)
				commands++
			}
		}
	}
	assert.GreaterOrEqual(t, commands, 8, "okta-mcp command lines checked")

	// The one non-JSON client set-up of the table: Codex's TOML, and Claude Code's command line.
	for _, re := range []string{
		`args = \[("[^"]*"(?:, "[^"]*")*)\]`,
		`claude mcp add --transport stdio okta-demo -- /ABSOLUTE/PATH/okta-mcp ((?:--[a-z-]+ ?)+)`,
	} {
		m := regexp.MustCompile(re).FindStringSubmatch(readme)
		require.NotNil(t, m, re)
		var args []string
		if strings.HasPrefix(m[1], `"`) {
			require.NoError(t, json.Unmarshal([]byte("["+m[1]+"]"), &args))
		} else {
			args = strings.Fields(m[1])
		}
		_, err := parseServeConfig(args, envFunc(nil), &bytes.Buffer{})
		assert.NoError(t, err, "okta-mcp %v", args)
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
