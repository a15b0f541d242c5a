package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// transcript collects everything a client sees: results and notifications.
type transcript struct {
	mu  sync.Mutex
	out []string
}

func (tr *transcript) add(v any) {
	b, _ := json.Marshal(v)
	tr.mu.Lock()
	tr.out = append(tr.out, string(b))
	tr.mu.Unlock()
}

func (tr *transcript) String() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return strings.Join(tr.out, "\n")
}

func (tr *transcript) watch(c *client.Client) {
	c.OnNotification(func(n mcp.JSONRPCNotification) { tr.add(n) })
}

// secretCalls runs a full set of calls, failing ones included, and records
// every result (and protocol error) in tr. extra calls are mode-specific.
func secretCalls(t *testing.T, s *session, tr *transcript, password string, extra map[string]map[string]any) {
	t.Helper()
	setLevel(t, s.c, mcp.LoggingLevelDebug)
	login := uniqueEmail("secret")
	calls := []struct {
		tool string
		args map[string]any
	}{
		{"okta_list_users", map[string]any{"limit": 3}},
		{"okta_get_user", map[string]any{"userId": "ada.lovelace@example.com"}},
		{"okta_get_user", map[string]any{"userId": "nobody@example.com"}},
		{"okta_create_user", map[string]any{"firstName": "Se", "lastName": "Cret", "email": login, "password": password, "activate": false}},
		{"okta_create_user", map[string]any{"firstName": "Se", "lastName": "Cret", "email": login, "password": password}},
		{"okta_create_user", map[string]any{"firstName": "We", "lastName": "Ak", "email": uniqueEmail("weak"), "password": "weak"}},
		{"okta_create_user", map[string]any{"firstName": "Ba", "lastName": "D", "email": "not-an-email", "password": password}},
		{"okta_suspend_user", map[string]any{"userId": login}},
		{"okta_activate_user", map[string]any{"userId": login, "sendEmail": false}},
		{"okta_reset_password", map[string]any{"userId": login, "sendEmail": false}},
		{"okta_get_user", map[string]any{"userId": "../groups"}},
		{"okta_get_user", map[string]any{"userId": "ada.lovelace@example.com", "usrId": password}},
		{"okta_delete_group", map[string]any{"groupId": "00gnothere"}},
		{"okta_deactivate_user", map[string]any{"userId": login}},
		{"okta_delete_user", map[string]any{"userId": login}},
		{"okta_list_groups", nil},
	}
	for name, args := range extra {
		tool, _, _ := strings.Cut(name, "#")
		calls = append(calls, struct {
			tool string
			args map[string]any
		}{tool, args})
	}
	failed := 0
	for _, c := range calls {
		all := map[string]any{}
		for k, v := range s.creds {
			all[k] = v
		}
		for k, v := range c.args {
			all[k] = v
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		req := mcp.CallToolRequest{}
		req.Params.Name = c.tool
		req.Params.Arguments = all
		res, err := s.c.CallTool(ctx, req)
		cancel()
		if err != nil {
			tr.add(err.Error())
			continue
		}
		if res.IsError {
			failed++
		}
		tr.add(res)
	}
	require.GreaterOrEqual(t, failed, 6, "the failing calls ran: %s", tr)
	time.Sleep(100 * time.Millisecond) // let the last notifications arrive
}

// assertNoSecret fails if any secret, or a recognisable piece of it, is in
// out.
func assertNoSecret(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, piece := range []string{s, s[2 : len(s)-4]} {
			if strings.Contains(out, piece) {
				i := strings.Index(out, piece)
				t.Errorf("secret %q…%q leaked: …%s…", s[:4], s[len(s)-4:], out[max(0, i-300):min(len(out), i+len(piece)+40)])
			}
		}
	}
}

