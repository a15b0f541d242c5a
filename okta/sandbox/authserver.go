package sandbox

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The authorization servers. The org serves two, as Okta lays them out:
//
//   - the org authorization server (issuer <base>), which alone mints the
//     Okta API scopes (okta.users.read, ...) accepted by the org's own API:
//     /oauth2/v1/{authorize,token,device/authorize,keys,revoke} and
//     /.well-known/{openid-configuration,oauth-authorization-server};
//   - the custom authorization server "default" (issuer
//     <base>/oauth2/default), whose tokens are for other resource servers
//     (aud api://default, or the RFC 8707 resource): /oauth2/default/v1/...
//     and /oauth2/default/.well-known/{oauth-authorization-server,
//     openid-configuration} (also /.well-known/oauth-authorization-server/
//     oauth2/default, the RFC 8414 form).
//
// The public OIDC client PublicClientID signs users in with the
// authorization code grant (PKCE S256 required) and the device
// authorization grant; service apps (Options.OAuthClients) use
// client_credentials with private_key_jwt.

// PublicClientID is the public (native) OIDC client registered with every
// sandbox org: no secret, PKCE required, any loopback redirect URI
// (http://127.0.0.1:<any port>/<any path>, also localhost and [::1]), the
// authorization code, device code and refresh token grants. It is granted
// the Okta API scopes of OrgScopes on the org authorization server and
// okta-mcp.read / okta-mcp.manage on "default".
const PublicClientID = "okta-mcp-sandbox"

// DemoPassword is the password of the demo org's users (DemoSeed), with
// which they sign in on the sandbox's sign-in page.
const DemoPassword = "Sandbox-Demo-Passw0rd"

// DefaultAudience is the audience of the "default" custom authorization
// server's tokens when the request names no RFC 8707 resource.
const DefaultAudience = "api://default"

// OrgScopes are the Okta API scopes the org authorization server mints
// (and grants to PublicClientID), besides the OIDC scopes.
var OrgScopes = []string{
	"okta.users.read", "okta.users.manage",
	"okta.groups.read", "okta.groups.manage",
	"okta.logs.read",
	"okta.sessions.read", "okta.sessions.manage",
	"okta.factors.read", "okta.factors.manage",
}

// CustomScopes are the custom scopes of the "default" authorization server.
var CustomScopes = []string{"okta-mcp.read", "okta-mcp.manage"}

var oidcScopes = []string{"openid", "profile", "email", "offline_access"}

const (
	grantAuthCode     = "authorization_code"
	grantRefresh      = "refresh_token"
	grantClientCreds  = "client_credentials"
	grantDeviceCode   = "urn:ietf:params:oauth:grant-type:device_code"
	refreshLifetime   = 90 * 24 * time.Hour // the org AS's, hard-coded
	codeLifetime      = 5 * time.Minute
	deviceLifetime    = 10 * time.Minute
	defaultDevicePoll = 5 * time.Second
)

// authServer is one authorization server: the org's ("" id) or a custom one.
type authServer struct {
	id     string // "" for the org authorization server
	scopes []string

	keyOnce sync.Once
	key     *rsa.PrivateKey
	kid     string
	keyErr  error
}

func (s *authServer) issuer(base string) string {
	if s.id == "" {
		return base
	}
	return base + "/oauth2/" + s.id
}

func (s *authServer) endpoint(base, name string) string {
	if s.id == "" {
		return base + "/oauth2/v1/" + name
	}
	return base + "/oauth2/" + s.id + "/v1/" + name
}

// signingKey generates the server's RS256 key on first use, so that orgs
// that never issue a token do not pay for it.
func (s *authServer) signingKey() (*rsa.PrivateKey, string, error) {
	s.keyOnce.Do(func() {
		s.key, s.keyErr = rsa.GenerateKey(rand.Reader, 2048)
		if s.keyErr != nil {
			return
		}
		der := s.key.PublicKey.N.Bytes()
		sum := sha256.Sum256(der)
		s.kid = base64.RawURLEncoding.EncodeToString(sum[:12])
	})
	return s.key, s.kid, s.keyErr
}

func (s *authServer) supports(scope string) bool {
	return slices.Contains(s.scopes, scope) || slices.Contains(oidcScopes, scope)
}

// principal is who makes an API request: the user a token was issued for,
// the service app of a client-credentials token, or the API token.
type principal struct {
	typ         string // "User", "PublicClientApp" or "ApiToken"
	id          string // user id or client id ("" for the API token)
	alternateID string // login or client id
	displayName string
	clientID    string // the OAuth client of a Bearer token ("" for SSWS)
}

