package okta

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testClientID = "0oaTESTCLIENT123"

var (
	keysOnce sync.Once
	rsaKey   *rsa.PrivateKey
	ecKey    *ecdsa.PrivateKey
	ec384Key *ecdsa.PrivateKey
)

func testKeys(t testing.TB) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		rsaKey, err = rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		ecKey, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		ec384Key, _ = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	})
}

func pemBlock(typ string, der []byte) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func rsaPKCS1PEM(t testing.TB) string {
	testKeys(t)
	return pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey))
}

func pkcs8PEM(t testing.TB, key any) string {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return pemBlock("PRIVATE KEY", der)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func rsaJWK(t testing.TB, kid string) string {
	testKeys(t)
	j := map[string]string{
		"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
		"n": b64(rsaKey.N.Bytes()), "e": b64(big.NewInt(int64(rsaKey.E)).Bytes()), "d": b64(rsaKey.D.Bytes()),
		"p": b64(rsaKey.Primes[0].Bytes()), "q": b64(rsaKey.Primes[1].Bytes()),
	}
	out, _ := json.Marshal(j)
	return string(out)
}

func ecJWK(t testing.TB, kid string) string {
	testKeys(t)
	raw, err := ecKey.Bytes()
	require.NoError(t, err)
	j := map[string]string{"kty": "EC", "crv": "P-256", "kid": kid, "d": b64(raw),
		"x": b64(ecKey.X.Bytes()), "y": b64(ecKey.Y.Bytes())}
	out, _ := json.Marshal(j)
	return string(out)
}

// oauthOrg is a fake org with a token endpoint that verifies client
// assertions and an API that accepts only the tokens it issued.
type oauthOrg struct {
	t          *testing.T
	f          *fixture
	pub        any
	alg        string
	kid        string
	tokenCalls atomic.Int32
	apiCalls   atomic.Int32
	mu         sync.Mutex
	valid      map[string]bool
	forms      []map[string][]string
	answer     func(w http.ResponseWriter) bool // optional override of the token answer
	api        func(w http.ResponseWriter, r *http.Request) bool
}

func newOAuthOrg(t *testing.T, pub any, alg, kid string, auth func(*fixture) Authenticator) *oauthOrg {
	o := &oauthOrg{t: t, pub: pub, alg: alg, kid: kid, valid: map[string]bool{}}
	var a Authenticator
	o.f = setup(t, func(c *Config) { c.Auth = &lazyAuth{get: func() Authenticator { return a }} })
	a = auth(o.f)
	o.f.client.auth = &authHolder{a}
	o.f.mux.HandleFunc("POST /oauth2/v1/token", o.token)
	o.f.mux.HandleFunc("/api/v1/", o.serveAPI)
	return o
}

// lazyAuth lets setup build a client before the authenticator exists.
type lazyAuth struct{ get func() Authenticator }

func (l *lazyAuth) Authorize(ctx context.Context, r *http.Request) error {
	return l.get().Authorize(ctx, r)
}
func (l *lazyAuth) Describe() string { return "lazy" }

func (o *oauthOrg) token(w http.ResponseWriter, r *http.Request) {
	t := o.t
	n := o.tokenCalls.Add(1)
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Contains(t, r.Header.Get("User-Agent"), "okta-mcp/")
	assert.Empty(t, r.Header.Get("Authorization"))
	require.NoError(t, r.ParseForm())
	o.mu.Lock()
	o.forms = append(o.forms, r.PostForm)
	o.mu.Unlock()
	assert.Equal(t, "client_credentials", r.PostForm.Get("grant_type"))
	assert.Equal(t, "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", r.PostForm.Get("client_assertion_type"))
	assert.NotEmpty(t, r.PostForm.Get("scope"))

	// Verify the assertion with the public key, as Okta does.
	aud := "http://" + r.Host + "/oauth2/v1/token"
	tok, err := jwt.Parse(r.PostForm.Get("client_assertion"), func(tok *jwt.Token) (any, error) { return o.pub, nil },
		jwt.WithValidMethods([]string{o.alg}), jwt.WithAudience(aud), jwt.WithIssuer(testClientID), jwt.WithSubject(testClientID),
		jwt.WithTimeFunc(o.f.clock.Now), jwt.WithIssuedAt(), jwt.WithExpirationRequired())
	require.NoError(t, err, "client assertion must verify")
	claims := tok.Claims.(jwt.MapClaims)
	iat, _ := claims.GetIssuedAt()
	exp, _ := claims.GetExpirationTime()
	assert.LessOrEqual(t, exp.Sub(iat.Time), time.Hour, "exp at most 1h after iat")
	assert.Greater(t, exp.Sub(iat.Time), time.Duration(0))
	assert.Equal(t, o.f.clock.Now().Unix(), iat.Unix())
	assert.Len(t, claims["jti"], 32)
	assert.Equal(t, aud, claims["aud"], "aud is a single string")
	if o.kid != "" {
		assert.Equal(t, o.kid, tok.Header["kid"])
	} else {
		assert.NotContains(t, tok.Header, "kid")
	}
	if o.answer != nil && o.answer(w) {
		return
	}
	at := fmt.Sprintf("at-%d", n)
	o.mu.Lock()
	o.valid[at] = true
	o.mu.Unlock()
	writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": at, "scope": r.PostForm.Get("scope")})
}

func (o *oauthOrg) serveAPI(w http.ResponseWriter, r *http.Request) {
	o.apiCalls.Add(1)
	if o.api != nil && o.api(w, r) {
		return
	}
	bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	o.mu.Lock()
	valid := ok && o.valid[bearer]
	o.mu.Unlock()
	if !valid {
		writeOktaError(w, 401, "E0000011", "Invalid token provided")
		return
	}
	w.Header().Set("X-Used-Token", bearer)
	writeJSON(w, 200, map[string]any{"id": "00u1"})
}

func (o *oauthOrg) revokeAll() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.valid = map[string]bool{}
}

