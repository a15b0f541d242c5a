package okta_test

// The contract test runs every client operation against the in-memory org
// (okta/sandbox, an independent implementation of Okta's API) through
// contracttest's Transport, which validates each request the client sends
// and each answer the sandbox gives against Okta's OpenAPI spec, whose path
// comes from OKTA_OPENAPI_SPEC. Without it the test skips, except under
// CI=true.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/contracttest"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// loopbackTransport dials loopback addresses only.
func loopbackTransport() *http.Transport {
	return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("non-loopback address refused by the test")}
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
}

// stepClock is a fake clock shared by the client (retry and rate-limit
// waits) and the sandbox (its rate-limit windows and timestamps).
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return nil
}

// TestContract runs every client operation, successes and Okta errors
// (400, 403, 404, 429), through the validating transport.
func TestContract(t *testing.T) {
	t.Parallel() // the slowest tests overlap the rest
	vt := contracttest.NewTransport(t, loopbackTransport())
	clock := &stepClock{now: time.Now().UTC().Truncate(time.Second)}
	org, err := sandbox.New(sandbox.Options{Now: clock.Now})
	require.NoError(t, err)
	srv := httptest.NewServer(org)
	t.Cleanup(srv.Close)
	c, err := okta.NewClient(okta.Config{
		OrgURL: srv.URL, AllowHTTP: true, Auth: okta.APIToken(sandbox.DefaultToken),
		HTTPClient: &http.Client{Transport: vt}, Clock: clock, Timeout: 10 * time.Second,
	})
	require.NoError(t, err)
	ctx := context.Background()

	// Users: list, search, filter, q, paging, errors.
	all, resp, err := c.ListUsers(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, all)
	assert.Empty(t, resp.NextCursor, "the demo org fits Okta's default page of 200")
	_, resp, err = c.ListUsers(ctx, &okta.ListUsersParams{Search: `profile.department eq "Engineering"`, Limit: 2, SortBy: "id", SortOrder: "asc"})
	require.NoError(t, err)
	assert.NotEmpty(t, resp.NextCursor)
	_, _, err = c.ListUsers(ctx, &okta.ListUsersParams{Filter: `status eq "ACTIVE"`})
	require.NoError(t, err)
	_, _, err = c.ListUsers(ctx, &okta.ListUsersParams{Q: "ad", Limit: 5})
	require.NoError(t, err)
	_, _, err = c.ListUsers(ctx, &okta.ListUsersParams{Search: `profile.department eq`})
	assert.True(t, okta.HasErrorCode(err, "E0000031"), "%v", err)

	var paged []string
	for u, err := range c.UsersIter(ctx, okta.ListUsersParams{Limit: 7}, 0) {
		require.NoError(t, err)
		paged = append(paged, u.ID)
	}
	var ids []string
	for _, u := range all {
		ids = append(ids, u.ID)
	}
	assert.ElementsMatch(t, ids, paged, "paging with the Link cursor yields every user exactly once")

	ada, _, err := c.GetUser(ctx, "ada.lovelace@example.com")
	require.NoError(t, err)
	_, _, err = c.GetUser(ctx, ada.ID)
	require.NoError(t, err)
	_, _, err = c.GetUser(ctx, "nobody@example.com")
	assert.True(t, okta.IsNotFound(err))

	// A user's life.
	login := "contract.test@example.com"
	u, resp, err := c.CreateUser(ctx, okta.CreateUserRequest{
		Profile:     okta.UserProfile{"login": login, "email": login, "firstName": "Contract", "lastName": "Test"},
		Credentials: &okta.UserCredentials{Password: &okta.PasswordCredential{Value: "Plum-Tree-7-Xq"}},
	}, false)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, okta.StatusStaged, u.Status)
	_, _, err = c.CreateUser(ctx, okta.CreateUserRequest{Profile: okta.UserProfile{"login": strings.ToUpper(login), "email": login,
		"firstName": "Dup", "lastName": "Licate"}}, true)
	assert.True(t, okta.HasErrorCode(err, "E0000001"), "%v", err)
	assert.False(t, okta.IsOutcomeUnknown(err))

	u, _, err = c.UpdateUser(ctx, u.ID, okta.UserProfile{"title": "Tester"})
	require.NoError(t, err)
	assert.Equal(t, "Tester", u.Profile.String("title"))
	tok, _, err := c.ActivateUser(ctx, u.ID, false)
	require.NoError(t, err)
	assert.NotEmpty(t, tok.ActivationURL)
	_, _, err = c.ActivateUser(ctx, u.ID, true)
	assert.True(t, okta.HasErrorCode(err, "E0000016"), "%v", err)
	_, err = c.SuspendUser(ctx, u.ID)
	require.NoError(t, err)
	_, err = c.SuspendUser(ctx, u.ID)
	assert.True(t, okta.IsBadRequest(err), "%v", err)
	_, err = c.UnsuspendUser(ctx, u.ID)
	require.NoError(t, err)
	rp, _, err := c.ResetPassword(ctx, u.ID, false)
	require.NoError(t, err)
	assert.NotEmpty(t, rp.ResetPasswordURL)

	// Groups and membership.
	groups, _, err := c.ListGroups(ctx, &okta.ListGroupsParams{Limit: 3})
	require.NoError(t, err)
	require.NotEmpty(t, groups)
	_, _, err = c.ListGroups(ctx, &okta.ListGroupsParams{Search: `type eq "OKTA_GROUP"`})
	require.NoError(t, err)
	_, _, err = c.ListGroups(ctx, &okta.ListGroupsParams{Q: "Eng"})
	require.NoError(t, err)
	n := 0
	for _, err := range c.GroupsIter(ctx, okta.ListGroupsParams{Limit: 3}, 0) {
		require.NoError(t, err)
		n++
	}
	assert.GreaterOrEqual(t, n, 8)
	eng, _, err := c.GetGroup(ctx, groups[0].ID)
	require.NoError(t, err)
	desc := "made by the contract test"
	g, resp, err := c.CreateGroup(ctx, okta.GroupProfile{Name: "Contract", Description: &desc})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	g, _, err = c.ReplaceGroup(ctx, g.ID, okta.GroupProfile{Name: "Contract 2"})
	require.NoError(t, err)
	assert.Equal(t, "Contract 2", g.Profile.Name)
	resp, err = c.AddUserToGroup(ctx, g.ID, u.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	members, _, err := c.ListGroupMembers(ctx, g.ID, &okta.ListParams{Limit: 10})
	require.NoError(t, err)
	require.Len(t, members, 1)
	assert.Equal(t, u.ID, members[0].ID)
	m := 0
	for _, err := range c.GroupMembersIter(ctx, eng.ID, okta.ListParams{Limit: 2}, 0) {
		require.NoError(t, err)
		m++
	}
	assert.Positive(t, m)
	_, err = c.AddUserToGroup(ctx, g.ID, "00unknownuser0000000")
	assert.True(t, okta.IsNotFound(err), "%v", err)
	resp, err = c.RemoveUserFromGroup(ctx, g.ID, u.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	resp, err = c.DeleteGroup(ctx, g.ID)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, _, err = c.GetGroup(ctx, g.ID)
	assert.True(t, okta.IsNotFound(err))

	// An admin's day: a user's groups, unlock, password expiry, factors,
	// sessions, the System Log.
	ug, resp, err := c.ListUserGroups(ctx, ada.ID, &okta.ListParams{Limit: 1})
	require.NoError(t, err)
	require.Len(t, ug, 1)
	assert.NotEmpty(t, resp.NextCursor, "Ada is in three groups")
	var walked []string
	for g, err := range c.UserGroupsIter(ctx, ada.ID, okta.ListParams{Limit: 1}, 0) {
		require.NoError(t, err)
		walked = append(walked, g.Profile.Name)
	}
	assert.ElementsMatch(t, []string{"Everyone", "Engineering", "VPN Users"}, walked, "the iterator follows the next links")
	_, _, err = c.ListUserGroups(ctx, "nobody@example.com", nil)
	assert.True(t, okta.IsNotFound(err), "%v", err)
	_, err = c.UnlockUser(ctx, "katherine.johnson@example.com")
	require.NoError(t, err)
	_, err = c.UnlockUser(ctx, ada.ID)
	assert.True(t, okta.HasErrorCode(err, "E0000032"), "%v", err)
	exp, _, err := c.ExpirePassword(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, okta.StatusPasswordExpired, exp.Status)
	tp, _, err := c.ExpirePasswordWithTempPassword(ctx, u.ID, true)
	require.NoError(t, err)
	assert.Len(t, string(tp.TempPassword), 8)
	factors, resp, err := c.ListFactors(ctx, ada.ID)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	require.NotEmpty(t, factors)
	assert.NotEmpty(t, factors[0].FactorType)
	_, err = c.ResetFactors(ctx, ada.ID)
	require.NoError(t, err)
	factors, _, err = c.ListFactors(ctx, ada.ID)
	require.NoError(t, err)
	assert.Empty(t, factors)
	resp, err = c.ClearUserSessions(ctx, ada.ID, true)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, err = c.ClearUserSessions(ctx, "00unknownuser0000000", false)
	assert.True(t, okta.IsNotFound(err), "%v", err)
	evs, resp, err := c.ListLogEvents(ctx, &okta.ListLogEventsParams{Filter: `target.id eq "` + ada.ID + `" and eventType sw "user."`, Limit: 1, SortOrder: "DESCENDING",
		Until: clock.Now().Add(time.Second).Format(time.RFC3339)})
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, "user.session.clear", evs[0].EventType, "the last write on Ada")
	assert.NotEmpty(t, resp.NextCursor)
	_, _, err = c.ListLogEvents(ctx, &okta.ListLogEventsParams{Filter: `eventType eqq "x"`})
	assert.True(t, okta.IsBadRequest(err), "%v", err)

	// The end of a user: deactivate, delete.
	_, err = c.DeactivateUser(ctx, u.ID, false)
	require.NoError(t, err)
	resp, err = c.DeleteUser(ctx, u.ID, false)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, err = c.DeleteUser(ctx, u.ID, false)
	assert.True(t, okta.IsNotFound(err))

	// A forced 429 is waited out (on the shared fake clock) and retried.
	org.AddFault(sandbox.Fault{Method: "GET", Path: "/api/v1/groups/*", Status: 429, Times: 1})
	_, _, err = c.GetGroup(ctx, eng.ID)
	require.NoError(t, err)

	t.Logf("validated %d exchanges: %v", vt.Checked(), vt.Statuses())
	vt.AssertSucceeded(t, "listUsers", "getUser", "createUser", "updateUser", "activateUser", "deactivateUser",
		"suspendUser", "unsuspendUser", "resetPassword", "deleteUser", "listGroups", "getGroup", "addGroup",
		"replaceGroup", "deleteGroup", "assignUserToGroup", "unassignUserFromGroup", "listGroupUsers",
		"listUserGroups", "unlockUser", "expirePassword", "expirePasswordWithTempPassword", "listFactors", "resetFactors",
		"revokeUserSessions", "listLogEvents")
	vt.AssertAnswered(t, map[string]int{"listUsers": 400, "createUser": 400, "getUser": 404, "activateUser": 403,
		"suspendUser": 400, "getGroup": 429, "assignUserToGroup": 404, "deleteUser": 404,
		"listUserGroups": 404, "unlockUser": 403, "revokeUserSessions": 404, "listLogEvents": 400})
}

