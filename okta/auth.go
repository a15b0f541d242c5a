package okta

import (
	"context"
	"errors"
	"net/http"
)

// Authenticator adds credentials to a request.
type Authenticator interface {
	// Authorize sets the Authorization header (and anything else needed).
	Authorize(ctx context.Context, req *http.Request) error
	// Describe names the credential for audit logs without revealing it,
	// for example "api-token:…a1b2" or "oauth:0oa123".
	Describe() string
}

// APIToken authenticates with an Okta API token (Authorization: SSWS <token>).
type APIToken string

// Authorize implements Authenticator.
func (t APIToken) Authorize(_ context.Context, req *http.Request) error {
	if t == "" {
		return errors.New("okta: empty API token")
	}
	req.Header.Set("Authorization", "SSWS "+string(t))
	return nil
}

// Describe implements Authenticator; it shows at most the last 4 characters.
func (t APIToken) Describe() string {
	if len(t) < 12 {
		return "api-token"
	}
	return "api-token:…" + string(t[len(t)-4:])
}

// String hides the token from fmt and log output.
func (t APIToken) String() string { return "[redacted]" }

// GoString hides the token from %#v.
func (t APIToken) GoString() string { return "okta.APIToken([redacted])" }
