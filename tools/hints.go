package tools

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/okta-mcp/okta-mcp/okta"
)

// Not-found hints suggest only what can find something: never a search for
// an Okta id (an id that does not exist matches nothing else), a display
// name given as a login, or a value with stray spaces.

// looksLikeOktaID reports whether s has the shape of an Okta object id
// (20 characters starting with 00 and a type letter: 00u user, 00g group).
func looksLikeOktaID(s string) bool {
	if len(s) != 20 || !strings.HasPrefix(s, "00") {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// quotable reports whether s can go inside a search expression's double
// quotes as is.
func quotable(s string) bool { return s != "" && !strings.ContainsAny(s, "\"\\") }

// userNotFound is the advice for a 404 on a user id or login. For a short
// login (no @), which Okta resolves only when exactly one login starts with
// it, it looks for the logins it could mean, and lists them.
func (c *call) userNotFound(ctx context.Context, err error, idOrLogin string) string {
	if okta.IsNotFound(err) && c.client != nil {
		if s := strings.TrimSpace(idOrLogin); s == idOrLogin && quotable(s) && !strings.ContainsAny(s, "@ ") && !looksLikeOktaID(s) {
			users, _, lerr := c.client.ListUsers(ctx, &okta.ListUsersParams{Search: fmt.Sprintf(`profile.login sw "%s@"`, s), Limit: 10})
			if lerr == nil && len(users) > 1 {
				var names []string
				for _, u := range users {
					names = append(names, fmt.Sprintf("%s (%s)", u.Profile.String("login"), u.ID))
				}
				more := ""
				if len(users) == 10 {
					more = " (and maybe more)"
				}
				return fmt.Sprintf("%q is a short login shared by several users, so Okta cannot tell which one is meant: %s%s. Ask which one is meant if it is not clear, then call again with the full login or the id.",
					s, strings.Join(names, ", "), more)
			}
		}
	}
	return userNotFound(idOrLogin)
}

// userNotFound is the advice for a user id or login that matched no one.
func userNotFound(idOrLogin string) string {
	s := strings.TrimSpace(idOrLogin)
	none := fmt.Sprintf("no user with id or login %q exists", idOrLogin)
	switch {
	case s != idOrLogin:
		return fmt.Sprintf("%s: the value has spaces around it, which no id or login has. Call again with %q.", none, s)
	case strings.HasPrefix(s, "00g") && !strings.Contains(s, " "):
		return none + ": it is a group id (00g...); user tools take a user id (00u...) or login."
	case looksLikeOktaID(s):
		return none + " (or it is not visible to these credentials). It is an Okta id, so searching for it finds nothing else: check that it was copied whole, or find the user by name or email with okta_list_users (e.g. search profile.lastName sw \"...\") and use its id."
	case strings.Contains(s, " "):
		fields := strings.Fields(s)
		search := fmt.Sprintf(`profile.firstName eq "%s" and profile.lastName eq "%s"`, fields[0], strings.Join(fields[1:], " "))
		if !quotable(s) {
			search = `profile.lastName sw "..."`
		}
		return fmt.Sprintf("%s: userId takes an Okta id (00u...) or a login, not a person's name. Find the user with okta_list_users, search %s, and use its id.", none, search)
	case strings.Contains(s, "@") && quotable(s):
		return fmt.Sprintf("%s (or it is not visible to these credentials). The login may differ from the email address: find the user with okta_list_users, search profile.email eq %q, and use its id.", none, s)
	case quotable(s):
		return fmt.Sprintf("%s, and no login starts with \"%s@\". Find the user with okta_list_users (e.g. search profile.login sw %q or profile.lastName sw \"...\") and use its id.", none, s, s)
	}
	return none + ". Find the user with okta_list_users (e.g. search profile.lastName sw \"...\") and use its id."
}

// groupNotFound is the advice for a group id that matched no group.
func groupNotFound(id string) string {
	s := strings.TrimSpace(id)
	none := fmt.Sprintf("no group with id %q exists", id)
	switch {
	case s != id:
		return fmt.Sprintf("%s: the value has spaces around it, which no group id has. Call again with %q.", none, s)
	case strings.HasPrefix(s, "00u") && !strings.Contains(s, " "):
		return none + ": it is a user id (00u...); group tools take the group id (00g...). Find it with okta_list_groups."
	case looksLikeOktaID(s):
		return none + ". It is an Okta id, so searching for it finds nothing else: check that it was copied whole, or find the group by name with okta_list_groups (e.g. search profile.name sw \"...\")."
	case strings.HasPrefix(s, "00g") && !strings.Contains(s, " "):
		return none + ": it is not a whole group id (those are 20 characters, 00g...). Check that it was copied whole, or find the group by name with okta_list_groups (e.g. search profile.name sw \"...\")."
	case quotable(s):
		return fmt.Sprintf("%s. Group tools take the group id (00g...), not its name: find it with okta_list_groups, search profile.name eq %q (or sw for a prefix), and use its id.", none, s)
	}
	return none + ". Group tools take the group id (00g...), not its name: find it with okta_list_groups."
}

// enumValueRe finds `attr op "value"` in a search or filter expression.
// (not profile.status: a custom attribute may have any values).
var enumValueRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(?:^|[\s(])(status|type)\s+(eq|ne|sw|co)\s+"([^"]*)"`)
}) // compiled on first use, not at start-up

// userStatuses and groupTypes are Okta's values, which are upper case and
// compared case-sensitively: "suspended" matches nothing.
var (
	userStatuses = []string{"STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "LOCKED_OUT", "PASSWORD_EXPIRED", "SUSPENDED", "DEPROVISIONED"}
	groupTypes   = []string{"OKTA_GROUP", "APP_GROUP", "BUILT_IN"}
)

// enumCaseProblem finds a status (users) or type (groups) value written in
// the wrong case, which Okta would silently match with nothing, and says
// which value was meant; "" when there is none.
func enumCaseProblem(expr, attr string, valid []string) string {
	for _, m := range enumValueRe().FindAllStringSubmatch(expr, -1) {
		if !strings.EqualFold(m[1], attr) {
			continue
		}
		v := m[3]
		up := strings.ToUpper(v)
		if v == up {
			continue
		}
		if slices.Contains(valid, up) {
			return fmt.Sprintf("%s values are upper case in Okta and compared exactly, so %s %s %q matches nothing: use %s %s %q", attr, m[1], m[2], v, m[1], m[2], up)
		}
	}
	return ""
}
