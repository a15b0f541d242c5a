package tools

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/schema"
)

// okta_offboard_user: the whole offboarding of a leaver in one call. The
// plan is computed from the user's current state (status, groups); a dry run
// (the default) only shows it. A real run recomputes it, asks the human to
// confirm exactly that plan (the confirmation is bound to the plan: if the
// plan changes before the answer, it is asked again), then runs the steps in
// a safe order: first cut access (deactivate, or suspend), then end every
// session and OAuth token, then leave the groups. Each step is reported with
// its outcome; the first failure stops the run and the result says what was
// done and what was not. Re-running resumes: the plan of a half-offboarded
// user only holds what is left.

type offboardInput struct {
	UserID     string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The leaver: Okta id (00u...) or login."`
	DryRun     *bool  `json:"dryRun,omitempty" jsonschema:"default=true" jsonschema_description:"Only show the plan (default true): nothing changes. Show the plan to the user; then call again with dryRun false (and the plan's planId) to run it after the human confirms."`
	Deactivate *bool  `json:"deactivate,omitempty" jsonschema:"default=false" jsonschema_description:"Deactivate the user (DEPROVISIONED: signed out everywhere, app assignments removed; reversible only by reactivation) instead of suspending them (default false: suspend, which keeps everything for a possible return)."`
	PlanID     string `json:"planId,omitempty" jsonschema:"minLength=1" jsonschema_description:"The planId of the dry run the user approved. With dryRun false, the run is refused if the plan has changed since (e.g. the user joined another group), so that only an approved plan runs."`
}

type offboardStep struct {
	Step        int     `json:"step" jsonschema:"type=number" jsonschema_description:"Position in the run (1 first)"`
	Action      string  `json:"action" jsonschema_description:"suspend, deactivate, clear_sessions or remove_from_group"`
	Target      string  `json:"target" jsonschema_description:"The user id, or the group id for remove_from_group"`
	Description string  `json:"description" jsonschema_description:"What the step does"`
	Outcome     string  `json:"outcome" jsonschema_description:"planned (dry run), done, failed, or not_run (after a failure)"`
	Error       *string `json:"error" jsonschema_description:"Why the step failed (null unless failed)"`
}

type keptGroup struct {
	ID     string `json:"id" jsonschema_description:"Okta group id"`
	Name   string `json:"name" jsonschema_description:"Group name"`
	Type   string `json:"type" jsonschema_description:"Group type"`
	Reason string `json:"reason" jsonschema_description:"Why the offboarding does not remove this membership"`
}

type offboardOutput struct {
	UserID     string         `json:"userId" jsonschema_description:"Okta id of the user"`
	Login      *string        `json:"login" jsonschema_description:"The user's login"`
	Status     string         `json:"status" jsonschema_description:"The user's status when the plan was made"`
	DryRun     bool           `json:"dryRun" jsonschema_description:"true: nothing was changed, the steps are the plan"`
	PlanID     string         `json:"planId" jsonschema_description:"Identifies this exact plan (user, status, steps); pass it with dryRun false to run only this plan"`
	Steps      []offboardStep `json:"steps" jsonschema_description:"The steps, in the order they run"`
	KeptGroups []keptGroup    `json:"keptGroups" jsonschema_description:"Memberships the offboarding leaves (Everyone; app-imported groups, removed by the app's own deprovisioning)"`
	Warnings   []string       `json:"warnings" jsonschema_description:"What the plan cannot do and what to do about it"`
	Completed  bool           `json:"completed" jsonschema_description:"true when every step ran successfully (false for a dry run)"`
	Message    string         `json:"message" jsonschema_description:"Summary: the plan, or what was done and what was not"`
	Success    bool           `json:"success" jsonschema_description:"Whether the call succeeded (a dry run that produced a plan, or a run whose steps all succeeded)"`
}

