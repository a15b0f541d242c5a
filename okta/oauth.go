package okta

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DefaultOAuthScopes are requested when OAuthConfig.Scopes is empty: what
// the okta-mcp tools need. Grant them to the service app on its "Okta API
// Scopes" tab (manage scopes include the read ones).
var DefaultOAuthScopes = []string{"okta.users.read", "okta.users.manage", "okta.groups.read", "okta.groups.manage"}

const (
	tokenPath           = "/oauth2/v1/token"
	assertionLifetime   = 5 * time.Minute // Okta accepts at most 1h
	tokenRefreshMargin  = 2 * time.Minute // refresh this long before expiry
	defaultTokenSeconds = 300             // when expires_in is missing
	jwtBearerAssertion  = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
)

// OAuthConfig configures an OAuth 2.0 service app ("API Services" app) that
// authenticates with client credentials and private_key_jwt.
type OAuthConfig struct {
	ClientID string // the service app's client id (0oa...)
	// PrivateKey is the app's private key: PEM (PKCS#1 "RSA PRIVATE KEY",
	// PKCS#8 "PRIVATE KEY" with RSA or EC, SEC1 "EC PRIVATE KEY") or a
	// private JWK as the Admin Console shows it. RSA keys sign RS256 (2048
	// bits or more), EC keys ES256/ES384/ES512 by curve. Literal "\n"
	// sequences (from environment variables) are read as newlines.
	PrivateKey Secret
	// KeyID is sent as the assertion's "kid" header: the key's id in the
	// app's public key set. For a JWK, the JWK's own "kid" is the default.
	KeyID string
	// Scopes are requested for the access token; default DefaultOAuthScopes.
	// Entries may also be space- or comma-separated lists.
	Scopes []string
	// HTTPClient sends token requests; default: the HTTPClient of the
	// Client making the call.
	HTTPClient *http.Client
}

// OAuth authenticates as an OAuth 2.0 service app: it signs a client
// assertion with the app's private key, exchanges it at the org's
// /oauth2/v1/token for an access token (client_credentials), caches the
// token until shortly before it expires and sends it as
// "Authorization: Bearer". The token endpoint is the org of the request
// being authorized (already validated by the Client), and tokens are cached
// per org, so a token is only ever sent to the org that issued it.
//
// DPoP-bound apps are refused with ErrDPoPRequired. OAuth hides its key and
// tokens from fmt, log/slog and encoding/json. It is safe for concurrent use.
type OAuth struct {
	*oauthState // behind a pointer, so that printing an OAuth value shows no key or token
}

type oauthState struct {
	clientID string
	keyID    string
	key      *PrivateKey
	scopes   []string
	hc       *http.Client

	fetching chan struct{} // one token request at a time
	mu       sync.Mutex
	tokens   map[string]*accessToken // by org origin
}

type accessToken struct {
	value     Secret
	refreshAt time.Time
}

// Format hides the token from fmt.
func (t accessToken) Format(f fmt.State, verb rune) { formatRedacted(f, verb, "okta.accessToken") }

