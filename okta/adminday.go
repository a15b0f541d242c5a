package okta

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The operations of an identity admin's day beyond users and groups: a
// user's groups, unlock, password expiry, sessions, MFA factors and the
// System Log.

// ListUserGroups lists the groups a user belongs to, Everyone included, one
// page at a time (listUserGroups: GET /api/v1/users/{id}/groups). The spec
// declares no query, but Okta pages it with limit (default 200) and after.
func (c *Client) ListUserGroups(ctx context.Context, idOrLogin string, p *ListParams) ([]Group, *Response, error) {
	q := url.Values{}
	if p != nil {
		setQuery(q, "after", p.After)
		if p.Limit > 0 {
			q.Set("limit", strconv.Itoa(p.Limit))
		}
	}
	var groups []Group
	resp, err := c.call(ctx, http.MethodGet, "/api/v1/users/{id}/groups", []string{idOrLogin}, q, nil, &groups)
	if err != nil {
		return nil, resp, err
	}
	return groups, resp, nil
}

// UnlockUser returns a LOCKED_OUT user to ACTIVE
// (unlockUser: POST /api/v1/users/{id}/lifecycle/unlock); a user who is not
// locked out gets 403 E0000032.
func (c *Client) UnlockUser(ctx context.Context, idOrLogin string) (*Response, error) {
	return c.call(ctx, http.MethodPost, "/api/v1/users/{id}/lifecycle/unlock", []string{idOrLogin}, nil, nil, nil)
}

// ExpirePassword makes the user change their password at the next sign-in;
// the user becomes PASSWORD_EXPIRED and is returned
// (expirePassword: POST /api/v1/users/{id}/lifecycle/expire_password).
func (c *Client) ExpirePassword(ctx context.Context, idOrLogin string) (*User, *Response, error) {
	var u User
	resp, err := c.call(ctx, http.MethodPost, "/api/v1/users/{id}/lifecycle/expire_password", []string{idOrLogin}, nil, nil, &u)
	if err != nil {
		return nil, resp, err
	}
	return &u, resp, nil
}

// TempPassword is the temporary password Okta sets when it expires a
// password with one. It hides itself from fmt, logs and JSON (okta.Secret).
type TempPassword struct {
	TempPassword Secret `json:"tempPassword"`
}

// ExpirePasswordWithTempPassword resets the user's password to a generated
// one, expires it and returns it; revokeSessions also ends the user's
// sessions (expirePasswordWithTempPassword: POST
// /api/v1/users/{id}/lifecycle/expire_password_with_temp_password).
func (c *Client) ExpirePasswordWithTempPassword(ctx context.Context, idOrLogin string, revokeSessions bool) (*TempPassword, *Response, error) {
	var t TempPassword
	resp, err := c.call(ctx, http.MethodPost, "/api/v1/users/{id}/lifecycle/expire_password_with_temp_password", []string{idOrLogin},
		url.Values{"revokeSessions": {strconv.FormatBool(revokeSessions)}}, nil, &t)
	if err != nil {
		return nil, resp, err
	}
	return &t, resp, nil
}

// ResetFactors unenrolls every MFA factor of the user, who then enrolls
// again at the next sign-in; the status does not change
// (resetFactors: POST /api/v1/users/{id}/lifecycle/reset_factors).
func (c *Client) ResetFactors(ctx context.Context, idOrLogin string) (*Response, error) {
	return c.call(ctx, http.MethodPost, "/api/v1/users/{id}/lifecycle/reset_factors", []string{idOrLogin}, nil, nil, nil)
}

// ClearUserSessions ends every Okta session of the user, and with
// oauthTokens also revokes the OAuth tokens issued to them
// (revokeUserSessions: DELETE /api/v1/users/{userId}/sessions); Okta
// answers 204 whether or not there were sessions. userID is an id.
func (c *Client) ClearUserSessions(ctx context.Context, userID string, oauthTokens bool) (*Response, error) {
	return c.call(ctx, http.MethodDelete, "/api/v1/users/{userId}/sessions", []string{userID},
		url.Values{"oauthTokens": {strconv.FormatBool(oauthTokens)}}, nil, nil)
}

// UserFactor is an enrolled MFA factor (the UserFactor schema). Profile
// holds Okta's type-specific profile, which may contain phone numbers and
// e-mail addresses in clear; Okta never returns secrets here.
type UserFactor struct {
	ID          string         `json:"id"`
	FactorType  string         `json:"factorType"`
	Provider    string         `json:"provider"`
	VendorName  string         `json:"vendorName,omitempty"`
	Status      string         `json:"status"`
	Created     *time.Time     `json:"created,omitempty"`
	LastUpdated *time.Time     `json:"lastUpdated,omitempty"`
	Profile     map[string]any `json:"profile,omitempty"`
}

