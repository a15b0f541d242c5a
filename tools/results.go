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

// unchanged is ok for an idempotent write that found its goal already true
// and sent nothing: the audit line says so.
func (c *call) unchanged(v any) *mcp.CallToolResult {
	res := c.ok(v)
	if c.outcome == "ok" {
		c.outcome = "unchanged"
	}
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
			getter := "okta_get_user"
			if ts := c.d.toolsetOf[c.tool]; ts == ToolsetGroups {
				getter = "okta_get_group"
			} else if ts == ToolsetMembers {
				getter = "okta_list_group_members"
			}
			b.WriteString("What to do: read the current state (" + getter + ") to see whether the change took effect before retrying.")
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
		if ne, ok := okta.AsNetworkError(err); ok {
			c.networkFailure(&b, ne, f)
			break
		}
		if errors.Is(err, okta.ErrUnexpectedAnswer) {
			c.outcome = "unexpected_answer"
			fmt.Fprintf(&b, "%s failed: the answer to the request to %s was not what Okta sends: %s.\n", c.tool, f.action, strings.TrimPrefix(err.Error(), "okta: "))
			if c.write {
				b.WriteString("The change may have been made: read the current state before anything else.\n")
			}
			b.WriteString("What to do: " + c.orgURLHint("the org URL may point at something that is not an Okta org, or a proxy answers in its place.") + " Retrying will not help.")
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

// networkFailure explains a request that got no answer, by its cause. Only
// transient causes are worth retrying; configuration problems say who can fix
// them.
func (c *call) networkFailure(b *strings.Builder, ne *okta.NetworkError, f failure) {
	c.outcome = "network_error"
	host := ne.Host
	var what, todo string
	switch ne.Failure {
	case okta.NetHostNotFound:
		c.outcome = "host_not_found"
		what = fmt.Sprintf("the org host %s does not resolve (no such host)", host)
		todo = c.orgURLHint("the org URL is probably wrong (a typo, or an org that no longer exists).") + " Retrying will not help."
	case okta.NetTLSToPlainHTTP:
		c.outcome = "tls_mismatch"
		what = fmt.Sprintf("%s answered an https:// request in plain HTTP", host)
		todo = "a real Okta org always speaks HTTPS, so the org URL probably names something else. If it is a local fake, this org URL needs http:// and --allow-http (OKTA_MCP_ALLOW_HTTP), the operator's setting for local fakes only. " +
			c.orgURLHint("") + " Retrying will not help."
	case okta.NetPlainHTTPToTLS:
		c.outcome = "tls_mismatch"
		what = fmt.Sprintf("%s speaks HTTPS, but the org URL says http://", host)
		todo = c.orgURLHint("use https:// in the org URL (http:// with --allow-http is only for local fakes that speak plain HTTP).") + " Retrying will not help."
	case okta.NetCertificate:
		c.outcome = "tls_certificate"
		what = fmt.Sprintf("the TLS certificate of %s is not trusted (%v)", host, ne.Err)
		todo = "the org URL may be wrong, or something between okta-mcp and Okta intercepts TLS: tell the operator. Retrying will not help."
	case okta.NetRefused:
		what = fmt.Sprintf("nothing accepted the connection at %s", host)
		todo = c.orgURLHint("check the org URL (host and port).") + " If it is right, the server is down or unreachable from okta-mcp: retry later, and tell the operator if it persists."
	case okta.NetTimeout:
		what = fmt.Sprintf("%s did not answer in time (%v)", host, ne.Err)
		todo = "retry later; if it keeps happening, tell the operator (the network between okta-mcp and Okta)."
	default:
		what = fmt.Sprintf("the connection to %s failed (%v)", host, ne.Err)
		todo = "retry later."
	}
	fmt.Fprintf(b, "%s failed: could not %s: %s.\n", c.tool, f.action, what)
	if c.write {
		if !ne.Failure.Transient() || ne.Failure == okta.NetRefused {
			b.WriteString("Nothing was changed: the request never reached Okta.\n")
		} else {
			b.WriteString("The change may or may not have been made: read the current state before retrying.\n")
		}
	}
	b.WriteString("What to do: " + todo)
}

// orgURLHint says where the org URL of this call came from, and so who can
// correct it.
func (c *call) orgURLHint(what string) string {
	if what != "" {
		what += " "
	}
	switch {
	case strings.HasPrefix(c.creds, "per-call"):
		return what + "Check the domain argument (e.g. dev-123456.okta.com)."
	case strings.HasPrefix(c.creds, "header"):
		return what + "Check the X-Okta-Org-URL header of this connection."
	default:
		return what + "The org URL (OKTA_ORG_URL) is the operator's setting: tell the operator."
	}
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
		return c.permissionHint()
	case oe.ErrorCode == "E0000029":
		return "the after cursor is not one Okta issued for this listing: pass the nextCursor of the previous call unchanged (with the same search or filter), or omit after to start from the first page."
	case oe.ErrorCode == "E0000031" || oe.ErrorCode == "E0000033" || oe.ErrorCode == "E0000094":
		return searchSyntaxHint(c.tool)
	case oe.StatusCode >= 500:
		if c.write {
			return "Okta had an internal error; the change may or may not have been made. Read the current state before retrying."
		}
		return "Okta had an internal error; retry in a little while."
	}
	return ""
}

// searchSyntaxHint is the syntax advice for the listing the tool does
// (users or groups), not both.
func searchSyntaxHint(tool string) string {
	const common = ` String values go in double quotes. Use search or filter, not both.`
	if tool == "okta_list_groups" {
		return `check the expression. Groups: search supports eq, sw, co on profile.name/description and type, e.g. profile.name sw "Eng"; filter only id, type, lastUpdated, lastMembershipUpdated, e.g. type eq "OKTA_GROUP".` + common
	}
	return `check the expression. Users: search supports eq, sw, co (co only on profile.firstName/lastName/email/login), gt/ge/lt/le, and/or, e.g. profile.department eq "Sales" or profile.email co "example.com"; filter supports only eq on status, id, profile.login, profile.email, profile.firstName, profile.lastName (and gt/ge/lt/le on lastUpdated), e.g. status eq "ACTIVE".` + common
}

// permissionHint explains a 403 E0000006 for this call only: the scope this
// tool needs, and the role or grant for the kind of credentials it used.
func (c *call) permissionHint() string {
	scope := "okta.users"
	switch c.d.toolsetOf[c.tool] {
	case ToolsetGroups, ToolsetMembers:
		scope = "okta.groups"
	}
	if c.write {
		scope += ".manage"
	} else {
		scope += ".read"
	}
	what := "the credentials are valid but not allowed to do this: "
	switch {
	case strings.Contains(c.creds, "oauth"):
		what += "the OAuth service app needs the " + scope + " scope granted (Admin Console > Applications > the app > Okta API Scopes) and an admin role that covers it."
	case strings.HasPrefix(c.creds, "server"):
		what += "the API token acts with the role of the admin who created it, and that role does not cover this (" + scope + "; e.g. Org Admin, or Group Admin for these groups). The server's token is the operator's setting: tell the operator."
	default:
		what += "the API token acts with the role of the admin who created it, and that role does not cover this (" + scope + "; e.g. Org Admin, or Group Admin for these groups)."
	}
	return what
}

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
