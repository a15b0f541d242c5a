package okta

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientConfig(t *testing.T) {
	_, err := NewClient(Config{OrgURL: "dev-1.okta.com"})
	require.Error(t, err, "no Auth")

	_, err = NewClient(Config{OrgURL: "https://evil.example", Auth: APIToken(testToken)})
	require.ErrorIs(t, err, ErrInvalidOrgURL)

	c, err := NewClient(Config{OrgURL: "dev-1.okta.com", Auth: APIToken(testToken)})
	require.NoError(t, err)
	assert.Equal(t, "https://dev-1.okta.com", c.OrgURL().String())
	assert.Equal(t, DefaultTimeout, c.timeout)
	assert.Equal(t, DefaultMaxRetries, c.maxRetries)
	assert.Equal(t, DefaultMaxWait, c.maxWait)
	assert.Equal(t, DefaultMaxConcurrent, cap(c.sem))
	assert.Equal(t, "api-token:…wxyz", c.AuthDescription())

	c, err = NewClient(Config{OrgURL: "dev-1.okta.com", Auth: APIToken(testToken), MaxRetries: -1, MaxConcurrent: 3, UserAgent: "tools/1"})
	require.NoError(t, err)
	assert.Zero(t, c.maxRetries)
	assert.Equal(t, 3, cap(c.sem))
	assert.Equal(t, fmt.Sprintf("okta-mcp/%s (%s; %s/%s) tools/1", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH), c.ua)

	// The caller's HTTP client is not modified.
	hc := &http.Client{}
	_, err = NewClient(Config{OrgURL: "dev-1.okta.com", Auth: APIToken(testToken), HTTPClient: hc})
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect)
}

func TestRequestHeadersAndResponse(t *testing.T) {
	f := setup(t, func(c *Config) { c.UserAgent = "okta-mcp-tools/2" })
	f.mux.HandleFunc("GET /api/v1/users", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "application/json", r.Header.Get("Accept"))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Equal(t, fmt.Sprintf("okta-mcp/%s (%s; %s/%s) okta-mcp-tools/2", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH),
			r.Header.Get("User-Agent"))
		assert.Empty(t, r.Header.Get("X-Okta-Retry-Count"), "first attempt is not a retry")
		w.Header().Set("X-Okta-Request-Id", "XYZ")
		w.Header().Set("X-Rate-Limit-Limit", "600")
		w.Header().Set("X-Rate-Limit-Remaining", "599")
		w.Header().Set("X-Rate-Limit-Reset", "1609459200")
		w.Header().Add("Link", `<http://x/api/v1/users?limit=2>; rel="self"`)
		w.Header().Add("Link", `<http://x/api/v1/users?after=00u2&limit=2>; rel="next"`)
		writeJSON(w, 200, []any{})
	})
	_, resp, err := f.client.ListUsers(context.Background(), &ListUsersParams{Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, "XYZ", resp.RequestID)
	assert.Equal(t, "00u2", resp.NextCursor)
	assert.Equal(t, RateLimit{Limit: 600, Remaining: 599, Reset: time.Unix(1609459200, 0).UTC()}, resp.RateLimit)
	// The request kept in the Response carries no credential.
	require.NotNil(t, resp.Request)
	assert.Empty(t, resp.Request.Header.Get("Authorization"))
	assert.Equal(t, "application/json", resp.Request.Header.Get("Accept"))
}

func TestPerAttemptTimeoutUsesCallerContext(t *testing.T) {
	f := setup(t, func(c *Config) { c.Timeout = 50 * time.Millisecond; c.MaxRetries = -1 })
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_ = readBody(t, r)
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	start := time.Now()
	_, _, err := f.client.GetUser(context.Background(), "00u1")
	require.Error(t, err)
	assert.Less(t, time.Since(start), time.Second)
	assert.Contains(t, err.Error(), "no answer within 50ms")
	var te interface{ Timeout() bool }
	require.True(t, errors.As(err, &te))
	assert.True(t, te.Timeout())

	// A cancelled caller context stops the call at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = f.client.GetUser(ctx, "00u1")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	f := setup(t)
	followed := false
	f.mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) { followed = true })
	f.mux.HandleFunc("/api/v1/users/00u1", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	_, _, err := f.client.GetUser(context.Background(), "00u1")
	require.Error(t, err)
	e, ok := AsError(err)
	require.True(t, ok)
	assert.Equal(t, 302, e.StatusCode)
	assert.False(t, followed)
}

