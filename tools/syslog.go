package tools

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/schema"
)

type systemLogInput struct {
	Since     string   `json:"since,omitempty" jsonschema:"minLength=1" jsonschema_description:"Earliest event time: an ISO 8601 timestamp (2026-03-04T09:00:00Z) or a duration before now (30m, 24h, 7d). Default: 7 days before until. Okta keeps 90 days."`
	Until     string   `json:"until,omitempty" jsonschema:"minLength=1" jsonschema_description:"Latest event time (exclusive): an ISO 8601 timestamp or a duration before now. Default: now."`
	Filter    string   `json:"filter,omitempty" jsonschema:"minLength=1" jsonschema_description:"Okta System Log filter (SCIM): eq, ne, sw, co, ew, pr, gt/ge/lt/le with and, or and parentheses, string values in double quotes. Fields include eventType, target.id, actor.id, actor.alternateId, outcome.result, outcome.reason, client.ipAddress. Examples: target.id eq \"00u1ab...\"; eventType eq \"user.session.start\" and outcome.result eq \"FAILURE\"; eventType sw \"user.lifecycle\"."`
	Q         string   `json:"q,omitempty" jsonschema:"minLength=1" jsonschema_description:"Keywords (space separated, up to 10, each up to 40 characters); every keyword must match an event field exactly, ignoring case (e.g. a login, a last name, an IP address)."`
	Limit     *float64 `json:"limit,omitempty" jsonschema:"minimum=1,maximum=1000,multipleOf=1,default=50" jsonschema_description:"Maximum number of events to return in this call (whole number, 1 to 1000; default 50). Use after/nextCursor for more."`
	After     string   `json:"after,omitempty" jsonschema:"minLength=1" jsonschema_description:"Paging cursor: the nextCursor of a previous call; pass the same until, filter, q and sortOrder with it (since is carried by the cursor)."`
	SortOrder string   `json:"sortOrder,omitempty" jsonschema:"enum=DESCENDING,enum=ASCENDING,default=DESCENDING" jsonschema_description:"DESCENDING (default: newest first) or ASCENDING (oldest first), by event time."`
	fieldsInput
}

type logEntity struct {
	ID          string  `json:"id" jsonschema_description:"Id of the user, group, app or client"`
	Type        string  `json:"type" jsonschema_description:"Type: User, UserGroup, AppInstance, AuthenticatorEnrollment, PublicClientApp, ..."`
	AlternateID *string `json:"alternateId" jsonschema_description:"Alternate id, e.g. the user's login"`
	DisplayName *string `json:"displayName" jsonschema_description:"Display name"`
}

type logClientOut struct {
	IPAddress *string `json:"ipAddress" jsonschema_description:"Client IP address"`
	City      *string `json:"city" jsonschema_description:"City of the IP address"`
	State     *string `json:"state" jsonschema_description:"State or region of the IP address"`
	Country   *string `json:"country" jsonschema_description:"Country of the IP address"`
}

type logOutcomeOut struct {
	Result string  `json:"result" jsonschema_description:"SUCCESS, FAILURE, SKIPPED, ALLOW, DENY, CHALLENGE, UNKNOWN, ..."`
	Reason *string `json:"reason" jsonschema_description:"Why, when Okta says (e.g. INVALID_CREDENTIALS)"`
}

// logEventOut is Okta's LogEvent trimmed to what an investigator reads.
type logEventOut struct {
	Time           *string       `json:"time" jsonschema:"format=date-time" jsonschema_description:"When the event happened (published)"`
	EventType      string        `json:"eventType" jsonschema_description:"Okta event type, e.g. user.session.start, user.account.lock, user.lifecycle.deactivate, group.user_membership.add"`
	DisplayMessage *string       `json:"displayMessage" jsonschema_description:"Human-readable description"`
	Outcome        logOutcomeOut `json:"outcome" jsonschema_description:"Result of the action"`
	Actor          *logEntity    `json:"actor" jsonschema_description:"Who did it"`
	Targets        []logEntity   `json:"targets" jsonschema_description:"What it was done to (select by type, not position)"`
	Client         logClientOut  `json:"client" jsonschema_description:"Where the request came from"`
	TransactionID  *string       `json:"transactionId" jsonschema_description:"The request's id (Okta's X-Okta-Request-Id): ties the events of one request together"`
}

type systemLogOutput struct {
	Events     []logEventOut `json:"events" jsonschema_description:"The events of this page, in sortOrder"`
	Count      int           `json:"count" jsonschema:"type=number" jsonschema_description:"Number of events returned in this call"`
	NextCursor *string       `json:"nextCursor" jsonschema_description:"Pass as after (with the same until, filter, q, sortOrder) to get the next events; null when there are no more"`
	Since      *string       `json:"since" jsonschema_description:"The lower time bound asked of Okta (null: Okta's default, 7 days before until)"`
	Until      string        `json:"until" jsonschema_description:"The upper time bound asked of Okta"`
	Success    bool          `json:"success" jsonschema_description:"Whether the operation succeeded"`
}

