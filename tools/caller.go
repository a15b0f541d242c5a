package tools

import "context"

// Caller is the person a remote MCP request acts for, authenticated by an
// OAuth access token (see package mcpauth). With a Caller in the context,
// tools/list shows only the tools the caller may use, write tools refuse
// callers without the manage scope, audit lines name the caller,
// confirmation questions say for whom the agent acts, and a confirmation is
// bound to the caller who was asked.
type Caller struct {
	// Subject is the access token's sub claim (on Okta, the user's login).
	Subject string
	// UserID is the token's uid claim (the Okta user id), if any.
	UserID string
	// ClientID is the OAuth client the person used (cid), if known.
	ClientID string
	// Manage is true when the token allows every tool; false limits the
	// caller to the read-only tools.
	Manage bool
}

// String names the caller in messages: the subject, and the user id when
// there is one.
func (c Caller) String() string {
	if c.UserID != "" && c.UserID != c.Subject {
		return c.Subject + " (" + c.UserID + ")"
	}
	return c.Subject
}

type callerKey struct{}

// WithCaller returns ctx carrying the authenticated caller of a request.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller of the request, if it was authenticated as
// a person.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}
