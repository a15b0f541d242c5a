package signin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	t     *testing.T
	org   *sandbox.Org
	srv   *httptest.Server
	clock *clock
	c     *Client
	store *Store
}

// newEnv serves a sandbox org on 127.0.0.1 (auto-approving autoApprove
// when not "") and a sign-in client for it.
func newEnv(t *testing.T, autoApprove string, scopes ...string) *env {
	t.Helper()
	ck := &clock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}
	org, err := sandbox.New(sandbox.Options{AutoApprove: autoApprove, Now: ck.Now})
	require.NoError(t, err)
	srv := httptest.NewServer(org)
	t.Cleanup(srv.Close)
	if len(scopes) == 0 {
		scopes = []string{"okta.users.read", "okta.groups.read"}
	}
	c, err := New(Config{OrgURL: srv.URL, AllowHTTP: true, ClientID: sandbox.PublicClientID, Scopes: scopes, Now: ck.Now})
	require.NoError(t, err)
	return &env{t: t, org: org, srv: srv, clock: ck, c: c, store: &Store{Dir: filepath.Join(t.TempDir(), "cfg", "signin")}}
}

// freePort finds a loopback port for the redirect URI.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// browser follows the authorization URL like a browser would: /authorize
// (auto-approved) redirects to the loopback callback.
func browser(authURL string) error {
	go func() {
		resp, err := http.Get(authURL)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
	return nil
}

func (e *env) apiClient(auth okta.Authenticator) *okta.Client {
	e.t.Helper()
	cl, err := okta.NewClient(okta.Config{OrgURL: e.srv.URL, AllowHTTP: true, Auth: auth, MaxRetries: -1})
	require.NoError(e.t, err)
	return cl
}

func TestLoginBrowser(t *testing.T) {
	e := newEnv(t, "ada.lovelace@example.com")
	var out strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	port := freePort(t)
	var opened string
	tok, err := e.c.LoginBrowser(ctx, LoginOptions{Port: port, Out: &out, Open: func(u string) error { opened = u; return browser(u) }})
	require.NoError(t, err)
	assert.Equal(t, "ada.lovelace@example.com", tok.Login)
	assert.Equal(t, "Ada Lovelace", tok.Name)
	assert.NotEmpty(t, tok.UserID)
	assert.NotEmpty(t, tok.RefreshToken)
	assert.Equal(t, e.clock.Now().Add(time.Hour), tok.Expiry)
	assert.ElementsMatch(t, []string{"okta.users.read", "okta.groups.read", "openid", "profile", "offline_access"}, tok.Scopes)

	u, err := url.Parse(opened)
	require.NoError(t, err)
	q := u.Query()
	assert.Equal(t, e.srv.URL+"/oauth2/v1/authorize", u.Scheme+"://"+u.Host+u.Path)
	assert.Equal(t, fmt.Sprintf("http://127.0.0.1:%d/callback", port), q.Get("redirect_uri"))
	assert.Equal(t, "S256", q.Get("code_challenge_method"))
	assert.Len(t, q.Get("code_challenge"), 43)
	assert.NotEmpty(t, q.Get("state"))
	assert.Contains(t, out.String(), opened, "the URL is printed for when no browser opens")
	assert.NotContains(t, out.String(), string(tok.AccessToken))

	// The server acts with the token: reads work, writes get a clear 403.
	require.NoError(t, e.store.Save(tok))
	cl := e.apiClient(NewAuthenticator(e.c, e.store, nil))
	_, _, err = cl.ListUsers(ctx, &okta.ListUsersParams{})
	require.NoError(t, err)
	_, err = cl.SuspendUser(ctx, "alan.turing@example.com")
	require.Error(t, err)
	oe, ok := okta.AsError(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, 403, oe.StatusCode)
	assert.Equal(t, "okta.users.manage", oe.MissingScope)
	u2, _ := e.org.LookupUser("alan.turing@example.com")
	assert.Equal(t, "ACTIVE", u2.Status)
}

func TestLoginBrowserPortInUse(t *testing.T) {
	e := newEnv(t, "ada.lovelace@example.com")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	_, err = e.c.LoginBrowser(context.Background(), LoginOptions{Port: ln.Addr().(*net.TCPAddr).Port})
	assert.ErrorContains(t, err, "--port")
}

func TestLoginBrowserDenied(t *testing.T) {
	e := newEnv(t, "ada.lovelace@example.com", "okta.nosuch.read")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := e.c.LoginBrowser(ctx, LoginOptions{Port: freePort(t), Open: browser})
	var oe *Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "invalid_scope", oe.Code)
}

