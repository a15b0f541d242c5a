package okta

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// BenchmarkGetUser measures one getUser through the client (request
// building, auth, rate-limit bookkeeping, decoding) against a loopback
// httptest server.
func BenchmarkGetUser(b *testing.B) {
	f := setup(b)
	body := []byte(`{"id":"00ub0oNGTSWTBKOLGLNR","status":"ACTIVE","created":"2013-06-24T16:39:18.000Z",
		"lastUpdated":"2013-06-27T16:35:28.000Z","profile":{"login":"isaac.brock@example.com","email":"isaac.brock@example.com",
		"firstName":"Isaac","lastName":"Brock","department":"Engineering"},
		"_links":{"self":{"href":"https://x/api/v1/users/00ub0oNGTSWTBKOLGLNR"}}}`)
	f.mux.HandleFunc("GET /api/v1/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Okta-Request-Id", "rid")
		w.Header().Set("X-Rate-Limit-Limit", "1000")
		w.Header().Set("X-Rate-Limit-Remaining", "999")
		w.Header().Set("X-Rate-Limit-Reset", "1609459200")
		_, _ = w.Write(body)
	})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		u, _, err := f.client.GetUser(ctx, "00ub0oNGTSWTBKOLGLNR")
		if err != nil || u.ID == "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseOrgURL measures the SSRF guard, which runs for every
// per-call client.
func BenchmarkParseOrgURL(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseOrgURL("https://dev-123456.okta.com/", OrgURLOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetUserSandbox measures one getUser through the client against
// the in-memory org served on loopback (httptest on 127.0.0.1), the set-up
// every higher layer is tested on; later work compares against it.
func BenchmarkGetUserSandbox(b *testing.B) {
	org, err := sandbox.New(sandbox.Options{RateLimit: sandbox.NoRateLimit})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(org)
	defer srv.Close()
	c, err := NewClient(Config{OrgURL: srv.URL, AllowHTTP: true, Auth: APIToken(sandbox.DefaultToken),
		HTTPClient: (&loopbackDialer{}).httpClient()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	ada, _, err := c.GetUser(ctx, "ada.lovelace@example.com")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		u, _, err := c.GetUser(ctx, ada.ID)
		if err != nil || u.ID != ada.ID {
			b.Fatal(err)
		}
	}
}
