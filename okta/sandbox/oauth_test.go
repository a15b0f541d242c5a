package sandbox

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type oauthFixture struct {
	*harness
	ecKey  *ecdsa.PrivateKey
	rsaKey *rsa.PrivateKey
}

func newOAuthFixture(t *testing.T) *oauthFixture {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	h := newTestOrg(t, func(o *Options) {
		o.OAuthClients = []OAuthClient{
			{ClientID: "0oareader", PublicKey: &ec.PublicKey, KeyID: "k1", Scopes: []string{"okta.users.read", "okta.groups.read"}},
			{ClientID: "0oaadmin", PublicKey: &rk.PublicKey, Scopes: []string{"okta.users.manage", "okta.groups.manage", "okta.users.read"}},
			{ClientID: "0oadpop", PublicKey: &ec.PublicKey, Scopes: []string{"okta.users.read"}, RequireDPoP: true},
		}
	})
	return &oauthFixture{harness: h, ecKey: ec, rsaKey: rk}
}

func (f *oauthFixture) assertion(t *testing.T, clientID string, key crypto.Signer, mutate func(jwt.MapClaims, *jwt.Token)) string {
	now := f.clock.Now()
	claims := jwt.MapClaims{
		"iss": clientID, "sub": clientID, "aud": DemoOrgURL + "/oauth2/v1/token",
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": strings.Repeat("j", 8) + now.String() + clientID,
	}
	method := jwt.SigningMethod(jwt.SigningMethodES256)
	if _, ok := key.(*rsa.PrivateKey); ok {
		method = jwt.SigningMethodRS256
	}
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = "k1"
	if mutate != nil {
		mutate(claims, tok)
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

func (f *oauthFixture) token(t *testing.T, form url.Values, hdr ...string) result {
	return f.do("POST", "/oauth2/v1/token", form.Encode(), append([]string{"Content-Type", "application/x-www-form-urlencoded", "Authorization", ""}, hdr...)...)
}

func tokenForm(assertion, scope string) url.Values {
	return url.Values{
		"grant_type":            {"client_credentials"},
		"scope":                 {scope},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	}
}

func TestOAuthClientCredentials(t *testing.T) {
	f := newOAuthFixture(t)
	r := f.token(t, tokenForm(f.assertion(t, "0oareader", f.ecKey, nil), "okta.users.read"))
	require.Equal(t, 200, r.status, string(r.body))
	body := r.json(t)
	assert.Equal(t, "Bearer", body["token_type"])
	assert.EqualValues(t, 3600, body["expires_in"])
	assert.Equal(t, "okta.users.read", body["scope"])
	tok := body["access_token"].(string)
	require.NotEmpty(t, tok)
	assert.NotEmpty(t, r.header.Get("X-Okta-Request-Id"))

	bearer := "Bearer " + tok
	assert.Equal(t, 200, f.do("GET", "/api/v1/users", "", "Authorization", bearer).status)
	assert.Equal(t, 200, f.do("GET", "/api/v1/users/active@example.com/groups", "", "Authorization", bearer).status)
	r = f.do("GET", "/api/v1/groups", "", "Authorization", bearer)
	assert.Equal(t, 403, r.status, "okta.groups.read was not requested")
	assert.Equal(t, "E0000006", r.errorCode(t))
	assert.Contains(t, r.header.Get("WWW-Authenticate"), "insufficient_scope")
	r = f.do("POST", "/api/v1/users/active@example.com/lifecycle/suspend", "", "Authorization", bearer)
	assert.Equal(t, 403, r.status)
	assert.Equal(t, "ACTIVE", f.status("active@example.com"))

	// manage includes read; RSA keys work too.
	r = f.token(t, tokenForm(f.assertion(t, "0oaadmin", f.rsaKey, nil), "okta.users.manage okta.groups.manage"))
	require.Equal(t, 200, r.status, string(r.body))
	admin := "Bearer " + r.json(t)["access_token"].(string)
	assert.Equal(t, 200, f.do("GET", "/api/v1/groups", "", "Authorization", admin).status)
	assert.Equal(t, 200, f.do("POST", "/api/v1/users/active@example.com/lifecycle/suspend", "", "Authorization", admin).status)

	// Tokens last an hour.
	f.clock.Advance(time.Hour)
	r = f.do("GET", "/api/v1/users", "", "Authorization", bearer)
	assert.Equal(t, 401, r.status)
	assert.Equal(t, "E0000011", r.errorCode(t))
}

func TestOAuthTokenErrors(t *testing.T) {
	f := newOAuthFixture(t)
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	good := func(m func(jwt.MapClaims, *jwt.Token)) string { return f.assertion(t, "0oareader", f.ecKey, m) }
	tests := []struct {
		name       string
		form       url.Values
		hdr        []string
		wantStatus int
		wantError  string
	}{
		{"wrong key", tokenForm(f.assertion(t, "0oareader", other, nil), "okta.users.read"), nil, 401, "invalid_client"},
		{"unknown client", tokenForm(f.assertion(t, "0oanobody", f.ecKey, nil), "okta.users.read"), nil, 401, "invalid_client"},
		{"wrong audience", tokenForm(good(func(c jwt.MapClaims, _ *jwt.Token) { c["aud"] = "https://evil.example.com/oauth2/v1/token" }), "okta.users.read"), nil, 401, "invalid_client"},
		{"expired", tokenForm(good(func(c jwt.MapClaims, _ *jwt.Token) { c["exp"] = f.clock.Now().Add(-time.Minute).Unix() }), "okta.users.read"), nil, 401, "invalid_client"},
		{"no exp", tokenForm(good(func(c jwt.MapClaims, _ *jwt.Token) { delete(c, "exp") }), "okta.users.read"), nil, 401, "invalid_client"},
		{"exp too far", tokenForm(good(func(c jwt.MapClaims, _ *jwt.Token) { c["exp"] = f.clock.Now().Add(2 * time.Hour).Unix() }), "okta.users.read"), nil, 401, "invalid_client"},
		{"sub differs", tokenForm(good(func(c jwt.MapClaims, _ *jwt.Token) { c["sub"] = "someone" }), "okta.users.read"), nil, 401, "invalid_client"},
		{"wrong kid", tokenForm(good(func(_ jwt.MapClaims, tok *jwt.Token) { tok.Header["kid"] = "k2" }), "okta.users.read"), nil, 401, "invalid_client"},
		{"no assertion", url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.users.read"}}, nil, 401, "invalid_client"},
		{"not granted scope", tokenForm(good(nil), "okta.users.manage"), nil, 400, "invalid_scope"},
		{"no scope", tokenForm(good(nil), ""), nil, 400, "invalid_scope"},
		{"password grant", func() url.Values {
			v := tokenForm(good(nil), "okta.users.read")
			v.Set("grant_type", "password")
			return v
		}(), nil, 400, "unsupported_grant_type"},
		{"json body", tokenForm(good(nil), "okta.users.read"), []string{"Content-Type", "application/json"}, 400, "invalid_request"},
		{"DPoP required", tokenForm(f.assertion(t, "0oadpop", f.ecKey, nil), "okta.users.read"), nil, 400, "invalid_dpop_proof"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.token(t, tt.form, tt.hdr...)
			assert.Equal(t, tt.wantStatus, r.status, string(r.body))
			assert.Equal(t, tt.wantError, r.json(t)["error"])
			assert.NotEmpty(t, r.json(t)["error_description"])
		})
	}
	// HS256 signed with the public key's bytes (algorithm confusion).
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "0oareader", "sub": "0oareader", "aud": DemoOrgURL + "/oauth2/v1/token", "exp": f.clock.Now().Add(time.Minute).Unix()})
	s, err := hs.SignedString([]byte("whatever"))
	require.NoError(t, err)
	assert.Equal(t, 401, f.token(t, tokenForm(s, "okta.users.read")).status)

	// An assertion (jti) is good once.
	a := good(nil)
	assert.Equal(t, 200, f.token(t, tokenForm(a, "okta.users.read")).status)
	r := f.token(t, tokenForm(a, "okta.users.read"))
	assert.Equal(t, 401, r.status)
	assert.Contains(t, r.json(t)["error_description"], "already been used")
}
