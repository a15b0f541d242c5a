package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/schema"
)

// Lifecycle tools look the user up first: the id is what they report, the
// status explains a refusal, and a human asked to confirm sees who is
// affected.

type activateUserInput struct {
	UserID    string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user to activate: Okta id (00u...) or login."`
	SendEmail *bool  `json:"sendEmail,omitempty" jsonschema:"default=true" jsonschema_description:"Email the activation link to the user (default true). false returns activationUrl and activationToken instead, which grant access to the account: the human user is asked to confirm, and they must only be handed to the user themselves."`
}

// ActivateUser is okta_activate_user.
func ActivateUser(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[activateUserInput]{
		name:        "okta_activate_user",
		title:       "Activate user",
		description: "Activate a user in the Okta organization. Works only on STAGED or DEPROVISIONED users (an ACTIVE user gives an error). Sends an activation email unless sendEmail is false, in which case the activation link is returned. Re-activating a DEPROVISIONED user, or returning the link, asks the human user to confirm.",
		output:      schema.Output[activateOutput](),
		ids:         func(in activateUserInput) []idParam { return []idParam{{"userId", in.UserID}} },
		confirmWhen: "with sendEmail false, or for a DEPROVISIONED user",
	}, func(ctx context.Context, c *call, in activateUserInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		sendEmail := in.SendEmail == nil || *in.SendEmail
		reactivate := u.Status == okta.StatusDeprovisioned
		if !sendEmail || reactivate {
			what := "activate"
			if reactivate {
				what = "re-activate the deactivated (DEPROVISIONED)"
			}
			question := fmt.Sprintf("An AI agent wants to %s Okta user %s without emailing them, and receive the activation link, which lets whoever holds it set the account's password. Allow it?", what, userLabel(u))
			if sendEmail {
				question = fmt.Sprintf("An AI agent wants to %s Okta user %s. Okta emails the activation link, with which the account's password is set, to %s. Allow it?", what, userLabel(u), mailTo(u))
			}
			if r := c.confirm(ctx, c.userConfirmation(u, "activate "+userRef(u), question)); r != nil {
				return r
			}
		}
		tok, resp, err := c.client.ActivateUser(ctx, u.ID, sendEmail)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: "activate user " + userLabel(u), hint: statusHint("activate", u.Status), notFound: userNotFound(in.UserID)})
		}
		out := activateOutput{UserID: u.ID, Activated: true, Success: true}
		if tok != nil && !sendEmail {
			out.ActivationURL = strPtr(tok.ActivationURL)
			out.ActivationToken = strPtr(tok.ActivationToken)
		}
		return c.ok(out)
	})
}

type deactivateUserInput struct {
	UserID    string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user to deactivate: Okta id (00u...) or login."`
	SendEmail *bool  `json:"sendEmail,omitempty" jsonschema:"default=false" jsonschema_description:"Send a deactivation email to the org's admins (default false)."`
}

// DeactivateUser is okta_deactivate_user.
func DeactivateUser(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[deactivateUserInput]{
		name:        "okta_deactivate_user",
		title:       "Deactivate user",
		description: "Deactivate a user in the Okta organization (offboarding): the user becomes DEPROVISIONED, cannot sign in, and loses app assignments. Works on any status except DEPROVISIONED. Reversible only by activating again. The human user may be asked to confirm.",
		destructive: true,
		idempotent:  true,
		output:      schema.Output[deactivateOutput](),
		ids:         func(in deactivateUserInput) []idParam { return []idParam{{"userId", in.UserID}} },
		confirmWhen: "always",
	}, func(ctx context.Context, c *call, in deactivateUserInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		if r := c.confirm(ctx, c.userConfirmation(u, "deactivate "+userRef(u),
			fmt.Sprintf("An AI agent wants to deactivate the Okta user %s: they will be signed out, unable to sign in, and lose their app assignments. Allow it?", userLabel(u)))); r != nil {
			return r
		}
		resp, err := c.client.DeactivateUser(ctx, u.ID, in.SendEmail != nil && *in.SendEmail)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: "deactivate user " + userLabel(u), hint: statusHint("deactivate", u.Status), notFound: userNotFound(in.UserID)})
		}
		return c.ok(deactivateOutput{UserID: u.ID, Deactivated: true, Success: true})
	})
}

