package main

import (
	"github.com/okta-mcp/okta-mcp/okta"
)

// newOAuthAuthenticator builds the OAuth 2.0 service-app authenticator
// (client credentials with private_key_jwt). The key is parsed now, so a bad
// key stops the server at start-up.
func newOAuthAuthenticator(s oauthSettings) (okta.Authenticator, error) {
	return okta.NewOAuth(okta.OAuthConfig{
		ClientID:   s.clientID,
		PrivateKey: s.key,
		KeyID:      s.keyID,
		Scopes:     s.scopes,
	})
}
