package okta

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseOrgURLNeverEchoesATokenGivenAsHost: a token pasted where the org
// URL belongs (a single label) is not repeated in the error, in any case.
func TestParseOrgURLNeverEchoesATokenGivenAsHost(t *testing.T) {
	for _, raw := range []string{"00abcdefsecrettoken0123456789", "00AbCdEfSecretToken0123456789", "https://00abcdefsecrettoken0123456789", "00abcdefsecrettoken0123456789:443"} {
		_, err := ParseOrgURL(raw, OrgURLOptions{})
		require.Error(t, err, raw)
		assert.NotContains(t, strings.ToLower(err.Error()), "secrettoken", raw)
		assert.Contains(t, err.Error(), "not an Okta org domain", raw)
	}
}

// TestParseOrgURLCanonicalLoopback: with AllowHTTP, the loopback IPv6
// address written in any form comes back as [::1] (found by
// FuzzParseOrgURL: testdata/fuzz/FuzzParseOrgURL/9a007efded4a40fd), and
// IPv4-mapped or other IPv6 addresses stay refused.
func TestParseOrgURLCanonicalLoopback(t *testing.T) {
	for raw, want := range map[string]string{
		"[::01]":                   "https://[::1]",
		"http://[0::1]:8181":       "http://[::1]:8181",
		"http://[0:0:0:0:0:0:0:1]": "http://[::1]",
		"http://127.0.0.1:8181":    "http://127.0.0.1:8181",
	} {
		u, err := ParseOrgURL(raw, OrgURLOptions{AllowHTTP: true})
		require.NoError(t, err, raw)
		assert.Equal(t, want, u.String(), raw)
	}
	for _, raw := range []string{"http://[::ffff:127.0.0.1]", "http://[::2]", "http://[fe80::1]"} {
		_, err := ParseOrgURL(raw, OrgURLOptions{AllowHTTP: true})
		assert.Error(t, err, raw)
	}
}
