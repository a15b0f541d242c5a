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

// The tools of an admin's day beyond the seed (issue 11): a user's groups,
// unlock, password expiry, sessions and MFA factors. The System Log is in
// syslog.go, the whole offboarding in offboard.go.

type listUserGroupsInput struct {
	UserID string   `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user: Okta id (00u...) or login (usually the email address)."`
	Limit  *float64 `json:"limit,omitempty" jsonschema:"minimum=1,maximum=200,multipleOf=1,default=200" jsonschema_description:"Maximum number of groups to return in this call (whole number, 1 to 200; default 200). Use after/nextCursor for more."`
	After  string   `json:"after,omitempty" jsonschema:"minLength=1" jsonschema_description:"Paging cursor: the nextCursor of a previous call for the same user. Omit for the first page."`
	fieldsInput
}

type listUserGroupsOutput struct {
	UserID     string      `json:"userId" jsonschema_description:"The user the groups belong to, as given"`
	Groups     []groupInfo `json:"groups" jsonschema_description:"The groups the user belongs to, Everyone (BUILT_IN) included"`
	Count      int         `json:"count" jsonschema:"type=number" jsonschema_description:"Number of groups returned in this call"`
	NextCursor *string     `json:"nextCursor" jsonschema_description:"Pass as after to get the next groups; null when there are no more"`
	Success    bool        `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

// ListUserGroups is okta_list_user_groups.
func ListUserGroups(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[listUserGroupsInput]{
		name:        "okta_list_user_groups",
		title:       "List a user's groups",
		description: "List the groups a user of the Okta organization belongs to (Everyone included), e.g. to see what an offboarding must remove. Only OKTA_GROUP memberships can be changed with okta_remove_user_from_group; APP_GROUP memberships come from an app's imports. Returns up to limit groups per call; when nextCursor is not null, call again with after=nextCursor.",
		readOnly:    true,
		idempotent:  true,
		output:      schema.Output[listUserGroupsOutput](),
		ids:         func(in listUserGroupsInput) []idParam { return []idParam{{"userId", in.UserID}} },
	}, func(ctx context.Context, c *call, in listUserGroupsInput) *mcp.CallToolResult {
		groups, next, resp, err := collect(ctx, c, limitOr(in.Limit, 200), in.After, "groups", func(after string, n int) ([]okta.Group, *okta.Response, error) {
			return c.client.ListUserGroups(ctx, in.UserID, &okta.ListParams{After: after, Limit: n})
		})
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: fmt.Sprintf("list the groups of user %q", in.UserID), notFound: userNotFound(in.UserID)})
		}
		out := listUserGroupsOutput{UserID: in.UserID, Groups: make([]groupInfo, len(groups)), Count: len(groups), NextCursor: cursorPtr(next), Success: true}
		for i := range groups {
			out.Groups[i] = describeGroup(&groups[i])
		}
		return c.ok(out)
	})
}

type unlockOutput struct {
	UserID   string `json:"userId" jsonschema_description:"Okta id of the user"`
	Unlocked bool   `json:"unlocked" jsonschema_description:"Whether the user is unlocked (ACTIVE) now"`
	Status   string `json:"status" jsonschema_description:"The user's status after the call"`
	Changed  bool   `json:"changed" jsonschema_description:"false when the user already was ACTIVE (not locked out): nothing was sent to Okta"`
	Message  string `json:"message" jsonschema_description:"What happened, in words"`
	Success  bool   `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

// UnlockUser is okta_unlock_user.
func UnlockUser(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[userOnlyInput]{
		name:        "okta_unlock_user",
		title:       "Unlock user",
		description: "Unlock a LOCKED_OUT user of the Okta organization (locked after too many failed sign-ins): the user returns to ACTIVE and can sign in with their current password. Only LOCKED_OUT users can be unlocked; one already ACTIVE is reported unchanged (changed=false). If they forgot the password, use okta_reset_password instead; check okta_get_system_log first if the failed sign-ins look like an attack.",
		idempotent:  true,
		output:      schema.Output[unlockOutput](),
		ids:         func(in userOnlyInput) []idParam { return []idParam{{"userId", in.UserID}} },
	}, func(ctx context.Context, c *call, in userOnlyInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		if u.Status == okta.StatusActive {
			return c.unchanged(unlockOutput{UserID: u.ID, Unlocked: true, Status: u.Status, Success: true,
				Message: "The user already was ACTIVE (not locked out): nothing was changed. If they cannot sign in, they may have forgotten the password (okta_reset_password) or lost their MFA device (okta_list_user_factors); okta_get_system_log shows their recent sign-in failures."})
		}
		resp, err := c.client.UnlockUser(ctx, u.ID)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: "unlock user " + userLabel(u), hint: dayHint("unlock", u.Status), notFound: userNotFound(in.UserID)})
		}
		return c.ok(unlockOutput{UserID: u.ID, Unlocked: true, Status: okta.StatusActive, Changed: true, Success: true,
			Message: "The user was LOCKED_OUT and is ACTIVE now."})
	})
}

