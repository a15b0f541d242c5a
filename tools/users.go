package tools

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/schema"
)

const userIDDescription = "The user's Okta id (00u...) or login (usually the email address, e.g. jane.doe@example.com)."

type listUsersInput struct {
	Search string   `json:"search,omitempty" jsonschema:"minLength=1" jsonschema_description:"Okta search expression (recommended). Any profile attribute with eq, sw, co (co only on profile.firstName, profile.lastName, profile.email, profile.login), gt/ge/lt/le, and/or; string values in double quotes. Examples: profile.firstName eq \"John\"; profile.email co \"example.com\"; profile.department eq \"Sales\" and status eq \"ACTIVE\". Includes DEPROVISIONED users. Do not combine with filter."`
	Filter string   `json:"filter,omitempty" jsonschema:"minLength=1" jsonschema_description:"Okta filter expression: only eq on status, id, profile.login, profile.email, profile.firstName, profile.lastName (gt/ge/lt/le on lastUpdated), joined with and/or. Example: status eq \"ACTIVE\". Case-sensitive. Do not combine with search."`
	Limit  *float64 `json:"limit,omitempty" jsonschema:"minimum=1,maximum=200,multipleOf=1,default=200" jsonschema_description:"Maximum number of users to return in this call (whole number, 1 to 200; default 200). Use after/nextCursor for more."`
	After  string   `json:"after,omitempty" jsonschema:"minLength=1" jsonschema_description:"Paging cursor: the nextCursor of a previous call with the same search/filter. Omit for the first page."`
	fieldsInput
}

// ListUsers is okta_list_users: list or search users, one page of up to
// limit users per call.
func ListUsers(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[listUsersInput]{
		name:        "okta_list_users",
		title:       "List users",
		description: "List users in the Okta organization, optionally narrowed by an Okta search or filter expression. Returns up to limit users per call; when nextCursor is not null, call again with after=nextCursor for more. Without search or filter, DEPROVISIONED users are not included.",
		readOnly:    true,
		idempotent:  true,
		output:      schema.Output[listUsersOutput](),
	}, func(ctx context.Context, c *call, in listUsersInput) *mcp.CallToolResult {
		if in.Search != "" && in.Filter != "" {
			c.outcome = "invalid_arguments"
			return errorResult("okta_list_users: invalid arguments: give search or filter, not both (Okta rejects the combination). Search can express everything filter can, e.g. status eq \"ACTIVE\" and profile.department eq \"Sales\". Nothing was sent to Okta.")
		}
		if p := enumCaseProblem(in.Search+" "+in.Filter, "status", userStatuses); p != "" {
			c.outcome = "invalid_arguments"
			return errorResult("okta_list_users: invalid arguments: " + p + ". Nothing was sent to Okta.")
		}
		limit := limitOr(in.Limit, 200)
		users, next, resp, err := collect(ctx, c, limit, in.After, "users", func(after string, n int) ([]okta.User, *okta.Response, error) {
			return c.client.ListUsers(ctx, &okta.ListUsersParams{Search: in.Search, Filter: in.Filter, After: after, Limit: n})
		})
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: "list users"})
		}
		return c.ok(listUsersOutput{Users: summarizeUsers(users), Count: len(users), NextCursor: cursorPtr(next), Success: true})
	})
}

type getUserInput struct {
	UserID string `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user to look up: Okta id (00u...) or login (usually the email address, e.g. jane.doe@example.com)."`
}

// GetUser is okta_get_user: one user's profile and status, by id or login.
func GetUser(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[getUserInput]{
		name:        "okta_get_user",
		title:       "Get user",
		description: "Get one user of the Okta organization by id or login: status, profile (names, email, phone, title, department, manager, ...) and lifecycle timestamps.",
		readOnly:    true,
		idempotent:  true,
		output:      schema.Output[userDetailOutput](),
		ids:         func(in getUserInput) []idParam { return []idParam{{"userId", in.UserID}} },
	}, func(ctx context.Context, c *call, in getUserInput) *mcp.CallToolResult {
		u, resp, err := c.client.GetUser(ctx, in.UserID)
		c.noteResponse(resp)
		if err != nil {
			return c.fail(ctx, err, resp, failure{action: fmt.Sprintf("get user %q", in.UserID), notFound: c.userNotFound(ctx, err, in.UserID)})
		}
		return c.ok(detailUser(u))
	})
}

