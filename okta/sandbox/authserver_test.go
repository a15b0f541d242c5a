package sandbox

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-verifier"

func challengeOf(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// newASOrg is the test org with redirects not followed, auto-approving
// login (when not "").
func newASOrg(t *testing.T, login string, opts ...func(*Options)) *harness {
	h := newTestOrg(t, append([]func(*Options){func(o *Options) { o.AutoApprove = login }}, opts...)...)
	h.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return h
}

func authorizeQuery(server, scope string) url.Values {
	return url.Values{
		"client_id": {PublicClientID}, "response_type": {"code"}, "scope": {scope},
		"redirect_uri": {"http://127.0.0.1:8765/callback"}, "state": {"st4te"},
		"code_challenge": {challengeOf(testVerifier)}, "code_challenge_method": {"S256"},
	}
}

func asPrefix(server string) string {
	if server == "" {
		return "/oauth2/v1"
	}
	return "/oauth2/" + server + "/v1"
}

// authorize runs /authorize and returns the redirect's query.
func (h *harness) authorize(server string, q url.Values) (result, url.Values) {
	h.t.Helper()
	r := h.do("GET", asPrefix(server)+"/authorize?"+q.Encode(), "", "Authorization", "")
	if r.status != http.StatusFound {
		return r, nil
	}
	loc, err := url.Parse(r.header.Get("Location"))
	require.NoError(h.t, err)
	return r, loc.Query()
}

func (h *harness) form(path string, f url.Values) result {
	h.t.Helper()
	return h.do("POST", path, f.Encode(), "Content-Type", "application/x-www-form-urlencoded", "Authorization", "")
}

func (h *harness) exchange(server, code, verifier string) result {
	h.t.Helper()
	return h.form(asPrefix(server)+"/token", url.Values{
		"grant_type": {"authorization_code"}, "client_id": {PublicClientID}, "code": {code},
		"redirect_uri": {"http://127.0.0.1:8765/callback"}, "code_verifier": {verifier},
	})
}

// userToken signs active@example.com in (auto-approved) with scope and
// returns the token answer.
func (h *harness) userToken(server, scope string) map[string]any {
	h.t.Helper()
	_, back := h.authorize(server, authorizeQuery(server, scope))
	require.NotEmpty(h.t, back.Get("code"), "authorize answered %v", back)
	r := h.exchange(server, back.Get("code"), testVerifier)
	require.Equal(h.t, 200, r.status, string(r.body))
	return r.json(h.t)
}

// verifyWithJWKS checks tok's signature against the server's /keys.
func (h *harness) verifyWithJWKS(server, tok string) jwt.MapClaims {
	h.t.Helper()
	r := h.do("GET", asPrefix(server)+"/keys", "", "Authorization", "")
	require.Equal(h.t, 200, r.status)
	var set struct {
		Keys []struct{ Kty, Alg, Kid, Use, N, E string } `json:"keys"`
	}
	require.NoError(h.t, json.Unmarshal(r.body, &set))
	require.Len(h.t, set.Keys, 1)
	k := set.Keys[0]
	assert.Equal(h.t, "RSA", k.Kty)
	assert.Equal(h.t, "RS256", k.Alg)
	assert.Equal(h.t, "sig", k.Use)
	n, _ := base64.RawURLEncoding.DecodeString(k.N)
	e, _ := base64.RawURLEncoding.DecodeString(k.E)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	claims := jwt.MapClaims{}
	tk, err := jwt.ParseWithClaims(tok, claims, func(t *jwt.Token) (any, error) {
		assert.Equal(h.t, k.Kid, t.Header["kid"])
		return pub, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithTimeFunc(h.clock.Now))
	require.NoError(h.t, err)
	require.True(h.t, tk.Valid)
	return claims
}

func TestDiscoveryDocuments(t *testing.T) {
	h := newASOrg(t, "")
	get := func(path string) map[string]any {
		t.Helper()
		r := h.do("GET", path, "", "Authorization", "")
		require.Equal(t, 200, r.status, path)
		assert.Equal(t, "application/json", r.header.Get("Content-Type"))
		return r.json(t)
	}
	oidc := get("/.well-known/openid-configuration")
	assert.Equal(t, DemoOrgURL, oidc["issuer"])
	assert.Equal(t, DemoOrgURL+"/oauth2/v1/authorize", oidc["authorization_endpoint"])
	assert.Equal(t, DemoOrgURL+"/oauth2/v1/token", oidc["token_endpoint"])
	assert.Equal(t, DemoOrgURL+"/oauth2/v1/keys", oidc["jwks_uri"])
	assert.Equal(t, DemoOrgURL+"/oauth2/v1/device/authorize", oidc["device_authorization_endpoint"])
	assert.Equal(t, DemoOrgURL+"/oauth2/v1/revoke", oidc["revocation_endpoint"])
	assert.Equal(t, []any{"S256"}, oidc["code_challenge_methods_supported"])
	assert.Contains(t, oidc["scopes_supported"], "okta.users.manage")
	assert.NotContains(t, oidc["scopes_supported"], "okta-mcp.read")
	assert.Contains(t, oidc["grant_types_supported"], "urn:ietf:params:oauth:grant-type:device_code")
	assert.Equal(t, []any{"RS256"}, oidc["id_token_signing_alg_values_supported"])

	orgOAuth := get("/.well-known/oauth-authorization-server")
	assert.Equal(t, DemoOrgURL, orgOAuth["issuer"])
	assert.NotContains(t, orgOAuth, "jwks_uri", "Okta's org OAuth metadata has no jwks_uri")

	for _, path := range []string{
		"/oauth2/default/.well-known/oauth-authorization-server",
		"/.well-known/oauth-authorization-server/oauth2/default",
		"/oauth2/default/.well-known/openid-configuration",
	} {
		d := get(path)
		assert.Equal(t, DemoOrgURL+"/oauth2/default", d["issuer"], path)
		assert.Equal(t, DemoOrgURL+"/oauth2/default/v1/authorize", d["authorization_endpoint"], path)
		assert.Equal(t, DemoOrgURL+"/oauth2/default/v1/token", d["token_endpoint"], path)
		assert.Equal(t, DemoOrgURL+"/oauth2/default/v1/keys", d["jwks_uri"], path)
		assert.Contains(t, d["scopes_supported"], "okta-mcp.manage", path)
		assert.NotContains(t, d["scopes_supported"], "okta.users.read", path)
		assert.Equal(t, []any{"code"}, d["response_types_supported"])
	}

	r := h.do("GET", "/oauth2/nosuch/.well-known/oauth-authorization-server", "", "Authorization", "")
	assert.Equal(t, 404, r.status)
	assert.Equal(t, "E0000007", r.errorCode(t))
	r = h.do("GET", "/.well-known/openid-configuration?client_id=0oanobody", "", "Authorization", "")
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "invalid_client", r.json(t)["error"])
	assert.Equal(t, 405, h.do("POST", "/oauth2/v1/keys", "", "Authorization", "").status)
	assert.Equal(t, 404, h.do("GET", "/oauth2/v1/nosuch", "", "Authorization", "").status)
}

func TestKeysDifferPerServer(t *testing.T) {
	h := newASOrg(t, "active@example.com")
	org := h.userToken("", "okta.users.read")
	def := h.userToken("default", "okta-mcp.read")
	oc := h.verifyWithJWKS("", org["access_token"].(string))
	dc := h.verifyWithJWKS("default", def["access_token"].(string))
	assert.Equal(t, DemoOrgURL, oc["iss"])
	assert.Equal(t, DemoOrgURL+"/oauth2/default", dc["iss"])
	// The default server's token does not verify with the org's keys.
	r := h.do("GET", "/oauth2/v1/keys", "", "Authorization", "")
	var set struct{ Keys []struct{ Kid string } }
	require.NoError(t, json.Unmarshal(r.body, &set))
	tk, _, err := jwt.NewParser().ParseUnverified(def["access_token"].(string), jwt.MapClaims{})
	require.NoError(t, err)
	assert.NotEqual(t, set.Keys[0].Kid, tk.Header["kid"])
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	h := newASOrg(t, "active@example.com")
	q := authorizeQuery("", "openid profile email offline_access okta.users.read okta.groups.read")
	q.Set("nonce", "n0nce")
	r, back := h.authorize("", q)
	require.Equal(t, http.StatusFound, r.status, string(r.body))
	assert.True(t, strings.HasPrefix(r.header.Get("Location"), "http://127.0.0.1:8765/callback?"))
	assert.Equal(t, "st4te", back.Get("state"))
	code := back.Get("code")
	require.NotEmpty(t, code)

	r = h.exchange("", code, testVerifier)
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, "no-cache, no-store", r.header.Get("Cache-Control"))
	tok := r.json(t)
	assert.Equal(t, "Bearer", tok["token_type"])
	assert.EqualValues(t, 3600, tok["expires_in"])
	assert.Equal(t, "openid profile email offline_access okta.users.read okta.groups.read", tok["scope"])
	assert.NotEmpty(t, tok["refresh_token"])
	at := tok["access_token"].(string)
	c := h.verifyWithJWKS("", at)
	assert.Equal(t, DemoOrgURL, c["iss"])
	assert.Equal(t, DemoOrgURL, c["aud"])
	assert.Equal(t, "active@example.com", c["sub"])
	assert.Equal(t, h.userID("active@example.com"), c["uid"])
	assert.Equal(t, PublicClientID, c["cid"])
	assert.EqualValues(t, 1, c["ver"])
	assert.True(t, strings.HasPrefix(c["jti"].(string), "AT."))
	assert.Equal(t, []any{"openid", "profile", "email", "offline_access", "okta.users.read", "okta.groups.read"}, c["scp"])
	idc := h.verifyWithJWKS("", tok["id_token"].(string))
	assert.Equal(t, PublicClientID, idc["aud"])
	assert.Equal(t, "n0nce", idc["nonce"])
	assert.Equal(t, "active@example.com", idc["preferred_username"])

	// The code is single-use.
	r = h.exchange("", code, testVerifier)
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "invalid_grant", r.json(t)["error"])

	// The org's API takes the token and limits it by scope.
	bearer := "Bearer " + at
	assert.Equal(t, 200, h.do("GET", "/api/v1/users", "", "Authorization", bearer).status)
	assert.Equal(t, 200, h.do("GET", "/api/v1/groups", "", "Authorization", bearer).status)
	r = h.do("POST", "/api/v1/users/suspended@example.com/lifecycle/unsuspend", "", "Authorization", bearer)
	assert.Equal(t, 403, r.status)
	assert.Equal(t, "E0000006", r.errorCode(t))
	assert.Equal(t, `Bearer authorization_uri="http://sandbox.okta.com/oauth2/v1/authorize", realm="http://sandbox.okta.com", `+
		`scope="okta.users.manage", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", `+
		`resource="/api/v1/users/suspended@example.com/lifecycle/unsuspend"`, r.header.Get("WWW-Authenticate"))
	assert.Equal(t, "SUSPENDED", h.status("suspended@example.com"), "a refused write changes nothing")

	manage := h.userToken("", "okta.users.manage")
	assert.Equal(t, 200, h.do("POST", "/api/v1/users/suspended@example.com/lifecycle/unsuspend", "", "Authorization", "Bearer "+manage["access_token"].(string)).status)
	assert.Equal(t, "ACTIVE", h.status("suspended@example.com"))
	assert.NotContains(t, manage, "refresh_token", "no offline_access, no refresh token")
	assert.NotContains(t, manage, "id_token", "no openid, no ID token")
}