// GetSystemLog is okta_get_system_log.
func GetSystemLog(d *Deps) (mcp.Tool, server.ToolHandlerFunc) {
	return define(d, spec[systemLogInput]{
		name:        "okta_get_system_log",
		title:       "Get System Log events",
		description: "Read the Okta System Log: who did what, when, from where, with what outcome (sign-ins and failed sign-ins, lockouts, MFA, admin changes to users and groups). Narrow it with since/until, a filter (e.g. target.id eq \"00u...\" for everything that happened to a user) and q keywords. Newest first by default; when nextCursor is not null, call again with after=nextCursor and the same other arguments.",
		readOnly:    true,
		idempotent:  true,
		output:      schema.Output[systemLogOutput](),
	}, func(ctx context.Context, c *call, in systemLogInput) *mcp.CallToolResult {
		now := time.Now().UTC()
		until, err := logTime(in.Until, now)
		if err != nil {
			c.outcome = "invalid_arguments"
			return errorResult("okta_get_system_log: invalid arguments: until: " + err.Error() + ". Nothing was sent to Okta.")
		}
		if in.Until == "" {
			until = now
		}
		var since string
		if in.Since != "" {
			t, err := logTime(in.Since, now)
			if err != nil {
				c.outcome = "invalid_arguments"
				return errorResult("okta_get_system_log: invalid arguments: since: " + err.Error() + ". Nothing was sent to Okta.")
			}
			if !t.Before(until) {
				c.outcome = "invalid_arguments"
				return errorResult(fmt.Sprintf("okta_get_system_log: invalid arguments: since (%s) must be before until (%s). Nothing was sent to Okta.", t.Format(time.RFC3339), until.Format(time.RFC3339)))
			}
			since = t.Format(time.RFC3339Nano)
		}
		order := in.SortOrder
		if order == "" {
			order = "DESCENDING"
		}
		p := okta.ListLogEventsParams{Since: since, Until: until.Format(time.RFC3339Nano), Filter: in.Filter, Q: in.Q, SortOrder: order}
		evs, next, resp, err := collect(ctx, c, limitOr(in.Limit, 50), in.After, "events", func(after string, n int) ([]okta.LogEvent, *okta.Response, error) {
			p.After, p.Limit = after, n
			// Okta refuses since with after: the cursor carries the bounds.
			p.Since = since
			if after != "" {
				p.Since = ""
			}
			return c.client.ListLogEvents(ctx, &p)
		})
		if err != nil {
			f := failure{action: "read the System Log"}
			if oe, ok := okta.AsError(err); ok {
				f.hint = logHint(oe)
			}
			return c.fail(ctx, err, resp, f)
		}
		out := systemLogOutput{Events: make([]logEventOut, len(evs)), Count: len(evs), NextCursor: cursorPtr(next), Since: strPtr(since), Until: p.Until, Success: true}
		for i := range evs {
			out.Events[i] = describeLogEvent(&evs[i])
		}
		return c.ok(out)
	})
}

// logTime reads an ISO 8601 timestamp or a duration before now ("30m",
// "24h", "7d").
func logTime(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return now, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if days, err := strconv.Atoi(n); err == nil && days >= 0 && days <= 180 {
			return now.Add(-time.Duration(days) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither an ISO 8601 timestamp (e.g. 2026-03-04T09:00:00Z) nor a duration before now (e.g. 30m, 24h, 7d)", s)
}

func logHint(oe *okta.Error) string {
	switch {
	case oe.StatusCode == http.StatusForbidden && oe.ErrorCode == "E0000006":
		return "the credentials may not read the System Log: the API token's admin needs a role that can view it (e.g. Read-only Admin, Report Admin or Super Admin), or the OAuth service app needs the okta.logs.read scope granted and requested (add it to OKTA_SCOPES)."
	case oe.ErrorCode == "E0000053" || oe.ErrorCode == "E0000031":
		return `check the filter: fields such as eventType, target.id, actor.id, actor.alternateId, outcome.result, client.ipAddress; operators eq, ne, sw, co, ew, pr, gt/ge/lt/le; and/or; string values in double quotes, e.g. eventType eq "user.session.start" and outcome.result eq "FAILURE". published cannot be filtered: use since and until. Times more than 180 days back are refused.`
	case oe.ErrorCode == "E0000001":
		return "check since, until (ISO 8601 or a duration such as 24h), q (at most 10 keywords of 40 characters) and after (a nextCursor of a previous call)."
	}
	return ""
}

func describeLogEvent(e *okta.LogEvent) logEventOut {
	out := logEventOut{
		Time:           timestamp(e.Published),
		EventType:      e.EventType,
		DisplayMessage: strPtr(e.DisplayMessage),
		Targets:        make([]logEntity, len(e.Target)),
	}
	if e.Outcome != nil {
		out.Outcome = logOutcomeOut{Result: e.Outcome.Result, Reason: strPtr(e.Outcome.Reason)}
	}
	if e.Actor != nil {
		a := entity(*e.Actor)
		out.Actor = &a
	}
	for i, t := range e.Target {
		out.Targets[i] = entity(t)
	}
	if cl := e.Client; cl != nil {
		out.Client.IPAddress = strPtr(cl.IPAddress)
		if g := cl.GeographicalContext; g != nil {
			out.Client.City, out.Client.State, out.Client.Country = strPtr(g.City), strPtr(g.State), strPtr(g.Country)
		}
	}
	if e.Transaction != nil {
		out.TransactionID = strPtr(e.Transaction.ID)
	}
	return out
}

func entity(a okta.LogActor) logEntity {
	return logEntity{ID: a.ID, Type: a.Type, AlternateID: strPtr(a.AlternateID), DisplayName: strPtr(a.DisplayName)}
}