func newTestOAuth(t *testing.T, key string, kid string, scopes ...string) *OAuth {
	a, err := NewOAuth(OAuthConfig{ClientID: testClientID, PrivateKey: Secret(key), KeyID: kid, Scopes: scopes})
	require.NoError(t, err)
	return a
}

func rsaOrg(t *testing.T) (*oauthOrg, *OAuth) {
	testKeys(t)
	var a *OAuth
	o := newOAuthOrg(t, &rsaKey.PublicKey, "RS256", "kid-1", func(*fixture) Authenticator {
		a = newTestOAuth(t, rsaPKCS1PEM(t), "kid-1")
		return a
	})
	return o, a
}

func TestOAuthFetchesAndCachesToken(t *testing.T) {
	o, a := rsaOrg(t)
	ctx := context.Background()
	for range 3 {
		_, resp, err := o.f.client.GetUser(ctx, "00u1")
		require.NoError(t, err)
		assert.Equal(t, "at-1", resp.Header.Get("X-Used-Token"))
	}
	assert.Equal(t, int32(1), o.tokenCalls.Load())
	assert.Equal(t, "okta.users.read okta.users.manage okta.groups.read okta.groups.manage", o.forms[0]["scope"][0])
	assert.Equal(t, "oauth:"+testClientID, a.Describe())
	assert.Contains(t, o.f.logs.String(), "OAuth access token obtained")

	// Shortly before expiry (1h - 2m) a new token is fetched.
	o.f.clock.Advance(57 * time.Minute)
	_, resp, err := o.f.client.GetUser(ctx, "00u1")
	require.NoError(t, err)
	assert.Equal(t, "at-1", resp.Header.Get("X-Used-Token"))
	o.f.clock.Advance(1*time.Minute + time.Second)
	_, resp, err = o.f.client.GetUser(ctx, "00u1")
	require.NoError(t, err)
	assert.Equal(t, "at-2", resp.Header.Get("X-Used-Token"))
	assert.Equal(t, int32(2), o.tokenCalls.Load())
}