// ListFactors lists the user's enrolled factors; not paged
// (listFactors: GET /api/v1/users/{userId}/factors). userID is an id.
func (c *Client) ListFactors(ctx context.Context, userID string) ([]UserFactor, *Response, error) {
	var fs []UserFactor
	resp, err := c.call(ctx, http.MethodGet, "/api/v1/users/{userId}/factors", []string{userID}, nil, nil, &fs)
	if err != nil {
		return nil, resp, err
	}
	return fs, resp, nil
}

// LogEvent is a System Log event (the LogEvent schema), with the parts an
// investigator reads.
type LogEvent struct {
	UUID                  string                    `json:"uuid"`
	Published             *time.Time                `json:"published,omitempty"`
	EventType             string                    `json:"eventType"`
	DisplayMessage        string                    `json:"displayMessage,omitempty"`
	Severity              string                    `json:"severity,omitempty"`
	Actor                 *LogActor                 `json:"actor,omitempty"`
	Client                *LogClient                `json:"client,omitempty"`
	Outcome               *LogOutcome               `json:"outcome,omitempty"`
	Target                []LogActor                `json:"target,omitempty"`
	Transaction           *LogTransaction           `json:"transaction,omitempty"`
	AuthenticationContext *LogAuthenticationContext `json:"authenticationContext,omitempty"`
}

// LogActor is who did something (actor) or what it was done to (target).
type LogActor struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	AlternateID string `json:"alternateId,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

// LogClient is where the request came from.
type LogClient struct {
	IPAddress           string                  `json:"ipAddress,omitempty"`
	Zone                string                  `json:"zone,omitempty"`
	Device              string                  `json:"device,omitempty"`
	ID                  string                  `json:"id,omitempty"`
	UserAgent           *LogUserAgent           `json:"userAgent,omitempty"`
	GeographicalContext *LogGeographicalContext `json:"geographicalContext,omitempty"`
}

// LogUserAgent is the client's user agent.
type LogUserAgent struct {
	RawUserAgent string `json:"rawUserAgent,omitempty"`
	OS           string `json:"os,omitempty"`
	Browser      string `json:"browser,omitempty"`
}

// LogGeographicalContext is where the client's IP address is.
type LogGeographicalContext struct {
	City       string `json:"city,omitempty"`
	State      string `json:"state,omitempty"`
	Country    string `json:"country,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
}

// LogOutcome is the result of the action (SUCCESS, FAILURE, ...) and why.
type LogOutcome struct {
	Result string `json:"result"`
	Reason string `json:"reason,omitempty"`
}

// LogTransaction ties events to one request (id is its X-Okta-Request-Id)
// or job.
type LogTransaction struct {
	ID   string `json:"id"`
	Type string `json:"type,omitempty"`
}

// LogAuthenticationContext carries the session the event belongs to.
type LogAuthenticationContext struct {
	ExternalSessionID string `json:"externalSessionId,omitempty"`
}

// ListLogEventsParams are the query parameters of ListLogEvents. Since and
// Until are ISO 8601 timestamps; Limit 0 means Okta's default (100).
type ListLogEventsParams struct {
	Since     string
	Until     string
	After     string
	Filter    string
	Q         string
	Limit     int
	SortOrder string // ASCENDING (Okta's default) or DESCENDING
}

// ListLogEvents reads the System Log, one page at a time
// (listLogEvents: GET /api/v1/logs). Response.NextCursor is the after of the
// next page; a polling query (no Until, ascending) always has one.
func (c *Client) ListLogEvents(ctx context.Context, p *ListLogEventsParams) ([]LogEvent, *Response, error) {
	q := url.Values{}
	if p != nil {
		setQuery(q, "since", p.Since)
		setQuery(q, "until", p.Until)
		setQuery(q, "after", p.After)
		setQuery(q, "filter", p.Filter)
		setQuery(q, "q", p.Q)
		setQuery(q, "sortOrder", p.SortOrder)
		if p.Limit > 0 {
			q.Set("limit", strconv.Itoa(p.Limit))
		}
	}
	var evs []LogEvent
	resp, err := c.call(ctx, http.MethodGet, "/api/v1/logs", nil, q, nil, &evs)
	if err != nil {
		return nil, resp, err
	}
	return evs, resp, nil
}
