// Package tools defines okta-mcp's MCP tools (users, lifecycle, groups and
// group members), groups them into toolsets, and builds the MCP server that
// serves them.
//
// Each tool is one function returning its definition and handler (see
// users.go, lifecycle.go, groups.go, members.go). Every handler validates its
// arguments against the schema it advertises before anything is sent to
// Okta, resolves credentials (per call, per HTTP request, or the server's
// own), asks a human to confirm destructive calls when the client can, and
// writes an audit line for every write.
package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
)

// Options configure NewServer and Catalog. The zero value serves the default
// toolsets in per-call credential mode.
type Options struct {
	// Version is reported to MCP clients in serverInfo.
	Version string
	// ServerClient, when non-nil, puts the server in server credential mode:
	// tools use this client, apiKey/domain are absent from every schema and
	// refused if sent. Build it with Logger: slog.New(NewLogHandler(h)) so
	// that its retries and rate-limit waits reach the MCP client.
	ServerClient *okta.Client
	// ClientConfig is the template for per-call and per-header clients
	// (AllowHTTP, CustomDomains, HTTPClient, Timeout, Logger, ...); OrgURL and
	// Auth are filled in per call.
	ClientConfig okta.Config
	// ReadOnly drops every tool that changes Okta: they are not listed, and
	// calling one by name is refused.
	ReadOnly bool
	// Toolsets lists the toolsets to serve ("all" = every toolset,
	// "default" = what a typical admin session needs: see Toolset.Default).
	// Empty means "default", unless Tools is set: then only those tools are
	// served.
	Toolsets []string
	// Tools adds individual tools by name to those of Toolsets.
	Tools []string
	// AllowUnconfirmed lets the tools that ask a human for confirmation run
	// unconfirmed for clients that cannot ask (no MCP elicitation); their
	// audit lines then say confirmed_by "operator_flag". Without it they
	// refuse (fail closed).
	AllowUnconfirmed bool
	// RequireConfirmation is the former opt-in to refusing; refusing is now
	// the default, and the field is ignored.
	RequireConfirmation bool
	// ConfirmTimeout is how long a question to the human stays answerable;
	// default 5 minutes.
	ConfirmTimeout time.Duration
	// Logger receives the server's own logs; default: discard.
	Logger *slog.Logger
	// Audit receives one line per write; default: discard.
	Audit *slog.Logger
	// SignIn, for a server acting as a signed-in admin, starts a sign-in
	// that clients with URL-mode elicitation can offer their human when
	// nobody is signed in; nil: the tool result only asks for okta-mcp login.
	SignIn SignInStarter
}

// ToolInfo describes a tool for `okta-mcp tools`: where it belongs, and the
// definition MCP clients get in tools/list (schemas and annotations), so that
// registries and documentation can be generated from it.
type ToolInfo struct {
	Name         string             `json:"name"`
	Toolset      string             `json:"toolset"`
	ReadOnly     bool               `json:"readOnly"`
	Title        string             `json:"title"`
	Description  string             `json:"description"`
	InputSchema  json.RawMessage    `json:"inputSchema"`
	OutputSchema json.RawMessage    `json:"outputSchema,omitempty"`
	Annotations  mcp.ToolAnnotation `json:"annotations"`
}

