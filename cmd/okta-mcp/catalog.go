package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
	"github.com/okta-mcp/okta-mcp/tools"
)

const toolsUsage = `Usage: okta-mcp tools [flags]

Prints the tool catalog: name, toolset, whether the tool is read-only, and
its description; with --json also each tool's input and output schemas and
annotations, as MCP clients get them. --read-only, --toolsets and --tools
(and their environment variables OKTA_MCP_READ_ONLY, OKTA_MCP_TOOLSETS,
OKTA_MCP_TOOLS) select tools as they do for the server.

Flags:
`

// catalogEntry is one entry of `okta-mcp tools --json`: the tool's place in
// the catalog and its definition as served (input and output schemas,
// annotations).
type catalogEntry = tools.ToolInfo

// runTools is `okta-mcp tools`.
func runTools(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := newFlagSet("okta-mcp tools", stdout)
	var asJSON, readOnly, perCall bool
	var toolsets, toolList string
	fs.BoolVar(&asJSON, "json", false, "print JSON: an array of {name, toolset, readOnly, title, description, inputSchema, outputSchema, annotations}")
	fs.BoolVar(&perCall, "per-call", false, "with --json: the schemas as served without server credentials (every tool then takes apiKey and domain)")
	fs.BoolVar(&readOnly, "read-only", false, "list only tools that never change Okta")
	fs.StringVar(&toolsets, "toolsets", "", "comma `list` of toolsets (default, users, lifecycle, groups, members, security, logs, workflows, all; without it and --tools: default)")
	fs.StringVar(&toolList, "tools", "", "comma `list` of individual tool names (adds to --toolsets)")
	// The same environment variables as the server's, so that the catalog
	// is what a server started in this environment serves.
	fs.bindEnv("read-only", "OKTA_MCP_READ_ONLY")
	fs.bindEnv("toolsets", "OKTA_MCP_TOOLSETS")
	fs.bindEnv("tools", "OKTA_MCP_TOOLS")
	fs.Usage = fs.usage(toolsUsage)
	err := fs.parse(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "okta-mcp tools: %v\nRun \"okta-mcp tools --help\" for the flags.\n", err)
		return 2
	}
	opts := tools.Options{
		Version:  buildVersion(),
		ReadOnly: readOnly,
		Toolsets: splitList(toolsets),
		Tools:    splitList(toolList),
	}
	if !perCall {
		// Schemas as served with credentials from the environment or
		// --sandbox (no apiKey/domain). The client only marks the mode:
		// nothing is ever sent with it.
		c, err := okta.NewClient(okta.Config{OrgURL: sandbox.DemoOrgURL, Auth: okta.APIToken(sandbox.DefaultToken)})
		if err != nil {
			fmt.Fprintf(stderr, "okta-mcp tools: %v\n", err)
			return 1
		}
		opts.ServerClient = c
	}
	// The server's own constructor validates the toolset and tool names.
	_, entries, err := tools.NewServerCatalog(opts)
	if err != nil {
		fmt.Fprintf(stderr, "okta-mcp tools: %s\n", strings.TrimPrefix(err.Error(), "tools: "))
		return 2
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(entries); err != nil {
			fmt.Fprintf(stderr, "okta-mcp tools: %v\n", err)
			return 1
		}
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTOOLSET\tREAD-ONLY\tDESCRIPTION")
	for _, e := range entries {
		ro := "no"
		if e.ReadOnly {
			ro = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.Name, e.Toolset, ro, firstSentence(e.Description))
	}
	if err := tw.Flush(); err != nil {
		return 1
	}
	return 0
}

// firstSentence keeps a table row short: the description up to its first
// sentence end (a period before a capital letter, not after "e.g" or "i.e")
// or line break.
func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '.' || s[i+1] != ' ' || s[i+2] < 'A' || s[i+2] > 'Z' {
			continue
		}
		if before := strings.ToLower(s[:i]); strings.HasSuffix(before, "e.g") || strings.HasSuffix(before, "i.e") {
			continue
		}
		return s[:i+1]
	}
	return s
}