// NewOAuth returns an OAuth authenticator. It parses the private key now, so
// configuration mistakes show at start-up.
func NewOAuth(cfg OAuthConfig) (*OAuth, error) {
	id := strings.TrimSpace(cfg.ClientID)
	if id == "" {
		return nil, errors.New("okta: OAuth: no client id")
	}
	if !isPrintableASCII(id) || len(id) > 256 {
		return nil, errors.New("okta: OAuth: the client id contains characters a client id cannot have")
	}
	if strings.TrimSpace(string(cfg.PrivateKey)) == "" {
		return nil, errors.New("okta: OAuth: no private key")
	}
	key, jwkID, err := parsePrivateKey([]byte(cfg.PrivateKey))
	if err != nil {
		return nil, err
	}
	kid := strings.TrimSpace(cfg.KeyID)
	if kid == "" {
		kid = jwkID
	}
	if !isPrintableASCII(kid) && kid != "" {
		return nil, errors.New("okta: OAuth: the key id contains characters a key id cannot have")
	}
	var scopes []string
	for _, s := range cfg.Scopes {
		scopes = append(scopes, strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })...)
	}
	if len(scopes) == 0 {
		scopes = append(scopes, DefaultOAuthScopes...)
	}
	for _, s := range scopes {
		if !isPrintableASCII(s) || strings.ContainsAny(s, `"\`) {
			return nil, errors.New("okta: OAuth: a scope contains characters a scope cannot have")
		}
	}
	var hc *http.Client
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		c.CheckRedirect = noRedirects
		hc = &c
	}
	return &OAuth{&oauthState{
		clientID: id,
		keyID:    kid,
		key:      key,
		scopes:   scopes,
		hc:       hc,
		fetching: make(chan struct{}, 1),
		tokens:   make(map[string]*accessToken),
	}}, nil
}

// Describe implements Authenticator: "oauth:<client id>" (a client id is not
// a secret).
func (o OAuth) Describe() string {
	if o.oauthState == nil {
		return "oauth"
	}
	return "oauth:" + o.clientID
}

// Scopes returns the scopes the authenticator requests.
func (o *OAuth) Scopes() []string { return append([]string(nil), o.scopes...) }

// String describes the authenticator without its key or tokens.
func (o OAuth) String() string { return "okta.OAuth(" + o.Describe() + ")" }

// Format implements fmt.Formatter, so that no verb prints the key or tokens.
func (o OAuth) Format(f fmt.State, _ rune) { io.WriteString(f, o.String()) }

// LogValue implements slog.LogValuer.
func (o OAuth) LogValue() slog.Value { return slog.StringValue(o.Describe()) }

// MarshalJSON hides the key and tokens from encoding/json.
func (o OAuth) MarshalJSON() ([]byte, error) { return json.Marshal(o.Describe()) }

// Authorize implements Authenticator: it sets "Authorization: Bearer <token>",
// fetching a token first when none is cached for the request's org.
func (o *OAuth) Authorize(ctx context.Context, req *http.Request) error {
	env := authEnvFrom(ctx)
	origin := req.URL.Scheme + "://" + req.URL.Host
	if t, ok := o.cached(origin, env.clock.Now()); ok {
		req.Header.Set("Authorization", "Bearer "+string(t))
		return nil
	}
	select {
	case o.fetching <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("okta: OAuth: waiting for an access token: %w", ctx.Err())
	}
	defer func() { <-o.fetching }()
	if t, ok := o.cached(origin, env.clock.Now()); ok { // fetched while we waited
		req.Header.Set("Authorization", "Bearer "+string(t))
		return nil
	}
	t, err := o.fetch(ctx, origin, env)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+string(t))
	return nil
}

func (o *OAuth) cached(origin string, now time.Time) (Secret, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	t, ok := o.tokens[origin]
	if !ok || !now.Before(t.refreshAt) {
		return "", false
	}
	return t.value, true
}

// Invalidate implements Invalidator: it drops the cached token that req
// carried, so that the next Authorize fetches a new one.
func (o *OAuth) Invalidate(req *http.Request) {
	origin := req.URL.Scheme + "://" + req.URL.Host
	sent, _ := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	o.mu.Lock()
	defer o.mu.Unlock()
	if t, ok := o.tokens[origin]; ok && string(t.value) == sent {
		delete(o.tokens, origin)
	}
}

// tokenAnswer is the token endpoint's JSON, success or error.
type tokenAnswer struct {
	TokenType        string          `json:"token_type"`
	ExpiresIn        json.RawMessage `json:"expires_in"`
	AccessToken      string          `json:"access_token"`
	Scope            string          `json:"scope"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
}

// fetch runs the client_credentials grant against origin's token endpoint.
func (o *OAuth) fetch(ctx context.Context, origin string, env *authEnv) (Secret, error) {
	tokenURL := origin + tokenPath
	now := env.clock.Now()
	assertion, err := o.assertion(tokenURL, now)
	if err != nil {
		return "", err
	}
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"scope":                 {strings.Join(o.scopes, " ")},
		"client_assertion_type": {jwtBearerAssertion},
		"client_assertion":      {assertion},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("okta: OAuth: building the token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", env.userAgent)
	hc := o.hc
	if hc == nil {
		hc = env.hc
	}
	hr, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("okta: OAuth: token request to %s failed: %w", tokenPath, newNetworkError(req.URL.Host, err))
	}
	defer hr.Body.Close()
	data, err := io.ReadAll(io.LimitReader(hr.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("okta: OAuth: reading the token answer: %w", err)
	}
	if hr.StatusCode != http.StatusOK {
		// An error answer that echoes the signed client assertion must not
		// carry it into errors and logs.
		data = scrubSecrets(data, []string{assertion})
	}
	var ta tokenAnswer
	jsonErr := json.Unmarshal(data, &ta)
	rid := hr.Header.Get("X-Okta-Request-Id")
	if hr.StatusCode != http.StatusOK {
		oe := &OAuthError{StatusCode: hr.StatusCode, Code: OneLine(ta.Error, 64), Description: OneLine(ta.ErrorDescription, 512), RequestID: rid}
		if jsonErr != nil && oe.Description == "" {
			oe.Description = http.StatusText(hr.StatusCode)
		}
		if isDPoPError(ta.Error, ta.ErrorDescription) || dpopChallenge(hr.Header) {
			return "", fmt.Errorf("%w (%w)", ErrDPoPRequired, oe)
		}
		env.logger.LogAttrs(ctx, slog.LevelWarn, "okta: OAuth token request refused",
			slog.String("auth", o.Describe()), slog.Int("status", hr.StatusCode),
			slog.String("error", oe.Code), slog.String("request_id", rid))
		return "", oe
	}
	if jsonErr != nil {
		return "", fmt.Errorf("okta: OAuth: the token answer is not JSON: %w", jsonErr)
	}
	if strings.EqualFold(ta.TokenType, "DPoP") {
		return "", ErrDPoPRequired
	}
	if !strings.EqualFold(ta.TokenType, "Bearer") {
		return "", fmt.Errorf("okta: OAuth: unsupported token_type %q (want Bearer)", OneLine(ta.TokenType, 32))
	}
	if ta.AccessToken == "" || !isPrintableASCII(ta.AccessToken) {
		return "", errors.New("okta: OAuth: the token answer has no usable access_token")
	}
	lifetime := time.Duration(parseExpiresIn(ta.ExpiresIn)) * time.Second
	margin := min(tokenRefreshMargin, lifetime/2)
	t := &accessToken{value: Secret(ta.AccessToken), refreshAt: now.Add(lifetime - margin)}
	o.mu.Lock()
	o.tokens[origin] = t
	o.mu.Unlock()
	env.logger.LogAttrs(ctx, slog.LevelInfo, "okta: OAuth access token obtained",
		slog.String("auth", o.Describe()), slog.String("scope", OneLine(ta.Scope, 512)),
		slog.Duration("expires_in", lifetime), slog.String("request_id", rid))
	return t.value, nil
}

func parseExpiresIn(raw json.RawMessage) int64 {
	s := strings.Trim(string(raw), `" `)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return defaultTokenSeconds
	}
	return min(n, 24*3600)
}

