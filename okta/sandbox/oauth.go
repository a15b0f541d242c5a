package sandbox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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

type oauthServer struct {
	clients map[string]OAuthClient
	servers map[string]*authServer // "" = the org authorization server
	// autoApprove is the user id that /authorize signs in without the
	// sign-in page and that every device code is approved for ("" = none).
	autoApprove  string
	devicePoll   time.Duration
	signInFailed func(login string) // test hook

	mu        sync.Mutex
	jtis      map[string]time.Time // used assertion ids, until they expire
	codes     map[string]*authCode
	devices   map[string]*deviceGrant // by device_code
	userCodes map[string]string       // user_code -> device_code
	refresh   map[string]*refreshGrant
	revoked   map[string]time.Time // revoked access-token jtis, until they expire
}

func newOAuthServer(clients []OAuthClient) (*oauthServer, error) {
	s := &oauthServer{
		clients: make(map[string]OAuthClient),
		servers: map[string]*authServer{
			"":        {id: "", scopes: OrgScopes},
			"default": {id: "default", scopes: CustomScopes},
		},
		devicePoll: defaultDevicePoll,
		jtis:       make(map[string]time.Time),
		codes:      make(map[string]*authCode),
		devices:    make(map[string]*deviceGrant),
		userCodes:  make(map[string]string),
		refresh:    make(map[string]*refreshGrant),
		revoked:    make(map[string]time.Time),
	}
	for _, c := range clients {
		if c.ClientID == "" {
			return nil, errors.New("sandbox: OAuth client without ClientID")
		}
		if c.ClientID == PublicClientID {
			return nil, fmt.Errorf("sandbox: OAuth client id %s is reserved for the built-in public client", c.ClientID)
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

type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	AccessToken  string `json:"access_token"`
	Scope        string `json:"scope"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
}

// serveTokenGrant: POST .../v1/token. Its errors use OAuth's shape
// {error, error_description}.
func (o *Org) serveTokenGrant(r *http.Request, srv *authServer, now time.Time) (*response, error) {
	f, ok := parseForm(r)
	if !ok {
		return oauthFail(400, "invalid_request", "The request must use Content-Type application/x-www-form-urlencoded.")
	}
	gt := f.Get("grant_type")
	switch gt {
	case grantClientCreds:
		return o.clientCredentials(r, f, srv, now)
	case grantAuthCode, grantDeviceCode, grantRefresh:
	case "":
		return oauthFail(400, "invalid_request", "The 'grant_type' parameter is required.")
	default:
		return oauthFail(400, "unsupported_grant_type", fmt.Sprintf("The authorization grant type %q is not supported by the authorization server.", gt))
	}
	if f.Get("client_assertion") != "" || f.Get("client_secret") != "" || r.Header.Get("Authorization") != "" {
		if _, svc := o.oauth.clients[f.Get("client_id")]; svc || f.Get("client_assertion") != "" {
			return oauthFail(400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [client_credentials].")
		}
		return oauthFail(401, "invalid_client", "The client "+PublicClientID+" is a public client: send client_id only, without client authentication.")
	}
	if resp, bad := checkPublicClient(f.Get("client_id")); bad {
		return resp, nil
	}
	switch gt {
	case grantAuthCode:
		return o.exchangeCode(r, f, srv, now)
	case grantDeviceCode:
		return o.pollDevice(r, f, srv, now)
	default:
		return o.refreshGrant(r, f, srv, now)
	}
}

// checkPublicClient answers invalid_client for anything but PublicClientID.
func checkPublicClient(id string) (*response, bool) {
	switch id {
	case PublicClientID:
		return nil, false
	case "":
		r, _ := oauthFail(401, "invalid_client", "No client credentials found.")
		return r, true
	}
	r, _ := oauthFail(401, "invalid_client", "Invalid value for 'client_id' parameter.")
	return r, true
}

// issue mints the token answer for a grant: an access token, a refresh
// token when offline_access was granted (the same one again on refresh:
// native apps keep persistent refresh tokens), an ID token with openid.
func (o *Org) issue(r *http.Request, g *grant, refreshTok string, now time.Time) (*response, error) {
	base := baseURL(r)
	at, exp, err := o.mintAccessToken(base, g, now)
	if err != nil {
		return nil, err
	}
	out := tokenResponse{TokenType: "Bearer", ExpiresIn: int(accessTokenLifetime.Seconds()), AccessToken: at, Scope: strings.Join(g.scopes, " ")}
	if g.userID != "" && slices.Contains(g.scopes, "offline_access") {
		s := o.oauth
		s.mu.Lock()
		rg := s.refresh[refreshTok]
		if rg == nil {
			refreshTok = randomToken(32)
			rg = &refreshGrant{grant: *g, expires: now.Add(refreshLifetime), jtis: map[string]time.Time{}}
			s.refresh[refreshTok] = rg
		}
		if jti := jtiOf(at); jti != "" {
			rg.jtis[jti] = exp
		}
		s.mu.Unlock()
		out.RefreshToken = refreshTok
	}
	if g.userID != "" && slices.Contains(g.scopes, "openid") {
		idt, err := o.mintIDToken(base, g, now)
		if err != nil {
			return nil, err
		}
		out.IDToken = idt
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, body: b}, nil
}

// jtiOf reads the jti of a token the sandbox just signed.
func jtiOf(tok string) string {
	var c jwt.RegisteredClaims
	if _, _, err := jwt.NewParser().ParseUnverified(tok, &c); err != nil {
		return ""
	}
	return c.ID
}

// clientCredentials: the client credentials grant with a private_key_jwt
// client assertion, for the service apps of Options.OAuthClients.
func (o *Org) clientCredentials(r *http.Request, f url.Values, srv *authServer, now time.Time) (*response, error) {
	fail := func(status int, code, desc string) (*response, error) { return oauthFail(status, code, desc) }
	if f.Get("client_assertion") == "" && f.Get("client_id") == PublicClientID {
		return fail(400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [authorization_code, urn:ietf:params:oauth:grant-type:device_code, refresh_token].")
	}
	client, claims, resp := o.checkAssertion(r, f, srv, now)
	if resp != nil {
		return resp, nil
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
		mintable := strings.HasPrefix(sc, "okta.")
		if srv.id != "" {
			mintable = srv.supports(sc)
		}
		if !slices.Contains(client.Scopes, sc) || !mintable {
			denied = append(denied, sc)
		}
	}
	if len(denied) > 0 {
		return fail(400, "invalid_scope", "The following scopes are not allowed: "+strings.Join(denied, ", "))
	}
	aud, okAud := srv.audienceFor(f.Get("resource"))
	if !okAud {
		return fail(400, "invalid_target", "The 'resource' parameter must be an absolute URI without a fragment.")
	}
	if resp := o.useAssertion(client, claims, now); resp != nil {
		return resp, nil
	}
	resp, err := o.issue(r, &grant{server: srv, clientID: client.ClientID, scopes: dedupe(scopes), aud: aud}, "", now)
	if err == nil && resp.status == http.StatusOK {
		ev := "app.oauth2.token.grant.access_token"
		if srv.id != "" {
			ev = "app.oauth2.as.token.grant.access_token"
		}
		o.authEvent(r, now, ev, principal{typ: "PublicClientApp", id: client.ClientID, alternateID: client.ClientID, displayName: client.ClientID, clientID: client.ClientID})
	}
	return resp, err
}

// verifyAssertion authenticates a service app by its private_key_jwt
// client assertion (and uses the assertion up).
func (o *Org) verifyAssertion(r *http.Request, f url.Values, srv *authServer, now time.Time) (OAuthClient, *response) {
	client, claims, resp := o.checkAssertion(r, f, srv, now)
	if resp != nil {
		return client, resp
	}
	return client, o.useAssertion(client, claims, now)
}

// checkAssertion validates a client assertion whose audience is srv's token
// endpoint (Okta accepts the token endpoint for every endpoint).
func (o *Org) checkAssertion(r *http.Request, f url.Values, srv *authServer, now time.Time) (OAuthClient, *jwt.RegisteredClaims, *response) {
	fail := func(desc string) (OAuthClient, *jwt.RegisteredClaims, *response) {
		resp, _ := oauthFail(401, "invalid_client", desc)
		return OAuthClient{}, nil, resp
	}
	if f.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || f.Get("client_assertion") == "" {
		return fail("Client authentication failed: a private_key_jwt client_assertion is required.")
	}
	aud := srv.endpoint(baseURL(r), "token")
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
		return fail("The client_assertion token is invalid: " + err.Error())
	}
	if claims.Subject != claims.Issuer {
		return fail("The client_assertion token's sub must be the client_id.")
	}
	if id := f.Get("client_id"); id != "" && id != client.ClientID {
		return fail("The client_id does not match the client_assertion's issuer.")
	}
	if claims.ExpiresAt.Sub(now) > maxAssertionLifetime {
		return fail("The client_assertion token has an expiration too far in the future.")
	}
	return client, &claims, nil
}

// useAssertion records the assertion's jti: each assertion is good once.
func (o *Org) useAssertion(client OAuthClient, claims *jwt.RegisteredClaims, now time.Time) *response {
	if claims.ID == "" {
		return nil
	}
	s := o.oauth
	s.mu.Lock()
	defer s.mu.Unlock()
	for jti, exp := range s.jtis {
		if !now.Before(exp) {
			delete(s.jtis, jti)
		}
	}
	key := client.ClientID + "\x00" + claims.ID
	if _, used := s.jtis[key]; used {
		resp, _ := oauthFail(401, "invalid_client", "The client_assertion token has already been used (jti).")
		return resp
	}
	s.jtis[key] = claims.ExpiresAt.Time
	return nil
}
