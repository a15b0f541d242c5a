package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/okta-mcp/okta-mcp/okta"
)

// serverCredentials are the server's own Okta credentials, from the
// environment (CONTRACT.md: OKTA_ORG_URL / OKTA_CLIENT_ORGURL with
// OKTA_API_TOKEN / OKTA_CLIENT_TOKEN, or an OAuth service app).
type serverCredentials struct {
	orgURL string
	auth   okta.Authenticator // nil for user sign-in (see signIn)
	// signIn is set when OKTA_CLIENT_ID comes without a private key: the
	// server acts as the admin signed in with okta-mcp login.
	signIn *signInSettings
}

// signInSettings name the OIDC native app a human signs in with.
type signInSettings struct {
	clientID string
	scopes   []string
}

// oauthSettings are the OAuth 2.0 service app settings (client credentials
// with private_key_jwt).
type oauthSettings struct {
	orgURL   string
	clientID string
	key      okta.Secret // PEM text
	keyID    string
	scopes   []string
}

// defaultReadOnlyScopes are requested with --read-only when OKTA_SCOPES is
// not set; otherwise okta.DefaultOAuthScopes (read and manage).
var defaultReadOnlyScopes = []string{"okta.users.read", "okta.groups.read"}

// loadServerCredentials reads the server's own credentials from the
// environment. It returns nil, nil when none are configured (per-call mode),
// and an error for half-configured credentials. Errors name variables, never
// their secret values.
func loadServerCredentials(getenv func(string) string, readOnly bool) (*serverCredentials, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }

	orgURL, err := oneOf(get, "OKTA_ORG_URL", "OKTA_CLIENT_ORGURL", true)
	if err != nil {
		return nil, err
	}
	token, err := oneOf(get, "OKTA_API_TOKEN", "OKTA_CLIENT_TOKEN", false)
	if err != nil {
		return nil, err
	}
	clientID := get("OKTA_CLIENT_ID")
	keyPEM := getenv("OKTA_PRIVATE_KEY") // PEM: keep inner whitespace
	keyFile := get("OKTA_PRIVATE_KEY_FILE")
	keyID := get("OKTA_KEY_ID")
	scopes := get("OKTA_SCOPES")

	if orgURL == "" && token == "" && clientID == "" && strings.TrimSpace(keyPEM) == "" && keyFile == "" {
		return nil, nil // per-call credentials
	}
	if token != "" && clientID != "" {
		return nil, errors.New("both an API token (OKTA_API_TOKEN) and an OAuth service app (OKTA_CLIENT_ID) are configured: set only one")
	}
	if orgURL == "" {
		return nil, errors.New("Okta credentials are set but OKTA_ORG_URL is not: set OKTA_ORG_URL to your org, e.g. https://dev-123456.okta.com")
	}
	if token != "" {
		return &serverCredentials{orgURL: orgURL, auth: okta.APIToken(token)}, nil
	}
	if clientID == "" {
		if strings.TrimSpace(keyPEM) != "" || keyFile != "" {
			return nil, errors.New("OKTA_PRIVATE_KEY / OKTA_PRIVATE_KEY_FILE is set but OKTA_CLIENT_ID is not: set the service app's client id")
		}
		return nil, errors.New("OKTA_ORG_URL is set but no credentials are: set OKTA_API_TOKEN, or OKTA_CLIENT_ID with OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE (a service app), or OKTA_CLIENT_ID alone to act as yourself after okta-mcp login (or unset OKTA_ORG_URL to pass apiKey/domain per call)")
	}
	if strings.TrimSpace(keyPEM) != "" && keyFile != "" {
		return nil, errors.New("set OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE, not both")
	}
	if keyFile != "" {
		b, err := os.ReadFile(keyFile)
		if err != nil {
			return nil, fmt.Errorf("OKTA_PRIVATE_KEY_FILE: %w", err)
		}
		keyPEM = string(b)
	}
	var sc []string // nil: okta.DefaultOAuthScopes
	if readOnly {
		sc = defaultReadOnlyScopes
	}
	if scopes != "" {
		sc = strings.FieldsFunc(scopes, func(r rune) bool { return r == ' ' || r == ',' })
	}
	if strings.TrimSpace(keyPEM) == "" {
		// A client id without a key: an OIDC native app the admin signs
		// in with (okta-mcp login).
		if keyID != "" {
			return nil, errors.New("OKTA_KEY_ID is set but no private key is: set OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE for a service app, or unset OKTA_KEY_ID to sign in as yourself (okta-mcp login)")
		}
		if sc == nil {
			sc = okta.DefaultOAuthScopes
		}
		return &serverCredentials{orgURL: orgURL, signIn: &signInSettings{clientID: clientID, scopes: sc}}, nil
	}
	auth, err := newOAuthAuthenticator(oauthSettings{
		orgURL:   orgURL,
		clientID: clientID,
		key:      okta.Secret(keyPEM),
		keyID:    keyID,
		scopes:   sc,
	})
	if err != nil {
		return nil, err
	}
	return &serverCredentials{orgURL: orgURL, auth: auth}, nil
}

// oneOf returns the value of primary or alias; when both are set they must
// agree. showValues says whether values may appear in the error (not for
// secrets).
func oneOf(get func(string) string, primary, alias string, showValues bool) (string, error) {
	a, b := get(primary), get(alias)
	switch {
	case a != "" && b != "" && a != b:
		if showValues {
			// Only the hosts: a URL may carry a pasted token in its
			// user info, path or query.
			ha, hb := hostOnly(a), hostOnly(b)
			if ha != "" && hb != "" && ha != hb {
				return "", fmt.Errorf("%s (host %s) and %s (host %s) disagree: set only one", primary, ha, alias, hb)
			}
		}
		return "", fmt.Errorf("%s and %s are both set to different values: set only one", primary, alias)
	case a != "":
		return a, nil
	default:
		return b, nil
	}
}

// hostOnly is the host of an org URL when it is a plain host name (letters,
// digits, '-', '.', ':'), "" otherwise.
func hostOnly(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		u, err = url.Parse("https://" + s)
		if err != nil {
			return ""
		}
	}
	h := u.Host
	if h == "" || len(h) > 253 {
		return ""
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == ':') {
			return ""
		}
	}
	return h
}