type expirePasswordInput struct {
	UserID       string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user whose password to expire: Okta id (00u...) or login."`
	TempPassword *bool  `json:"tempPassword,omitempty" jsonschema:"default=false" jsonschema_description:"Also reset the password to a temporary one and return it (default false). The temporary password lets whoever holds it sign in as the user: the human user is asked to confirm, and it must only be handed to the user themselves."`
}

type expirePasswordOutput struct {
	UserID       string  `json:"userId" jsonschema_description:"Okta id of the user"`
	Status       string  `json:"status" jsonschema_description:"The user's status after the call (PASSWORD_EXPIRED)"`
	TempPassword *string `json:"tempPassword" jsonschema_description:"The temporary password (only with tempPassword true; null otherwise). Hand it only to the user it belongs to; they must change it at sign-in."`
	Message      string  `json:"message" jsonschema_description:"What happens next for the user"`
	Success      bool    `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

// ExpirePassword is okta_expire_password.
func ExpirePassword(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[expirePasswordInput]{
		name:        "okta_expire_password",
		title:       "Expire password",
		description: "Force a user of the Okta organization to change their password at the next sign-in (status PASSWORD_EXPIRED). Meant for ACTIVE users; Okta refuses it for users who are not activated, suspended or deactivated. With tempPassword true, Okta also replaces the password with a temporary one that is returned; the human user is then asked to confirm.",
		destructive: true,
		output:      schema.Output[expirePasswordOutput](),
		ids:         func(in expirePasswordInput) []idParam { return []idParam{{"userId", in.UserID}} },
		confirmWhen: "with tempPassword true",
	}, func(ctx context.Context, c *call, in expirePasswordInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		temp := in.TempPassword != nil && *in.TempPassword
		if temp {
			if r := c.confirm(ctx, c.userConfirmation(u, "expire the password of "+userRef(u)+" and receive a temporary password",
				fmt.Sprintf("An AI agent wants to replace the password of the Okta user %s with a temporary one and receive it: whoever holds it can sign in as the user (once, then they must change it). Allow it?", userLabel(u)))); r != nil {
				return r
			}
		}
		f := failure{action: "expire the password of " + userLabel(u), hint: dayHint("expire_password", u.Status), notFound: userNotFound(in.UserID)}
		if !temp {
			after, resp, err := c.client.ExpirePassword(ctx, u.ID)
			c.noteResponse(resp)
			if err != nil {
				return c.fail(ctx, err, resp, f)
			}
			return c.ok(expirePasswordOutput{UserID: u.ID, Status: after.Status, Success: true,
				Message: "The password is expired: the user keeps it for one more sign-in, at which Okta makes them choose a new one."})
		}
		tp, resp, err := c.client.ExpirePasswordWithTempPassword(ctx, u.ID, false)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, f)
		}
		pw := string(tp.TempPassword)
		return c.ok(expirePasswordOutput{UserID: u.ID, Status: okta.StatusPasswordExpired, TempPassword: &pw, Success: true,
			Message: "The old password no longer works. Give the temporary password to the user only (never post it in a shared channel); they must choose a new password when they sign in with it."})
	})
}

type clearSessionsInput struct {
	UserID      string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user whose sessions to end: Okta id (00u...) or login."`
	OAuthTokens *bool  `json:"oauthTokens,omitempty" jsonschema:"default=false" jsonschema_description:"Also revoke the OAuth/OIDC access and refresh tokens issued to the user (default false), so apps signed in through Okta lose access too."`
}

