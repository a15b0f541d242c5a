package sandbox

import (
	"crypto"
	"net/http"
	"time"
)

// OAuthClient is an OAuth 2.0 service app registered with the org.
type OAuthClient struct {
	ClientID  string
	PublicKey crypto.PublicKey // *rsa.PublicKey or *ecdsa.PublicKey
	KeyID     string           // optional; when set, the assertion's kid must match
	Scopes    []string         // scopes granted to the app
}

type oauthServer struct{}

func newOAuthServer(clients []OAuthClient) (*oauthServer, error) { return &oauthServer{}, nil }

func (s *oauthServer) authorize(token, scope string, now time.Time) error { return errInvalidToken() }

func (o *Org) serveToken(r *http.Request, now time.Time, bucket string) (*response, rateState, error) {
	return nil, o.limiter.peek(bucket, now), errPathNotFound()
}