type userOnlyInput struct {
	UserID string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user: Okta id (00u...) or login."`
}

// SuspendUser is okta_suspend_user.
func SuspendUser(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[userOnlyInput]{
		name:        "okta_suspend_user",
		title:       "Suspend user",
		description: "Suspend a user in the Okta organization, e.g. during a security incident: the user cannot sign in but keeps group memberships and app assignments. Only ACTIVE users can be suspended; undo with okta_unsuspend_user.",
		destructive: true,
		idempotent:  true,
		output:      schema.Output[suspendOutput](),
		ids:         func(in userOnlyInput) []idParam { return []idParam{{"userId", in.UserID}} },
	}, func(ctx context.Context, c *call, in userOnlyInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		resp, err := c.client.SuspendUser(ctx, u.ID)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: "suspend user " + userLabel(u), hint: statusHint("suspend", u.Status), notFound: userNotFound(in.UserID)})
		}
		return c.ok(suspendOutput{UserID: u.ID, Suspended: true, Success: true})
	})
}

// UnsuspendUser is okta_unsuspend_user.
func UnsuspendUser(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[userOnlyInput]{
		name:        "okta_unsuspend_user",
		title:       "Unsuspend user",
		description: "Unsuspend a SUSPENDED user in the Okta organization: the user returns to ACTIVE and can sign in again.",
		idempotent:  true,
		output:      schema.Output[unsuspendOutput](),
		ids:         func(in userOnlyInput) []idParam { return []idParam{{"userId", in.UserID}} },
	}, func(ctx context.Context, c *call, in userOnlyInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		resp, err := c.client.UnsuspendUser(ctx, u.ID)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: "unsuspend user " + userLabel(u), hint: statusHint("unsuspend", u.Status), notFound: userNotFound(in.UserID)})
		}
		return c.ok(unsuspendOutput{UserID: u.ID, Unsuspended: true, Success: true})
	})
}

type resetPasswordInput struct {
	UserID    string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user whose password to reset: Okta id (00u...) or login."`
	SendEmail *bool  `json:"sendEmail,omitempty" jsonschema:"default=true" jsonschema_description:"Email the reset link to the user (default true). false returns resetPasswordUrl instead, which lets whoever holds it set the password: hand it only to the user."`
}

// ResetPassword is okta_reset_password.
func ResetPassword(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[resetPasswordInput]{
		name:        "okta_reset_password",
		title:       "Reset password",
		description: "Start a password reset for a user in the Okta organization: the user moves to RECOVERY and cannot sign in with the old password until they set a new one from the one-time link. The link is emailed (default) or, with sendEmail false, returned. The human user may be asked to confirm.",
		destructive: true,
		output:      schema.Output[resetPasswordOutput](),
		ids:         func(in resetPasswordInput) []idParam { return []idParam{{"userId", in.UserID}} },
		confirmWhen: "always",
	}, func(ctx context.Context, c *call, in resetPasswordInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		sendEmail := in.SendEmail == nil || *in.SendEmail
		question := fmt.Sprintf("An AI agent wants to reset the password of the Okta user %s: their current password stops working and Okta emails the reset link, with which the new password is set, to %s. Allow it?", userLabel(u), mailTo(u))
		if !sendEmail {
			question = fmt.Sprintf("An AI agent wants to reset the password of the Okta user %s and receive the reset link itself (no email to the user): whoever holds the link can set the password. Allow it?", userLabel(u))
		}
		if r := c.confirm(ctx, c.userConfirmation(u, "reset the password of "+userRef(u), question)); r != nil {
			return r
		}
		tok, resp, err := c.client.ResetPassword(ctx, u.ID, sendEmail)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: "reset the password of " + userLabel(u), hint: statusHint("reset_password", u.Status), notFound: userNotFound(in.UserID)})
		}
		out := resetPasswordOutput{UserID: u.ID, Success: true}
		if tok != nil && !sendEmail {
			out.ResetPasswordURL = strPtr(tok.ResetPasswordURL)
		}
		return c.ok(out)
	})
}

type deleteUserInput struct {
	UserID    string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user to delete: Okta id (00u...) or login."`
	SendEmail *bool  `json:"sendEmail,omitempty" jsonschema:"default=false" jsonschema_description:"Send a deactivation email to the org's admins (default false)."`
}