func TestOAuthRefreshesOnceOn401(t *testing.T) {
	o, _ := rsaOrg(t)
	ctx := context.Background()
	_, _, err := o.f.client.GetUser(ctx, "00u1")
	require.NoError(t, err)
	o.revokeAll() // the cached token is no longer accepted

	// A POST is retried too: a 401 was not processed.
	_, resp, err := o.f.client.CreateUser(ctx, CreateUserRequest{Profile: UserProfile{"login": "a@example.org"}}, true)
	require.NoError(t, err)
	assert.Equal(t, "at-2", resp.Header.Get("X-Used-Token"))
	assert.Equal(t, int32(2), o.tokenCalls.Load())
	assert.Equal(t, int32(3), o.apiCalls.Load())
	assert.Contains(t, o.f.logs.String(), "credential refused (401)")

	// When the new token is refused as well, the error is returned after one retry.
	o.f.mux.HandleFunc("/api/v1/groups/", func(w http.ResponseWriter, r *http.Request) {
		o.apiCalls.Add(1)
		writeOktaError(w, 401, "E0000011", "Invalid token provided")
	})
	before := o.apiCalls.Load()
	_, _, err = o.f.client.GetGroup(ctx, "00g1")
	assert.True(t, IsUnauthorized(err))
	assert.Equal(t, before+2, o.apiCalls.Load())
	assert.Equal(t, int32(3), o.tokenCalls.Load())
}

func TestOAuthConcurrentCallsFetchOneToken(t *testing.T) {
	o, _ := rsaOrg(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, _, err := o.f.client.GetUser(context.Background(), "00u1")
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), o.tokenCalls.Load())
}

func TestOAuthKeyFormats(t *testing.T) {
	testKeys(t)
	tests := []struct {
		name   string
		key    func(t *testing.T) string
		kid    string
		pub    any
		alg    string
		jwkKid string
	}{
		{"RSA PKCS#1", func(t *testing.T) string { return rsaPKCS1PEM(t) }, "k1", &rsaKey.PublicKey, "RS256", ""},
		{"RSA PKCS#8", func(t *testing.T) string { return pkcs8PEM(t, rsaKey) }, "", &rsaKey.PublicKey, "RS256", ""},
		{"EC P-256 SEC1", func(t *testing.T) string {
			der, err := x509.MarshalECPrivateKey(ecKey)
			require.NoError(t, err)
			return "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + pemBlock("EC PRIVATE KEY", der)
		}, "k3", &ecKey.PublicKey, "ES256", ""},
		{"EC P-384 PKCS#8", func(t *testing.T) string { return pkcs8PEM(t, ec384Key) }, "k4", &ec384Key.PublicKey, "ES384", ""},
		{"PEM with literal \\n", func(t *testing.T) string { return strings.ReplaceAll(rsaPKCS1PEM(t), "\n", `\n`) }, "k5", &rsaKey.PublicKey, "RS256", ""},
		{"RSA JWK, kid from the JWK", func(t *testing.T) string { return rsaJWK(t, "jwk-rsa") }, "", &rsaKey.PublicKey, "RS256", "jwk-rsa"},
		{"EC JWK, explicit kid wins", func(t *testing.T) string { return ecJWK(t, "jwk-ec") }, "explicit", &ecKey.PublicKey, "ES256", ""},
		{"JWK set", func(t *testing.T) string { return `{"keys":[` + ecJWK(t, "in-set") + `]}` }, "", &ecKey.PublicKey, "ES256", "in-set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKid := tt.kid
			if wantKid == "" {
				wantKid = tt.jwkKid
			}
			var pk *PrivateKey
			o := newOAuthOrg(t, tt.pub, tt.alg, wantKid, func(*fixture) Authenticator {
				a := newTestOAuth(t, tt.key(t), tt.kid, "okta.users.read")
				pk = a.key
				return a
			})
			assert.Equal(t, tt.alg, pk.Algorithm())
			_, _, err := o.f.client.GetUser(context.Background(), "00u1")
			require.NoError(t, err)
			assert.Equal(t, int32(1), o.tokenCalls.Load())
			assert.Equal(t, "okta.users.read", o.forms[0]["scope"][0])
		})
	}
}