func isDPoPError(code, desc string) bool {
	switch code {
	case "invalid_dpop_proof", "use_dpop_nonce":
		return true
	}
	return strings.Contains(strings.ToLower(desc), "dpop")
}

// assertion signs the private_key_jwt client assertion for tokenURL.
func (o *OAuth) assertion(tokenURL string, now time.Time) (string, error) {
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return "", fmt.Errorf("okta: OAuth: %w", err)
	}
	claims := jwt.MapClaims{
		"iss": o.clientID,
		"sub": o.clientID,
		"aud": tokenURL,
		"iat": now.Unix(),
		"exp": now.Add(assertionLifetime).Unix(),
		"jti": hex.EncodeToString(jti[:]),
	}
	t := jwt.NewWithClaims(o.key.method, claims)
	if o.keyID != "" {
		t.Header["kid"] = o.keyID
	}
	s, err := t.SignedString(o.key.key)
	if err != nil {
		return "", fmt.Errorf("okta: OAuth: signing the client assertion: %w", err)
	}
	return s, nil
}

// PrivateKey is a parsed service-app signing key. It hides itself from fmt,
// log/slog and encoding/json.
type PrivateKey struct {
	*privateKey // behind a pointer, so that printing a PrivateKey value shows no key
}

type privateKey struct {
	key    any // *rsa.PrivateKey or *ecdsa.PrivateKey
	method jwt.SigningMethod
}