type createUserInput struct {
	FirstName   string  `json:"firstName" jsonschema:"minLength=1,maxLength=50" jsonschema_description:"First name of the user."`
	LastName    string  `json:"lastName" jsonschema:"minLength=1,maxLength=50" jsonschema_description:"Last name of the user."`
	Email       string  `json:"email" jsonschema:"format=email,maxLength=100" jsonschema_description:"Primary email address of the user (activation and password emails go here)."`
	Login       *string `json:"login,omitempty" jsonschema:"minLength=5,maxLength=100" jsonschema_description:"Login (sign-in name), unique in the org; usually an email address. Defaults to email."`
	Password    *string `json:"password,omitempty" jsonschema:"minLength=1,writeOnly=true" jsonschema_description:"Initial password; must satisfy the org's password policy. Omit it to let the user choose one from the activation email (preferred)."`
	MobilePhone *string `json:"mobilePhone,omitempty" jsonschema:"maxLength=100" jsonschema_description:"Mobile phone number, e.g. +1-555-0100."`
	Title       *string `json:"title,omitempty" jsonschema_description:"Job title."`
	Department  *string `json:"department,omitempty" jsonschema_description:"Department."`
	Activate    *bool   `json:"activate,omitempty" jsonschema:"default=true" jsonschema_description:"Activate the user now (default true). Without a password Okta then emails an activation link and the user is PROVISIONED until they finish; with a password the user is ACTIVE. false creates a STAGED user to activate later with okta_activate_user."`
}

// CreateUser is okta_create_user.
func CreateUser(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[createUserInput]{
		name:        "okta_create_user",
		title:       "Create user",
		description: "Create a user in the Okta organization (onboarding). login defaults to email; the user is activated unless activate is false. The result shows the user's id and resulting status. Not idempotent: if the outcome is unknown, look the login up with okta_get_user before trying again.",
		output:      schema.Output[userWriteOutput](),
	}, func(ctx context.Context, c *call, in createUserInput) *mcp.CallToolResult {
		login := loginOf(in)
		profile := okta.UserProfile{"firstName": in.FirstName, "lastName": in.LastName, "email": in.Email, "login": login}
		for k, v := range map[string]*string{"mobilePhone": in.MobilePhone, "title": in.Title, "department": in.Department} {
			if v != nil && *v != "" {
				profile[k] = *v
			}
		}
		body := okta.CreateUserRequest{Profile: profile}
		if in.Password != nil {
			body.Credentials = &okta.UserCredentials{Password: &okta.PasswordCredential{Value: *in.Password}}
		}
		activate := in.Activate == nil || *in.Activate
		u, resp, err := c.client.CreateUser(ctx, body, activate)
		c.noteResponse(resp)
		if err != nil {
			f := failure{
				action: fmt.Sprintf("create user %q", login),
				create: true,
				lookup: fmt.Sprintf("Look the login up with okta_get_user (userId %q)", login),
			}
			if oe, ok := okta.AsError(err); ok {
				f.hint = createUserHint(oe, login)
			}
			return c.fail(ctx, err, resp, f)
		}
		c.target = u.ID + " (" + login + ")"
		return c.ok(userWrite(u, createdMessage(u, activate, in.Password != nil)))
	})
}

func loginOf(in createUserInput) string {
	if in.Login != nil && *in.Login != "" {
		return *in.Login
	}
	return in.Email
}