type clearSessionsOutput struct {
	UserID             string `json:"userId" jsonschema_description:"Okta id of the user"`
	SessionsCleared    bool   `json:"sessionsCleared" jsonschema_description:"Whether the user's Okta sessions were ended"`
	OAuthTokensRevoked bool   `json:"oauthTokensRevoked" jsonschema_description:"Whether the user's OAuth tokens were revoked too"`
	Message            string `json:"message" jsonschema_description:"What this does and does not cover"`
	Success            bool   `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

// ClearUserSessions is okta_clear_user_sessions.
func ClearUserSessions(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[clearSessionsInput]{
		name:        "okta_clear_user_sessions",
		title:       "Clear user sessions",
		description: "End every Okta session of a user (e.g. a stolen laptop, a compromised account): they must sign in again everywhere. With oauthTokens true, also revoke the OAuth tokens apps hold for them. It does not block sign-in: to keep them out, also suspend (okta_suspend_user) or deactivate them. Safe to repeat. The human user is asked to confirm.",
		destructive: true,
		idempotent:  true,
		output:      schema.Output[clearSessionsOutput](),
		ids:         func(in clearSessionsInput) []idParam { return []idParam{{"userId", in.UserID}} },
		confirmWhen: "always",
	}, func(ctx context.Context, c *call, in clearSessionsInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		tokens := in.OAuthTokens != nil && *in.OAuthTokens
		what, asked := "end every Okta session of "+userRef(u), "end every Okta session of the user "+userLabel(u)
		if tokens {
			what += " and revoke their OAuth tokens"
			asked += " and revoke their OAuth tokens"
		}
		if r := c.confirm(ctx, c.userConfirmation(u, what, fmt.Sprintf("An AI agent wants to %s: they will have to sign in again everywhere. Allow it?", asked))); r != nil {
			return r
		}
		resp, err := c.client.ClearUserSessions(ctx, u.ID, tokens)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: what, notFound: userNotFound(in.UserID)})
		}
		msg := "Every Okta session of the user ended; apps keep their own sessions until they next check with Okta."
		if tokens {
			msg = "Every Okta session of the user ended and the OAuth tokens issued to them were revoked."
		}
		if u.Status == okta.StatusActive {
			msg += " The user can still sign in again: suspend or deactivate them to keep them out."
		}
		return c.ok(clearSessionsOutput{UserID: u.ID, SessionsCleared: true, OAuthTokensRevoked: tokens, Message: msg, Success: true})
	})
}

// factorOut is an enrolled factor as results show it: never secrets, and
// phone numbers and addresses masked.
type factorOut struct {
	ID          string            `json:"id" jsonschema_description:"Okta factor id"`
	FactorType  string            `json:"factorType" jsonschema_description:"Factor type: sms, call, email, push (Okta Verify), token:software:totp, webauthn, question, token:hardware, ..."`
	Provider    string            `json:"provider" jsonschema_description:"Provider: OKTA, GOOGLE, FIDO, RSA, YUBICO, ..."`
	VendorName  *string           `json:"vendorName" jsonschema_description:"Vendor name"`
	Status      string            `json:"status" jsonschema_description:"Factor status: ACTIVE, PENDING_ACTIVATION, INACTIVE, ..."`
	Created     *string           `json:"created" jsonschema:"format=date-time" jsonschema_description:"When the factor was enrolled"`
	LastUpdated *string           `json:"lastUpdated" jsonschema:"format=date-time" jsonschema_description:"Last change of the factor"`
	Profile     map[string]string `json:"profile" jsonschema_description:"What identifies the factor, masked: phone numbers and email addresses show only their last characters; device names and platforms as Okta reports them. Never answers, secrets or keys."`
}

// factorProfileFields are the profile fields shown, and whether to mask them.
var factorProfileFields = map[string]bool{
	"phoneNumber": true, "email": true, "phoneExtension": false, "deviceType": false, "name": false,
	"platform": false, "version": false, "authenticatorName": false, "question": false, "questionText": false,
}

func describeFactor(f *okta.UserFactor) factorOut {
	p := map[string]string{}
	for k, v := range f.Profile {
		mask, shown := factorProfileFields[k]
		s, isString := v.(string)
		if !shown || !isString || s == "" {
			continue
		}
		switch {
		case mask && k == "email":
			s = maskEmail(s)
		case mask:
			s = maskDigits(s)
		}
		p[k] = s
	}
	return factorOut{ID: f.ID, FactorType: f.FactorType, Provider: f.Provider, VendorName: strPtr(f.VendorName), Status: f.Status,
		Created: timestamp(f.Created), LastUpdated: timestamp(f.LastUpdated), Profile: p}
}

// maskDigits keeps the last four digits of a phone number.
func maskDigits(s string) string {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	var b strings.Builder
	seen := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			seen++
			if seen <= n-4 {
				r = '*'
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maskEmail keeps the first character of the local part and the domain.
func maskEmail(s string) string {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" {
		return "***"
	}
	r := []rune(local)
	return string(r[0]) + "***@" + domain
}

type listFactorsOutput struct {
	UserID  string      `json:"userId" jsonschema_description:"Okta id of the user"`
	Factors []factorOut `json:"factors" jsonschema_description:"The user's enrolled MFA factors (empty when none)"`
	Count   int         `json:"count" jsonschema:"type=number" jsonschema_description:"Number of factors"`
	Success bool        `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

type listUserFactorsInput struct {
	UserID string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user: Okta id (00u...) or login."`
	fieldsInput
}

// ListUserFactors is okta_list_user_factors.
func ListUserFactors(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[listUserFactorsInput]{
		name:        "okta_list_user_factors",
		title:       "List a user's MFA factors",
		description: "List the MFA factors a user of the Okta organization has enrolled (Okta Verify push, SMS, email, authenticator apps, security keys, ...): type, provider, status and a masked profile (phone numbers and email addresses partly hidden; secrets never shown). Use it before okta_reset_user_factors, e.g. for a lost phone.",
		readOnly:    true,
		idempotent:  true,
		output:      schema.Output[listFactorsOutput](),
		ids:         func(in listUserFactorsInput) []idParam { return []idParam{{"userId", in.UserID}} },
	}, func(ctx context.Context, c *call, in listUserFactorsInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		fs, resp, err := c.client.ListFactors(ctx, u.ID)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: "list the factors of " + userLabel(u), notFound: userNotFound(in.UserID)})
		}
		out := listFactorsOutput{UserID: u.ID, Factors: make([]factorOut, len(fs)), Count: len(fs), Success: true}
		for i := range fs {
			out.Factors[i] = describeFactor(&fs[i])
		}
		return c.ok(out)
	})
}