func TestPKCEVerificationFails(t *testing.T) {
	h := newASOrg(t, "active@example.com")
	for _, tc := range []struct{ name, verifier, wantErr string }{
		{"wrong verifier", strings.Repeat("x", 50), "invalid_grant"},
		{"short verifier", "abc", "invalid_grant"},
		{"no verifier", "", "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, back := h.authorize("", authorizeQuery("", "okta.users.read"))
			r := h.exchange("", back.Get("code"), tc.verifier)
			assert.Equal(t, 400, r.status)
			assert.Equal(t, tc.wantErr, r.json(t)["error"])
			if tc.wantErr == "invalid_grant" {
				assert.Equal(t, "PKCE verification failed.", r.json(t)["error_description"])
			}
			// A failed exchange burns the code.
			r = h.exchange("", back.Get("code"), testVerifier)
			assert.Equal(t, "invalid_grant", r.json(t)["error"])
		})
	}
}

func TestAuthorizeErrors(t *testing.T) {
	h := newASOrg(t, "active@example.com")
	pageErrors := []struct {
		name   string
		mutate func(url.Values)
		want   string
	}{
		{"unknown client", func(q url.Values) { q.Set("client_id", "0oanobody") }, "invalid_client"},
		{"no client", func(q url.Values) { q.Del("client_id") }, "invalid_request"},
		{"https redirect", func(q url.Values) { q.Set("redirect_uri", "https://evil.example.com/cb") }, "Login redirect URI"},
		{"non-loopback http redirect", func(q url.Values) { q.Set("redirect_uri", "http://10.0.0.1:8765/cb") }, "Login redirect URI"},
		{"no redirect", func(q url.Values) { q.Del("redirect_uri") }, "redirect_uri"},
	}
	for _, tc := range pageErrors {
		t.Run(tc.name, func(t *testing.T) {
			q := authorizeQuery("", "okta.users.read")
			tc.mutate(q)
			r, _ := h.authorize("", q)
			assert.Equal(t, 400, r.status)
			assert.Empty(t, r.header.Get("Location"), "never redirect to an unverified redirect_uri")
			assert.Contains(t, r.header.Get("Content-Type"), "text/html")
			assert.Contains(t, string(r.body), tc.want)
		})
	}
	redirected := []struct {
		name, server string
		mutate       func(url.Values)
		want         string
	}{
		{"no challenge", "", func(q url.Values) { q.Del("code_challenge") }, "invalid_request"},
		{"plain method", "", func(q url.Values) { q.Set("code_challenge_method", "plain") }, "invalid_request"},
		{"no method", "", func(q url.Values) { q.Del("code_challenge_method") }, "invalid_request"},
		{"short challenge", "", func(q url.Values) { q.Set("code_challenge", "abc") }, "invalid_request"},
		{"no state", "", func(q url.Values) { q.Del("state") }, "invalid_request"},
		{"token response", "", func(q url.Values) { q.Set("response_type", "token") }, "unsupported_response_type"},
		{"unknown scope", "", func(q url.Values) { q.Set("scope", "okta.users.read okta.nosuch.read") }, "invalid_scope"},
		{"no scope", "", func(q url.Values) { q.Del("scope") }, "invalid_scope"},
		{"org scope on default", "default", func(q url.Values) { q.Set("scope", "okta.users.read") }, "invalid_scope"},
		{"custom scope on org", "", func(q url.Values) { q.Set("scope", "okta-mcp.read") }, "invalid_scope"},
		{"relative resource", "default", func(q url.Values) { q.Set("resource", "/mcp") }, "invalid_target"},
	}
	for _, tc := range redirected {
		t.Run(tc.name, func(t *testing.T) {
			q := authorizeQuery(tc.server, "okta.users.read")
			if tc.server == "default" {
				q.Set("scope", "okta-mcp.read")
			}
			tc.mutate(q)
			r, back := h.authorize(tc.server, q)
			require.Equal(t, http.StatusFound, r.status, string(r.body))
			assert.Equal(t, tc.want, back.Get("error"))
			assert.NotEmpty(t, back.Get("error_description"))
			assert.Empty(t, back.Get("code"))
			if q.Get("state") != "" {
				assert.Equal(t, "st4te", back.Get("state"))
			}
		})
	}
}