// TestSandboxOAuth checks the OAuth authenticator against the sandbox's
// independent token endpoint: assertion accepted, token used, scopes
// enforced, DPoP-bound apps refused with the admin hint. With
// OKTA_OPENAPI_SPEC set, the API exchanges are checked against the spec.
func TestSandboxOAuth(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))

	org, err := sandbox.New(sandbox.Options{OAuthClients: []sandbox.OAuthClient{
		{ClientID: "0oaFULL", PublicKey: &key.PublicKey, KeyID: "k1", Scopes: okta.DefaultOAuthScopes},
		{ClientID: "0oaREAD", PublicKey: &key.PublicKey, KeyID: "k1", Scopes: []string{"okta.users.read", "okta.groups.read"}},
		{ClientID: "0oaDPOP", PublicKey: &key.PublicKey, KeyID: "k1", Scopes: okta.DefaultOAuthScopes, RequireDPoP: true},
	}})
	require.NoError(t, err)
	srv := httptest.NewServer(org)
	t.Cleanup(srv.Close)
	client := func(id string, scopes ...string) *okta.Client {
		auth, err := okta.NewOAuth(okta.OAuthConfig{ClientID: id, PrivateKey: okta.Secret(keyPEM), KeyID: "k1", Scopes: scopes})
		require.NoError(t, err)
		c, err := okta.NewClient(okta.Config{OrgURL: srv.URL, AllowHTTP: true, Auth: auth,
			HTTPClient: &http.Client{Transport: contracttest.Wrap(t, loopbackTransport())}, MaxRetries: -1})
		require.NoError(t, err)
		return c
	}
	ctx := context.Background()

	full := client("0oaFULL")
	_, _, err = full.GetUser(ctx, "ada.lovelace@example.com")
	require.NoError(t, err)
	_, _, err = full.CreateGroup(ctx, okta.GroupProfile{Name: "OAuth group"})
	require.NoError(t, err)
	assert.Equal(t, 1, org.RequestCount("POST", "/oauth2/v1/token"), "the token is cached")

	read := client("0oaREAD", "okta.users.read", "okta.groups.read")
	_, _, err = read.ListGroups(ctx, nil)
	require.NoError(t, err)
	_, _, err = read.CreateGroup(ctx, okta.GroupProfile{Name: "not allowed"})
	assert.True(t, okta.IsForbidden(err), "%v", err)

	_, _, err = client("0oaREAD").ListGroups(ctx, nil) // asks for manage scopes it was not granted
	var oe *okta.OAuthError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "invalid_scope", oe.Code)

	_, _, err = client("0oaDPOP").ListGroups(ctx, nil)
	assert.ErrorIs(t, err, okta.ErrDPoPRequired)

	_, _, err = client("0oaUNKNOWN").ListGroups(ctx, nil)
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "invalid_client", oe.Code)
}

