package okta

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error is a non-2xx answer from Okta.
type Error struct {
	StatusCode   int          `json:"status"`
	ErrorCode    string       `json:"errorCode"`
	ErrorSummary string       `json:"errorSummary"`
	ErrorLink    string       `json:"errorLink,omitempty"`
	ErrorID      string       `json:"errorId,omitempty"`
	ErrorCauses  []ErrorCause `json:"errorCauses,omitempty"`
	RequestID    string       `json:"requestId,omitempty"` // X-Okta-Request-Id
}

// ErrorCause is one entry of errorCauses.
type ErrorCause struct {
	ErrorSummary string `json:"errorSummary"`
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
		fmt.Fprintf(&b, "; %s", c.ErrorSummary)
	}
	return b.String()
}

func newError(r *http.Response, body []byte) *Error {
	e := &Error{}
	_ = json.Unmarshal(body, e)
	e.StatusCode = r.StatusCode
	e.RequestID = r.Header.Get("X-Okta-Request-Id")
	if e.ErrorSummary == "" {
		e.ErrorSummary = http.StatusText(r.StatusCode)
	}
	return e
}

// AsError returns err as an *Error, if it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsNotFound reports whether err is Okta's 404 (E0000007).
func IsNotFound(err error) bool {
	e, ok := AsError(err)
	return ok && e.StatusCode == http.StatusNotFound
}
