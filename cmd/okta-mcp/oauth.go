package main

import (
	"errors"

	"github.com/okta-mcp/okta-mcp/okta"
)

// newOAuthAuthenticator builds the OAuth 2.0 service-app authenticator
// (client credentials with private_key_jwt).
func newOAuthAuthenticator(s oauthSettings) (okta.Authenticator, error) {
	// TODO(cmd): wire okta's OAuth authenticator once package okta exports it.
	_ = s
	return nil, errors.New("OAuth service app credentials are not supported by this build yet: use OKTA_API_TOKEN")
}