func TestErrorDecoding(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        Error
		is          func(error) bool
	}{
		{
			name: "duplicate login with causes", status: 400, contentType: "application/json",
			body: `{"errorCode":"E0000001","errorSummary":"Api validation failed: login","errorLink":"E0000001","errorId":"oae1",
				"errorCauses":[{"errorSummary":"login: An object with this field already exists in the current organization"}]}`,
			want: Error{StatusCode: 400, ErrorCode: "E0000001", ErrorSummary: "Api validation failed: login", ErrorLink: "E0000001", ErrorID: "oae1",
				ErrorCauses: []ErrorCause{{ErrorSummary: "login: An object with this field already exists in the current organization"}}},
			is: IsBadRequest,
		},
		{
			name: "invalid token", status: 401, contentType: "application/json",
			body: `{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorCauses":[]}`,
			want: Error{StatusCode: 401, ErrorCode: "E0000011", ErrorSummary: "Invalid token provided"},
			is:   IsUnauthorized,
		},
		{
			name: "missing session", status: 403, contentType: "application/json",
			body: `{"errorCode":"E0000005","errorSummary":"Invalid session"}`,
			want: Error{StatusCode: 403, ErrorCode: "E0000005", ErrorSummary: "Invalid session"},
			is:   IsForbidden,
		},
		{
			name: "HTML from a proxy", status: 403, contentType: "text/html",
			body: `<html><body>Forbidden by proxy, your header was SSWS abc</body></html>`,
			want: Error{StatusCode: 403, ErrorSummary: "Forbidden (the answer was not Okta's error JSON)"},
			is:   IsForbidden,
		},
		{
			name: "empty body", status: 404,
			want: Error{StatusCode: 404, ErrorSummary: "Not Found"},
			is:   IsNotFound,
		},
		{
			name: "wrong field types and control characters", status: 400, contentType: "application/json",
			body: `{"errorCode":"E0000003","errorSummary":"bad\nline","errorCauses":"nope"}`,
			want: Error{StatusCode: 400, ErrorSummary: "Bad Request (the answer was not Okta's error JSON)"},
			is:   IsBadRequest,
		},
		{
			name: "summary with newline is kept on one line", status: 400, contentType: "application/json",
			body: `{"errorCode":"E0000003","errorSummary":"bad\nline"}`,
			want: Error{StatusCode: 400, ErrorCode: "E0000003", ErrorSummary: "bad line"},
			is:   func(err error) bool { return HasErrorCode(err, "E0000003") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.Header().Set("X-Okta-Request-Id", "rid")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			_, _, err := f.client.GetUser(context.Background(), "00u1")
			require.Error(t, err)
			e, ok := AsError(err)
			require.True(t, ok)
			want := tt.want
			want.RequestID, want.Method, want.Path = "rid", "GET", "/api/v1/users/{id}"
			assert.Equal(t, &want, e)
			assert.True(t, tt.is(err))
			assert.NotContains(t, err.Error(), "SSWS")
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestErrorHelpers(t *testing.T) {
	nf := &Error{StatusCode: 404, ErrorCode: "E0000007"}
	wrapped := fmt.Errorf("tool: %w", nf)
	assert.True(t, IsNotFound(wrapped))
	assert.False(t, IsRateLimited(wrapped))
	assert.True(t, HasErrorCode(wrapped, "E0000007"))
	assert.False(t, HasErrorCode(errors.New("x"), "E0000007"))
	assert.False(t, IsNotFound(nil))

	reset := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rl := &RateLimitError{Method: "GET", Path: "/api/v1/users", Reset: reset, Err: &Error{StatusCode: 429, ErrorCode: "E0000047", RequestID: "r1"}}
	assert.True(t, IsRateLimited(fmt.Errorf("x: %w", rl)))
	got, ok := RateLimitReset(fmt.Errorf("x: %w", rl))
	assert.True(t, ok)
	assert.Equal(t, reset, got)
	assert.True(t, HasErrorCode(rl, "E0000047"), "RateLimitError unwraps to Okta's 429")
	assert.Equal(t, "okta: rate limited on GET /api/v1/users; retry after 03:04:05 UTC (request id r1)", rl.Error())
	held := &RateLimitError{Method: "GET", Path: "/api/v1/users", Reset: reset}
	assert.Nil(t, held.Unwrap())
	_, isOkta := AsError(held)
	assert.False(t, isOkta)
	assert.True(t, IsRateLimited(held))
	assert.True(t, IsRateLimited(&Error{StatusCode: 429}))

	ou := &OutcomeUnknownError{Method: "POST", Path: "/api/v1/users", Err: context.DeadlineExceeded}
	assert.True(t, IsOutcomeUnknown(fmt.Errorf("x: %w", ou)))
	assert.ErrorIs(t, ou, context.DeadlineExceeded)
	assert.Contains(t, ou.Error(), "look the user up by login")
	assert.False(t, IsOutcomeUnknown(nf))
}

func TestClientFormatHidesCredentials(t *testing.T) {
	f := setup(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, f.client)
		assert.NotContains(t, out, testToken, verb)
		assert.NotContains(t, out, fmt.Sprintf("%x", testToken), verb)
	}
	assert.Contains(t, fmt.Sprint(f.client), "api-token:…wxyz")
}