func createdMessage(u *okta.User, activate, password bool) string {
	switch u.Status {
	case okta.StatusActive:
		return "User created and active: they can sign in now."
	case okta.StatusProvisioned:
		return "User created and activation started: Okta emailed them an activation link; they are PROVISIONED until they set a password, then ACTIVE."
	case okta.StatusStaged:
		return "User created but not activated (STAGED): they cannot sign in yet. Activate them with okta_activate_user."
	}
	return fmt.Sprintf("User created with status %s.", u.Status)
}

// undeclaredAttrRE matches Okta's cause for a profile attribute that no
// user schema declares.
var undeclaredAttrRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`Property name '([^']*)' is not defined in profile`) }) // compiled on first use, not at start-up

// undeclaredAttributeHint explains Okta's refusal of profile attributes its
// user schema does not declare, naming them; "" when that is not the error.
func undeclaredAttributeHint(oe *okta.Error) string {
	if oe.ErrorCode != "E0000001" {
		return ""
	}
	var names []string
	for _, c := range oe.ErrorCauses {
		if m := undeclaredAttrRE().FindStringSubmatch(c.ErrorSummary); m != nil {
			names = append(names, strconv.Quote(m[1]))
		}
	}
	if len(names) == 0 {
		return ""
	}
	return "the org's user profile schema does not define the attribute " + strings.Join(names, ", ") +
		", so Okta refused the whole change (nothing was changed). Use only attributes the schema declares: Okta's base attributes " +
		"(login, email, firstName, lastName, mobilePhone, title, department, ...) and the custom attributes an admin added " +
		"(Directory > Profile Editor in the Admin Console, or GET /api/v1/meta/schemas/user/default). The profile fields that " +
		"okta_get_user shows for a user are all declared. Remove or rename the attribute and try again."
}

func createUserHint(oe *okta.Error, login string) string {
	causes := causesText(oe)
	if h := undeclaredAttributeHint(oe); h != "" {
		return h
	}
	switch {
	case oe.ErrorCode == "E0000001" && strings.Contains(causes, "already exists"):
		return fmt.Sprintf("a user with login %q already exists (logins are unique, ignoring case). Look it up with okta_get_user (userId %q), or choose another login.", login, login)
	case oe.ErrorCode == "E0000001" && strings.Contains(causes, "password"):
		return "the password does not satisfy the org's password policy (see the cause above). Choose another password, or omit password so that the user picks one from the activation email."
	case oe.ErrorCode == "E0000001":
		return "fix the profile values named in the causes above and try again."
	}
	return ""
}

func causesText(oe *okta.Error) string {
	var parts []string
	parts = append(parts, oe.ErrorSummary)
	for _, c := range oe.ErrorCauses {
		parts = append(parts, c.ErrorSummary)
	}
	return strings.ToLower(strings.Join(parts, " "))
}

type updateUserInput struct {
	UserID      string  `json:"userId" jsonschema:"minLength=1" jsonschema_description:"The user to update: Okta id (00u...) or login."`
	FirstName   *string `json:"firstName,omitempty" jsonschema:"minLength=1,maxLength=50" jsonschema_description:"New first name."`
	LastName    *string `json:"lastName,omitempty" jsonschema:"minLength=1,maxLength=50" jsonschema_description:"New last name."`
	Email       *string `json:"email,omitempty" jsonschema:"format=email,maxLength=100" jsonschema_description:"New primary email address."`
	Login       *string `json:"login,omitempty" jsonschema:"minLength=5,maxLength=100" jsonschema_description:"New login (must stay unique in the org)."`
	MobilePhone *string `json:"mobilePhone,omitempty" jsonschema:"maxLength=100" jsonschema_description:"New mobile phone number; an empty string removes it."`
	Title       *string `json:"title,omitempty" jsonschema_description:"New job title; an empty string removes it."`
	Department  *string `json:"department,omitempty" jsonschema_description:"New department; an empty string removes it."`
}