// The state must match, and a stolen code is useless without the verifier
// (PKCE verification fails at the token endpoint).
func TestLoginBrowserStateAndPKCE(t *testing.T) {
	e := newEnv(t, "ada.lovelace@example.com")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var stolen error
	open := func(authURL string) error {
		go func() {
			resp, err := noRedirect.Get(authURL)
			if err != nil {
				stolen = err
				return
			}
			resp.Body.Close()
			cb, _ := url.Parse(resp.Header.Get("Location"))
			code := cb.Query().Get("code")
			// A forged callback with another state is refused.
			forged := *cb
			q := cb.Query()
			q.Set("state", "forged")
			forged.RawQuery = q.Encode()
			if r, err := http.Get(forged.String()); err == nil {
				if r.StatusCode != 400 {
					stolen = fmt.Errorf("forged state: status %d", r.StatusCode)
				}
				r.Body.Close()
			}
			// The thief redeems the code with a made-up verifier.
			tr, err := http.PostForm(e.srv.URL+"/oauth2/v1/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {sandbox.PublicClientID},
				"code": {code}, "redirect_uri": {cb.Scheme + "://" + cb.Host + cb.Path}, "code_verifier": {strings.Repeat("a", 64)}})
			if err == nil {
				b, _ := io.ReadAll(tr.Body)
				tr.Body.Close()
				if tr.StatusCode != 400 || !strings.Contains(string(b), "PKCE verification failed") {
					stolen = fmt.Errorf("the thief got %d %s", tr.StatusCode, b)
				}
			}
			// Then the real callback arrives: the code is burned.
			if r, err := http.Get(cb.String()); err == nil {
				r.Body.Close()
			}
		}()
		return nil
	}
	_, err := e.c.LoginBrowser(ctx, LoginOptions{Port: freePort(t), Open: open})
	require.NoError(t, stolen)
	var oe *Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "invalid_grant", oe.Code)
}

func TestLoginDeviceAutoApproved(t *testing.T) {
	e := newEnv(t, "ada.lovelace@example.com")
	var out strings.Builder
	tok, err := e.c.LoginDevice(context.Background(), DeviceOptions{Out: &out, Sleep: func(context.Context, time.Duration) error {
		return errors.New("should not wait: the code is approved at once")
	}})
	require.NoError(t, err)
	assert.Equal(t, "ada.lovelace@example.com", tok.Login)
	assert.Contains(t, out.String(), e.srv.URL+"/activate")
}

func TestLoginDevicePollsWithSlowDown(t *testing.T) {
	e := newEnv(t, "")
	var out strings.Builder
	var waits []time.Duration
	sleep := func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		if len(waits) == 1 {
			return nil // poll too early: the server says slow_down
		}
		e.clock.Advance(d)
		if len(waits) == 2 {
			code := strings.Fields(out.String()[strings.Index(out.String(), "enter the code ")+len("enter the code "):])[0]
			resp, err := http.PostForm(e.srv.URL+"/activate", url.Values{"user_code": {code}, "username": {"ada.lovelace@example.com"}, "password": {sandbox.DemoPassword}})
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return fmt.Errorf("activate: %d", resp.StatusCode)
			}
		}
		return nil
	}
	tok, err := e.c.LoginDevice(context.Background(), DeviceOptions{Out: &out, Sleep: sleep})
	require.NoError(t, err)
	assert.Equal(t, "ada.lovelace@example.com", tok.Login)
	assert.Equal(t, []time.Duration{5 * time.Second, 10 * time.Second}, waits,
		"5 s, then 5 s more after slow_down")
}

func TestStorePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	dir := filepath.Join(t.TempDir(), "okta-mcp", "signin")
	s := &Store{Dir: dir}
	tok := &Token{OrgURL: "https://dev-1.okta.com", ClientID: "0oa1", AccessToken: "at-secret", RefreshToken: "rt-secret", Expiry: time.Now().Add(time.Hour), Login: "a@example.com"}
	require.NoError(t, s.Save(tok))
	st, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), st.Mode().Perm())
	p := s.Path(tok.OrgURL, tok.ClientID)
	st, err = os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	got, err := s.Load(tok.OrgURL, tok.ClientID)
	require.NoError(t, err)
	assert.Equal(t, okta.Secret("rt-secret"), got.RefreshToken)
	assert.Equal(t, "a@example.com", got.Login)

	// Per org and client.
	_, err = s.Load(tok.OrgURL, "0oa2")
	assert.ErrorIs(t, err, ErrNotSignedIn)
	_, err = s.Load("https://dev-2.okta.com", "0oa1")
	assert.ErrorIs(t, err, ErrNotSignedIn)

	// A file others can read is refused.
	require.NoError(t, os.Chmod(p, 0o644))
	_, err = s.Load(tok.OrgURL, tok.ClientID)
	assert.ErrorContains(t, err, "can be read by other users")
	assert.NotContains(t, err.Error(), "secret")

	// An existing too-open directory is tightened.
	require.NoError(t, os.Chmod(dir, 0o755))
	require.NoError(t, s.Save(tok))
	st, _ = os.Stat(dir)
	assert.Equal(t, os.FileMode(0o700), st.Mode().Perm())

	require.NoError(t, s.Delete(tok.OrgURL, tok.ClientID))
	require.NoError(t, s.Delete(tok.OrgURL, tok.ClientID), "deleting twice is fine")
	_, err = s.Load(tok.OrgURL, tok.ClientID)
	assert.ErrorIs(t, err, ErrNotSignedIn)

	// Tokens never show in fmt output.
	for _, s := range []string{fmt.Sprint(tok), fmt.Sprintf("%+v", tok), fmt.Sprintf("%#v", *tok)} {
		assert.NotContains(t, s, "at-secret")
		assert.NotContains(t, s, "rt-secret")
	}
}