// Instructions tell a model how the tools fit together; the server sends
// them at initialization.
const Instructions = `okta-mcp administers one Okta org's users and groups.

Identifiers: every user tool's userId takes the Okta user id (00u...) or the user's login (usually the email address). Groups are addressed by group id (00g...) only; find ids with okta_list_groups (search: profile.name eq "Sales" or profile.name sw "Eng").

Finding things: okta_list_users takes either search (recommended: any profile attribute, operators eq, sw, co, gt/ge/lt/le, and/or; co only on firstName, lastName, email, login; e.g. profile.department eq "Sales" or profile.email co "example.com") or filter (only eq on status, id, profile.login, profile.email, profile.firstName, profile.lastName; e.g. status eq "ACTIVE"), not both. String values go in double quotes. Without search or filter, DEPROVISIONED users are not listed.

Paging: list tools return at most limit items per call; when nextCursor is not null, call the same tool again with after=nextCursor (and the same search/filter) for the next items. count is the number returned in this call. To keep large pages small, pass fields with the item fields you need (e.g. ["id","login","status"]).

User lifecycle: create (STAGED, or ACTIVE/PROVISIONED when activated) -> activate (STAGED or DEPROVISIONED users) -> suspend (ACTIVE only; SUSPENDED users keep their groups and apps) -> unsuspend (SUSPENDED only) -> deactivate (-> DEPROVISIONED) -> delete. okta_delete_user is two-step: on a user that is not DEPROVISIONED the first call deactivates it (deleted=false, status DEPROVISIONED), and a second call deletes it permanently (deleted=true). reset_password puts the user in RECOVERY.

An admin's day: a locked-out user -> okta_unlock_user (LOCKED_OUT only); a lost phone -> okta_list_user_factors, then okta_reset_user_factors; an incident -> okta_suspend_user or okta_clear_user_sessions, then okta_get_system_log (e.g. filter target.id eq "00u..." since 7d); a leaver -> okta_offboard_user, first as a dry run (the default) to show the plan, then with dryRun false and its planId.

Updates: okta_update_user changes only the fields you pass. okta_update_group keeps the description unless you pass one ("" clears it). Only OKTA_GROUP groups can be changed.

Safety: deleting users or groups, deactivating users, resetting passwords, activating without email or re-activating a DEPROVISIONED user, changing a user's email, login or mobilePhone, ending sessions, resetting factors, expiring a password with a temporary one, and running an offboarding plan ask the human user for confirmation; if they decline, or the client cannot ask, nothing is changed: do not retry on your own, tell the user. Errors say what Okta answered and what to do next; when a create's outcome is unknown, look the object up before trying again.`

// NewServer builds the MCP server with the tools selected by opts. It fails
// on unknown toolset or tool names.
func NewServer(opts Options) (*server.MCPServer, error) {
	s, _, err := NewServerCatalog(opts)
	return s, err
}

// NewServerCatalog is NewServer that also returns Catalog(opts), from the
// same single definition of every tool (start-up builds them once).
func NewServerCatalog(opts Options) (*server.MCPServer, []ToolInfo, error) {
	d := NewDeps(opts)
	all, err := d.build()
	if err != nil {
		return nil, nil, err
	}
	pc := newPromptCompleter(d)
	s := server.NewMCPServer("okta-mcp", opts.Version,
		server.WithInstructions(Instructions),
		server.WithRecovery(),
		server.WithToolCapabilities(false),
		// No resources, but an empty list rather than "method not found"
		// for clients (and the conformance suite) that ask. Prompts for
		// the admin's everyday jobs, with completions (prompts.go).
		server.WithResourceCapabilities(false, false),
		server.WithPromptCapabilities(false),
		server.WithCompletions(),
		server.WithPromptCompletionProvider(pc),
		server.WithLogging(),
		server.WithToolFilter(d.filterTools),
		server.WithHooks(d.hooks()),
	)
	s.AddTools(all...)
	pc.addPrompts(s)
	return s, d.catalog(all), nil
}

// Catalog lists the tools NewServer would serve with opts, in catalog order.
// Unknown names are ignored here; NewServer reports them.
func Catalog(opts Options) []ToolInfo {
	d := NewDeps(opts)
	all, _ := d.build()
	return d.catalog(all)
}

// catalog describes the enabled tools among all, in catalog order.
func (d *Deps) catalog(all []server.ServerTool) []ToolInfo {
	var out []ToolInfo
	for _, st := range all {
		t := st.Tool
		if !d.enabled[t.Name] {
			continue
		}
		out = append(out, ToolInfo{
			Name:         t.Name,
			Toolset:      d.toolsetOf[t.Name],
			ReadOnly:     t.Annotations.ReadOnlyHint != nil && *t.Annotations.ReadOnlyHint,
			Title:        t.Annotations.Title,
			Description:  t.Description,
			InputSchema:  t.RawInputSchema,
			OutputSchema: t.RawOutputSchema,
			Annotations:  t.Annotations,
		})
	}
	return out
}