// ParsePrivateKey parses a PEM or JWK private key as OAuthConfig.PrivateKey
// describes. Its errors never contain key material.
func ParsePrivateKey(data []byte) (*PrivateKey, error) {
	k, _, err := parsePrivateKey(data)
	return k, err
}

// Algorithm returns the JWS algorithm the key signs with (RS256, ES256, ...).
func (k *PrivateKey) Algorithm() string { return k.method.Alg() }

// Public returns the public half of the key.
func (k *PrivateKey) Public() any {
	switch key := k.key.(type) {
	case *rsa.PrivateKey:
		return &key.PublicKey
	case *ecdsa.PrivateKey:
		return &key.PublicKey
	}
	return nil
}

// String hides the key.
func (k PrivateKey) String() string { return "okta.PrivateKey(" + redacted + ")" }

// Format implements fmt.Formatter, so that no verb prints the key.
func (k PrivateKey) Format(f fmt.State, _ rune) { io.WriteString(f, k.String()) }

// LogValue implements slog.LogValuer.
func (k PrivateKey) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON hides the key from encoding/json.
func (k PrivateKey) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

func parsePrivateKey(data []byte) (*PrivateKey, string, error) {
	data = bytes.TrimSpace(data)
	if !bytes.Contains(data, []byte("\n")) && bytes.Contains(data, []byte(`\n`)) {
		data = bytes.ReplaceAll(data, []byte(`\n`), []byte("\n"))
	}
	if len(data) > 0 && data[0] == '{' {
		return parseJWK(data)
	}
	var seen []string
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == "ENCRYPTED PRIVATE KEY" || block.Headers["Proc-Type"] != "" {
			return nil, "", errors.New("okta: OAuth: the private key is encrypted; give it unencrypted (protect the file instead)")
		}
		var (
			key any
			err error
		)
		switch block.Type {
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		default:
			seen = append(seen, block.Type)
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("okta: OAuth: the %s block is not a valid key: %w", block.Type, err)
		}
		k, err := newPrivateKey(key)
		return k, "", err
	}
	if len(seen) > 0 {
		return nil, "", fmt.Errorf("okta: OAuth: no private key in the PEM data (found %s)", strings.Join(seen, ", "))
	}
	return nil, "", errors.New("okta: OAuth: the private key is neither PEM nor a JWK")
}

func newPrivateKey(key any) (*PrivateKey, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("okta: OAuth: the RSA key has %d bits; Okta requires at least 2048", k.N.BitLen())
		}
		return &PrivateKey{&privateKey{key: k, method: jwt.SigningMethodRS256}}, nil
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256():
			return &PrivateKey{&privateKey{key: k, method: jwt.SigningMethodES256}}, nil
		case elliptic.P384():
			return &PrivateKey{&privateKey{key: k, method: jwt.SigningMethodES384}}, nil
		case elliptic.P521():
			return &PrivateKey{&privateKey{key: k, method: jwt.SigningMethodES512}}, nil
		}
		return nil, errors.New("okta: OAuth: unsupported EC curve (use P-256, P-384 or P-521)")
	}
	kind := "this kind of key"
	if _, ok := key.(ed25519.PrivateKey); ok {
		kind = "an Ed25519 key"
	}
	return nil, fmt.Errorf("okta: OAuth: the private key is %s, which Okta does not accept for client authentication: use an RSA (2048 bits or more) or EC (P-256, P-384, P-521) key", kind)
}

