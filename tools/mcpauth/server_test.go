package mcpauth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testIssuer is an authorization server on 127.0.0.1 serving RFC 8414
// metadata under its issuer path and a JWKS whose keys the test swaps.
type testIssuer struct {
	srv       *httptest.Server
	issuer    string
	mu        sync.Mutex
	keys      map[string]*rsa.PrivateKey // published
	jwksHits  atomic.Int32
	authSeen  atomic.Value // last Authorization header seen by the issuer
	metaIssue string       // issuer value in the metadata; default issuer
}

var (
	keyOnce  sync.Once
	testKeys []*rsa.PrivateKey
)

// keys returns n 2048-bit RSA keys, generated once per test binary.
func keys(t *testing.T, n int) []*rsa.PrivateKey {
	keyOnce.Do(func() {
		for range 3 {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			testKeys = append(testKeys, k)
		}
	})
	require.LessOrEqual(t, n, len(testKeys))
	return testKeys[:n]
}

func newTestIssuer(t *testing.T, kid string, key *rsa.PrivateKey) *testIssuer {
	ti := &testIssuer{keys: map[string]*rsa.PrivateKey{kid: key}}
	mux := http.NewServeMux()
	mux.HandleFunc("/oauth2/default/.well-known/oauth-authorization-server", func(w http.ResponseWriter, r *http.Request) {
		ti.authSeen.Store(r.Header.Get("Authorization"))
		iss := ti.metaIssue
		if iss == "" {
			iss = ti.issuer
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": iss, "jwks_uri": ti.issuer + "/v1/keys"})
	})
	mux.HandleFunc("/oauth2/default/v1/keys", func(w http.ResponseWriter, r *http.Request) {
		ti.jwksHits.Add(1)
		ti.authSeen.Store(r.Header.Get("Authorization"))
		ti.mu.Lock()
		defer ti.mu.Unlock()
		var ks []map[string]string
		for kid, k := range ti.keys {
			ks = append(ks, map[string]string{
				"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
				"n": base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
				"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes()),
			})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": ks})
	})
	ti.srv = httptest.NewUnstartedServer(mux)
	ti.issuer = "http://" + ti.srv.Listener.Addr().String() + "/oauth2/default"
	ti.srv.Start()
	t.Cleanup(ti.srv.Close)
	return ti
}

func (ti *testIssuer) publish(keys map[string]*rsa.PrivateKey) {
	ti.mu.Lock()
	ti.keys = keys
	ti.mu.Unlock()
}

const resource = "http://127.0.0.1:8080/mcp"

// mint signs claims with key under kid (RS256).
func mint(t *testing.T, key *rsa.PrivateKey, kid string, c jwt.MapClaims) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

func goodClaims(iss string, scopes ...string) jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{
		"iss": iss, "aud": resource, "sub": "ada@example.com", "uid": "00uada", "cid": "client1",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "scp": scopes,
	}
}

type fixture struct {
	ti   *testIssuer
	rs   *Server
	h    http.Handler
	seen *atomic.Value // identity and Authorization header seen by the protected handler
}

type seenReq struct {
	id   Identity
	ok   bool
	auth string
	body string
}

func newFixture(t *testing.T, mod func(*Config)) *fixture {
	k := keys(t, 1)[0]
	ti := newTestIssuer(t, "k1", k)
	cfg := Config{
		Issuer: ti.issuer, Resource: resource, AllowHTTP: true,
		NeedsManage: func(tool string) bool { return tool == "okta_delete_user" },
	}
	if mod != nil {
		mod(&cfg)
	}
	rs, err := New(cfg)
	require.NoError(t, err)
	seen := &atomic.Value{}
	h := rs.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := IdentityFrom(r.Context())
		b, _ := io.ReadAll(r.Body)
		seen.Store(seenReq{id: id, ok: ok, auth: r.Header.Get("Authorization"), body: string(b)})
		w.WriteHeader(http.StatusOK)
	}))
	return &fixture{ti: ti, rs: rs, h: h, seen: seen}
}

