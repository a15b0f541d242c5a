package okta

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNetworkFailuresClassified: each way of not reaching the org is named,
// and the ones that are configuration (retrying cannot help) are tried once.
func TestNetworkFailuresClassified(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	t.Cleanup(plain.Close)
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	t.Cleanup(tlsSrv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedAddr := ln.Addr().String()
	ln.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(slow.Close)

	var dnsDials atomic.Int64
	noSuchHost := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dnsDials.Add(1)
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}}}

	tests := []struct {
		name      string
		orgURL    string
		client    *http.Client // nil: the fixture's loopback dialer
		timeout   time.Duration
		want      NetworkFailure
		transient bool
		attempts  int64
	}{
		{"host does not resolve", "https://dev-000000.okta.com", noSuchHost, 0, NetHostNotFound, false, 1},
		{"https to a plain-HTTP server", strings.Replace(plain.URL, "http://", "https://", 1), nil, 0, NetTLSToPlainHTTP, false, 1},
		{"http to a TLS server", tlsSrv.URL[len("https://"):], nil, 0, NetPlainHTTPToTLS, false, 1},
		{"connection refused", "http://" + closedAddr, nil, 0, NetRefused, true, 3},
		{"timeout", slow.URL, nil, 100 * time.Millisecond, NetTimeout, true, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orgURL := tt.orgURL
			if !strings.Contains(orgURL, "://") {
				orgURL = "http://" + orgURL
			}
			f := setup(t, func(c *Config) {
				c.OrgURL = orgURL
				c.MaxRetries = 2
				if tt.client != nil {
					c.HTTPClient = tt.client
				}
				if tt.timeout > 0 {
					c.Timeout = tt.timeout
				}
			})
			dnsDials.Store(0)
			_, _, err := f.client.GetUser(context.Background(), "00u1")
			require.Error(t, err)
			ne, ok := AsNetworkError(err)
			require.True(t, ok, "%T %v", err, err)
			assert.Equal(t, tt.want, ne.Failure, err.Error())
			assert.Equal(t, tt.transient, ne.Failure.Transient())
			assert.NotEmpty(t, ne.Host)
			attempts := f.dialer.attempts.Load()
			if tt.client != nil {
				attempts = dnsDials.Load()
			}
			if tt.want == NetTimeout || tt.want == NetRefused {
				assert.Equal(t, tt.attempts, attempts, "transient failures are retried")
			} else {
				assert.Equal(t, tt.attempts, attempts, "configuration errors are not retried")
			}
		})
	}

	// A POST that failed for a configuration reason never reached Okta: it
	// is not an unknown outcome.
	f := setup(t, func(c *Config) { c.OrgURL = strings.Replace(plain.URL, "http://", "https://", 1) })
	_, err = f.client.SuspendUser(context.Background(), "00u1")
	require.Error(t, err)
	assert.False(t, IsOutcomeUnknown(err), err.Error())
	ne, ok := AsNetworkError(err)
	require.True(t, ok)
	assert.Equal(t, NetTLSToPlainHTTP, ne.Failure)
}

// TestUndecodableAnswerNamesNoGoType: a 2xx answer that is not what Okta
// sends is described by its field and JSON type, never by Go types.
func TestUndecodableAnswerNamesNoGoType(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/api/v1/users/00u1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": "00u1", "profile": "not an object"})
	})
	_, _, err := f.client.GetUser(context.Background(), "00u1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "profile is a JSON string")
	assert.NotContains(t, err.Error(), "Go struct")
	assert.NotContains(t, err.Error(), "okta.")
}

// TestOAuthTokenRequestNetworkFailureClassified: the service app's token
// request fails with the same classified error as API requests.
func TestOAuthTokenRequestNetworkFailureClassified(t *testing.T) {
	testKeys(t)
	noSuchHost := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "dev-000000.okta.com", IsNotFound: true}}
	}}}
	c, err := NewClient(Config{OrgURL: "https://dev-000000.okta.com", Auth: newTestOAuth(t, rsaPKCS1PEM(t), "kid-1"), HTTPClient: noSuchHost})
	require.NoError(t, err)
	_, _, err = c.GetUser(context.Background(), "00u1")
	require.Error(t, err)
	ne, ok := AsNetworkError(err)
	require.True(t, ok, "%T %v", err, err)
	assert.Equal(t, NetHostNotFound, ne.Failure)
	assert.Equal(t, "dev-000000.okta.com", ne.Host)
}
