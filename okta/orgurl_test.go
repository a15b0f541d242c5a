package okta

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseOrgURLAccepts(t *testing.T) {
	tests := []struct {
		raw  string
		opts OrgURLOptions
		want string
	}{
		{"dev-123456.okta.com", OrgURLOptions{}, "https://dev-123456.okta.com"},
		{"https://dev-123456.okta.com", OrgURLOptions{}, "https://dev-123456.okta.com"},
		{"https://dev-123456.okta.com/", OrgURLOptions{}, "https://dev-123456.okta.com"},
		{"  https://dev-123456.okta.com/  ", OrgURLOptions{}, "https://dev-123456.okta.com"},
		{"HTTPS://Dev-123456.OKTA.com", OrgURLOptions{}, "https://dev-123456.okta.com"},
		{"https://dev-123456.okta.com:443", OrgURLOptions{}, "https://dev-123456.okta.com"},
		{"acme.oktapreview.com", OrgURLOptions{}, "https://acme.oktapreview.com"},
		{"acme.okta-emea.com", OrgURLOptions{}, "https://acme.okta-emea.com"},
		{"agency.okta-gov.com", OrgURLOptions{}, "https://agency.okta-gov.com"},
		{"milmove.okta.mil", OrgURLOptions{}, "https://milmove.okta.mil"},
		{"test.okta-miltest.com", OrgURLOptions{}, "https://test.okta-miltest.com"},
		{"x.trex-gov.com", OrgURLOptions{}, "https://x.trex-gov.com"},
		{"admin.okta.com", OrgURLOptions{}, "https://admin.okta.com"}, // "admin" alone is an org name, "-admin" is the console
		{"login.example.com", OrgURLOptions{CustomDomains: []string{"login.example.com"}}, "https://login.example.com"},
		{"https://LOGIN.example.com/", OrgURLOptions{CustomDomains: []string{" Login.Example.com "}}, "https://login.example.com"},
		{"http://127.0.0.1:8181", OrgURLOptions{AllowHTTP: true}, "http://127.0.0.1:8181"},
		{"http://127.9.8.7", OrgURLOptions{AllowHTTP: true}, "http://127.9.8.7"},
		{"http://localhost:3000/", OrgURLOptions{AllowHTTP: true}, "http://localhost:3000"},
		{"http://[::1]:8080", OrgURLOptions{AllowHTTP: true}, "http://[::1]:8080"},
		{"https://127.0.0.1:8443", OrgURLOptions{AllowHTTP: true}, "https://127.0.0.1:8443"},
		{"https://localhost:443", OrgURLOptions{AllowHTTP: true}, "https://localhost"},
		{"127.0.0.1:8181", OrgURLOptions{AllowHTTP: true}, "https://127.0.0.1:8181"},
		{"dev-1.okta.com", OrgURLOptions{AllowHTTP: true}, "https://dev-1.okta.com"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			u, err := ParseOrgURL(tt.raw, tt.opts)
			require.NoError(t, err)
			assert.Equal(t, tt.want, u.String())
			again, err := ParseOrgURL(u.String(), tt.opts)
			require.NoError(t, err, "the result parses again")
			assert.Equal(t, u, again)
		})
	}
}