// grant is what an authorization (code, device code, refresh token) stands
// for.
type grant struct {
	server   *authServer
	clientID string
	userID   string // "" for client credentials
	login    string
	name     string
	scopes   []string
	aud      string // custom servers: the resource or DefaultAudience
	authTime time.Time
	nonce    string
}

type authCode struct {
	grant
	redirectURI string
	challenge   string
	expires     time.Time
}

type deviceGrant struct {
	grant
	userCode string
	expires  time.Time
	interval time.Duration
	lastPoll time.Time
	approved bool
	denied   bool
}

type refreshGrant struct {
	grant
	expires time.Time
	jtis    map[string]time.Time // access tokens minted from it, until they expire
}

// oauthClaims are the claims of the access tokens the sandbox mints, as
// Okta's: ver, jti, iss, aud, sub, iat, exp, cid, uid (users only), scp.
type oauthClaims struct {
	Ver int      `json:"ver"`
	Cid string   `json:"cid"`
	UID string   `json:"uid,omitempty"`
	Scp []string `json:"scp"`
	jwt.RegisteredClaims
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (o *Org) authServerFor(id string) *authServer {
	return o.oauth.servers[id]
}

// mintAccessToken signs an access token for g and remembers its jti under
// the refresh token it came from, if any.
func (o *Org) mintAccessToken(base string, g *grant, now time.Time) (string, time.Time, error) {
	key, kid, err := g.server.signingKey()
	if err != nil {
		return "", time.Time{}, err
	}
	aud := base
	if g.server.id != "" {
		aud = g.aud
	}
	sub := g.clientID
	if g.userID != "" {
		sub = g.login
	}
	exp := now.Add(accessTokenLifetime).Truncate(time.Second)
	// A map, so that aud is a string as in Okta's tokens.
	claims := jwt.MapClaims{
		"ver": 1, "jti": "AT." + randomToken(24), "iss": g.server.issuer(base), "aud": aud, "sub": sub,
		"iat": now.Unix(), "exp": exp.Unix(), "cid": g.clientID, "scp": g.scopes,
	}
	if g.userID != "" {
		claims["uid"] = g.userID
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = kid
	s, err := t.SignedString(key)
	if err != nil {
		return "", time.Time{}, err
	}
	return s, exp, nil
}

// mintIDToken signs an OIDC ID token for a user grant with openid.
func (o *Org) mintIDToken(base string, g *grant, now time.Time) (string, error) {
	key, kid, err := g.server.signingKey()
	if err != nil {
		return "", err
	}
	claims := jwt.MapClaims{
		"ver": 1, "jti": "ID." + randomToken(24), "iss": g.server.issuer(base), "aud": g.clientID,
		"sub": g.userID, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "auth_time": g.authTime.Unix(),
		"amr": []string{"pwd"}, "idp": "00osandboxidp000000",
	}
	if slices.Contains(g.scopes, "profile") {
		claims["name"] = g.name
		claims["preferred_username"] = g.login
	}
	if slices.Contains(g.scopes, "email") {
		claims["email"] = g.login
	}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = kid
	return t.SignedString(key)
}

// verifyAccessToken checks a token presented to the org's API: an
// unexpired, unrevoked access token of the org authorization server issued
// for this org, whose user (if any) is still active.
func (o *Org) verifyAccessToken(tok, base string, now time.Time) (*oauthClaims, error) {
	srv := o.authServerFor("")
	key, kid, err := srv.signingKey()
	if err != nil {
		return nil, err
	}
	var claims oauthClaims
	_, err = jwt.ParseWithClaims(tok, &claims, func(t *jwt.Token) (any, error) {
		if k, _ := t.Header["kid"].(string); k != kid {
			return nil, errors.New("unknown kid")
		}
		return &key.PublicKey, nil
	},
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(base),
		jwt.WithAudience(base),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	if err != nil || claims.ExpiresAt == nil || !now.Before(claims.ExpiresAt.Time) {
		return nil, errInvalidToken()
	}
	s := o.oauth
	s.mu.Lock()
	_, revoked := s.revoked[claims.ID]
	s.mu.Unlock()
	if revoked {
		return nil, errInvalidToken()
	}
	if claims.UID != "" {
		o.mu.RLock()
		u := o.st.users[claims.UID]
		active := u != nil && u.status != statusDeprovisioned && u.status != statusSuspended
		o.mu.RUnlock()
		if !active {
			return nil, errInvalidToken()
		}
	}
	return &claims, nil
}

// authorizeBearer authenticates "Authorization: Bearer <token>" on the
// org's API and checks the scope the route needs (manage includes read).
// A missing scope is a 403 with Okta's insufficient_scope challenge.
func (o *Org) authorizeBearer(r *http.Request, tok, scope string, now time.Time) (principal, error) {
	base := baseURL(r)
	c, err := o.verifyAccessToken(tok, base, now)
	if err != nil {
		return principal{}, err
	}
	manage := strings.TrimSuffix(scope, ".read") + ".manage"
	if !slices.Contains(c.Scp, scope) && !slices.Contains(c.Scp, manage) {
		e := errAccessDenied()
		// Okta writes these URIs with http:// whatever the org's scheme.
		host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
		e.header = http.Header{"Www-Authenticate": {fmt.Sprintf(
			`Bearer authorization_uri="http://%s/oauth2/v1/authorize", realm="http://%s", scope="%s", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="%s"`,
			host, host, scope, r.URL.Path)}}
		return principal{}, e
	}
	if c.UID == "" {
		return principal{typ: "PublicClientApp", id: c.Cid, alternateID: c.Cid, displayName: c.Cid, clientID: c.Cid}, nil
	}
	p := principal{typ: "User", id: c.UID, alternateID: c.Subject, clientID: c.Cid}
	o.mu.RLock()
	readOnly := false
	if u := o.st.users[c.UID]; u != nil {
		p.displayName = displayName(u)
		readOnly = u.readOnlyAdmin
	}
	o.mu.RUnlock()
	if readOnly && readOnlyRefuses(r) {
		// The scope is granted, the admin role does not cover the change.
		return principal{}, errAccessDenied()
	}
	return p, nil
}

// serveAuth serves the authorization servers' paths. ok is false for
// paths that are not theirs.
// bucket is the request's rate-limit bucket (its own path under /oauth2/,
// as Okta counts them).
func (o *Org) serveAuth(r *http.Request, now time.Time, bucket string) (resp *response, rl rateState, err error, ok bool) {
	p := r.URL.Path
	var srv *authServer
	var rest string
	switch {
	case p == "/.well-known/openid-configuration" || p == "/.well-known/oauth-authorization-server":
		srv, rest = o.authServerFor(""), strings.TrimPrefix(p, "/")
	case strings.HasPrefix(p, "/.well-known/oauth-authorization-server/oauth2/"),
		strings.HasPrefix(p, "/.well-known/openid-configuration/oauth2/"):
		doc, id, _ := strings.Cut(strings.TrimPrefix(p, "/.well-known/"), "/oauth2/")
		if srv = o.authServerFor(id); srv == nil || id == "" {
			return nil, o.limiter.peek(bucket, now), errAuthServerNotFound(id), true
		}
		rest = ".well-known/" + doc
	case strings.HasPrefix(p, "/oauth2/v1/"):
		srv, rest = o.authServerFor(""), strings.TrimPrefix(p, "/oauth2/v1/")
	case p == "/activate":
		resp, rl, err := o.serveActivate(r, now, bucket)
		return resp, rl, err, true
	case strings.HasPrefix(p, "/oauth2/"):
		id, r2, _ := strings.Cut(strings.TrimPrefix(p, "/oauth2/"), "/")
		if srv = o.authServerFor(id); srv == nil || id == "" {
			return nil, o.limiter.peek(bucket, now), errAuthServerNotFound(id), true
		}
		if strings.HasPrefix(r2, "v1/") {
			rest = strings.TrimPrefix(r2, "v1/")
		} else if strings.HasPrefix(r2, ".well-known/") {
			rest = r2
		} else {
			return nil, o.limiter.peek(bucket, now), errPathNotFound(), true
		}
	default:
		return nil, rateState{}, nil, false
	}
	method := func(ms ...string) bool { return slices.Contains(ms, r.Method) }
	switch rest {
	case ".well-known/openid-configuration", ".well-known/oauth-authorization-server":
		if !method(http.MethodGet) {
			return nil, o.limiter.peek(bucket, now), errMethodNotAllowed(), true
		}
		resp, err := o.discovery(r, srv, strings.HasSuffix(rest, "openid-configuration"))
		return resp, o.limiter.peek(bucket, now), err, true // not rate-limited
	case "keys":
		if !method(http.MethodGet) {
			return nil, o.limiter.peek(bucket, now), errMethodNotAllowed(), true
		}
		resp, err := serveKeys(srv)
		return resp, o.limiter.peek(bucket, now), err, true // not rate-limited
	case "authorize", "token", "device/authorize", "revoke":
	default:
		return nil, o.limiter.peek(bucket, now), errPathNotFound(), true
	}
	allowed := []string{http.MethodPost}
	if rest == "authorize" {
		allowed = append(allowed, http.MethodGet)
	}
	if !method(allowed...) {
		return nil, o.limiter.peek(bucket, now), errMethodNotAllowed(), true
	}
	rl, okRate := o.limiter.take(bucket, now)
	if !okRate {
		return nil, rl, errRateLimited(), true
	}
	switch rest {
	case "authorize":
		resp, err = o.serveAuthorize(r, srv, now)
	case "token":
		resp, err = o.serveTokenGrant(r, srv, now)
	case "device/authorize":
		resp, err = o.serveDeviceAuthorize(r, srv, now)
	case "revoke":
		resp, err = o.serveRevoke(r, srv, now)
	}
	return resp, rl, err, true
}

func errAuthServerNotFound(id string) *apiError {
	return newAPIError(http.StatusNotFound, "E0000007", "Not found: Resource not found: "+id+" (AuthorizationServer)")
}

// oauthFail is an OAuth error answer {error, error_description}.
func oauthFail(status int, code, desc string) (*response, error) {
	b, _ := json.Marshal(oauthError{Error: code, Description: desc})
	return &response{status: status, body: b}, nil
}

func (o *Org) discovery(r *http.Request, srv *authServer, oidc bool) (*response, error) {
	base := baseURL(r)
	if id := r.URL.Query().Get("client_id"); id != "" && id != PublicClientID {
		if _, ok := o.oauth.clients[id]; !ok {
			return oauthFail(http.StatusBadRequest, "invalid_client", "Invalid value for 'client_id' parameter.")
		}
	}
	scopes := append(slices.Clone(oidcScopes), srv.scopes...)
	doc := map[string]any{
		"issuer":                                           base,
		"authorization_endpoint":                           srv.endpoint(base, "authorize"),
		"token_endpoint":                                   srv.endpoint(base, "token"),
		"device_authorization_endpoint":                    srv.endpoint(base, "device/authorize"),
		"revocation_endpoint":                              srv.endpoint(base, "revoke"),
		"response_types_supported":                         []string{"code"},
		"response_modes_supported":                         []string{"query"},
		"grant_types_supported":                            []string{grantAuthCode, grantRefresh, grantClientCreds, grantDeviceCode},
		"subject_types_supported":                          []string{"public"},
		"scopes_supported":                                 scopes,
		"token_endpoint_auth_methods_supported":            []string{"none", "private_key_jwt"},
		"revocation_endpoint_auth_methods_supported":       []string{"none", "private_key_jwt"},
		"token_endpoint_auth_signing_alg_values_supported": []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"},
		"claims_supported":                                 []string{"ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub"},
		"code_challenge_methods_supported":                 []string{"S256"},
		"request_parameter_supported":                      false,
	}
	doc["issuer"] = srv.issuer(base)
	// Okta's org OAuth metadata document has no jwks_uri (its OIDC one
	// does); custom servers publish it in both.
	if oidc || srv.id != "" {
		doc["jwks_uri"] = srv.endpoint(base, "keys")
	}
	if oidc {
		doc["id_token_signing_alg_values_supported"] = []string{"RS256"}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, body: b}, nil
}

func serveKeys(srv *authServer) (*response, error) {
	key, kid, err := srv.signingKey()
	if err != nil {
		return nil, err
	}
	e := big.NewInt(int64(key.PublicKey.E)).Bytes()
	body := map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "alg": "RS256", "kid": kid, "use": "sig",
		"e": base64.RawURLEncoding.EncodeToString(e),
		"n": base64.RawURLEncoding.EncodeToString(key.PublicKey.N.Bytes()),
	}}}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, body: b}, nil
}