// OffboardUser is okta_offboard_user.
func OffboardUser(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[offboardInput]{
		name:  "okta_offboard_user",
		title: "Offboard user",
		description: "Offboard a leaver in one call. By default a dry run: returns the plan (cut access by suspending, or deactivating with deactivate true; end every session and revoke OAuth tokens; remove them from every OKTA_GROUP) and changes nothing. " +
			"Show the plan to the user, then call again with dryRun false and its planId: the human is asked to confirm that exact plan, and the steps run in that order, each reported with its outcome. " +
			"A failure stops the run and says what was done and what was not; calling again resumes with what is left.",
		destructive: true,
		output:      schema.Output[offboardOutput](),
		ids:         func(in offboardInput) []idParam { return []idParam{{"userId", in.UserID}} },
		confirmWhen: "with dryRun false (the confirmation is bound to the exact plan)",
	}, func(ctx context.Context, c *call, in offboardInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		deactivate := in.Deactivate != nil && *in.Deactivate
		plan, r := c.offboardPlan(ctx, u, deactivate)
		if r != nil {
			return r
		}
		if in.DryRun == nil || *in.DryRun {
			plan.Message = fmt.Sprintf("Dry run: nothing was changed. The plan for %s has %d steps: %s. To run it, call okta_offboard_user again with dryRun false and planId %q; the human will be asked to confirm this exact plan.",
				userLabel(u), len(plan.Steps), plan.summary(), plan.PlanID)
			if len(plan.Steps) == 0 {
				plan.Message = fmt.Sprintf("Dry run: nothing to do for %s: %s", userLabel(u), strings.Join(plan.Warnings, " "))
			}
			return c.ok(plan)
		}
		plan.DryRun = false
		if in.PlanID != "" && in.PlanID != plan.PlanID {
			c.outcome = "plan_changed"
			return errorResult(fmt.Sprintf("okta_offboard_user was not run: the plan has changed since the dry run with planId %q (the user's status or groups changed). Nothing was changed. The plan now is (planId %q): %s. Show it to the user, and run it with that planId if they agree.",
				in.PlanID, plan.PlanID, plan.summary()))
		}
		if len(plan.Steps) == 0 {
			plan.Completed = true
			plan.Message = "Nothing to do: " + strings.Join(plan.Warnings, " ")
			return c.ok(plan)
		}
		// Bind the confirmation to this exact plan: its id covers the user,
		// the status, every step and its target. A plan that changed before
		// the answer (another group, another status) is asked about again.
		cf := c.userConfirmation(u, "offboard "+userRef(u)+" ("+plan.summary()+")",
			fmt.Sprintf("An AI agent wants to offboard the Okta user %s, in this order: %s Allow it?", userLabel(u), plan.numbered()))
		cf.target = planTarget(u, plan)
		cf.reread = func(ctx context.Context) (confirmTarget, *mcp.CallToolResult) {
			now, resp, err := c.client.GetUser(ctx, u.ID)
			c.noteResponse(resp)
			if err != nil {
				return confirmTarget{}, c.fail(ctx, err, resp, failure{action: "read the user " + plain(u.ID) + " again after the confirmation", notFound: userNotFound(u.ID)})
			}
			p, r := c.offboardPlan(ctx, now, deactivate)
			if r != nil {
				return confirmTarget{}, r
			}
			return planTarget(now, p), nil
		}
		if r := c.confirm(ctx, cf); r != nil {
			return r
		}
		return c.runOffboarding(ctx, u, plan)
	})
}

// planTarget is what the offboarding question describes: the user, its
// state, and the plan (its id covers every step and target).
func planTarget(u *okta.User, plan offboardOutput) confirmTarget {
	t := userTarget(u)
	t.state["plan"] = plan.PlanID
	return t
}

// offboardPlan computes the plan from the user's current status and groups.
func (c *call) offboardPlan(ctx context.Context, u *okta.User, deactivate bool) (offboardOutput, *mcp.CallToolResult) {
	plan := offboardOutput{UserID: u.ID, Login: strPtr(u.Profile.String("login")), Status: u.Status, DryRun: true,
		Steps: []offboardStep{}, KeptGroups: []keptGroup{}, Warnings: []string{}, Success: true}
	add := func(action, target, desc string) {
		plan.Steps = append(plan.Steps, offboardStep{Step: len(plan.Steps) + 1, Action: action, Target: target, Description: desc, Outcome: "planned"})
	}
	switch {
	case deactivate && u.Status != okta.StatusDeprovisioned:
		add("deactivate", u.ID, "Deactivate the user (DEPROVISIONED): no sign-in, app assignments removed.")
	case deactivate:
		plan.Warnings = append(plan.Warnings, "The user is already deactivated (DEPROVISIONED).")
	case u.Status == okta.StatusActive:
		add("suspend", u.ID, "Suspend the user: no sign-in; memberships and app assignments are kept for a possible return.")
	case u.Status == okta.StatusSuspended || u.Status == okta.StatusDeprovisioned:
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("The user is already %s and cannot sign in.", u.Status))
	default:
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("Only ACTIVE users can be suspended, and this user is %s: sign-in is not blocked by this plan. Pass deactivate true to deactivate them instead.", u.Status))
	}
	if u.Status != okta.StatusDeprovisioned || deactivate {
		add("clear_sessions", u.ID, "End every Okta session of the user and revoke the OAuth tokens issued to them.")
	}
	for g, err := range c.client.UserGroupsIter(ctx, u.ID, okta.ListParams{Limit: 200}, 0) {
		if errors.Is(err, okta.ErrPageLimit) {
			return plan, errorResult(fmt.Sprintf("okta_offboard_user: %s is in more groups than one call can plan for (%d pages of 200). Nothing was changed. Remove some memberships with okta_remove_user_from_group first.", userLabel(u), okta.DefaultMaxPages))
		}
		if err != nil {
			return plan, c.fail(ctx, err, nil, failure{action: "list the groups of " + userRef(u), notFound: userNotFound(u.ID)})
		}
		switch g.Type {
		case okta.GroupTypeOkta:
			add("remove_from_group", g.ID, fmt.Sprintf("Remove the user from group %s (%s).", q(g.Profile.Name), plain(g.ID)))
		case okta.GroupTypeBuiltIn:
			plan.KeptGroups = append(plan.KeptGroups, keptGroup{ID: g.ID, Name: g.Profile.Name, Type: g.Type, Reason: "every user belongs to it; Okta manages it"})
		default:
			plan.KeptGroups = append(plan.KeptGroups, keptGroup{ID: g.ID, Name: g.Profile.Name, Type: g.Type, Reason: "imported from an app: the app's own deprovisioning removes it"})
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%t", u.ID, u.Status, deactivate)
	for _, s := range plan.Steps {
		fmt.Fprintf(h, "\x00%s\x00%s", s.Action, s.Target)
	}
	plan.PlanID = "ofb-" + hex.EncodeToString(h.Sum(nil)[:8])
	return plan, nil
}

func (p offboardOutput) summary() string {
	counts := map[string]int{}
	for _, s := range p.Steps {
		counts[s.Action]++
	}
	var parts []string
	if counts["deactivate"] > 0 {
		parts = append(parts, "deactivate")
	}
	if counts["suspend"] > 0 {
		parts = append(parts, "suspend")
	}
	if counts["clear_sessions"] > 0 {
		parts = append(parts, "clear sessions and OAuth tokens")
	}
	if n := counts["remove_from_group"]; n > 0 {
		parts = append(parts, fmt.Sprintf("leave %d group(s)", n))
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", then ")
}

func (p offboardOutput) numbered() string {
	parts := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		parts[i] = fmt.Sprintf("%d. %s", s.Step, s.Description)
	}
	return strings.Join(parts, " ")
}