func TestAuthenticatorRefreshesSilently(t *testing.T) {
	e := newEnv(t, "ada.lovelace@example.com")
	tok, err := e.c.LoginDevice(context.Background(), DeviceOptions{})
	require.NoError(t, err)
	require.NoError(t, e.store.Save(tok))
	var logs strings.Builder
	a := NewAuthenticator(e.c, e.store, slog.New(slog.NewTextHandler(&logs, nil)))
	assert.Equal(t, "user:ada.lovelace@example.com", a.Describe())
	cl := e.apiClient(a)
	ctx := context.Background()
	_, _, err = cl.ListUsers(ctx, &okta.ListUsersParams{})
	require.NoError(t, err)
	tokens := e.org.RequestCount("POST", "/oauth2/v1/token") // the sign-in's

	e.clock.Advance(59 * time.Minute) // within the refresh margin
	_, _, err = cl.ListUsers(ctx, &okta.ListUsersParams{})
	require.NoError(t, err)
	assert.Equal(t, tokens+1, e.org.RequestCount("POST", "/oauth2/v1/token"), "refreshed once")
	stored, err := e.store.Load(e.c.Origin(), e.c.ClientID())
	require.NoError(t, err)
	assert.NotEqual(t, tok.AccessToken, stored.AccessToken, "the refreshed token is saved")
	assert.Equal(t, e.clock.Now().Add(time.Hour), stored.Expiry)
	assert.Equal(t, "ada.lovelace@example.com", stored.Login, "who signed in survives a refresh")
	assert.NotContains(t, logs.String(), string(stored.AccessToken))
	assert.NotContains(t, logs.String(), string(stored.RefreshToken))

	// Once the refresh token is revoked (logout elsewhere), the next
	// refresh asks for a sign-in; nothing is sent to the API.
	require.NoError(t, e.c.Revoke(ctx, stored))
	before := e.org.RequestCount("GET", "/api/v1/users")
	e.clock.Advance(59 * time.Minute)
	_, _, err = cl.ListUsers(ctx, &okta.ListUsersParams{})
	require.Error(t, err)
	assert.ErrorIs(t, err, okta.ErrSignInRequired)
	assert.Contains(t, err.Error(), "okta-mcp login")
	assert.Equal(t, before, e.org.RequestCount("GET", "/api/v1/users"))
}

func TestAuthenticatorWithoutSignIn(t *testing.T) {
	e := newEnv(t, "")
	cl := e.apiClient(NewAuthenticator(e.c, e.store, nil))
	_, _, err := cl.ListUsers(context.Background(), &okta.ListUsersParams{})
	require.ErrorIs(t, err, okta.ErrSignInRequired)
	assert.Contains(t, err.Error(), "okta-mcp login")
	assert.Equal(t, 0, e.org.RequestCount("", "/api/"))
}

func TestAuthenticatorOnlySendsToItsOrg(t *testing.T) {
	e := newEnv(t, "")
	a := NewAuthenticator(e.c, e.store, nil)
	req := httptest.NewRequest("GET", "https://evil.okta.com/api/v1/users", nil)
	err := a.Authorize(context.Background(), req)
	assert.ErrorContains(t, err, "refusing")
	assert.Empty(t, req.Header.Get("Authorization"))
}

func TestRevokedTokenIsRefused(t *testing.T) {
	e := newEnv(t, "ada.lovelace@example.com")
	ctx := context.Background()
	tok, err := e.c.LoginDevice(ctx, DeviceOptions{})
	require.NoError(t, err)
	require.NoError(t, e.c.Revoke(ctx, tok))
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/users", nil)
	req.Header.Set("Authorization", "Bearer "+string(tok.AccessToken))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
	_, err = e.c.Refresh(ctx, tok)
	var oe *Error
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "invalid_grant", oe.Code)
	assert.NotContains(t, err.Error(), string(tok.RefreshToken))
}

// A 401 (the access token was revoked alone) makes the client retry once
// with a refreshed token, silently.
func TestAuthenticatorRefreshesAfter401(t *testing.T) {
	e := newEnv(t, "ada.lovelace@example.com")
	ctx := context.Background()
	tok, err := e.c.LoginDevice(ctx, DeviceOptions{})
	require.NoError(t, err)
	require.NoError(t, e.store.Save(tok))
	resp, err := http.PostForm(e.srv.URL+"/oauth2/v1/revoke", url.Values{"client_id": {sandbox.PublicClientID}, "token": {string(tok.AccessToken)}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)

	cl := e.apiClient(NewAuthenticator(e.c, e.store, nil))
	_, _, err = cl.ListUsers(ctx, &okta.ListUsersParams{})
	require.NoError(t, err)
	stored, err := e.store.Load(e.c.Origin(), e.c.ClientID())
	require.NoError(t, err)
	assert.NotEqual(t, tok.AccessToken, stored.AccessToken, "refreshed after the 401")
	assert.Equal(t, 2, e.org.RequestCount("GET", "/api/v1/users"), "one refused, one retried")
}
