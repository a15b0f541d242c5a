package tools

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/schema"
	"github.com/okta-mcp/okta-mcp/schema/schemagen"
)

var updateSchemas = flag.Bool("update-schemas", false, "rewrite tools/schemas.json from the tools' Go types (go generate ./tools)")

// renderSchemas reflects every tool's schemas from the Go types its spec
// names and renders schemas.json: one tool per line, in catalog order.
func renderSchemas(t *testing.T) []byte {
	t.Helper()
	d := NewDeps(Options{})
	_, _ = d.build() // may report tools missing from schemas.json: that is what this fixes
	var names []string
	for _, ts := range Toolsets() {
		for _, f := range slices.Concat(ts.Read, ts.Write) {
			tl, _ := f(d)
			names = append(names, tl.Name)
		}
	}
	creds := schemagen.Input[credentialsInput]()
	marshal := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return b
	}
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, name := range names {
		types, ok := d.types[name]
		require.True(t, ok, "tool %s did not record its types", name)
		in := schemagen.For(types[0].Go, false)
		perCall := schemagen.PrependProperties(in, creds)
		require.True(t, types[1].Output, "%s: its output must be schema.Output[T]()", name)
		out := schemagen.For(types[1].Go, true)
		if types[0].Go.Implements(reflect.TypeFor[fieldSelector]()) {
			// With fields, items carry only the fields asked for.
			n := 0
			for p := out.Properties.Oldest(); p != nil; p = p.Next() {
				if p.Value.Items != nil && p.Value.Items.Type == "object" {
					p.Value.Items.Required = nil
					n++
				}
			}
			require.Equal(t, 1, n, "%s takes fields: its output needs exactly one list of objects", name)
		}
		b.Write(marshal(name))
		b.WriteString(":{\n")
		for j, kv := range []struct {
			key string
			val any
		}{
			{"input", in},
			{"inputPerCall", perCall},
			{"inputPerCallOptional", schemagen.Optional(perCall, "apiKey", "domain")},
			{"output", out},
		} {
			fmt.Fprintf(&b, "%q:%s", kv.key, marshal(kv.val))
			if j < 3 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteByte('}')
		if i < len(names)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// TestGeneratedSchemas fails when schemas.json is not what the tools' Go
// types generate (a tool added, a struct tag changed): run go generate ./tools.
func TestGeneratedSchemas(t *testing.T) {
	want := renderSchemas(t)
	if *updateSchemas {
		require.NoError(t, os.WriteFile("schemas.json", want, 0o644))
		return
	}
	got, err := os.ReadFile("schemas.json")
	require.NoError(t, err)
	if !bytes.Equal(got, want) {
		t.Fatalf("tools/schemas.json is stale: it is not what the tools' Go input/output types generate. Regenerate it with\n\n\t%s\n\nand commit the result.", regenerate)
	}
	assert.Equal(t, schemasJSON, got, "the embedded copy is the file")
	// The file is JSON, and the line index the server builds from it at
	// start-up finds the same schemas as a JSON parser.
	var m map[string]toolSchemas
	require.NoError(t, json.Unmarshal(got, &m))
	idx := generatedSchemas()
	require.Len(t, idx, len(m))
	for name, ts := range m {
		assert.Equal(t, ts, idx[name], name)
		for _, raw := range []json.RawMessage{ts.Input, ts.InputPerCall, ts.InputPerCallOptional} {
			_, err := schema.NewValidator(raw)
			assert.NoError(t, err, name)
		}
	}
}

// A tool added without regenerating schemas.json does not start with a
// vague schema: NewServer refuses, naming the tool and the command.
func TestMissingGeneratedSchemaRefusesStart(t *testing.T) {
	orig := generatedSchemas
	t.Cleanup(func() { generatedSchemas = orig })
	all := orig()
	generatedSchemas = func() map[string]toolSchemas {
		m := map[string]toolSchemas{}
		for k, v := range all {
			if k != "okta_get_user" {
				m[k] = v
			}
		}
		return m
	}
	_, err := NewServer(Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no generated schemas for okta_get_user: run go generate ./tools")
}