// TestSecretsNeverInOutput runs the binary at debug level with the client
// asking for debug log notifications, makes a full set of calls (failing
// ones included) with each way of passing Okta credentials, and searches
// everything it wrote (stderr, the audit log, results, notifications) for
// the secrets: API tokens, the MCP bearer token, a user's password.
func TestSecretsNeverInOutput(t *testing.T) {
	t.Parallel()
	const token = "00CMDsecret-TOKEN-abcdef123456789XYZ"
	const wrong = "00WRONGsecret-tok-zyxwv987654321QRS"
	const password = "Cmd-Secret-Passw0rd-77!"
	org := startSandbox(t, "--token", token)

	t.Run("per-call apiKey (stdio)", func(t *testing.T) {
		t.Parallel()
		audit := filepath.Join(t.TempDir(), "audit.jsonl")
		s := &session{t: t, creds: map[string]any{"domain": org, "apiKey": token}}
		var stderr *syncBuffer
		s.c, stderr = connectStdio(t, nil, []string{"--allow-http", "--log-level", "debug", "--audit-log", audit}, clientOptions{legacy: true})
		tr := &transcript{}
		tr.watch(s.c)
		secretCalls(t, s, tr, password, map[string]map[string]any{
			"okta_get_user#wrong token":     {"userId": "ada.lovelace@example.com", "apiKey": wrong},
			"okta_get_user#hostile domain":  {"userId": "ada.lovelace@example.com", "domain": "169.254.169.254"},
			"okta_get_user#token in domain": {"userId": "ada.lovelace@example.com", "domain": "https://" + token + "@dev-1.okta.com"},
			"okta_get_user#token as id":     {"userId": "../" + token},
		})
		b, err := os.ReadFile(audit)
		require.NoError(t, err)
		out := stderr.String() + string(b) + tr.String()
		assert.Contains(t, out, "E0000011", "the wrong token was refused by the org")
		assert.Contains(t, string(b), "per-call api-token:…9XYZ", "the audit names the credential")
		assertNoSecret(t, out, token, wrong, password)
	})

	t.Run("OKTA_API_TOKEN (stdio)", func(t *testing.T) {
		t.Parallel()
		s := &session{t: t}
		var stderr *syncBuffer
		s.c, stderr = connectStdio(t, []string{"OKTA_ORG_URL=" + org, "OKTA_API_TOKEN=" + token},
			[]string{"--allow-http", "--log-level", "debug"}, clientOptions{legacy: true})
		tr := &transcript{}
		tr.watch(s.c)
		secretCalls(t, s, tr, password, map[string]map[string]any{
			"okta_get_user#apiKey refused": {"userId": "ada.lovelace@example.com", "apiKey": wrong, "domain": org},
		})
		out := stderr.String() + tr.String()
		assert.Contains(t, out, "server api-token:…9XYZ", "the log names the credential")
		assertNoSecret(t, out, token, wrong, password)
	})

	t.Run("X-Okta-API-Token header and bearer token (http)", func(t *testing.T) {
		t.Parallel()
		const bearer = "cmd-secret-bearer-0123456789abcdefXY"
		p := startProc(t, []string{"OKTA_MCP_AUTH_TOKEN=" + bearer},
			"--allow-http", "--log-level", "debug", "--transport", "http", "--listen", "127.0.0.1:0")
		url := "http://" + p.listenAddr() + "/mcp"
		tr := &transcript{}
		for _, tok := range []string{token, wrong} {
			s := &session{t: t}
			s.c = connectHTTP(t, url, clientOptions{legacy: true, headers: map[string]string{
				"Authorization": "Bearer " + bearer, "X-Okta-Org-URL": org, "X-Okta-API-Token": tok,
			}})
			tr.watch(s.c)
			secretCalls(t, s, tr, password, nil)
		}
		// A request with a wrong bearer token is refused and not logged
		// with it.
		resp := rawPost(t, url, initializeBody, map[string]string{"Authorization": "Bearer " + wrong})
		assert.Equal(t, 401, resp.StatusCode)
		out := p.Stderr() + tr.String()
		assert.Contains(t, out, "E0000011", "the wrong header token was refused by the org")
		assertNoSecret(t, out, token, wrong, password, bearer)
	})
}

// TestPrivateKeyNeverInOutput: with an OAuth service app, neither the
// private key nor the access tokens it obtains appear in anything the
// binary writes, at debug level, failing calls included.
func TestPrivateKeyNeverInOutput(t *testing.T) {
	t.Parallel()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	org, err := sandbox.New(sandbox.Options{OAuthClients: []sandbox.OAuthClient{{
		ClientID: "0oaSecretApp", PublicKey: &key.PublicKey, KeyID: "key-1",
		Scopes: []string{"okta.users.read", "okta.users.manage", "okta.groups.read", "okta.groups.manage"},
	}}})
	require.NoError(t, err)
	var mu sync.Mutex
	var issued []string // access tokens the org handed out
	ts := httptest.NewServer(tokenRecorder(org, func(tok string) { mu.Lock(); issued = append(issued, tok); mu.Unlock() }))
	t.Cleanup(ts.Close)

	s := &session{t: t}
	var stderr *syncBuffer
	s.c, stderr = connectStdio(t, []string{
		"OKTA_ORG_URL=" + ts.URL, "OKTA_CLIENT_ID=0oaSecretApp", "OKTA_PRIVATE_KEY=" + keyPEM, "OKTA_KEY_ID=key-1",
	}, []string{"--allow-http", "--log-level", "debug"}, clientOptions{legacy: true})
	tr := &transcript{}
	tr.watch(s.c)
	secretCalls(t, s, tr, "Oauth-Secret-Passw0rd-55!", nil)
	out := stderr.String() + tr.String()
	assert.Contains(t, out, "oauth:0oaSecretApp", "the log names the credential")

	mu.Lock()
	secrets := append([]string(nil), issued...)
	mu.Unlock()
	require.NotEmpty(t, secrets, "the server obtained an access token")
	for _, line := range strings.Split(strings.TrimSpace(keyPEM), "\n") {
		if !strings.HasPrefix(line, "-----") {
			secrets = append(secrets, line)
		}
	}
	assert.NotContains(t, out, "PRIVATE KEY")
	assertNoSecret(t, out, secrets...)
}

// tokenRecorder serves h and reports every access token h issues on
// /oauth2/v1/token.
func tokenRecorder(h http.Handler, issued func(string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/v1/token") {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var body struct {
			AccessToken string `json:"access_token"`
		}
		if json.Unmarshal(rec.Body.Bytes(), &body) == nil && body.AccessToken != "" {
			issued(body.AccessToken)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}
