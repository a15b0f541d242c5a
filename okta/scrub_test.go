package okta

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9 finding 7: an Okta answer (error or not) that echoes the
// Authorization header or a password of the request must not carry them on
// to errors, results or logs.
func TestAnswersAreScrubbedOfTheCallsSecrets(t *testing.T) {
	const password = "Pa55-word-echoed!<&>"
	f := setup(t)
	f.mux.HandleFunc("POST /api/v1/users", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Okta-Request-Id", "req-echo")
		writeJSON(w, http.StatusBadRequest, map[string]any{
			"errorCode": "E0000001", "errorSummary": "Api validation failed: header " + r.Header.Get("Authorization"),
			"errorCauses": []map[string]any{{"errorSummary": "body was " + string(body)}, {"errorSummary": "password " + password}},
		})
	})
	f.mux.HandleFunc("GET /api/v1/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "SSWS ")
		writeJSON(w, http.StatusOK, map[string]any{"id": "00u1", "status": "ACTIVE", "profile": map[string]any{"login": "a@example.com", "title": tok}})
	})
	_, _, err := f.client.CreateUser(context.Background(), CreateUserRequest{
		Profile:     UserProfile{"login": "a@example.com"},
		Credentials: &UserCredentials{Password: &PasswordCredential{Value: password}},
	}, true)
	require.Error(t, err)
	oe, ok := AsError(err)
	require.True(t, ok)
	all := err.Error() + oe.ErrorSummary
	for _, c := range oe.ErrorCauses {
		all += c.ErrorSummary
	}
	assert.Contains(t, all, "[redacted]")
	assert.Contains(t, all, "Api validation failed", "the rest of the answer is kept")
	u, _, err := f.client.GetUser(context.Background(), "00u1")
	require.NoError(t, err)
	all += u.Profile.String("title") + f.logs.String()
	for _, secret := range []string{testToken, password, "Pa55-word-echoed!\\u003c\\u0026\\u003e"} {
		assert.NotContains(t, all, secret)
	}
	assert.Equal(t, "[redacted]", u.Profile.String("title"))
}
