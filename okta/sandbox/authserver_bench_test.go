package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkGetUserAuth compares a GET of one user authenticated with the
// API token (baseline) and with a signed-in user's access token (an RS256
// JWT verified on every request), in the same run.
func BenchmarkGetUserAuth(b *testing.B) {
	o, err := New(Options{RequestLogSize: -1, RateLimit: NoRateLimit, AutoApprove: "ada.lovelace@example.com"})
	if err != nil {
		b.Fatal(err)
	}
	id := func() string { u, _ := o.LookupUser("ada.lovelace@example.com"); return u.ID }()
	// Sign in once (auto-approved authorization code + PKCE).
	q := url.Values{"client_id": {PublicClientID}, "response_type": {"code"}, "scope": {"okta.users.read"},
		"redirect_uri": {"http://127.0.0.1:8765/cb"}, "state": {"s"}, "code_challenge": {challengeOf(testVerifier)}, "code_challenge_method": {"S256"}}
	w := httptest.NewRecorder()
	o.ServeHTTP(w, httptest.NewRequest("GET", "/oauth2/v1/authorize?"+q.Encode(), nil))
	loc, _ := url.Parse(w.Header().Get("Location"))
	f := url.Values{"grant_type": {"authorization_code"}, "client_id": {PublicClientID}, "code": {loc.Query().Get("code")},
		"redirect_uri": {"http://127.0.0.1:8765/cb"}, "code_verifier": {testVerifier}}
	req := httptest.NewRequest("POST", "/oauth2/v1/token", strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w = httptest.NewRecorder()
	o.ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatal(w.Body.String())
	}
	at := jsonField(b, w.Body.Bytes(), "access_token")

	for _, tc := range []struct{ name, auth string }{{"SSWS", "SSWS " + DefaultToken}, {"Bearer-user-JWT", "Bearer " + at}} {
		b.Run(tc.name, func(b *testing.B) {
			req, _ := http.NewRequest("GET", "http://example.com/api/v1/users/"+id, nil)
			req.Host = "example.com"
			req.Header.Set("Authorization", tc.auth)
			for b.Loop() {
				w := httptest.NewRecorder()
				o.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}

func jsonField(b *testing.B, body []byte, name string) string {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		b.Fatal(err)
	}
	v, _ := m[name].(string)
	return v
}
