package okta_test

// The contract test runs every client operation against the in-memory org
// (okta/sandbox, an independent implementation of Okta's API) through an
// http.RoundTripper that validates each request the client sends and each
// answer the sandbox gives against Okta's OpenAPI spec, whose path comes
// from OKTA_OPENAPI_SPEC. Without it the test skips, except under CI=true.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// loadSpec parses the spec once per test binary: the full spec is 3.4 MB.
var loadSpec = sync.OnceValues(func() (*specRouter, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(os.Getenv("OKTA_OPENAPI_SPEC"))
	if err != nil {
		return nil, err
	}
	// The spec's server is https://{yourOktaDomain}; routes are matched on
	// the path alone (and strict doc.Validate is not run: the full spec
	// fails it on unrelated examples).
	doc.Servers = nil
	return newSpecRouter(doc), nil
})

func requireSpec(t *testing.T) *specRouter {
	t.Helper()
	if os.Getenv("OKTA_OPENAPI_SPEC") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("OKTA_OPENAPI_SPEC is not set; CI must run the OpenAPI contract test (see .ci/run)")
		}
		t.Skip("OKTA_OPENAPI_SPEC is not set; skipping the OpenAPI contract test " +
			"(set it to ../shared/okta-openapi/management-minimal.yaml to run it)")
	}
	r, err := loadSpec()
	require.NoError(t, err)
	return r
}

// specRouter finds the spec operation of a request by matching its path
// against the spec's path templates; literal segments beat parameters
// (/api/v1/users/me over /api/v1/users/{id}). It is a few lines instead of
// kin-openapi's gorillamux router, which needs github.com/gorilla/mux in
// go.mod, and its legacy router, which strict-validates the whole spec.
type specRouter struct {
	doc    *openapi3.T
	routes []specPath
}

type specPath struct {
	template string
	segs     []string
	item     *openapi3.PathItem
	literals int
}

func newSpecRouter(doc *openapi3.T) *specRouter {
	r := &specRouter{doc: doc}
	for tmpl, item := range doc.Paths.Map() {
		sp := specPath{template: tmpl, segs: strings.Split(tmpl, "/"), item: item}
		for _, s := range sp.segs {
			if !strings.HasPrefix(s, "{") {
				sp.literals++
			}
		}
		r.routes = append(r.routes, sp)
	}
	sort.Slice(r.routes, func(i, j int) bool {
		if r.routes[i].literals != r.routes[j].literals {
			return r.routes[i].literals > r.routes[j].literals
		}
		return r.routes[i].template < r.routes[j].template
	})
	return r
}

func (r *specRouter) FindRoute(req *http.Request) (*routers.Route, map[string]string, error) {
	segs := strings.Split(req.URL.EscapedPath(), "/")
	for _, sp := range r.routes {
		if len(sp.segs) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for i, s := range sp.segs {
			if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
				v, err := url.PathUnescape(segs[i])
				if err != nil || v == "" {
					ok = false
					break
				}
				params[s[1:len(s)-1]] = v
			} else if s != segs[i] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		op := sp.item.GetOperation(req.Method)
		if op == nil {
			continue
		}
		return &routers.Route{Spec: r.doc, Path: sp.template, PathItem: sp.item, Method: req.Method, Operation: op}, params, nil
	}
	return nil, nil, fmt.Errorf("%s %s is not an operation of the spec", req.Method, req.URL.Path)
}

// validatingTransport validates every request and answer against the spec
// and records which operations answered with which statuses.
type validatingTransport struct {
	t      *testing.T
	router *specRouter
	next   http.RoundTripper

	mu       sync.Mutex
	statuses map[string][]int // operationId -> statuses seen
	checked  int
}