type resetFactorsOutput struct {
	UserID  string `json:"userId" jsonschema_description:"Okta id of the user"`
	Reset   bool   `json:"reset" jsonschema_description:"Whether every factor was removed"`
	Removed int    `json:"removed" jsonschema:"type=number" jsonschema_description:"How many enrolled factors there were before the reset"`
	Message string `json:"message" jsonschema_description:"What happens next for the user"`
	Success bool   `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

// ResetUserFactors is okta_reset_user_factors.
func ResetUserFactors(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[userOnlyInput]{
		name:        "okta_reset_user_factors",
		title:       "Reset a user's MFA factors",
		description: "Remove every MFA factor a user of the Okta organization has enrolled (e.g. a lost or replaced phone), so that they enroll again at the next sign-in. The user's status does not change. Cannot be undone: the factors must be enrolled again. Make sure the request really comes from the user (an attacker who got the password could enroll their own factor). The human user is asked to confirm.",
		destructive: true,
		idempotent:  true,
		output:      schema.Output[resetFactorsOutput](),
		ids:         func(in userOnlyInput) []idParam { return []idParam{{"userId", in.UserID}} },
		confirmWhen: "always",
	}, func(ctx context.Context, c *call, in userOnlyInput) *mcp.CallToolResult {
		u, r := c.lookupUser(ctx, in.UserID)
		if r != nil {
			return r
		}
		fs, r := c.factorsOf(ctx, u)
		if r != nil {
			return r
		}
		var kinds []string
		for _, f := range fs {
			kinds = append(kinds, plain(f.FactorType))
		}
		enrolled := "no factors"
		if len(kinds) > 0 {
			enrolled = fmt.Sprintf("%d factors: %s", len(kinds), strings.Join(kinds, ", "))
		}
		// The answer is bound to the user and to the factors the question
		// lists: one enrolled meanwhile makes it ask again.
		cf := c.userConfirmation(u, "remove every MFA factor of "+userRef(u),
			fmt.Sprintf("An AI agent wants to remove every MFA factor of the Okta user %s (%s): they will enroll new ones at their next sign-in. Allow it?", userLabel(u), enrolled))
		cf.target = factorTarget(u, fs)
		cf.reread = func(ctx context.Context) (confirmTarget, *mcp.CallToolResult) {
			now, resp, err := c.client.GetUser(ctx, u.ID)
			c.noteResponse(resp)
			if err != nil {
				return confirmTarget{}, c.fail(ctx, err, resp, failure{action: "read the user " + plain(u.ID) + " again after the confirmation", notFound: userNotFound(u.ID)})
			}
			fs, r := c.factorsOf(ctx, now)
			if r != nil {
				return confirmTarget{}, r
			}
			return factorTarget(now, fs), nil
		}
		if r := c.confirm(ctx, cf); r != nil {
			return r
		}
		resp, err := c.client.ResetFactors(ctx, u.ID)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: "reset the factors of " + userLabel(u), hint: dayHint("reset_factors", u.Status), notFound: userNotFound(in.UserID)})
		}
		return c.ok(resetFactorsOutput{UserID: u.ID, Reset: true, Removed: len(fs), Success: true,
			Message: "Every factor was removed; the user enrolls new ones at their next sign-in (Okta asks for them per the org's enrollment policy)."})
	})
}

// dayHint explains a refused unlock, password expiry or factor reset from
// the user's status.
func dayHint(op, status string) string {
	switch op {
	case "unlock":
		switch status {
		case okta.StatusLockedOut:
			return ""
		case okta.StatusActive:
			return "the user is not locked out (ACTIVE): nothing to unlock. If they cannot sign in, they may have forgotten the password (okta_reset_password) or lost their MFA device (okta_list_user_factors); okta_get_system_log shows their recent sign-in failures."
		case okta.StatusSuspended:
			return "the user is SUSPENDED, not locked out: use okta_unsuspend_user if that is intended."
		case okta.StatusPasswordExpired:
			return "the user is not locked out; their password is expired: they choose a new one at sign-in."
		}
		return "only LOCKED_OUT users can be unlocked; this user is " + status + "."
	case "expire_password":
		switch status {
		case okta.StatusStaged, okta.StatusProvisioned:
			return "the user has not been activated (" + status + "), so there is no password to expire; activate them with okta_activate_user."
		case okta.StatusSuspended:
			return "the user is SUSPENDED: unsuspend them first with okta_unsuspend_user."
		case okta.StatusDeprovisioned:
			return "the user is deactivated (DEPROVISIONED)."
		}
	case "reset_factors":
		if status == okta.StatusDeprovisioned {
			return "the user is deactivated (DEPROVISIONED); factors of deactivated users cannot be changed."
		}
	}
	return ""
}

// factorsOf lists u's factors.
func (c *call) factorsOf(ctx context.Context, u *okta.User) ([]okta.UserFactor, *mcp.CallToolResult) {
	fs, resp, err := c.client.ListFactors(ctx, u.ID)
	c.noteResponse(resp)
	if err != nil {
		return nil, c.fail(ctx, err, resp, failure{action: "list the factors of " + userRef(u), notFound: userNotFound(u.ID)})
	}
	return fs, nil
}

// factorTarget is what a factor reset question describes: the user and the
// factors it lists.
func factorTarget(u *okta.User, fs []okta.UserFactor) confirmTarget {
	t := userTarget(u)
	ids := make([]string, len(fs))
	for i, f := range fs {
		ids[i] = f.ID
	}
	t.state["factors"] = strings.Join(ids, ",")
	return t
}
