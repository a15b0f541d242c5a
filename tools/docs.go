package tools

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ToolTable renders the README's tool table (markdown) from the tools
// registered for opts. The README holds it between <!-- BEGIN TOOLS --> and
// <!-- END TOOLS -->; a test keeps it up to date.
//
// The table lists every tool the options serve; with no toolsets or tools
// named, every tool (not only the default configuration's), with a column
// saying which are served by default.
func ToolTable(opts Options) string {
	if len(opts.Toolsets) == 0 && len(opts.Tools) == 0 {
		opts.Toolsets = []string{ToolsetAll}
	}
	def := NewDeps(Options{ReadOnly: opts.ReadOnly, ServerClient: opts.ServerClient})
	_, _ = def.build()
	d := NewDeps(opts)
	all, _ := d.build()
	var b strings.Builder
	b.WriteString("_Generated from the registered tools (`okta-mcp tools` prints the same catalog). **Bold** parameters are required. " +
		"Without server credentials every tool also takes `apiKey` and `domain` (required), as in the seed. " +
		"Destructive tools may overwrite or remove data; \"asks\" means the human is asked to confirm through MCP elicitation; for a client that cannot ask, the call is refused unless the server runs with `--allow-unconfirmed`. " +
		"Default: served without --toolsets; the others are one `--toolsets default,TOOLSET` away._\n\n")
	b.WriteString("| Tool | Toolset | Default | Access | Parameters | Description |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, st := range all {
		t := st.Tool
		if !d.enabled[t.Name] {
			continue
		}
		a := t.Annotations
		access := "write"
		switch {
		case a.ReadOnlyHint != nil && *a.ReadOnlyHint:
			access = "read-only"
		case a.DestructiveHint != nil && *a.DestructiveHint:
			access = "write, destructive"
		}
		if when, ok := d.confirmWhen[t.Name]; ok {
			if when == "always" {
				access += "; asks"
			} else {
				access += "; asks " + when
			}
		}
		served := "no"
		if def.enabled[t.Name] {
			served = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", t.Name, d.toolsetOf[t.Name], served, access, params(t.RawInputSchema), cell(t.Description))
	}
	return b.String()
}

func params(raw json.RawMessage) string {
	var s struct {
		Properties orderedProps `json:"properties"`
		Required   []string     `json:"required"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return ""
	}
	req := map[string]bool{}
	for _, r := range s.Required {
		req[r] = true
	}
	var out []string
	for _, p := range s.Properties.names {
		if p == "apiKey" || p == "domain" {
			continue
		}
		if req[p] {
			out = append(out, "**`"+p+"`**")
		} else {
			out = append(out, "`"+p+"`")
		}
	}
	return strings.Join(out, ", ")
}

// orderedProps records the property names of a schema in order.
type orderedProps struct{ names []string }

func (o *orderedProps) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := t.(string)
		o.names = append(o.names, name)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	return nil
}

func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}