// build defines every tool and works out which are enabled. All tools are
// registered with mcp-go, so that calling a disabled one by name gets a
// clear refusal instead of "tool not found"; filterTools hides them from
// tools/list.
func (d *Deps) build() ([]server.ServerTool, error) {
	type entry struct {
		toolset string
		write   bool
		def     Serve
	}
	known := map[string]entry{}
	d.toolsetOf = map[string]string{}
	d.writes = map[string]bool{}
	var all []server.ServerTool
	for _, ts := range Toolsets() {
		for i, f := range slices.Concat(ts.Read, ts.Write) {
			t, h := f(d)
			known[t.Name] = entry{toolset: ts.Name, write: i >= len(ts.Read), def: ts.Default}
			d.toolsetOf[t.Name] = ts.Name
			d.writes[t.Name] = i >= len(ts.Read)
			all = append(all, server.ServerTool{Tool: t, Handler: h})
		}
	}
	selected := map[string]bool{}
	var errs []string
	toolsets := clean(d.opts.Toolsets)
	tools := clean(d.opts.Tools)
	if len(toolsets) == 0 && len(tools) == 0 {
		toolsets = []string{ToolsetDefault}
	}
	validSets := []string{ToolsetAll, ToolsetDefault}
	for _, ts := range Toolsets() {
		validSets = append(validSets, ts.Name)
	}
	for _, name := range toolsets {
		if !slices.Contains(validSets, name) {
			errs = append(errs, fmt.Sprintf("unknown toolset %q (valid: %s)", name, strings.Join(validSets, ", ")))
			continue
		}
		for tool, e := range known {
			if name == ToolsetAll || e.toolset == name || name == ToolsetDefault && (e.def == ServeAll || e.def == ServeRead && !e.write) {
				selected[tool] = true
			}
		}
	}
	for _, name := range tools {
		if _, ok := known[name]; !ok {
			errs = append(errs, fmt.Sprintf("unknown tool %q (see okta-mcp tools)", name))
			continue
		}
		selected[name] = true
	}
	d.enabled = map[string]bool{}
	d.disabled = map[string]string{}
	for name, e := range known {
		switch {
		case d.opts.ReadOnly && e.write:
			d.disabled[name] = "the server runs with --read-only, which serves only tools that never change Okta"
		case !selected[name]:
			d.disabled[name] = fmt.Sprintf("it is not among the tools this server was started with (toolset %q is not enabled); the operator can add it with --toolsets default,%s or --tools %s", e.toolset, e.toolset, name)
		default:
			d.enabled[name] = true
		}
	}
	if len(d.missing) > 0 {
		errs = append(errs, fmt.Sprintf("no generated schemas for %s: run %s (it rewrites tools/schemas.json from the tools' Go types)", strings.Join(d.missing, ", "), regenerate))
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return all, fmt.Errorf("tools: %s", strings.Join(errs, "; "))
	}
	return all, nil
}

func clean(names []string) []string {
	var out []string
	for _, n := range names {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// filterTools hides disabled tools from tools/list, and the write tools from
// an authenticated caller without the manage scope, and, in per-call mode,
// swaps in the variants whose apiKey/domain are optional when the request
// carries X-Okta-* header credentials.
//
// mcp-go also runs tool filters on tools/call, with just the called tool;
// that tool is passed through, so that its handler can refuse it with a
// clear message. (18 tools are always registered, so a one-tool slice is
// never a tools/list. If mcp-go ever passed the whole list on calls, a
// disabled tool would be reported as not found: still refused.)
func (d *Deps) filterTools(ctx context.Context, tools []mcp.Tool) []mcp.Tool {
	if len(tools) == 1 {
		return tools
	}
	swap := d.perCall() && headerCredsFrom(ctx).complete()
	who, isCaller := CallerFrom(ctx)
	out := make([]mcp.Tool, 0, len(tools))
	for _, t := range tools {
		if !d.enabled[t.Name] {
			continue
		}
		if isCaller && !who.Manage && d.writes[t.Name] {
			continue // the caller's token allows the read-only tools only
		}
		if alt, ok := d.alt[t.Name]; ok && swap {
			t = alt
		}
		out = append(out, t)
	}
	return out
}