func (f *fixture) do(token, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/mcp", strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

const listBody = `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`

func callBody(tool string) string {
	return `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"` + tool + `","arguments":{}}}`
}

func TestMetadataDocument(t *testing.T) {
	f := newFixture(t, nil)
	assert.Equal(t, []string{"/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"}, f.rs.MetadataPaths())
	assert.Equal(t, "http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp", f.rs.MetadataURL())
	rec := httptest.NewRecorder()
	f.rs.MetadataHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/.well-known/oauth-protected-resource/mcp", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &doc))
	assert.Equal(t, resource, doc["resource"])
	assert.Equal(t, []any{f.ti.issuer}, doc["authorization_servers"])
	assert.Equal(t, []any{ScopeRead, ScopeManage}, doc["scopes_supported"])
	assert.Equal(t, []any{"header"}, doc["bearer_methods_supported"])
}

func TestNoTokenGets401WithResourceMetadata(t *testing.T) {
	f := newFixture(t, nil)
	for _, auth := range []string{"", "Basic abc", "Bearer ", "SSWS abc"} {
		req := httptest.NewRequest(http.MethodPost, "/mcp", strings.NewReader(listBody))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusUnauthorized, rec.Code, auth)
		assert.Equal(t, `Bearer scope="okta-mcp.read", resource_metadata="http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp"`,
			rec.Header().Get("WWW-Authenticate"), auth)
		assert.Contains(t, rec.Body.String(), `"code":-32001`)
	}
	// A token in the query string is not a token.
	tok := mint(t, keys(t, 1)[0], "k1", goodClaims(f.ti.issuer, ScopeRead))
	req := httptest.NewRequest(http.MethodPost, "/mcp?access_token="+tok, strings.NewReader(listBody))
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusUnauthorized, rec.Code)
	assert.Nil(t, f.seen.Load())
}

func TestValidTokenPassesIdentityNotToken(t *testing.T) {
	f := newFixture(t, nil)
	tok := mint(t, keys(t, 1)[0], "k1", goodClaims(f.ti.issuer, ScopeRead))
	rec := f.do(tok, listBody)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	s := f.seen.Load().(seenReq)
	require.True(t, s.ok)
	assert.Equal(t, "ada@example.com", s.id.Subject)
	assert.Equal(t, "00uada", s.id.UserID)
	assert.Equal(t, "client1", s.id.ClientID)
	assert.Equal(t, []string{ScopeRead}, s.id.Scopes)
	assert.Empty(t, s.auth, "the access token must not travel past the resource server")
	assert.Equal(t, listBody, s.body, "the body stays readable")
	// The issuer never sees the MCP access token either.
	assert.Empty(t, f.ti.authSeen.Load())
}

func TestScopeStringAccepted(t *testing.T) {
	f := newFixture(t, nil)
	c := goodClaims(f.ti.issuer)
	delete(c, "scp")
	c["scope"] = "openid okta-mcp.manage"
	rec := f.do(mint(t, keys(t, 1)[0], "k1", c), callBody("okta_delete_user"))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.True(t, f.seen.Load().(seenReq).id.CanManage())
}