func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	route, params, routeErr := v.router.FindRoute(req)
	resp, err := v.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if !assert.NoError(v.t, routeErr, "the client sent a request outside the spec") {
		return resp, nil
	}
	respBody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))

	ctx := context.Background()
	vreq := req.Clone(ctx)
	vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true, // an undeclared status is a divergence
		MultiError:            true,
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts}
	op := route.Operation.OperationID
	assert.NoError(v.t, openapi3filter.ValidateRequest(ctx, in), "request of %s: %s %s %s", op, req.Method, req.URL, reqBody)
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: opts,
	}
	if slices.Contains(undeclaredStatuses[op], resp.StatusCode) && route.Operation.Responses.Status(resp.StatusCode) == nil {
		// A documented Okta answer the spec does not declare: its body must
		// still be Okta's Error object.
		assert.NoError(v.t, validateErrorBody(v.router.doc, respBody), "answer to %s: %d %s", op, resp.StatusCode, respBody)
	} else {
		assert.NoError(v.t, openapi3filter.ValidateResponse(ctx, out), "answer to %s (%s %s): %d %s", op, req.Method, req.URL, resp.StatusCode, respBody)
	}
	v.mu.Lock()
	v.statuses[op] = append(v.statuses[op], resp.StatusCode)
	v.checked++
	v.mu.Unlock()
	return resp, nil
}

// undeclaredStatuses are answers real Okta gives (reference §5, §7) that the
// spec does not declare for the operation: a malformed search or filter
// expression is 400 E0000031 (or E0000033 for search and filter together).
var undeclaredStatuses = map[string][]int{
	"listUsers":  {400},
	"listGroups": {400},
}

func validateErrorBody(doc *openapi3.T, body []byte) error {
	ref := doc.Components.Schemas["Error"]
	if ref == nil || ref.Value == nil {
		return errors.New("the spec has no Error schema")
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return ref.Value.VisitJSON(v)
}

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
	router := requireSpec(t)
	clock := &stepClock{now: time.Now().UTC().Truncate(time.Second)}
	org, err := sandbox.New(sandbox.Options{Now: clock.Now})
	require.NoError(t, err)
	srv := httptest.NewServer(org)
	t.Cleanup(srv.Close)
	vt := &validatingTransport{t: t, router: router, next: loopbackTransport(), statuses: map[string][]int{}}
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

	vt.mu.Lock()
	defer vt.mu.Unlock()
	t.Logf("validated %d exchanges: %v", vt.checked, vt.statuses)
	ok2xx := func(statuses []int) bool {
		return slices.ContainsFunc(statuses, func(s int) bool { return s >= 200 && s < 300 })
	}
	for _, op := range []string{"listUsers", "getUser", "createUser", "updateUser", "activateUser", "deactivateUser",
		"suspendUser", "unsuspendUser", "resetPassword", "deleteUser", "listGroups", "getGroup", "addGroup",
		"replaceGroup", "deleteGroup", "assignUserToGroup", "unassignUserFromGroup", "listGroupUsers"} {
		assert.True(t, ok2xx(vt.statuses[op]), "operation %s was validated with a success answer", op)
	}
	for op, status := range map[string]int{"listUsers": 400, "createUser": 400, "getUser": 404, "activateUser": 403,
		"suspendUser": 400, "getGroup": 429, "assignUserToGroup": 404, "deleteUser": 404} {
		assert.Contains(t, vt.statuses[op], status, "%s answered %d and was validated", op, status)
	}
}

// TestSandboxOAuth checks the OAuth authenticator against the sandbox's
// independent token endpoint: assertion accepted, token used, scopes
// enforced, DPoP-bound apps refused with the admin hint.
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
			HTTPClient: &http.Client{Transport: loopbackTransport()}, MaxRetries: -1})
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
// and happened exactly once.
func TestSandboxFaults(t *testing.T) {
	clock := &stepClock{now: time.Now().UTC()}
	org, err := sandbox.New(sandbox.Options{Now: clock.Now})
	require.NoError(t, err)
	c, err := okta.NewClient(okta.Config{OrgURL: sandbox.DemoOrgURL, Auth: okta.APIToken(sandbox.DefaultToken),
		HTTPClient: &http.Client{Transport: org.Transport()}, Clock: clock})
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