// hostileOrgURLs are org URLs that must be refused, with a fragment of the
// rule each should name.
var hostileOrgURLs = []struct {
	raw  string
	opts OrgURLOptions
	rule string
}{
	{"", OrgURLOptions{}, "empty"},
	{"   ", OrgURLOptions{}, "empty"},
	// schemes
	{"http://dev-1.okta.com", OrgURLOptions{}, "http:// is not allowed"},
	{"http://dev-1.okta.com", OrgURLOptions{AllowHTTP: true}, "only for loopback"},
	{"ftp://dev-1.okta.com", OrgURLOptions{}, `scheme "ftp"`},
	{"file:///etc/passwd", OrgURLOptions{}, `scheme "file"`},
	{"gopher://dev-1.okta.com", OrgURLOptions{}, `scheme "gopher"`},
	{"javascript:alert(1)", OrgURLOptions{}, "not a valid URL"},
	{"https:dev-1.okta.com", OrgURLOptions{}, "not a valid URL"},
	{"ht!tp://dev-1.okta.com", OrgURLOptions{}, "valid scheme"},
	// user info and host confusion
	{"https://okta.com@evil.example", OrgURLOptions{}, "user info"},
	{"https://dev-1.okta.com@evil.example", OrgURLOptions{}, "user info"},
	{"https://user:pass@dev-1.okta.com", OrgURLOptions{}, "user info"},
	{"evil.example#.okta.com", OrgURLOptions{}, "fragment"},
	{"https://evil.example#.okta.com", OrgURLOptions{}, "fragment"},
	{"evil.example/.okta.com", OrgURLOptions{}, "path"},
	{"https://evil.example/.okta.com", OrgURLOptions{}, "path"},
	{"evil.example?.okta.com", OrgURLOptions{}, "query"},
	{"https://evil.example\\.okta.com", OrgURLOptions{}, "backslash"},
	{"dev-1.okta.com.evil.example", OrgURLOptions{}, "not an Okta org domain"},
	{"https://dev-1.okta.com.evil.example/", OrgURLOptions{}, "not an Okta org domain"},
	{"dev-1.okta.com.com", OrgURLOptions{}, "not an Okta org domain"},
	{"evil-okta.com", OrgURLOptions{}, "not an Okta org domain"},
	{"okta.com", OrgURLOptions{}, "not an Okta org domain"},
	{"https://okta.com", OrgURLOptions{}, "not an Okta org domain"},
	{"a.b.okta.com", OrgURLOptions{}, "one label"},
	{"evil.example", OrgURLOptions{}, "not an Okta org domain"},
	{"login.example.com", OrgURLOptions{CustomDomains: []string{"example.com"}}, "not an Okta org domain"},
	{"evil.login.example.com", OrgURLOptions{CustomDomains: []string{"login.example.com"}}, "not an Okta org domain"},
	// admin console
	{"acme-admin.okta.com", OrgURLOptions{}, "Admin Console"},
	{"https://acme-admin.oktapreview.com/", OrgURLOptions{}, "Admin Console"},
	{"acme-admin.okta-emea.com", OrgURLOptions{}, "Admin Console"},
	// paths, queries, fragments
	{"https://dev-1.okta.com/api/v1/users", OrgURLOptions{}, "path"},
	{"https://dev-1.okta.com//", OrgURLOptions{}, "path"},
	{"https://dev-1.okta.com/oauth2/default", OrgURLOptions{}, "path"},
	{"https://dev-1.okta.com?x=1", OrgURLOptions{}, "query"},
	{"https://dev-1.okta.com/?", OrgURLOptions{}, "query"},
	{"https://dev-1.okta.com#frag", OrgURLOptions{}, "fragment"},
	{"https://dev-1.okta.com/#", OrgURLOptions{}, "fragment"},
	// ports
	{"https://dev-1.okta.com:8443", OrgURLOptions{}, "port"},
	{"https://dev-1.okta.com:0443", OrgURLOptions{}, "port"},
	{"https://dev-1.okta.com:", OrgURLOptions{}, "empty port"},
	{"https://dev-1.okta.com:80", OrgURLOptions{}, "port"},
	{"http://127.0.0.1:99999", OrgURLOptions{AllowHTTP: true}, "port"},
	// IP literals: loopback, private, metadata, in every notation
	{"https://127.0.0.1", OrgURLOptions{}, "IP address"},
	{"http://127.0.0.1:8080", OrgURLOptions{}, "http:// is not allowed"},
	{"https://169.254.169.254", OrgURLOptions{}, "IP address"},
	{"http://169.254.169.254/latest/meta-data/", OrgURLOptions{AllowHTTP: true}, "path"},
	{"http://169.254.169.254", OrgURLOptions{AllowHTTP: true}, "IP address"},
	{"https://10.0.0.1", OrgURLOptions{}, "IP address"},
	{"https://192.168.1.1", OrgURLOptions{AllowHTTP: true}, "IP address"},
	{"https://[::1]", OrgURLOptions{}, "IP address"},
	{"https://[fd00:ec2::254]", OrgURLOptions{AllowHTTP: true}, "IP address"},
	{"https://[::ffff:127.0.0.1]", OrgURLOptions{AllowHTTP: true}, "IP address"},
	{"https://[::ffff:169.254.169.254]", OrgURLOptions{}, "IP address"},
	{"https://2130706433", OrgURLOptions{}, "IP address"},
	{"http://2130706433", OrgURLOptions{AllowHTTP: true}, "IP address"},
	{"https://0x7f.1", OrgURLOptions{}, "IP address"},
	{"http://0x7f.1", OrgURLOptions{AllowHTTP: true}, "IP address"},
	{"https://0x7f000001", OrgURLOptions{}, "IP address"},
	{"https://0177.0.0.1", OrgURLOptions{AllowHTTP: true}, "IP address"},
	{"https://127.1", OrgURLOptions{AllowHTTP: true}, "IP address"},
	{"https://017700000001", OrgURLOptions{}, "IP address"},
	{"https://[::1%25eth0]", OrgURLOptions{AllowHTTP: true}, "percent"},
	{"metadata.google.internal", OrgURLOptions{}, "not an Okta org domain"},
	{"localhost", OrgURLOptions{}, "not an Okta org domain"},
	{"http://localhost", OrgURLOptions{}, "http:// is not allowed"},
	{"http://localhost.okta.com", OrgURLOptions{AllowHTTP: true}, "only for loopback"},
	{"http://127.0.0.1.nip.io", OrgURLOptions{AllowHTTP: true}, "only for loopback"},
	// encodings and look-alikes
	{"https://dev-1%2eokta.com", OrgURLOptions{}, "percent"},
	{"https://evil.example%23.okta.com", OrgURLOptions{}, "percent"},
	{"https://%64ev-1.okta.com", OrgURLOptions{}, "percent"},
	{"https://dev-1.okta.com%2F@evil.example", OrgURLOptions{}, "percent"},
	{"https://dev-1.оkta.com", OrgURLOptions{}, "non-ASCII"}, // Cyrillic о
	{"https://dev-1.okta。com", OrgURLOptions{}, "non-ASCII"}, // ideographic full stop
	{"https://dev-1．okta．com", OrgURLOptions{}, "non-ASCII"}, // fullwidth full stop
	{"https://ｄｅｖ.okta.com", OrgURLOptions{}, "non-ASCII"},   // fullwidth letters
	{"https://dev\u200b-1.okta.com", OrgURLOptions{}, "non-ASCII"},
	{"https://xn--dev-1-mve.okta.com", OrgURLOptions{}, "punycode"},
	{"https://dev-1.xn--okta-3we.com", OrgURLOptions{}, "not an Okta org domain"},
	{"https://dev-1.okta.com\x00.evil.example", OrgURLOptions{}, "control"},
	{"https://dev-1.okta.com\r\nHost: evil", OrgURLOptions{}, "control"},
	{"https://dev 1.okta.com", OrgURLOptions{}, "whitespace"},
	// labels and dots
	{"dev-1.okta.com.", OrgURLOptions{}, "empty label"},
	{"https://dev-1.okta.com./", OrgURLOptions{}, "empty label"},
	{"https://dev-1..okta.com", OrgURLOptions{}, "empty label"},
	{"https://.okta.com", OrgURLOptions{}, "empty label"},
	{"https://-dev.okta.com", OrgURLOptions{}, "hyphen"},
	{"https://dev_1.okta.com", OrgURLOptions{}, "not allowed in a host name"},
	{"https://" + strings.Repeat("a", 64) + ".okta.com", OrgURLOptions{}, "63"},
	// placeholders and odd shapes
	{"https://{yourOktaDomain}", OrgURLOptions{}, "placeholder"},
	{"{yourOktaDomain}.okta.com", OrgURLOptions{}, "placeholder"},
	{"https://${OKTA_ORG}.okta.com", OrgURLOptions{}, "placeholder"},
	{"https://", OrgURLOptions{}, "no host"},
	{"https:///dev-1.okta.com", OrgURLOptions{}, "path"},
	{"https://:443", OrgURLOptions{}, "no host"},
	{"//dev-1.okta.com", OrgURLOptions{}, "path"},
	{"https://[dev-1.okta.com]", OrgURLOptions{}, "not a valid URL"},
	// bad custom domain configuration
	{"login.example.com", OrgURLOptions{CustomDomains: []string{"https://login.example.com"}}, "custom domain"},
	{"10.0.0.1", OrgURLOptions{CustomDomains: []string{"10.0.0.1"}}, "IP address"},
	{"login.example.com", OrgURLOptions{CustomDomains: []string{"169.254.169.254"}}, "custom domain"},
	{"localhost", OrgURLOptions{CustomDomains: []string{"localhost"}}, "custom domain"},
}

