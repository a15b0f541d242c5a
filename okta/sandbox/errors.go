package sandbox

import (
	"fmt"
	"net/http"
)

// apiError is an Okta error answer: an HTTP status and the Error body
// {errorCode, errorSummary, errorLink, errorId, errorCauses}.
type apiError struct {
	status  int
	code    string
	summary string
	causes  []string
	header  http.Header // extra response headers (WWW-Authenticate)
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.summary) }

type errorCause struct {
	ErrorSummary string `json:"errorSummary"`
}

type errorBody struct {
	ErrorCode    string       `json:"errorCode"`
	ErrorSummary string       `json:"errorSummary"`
	ErrorLink    string       `json:"errorLink"`
	ErrorID      string       `json:"errorId"`
	ErrorCauses  []errorCause `json:"errorCauses"`
}

func newAPIError(status int, code, summary string, causes ...string) *apiError {
	return &apiError{status: status, code: code, summary: summary, causes: causes}
}

// The errors below use Okta's codes and summaries (error-codes.json and the
// spec's examples); see the package documentation for the choices made where
// Okta does not document the exact answer.

func errValidation(field string, causes ...string) *apiError {
	return newAPIError(http.StatusBadRequest, "E0000001", "Api validation failed: "+field, causes...)
}

func errMalformedBody() *apiError {
	return newAPIError(http.StatusBadRequest, "E0000003", "The request body was not well-formed.")
}

func errInvalidSession() *apiError {
	return newAPIError(http.StatusForbidden, "E0000005", "Invalid session")
}

func errAccessDenied() *apiError {
	return newAPIError(http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action")
}

func errUserNotFound(id string) *apiError {
	return newAPIError(http.StatusNotFound, "E0000007", "Not found: Resource not found: "+id+" (User)")
}

func errGroupNotFound(id string) *apiError {
	return newAPIError(http.StatusNotFound, "E0000007", "Not found: Resource not found: "+id+" (UserGroup)")
}

func errPathNotFound() *apiError {
	return newAPIError(http.StatusNotFound, "E0000008", "The requested path was not found")
}

func errInvalidToken() *apiError {
	return newAPIError(http.StatusUnauthorized, "E0000011", "Invalid token provided")
}

func errAlreadyActive() *apiError {
	return newAPIError(http.StatusForbidden, "E0000016", "Activation failed because the user is already active")
}

func errMethodNotAllowed() *apiError {
	return newAPIError(http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method")
}

func errMissingParameter(name string) *apiError {
	return newAPIError(http.StatusBadRequest, "E0000028", "The request is missing a required parameter.",
		name+": The request is missing a required parameter.")
}

func errInvalidPaging(cause string) *apiError {
	return newAPIError(http.StatusBadRequest, "E0000029", "Invalid paging request.", cause)
}

func errInvalidSearch(cause string) *apiError {
	return newAPIError(http.StatusBadRequest, "E0000031", "Invalid search criteria.", cause)
}

func errSearchAndFilter() *apiError {
	return newAPIError(http.StatusBadRequest, "E0000033", "Bad request. Can't specify a search query and filter in the same request.")
}

func errUnlockNotAllowed() *apiError {
	return newAPIError(http.StatusForbidden, "E0000032", "Unlock is not allowed for this user.", "The user is not locked out.")
}

func errWrongStatus() *apiError {
	return newAPIError(http.StatusForbidden, "E0000038", "This operation is not allowed in the user's current status.")
}

func errUnsupportedOperation() *apiError {
	return newAPIError(http.StatusNotImplemented, "E0000060", "Unsupported operation.")
}

func errRateLimited() *apiError {
	return newAPIError(http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
}

func errTooManyGroups() *apiError {
	return newAPIError(http.StatusBadRequest, "E0000093", "Target count limit exceeded", "The number of group targets is too large")
}

func errUnsupportedFilter(cause string) *apiError {
	return newAPIError(http.StatusBadRequest, "E0000094", "The provided filter is unsupported.", cause)
}

func errETagMismatch() *apiError {
	return newAPIError(http.StatusPreconditionFailed, "E0000231", "ETag value doesn't match.")
}

func errETagSyntax() *apiError {
	return newAPIError(http.StatusBadRequest, "E0000242", "ETag syntax is invalid.")
}

func errLengthRequired() *apiError {
	return newAPIError(http.StatusLengthRequired, "E0000003",
		"Length Required: a POST or PUT request needs a body or a Content-Length header (send Content-Length: 0 for an empty body).")
}

func errInjected(status int) *apiError {
	switch status {
	case http.StatusTooManyRequests:
		return errRateLimited()
	case http.StatusInternalServerError:
		return newAPIError(status, "E0000009", "Internal Server Error")
	}
	return newAPIError(status, "E0000009", "Internal Server Error: "+http.StatusText(status))
}
