package tools

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// netFailTransport fails every request with err, counting them.
type netFailTransport struct {
	err   error
	count atomic.Int64
}

func (f *netFailTransport) RoundTrip(*http.Request) (*http.Response, error) {
	f.count.Add(1)
	return nil, f.err
}

// newFaultEnvWith is newFaultEnv whose clients send every request through rt.
func newFaultEnvWith(t *testing.T, perCall bool, rt http.RoundTripper) (*env, *stepClock) {
	t.Helper()
	clock := newStepClock()
	e := newConfiguredEnv(t, configuredEnv{
		perCall:   perCall,
		sandbox:   sandbox.Options{Now: clock.Now},
		transport: func(*sandbox.Org) http.RoundTripper { return rt },
		config: func(c *okta.Config) {
			c.Clock = clock
			c.Timeout = faultTimeout
		},
	})
	return e, clock
}

// TestNetworkFailuresAdvised: each way of not reaching the org gets advice
// that fits it; configuration problems are not retried and say who can fix
// them; only transient ones say to retry later.
func TestNetworkFailuresAdvised(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		want     []string
		perCall  []string // instead of the server-mode advice, in per-call mode
		unwanted []string
		tries    int64
	}{
		{"host does not resolve", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "sandbox.okta.com", IsNotFound: true}},
			[]string{"sandbox.okta.com does not resolve", "OKTA_ORG_URL", "tell the operator", "Retrying will not help"},
			[]string{"sandbox.okta.com does not resolve", "Check the domain argument", "Retrying will not help"},
			[]string{"retry later", "retry in a little while"}, 1},
		{"TLS to plain HTTP", errors.New("http: server gave HTTP response to HTTPS client"),
			[]string{"answered an https:// request in plain HTTP", "needs http:// and --allow-http (OKTA_MCP_ALLOW_HTTP), the operator's setting for local fakes only"},
			nil, []string{"retry later", "AllowHTTP"}, 1},
		{"not TLS at all", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"},
			[]string{"plain HTTP", "--allow-http"}, nil, []string{"retry later"}, 1},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}},
			[]string{"nothing accepted the connection at sandbox.okta.com", "check the org URL (host and port)", "retry later"}, nil, nil, 1 + okta.DefaultMaxRetries},
	}
	for _, tt := range tests {
		for _, perCall := range []bool{false, true} {
			ft := &netFailTransport{err: tt.err}
			e, _ := newFaultEnvWith(t, perCall, ft)
			msg := e.fails("okta_get_user", map[string]any{"userId": adaLogin})
			want := tt.want
			if perCall && tt.perCall != nil {
				want = tt.perCall
			}
			for _, w := range want {
				assert.Contains(t, msg, w, "%s (per-call %v)", tt.name, perCall)
			}
			for _, u := range tt.unwanted {
				assert.NotContains(t, msg, u, "%s (per-call %v)", tt.name, perCall)
			}
			assert.Equal(t, tt.tries, ft.count.Load(), "%s: attempts", tt.name)

			// A write that never reached Okta says so.
			msg = e.fails("okta_suspend_user", map[string]any{"userId": adaLogin})
			if tt.tries == 1 {
				assert.Contains(t, msg, "Nothing was changed", tt.name)
			}
		}
	}
}

// TestNoGoIdentifiersInOrgURLErrors: an http:// org URL is refused with the
// operator's flag and variable, not a Go field name.
func TestNoGoIdentifiersInOrgURLErrors(t *testing.T) {
	e := newEnv(t, perCallMode())
	msg := e.fails("okta_get_user", map[string]any{"apiKey": sandbox.DefaultToken, "domain": "http://localhost:8181", "userId": adaLogin})
	assert.Contains(t, msg, "--allow-http")
	assert.Contains(t, msg, "OKTA_MCP_ALLOW_HTTP")
	assert.NotContains(t, msg, "AllowHTTP")
}

// TestUnexpectedAnswerIsNotRetryLater: a 2xx answer that is not Okta's JSON
// points at the org URL, not at trying again.
func TestUnexpectedAnswerIsNotRetryLater(t *testing.T) {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: io.NopCloser(strings.NewReader("<html>hello</html>")), Request: r}, nil
	})
	e, _ := newFaultEnvWith(t, false, rt)
	msg := e.fails("okta_get_user", map[string]any{"userId": adaLogin})
	assert.Contains(t, msg, "not what Okta sends")
	assert.Contains(t, msg, "OKTA_ORG_URL")
	assert.Contains(t, msg, "Retrying will not help")
	assert.NotContains(t, msg, "retry in a little while")
	assert.NotContains(t, msg, "Go struct")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