func TestRejectedTokens(t *testing.T) {
	ks := keys(t, 2)
	good, other := ks[0], ks[1]
	f := newFixture(t, nil)
	iss := f.ti.issuer
	with := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := goodClaims(iss, ScopeRead, ScopeManage)
		mod(c)
		return c
	}
	hs256 := func(c jwt.MapClaims) string {
		// The classic confusion: HMAC keyed with the issuer's public key.
		der, _ := x509.MarshalPKIXPublicKey(&good.PublicKey)
		pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
		tok.Header["kid"] = "k1"
		s, err := tok.SignedString(pemKey)
		require.NoError(t, err)
		return s
	}
	none := func(c jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodNone, c)
		tok.Header["kid"] = "k1"
		s, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
		require.NoError(t, err)
		return s
	}
	tampered := func() string {
		// A valid token whose payload is changed to add the manage scope.
		parts := strings.Split(mint(t, good, "k1", goodClaims(iss, ScopeRead)), ".")
		p, _ := json.Marshal(goodClaims(iss, ScopeManage))
		parts[1] = base64.RawURLEncoding.EncodeToString(p)
		return strings.Join(parts, ".")
	}
	cases := []struct {
		name, token, want string
	}{
		{"wrong issuer", mint(t, good, "k1", with(func(c jwt.MapClaims) { c["iss"] = "https://evil.example.com/oauth2/default" })), "another authorization server"},
		{"wrong audience", mint(t, good, "k1", with(func(c jwt.MapClaims) { c["aud"] = "api://default" })), "another resource"},
		{"audience with trailing slash", mint(t, good, "k1", with(func(c jwt.MapClaims) { c["aud"] = resource + "/" })), "another resource"},
		{"no audience", mint(t, good, "k1", with(func(c jwt.MapClaims) { delete(c, "aud") })), "required claim"},
		{"signed by another key", mint(t, other, "k1", goodClaims(iss, ScopeManage)), "signature is not valid"},
		{"tampered payload", tampered(), "signature is not valid"},
		{"expired", mint(t, good, "k1", with(func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-2 * time.Minute).Unix() })), "expired"},
		{"no exp", mint(t, good, "k1", with(func(c jwt.MapClaims) { delete(c, "exp") })), "required claim"},
		{"not yet valid", mint(t, good, "k1", with(func(c jwt.MapClaims) { c["nbf"] = time.Now().Add(5 * time.Minute).Unix() })), "not valid yet"},
		{"issued in the future", mint(t, good, "k1", with(func(c jwt.MapClaims) { c["iat"] = time.Now().Add(5 * time.Minute).Unix() })), "issued in the future"},
		{"alg none", none(goodClaims(iss, ScopeManage)), "signature is not valid"},
		{"alg HS256 with the public key", hs256(goodClaims(iss, ScopeManage)), "signature is not valid"},
		{"unknown kid", mint(t, other, "k9", goodClaims(iss, ScopeManage)), "key the issuer does not publish"},
		{"no kid", mint(t, good, "", goodClaims(iss, ScopeManage)), "no signing key"},
		{"no subject", mint(t, good, "k1", with(func(c jwt.MapClaims) { delete(c, "sub") })), "no subject"},
		{"not a JWT", "abc.def", "not a well-formed JWT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.seen.Store(seenReq{})
			rec := f.do(tc.token, listBody)
			assert.Equal(t, http.StatusUnauthorized, rec.Code)
			wa := rec.Header().Get("WWW-Authenticate")
			assert.True(t, strings.HasPrefix(wa, `Bearer error="invalid_token", scope="okta-mcp.read", resource_metadata="http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp", error_description="`), wa)
			assert.Contains(t, wa, tc.want)
			assert.Contains(t, rec.Body.String(), tc.want)
			assert.NotContains(t, rec.Body.String(), tc.token)
			assert.False(t, f.seen.Load().(seenReq).ok, "the request must not reach the handler")
		})
	}
	// The sanity check that makes the table meaningful: the same server
	// accepts a good token.
	assert.Equal(t, http.StatusOK, f.do(mint(t, good, "k1", goodClaims(iss, ScopeRead)), listBody).Code)
}

func TestOAuthAudienceOverride(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Audience = "api://okta-mcp" })
	c := goodClaims(f.ti.issuer, ScopeRead)
	assert.Equal(t, http.StatusUnauthorized, f.do(mint(t, keys(t, 1)[0], "k1", c), listBody).Code, "aud = resource is not the configured audience")
	c["aud"] = []string{"api://okta-mcp"}
	assert.Equal(t, http.StatusOK, f.do(mint(t, keys(t, 1)[0], "k1", c), listBody).Code)
}