// runOffboarding runs the confirmed plan step by step and stops at the
// first failure. The client paces requests by Okta's rate-limit headers
// (it holds them while a bucket is exhausted and retries a 429 once the
// window resets); a rate limit that outlasts the call fails the step like
// any other error.
func (c *call) runOffboarding(ctx context.Context, u *okta.User, plan offboardOutput) *mcp.CallToolResult {
	for i := range plan.Steps {
		s := &plan.Steps[i]
		if err := ctx.Err(); err != nil {
			return c.offboardFailed(ctx, u, plan, i, err, nil)
		}
		var resp *okta.Response
		var err error
		switch s.Action {
		case "suspend":
			resp, err = c.client.SuspendUser(ctx, u.ID)
		case "deactivate":
			resp, err = c.client.DeactivateUser(ctx, u.ID, false)
		case "clear_sessions":
			resp, err = c.client.ClearUserSessions(ctx, u.ID, true)
		case "remove_from_group":
			resp, err = c.client.RemoveUserFromGroup(ctx, s.Target, u.ID)
		}
		c.noteResponse(resp)
		if err != nil {
			return c.offboardFailed(ctx, u, plan, i, err, resp)
		}
		s.Outcome = "done"
		c.progress(ctx, i+1, fmt.Sprintf("step %d of %d done: %s", i+1, len(plan.Steps), s.Action))
	}
	plan.Completed = true
	plan.Message = fmt.Sprintf("%s is offboarded: all %d steps done (%s).", userLabel(u), len(plan.Steps), plan.summary())
	if len(plan.KeptGroups) > 0 {
		plan.Message += fmt.Sprintf(" %d membership(s) were left as they are (see keptGroups).", len(plan.KeptGroups))
	}
	return c.ok(plan)
}

// offboardFailed reports a run stopped at step i: the result is an error
// whose text and structured content say what was done and what was not.
func (c *call) offboardFailed(ctx context.Context, u *okta.User, plan offboardOutput, i int, err error, resp *okta.Response) *mcp.CallToolResult {
	s := &plan.Steps[i]
	failed := c.fail(ctx, err, resp, failure{action: s.Description, notFound: groupNotFound(s.Target)})
	outcome := c.outcome
	why := toolResultText(failed)
	s.Outcome, s.Error = "failed", &why
	var done, notDone []string
	for j := range plan.Steps {
		switch {
		case j < i:
			done = append(done, fmt.Sprintf("%d. %s", plan.Steps[j].Step, plan.Steps[j].Description))
		case j > i:
			plan.Steps[j].Outcome = "not_run"
			notDone = append(notDone, fmt.Sprintf("%d. %s", plan.Steps[j].Step, plan.Steps[j].Description))
		}
	}
	plan.Success = false
	var b strings.Builder
	fmt.Fprintf(&b, "The offboarding of %s stopped at step %d of %d (%s).\n", userLabel(u), i+1, len(plan.Steps), s.Action)
	fmt.Fprintf(&b, "Done: %s\n", orNone(done))
	fmt.Fprintf(&b, "Failed: %d. %s\n", s.Step, s.Description)
	fmt.Fprintf(&b, "Not done: %s\n", orNone(notDone))
	b.WriteString("What to do: fix the cause below, then call okta_offboard_user again (dry run first): the new plan holds only what is left.\n")
	b.WriteString(why)
	plan.Message = b.String()
	res := c.ok(plan)
	c.outcome = outcome
	res.IsError = true
	res.Content = []mcp.Content{mcp.NewTextContent(plan.Message)}
	return res
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "nothing"
	}
	return strings.Join(s, " ")
}

// toolResultText is the text of a tool result.
func toolResultText(r *mcp.CallToolResult) string {
	var parts []string
	for _, c := range r.Content {
		if t, ok := c.(mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}
