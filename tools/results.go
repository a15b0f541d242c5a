package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/okta-mcp/okta-mcp/okta"
)

// errorResult is a tool error (isError) with a message for the model.
func errorResult(msg string) *mcp.CallToolResult {
	return mcp.NewToolResultError(msg)
}

// ok returns v as structuredContent and as JSON text, and records success.
func (c *call) ok(v any) *mcp.CallToolResult {
	c.outcome = "ok"
	var b []byte
	var err error
	if len(c.fields) > 0 && c.shape != nil {
		var raw json.RawMessage
		raw, err = selectFields(v, c.shape, c.fields)
		b, v = raw, raw
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		// v is one of our own output structs; this cannot happen.
		c.outcome = "internal_error"
		return errorResult(fmt.Sprintf("%s: encoding the result failed: %v", c.tool, err))
	}
	res := mcp.NewToolResultStructured(v, string(b))
	// mcp-go writes RawStructuredContent as structuredContent when set, so
	// the result is marshalled once, not once more for the wire; in-process
	// callers still find the object in StructuredContent.
	res.RawStructuredContent = b
	return res
}

// noteResponse remembers the Okta request id of resp for the audit line.
func (c *call) noteResponse(resp *okta.Response) {
	if resp != nil && resp.RequestID != "" {
		c.reqID = resp.RequestID
	}
}

// failure describes a failed Okta call to the model.
type failure struct {
	action string // what was attempted, e.g. "suspend user jane@example.com"
	hint   string // what to do next; computed by the tool when it knows better
	// create marks creations: when their outcome is unknown, lookup says
	// how to check whether the object exists.
	create bool
	lookup string
	// notFound is the advice for a 404.
	notFound string
}

