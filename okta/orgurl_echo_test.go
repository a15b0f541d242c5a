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
