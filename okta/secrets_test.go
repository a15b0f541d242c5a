package okta

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSecretsNeverLeak runs every operation against a server that fails in
// every way the client handles (errors, 429s, 5xx, dropped connections,
// timeouts, a proxy echoing the request), with debug logging on, and
// searches every error string, every formatted error and response, and all
// log output for the credentials.
func TestSecretsNeverLeak(t *testing.T) {
	t.Parallel() // the slowest tests overlap the rest
	testKeys(t)
	keyPEM := rsaPKCS1PEM(t)
	keyLines := strings.Split(strings.TrimSpace(keyPEM), "\n")
	const accessToken = "ACCESSTOKEN-very-secret-0123456789"

	type auth struct {
		name  string
		make  func(t *testing.T) Authenticator
		token func(r *http.Request) bool
	}
	auths := []auth{
		{"api token", func(*testing.T) Authenticator { return APIToken(testToken) }, nil},
		{"oauth", func(t *testing.T) Authenticator { return newTestOAuth(t, keyPEM, "kid") }, nil},
	}
	modes := []string{"404", "400", "401", "403", "429", "500", "502-html", "drop", "slow", "echo", "bad-json"}

	for _, a := range auths {
		t.Run(a.name, func(t *testing.T) {
			var output strings.Builder
			for _, mode := range modes {
				f := setup(t, func(c *Config) {
					c.Auth = a.make(t)
					c.Timeout = 30 * time.Millisecond
					c.MaxRetries = 1
				})
				f.mux.HandleFunc("POST /oauth2/v1/token", func(w http.ResponseWriter, r *http.Request) {
					writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": accessToken})
				})
				f.mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
					_ = readBody(t, r)
					switch mode {
					case "404":
						writeOktaError(w, 404, "E0000007", "Not found: Resource not found")
					case "400":
						writeOktaError(w, 400, "E0000001", "Api validation failed: login")
					case "401":
						writeOktaError(w, 401, "E0000011", "Invalid token provided")
					case "403":
						writeOktaError(w, 403, "E0000006", "You do not have permission")
					case "429":
						write429(w, f.clock.Now(), 2*time.Second, "rl")
					case "500":
						writeOktaError(w, 500, "E0000009", "Internal Server Error")
					case "502-html":
						w.WriteHeader(502)
						fmt.Fprintf(w, "<html>proxy error for request with Authorization: %s</html>", r.Header.Get("Authorization"))
					case "drop":
						dropConnection(t, w)
					case "slow":
						select {
						case <-r.Context().Done():
						case <-time.After(time.Second):
						}
					case "echo":
						// A misbehaving proxy that echoes the request headers in an error.
						w.Header().Set("X-Echo-Authorization", r.Header.Get("Authorization"))
						writeJSON(w, 400, map[string]any{"errorCode": "E0000003", "errorSummary": "echo", "errorCauses": []any{
							map[string]any{"errorSummary": "header was " + strings.Repeat("x", 3)}}})
					case "bad-json":
						w.Header().Set("Content-Type", "application/json")
						_, _ = w.Write([]byte(`{"id":`))
					}
				})
				for name, call := range allOperations() {
					resp, err := call(context.Background(), f.client)
					fmt.Fprintf(&output, "%s %s: %v | %+v | %#v | %s\n", mode, name, err, err, err, err)
					if resp != nil {
						fmt.Fprintf(&output, "%v %+v %#v\n", resp, resp, resp)
						if resp.Request != nil {
							fmt.Fprintf(&output, "%v\n", resp.Request.Header)
						}
					}
				}
				output.WriteString(f.logs.String())
				fmt.Fprintf(&output, "%v %+v %#v %s\n", f.client, f.client, f.client, f.client.AuthDescription())
			}
			out := output.String()
			require.Contains(t, out, "E0000007", "the calls ran")
			for _, secret := range []string{testToken, "SSWS ", accessToken, "Bearer ", keyLines[1], keyLines[len(keyLines)-2]} {
				assert.NotContains(t, out, secret)
			}
		})
	}
}

// allOperations calls every client operation once.
func allOperations() map[string]func(context.Context, *Client) (*Response, error) {
	return map[string]func(context.Context, *Client) (*Response, error){
		"ListUsers": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.ListUsers(ctx, nil)
			return r, err
		},
		"GetUser": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.GetUser(ctx, "00u1")
			return r, err
		},
		"CreateUser": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.CreateUser(ctx, CreateUserRequest{Profile: UserProfile{"login": "a@example.org"},
				Credentials: &UserCredentials{Password: &PasswordCredential{Value: "Passw0rd-SECRET"}}}, true)
			return r, err
		},
		"UpdateUser": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.UpdateUser(ctx, "00u1", UserProfile{"title": "x"})
			return r, err
		},
		"ActivateUser": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.ActivateUser(ctx, "00u1", false)
			return r, err
		},
		"DeactivateUser": func(ctx context.Context, c *Client) (*Response, error) { return c.DeactivateUser(ctx, "00u1", false) },
		"SuspendUser":    func(ctx context.Context, c *Client) (*Response, error) { return c.SuspendUser(ctx, "00u1") },
		"UnsuspendUser":  func(ctx context.Context, c *Client) (*Response, error) { return c.UnsuspendUser(ctx, "00u1") },
		"ResetPassword": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.ResetPassword(ctx, "00u1", false)
			return r, err
		},
		"DeleteUser": func(ctx context.Context, c *Client) (*Response, error) { return c.DeleteUser(ctx, "00u1", false) },
		"ListGroups": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.ListGroups(ctx, nil)
			return r, err
		},
		"GetGroup": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.GetGroup(ctx, "00g1")
			return r, err
		},
		"CreateGroup": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.CreateGroup(ctx, GroupProfile{Name: "g"})
			return r, err
		},
		"ReplaceGroup": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.ReplaceGroup(ctx, "00g1", GroupProfile{Name: "g"})
			return r, err
		},
		"DeleteGroup":    func(ctx context.Context, c *Client) (*Response, error) { return c.DeleteGroup(ctx, "00g1") },
		"AddUserToGroup": func(ctx context.Context, c *Client) (*Response, error) { return c.AddUserToGroup(ctx, "00g1", "00u1") },
		"RemoveUserFromGroup": func(ctx context.Context, c *Client) (*Response, error) {
			return c.RemoveUserFromGroup(ctx, "00g1", "00u1")
		},
		"ListGroupMembers": func(ctx context.Context, c *Client) (*Response, error) {
			_, r, err := c.ListGroupMembers(ctx, "00g1", nil)
			return r, err
		},
	}
}