// fail turns an error from the okta client into a tool error that says what
// happened and what to do next. Okta errors carry their code, summary,
// causes, HTTP status and request id.
func (c *call) fail(ctx context.Context, err error, resp *okta.Response, f failure) *mcp.CallToolResult {
	c.noteResponse(resp)
	var b strings.Builder
	var rl *okta.RateLimitError
	oe, isOkta := okta.AsError(err)
	if isOkta && oe.RequestID != "" {
		c.reqID = oe.RequestID
	}
	switch {
	case errors.As(err, &rl) || (isOkta && oe.StatusCode == http.StatusTooManyRequests):
		c.outcome = "E0000047"
		fmt.Fprintf(&b, "%s failed: Okta rate-limited the request to %s", c.tool, f.action)
		if rl != nil && rl.Err == nil {
			b.WriteString(" (the client held it back without sending it: the limit was already exhausted)")
		}
		b.WriteString(".\n")
		if isOkta {
			writeOktaError(&b, oe, c.reqID)
		}
		reset, ok := okta.RateLimitReset(err)
		if !ok && resp != nil {
			reset, ok = resp.RateLimit.Reset, !resp.RateLimit.Reset.IsZero()
		}
		if ok {
			fmt.Fprintf(&b, "What to do: retry after %s UTC, when Okta's rate limit for this endpoint resets. Do not retry in a loop before then.", reset.UTC().Format("15:04:05"))
		} else {
			b.WriteString("What to do: wait a minute before retrying; do not retry in a loop.")
		}
	case okta.IsOutcomeUnknown(err):
		c.outcome = "outcome_unknown"
		fmt.Fprintf(&b, "%s: the outcome is unknown: the request to %s may have reached Okta, but no usable answer came back (%s).\n", c.tool, f.action, unknownCause(err))
		if f.create {
			b.WriteString("What to do: do not simply retry, or it may be created twice. " + f.lookup + " first; create it only if it does not exist.")
		} else {
			b.WriteString("What to do: read the current state (okta_get_user / okta_get_group) to see whether the change took effect before retrying.")
		}
	case isOkta:
		c.outcome = oe.ErrorCode
		if c.outcome == "" {
			c.outcome = fmt.Sprintf("http_%d", oe.StatusCode)
		}
		fmt.Fprintf(&b, "%s failed: Okta could not %s.\n", c.tool, f.action)
		writeOktaError(&b, oe, c.reqID)
		hint := f.hint
		if hint == "" {
			hint = c.genericHint(oe, f)
		}
		if hint != "" {
			fmt.Fprintf(&b, "What to do: %s", hint)
		}
	case errors.Is(err, okta.ErrInvalidPathSegment):
		c.outcome = "invalid_arguments"
		fmt.Fprintf(&b, "%s: %s. Nothing was sent to Okta.", c.tool, strings.TrimPrefix(err.Error(), "okta: "))
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		c.outcome = "cancelled"
		fmt.Fprintf(&b, "%s stopped: the call was cancelled (or its deadline passed) before Okta answered the request to %s.", c.tool, f.action)
		if c.write {
			b.WriteString(" The change may or may not have been made; check the current state before retrying.")
		}
	case errors.Is(err, okta.ErrSignInRequired):
		c.outcome = "signin_required"
		if msg, ok := c.offerSignIn(ctx); ok {
			fmt.Fprintf(&b, "%s failed: nobody was signed in to Okta, so nothing was sent to Okta. %s", c.tool, msg)
			break
		} else if msg != "" {
			fmt.Fprintf(&b, "%s failed: %s. Nothing was sent to Okta. %s\nWhat to do: the human can also run `okta-mcp login` in a terminal; retry after they have signed in.", c.tool, strings.TrimPrefix(err.Error(), "okta: "), msg)
			break
		}
		fmt.Fprintf(&b, "%s failed: %s. Nothing was sent to Okta.\nWhat to do: ask the human to run `okta-mcp login` in a terminal (or `okta-mcp login --device` where no browser can open), with the same OKTA_ORG_URL and OKTA_CLIENT_ID as this server, then retry. Do not retry before they have signed in.", c.tool, strings.TrimPrefix(err.Error(), "okta: "))
	case errors.Is(err, okta.ErrDPoPRequired):
		c.outcome = "credentials_error"
		fmt.Fprintf(&b, "%s failed: %s", c.tool, strings.TrimPrefix(err.Error(), "okta: "))
	default:
		var oauth *okta.OAuthError
		if errors.As(err, &oauth) {
			c.outcome = "credentials_error"
			fmt.Fprintf(&b, "%s failed: the OAuth service app could not get an access token: %v.\nWhat to do: %s", c.tool, err, c.credentialHint("check the service app's client id, key and granted scopes."))
			break
		}
		c.outcome = "transport_error"
		fmt.Fprintf(&b, "%s failed: the request to %s did not complete: %v.\n", c.tool, f.action, err)
		if c.write {
			b.WriteString("What to do: the change may or may not have been made; read the current state before retrying.")
		} else {
			b.WriteString("What to do: Okta could not be reached or did not answer in time; retry in a little while.")
		}
	}
	return errorResult(strings.TrimSpace(b.String()))
}

func writeOktaError(b *strings.Builder, oe *okta.Error, reqID string) {
	fmt.Fprintf(b, "Okta error: %s (HTTP %d %s): %s\n", orDash(oe.ErrorCode), oe.StatusCode, http.StatusText(oe.StatusCode), oe.ErrorSummary)
	for _, cause := range oe.ErrorCauses {
		if cause.ErrorSummary != "" {
			fmt.Fprintf(b, "Cause: %s\n", cause.ErrorSummary)
		}
	}
	if reqID != "" {
		fmt.Fprintf(b, "Okta request id: %s\n", reqID)
	}
}

