package sandbox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// OAuthClient is an OAuth 2.0 service app registered with the org. It may
// get access tokens from POST /oauth2/v1/token with the client-credentials
// grant and a private_key_jwt client assertion signed by the key whose
// public half is PublicKey, as Okta's org authorization server issues them.
type OAuthClient struct {
	ClientID  string
	PublicKey crypto.PublicKey // *rsa.PublicKey (RS256/384/512) or *ecdsa.PublicKey (ES256/384/512)
	KeyID     string           // when set, the assertion's kid header must match
	Scopes    []string         // the Okta API scopes granted to the app
	// RequireDPoP makes the token endpoint refuse requests without a DPoP
	// proof (the sandbox does not implement DPoP), like an app that Okta
	// requires to use DPoP-bound tokens.
	RequireDPoP bool
}

// accessTokenLifetime is fixed at one hour, as Okta's.
const accessTokenLifetime = time.Hour

// maxAssertionLifetime: Okta refuses client assertions valid for more than
// an hour.
const maxAssertionLifetime = time.Hour

type accessToken struct {
	clientID string
	scopes   []string
	expires  time.Time
}

type oauthServer struct {
	clients map[string]OAuthClient

	mu     sync.Mutex
	tokens map[string]accessToken
	jtis   map[string]time.Time // used assertion ids, until they expire
}

func newOAuthServer(clients []OAuthClient) (*oauthServer, error) {
	s := &oauthServer{
		clients: make(map[string]OAuthClient),
		tokens:  make(map[string]accessToken),
		jtis:    make(map[string]time.Time),
	}
	for _, c := range clients {
		if c.ClientID == "" {
			return nil, errors.New("sandbox: OAuth client without ClientID")
		}
		switch c.PublicKey.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey:
		default:
			return nil, fmt.Errorf("sandbox: OAuth client %s: PublicKey must be *rsa.PublicKey or *ecdsa.PublicKey", c.ClientID)
		}
		if _, dup := s.clients[c.ClientID]; dup {
			return nil, fmt.Errorf("sandbox: OAuth client %s registered twice", c.ClientID)
		}
		s.clients[c.ClientID] = c
	}
	return s, nil
}

// authorize checks a Bearer access token for a scope. okta.*.manage
// includes okta.*.read.
func (s *oauthServer) authorize(token, scope string, now time.Time) error {
	s.mu.Lock()
	t, ok := s.tokens[token]
	if ok && !now.Before(t.expires) {
		delete(s.tokens, token)
		ok = false
	}
	s.mu.Unlock()
	if !ok {
		return errInvalidToken()
	}
	manage := strings.TrimSuffix(scope, ".read") + ".manage"
	if slices.Contains(t.scopes, scope) || slices.Contains(t.scopes, manage) {
		return nil
	}
	e := errAccessDenied()
	e.header = http.Header{"Www-Authenticate": {`Bearer error="insufficient_scope", error_description="The access token provided does not contain the required scopes."`}}
	return e
}

type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

type tokenResponse struct {
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	AccessToken string `json:"access_token"`
	Scope       string `json:"scope"`
}

// serveToken: POST /oauth2/v1/token (client credentials + private_key_jwt).
// Its errors use OAuth's shape {error, error_description}.
func (o *Org) serveToken(r *http.Request, now time.Time, bucket string) (*response, rateState, error) {
	if r.Method != http.MethodPost {
		return nil, o.limiter.peek(bucket, now), errMethodNotAllowed()
	}
	rl, ok := o.limiter.take(bucket, now)
	if !ok {
		return nil, rl, errRateLimited()
	}
	fail := func(status int, code, desc string) (*response, rateState, error) {
		b, _ := json.Marshal(oauthError{Error: code, Description: desc})
		return &response{status: status, body: b}, rl, nil
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return fail(400, "invalid_request", "The request must use Content-Type application/x-www-form-urlencoded.")
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return fail(400, "invalid_request", "The request body could not be parsed.")
	}
	f := r.PostForm
	if gt := f.Get("grant_type"); gt != "client_credentials" {
		return fail(400, "unsupported_grant_type", fmt.Sprintf("The authorization grant type %q is not supported by the authorization server.", gt))
	}
	if f.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || f.Get("client_assertion") == "" {
		return fail(401, "invalid_client", "Client authentication failed: a private_key_jwt client_assertion is required.")
	}
	aud := baseURL(r) + "/oauth2/v1/token"
	var client OAuthClient
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(f.Get("client_assertion"), &claims, func(t *jwt.Token) (any, error) {
		iss, _ := t.Claims.GetIssuer()
		c, ok := o.oauth.clients[iss]
		if !ok {
			return nil, fmt.Errorf("unknown client %q", iss)
		}
		if kid, _ := t.Header["kid"].(string); c.KeyID != "" && kid != c.KeyID {
			return nil, fmt.Errorf("unknown key id %q", kid)
		}
		client = c
		return c.PublicKey, nil
	},
		jwt.WithValidMethods([]string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}),
		jwt.WithAudience(aud),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(o.now),
	)
	if err != nil {
		return fail(401, "invalid_client", "The client_assertion token is invalid: "+err.Error())
	}
	if claims.Subject != claims.Issuer {
		return fail(401, "invalid_client", "The client_assertion token's sub must be the client_id.")
	}
	if id := f.Get("client_id"); id != "" && id != client.ClientID {
		return fail(401, "invalid_client", "The client_id does not match the client_assertion's issuer.")
	}
	if claims.ExpiresAt.Sub(now) > maxAssertionLifetime {
		return fail(401, "invalid_client", "The client_assertion token has an expiration too far in the future.")
	}
	if client.RequireDPoP && r.Header.Get("DPoP") == "" {
		return fail(400, "invalid_dpop_proof", "The DPoP proof JWT header is missing.")
	}
	scopes := strings.Fields(f.Get("scope"))
	if len(scopes) == 0 {
		return fail(400, "invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.")
	}
	var denied []string
	for _, sc := range scopes {
		if !slices.Contains(client.Scopes, sc) {
			denied = append(denied, sc)
		}
	}
	if len(denied) > 0 {
		return fail(400, "invalid_scope", "The following scopes are not allowed: "+strings.Join(denied, ", "))
	}

	s := o.oauth
	s.mu.Lock()
	if claims.ID != "" {
		for jti, exp := range s.jtis {
			if !now.Before(exp) {
				delete(s.jtis, jti)
			}
		}
		key := client.ClientID + "\x00" + claims.ID
		if _, used := s.jtis[key]; used {
			s.mu.Unlock()
			return fail(401, "invalid_client", "The client_assertion token has already been used (jti).")
		}
		s.jtis[key] = claims.ExpiresAt.Time
	}
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	tok := base64.RawURLEncoding.EncodeToString(raw[:])
	s.tokens[tok] = accessToken{clientID: client.ClientID, scopes: scopes, expires: now.Add(accessTokenLifetime)}
	s.mu.Unlock()

	b, err := json.Marshal(tokenResponse{TokenType: "Bearer", ExpiresIn: int(accessTokenLifetime.Seconds()), AccessToken: tok, Scope: strings.Join(scopes, " ")})
	if err != nil {
		return nil, rl, err
	}
	return &response{status: http.StatusOK, body: b}, rl, nil
}