func TestSignInPage(t *testing.T) {
	h := newASOrg(t, "")
	q := authorizeQuery("", "okta.users.read")
	r, _ := h.authorize("", q)
	require.Equal(t, 200, r.status)
	assert.Contains(t, r.header.Get("Content-Type"), "text/html")
	page := string(r.body)
	assert.Contains(t, page, `<form method="post" action="/oauth2/v1/authorize">`)
	assert.Contains(t, page, `name="code_challenge" value="`+q.Get("code_challenge")+`"`)
	assert.Contains(t, page, `name="password" type="password"`)

	// prompt=none without a session.
	q.Set("prompt", "none")
	_, back := h.authorize("", q)
	assert.Equal(t, "login_required", back.Get("error"))
	q.Del("prompt")

	post := func(user, pw string) result {
		f := url.Values{}
		for k, v := range q {
			f[k] = v
		}
		f.Set("username", user)
		f.Set("password", pw)
		return h.form("/oauth2/v1/authorize", f)
	}
	r = post("active@example.com", "Not-The-Passw0rd")
	assert.Equal(t, 401, r.status)
	assert.Contains(t, string(r.body), "Unable to sign in")
	assert.NotContains(t, string(r.body), "Not-The-Passw0rd", "the password is not echoed")
	r = post("suspended@example.com", testPassword)
	assert.Equal(t, 401, r.status, "only ACTIVE users sign in")
	r = post("active@example.com", testPassword)
	require.Equal(t, http.StatusFound, r.status, string(r.body))
	loc, _ := url.Parse(r.header.Get("Location"))
	r = h.exchange("", loc.Query().Get("code"), testVerifier)
	require.Equal(t, 200, r.status, string(r.body))
	c := h.verifyWithJWKS("", r.json(t)["access_token"].(string))
	assert.Equal(t, "active@example.com", c["sub"])
}

