package okta

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIToken(t *testing.T) {
	req, _ := http.NewRequest("GET", "https://dev-1.okta.com/api/v1/users", nil)
	require.NoError(t, APIToken(testToken).Authorize(context.Background(), req))
	assert.Equal(t, "SSWS "+testToken, req.Header.Get("Authorization"))
	require.NoError(t, APIToken("  "+testToken+"\n").Authorize(context.Background(), req), "surrounding whitespace is trimmed")
	assert.Equal(t, "SSWS "+testToken, req.Header.Get("Authorization"))

	for _, bad := range []APIToken{"", "   ", "abc\r\nX-Injected: 1", "tok en", "tök"} {
		err := bad.Authorize(context.Background(), req)
		require.Error(t, err, "%q", string(bad))
		assert.NotContains(t, err.Error(), "Injected")
	}

	assert.Equal(t, "api-token:…wxyz", APIToken(testToken).Describe())
	assert.Equal(t, "api-token", APIToken("short").Describe())
	assert.Equal(t, "api-token", APIToken("").Describe())

	tok := APIToken(testToken)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10s"} {
		assert.NotContains(t, fmt.Sprintf(verb, tok), "TESTtoken", verb)
		assert.NotContains(t, fmt.Sprintf(verb, &tok), "TESTtoken", verb)
		assert.NotContains(t, fmt.Sprintf(verb, struct{ T APIToken }{tok}), "TESTtoken", verb)
		assert.NotContains(t, fmt.Sprintf(verb, Config{Auth: tok}), "TESTtoken", verb)
	}
	assert.Equal(t, `okta.APIToken("[redacted]")`, fmt.Sprintf("%#v", tok))
	j, err := json.Marshal(struct{ T APIToken }{tok})
	require.NoError(t, err)
	assert.Equal(t, `{"T":"[redacted]"}`, string(j))
}
