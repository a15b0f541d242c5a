package okta

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Error is a non-2xx answer from Okta. Use errors.As (or AsError) to get it
// from any error a Client returns; RateLimitError and OutcomeUnknownError
// wrap it when they carry an answer.
type Error struct {
	StatusCode   int          // HTTP status
	ErrorCode    string       // errorCode, e.g. "E0000007"; the only field meant for flow control
	ErrorSummary string       // errorSummary, or the HTTP status text when the body had none
	ErrorLink    string       // errorLink (currently the same as ErrorCode)
	ErrorID      string       // errorId
	ErrorCauses  []ErrorCause // errorCauses
	RequestID    string       // X-Okta-Request-Id of the answer
	Method       string       // the request's method
	Path         string       // the operation's path template, e.g. /api/v1/users/{id}
	// MissingScope is the OAuth scope the request needed and the access
	// token lacked (a 403 with WWW-Authenticate: Bearer
	// error="insufficient_scope", scope="..."); "" otherwise.
	MissingScope string
}

// ErrorCause is one entry of errorCauses.
type ErrorCause struct {
	ErrorSummary string `json:"errorSummary"`
}

// errorBody is Okta's error JSON.
type errorBody struct {
	ErrorCode    string       `json:"errorCode"`
	ErrorSummary string       `json:"errorSummary"`
	ErrorLink    string       `json:"errorLink"`
	ErrorID      string       `json:"errorId"`
	ErrorCauses  []ErrorCause `json:"errorCauses"`
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "okta: %d", e.StatusCode)
	if e.ErrorCode != "" {
		fmt.Fprintf(&b, " %s", e.ErrorCode)
	}
	if e.ErrorSummary != "" {
		fmt.Fprintf(&b, ": %s", e.ErrorSummary)
	}
	for _, c := range e.ErrorCauses {
		if c.ErrorSummary != "" {
			fmt.Fprintf(&b, "; %s", c.ErrorSummary)
		}
	}
	if e.MissingScope != "" {
		fmt.Fprintf(&b, "; the access token lacks the scope %s", e.MissingScope)
	}
	var ctx []string
	if e.Method != "" || e.Path != "" {
		ctx = append(ctx, strings.TrimSpace(e.Method+" "+e.Path))
	}
	if e.RequestID != "" {
		ctx = append(ctx, "request id "+e.RequestID)
	}
	if len(ctx) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(ctx, ", "))
	}
	return b.String()
}

// newError builds an *Error from an answer. Bodies that are not Okta's error
// JSON (a proxy's HTML page, say) are not copied into the error: only the
// HTTP status text is used.
//
// secrets are the request's secrets: they are removed from every field (the
// raw body was scrubbed already; this catches forms escaped once more, such
// as a request body quoted inside an error message).
func newError(status int, h http.Header, body []byte, method, path string, secrets ...string) *Error {
	e := &Error{
		StatusCode: status,
		RequestID:  h.Get("X-Okta-Request-Id"),
		Method:     method,
		Path:       path,
	}
	var wb errorBody
	if json.Unmarshal(body, &wb) == nil {
		e.ErrorCode = OneLine(wb.ErrorCode, 64)
		e.ErrorSummary = OneLine(wb.ErrorSummary, 1024)
		e.ErrorLink = OneLine(wb.ErrorLink, 256)
		e.ErrorID = OneLine(wb.ErrorID, 128)
		for _, c := range wb.ErrorCauses {
			e.ErrorCauses = append(e.ErrorCauses, ErrorCause{ErrorSummary: OneLine(c.ErrorSummary, 1024)})
		}
	}
	if status == http.StatusForbidden {
		e.MissingScope = insufficientScope(h.Values("Www-Authenticate"))
	}
	if e.ErrorSummary == "" {
		e.ErrorSummary = http.StatusText(status)
		if len(body) > 0 && e.ErrorCode == "" {
			e.ErrorSummary += " (the answer was not Okta's error JSON)"
		}
	}
	if len(secrets) > 0 {
		sc := func(s string) string { return string(scrubSecrets([]byte(s), secrets)) }
		e.ErrorCode, e.ErrorSummary, e.ErrorLink, e.ErrorID = sc(e.ErrorCode), sc(e.ErrorSummary), sc(e.ErrorLink), sc(e.ErrorID)
		for i := range e.ErrorCauses {
			e.ErrorCauses[i].ErrorSummary = sc(e.ErrorCauses[i].ErrorSummary)
		}
	}
	return e
}

// OneLine trims s, replaces control characters with spaces and cuts it to
// at most n bytes (on a character boundary, marked with "…"), so that text
// from a server (an error body, a description) cannot forge log lines or
// grow a message without bound.
func OneLine(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.TrimSpace(s))
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// AsError returns err as an *Error, if it is or wraps one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

func hasStatus(err error, status int) bool {
	e, ok := AsError(err)
	return ok && e.StatusCode == status
}

// IsNotFound reports whether err is Okta's 404 (E0000007: unknown user or
// group id; E0000008: unknown path).
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsUnauthorized reports whether err is a 401 (E0000011: invalid token).
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

// IsForbidden reports whether err is a 403 (E0000005 invalid session,
// E0000006 missing permission, E0000016 already active, ...).
func IsForbidden(err error) bool { return hasStatus(err, http.StatusForbidden) }

// IsBadRequest reports whether err is a 400 (E0000001 validation failed, ...).
func IsBadRequest(err error) bool { return hasStatus(err, http.StatusBadRequest) }

// HasErrorCode reports whether err is an Okta error with the given errorCode,
// e.g. HasErrorCode(err, "E0000001").
func HasErrorCode(err error, code string) bool {
	e, ok := AsError(err)
	return ok && e.ErrorCode == code
}