// parseForm reads an application/x-www-form-urlencoded POST body.
func parseForm(r *http.Request) (url.Values, bool) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/x-www-form-urlencoded") {
		return nil, false
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return nil, false
	}
	return r.PostForm, true
}

// isLoopbackRedirect: PublicClientID accepts http redirect URIs on a
// loopback host, any port and path (RFC 8252 §7.3), without a fragment.
func isLoopbackRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Fragment != "" || u.User != nil {
		return false
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
		return true
	}
	return false
}

// scopeList splits and checks requested scopes against the server.
func (s *authServer) checkScopes(raw string) ([]string, string) {
	scopes := strings.Fields(raw)
	if len(scopes) == 0 {
		return nil, "The authorization server resource does not have any configured default scopes, 'scope' must be provided."
	}
	var bad []string
	for _, sc := range scopes {
		if !s.supports(sc) {
			bad = append(bad, sc)
		}
	}
	if len(bad) > 0 {
		return nil, "One or more scopes are not configured for the authorization server resource: " + strings.Join(bad, ", ")
	}
	return dedupe(scopes), ""
}

func dedupe(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// checkResource validates an RFC 8707 resource indicator for a custom
// server: an absolute URI without a fragment. The org server ignores it.
func (s *authServer) audienceFor(resource string) (string, bool) {
	if s.id == "" || resource == "" {
		return DefaultAudience, true
	}
	u, err := url.Parse(resource)
	if err != nil || !u.IsAbs() || u.Fragment != "" || u.Host == "" {
		return "", false
	}
	return resource, true
}
