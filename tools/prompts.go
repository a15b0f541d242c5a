package tools

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
)

// Prompts: the identity admin's three everyday jobs as MCP prompts (issue
// 11). Each turns a few arguments into a step-by-step brief for the model,
// naming the tools in a safe order; a tool this server does not serve is
// named with the --toolsets that would add it, so the brief never sends the
// model to a tool it cannot call. Arguments whose values live in the org
// (logins, group names) complete from it (completion/complete).

// Prompt names.
const (
	PromptOnboarding  = "onboarding"
	PromptOffboarding = "offboarding"
	PromptIncident    = "incident-response"
)

// completeLimit is the most completion values returned (MCP allows 100).
const completeLimit = 20

// promptDef is one prompt: its definition, how to fill it, and which of its
// arguments complete from what.
type promptDef struct {
	prompt   mcp.Prompt
	render   func(d *Deps, args map[string]string) (description, text string)
	complete map[string]completer
}

// completer returns the values for an argument that start with prefix.
type completer func(ctx context.Context, d *Deps, prefix string) ([]string, bool, error)

func prompts() []promptDef {
	return []promptDef{
		{
			prompt: mcp.NewPrompt(PromptOnboarding,
				mcp.WithPromptTitle("Onboard a new hire"),
				mcp.WithPromptDescription("Create a new hire's Okta account and add them to their groups, checking first that the login is free and each group exists."),
				mcp.WithArgument("firstName", mcp.RequiredArgument(), mcp.ArgumentDescription("First name")),
				mcp.WithArgument("lastName", mcp.RequiredArgument(), mcp.ArgumentDescription("Last name")),
				mcp.WithArgument("email", mcp.RequiredArgument(), mcp.ArgumentDescription("Work email address; also the login unless login is given")),
				mcp.WithArgument("groups", mcp.ArgumentDescription("Group names, comma separated (completes from the org's groups)")),
				mcp.WithArgument("login", mcp.ArgumentDescription("Login, if not the email address")),
				mcp.WithArgument("department", mcp.ArgumentDescription("Department")),
				mcp.WithArgument("title", mcp.ArgumentDescription("Job title")),
			),
			render:   renderOnboarding,
			complete: map[string]completer{"groups": completeGroupList},
		},
		{
			prompt: mcp.NewPrompt(PromptOffboarding,
				mcp.WithPromptTitle("Offboard a leaver"),
				mcp.WithPromptDescription("Take a leaver out of every group, end their sessions and suspend or deactivate them: the plan first (a dry run), the steps only after the human confirms it."),
				mcp.WithArgument("user", mcp.RequiredArgument(), mcp.ArgumentDescription("The leaver's login or Okta id (completes from the org's logins)")),
				mcp.WithArgument("deactivate", mcp.ArgumentDescription("\"true\" to deactivate (DEPROVISIONED, loses app assignments); default \"false\": suspend")),
				mcp.WithArgument("reason", mcp.ArgumentDescription("Why, for the record (e.g. last day 2026-12-31)")),
			),
			render:   renderOffboarding,
			complete: map[string]completer{"user": completeLogins, "deactivate": staticValues("false", "true")},
		},
		{
			prompt: mcp.NewPrompt(PromptIncident,
				mcp.WithPromptTitle("Contain and investigate a user"),
				mcp.WithPromptDescription("Security incident on one account: contain it (suspend, or end its sessions), then find out what happened in the System Log."),
				mcp.WithArgument("user", mcp.RequiredArgument(), mcp.ArgumentDescription("The affected login or Okta id (completes from the org's logins)")),
				mcp.WithArgument("containment", mcp.ArgumentDescription("\"suspend\" (default: no sign-in until unsuspended) or \"clear_sessions\" (end sessions, keep the account usable)")),
				mcp.WithArgument("since", mcp.ArgumentDescription("Start of the investigation window, RFC 3339 (default: 7 days ago)")),
			),
			render:   renderIncident,
			complete: map[string]completer{"user": completeLogins, "containment": staticValues("suspend", "clear_sessions")},
		},
	}
}

// newPromptCompleter prepares the prompts and their completion provider.
func newPromptCompleter(d *Deps) *promptCompleter {
	pc := &promptCompleter{d: d, defs: map[string]promptDef{}}
	for _, p := range prompts() {
		pc.defs[p.prompt.Name] = p
		pc.order = append(pc.order, p.prompt.Name)
	}
	return pc
}