// RateLimitError means the client gave up on a rate-limited request: Okta
// kept answering 429 after Config.MaxRetries retries, or the wait until the
// limit resets would exceed Config.MaxWait or the context's deadline, or the
// client held the request back because the bucket was exhausted (Err is nil
// then: nothing was sent).
type RateLimitError struct {
	Method string    // the request's method
	Path   string    // the operation's path template
	Reset  time.Time // when the limit resets, on the client's clock
	Limit  int       // X-Rate-Limit-Limit last seen for the bucket (0 for concurrency limits)
	Err    *Error    // Okta's 429 answer; nil when the request was not sent
}

func (e *RateLimitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "okta: rate limited on %s %s", e.Method, e.Path)
	if !e.Reset.IsZero() {
		fmt.Fprintf(&b, "; retry after %s", e.Reset.UTC().Format("15:04:05 MST"))
	}
	if e.Err == nil {
		b.WriteString(" (held back without sending: the bucket is exhausted)")
	} else if e.Err.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.Err.RequestID)
	}
	return b.String()
}

// Unwrap returns Okta's 429 answer, if there was one.
func (e *RateLimitError) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// IsRateLimited reports whether err is a rate-limit failure: a
// *RateLimitError or a 429 answer.
func IsRateLimited(err error) bool {
	var rl *RateLimitError
	return errors.As(err, &rl) || hasStatus(err, http.StatusTooManyRequests)
}

// RateLimitReset returns when the rate limit behind err resets, on the
// client's clock; ok is false when err is not a *RateLimitError or the
// reset time is unknown.
func RateLimitReset(err error) (reset time.Time, ok bool) {
	var rl *RateLimitError
	if errors.As(err, &rl) && !rl.Reset.IsZero() {
		return rl.Reset, true
	}
	return time.Time{}, false
}

// OutcomeUnknownError means a request that changes Okta (a POST: create
// user or group, profile update, lifecycle operation; or the DELETE of a
// user, which deactivates a user that is not DEPROVISIONED) may have reached Okta,
// but no usable answer came back: the connection dropped, the attempt timed
// out or was cancelled, or a 5xx came back. The change may or may not have
// happened, so the client did not retry it. Look the object up (for a
// create, by login or group name) before trying again.
type OutcomeUnknownError struct {
	Method string // the request's method
	Path   string // the operation's path template
	Err    error  // what went wrong; may be an *Error (5xx) or a context error
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("okta: %s %s: outcome unknown, the request may have reached Okta but no usable answer came back (%v); "+
		"check whether the change took effect (e.g. look the user up by login or the group by name) before retrying",
		e.Method, e.Path, e.Err)
}

func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// IsOutcomeUnknown reports whether err is an *OutcomeUnknownError.
func IsOutcomeUnknown(err error) bool {
	var ou *OutcomeUnknownError
	return errors.As(err, &ou)
}

// ErrDPoPRequired is matched (errors.Is) when the OAuth service app requires
// DPoP-bound tokens, which this client does not implement.
var ErrDPoPRequired = errors.New(`okta: the OAuth service app requires DPoP, which okta-mcp does not support; ` +
	`in the Okta Admin Console open the app (Applications > your API Services app > General > Client Credentials) ` +
	`and turn off "Require Demonstrating Proof of Possession (DPoP) header in token requests"`)

// OAuthError is an error answer from the org's token endpoint
// (/oauth2/v1/token), e.g. invalid_client or invalid_scope.
type OAuthError struct {
	StatusCode  int
	Code        string // "error"
	Description string // "error_description"
	RequestID   string // X-Okta-Request-Id
}

func (e *OAuthError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "okta: OAuth token request failed: %d", e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", e.Description)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// ErrPageLimit is matched (errors.Is) by the *PageLimitError an iterator
// yields when it stops at its page cap with more pages left.
var ErrPageLimit = errors.New("okta: page limit reached")

// PageLimitError is yielded, last, by UsersIter, GroupsIter and
// GroupMembersIter when they stop at their page cap while Okta has more.
// NextCursor resumes the listing (as ListUsersParams.After etc.).
type PageLimitError struct {
	MaxPages   int
	NextCursor string
}

func (e *PageLimitError) Error() string {
	return fmt.Sprintf("okta: stopped after %d pages; more results remain (resume with after=%s)", e.MaxPages, e.NextCursor)
}

// Is makes errors.Is(err, ErrPageLimit) true.
func (e *PageLimitError) Is(target error) bool { return target == ErrPageLimit }

// insufficientScope reads the scope of a Bearer insufficient_scope
// challenge (RFC 6750 §3), as Okta sends it on a 403.
func insufficientScope(challenges []string) string {
	for _, ch := range challenges {
		scheme, params, _ := strings.Cut(strings.TrimSpace(ch), " ")
		if !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "DPoP") {
			continue
		}
		var scope string
		insufficient := false
		for rest := params; rest != ""; {
			rest = strings.TrimLeft(rest, " ,")
			name, after, ok := strings.Cut(rest, "=")
			if !ok {
				break
			}
			var val string
			if strings.HasPrefix(after, `"`) {
				end := strings.Index(after[1:], `"`)
				if end < 0 {
					break
				}
				val, rest = after[1:1+end], after[2+end:]
			} else {
				val, rest, _ = strings.Cut(after, ",")
			}
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "error":
				insufficient = val == "insufficient_scope"
			case "scope":
				scope = val
			}
		}
		if insufficient {
			return OneLine(scope, 256)
		}
	}
	return ""
}