func TestDemoOrgSignInWithDemoPassword(t *testing.T) {
	h := newHarness(t, Options{})
	h.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	f := authorizeQuery("", "okta.users.read")
	f.Set("username", "ada.lovelace@example.com")
	f.Set("password", DemoPassword)
	r := h.form("/oauth2/v1/authorize", f)
	assert.Equal(t, http.StatusFound, r.status, string(r.body))
}

func TestAutoApproveNeedsActiveUser(t *testing.T) {
	_, err := New(Options{Seed: testSeed(), AutoApprove: "nobody@example.com"})
	assert.ErrorContains(t, err, `no user "nobody@example.com"`)
	_, err = New(Options{Seed: testSeed(), AutoApprove: "suspended@example.com"})
	assert.ErrorContains(t, err, "SUSPENDED")
}

func TestDeviceGrant(t *testing.T) {
	h := newASOrg(t, "")
	r := h.form("/oauth2/v1/device/authorize", url.Values{"client_id": {PublicClientID}, "scope": {"okta.users.read offline_access"}})
	require.Equal(t, 200, r.status, string(r.body))
	d := r.json(t)
	assert.Regexp(t, `^[A-Z]{8}$`, d["user_code"])
	assert.Equal(t, DemoOrgURL+"/activate", d["verification_uri"])
	assert.Equal(t, DemoOrgURL+"/activate?user_code="+d["user_code"].(string), d["verification_uri_complete"])
	assert.EqualValues(t, 600, d["expires_in"])
	assert.EqualValues(t, 5, d["interval"])
	poll := func() result {
		return h.form("/oauth2/v1/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "client_id": {PublicClientID}, "device_code": {d["device_code"].(string)}})
	}
	r = poll()
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "authorization_pending", r.json(t)["error"])
	r = poll()
	assert.Equal(t, "slow_down", r.json(t)["error"], "polled again at once")
	h.clock.Advance(10 * time.Second)
	assert.Equal(t, "authorization_pending", poll().json(t)["error"], "10 s is the new interval")

	page := h.do("GET", "/activate?user_code="+d["user_code"].(string), "", "Authorization", "")
	assert.Equal(t, 200, page.status)
	assert.Contains(t, string(page.body), `value="`+d["user_code"].(string)+`"`)
	act := func(code, pw string) result {
		return h.form("/activate", url.Values{"user_code": {code}, "username": {"active@example.com"}, "password": {pw}})
	}
	assert.Equal(t, 400, act("BBBBBBBB", testPassword).status, "unknown code")
	assert.Equal(t, 401, act(d["user_code"].(string), "wrong").status)
	r = act(strings.ToLower(d["user_code"].(string)), testPassword)
	require.Equal(t, 200, r.status, string(r.body))
	assert.Contains(t, string(r.body), "Device activated")

	h.clock.Advance(20 * time.Second)
	r = poll()
	require.Equal(t, 200, r.status, string(r.body))
	tok := r.json(t)
	assert.NotEmpty(t, tok["refresh_token"])
	c := h.verifyWithJWKS("", tok["access_token"].(string))
	assert.Equal(t, "active@example.com", c["sub"])
	assert.Equal(t, "invalid_grant", poll().json(t)["error"], "a device code is used once")

	// Expiry.
	r = h.form("/oauth2/v1/device/authorize", url.Values{"client_id": {PublicClientID}, "scope": {"okta.users.read"}})
	d = r.json(t)
	h.clock.Advance(11 * time.Minute)
	assert.Equal(t, "expired_token", poll().json(t)["error"])

	// Errors at /device/authorize.
	r = h.form("/oauth2/v1/device/authorize", url.Values{"client_id": {"nobody"}, "scope": {"okta.users.read"}})
	assert.Equal(t, 401, r.status)
	assert.Equal(t, "invalid_client", r.json(t)["error"])
	r = h.form("/oauth2/v1/device/authorize", url.Values{"client_id": {PublicClientID}, "scope": {"okta.nosuch.read"}})
	assert.Equal(t, "invalid_scope", r.json(t)["error"])
}

