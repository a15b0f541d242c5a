package okta

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// Authenticator adds credentials to a request.
type Authenticator interface {
	// Authorize sets the Authorization header (and anything else needed).
	Authorize(ctx context.Context, req *http.Request) error
	// Describe names the credential for audit logs without revealing it,
	// for example "api-token:…a1b2" or "oauth:0oa123".
	Describe() string
}

// Invalidator is implemented by authenticators whose credential can be
// renewed, such as OAuth. When Okta answers 401, the Client calls Invalidate
// with the refused request and then retries that request once, with
// whatever credential Authorize supplies next.
type Invalidator interface {
	Invalidate(req *http.Request)
}

// APIToken authenticates with an Okta API token (Authorization: SSWS <token>).
// It hides itself from fmt, log/slog and encoding/json.
type APIToken string

// Authorize implements Authenticator.
func (t APIToken) Authorize(_ context.Context, req *http.Request) error {
	s := strings.TrimSpace(string(t))
	if s == "" {
		return errors.New("okta: empty API token")
	}
	if strings.ContainsAny(s, "\r\n\t ") || !isPrintableASCII(s) {
		return errors.New("okta: the API token contains characters that cannot appear in an Okta API token")
	}
	req.Header.Set("Authorization", "SSWS "+s)
	return nil
}

// Describe implements Authenticator; it shows at most the last 4 characters,
// and none of a token shorter than 12.
func (t APIToken) Describe() string {
	s := strings.TrimSpace(string(t))
	if len(s) < 12 || !isPrintableASCII(s) {
		return "api-token"
	}
	return "api-token:…" + s[len(s)-4:]
}

// String hides the token from fmt and log output.
func (t APIToken) String() string { return redacted }

// GoString hides the token from %#v.
func (t APIToken) GoString() string { return "okta.APIToken(" + redacted + ")" }

// Format implements fmt.Formatter, so that no verb prints the token.
func (t APIToken) Format(f fmt.State, verb rune) { formatRedacted(f, verb, "okta.APIToken") }

// LogValue implements slog.LogValuer.
func (t APIToken) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON hides the token from encoding/json.
func (t APIToken) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText hides the token from encoders that use encoding.TextMarshaler.
func (t APIToken) MarshalText() ([]byte, error) { return []byte(redacted), nil }

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// ErrSignInRequired is matched (errors.Is) by the errors of authenticators
// that act for a signed-in admin (okta/signin) when nobody is signed in or
// the sign-in has expired: a human must sign in again (okta-mcp login).
// Nothing was sent to Okta.
var ErrSignInRequired = errors.New("okta: sign-in required")