// addPrompts registers the prompts with s.
func (pc *promptCompleter) addPrompts(s *server.MCPServer) {
	for _, name := range pc.order {
		p := pc.defs[name]
		s.AddPrompt(p.prompt, pc.d.promptHandler(p))
	}
}

func (d *Deps) promptHandler(p promptDef) server.PromptHandlerFunc {
	return func(ctx context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		args := map[string]string{}
		for k, v := range req.Params.Arguments {
			args[k] = strings.TrimSpace(v)
		}
		var known, missing []string
		for _, a := range p.prompt.Arguments {
			known = append(known, a.Name)
			if a.Required && args[a.Name] == "" {
				missing = append(missing, a.Name)
			}
		}
		var unknown []string
		for k := range args {
			if !contains(known, k) {
				unknown = append(unknown, k)
			}
		}
		sort.Strings(unknown)
		switch {
		case len(unknown) > 0:
			return nil, fmt.Errorf("prompt %s: unknown argument %s; it takes: %s", p.prompt.Name, strings.Join(unknown, ", "), strings.Join(known, ", "))
		case len(missing) > 0:
			return nil, fmt.Errorf("prompt %s: missing required argument %s", p.prompt.Name, strings.Join(missing, ", "))
		}
		if err := checkPromptArgs(p.prompt.Name, args); err != nil {
			return nil, err
		}
		desc, text := p.render(d, args)
		return mcp.NewGetPromptResult(desc, []mcp.PromptMessage{
			mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(text)),
		}), nil
	}
}