func TestDeviceGrantAutoApproved(t *testing.T) {
	h := newASOrg(t, "active@example.com")
	d := h.form("/oauth2/default/v1/device/authorize", url.Values{"client_id": {PublicClientID}, "scope": {"okta-mcp.read"}}).json(t)
	r := h.form("/oauth2/default/v1/token", url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "client_id": {PublicClientID}, "device_code": {d["device_code"].(string)}})
	require.Equal(t, 200, r.status, string(r.body))
	c := h.verifyWithJWKS("default", r.json(t)["access_token"].(string))
	assert.Equal(t, DefaultAudience, c["aud"])
}

func TestRefreshAndRevoke(t *testing.T) {
	h := newASOrg(t, "active@example.com")
	tok := h.userToken("", "offline_access okta.users.read okta.groups.read")
	rt := tok["refresh_token"].(string)
	refresh := func(extra ...string) result {
		f := url.Values{"grant_type": {"refresh_token"}, "client_id": {PublicClientID}, "refresh_token": {rt}}
		for i := 0; i+1 < len(extra); i += 2 {
			f.Set(extra[i], extra[i+1])
		}
		return h.form("/oauth2/v1/token", f)
	}
	h.clock.Advance(30 * time.Minute)
	r := refresh()
	require.Equal(t, 200, r.status, string(r.body))
	t2 := r.json(t)
	assert.Equal(t, rt, t2["refresh_token"], "native apps keep a persistent refresh token")
	assert.NotEqual(t, tok["access_token"], t2["access_token"])
	r = refresh("scope", "okta.users.read")
	require.Equal(t, 200, r.status)
	assert.Equal(t, "okta.users.read", r.json(t)["scope"])
	r = refresh("scope", "okta.users.manage")
	assert.Equal(t, "invalid_scope", r.json(t)["error"], "a refresh cannot widen the grant")
	r = h.form("/oauth2/default/v1/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {PublicClientID}, "refresh_token": {rt}})
	assert.Equal(t, "invalid_grant", r.json(t)["error"], "refresh tokens belong to their server")

	// Revoking an access token: the API refuses it, the others still work.
	at2 := t2["access_token"].(string)
	revoke := func(token string) result {
		return h.form("/oauth2/v1/revoke", url.Values{"client_id": {PublicClientID}, "token": {token}})
	}
	r = revoke(tok["access_token"].(string))
	assert.Equal(t, 200, r.status)
	assert.Empty(t, r.body)
	r = h.do("GET", "/api/v1/users", "", "Authorization", "Bearer "+tok["access_token"].(string))
	assert.Equal(t, 401, r.status)
	assert.Equal(t, "E0000011", r.errorCode(t))
	assert.Equal(t, 200, h.do("GET", "/api/v1/users", "", "Authorization", "Bearer "+at2).status)

	// Revoking the refresh token takes the access tokens minted from it.
	assert.Equal(t, 200, revoke(rt).status)
	assert.Equal(t, 401, h.do("GET", "/api/v1/users", "", "Authorization", "Bearer "+at2).status)
	assert.Equal(t, "invalid_grant", refresh().json(t)["error"])
	assert.Equal(t, 200, revoke(rt).status, "revoking again is fine")
	assert.Equal(t, 200, revoke("garbage").status, "unknown tokens too")

	r = h.form("/oauth2/v1/revoke", url.Values{"token": {at2}})
	assert.Equal(t, 401, r.status)
	assert.Equal(t, "invalid_client", r.json(t)["error"])
	r = h.form("/oauth2/v1/revoke", url.Values{"client_id": {PublicClientID}})
	assert.Equal(t, "invalid_request", r.json(t)["error"])
}

func TestCustomServerTokens(t *testing.T) {
	h := newASOrg(t, "active@example.com")
	tok := h.userToken("default", "okta-mcp.read offline_access")
	c := h.verifyWithJWKS("default", tok["access_token"].(string))
	assert.Equal(t, DemoOrgURL+"/oauth2/default", c["iss"])
	assert.Equal(t, DefaultAudience, c["aud"])
	assert.Equal(t, []any{"okta-mcp.read", "offline_access"}, c["scp"])
	// Not a token for the org's API.
	r := h.do("GET", "/api/v1/users", "", "Authorization", "Bearer "+tok["access_token"].(string))
	assert.Equal(t, 401, r.status)

	// RFC 8707: the resource becomes the audience, on refresh too.
	q := authorizeQuery("default", "okta-mcp.manage offline_access")
	q.Set("resource", "http://127.0.0.1:8080/mcp")
	_, back := h.authorize("default", q)
	f := url.Values{"grant_type": {"authorization_code"}, "client_id": {PublicClientID}, "code": {back.Get("code")},
		"redirect_uri": {"http://127.0.0.1:8765/callback"}, "code_verifier": {testVerifier}, "resource": {"http://127.0.0.1:8080/mcp"}}
	r = h.form("/oauth2/default/v1/token", f)
	require.Equal(t, 200, r.status, string(r.body))
	res := r.json(t)
	assert.Equal(t, "http://127.0.0.1:8080/mcp", h.verifyWithJWKS("default", res["access_token"].(string))["aud"])
	r = h.form("/oauth2/default/v1/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {PublicClientID}, "refresh_token": {res["refresh_token"].(string)}})
	require.Equal(t, 200, r.status)
	assert.Equal(t, "http://127.0.0.1:8080/mcp", h.verifyWithJWKS("default", r.json(t)["access_token"].(string))["aud"])
	r = h.form("/oauth2/default/v1/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {PublicClientID}, "refresh_token": {res["refresh_token"].(string)}, "resource": {"http://other.example/mcp"}})
	assert.Equal(t, "invalid_target", r.json(t)["error"])

	// A code of one server is not good at the other.
	_, back = h.authorize("default", authorizeQuery("default", "okta-mcp.read"))
	assert.Equal(t, "invalid_grant", h.exchange("", back.Get("code"), testVerifier).json(t)["error"])
}

func TestUserTokenEndsWithTheUser(t *testing.T) {
	h := newASOrg(t, "active@example.com")
	at := h.userToken("", "okta.users.manage")["access_token"].(string)
	bearer := "Bearer " + at
	r := h.do("POST", "/api/v1/users/active@example.com/lifecycle/suspend", "", "Authorization", bearer)
	require.Equal(t, 200, r.status, string(r.body))
	r = h.do("GET", "/api/v1/users", "", "Authorization", bearer)
	assert.Equal(t, 401, r.status, "a suspended user's tokens stop working")
	// And expiry.
	h2 := newASOrg(t, "active@example.com")
	at = h2.userToken("", "okta.users.read")["access_token"].(string)
	h2.clock.Advance(time.Hour)
	assert.Equal(t, 401, h2.do("GET", "/api/v1/users", "", "Authorization", "Bearer "+at).status)
}

func TestTokenEndpointErrorsForPublicClient(t *testing.T) {
	h := newASOrg(t, "active@example.com")
	_, back := h.authorize("", authorizeQuery("", "okta.users.read"))
	base := url.Values{"grant_type": {"authorization_code"}, "client_id": {PublicClientID}, "code": {back.Get("code")},
		"redirect_uri": {"http://127.0.0.1:8765/callback"}, "code_verifier": {testVerifier}}
	tests := []struct {
		name       string
		mutate     func(url.Values)
		wantStatus int
		wantErr    string
	}{
		{"no client_id", func(f url.Values) { f.Del("client_id") }, 401, "invalid_client"},
		{"unknown client", func(f url.Values) { f.Set("client_id", "nobody") }, 401, "invalid_client"},
		{"client secret", func(f url.Values) { f.Set("client_secret", "s") }, 401, "invalid_client"},
		{"no grant type", func(f url.Values) { f.Del("grant_type") }, 400, "invalid_request"},
		{"password grant", func(f url.Values) { f.Set("grant_type", "password") }, 400, "unsupported_grant_type"},
		{"client credentials", func(f url.Values) { f.Set("grant_type", "client_credentials") }, 400, "unauthorized_client"},
		{"redirect differs", func(f url.Values) { f.Set("redirect_uri", "http://127.0.0.1:9999/callback") }, 400, "invalid_grant"},
		{"no code", func(f url.Values) { f.Del("code") }, 400, "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range base {
				f[k] = append([]string(nil), v...)
			}
			tc.mutate(f)
			r := h.form("/oauth2/v1/token", f)
			assert.Equal(t, tc.wantStatus, r.status, string(r.body))
			assert.Equal(t, tc.wantErr, r.json(t)["error"])
			assert.NotEmpty(t, r.json(t)["error_description"])
		})
	}
}

// The signed-in user is the actor of their writes, their sign-in and their
// token grants in the System Log; the OAuth client is client.id.
func TestSystemLogNamesTheSignedInUser(t *testing.T) {
	h := newASOrg(t, "")
	uid := h.userID("active@example.com")
	f := authorizeQuery("", "okta.users.manage")
	f.Set("username", "active@example.com")
	f.Set("password", "Wrong-Passw0rd")
	require.Equal(t, 401, h.form("/oauth2/v1/authorize", f).status)
	f.Set("password", testPassword)
	r := h.form("/oauth2/v1/authorize", f)
	require.Equal(t, http.StatusFound, r.status)
	loc, _ := url.Parse(r.header.Get("Location"))
	r = h.exchange("", loc.Query().Get("code"), testVerifier)
	require.Equal(t, 200, r.status)
	bearer := "Bearer " + r.json(t)["access_token"].(string)
	susp := h.userID("suspended@example.com")
	require.Equal(t, 200, h.do("POST", "/api/v1/users/"+susp+"/lifecycle/unsuspend", "", "Authorization", bearer).status)

	evs := h.eventsFor(`eventType eq "user.lifecycle.unsuspend" and target.id eq "` + susp + `"`)
	require.Len(t, evs, 1)
	actor := evs[0]["actor"].(map[string]any)
	assert.Equal(t, uid, actor["id"])
	assert.Equal(t, "User", actor["type"])
	assert.Equal(t, "active@example.com", actor["alternateId"])
	assert.Equal(t, PublicClientID, evs[0]["client"].(map[string]any)["id"])

	starts := h.eventsFor(`eventType eq "user.session.start" and actor.id eq "` + uid + `"`)
	require.Len(t, starts, 2)
	assert.Equal(t, "FAILURE", starts[0]["outcome"].(map[string]any)["result"])
	assert.Equal(t, "INVALID_CREDENTIALS", starts[0]["outcome"].(map[string]any)["reason"])
	assert.Equal(t, "SUCCESS", starts[1]["outcome"].(map[string]any)["result"])
	grants := h.eventsFor(`eventType eq "app.oauth2.token.grant.access_token" and actor.id eq "` + uid + `"`)
	assert.Len(t, grants, 1)
}

// Service apps use client_credentials on the default server too, for its
// custom scopes only; the assertion's audience is that server's token URL.
func TestClientCredentialsOnDefaultServer(t *testing.T) {
	f := newOAuthFixture(t)
	f.org.oauth.clients["0oamcp"] = OAuthClient{ClientID: "0oamcp", PublicKey: &f.ecKey.PublicKey, Scopes: []string{"okta-mcp.read", "okta.users.read"}}
	assertion := func(aud string) string {
		return f.assertion(t, "0oamcp", f.ecKey, func(c jwt.MapClaims, _ *jwt.Token) { c["aud"] = aud; c["jti"] = aud + c["jti"].(string) })
	}
	form := tokenForm(assertion(DemoOrgURL+"/oauth2/default/v1/token"), "okta-mcp.read")
	form.Set("resource", "https://mcp.example.com/mcp")
	r := f.do("POST", "/oauth2/default/v1/token", form.Encode(), "Content-Type", "application/x-www-form-urlencoded", "Authorization", "")
	require.Equal(t, 200, r.status, string(r.body))
	c := f.verifyWithJWKS("default", r.json(t)["access_token"].(string))
	assert.Equal(t, "https://mcp.example.com/mcp", c["aud"])
	assert.Equal(t, "0oamcp", c["sub"])
	assert.NotContains(t, c, "uid")

	r = f.do("POST", "/oauth2/default/v1/token", tokenForm(assertion(DemoOrgURL+"/oauth2/default/v1/token"), "okta.users.read").Encode(), "Content-Type", "application/x-www-form-urlencoded", "Authorization", "")
	assert.Equal(t, "invalid_scope", r.json(t)["error"], "a custom server never mints Okta API scopes")
	r = f.do("POST", "/oauth2/default/v1/token", tokenForm(assertion(DemoOrgURL+"/oauth2/v1/token"), "okta-mcp.read").Encode(), "Content-Type", "application/x-www-form-urlencoded", "Authorization", "")
	assert.Equal(t, 401, r.status, "the assertion names another server's token endpoint")
}

// A user whose seed gives them the READ_ONLY_ADMIN role signs in and gets
// the manage scopes they ask for (Okta does not narrow scopes by role), but
// every change is refused with 403 E0000006 and no insufficient_scope
// challenge: the scope is there, the role does not cover it.
func TestReadOnlyAdminUser(t *testing.T) {
	demoAS := func(login string) *harness {
		h := newHarness(t, Options{AutoApprove: login})
		h.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		return h
	}
	h := demoAS("isabella.garcia@example.com") // the demo org's read-only admin
	tok := h.userToken("", "okta.users.manage okta.groups.manage")
	assert.Contains(t, tok["scope"], "okta.users.manage", "scopes are not narrowed by the role")
	bearer := "Bearer " + tok["access_token"].(string)
	ada := h.userID("ada.lovelace@example.com")
	assert.Equal(t, 200, h.do("GET", "/api/v1/users/"+ada, "", "Authorization", bearer).status)
	r := h.do("POST", "/api/v1/users/"+ada+"/lifecycle/suspend", "", "Authorization", bearer)
	assert.Equal(t, 403, r.status)
	assert.Equal(t, "E0000006", r.errorCode(t))
	assert.Empty(t, r.header.Get("WWW-Authenticate"), "not a missing scope")
	assert.Equal(t, "ACTIVE", h.status("ada.lovelace@example.com"))

	// The demo org's Okta administrator may do it.
	admin := demoAS("william.jones@example.com")
	tok = admin.userToken("", "okta.users.manage")
	r = admin.do("POST", "/api/v1/users/"+ada+"/lifecycle/suspend", "", "Authorization", "Bearer "+tok["access_token"].(string))
	assert.Equal(t, 200, r.status, string(r.body))
}