// UpdateUser is okta_update_user: a partial profile update.
func UpdateUser(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[updateUserInput]{
		name:        "okta_update_user",
		title:       "Update user profile",
		description: "Update a user's profile in the Okta organization. Partial: only the fields you pass change, all others keep their values. Pass at least one field besides userId. Changing email, login or mobilePhone (where sign-in and password mail go) asks the human user to confirm.",
		destructive: true,
		idempotent:  true,
		output:      schema.Output[userWriteOutput](),
		ids:         func(in updateUserInput) []idParam { return []idParam{{"userId", in.UserID}} },
		confirmWhen: "when changing email, login or mobilePhone",
	}, func(ctx context.Context, c *call, in updateUserInput) *mcp.CallToolResult {
		profile := okta.UserProfile{}
		var changed []string
		set := func(name string, v *string, clearable bool) {
			if v == nil {
				return
			}
			changed = append(changed, name)
			if clearable && *v == "" {
				profile[name] = nil
				return
			}
			profile[name] = *v
		}
		set("firstName", in.FirstName, false)
		set("lastName", in.LastName, false)
		set("email", in.Email, false)
		set("login", in.Login, false)
		set("mobilePhone", in.MobilePhone, true)
		set("title", in.Title, true)
		set("department", in.Department, true)
		if len(changed) == 0 {
			c.outcome = "no_change"
			return errorResult("okta_update_user: nothing to update: pass at least one of firstName, lastName, email, login, mobilePhone, title, department. Nothing was sent to Okta.")
		}
		target := in.UserID
		if r := c.confirmRedirect(ctx, in, &target); r != nil {
			return r
		}
		u, resp, err := c.client.UpdateUser(ctx, target, profile)
		c.noteResponse(resp)
		if err != nil {
			f := failure{action: fmt.Sprintf("update user %q", in.UserID), notFound: c.userNotFound(ctx, err, in.UserID)}
			if oe, ok := okta.AsError(err); ok && oe.ErrorCode == "E0000001" && strings.Contains(causesText(oe), "already exists") {
				f.hint = "another user already has this login or email; choose another value."
			} else if ok {
				f.hint = undeclaredAttributeHint(oe)
			}
			return c.fail(ctx, err, resp, f)
		}
		c.target = u.ID
		return c.ok(userWrite(u, "Updated "+strings.Join(changed, ", ")+"; other profile fields are unchanged."))
	})
}

// confirmRedirect asks the human before a change of where a user's
// credentials go (email, login, mobile phone: password reset and activation
// mail, sign-in name, SMS factors). On a go-ahead *target is the resolved
// user id, which the update then uses.
func (c *call) confirmRedirect(ctx context.Context, in updateUserInput, target *string) *mcp.CallToolResult {
	var changes []string
	for _, f := range []struct {
		name string
		v    *string
	}{{"email", in.Email}, {"login", in.Login}, {"mobilePhone", in.MobilePhone}} {
		if f.v != nil {
			changes = append(changes, f.name)
		}
	}
	if len(changes) == 0 {
		return nil
	}
	u, r := c.lookupUser(ctx, in.UserID)
	if r != nil {
		return r
	}
	var what []string
	for _, name := range changes {
		var v *string
		switch name {
		case "email":
			v = in.Email
		case "login":
			v = in.Login
		default:
			v = in.MobilePhone
		}
		to := q(*v)
		if *v == "" {
			to = "nothing (removed)"
		}
		what = append(what, fmt.Sprintf("%s from %s to %s", name, q(u.Profile.String(name)), to))
	}
	question := fmt.Sprintf("An AI agent wants to change where the Okta user %s receives sign-in and password mail: %s. Password reset and activation links then go to the new address. Allow it?", userLabel(u), strings.Join(what, "; "))
	if r := c.confirm(ctx, c.userConfirmation(u, "change "+strings.Join(changes, ", ")+" of "+userRef(u), question)); r != nil {
		return r
	}
	*target = u.ID
	return nil
}