func TestInsufficientScope(t *testing.T) {
	f := newFixture(t, nil)
	k := keys(t, 1)[0]
	read := mint(t, k, "k1", goodClaims(f.ti.issuer, ScopeRead))
	manage := mint(t, k, "k1", goodClaims(f.ti.issuer, ScopeManage))
	nothing := mint(t, k, "k1", goodClaims(f.ti.issuer, "openid"))

	rec := f.do(read, callBody("okta_delete_user"))
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Equal(t, `Bearer error="insufficient_scope", scope="okta-mcp.manage", resource_metadata="http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp", error_description="okta_delete_user changes Okta and needs the okta-mcp.manage scope; the access token of ada@example.com has only okta-mcp.read"`,
		rec.Header().Get("WWW-Authenticate"))

	// In a batch too.
	rec = f.do(read, "["+callBody("okta_get_user")+","+callBody("okta_delete_user")+"]")
	assert.Equal(t, http.StatusForbidden, rec.Code)

	// Read tools and the rest of the protocol pass with read.
	assert.Equal(t, http.StatusOK, f.do(read, callBody("okta_get_user")).Code)
	assert.Equal(t, http.StatusOK, f.do(read, listBody).Code)
	// manage includes read.
	assert.Equal(t, http.StatusOK, f.do(manage, callBody("okta_delete_user")).Code)
	assert.Equal(t, http.StatusOK, f.do(manage, callBody("okta_get_user")).Code)

	// Neither scope: no tools (listing them or calling a read tool asks
	// for okta-mcp.read, a write tool for okta-mcp.manage), but the rest of
	// the protocol works.
	for _, body := range []string{listBody, callBody("okta_get_user")} {
		rec = f.do(nothing, body)
		assert.Equal(t, http.StatusForbidden, rec.Code, body)
		assert.Contains(t, rec.Header().Get("WWW-Authenticate"), `error="insufficient_scope", scope="okta-mcp.read"`)
		assert.Contains(t, rec.Header().Get("WWW-Authenticate"), "has neither okta-mcp.read nor okta-mcp.manage")
	}
	rec = f.do(nothing, callBody("okta_delete_user"))
	assert.Equal(t, http.StatusForbidden, rec.Code)
	assert.Contains(t, rec.Header().Get("WWW-Authenticate"), `scope="okta-mcp.manage"`)
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"ping"}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`,
	} {
		assert.Equal(t, http.StatusOK, f.do(nothing, body).Code, body)
	}
}

func TestKeyRotationAndRefetchLimit(t *testing.T) {
	ks := keys(t, 3)
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	f := newFixture(t, func(c *Config) { c.Now = clock; c.KeyRefetchInterval = time.Minute })
	iss := f.ti.issuer
	claims := func() jwt.MapClaims {
		c := goodClaims(iss, ScopeRead)
		c["iat"], c["exp"] = clock().Unix(), clock().Add(time.Hour).Unix()
		return c
	}

	require.Equal(t, http.StatusOK, f.do(mint(t, ks[0], "k1", claims()), listBody).Code)
	require.Equal(t, int32(1), f.ti.jwksHits.Load())
	require.Equal(t, http.StatusOK, f.do(mint(t, ks[0], "k1", claims()), listBody).Code)
	assert.Equal(t, int32(1), f.ti.jwksHits.Load(), "keys are cached")

	// Unknown key ids cause at most one refetch per interval (none right
	// after the first fetch).
	assert.Equal(t, http.StatusUnauthorized, f.do(mint(t, ks[2], "bogus", claims()), listBody).Code)
	assert.Equal(t, int32(1), f.ti.jwksHits.Load())
	advance(2 * time.Minute)
	for range 5 {
		assert.Equal(t, http.StatusUnauthorized, f.do(mint(t, ks[2], "bogus", claims()), listBody).Code)
	}
	assert.Equal(t, int32(2), f.ti.jwksHits.Load(), "one refetch for five unknown kids")

	// The issuer rotates: k2 is published, k1 is retired.
	f.ti.publish(map[string]*rsa.PrivateKey{"k2": ks[1]})
	advance(2 * time.Minute)
	assert.Equal(t, http.StatusOK, f.do(mint(t, ks[1], "k2", claims()), listBody).Code, "a token signed with the new key is accepted after a refetch")
	assert.Equal(t, int32(3), f.ti.jwksHits.Load())
	rec := f.do(mint(t, ks[0], "k1", claims()), listBody)
	assert.Equal(t, http.StatusUnauthorized, rec.Code, "the retired key is no longer trusted")
	assert.Contains(t, rec.Body.String(), "does not publish")

	// Keys older than the maximum age are fetched again.
	advance(2 * time.Hour)
	assert.Equal(t, http.StatusOK, f.do(mint(t, ks[1], "k2", claims()), listBody).Code)
	assert.Equal(t, int32(4), f.ti.jwksHits.Load())
}

func TestIssuerMetadataMustNameIssuer(t *testing.T) {
	f := newFixture(t, nil)
	f.ti.metaIssue = "https://other.example.com/oauth2/default"
	rec := f.do(mint(t, keys(t, 1)[0], "k1", goodClaims(f.ti.issuer, ScopeRead)), listBody)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	err := f.rs.Check(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "names issuer")
}

func TestIssuerUnreachable(t *testing.T) {
	f := newFixture(t, nil)
	f.ti.srv.Close()
	rec := f.do(mint(t, keys(t, 1)[0], "k1", goodClaims(f.ti.issuer, ScopeRead)), listBody)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "not the token's fault: no invalid_token challenge")
	assert.Empty(t, rec.Header().Get("WWW-Authenticate"))
}

func TestNewRefusesBadConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Issuer: "http://127.0.0.1:1/oauth2/default", Resource: resource}, "--allow-http"},
		{Config{Issuer: "http://auth.example.com/oauth2/default", Resource: resource, AllowHTTP: true}, "loopback"},
		{Config{Issuer: "dev-1.okta.com", Resource: resource}, "not an absolute URL"},
		{Config{Issuer: "https://dev-1.okta.com/oauth2/default", Resource: resource + "/"}, "trailing slash"},
		{Config{Issuer: "https://dev-1.okta.com/oauth2/default?x=1", Resource: resource}, "query"},
	} {
		_, err := New(tc.cfg)
		if assert.Error(t, err, tc.cfg.Issuer) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
	_, err := New(Config{Issuer: "https://dev-1.okta.com/oauth2/default", Resource: "https://mcp.example.com/mcp"})
	assert.NoError(t, err)
}