// TestSandboxFaults checks retries and outcome-unknown against the
// sandbox's fault injection: reads survive 5xx bursts and dropped
// connections, a create whose answer is lost is reported as outcome unknown
// and happened exactly once. With OKTA_OPENAPI_SPEC set, the answers that
// arrive (injected 5xx and 429 included) are checked against the spec.
func TestSandboxFaults(t *testing.T) {
	clock := &stepClock{now: time.Now().UTC()}
	org, err := sandbox.New(sandbox.Options{Now: clock.Now})
	require.NoError(t, err)
	c, err := okta.NewClient(okta.Config{OrgURL: sandbox.DemoOrgURL, Auth: okta.APIToken(sandbox.DefaultToken),
		HTTPClient: &http.Client{Transport: contracttest.Wrap(t, org.Transport())}, Clock: clock})
	require.NoError(t, err)
	ctx := context.Background()

	org.SetFaults(sandbox.Fault{Method: "GET", Path: "/api/v1/users/*", Status: 503, Times: 2})
	_, _, err = c.GetUser(ctx, "ada.lovelace@example.com")
	require.NoError(t, err)

	org.SetFaults(sandbox.Fault{Method: "GET", Path: "/api/v1/groups", Drop: sandbox.DropBeforeProcessing, Times: 1})
	_, _, err = c.ListGroups(ctx, nil)
	require.NoError(t, err)

	org.SetFaults(sandbox.Fault{Method: "POST", Path: "/api/v1/groups", Drop: sandbox.DropAfterProcessing, Times: 1})
	_, _, err = c.CreateGroup(ctx, okta.GroupProfile{Name: "Lost answer"})
	require.True(t, okta.IsOutcomeUnknown(err), "%v", err)
	assert.Equal(t, 1, org.RequestCount("POST", "/api/v1/groups"), "the create was sent once")
	_, found := org.LookupGroup("Lost answer")
	assert.True(t, found, "the create happened; the agent must look it up, not retry")

	org.SetFaults(sandbox.Fault{Method: "POST", Path: "/api/v1/users", Status: 500, Times: 1})
	_, _, err = c.CreateUser(ctx, okta.CreateUserRequest{Profile: okta.UserProfile{"login": "x@example.com", "email": "x@example.com",
		"firstName": "X", "lastName": "Y"}}, false)
	assert.True(t, okta.IsOutcomeUnknown(err))
	assert.Equal(t, 1, org.RequestCount("POST", "/api/v1/users"))

	org.SetFaults(sandbox.Fault{Status: 429, Times: 2})
	_, _, err = c.GetGroup(ctx, org.EveryoneGroupID())
	require.NoError(t, err)
}