func TestParseOrgURLRejects(t *testing.T) {
	for _, tt := range hostileOrgURLs {
		t.Run(tt.raw, func(t *testing.T) {
			u, err := ParseOrgURL(tt.raw, tt.opts)
			require.Error(t, err, "accepted as %v", u)
			assert.Nil(t, u)
			assert.ErrorIs(t, err, ErrInvalidOrgURL)
			var oe *OrgURLError
			require.True(t, errors.As(err, &oe))
			assert.Contains(t, err.Error(), tt.rule)
			assert.True(t, strings.HasPrefix(err.Error(), "okta: org URL rejected: "))
		})
	}
}

func TestParseOrgURLNeverEchoesSecrets(t *testing.T) {
	for _, raw := range []string{
		"https://00SECRETtoken@dev-1.okta.com",
		"https://dev-1.okta.com/?token=00SECRETtoken",
		"https://dev-1.okta.com/#00SECRETtoken",
		"https://dev-1.okta.com/00SECRETtoken",
		"00SECRETtoken",
		"https://dev-1.okta.com:00SECRETtoken",
	} {
		_, err := ParseOrgURL(raw, OrgURLOptions{})
		require.Error(t, err, raw)
		assert.NotContains(t, err.Error(), "00SECRETtoken", raw)
		assert.NotContains(t, err.Error(), "SECRET", raw)
	}
}