func TestOAuthScopes(t *testing.T) {
	a := newTestOAuth(t, rsaPKCS1PEM(t), "", "okta.users.read okta.groups.read", "okta.users.manage,okta.groups.manage")
	assert.Equal(t, []string{"okta.users.read", "okta.groups.read", "okta.users.manage", "okta.groups.manage"}, a.Scopes())
}

func TestOAuthConfigErrors(t *testing.T) {
	testKeys(t)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	enc := "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n"
	legacyEnc := "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"
	tests := []struct {
		name string
		cfg  OAuthConfig
		want string
	}{
		{"no client id", OAuthConfig{PrivateKey: Secret(rsaPKCS1PEM(t))}, "no client id"},
		{"bad client id", OAuthConfig{ClientID: "a b\n", PrivateKey: Secret(rsaPKCS1PEM(t))}, "client id"},
		{"no key", OAuthConfig{ClientID: testClientID}, "no private key"},
		{"garbage", OAuthConfig{ClientID: testClientID, PrivateKey: "not a key SECRETMATERIAL"}, "neither PEM nor a JWK"},
		{"encrypted PKCS#8", OAuthConfig{ClientID: testClientID, PrivateKey: Secret(enc)}, "encrypted"},
		{"encrypted legacy", OAuthConfig{ClientID: testClientID, PrivateKey: Secret(legacyEnc)}, "encrypted"},
		{"small RSA", OAuthConfig{ClientID: testClientID, PrivateKey: Secret(pemBlock("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(small)))}, "1024 bits"},
		{"ed25519", OAuthConfig{ClientID: testClientID, PrivateKey: Secret(pkcs8PEM(t, edKey))}, "unsupported key type"},
		{"certificate only", OAuthConfig{ClientID: testClientID, PrivateKey: Secret(pemBlock("CERTIFICATE", []byte("x")))}, "found CERTIFICATE"},
		{"corrupt PKCS#1", OAuthConfig{ClientID: testClientID, PrivateKey: Secret(pemBlock("RSA PRIVATE KEY", []byte("SECRETMATERIAL")))}, "not a valid key"},
		{"public JWK", OAuthConfig{ClientID: testClientID, PrivateKey: `{"kty":"RSA","n":"AQAB","e":"AQAB"}`}, "no private part"},
		{"bad JWK json", OAuthConfig{ClientID: testClientID, PrivateKey: `{"kty":`}, "not valid JSON"},
		{"bad JWK kty", OAuthConfig{ClientID: testClientID, PrivateKey: `{"kty":"oct","d":"AAAA"}`}, "kty"},
		{"inconsistent RSA JWK", OAuthConfig{ClientID: testClientID, PrivateKey: `{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQAB","p":"Aw","q":"Bw"}`}, "consistent"},
		{"bad scope", OAuthConfig{ClientID: testClientID, PrivateKey: Secret(rsaPKCS1PEM(t)), Scopes: []string{`a"b`}}, "scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewOAuth(tt.cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "SECRETMATERIAL")
			assert.NotContains(t, err.Error(), "PRIVATE KEY-----")
		})
	}
}

func TestOAuthDPoP(t *testing.T) {
	testKeys(t)
	tests := []struct {
		name   string
		answer func(w http.ResponseWriter) bool
		api    func(w http.ResponseWriter, r *http.Request) bool
	}{
		{"token_type DPoP", func(w http.ResponseWriter) bool {
			writeJSON(w, 200, map[string]any{"token_type": "DPoP", "expires_in": 3600, "access_token": "dpop-token"})
			return true
		}, nil},
		{"invalid_dpop_proof", func(w http.ResponseWriter) bool {
			writeJSON(w, 400, map[string]any{"error": "invalid_dpop_proof", "error_description": "The DPoP proof JWT header is missing."})
			return true
		}, nil},
		{"use_dpop_nonce", func(w http.ResponseWriter) bool {
			w.Header().Set("DPoP-Nonce", "n")
			writeJSON(w, 400, map[string]any{"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce in DPoP proof."})
			return true
		}, nil},
		{"API asks for DPoP", nil, func(w http.ResponseWriter, r *http.Request) bool {
			w.Header().Set("WWW-Authenticate", `DPoP algs="RS256 ES256", error="invalid_token"`)
			writeOktaError(w, 401, "E0000011", "Invalid token provided")
			return true
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _ := rsaOrg(t)
			o.answer, o.api = tt.answer, tt.api
			_, _, err := o.f.client.GetUser(context.Background(), "00u1")
			require.ErrorIs(t, err, ErrDPoPRequired)
			assert.Contains(t, err.Error(), `turn off "Require Demonstrating Proof of Possession (DPoP) header in token requests"`)
			assert.NotContains(t, err.Error(), "dpop-token")
			if tt.api == nil {
				assert.Zero(t, o.apiCalls.Load(), "no API call without a usable token")
			} else {
				assert.Equal(t, int32(1), o.apiCalls.Load(), "a DPoP challenge is not retried")
			}
		})
	}
}

func TestOAuthTokenEndpointErrors(t *testing.T) {
	tests := []struct {
		name   string
		answer func(w http.ResponseWriter) bool
		want   string
	}{
		{"invalid_client", func(w http.ResponseWriter) bool {
			w.Header().Set("X-Okta-Request-Id", "tok-rid")
			writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "The client_assertion signature is invalid."})
			return true
		}, "okta: OAuth token request failed: 401 invalid_client: The client_assertion signature is invalid. (request id tok-rid)"},
		{"invalid_scope", func(w http.ResponseWriter) bool {
			writeJSON(w, 400, map[string]any{"error": "invalid_scope", "error_description": "The following scopes are not allowed: [okta.users.manage]"})
			return true
		}, "invalid_scope"},
		{"HTML", func(w http.ResponseWriter) bool {
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html>bad gateway</html>"))
			return true
		}, "502: Bad Gateway"},
		{"wrong token type", func(w http.ResponseWriter) bool {
			writeJSON(w, 200, map[string]any{"token_type": "mac", "access_token": "x"})
			return true
		}, `unsupported token_type "mac"`},
		{"no access token", func(w http.ResponseWriter) bool {
			writeJSON(w, 200, map[string]any{"token_type": "Bearer"})
			return true
		}, "no usable access_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, _ := rsaOrg(t)
			o.answer = tt.answer
			_, _, err := o.f.client.GetUser(context.Background(), "00u1")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "client_assertion=")
			assert.NotContains(t, err.Error(), "eyJ", "no JWT in errors")
			assert.Zero(t, o.apiCalls.Load())
		})
	}
}