// DeleteUser is okta_delete_user: two-step deletion as Okta does it.
func DeleteUser(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[deleteUserInput]{
		name:        "okta_delete_user",
		title:       "Delete user",
		description: "Permanently delete a user from the Okta organization. Two-step, as in Okta: on a user that is not DEPROVISIONED the first call only deactivates it (deleted=false, status DEPROVISIONED); a second call deletes it for good (deleted=true). Cannot be undone. The human user may be asked to confirm.",
		destructive: true,
		output:      schema.Output[deleteUserOutput](),
		ids:         func(in deleteUserInput) []idParam { return []idParam{{"userId", in.UserID}} },
		confirmWhen: "always",
	}, func(ctx context.Context, c *call, in deleteUserInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		// Each step is its own question, bound to the status it names: the
		// answer to the first (deactivation) never performs the second.
		deprovisioned := u.Status == okta.StatusDeprovisioned
		action, question := "permanently delete "+userRef(u),
			fmt.Sprintf("An AI agent wants to PERMANENTLY delete the Okta user %s. This cannot be undone. Allow it?", userLabel(u))
		if !deprovisioned {
			action = "deactivate " + userRef(u) + " (first step of deleting it)"
			question = fmt.Sprintf("An AI agent wants to delete the Okta user %s. Okta first deactivates the user (they are signed out and lose their app assignments); deleting them for good takes a second call and a second question. Allow the deactivation?", userLabel(u))
		}
		if r := c.confirm(ctx, c.userConfirmation(u, action, question)); r != nil {
			return r
		}
		resp, err := c.client.DeleteUser(ctx, u.ID, in.SendEmail != nil && *in.SendEmail)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: action, notFound: userNotFound(in.UserID)})
		}
		// Read the user back rather than trusting the status seen before the
		// DELETE: another admin may have changed it meanwhile.
		after, _, gerr := c.client.GetUser(ctx, u.ID) // the audit keeps the DELETE's request id
		switch {
		case gerr == nil:
			return c.ok(deleteUserOutput{UserID: u.ID, Deleted: false, Status: strPtr(after.Status), Success: true,
				Message: fmt.Sprintf("Okta deactivated the user instead of deleting it, because it was not DEPROVISIONED yet; its status is now %s. Call okta_delete_user again to delete it permanently.", after.Status)})
		case okta.IsNotFound(gerr):
			return c.ok(deleteUserOutput{UserID: u.ID, Deleted: true, Success: true, Message: "The user was permanently deleted."})
		case deprovisioned:
			return c.ok(deleteUserOutput{UserID: u.ID, Deleted: true, Success: true, Message: "The user was DEPROVISIONED, so Okta deleted it permanently (it could not be read back to double-check)."})
		default:
			st := okta.StatusDeprovisioned
			return c.ok(deleteUserOutput{UserID: u.ID, Deleted: false, Status: &st, Success: true,
				Message: "The user was not DEPROVISIONED, so Okta deactivated it (it could not be read back to double-check). Call okta_delete_user again to delete it permanently."})
		}
	})
}

// lookupUser gets the user a lifecycle or membership call is about.
func (c *call) lookupUser(ctx context.Context, idOrLogin string) (*okta.User, *mcp.CallToolResult) {
	u, resp, err := c.client.GetUser(ctx, idOrLogin)
	c.noteResponse(resp)
	if err != nil {
		return nil, c.fail(ctx, err, resp, failure{action: fmt.Sprintf("look up user %q", idOrLogin), notFound: userNotFound(idOrLogin)})
	}
	if login := u.Profile.String("login"); login != "" && !strings.EqualFold(login, u.ID) {
		c.target = u.ID + " (" + login + ")"
	} else {
		c.target = u.ID
	}
	return u, nil
}

// userLabel names a user for people, every value quoted and escaped:
// "Jane Doe" (login "jane@example.com", id 00u1, ACTIVE).
func userLabel(u *okta.User) string {
	name := strings.TrimSpace(u.Profile.String("firstName") + " " + u.Profile.String("lastName"))
	login := u.Profile.String("login")
	var b strings.Builder
	if name != "" {
		b.WriteString(q(name) + " ")
	}
	b.WriteString("(")
	if login != "" {
		b.WriteString("login " + q(login) + ", ")
	}
	fmt.Fprintf(&b, "id %s, %s)", plain(u.ID), plain(u.Status))
	return b.String()
}