// checkPromptArgs checks the arguments that take one of a few values.
func checkPromptArgs(name string, args map[string]string) error {
	one := func(arg string, allowed ...string) error {
		if v := args[arg]; v != "" && !contains(allowed, v) {
			return fmt.Errorf("prompt %s: %s must be %s (got %q)", name, arg, strings.Join(quoteAll(allowed), " or "), v)
		}
		return nil
	}
	switch name {
	case PromptOffboarding:
		return one("deactivate", "true", "false")
	case PromptIncident:
		return one("containment", "suspend", "clear_sessions")
	}
	return nil
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

// tool names a tool for a brief: as is when this server serves it;
// otherwise with how the operator can add it.
func (d *Deps) tool(name string) string {
	if d.enabled[name] {
		return name
	}
	if ts, ok := d.toolsetOf[name]; ok {
		return fmt.Sprintf("%s (not served by this server now: the operator can add it with --toolsets default,%s)", name, ts)
	}
	return name + " (not available in this version of okta-mcp)"
}

// hasTool reports whether this version of okta-mcp has the tool.
func (d *Deps) hasTool(name string) bool {
	if d.toolsetOf == nil {
		_, _ = d.build()
	}
	_, ok := d.toolsetOf[name]
	return ok
}

// served reports whether this server serves the tool.
func (d *Deps) served(name string) bool { return d.enabled[name] }

func renderOnboarding(d *Deps, a map[string]string) (string, string) {
	login := a["login"]
	if login == "" {
		login = a["email"]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Onboard a new hire in our Okta org: %s %s, email %s, login %s", a["firstName"], a["lastName"], a["email"], login)
	if a["department"] != "" {
		fmt.Fprintf(&b, ", department %s", a["department"])
	}
	if a["title"] != "" {
		fmt.Fprintf(&b, ", title %s", a["title"])
	}
	b.WriteString(".\n\nSteps:\n")
	fmt.Fprintf(&b, "1. Check that the login is free: %s with userId %q. If a user exists, stop and tell me who it is; do not create a second account.\n", d.tool("okta_get_user"), login)
	groups := splitGroups(a["groups"])
	if len(groups) > 0 {
		fmt.Fprintf(&b, "2. Find each group's id by exact name with %s (search: profile.name eq \"NAME\"): %s. If a group is missing or the name matches more than one, stop and ask me before creating anything.\n",
			d.tool("okta_list_groups"), strings.Join(quoteAll(groups), ", "))
	} else {
		b.WriteString("2. No groups were given: ask me which groups the new hire needs before step 4, or skip it.\n")
	}
	fmt.Fprintf(&b, "3. Create the user with %s (firstName, lastName, email", d.tool("okta_create_user"))
	if a["login"] != "" {
		b.WriteString(", login")
	}
	if a["department"] != "" {
		b.WriteString(", department")
	}
	if a["title"] != "" {
		b.WriteString(", title")
	}
	b.WriteString("; no password: Okta emails an activation link). If the outcome is unknown, look the login up before trying again.\n")
	fmt.Fprintf(&b, "4. Add the user to each group with %s (groupId from step 2, userId from step 3).\n", d.tool("okta_add_user_to_group"))
	if d.served("okta_list_user_groups") {
		b.WriteString("5. Check with okta_list_user_groups that the user is in exactly the intended groups (besides Everyone).\n")
	} else {
		fmt.Fprintf(&b, "5. Check each group's members with %s.\n", d.tool("okta_list_group_members"))
	}
	b.WriteString("\nReport the user's id, status and groups in a short table.")
	return fmt.Sprintf("Onboard %s %s", a["firstName"], a["lastName"]), b.String()
}

func renderOffboarding(d *Deps, a map[string]string) (string, string) {
	user := a["user"]
	deactivate := a["deactivate"] == "true"
	end := "suspend"
	if deactivate {
		end = "deactivate"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Offboard a leaver from our Okta org: %s", user)
	if a["reason"] != "" {
		fmt.Fprintf(&b, " (%s)", a["reason"])
	}
	fmt.Fprintf(&b, ". Remove them from every group, end their sessions, and %s them.\n\n", end)
	fmt.Fprintf(&b, "1. Look the user up with %s (userId %q) and tell me who it is (name, login, status). If it is not clearly the leaver, stop.\n", d.tool("okta_get_user"), user)
	if d.served("okta_offboard_user") {
		fmt.Fprintf(&b, "2. Get the plan: okta_offboard_user with userId %q, dryRun true, deactivate %t. It changes nothing. Show me the plan as it is: the groups to leave, the sessions to end, the final status.\n", user, deactivate)
		fmt.Fprintf(&b, "3. Only after I approve that exact plan, call okta_offboard_user again with dryRun false (same userId and deactivate). Do not run it without my approval, and do not retry a declined or dismissed confirmation on your own.\n")
		b.WriteString("4. Report each step's outcome. If it stopped part-way, say what was done and what was not, and ask me before any further change.\n")
	} else {
		fmt.Fprintf(&b, "2. Make the plan before changing anything: the user's groups (%s), their sessions to end (%s), then %s (%s). Show me the plan. %s would do this as one call with a dry run.\n",
			d.tool("okta_list_user_groups"), d.tool("okta_clear_user_sessions"), end, d.tool("okta_"+end+"_user"), d.tool("okta_offboard_user"))
		fmt.Fprintf(&b, "3. Only after I approve the plan: remove the user from each group (%s), end the sessions, then %s. Stop at the first failure and tell me what was done and what was not.\n",
			d.tool("okta_remove_user_from_group"), end)
	}
	b.WriteString("\nKeep the account (no deletion) and do not reset passwords or factors unless I ask.")
	return "Offboard " + user, b.String()
}

func renderIncident(d *Deps, a map[string]string) (string, string) {
	user := a["user"]
	contain := a["containment"]
	if contain == "" {
		contain = "suspend"
	}
	since := a["since"]
	if since == "" {
		since = "7 days ago"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Security incident on the Okta account %s. Contain it first, then find out what happened since %s.\n\n", user, since)
	fmt.Fprintf(&b, "1. Look the user up with %s (userId %q): note the id, status, last sign-in and last password change.\n", d.tool("okta_get_user"), user)
	if contain == "clear_sessions" {
		fmt.Fprintf(&b, "2. Contain: end all of the user's sessions and revoke their OAuth tokens with %s (oauthTokens true). The account stays usable; if the attacker may know the password, ask me whether to reset it too.\n", d.tool("okta_clear_user_sessions"))
	} else {
		fmt.Fprintf(&b, "2. Contain: suspend the user with %s (only an ACTIVE user can be suspended; if the status is different, tell me and ask). Suspension keeps groups and apps, and is undone with okta_unsuspend_user.", d.tool("okta_suspend_user"))
		if d.served("okta_clear_user_sessions") {
			b.WriteString(" Then end the sessions already open with okta_clear_user_sessions.")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "3. Investigate with %s: events about the user (filter: target.id eq \"USER_ID\"), then events by the user (filter: actor.id eq \"USER_ID\"), since %s, sortOrder ASCENDING, following nextCursor. Look for failed and successful sign-ins (user.session.start), their client IPs and places, MFA changes (user.mfa.factor.*), password changes and lockouts (user.account.*), and group or lifecycle changes made by admins.\n",
		d.tool("okta_get_system_log"), since)
	if d.served("okta_list_user_factors") {
		b.WriteString("4. List the user's MFA factors with okta_list_user_factors and point out any enrolled during the window.\n")
	}
	b.WriteString("\nReport: what was contained and when; a timeline of the relevant events (time, event, outcome, IP and place); what looks suspicious and why; what you recommend next. Change nothing else without asking me.")
	return "Contain and investigate " + user, b.String()
}

func splitGroups(s string) []string {
	var out []string
	for _, g := range strings.Split(s, ",") {
		if g = strings.TrimSpace(g); g != "" {
			out = append(out, g)
		}
	}
	return out
}

// promptCompleter answers completion/complete for the prompts' arguments.
type promptCompleter struct {
	d     *Deps
	defs  map[string]promptDef
	order []string
}

func (p *promptCompleter) CompletePromptArgument(ctx context.Context, prompt string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	def, ok := p.defs[prompt]
	if !ok {
		return nil, fmt.Errorf("unknown prompt %q", prompt)
	}
	f := def.complete[arg.Name]
	if f == nil {
		return &mcp.Completion{Values: []string{}}, nil
	}
	values, more, err := f(ctx, p.d, arg.Value)
	if err != nil {
		// Completion is a convenience: say nothing rather than fail the
		// client's input box, and log why (never the credentials).
		p.d.logger.DebugContext(ctx, "completion failed", "prompt", prompt, "argument", arg.Name, "error", err.Error())
		return &mcp.Completion{Values: []string{}}, nil
	}
	if len(values) > completeLimit {
		values, more = values[:completeLimit], true
	}
	return &mcp.Completion{Values: values, HasMore: more}, nil
}

func staticValues(values ...string) completer {
	return func(_ context.Context, _ *Deps, prefix string) ([]string, bool, error) {
		var out []string
		for _, v := range values {
			if strings.HasPrefix(v, strings.ToLower(prefix)) {
				out = append(out, v)
			}
		}
		return out, false, nil
	}
}

// completionClient is the Okta client completions may use: the server's
// own, or that of the request's X-Okta-* headers. Without either (per-call
// credentials travel in tool arguments only), there is nothing to ask.
func (d *Deps) completionClient(ctx context.Context) (*okta.Client, error) {
	if hc := headerCredsFrom(ctx); hc.complete() {
		return d.clients.get(d, hc.orgURL, hc.token)
	}
	if !d.perCall() {
		return d.opts.ServerClient, nil
	}
	return nil, nil
}

// searchValue makes user input safe inside a quoted Okta search string.
func searchValue(s string) string {
	return strings.NewReplacer(`"`, "", `\`, "").Replace(strings.TrimSpace(s))
}

func completeLogins(ctx context.Context, d *Deps, prefix string) ([]string, bool, error) {
	cl, err := d.completionClient(ctx)
	if cl == nil || err != nil {
		return nil, false, err
	}
	p := &okta.ListUsersParams{Limit: completeLimit + 1}
	if v := searchValue(prefix); v != "" {
		p.Search = fmt.Sprintf(`profile.login sw "%s"`, v)
	}
	users, _, err := cl.ListUsers(ctx, p)
	if err != nil {
		return nil, false, err
	}
	var out []string
	for _, u := range users {
		if l := u.Profile.String("login"); l != "" {
			out = append(out, l)
		}
	}
	return out, len(users) > completeLimit, nil
}

// completeGroupList completes the last name of a comma-separated list of
// group names, returning whole lists ("Sales, Engineering").
func completeGroupList(ctx context.Context, d *Deps, value string) ([]string, bool, error) {
	cl, err := d.completionClient(ctx)
	if cl == nil || err != nil {
		return nil, false, err
	}
	head, last := "", value
	if i := strings.LastIndex(value, ","); i >= 0 {
		head, last = strings.TrimSpace(value[:i])+", ", value[i+1:]
	}
	p := &okta.ListGroupsParams{Limit: completeLimit + 1}
	if v := searchValue(last); v != "" {
		p.Search = fmt.Sprintf(`profile.name sw "%s"`, v)
	}
	groups, _, err := cl.ListGroups(ctx, p)
	if err != nil {
		return nil, false, err
	}
	chosen := splitGroups(head)
	var out []string
	for _, g := range groups {
		if g.Profile.Name == "" || contains(chosen, g.Profile.Name) {
			continue
		}
		out = append(out, head+g.Profile.Name)
	}
	return out, len(groups) > completeLimit, nil
}