// TestOAuthTokensStayWithTheirOrg: one authenticator used for two orgs
// keeps a token per org and never sends one org's token to another.
func TestOAuthTokensStayWithTheirOrg(t *testing.T) {
	testKeys(t)
	a := newTestOAuth(t, rsaPKCS1PEM(t), "")
	orgA := newOAuthOrg(t, &rsaKey.PublicKey, "RS256", "", func(*fixture) Authenticator { return a })
	orgB := newOAuthOrg(t, &rsaKey.PublicKey, "RS256", "", func(*fixture) Authenticator { return a })
	// Both orgs issue "at-1" etc.; make them distinct.
	orgB.answer = func(w http.ResponseWriter) bool {
		orgB.mu.Lock()
		orgB.valid["b-token"] = true
		orgB.mu.Unlock()
		writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": "b-token"})
		return true
	}
	ctx := context.Background()
	_, resp, err := orgA.f.client.GetUser(ctx, "00u1")
	require.NoError(t, err)
	assert.Equal(t, "at-1", resp.Header.Get("X-Used-Token"))
	_, resp, err = orgB.f.client.GetUser(ctx, "00u1")
	require.NoError(t, err)
	assert.Equal(t, "b-token", resp.Header.Get("X-Used-Token"))
	assert.Equal(t, int32(1), orgA.tokenCalls.Load())
	assert.Equal(t, int32(1), orgB.tokenCalls.Load())
}