// jwk is the subset of a private JSON Web Key (RFC 7517/7518) used here.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Crv string `json:"crv"`
	N   string `json:"n"`
	E   string `json:"e"`
	D   string `json:"d"`
	P   string `json:"p"`
	Q   string `json:"q"`
	X   string `json:"x"`
	Y   string `json:"y"`

	Keys []jwk `json:"keys"` // a JWK set: its first private key is used
}

func parseJWK(data []byte) (*PrivateKey, string, error) {
	var j jwk
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, "", errors.New("okta: OAuth: the private key looks like a JWK but is not valid JSON")
	}
	if len(j.Keys) > 0 {
		for _, k := range j.Keys {
			if k.D != "" {
				j = k
				break
			}
		}
	}
	if j.D == "" {
		return nil, "", errors.New(`okta: OAuth: the JWK has no private part ("d"); give the private key`)
	}
	b := func(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "=")) }
	bad := errors.New("okta: OAuth: the JWK's key parameters are not valid base64url")
	switch j.Kty {
	case "RSA":
		var ints [5]*big.Int
		for i, s := range []string{j.N, j.E, j.D, j.P, j.Q} {
			v, err := b(s)
			if err != nil || len(v) == 0 {
				return nil, "", bad
			}
			ints[i] = new(big.Int).SetBytes(v)
		}
		if !ints[1].IsInt64() || ints[1].Int64() > 1<<31-1 {
			return nil, "", errors.New("okta: OAuth: the JWK's RSA exponent is out of range")
		}
		k := &rsa.PrivateKey{
			PublicKey: rsa.PublicKey{N: ints[0], E: int(ints[1].Int64())},
			D:         ints[2],
			Primes:    []*big.Int{ints[3], ints[4]},
		}
		if err := k.Validate(); err != nil {
			return nil, "", errors.New("okta: OAuth: the JWK is not a consistent RSA private key")
		}
		k.Precompute()
		pk, err := newPrivateKey(k)
		return pk, j.Kid, err
	case "EC":
		var curve elliptic.Curve
		switch j.Crv {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			return nil, "", errors.New("okta: OAuth: unsupported JWK curve (use P-256, P-384 or P-521)")
		}
		d, err := b(j.D)
		if err != nil {
			return nil, "", bad
		}
		k, err := ecdsa.ParseRawPrivateKey(curve, d)
		if err != nil {
			return nil, "", errors.New("okta: OAuth: the JWK is not a valid EC private key")
		}
		pk, err := newPrivateKey(k)
		return pk, j.Kid, err
	}
	return nil, "", errors.New(`okta: OAuth: unsupported JWK "kty" (use RSA or EC)`)
}

// authEnv is what a Client lends its authenticator for token requests: its
// HTTP client, clock, logger and User-Agent. It travels in the context of
// the request being authorized.
type authEnv struct {
	hc        *http.Client
	clock     Clock
	logger    *slog.Logger
	userAgent string
	timeout   time.Duration
}

type authEnvKey struct{}

func withAuthEnv(ctx context.Context, env *authEnv) context.Context {
	return context.WithValue(ctx, authEnvKey{}, env)
}

var defaultAuthEnv = &authEnv{
	hc:        &http.Client{Timeout: DefaultTimeout, CheckRedirect: noRedirects},
	clock:     realClock{},
	logger:    slog.New(slog.DiscardHandler),
	userAgent: "okta-mcp/" + Version,
}

func authEnvFrom(ctx context.Context) *authEnv {
	if env, ok := ctx.Value(authEnvKey{}).(*authEnv); ok && env != nil {
		return env
	}
	return defaultAuthEnv
}