func unknownCause(err error) string {
	var ou *okta.OutcomeUnknownError
	if errors.As(err, &ou) && ou.Err != nil {
		return strings.TrimPrefix(ou.Err.Error(), "okta: ")
	}
	return "no answer"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// genericHint is the advice for errors a tool did not handle itself.
func (c *call) genericHint(oe *okta.Error, f failure) string {
	switch {
	case oe.StatusCode == http.StatusNotFound:
		if f.notFound != "" {
			return f.notFound
		}
		return "the object does not exist (or is not visible to these credentials)."
	case oe.StatusCode == http.StatusUnauthorized:
		return c.credentialHint("the Okta credentials were rejected (invalid, expired or revoked API token, or an OAuth token that is not valid for this org).")
	case oe.ErrorCode == "E0000005":
		return c.credentialHint("Okta did not accept the Authorization header (invalid session).")
	case oe.StatusCode == http.StatusForbidden && oe.MissingScope != "":
		if strings.HasPrefix(c.creds, "server user:") || c.creds == "server user" {
			return fmt.Sprintf("the signed-in admin's access token lacks the OAuth scope %s. Ask the human to sign in again with it: run `okta-mcp login` with %s in OKTA_SCOPES (and without --read-only); the scope must also be granted to the app (its Okta API Scopes tab).", oe.MissingScope, oe.MissingScope)
		}
		return c.credentialHint(fmt.Sprintf("the OAuth access token lacks the scope %s: grant it to the app (its Okta API Scopes tab) and request it (OKTA_SCOPES).", oe.MissingScope))
	case oe.StatusCode == http.StatusForbidden && oe.ErrorCode == "E0000006" && (strings.HasPrefix(c.creds, "server user:") || c.creds == "server user"):
		return "the signed-in admin's Okta admin role does not allow this (the token has the scope, the role does not cover it): an admin with a role that covers it (e.g. Super Admin, Org Admin, or Group Admin for these groups) must do it, or grant that role."
	case oe.StatusCode == http.StatusForbidden && oe.ErrorCode == "E0000006":
		return "the credentials are valid but not allowed to do this: the admin who owns the API token needs a role that covers it (e.g. Super Admin, Org Admin, or Group Admin for these groups), or the OAuth service app needs the okta.users.manage / okta.groups.manage scope (okta.users.read / okta.groups.read for reads)."
	case oe.ErrorCode == "E0000031" || oe.ErrorCode == "E0000033" || oe.ErrorCode == "E0000094" || oe.ErrorCode == "E0000029":
		return searchSyntaxHint
	case oe.StatusCode >= 500:
		if c.write {
			return "Okta had an internal error; the change may or may not have been made. Read the current state before retrying."
		}
		return "Okta had an internal error; retry in a little while."
	}
	return ""
}

const searchSyntaxHint = `check the expression. Users: search supports eq, sw, co (co only on profile.firstName/lastName/email/login), gt/ge/lt/le, and/or, e.g. profile.department eq "Sales" or profile.email co "example.com"; filter supports only eq on status, id, profile.login, profile.email, profile.firstName, profile.lastName (and gt/ge/lt/le on lastUpdated), e.g. status eq "ACTIVE". Groups: search supports eq, sw, co on profile.name/description and type; filter only id, type, lastUpdated, lastMembershipUpdated. String values go in double quotes. Use search or filter, not both.`

func (c *call) credentialHint(what string) string {
	switch {
	case strings.HasPrefix(c.creds, "per-call"):
		return what + " Check the apiKey (an Okta API token created under Security > API > Tokens) and that domain is the org it belongs to."
	case strings.HasPrefix(c.creds, "header"):
		return what + " Check the X-Okta-API-Token and X-Okta-Org-URL headers of this connection."
	case strings.HasPrefix(c.creds, "server user"):
		return what + " The server acts as a signed-in admin: ask the human to run `okta-mcp login` again."
	default:
		return what + " The server's own credentials need attention (OKTA_API_TOKEN or the OAuth service app); tell the operator."
	}
}

// timestamp renders an Okta time the way Okta does, or nil.
func timestamp(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := t.UTC().Format("2006-01-02T15:04:05.000Z")
	return &s
}