func TestOAuthRedaction(t *testing.T) {
	key := rsaPKCS1PEM(t)
	a := newTestOAuth(t, key, "kid")
	f := setup(t)
	a.tokens["https://x"] = &accessToken{value: "ACCESS-TOKEN-SECRET", refreshAt: time.Now().Add(time.Hour)}
	cfg := OAuthConfig{ClientID: testClientID, PrivateKey: Secret(key)}
	keyLine := strings.Split(key, "\n")[1]
	var buf strings.Builder
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	logger.Info("x", "auth", a, "key", a.key, "cfg", cfg, "secret", Secret("s3cr3t"), "token", APIToken(testToken))
	logger = slog.New(slog.NewTextHandler(&buf, nil))
	logger.Info("x", "auth", a, "key", a.key, "cfg", cfg, "secret", Secret("s3cr3t"), "token", APIToken(testToken))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		for _, v := range []any{a, *a, a.key, *a.key, cfg, &cfg, Secret("s3cr3t"), APIToken(testToken), a.tokens, f.client, *f.client, Config{Auth: APIToken(testToken)}} {
			buf.WriteString(fmt.Sprintf(verb, v))
		}
	}
	j, _ := json.Marshal(map[string]any{"a": a, "k": a.key, "cfg": cfg, "tok": APIToken(testToken)})
	buf.Write(j)
	out := buf.String()
	for _, secret := range []string{keyLine, "ACCESS-TOKEN-SECRET", "s3cr3t", testToken, "PRIVATE KEY"} {
		assert.NotContains(t, out, secret)
	}
	assert.Contains(t, out, "oauth:"+testClientID)
	assert.Contains(t, out, redacted)
}

// Issue 9 finding 7, OAuth: an API answer echoing the access token, and a
// token-endpoint error echoing the signed client assertion, are scrubbed.
func TestOAuthEchoedCredentialsAreScrubbed(t *testing.T) {
	o, _ := rsaOrg(t)
	var sentToken string
	o.api = func(w http.ResponseWriter, r *http.Request) bool {
		sentToken = r.Header.Get("Authorization")
		writeOktaError(w, 403, "E0000006", "You do not have permission; you sent "+sentToken)
		return true
	}
	_, _, err := o.f.client.GetUser(context.Background(), "00u1")
	require.Error(t, err)
	require.NotEmpty(t, sentToken)
	assert.NotContains(t, err.Error(), strings.TrimPrefix(sentToken, "Bearer "))
	assert.Contains(t, err.Error(), "[redacted]")

	o2, _ := rsaOrg(t)
	o2.answer = func(w http.ResponseWriter) bool {
		o2.mu.Lock()
		assertion := o2.forms[len(o2.forms)-1]["client_assertion"][0]
		o2.mu.Unlock()
		writeJSON(w, 401, map[string]any{"error": "invalid_client", "error_description": "bad assertion " + assertion})
		return true
	}
	_, _, err = o2.f.client.GetUser(context.Background(), "00u1")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "eyJ", "no JWT in errors")
	assert.Contains(t, err.Error(), "[redacted]")
}