// userRef names a user briefly, for the agent's messages: "jane@example.com" (00u1).
func userRef(u *okta.User) string {
	if login := u.Profile.String("login"); login != "" {
		return "the user " + q(login) + " (" + plain(u.ID) + ")"
	}
	return "the user " + plain(u.ID)
}

// mailTo says where Okta sends a user's credential mail.
func mailTo(u *okta.User) string {
	email := u.Profile.String("email")
	if email == "" {
		return "the user's primary email address (none is set)"
	}
	return "the user's primary email address " + q(email)
}

// plain returns an id or status as is when it is made of letters, digits,
// '-' and '_', and quoted otherwise.
func plain(s string) string {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return q(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// userTarget is what questions about a user describe: its id, and the
// status and addresses credential mail and sign-in depend on.
func userTarget(u *okta.User) confirmTarget {
	st := map[string]string{"status": u.Status}
	for _, k := range []string{"login", "email", "secondEmail", "mobilePhone"} {
		st[k] = u.Profile.String(k)
	}
	return confirmTarget{ids: []string{u.ID}, state: st}
}

// userConfirmation is a question about u, re-read by its id after the answer.
func (c *call) userConfirmation(u *okta.User, action, question string) confirmation {
	id := u.ID
	return confirmation{action: action, question: question, target: userTarget(u),
		reread: func(ctx context.Context) (confirmTarget, *mcp.CallToolResult) {
			now, resp, err := c.client.GetUser(ctx, id)
			c.noteResponse(resp)
			if err != nil {
				return confirmTarget{}, c.fail(ctx, err, resp, failure{action: "read the user " + plain(id) + " again after the confirmation", notFound: userNotFound(id)})
			}
			return userTarget(now), nil
		}}
}

// statusHint explains a refused lifecycle operation from the user's status.
func statusHint(op, status string) string {
	is := fmt.Sprintf("this user is %s", status)
	switch op {
	case "activate":
		switch status {
		case okta.StatusActive:
			return "the user is already ACTIVE: nothing to do. If they cannot sign in, consider okta_reset_password."
		case okta.StatusProvisioned:
			return "the user is PROVISIONED: activation has started and waits for them to set a password from the activation email. Nothing to do here."
		case okta.StatusSuspended:
			return "the user is SUSPENDED, not inactive: use okta_unsuspend_user instead."
		case okta.StatusStaged, okta.StatusDeprovisioned:
			return ""
		}
		return "activation works only on STAGED or DEPROVISIONED users; " + is + "."
	case "deactivate":
		if status == okta.StatusDeprovisioned {
			return "the user is already deactivated (DEPROVISIONED): nothing to do. To remove them for good use okta_delete_user."
		}
	case "suspend":
		switch status {
		case okta.StatusActive:
			return ""
		case okta.StatusSuspended:
			return "the user is already SUSPENDED: nothing to do."
		case okta.StatusStaged, okta.StatusProvisioned:
			return "suspend needs an ACTIVE user; " + is + " (never fully activated), so they cannot sign in anyway. Activate them first with okta_activate_user if you really need them suspended, or leave them as they are."
		case okta.StatusDeprovisioned:
			return "suspend needs an ACTIVE user; " + is + " (deactivated), so they cannot sign in anyway."
		}
		return "suspend needs an ACTIVE user; " + is + ". To block sign-in regardless of status, deactivate the user with okta_deactivate_user."
	case "unsuspend":
		switch status {
		case okta.StatusSuspended:
			return ""
		case okta.StatusActive:
			return "the user is not suspended (already ACTIVE): nothing to do."
		}
		return "unsuspend works only on SUSPENDED users; " + is + "."
	case "reset_password":
		switch status {
		case okta.StatusStaged, okta.StatusProvisioned:
			return "a password reset needs an activated user; " + is + ": activate them with okta_activate_user instead."
		case okta.StatusDeprovisioned:
			return "a password reset needs an active user; " + is + " (deactivated)."
		case okta.StatusSuspended:
			return "a password reset needs an active user; " + is + ": unsuspend them first with okta_unsuspend_user."
		}
	}
	return ""
}