// TestRejectedOrgURLsNeverDial proves, with a dialer that refuses anything
// but loopback and counts attempts, that no hostile org URL leads to a
// connection attempt: NewClient refuses them all before any request.
func TestRejectedOrgURLsNeverDial(t *testing.T) {
	d := &loopbackDialer{}
	hc := d.httpClient()
	for _, tt := range hostileOrgURLs {
		c, err := NewClient(Config{OrgURL: tt.raw, Auth: APIToken(testToken), HTTPClient: hc,
			AllowHTTP: tt.opts.AllowHTTP, CustomDomains: tt.opts.CustomDomains})
		require.Error(t, err, tt.raw)
		assert.Nil(t, c)
	}
	assert.Zero(t, d.attempts.Load(), "a rejected org URL must never be dialled")

	// The counter works: an accepted (non-loopback) org is dialled, and
	// refused by the test dialer, never reaching the network.
	c, err := NewClient(Config{OrgURL: "dev-1.okta.com", Auth: APIToken(testToken), HTTPClient: hc, MaxRetries: -1})
	require.NoError(t, err)
	_, _, err = c.GetUser(context.Background(), "00u1")
	require.Error(t, err)
	assert.ErrorIs(t, err, errNonLoopback)
	assert.Equal(t, int64(1), d.attempts.Load())
	assert.Equal(t, int64(1), d.refused.Load())
	assert.NotContains(t, err.Error(), testToken)
}

func TestLooksNumeric(t *testing.T) {
	for _, h := range []string{"2130706433", "0x7f.1", "127.1", "0177.0.0.01", "0xdead.0xbeef"} {
		assert.True(t, looksNumeric(h), h)
	}
	for _, h := range []string{"dead.beef", "dev-1.okta.com", "1.okta.com", "0x7f.com"} {
		assert.False(t, looksNumeric(h), h)
	}
}

// FuzzParseOrgURL checks ParseOrgURL's invariants on arbitrary input: it
// never panics, and whatever it accepts is https to an Okta org host or a
// custom domain, or (with AllowHTTP) a loopback host, with no user info,
// path, query or fragment, and parses to itself again.
func FuzzParseOrgURL(f *testing.F) {
	for _, tt := range hostileOrgURLs {
		f.Add(tt.raw, tt.opts.AllowHTTP)
	}
	for _, s := range []string{"dev-123456.okta.com", "https://dev-123456.okta.com/", "http://127.0.0.1:8181",
		"https://login.example.com", "http://[::1]:1", "https://a.okta-emea.com:443"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	custom := []string{"login.example.com"}
	f.Fuzz(func(t *testing.T, raw string, allowHTTP bool) {
		opts := OrgURLOptions{AllowHTTP: allowHTTP, CustomDomains: custom}
		u, err := ParseOrgURL(raw, opts)
		if err != nil {
			if u != nil {
				t.Fatalf("error with a URL: %v", u)
			}
			if !errors.Is(err, ErrInvalidOrgURL) {
				t.Fatalf("error not matching ErrInvalidOrgURL: %v", err)
			}
			return
		}
		if u.User != nil || u.Path != "" || u.RawPath != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Opaque != "" {
			t.Fatalf("%q: accepted URL has more than scheme and host: %#v", raw, u)
		}
		host, port := u.Hostname(), u.Port()
		if host != strings.ToLower(host) {
			t.Fatalf("%q: host not lower case: %q", raw, host)
		}
		loopback := host == "localhost" || host == "::1" || (net.ParseIP(host) != nil && net.ParseIP(host).IsLoopback() && !strings.Contains(host, ":"))
		switch {
		case loopback:
			if !allowHTTP {
				t.Fatalf("%q: loopback accepted without AllowHTTP", raw)
			}
		case u.Scheme != "https":
			t.Fatalf("%q: non-https accepted for %q", raw, host)
		case port != "":
			t.Fatalf("%q: port %q accepted for %q", raw, port, host)
		case host == "login.example.com":
		default:
			ok := false
			for _, s := range OrgDomainSuffixes() {
				if label, found := strings.CutSuffix(host, "."+s); found && label != "" && !strings.Contains(label, ".") && !strings.HasSuffix(label, "-admin") {
					ok = true
				}
			}
			if !ok {
				t.Fatalf("%q: accepted host %q is not an org host", raw, host)
			}
			if net.ParseIP(host) != nil {
				t.Fatalf("%q: IP accepted", raw)
			}
		}
		again, err := ParseOrgURL(u.String(), opts)
		if err != nil || again.String() != u.String() {
			t.Fatalf("%q: result %q does not parse to itself: %v %v", raw, u, again, err)
		}
		if _, err := url.Parse(u.String()); err != nil {
			t.Fatalf("%q: result does not parse: %v", raw, err)
		}
	})
}
