package contracttest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// recorder is a testing.TB that collects the errors reported to it.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Error(args ...any) { r.Errorf("%s", fmt.Sprint(args...)) }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func answer(status int, body string) roundTripFunc {
	return func(r *http.Request) (*http.Response, error) {
		h := http.Header{}
		if body != "" {
			h.Set("Content-Type", "application/json")
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	}
}

const (
	group      = `{"id":"00g1emaKYZTWRYYRRTSK","type":"OKTA_GROUP","objectClass":["okta:user_group"],"profile":{"name":"West Coast","description":"Users in the West"}}`
	oktaErr404 = `{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: x (User)","errorLink":"E0000007","errorId":"oae1","errorCauses":[]}`
	oktaErr400 = `{"errorCode":"E0000031","errorSummary":"Invalid search criteria.","errorLink":"E0000031","errorId":"oae2","errorCauses":[]}`
	groupID    = "00g1emaKYZTWRYYRRTSK"
	base       = "https://sandbox.okta.com"
)

// TestTransport shows that the transport reports what does not match the
// spec, and only that.
func TestTransport(t *testing.T) {
	requireSpec(t)
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		next   roundTripFunc
		op     string // operationId recorded; "" = none
		errs   []string
		fails  bool // the next transport fails
	}{
		{name: "valid getGroup", method: "GET", path: "/api/v1/groups/" + groupID, next: answer(200, group), op: "getGroup"},
		{name: "getUser by login", method: "GET", path: "/api/v1/users/ada.lovelace@example.com", next: answer(404, oktaErr404), op: "getUser"},
		{name: "wrong type in the answer", method: "GET", path: "/api/v1/groups/" + groupID,
			next: answer(200, strings.Replace(group, `"West Coast"`, `7`, 1)), op: "getGroup", errs: []string{"does not match the spec"}},
		// The spec's description is not nullable, but real Okta sends null
		// for a group without one: a recorded exception (recordedExceptions).
		{name: "null group description (recorded exception)", method: "GET", path: "/api/v1/groups/" + groupID,
			next: answer(200, strings.Replace(group, `"Users in the West"`, `null`, 1)), op: "getGroup"},
		{name: "group description of the wrong type", method: "GET", path: "/api/v1/groups/" + groupID,
			next: answer(200, strings.Replace(group, `"Users in the West"`, `false`, 1)), op: "getGroup", errs: []string{"does not match the spec"}},
		{name: "undeclared status", method: "GET", path: "/api/v1/users/00u1", next: answer(418, oktaErr404), op: "getUser",
			errs: []string{"status 418 is not declared"}},
		{name: "known undeclared 400 of listUsers", method: "GET", path: "/api/v1/users?search=bad", next: answer(400, oktaErr400), op: "listUsers"},
		{name: "known undeclared 401", method: "GET", path: "/api/v1/groups", next: answer(401, oktaErr404), op: "listGroups"},
		{name: "undeclared 400 that is not an Error object", method: "GET", path: "/api/v1/users?search=bad",
			next: answer(400, `{"errorCode":5}`), op: "listUsers", errs: []string{"not the spec's Error object", "not an Okta error"}},
		{name: "declared error status without errorCode", method: "GET", path: "/api/v1/users/00u1", next: answer(404, `{}`), op: "getUser",
			errs: []string{"not an Okta error"}},
		{name: "path outside the spec", method: "GET", path: "/api/v1/nothing/here", next: answer(404, oktaErr404),
			errs: []string{"is not an operation of the spec"}},
		{name: "invalid query parameter", method: "GET", path: "/api/v1/groups?limit=many", next: answer(200, "[]"), op: "listGroups",
			errs: []string{"request of listGroups does not match"}},
		{name: "invalid request body", method: "POST", path: "/api/v1/groups", body: `{"profile":{"name":7}}`, next: answer(200, group), op: "addGroup",
			errs: []string{"request of addGroup does not match"}},
		{name: "custom group profile attributes are allowed", method: "PUT", path: "/api/v1/groups/" + groupID,
			body: `{"profile":{"name":"West Coast","costCenter":"CC-42","floor":3}}`,
			next: answer(200, strings.Replace(group, `"description":"Users in the West"`, `"costCenter":"CC-42","floor":3`, 1)), op: "replaceGroup"},
		{name: "204 without a body", method: "DELETE", path: "/api/v1/groups/" + groupID, next: answer(204, ""), op: "deleteGroup"},
		{name: "the OAuth token endpoint is passed on unchecked", method: "POST", path: "/oauth2/v1/token", body: "grant_type=client_credentials",
			next: answer(200, `{"token_type":"Bearer"}`)},
		{name: "transport error is passed on unchecked", method: "GET", path: "/api/v1/nothing",
			next: func(*http.Request) (*http.Response, error) { return nil, errors.New("connection dropped") }, fails: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			var sent string
			next := func(r *http.Request) (*http.Response, error) {
				if r.Body != nil {
					b, err := io.ReadAll(r.Body)
					require.NoError(t, err)
					sent = string(b)
				}
				return tt.next(r)
			}
			tr := NewTransport(rec, roundTripFunc(next))
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequest(tt.method, base+tt.path, body)
			require.NoError(t, err)
			req.Header.Set("Authorization", "SSWS token")
			req.Header.Set("Accept", "application/json")
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := tr.RoundTrip(req)
			if tt.fails {
				require.Error(t, err)
				assert.Empty(t, rec.errs)
				assert.Zero(t, tr.Checked())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.body, sent, "the next transport gets the request body")
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			want, _ := tt.next(req)
			wantBody, _ := io.ReadAll(want.Body)
			assert.Equal(t, string(wantBody), string(got), "the caller gets the answer's body")

			require.Len(t, rec.errs, len(tt.errs), "%q", rec.errs)
			for i, e := range tt.errs {
				assert.Contains(t, rec.errs[i], e)
			}
			if tt.op != "" {
				assert.Equal(t, map[string][]int{tt.op: {resp.StatusCode}}, tr.Statuses())
			} else {
				assert.Empty(t, tr.Statuses())
			}
		})
	}
}

func TestCoverageAssertions(t *testing.T) {
	requireSpec(t)
	rec := &recorder{TB: t}
	tr := NewTransport(rec, answer(200, group))
	req, err := http.NewRequest("GET", base+"/api/v1/groups/"+groupID, nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.True(t, tr.AssertSucceeded(rec, "getGroup"))
	assert.Empty(t, rec.errs)
	assert.False(t, tr.AssertSucceeded(rec, "getGroup", "listGroups"))
	require.Len(t, rec.errs, 1)
	assert.Contains(t, rec.errs[0], "listGroups was not validated")

	rec.errs = nil
	assert.True(t, tr.AssertAnswered(rec, map[string]int{"getGroup": 200}))
	assert.Empty(t, rec.errs)
	assert.False(t, tr.AssertAnswered(rec, map[string]int{"getGroup": 404, "listGroups": 200}))
	require.Len(t, rec.errs, 2)
	assert.Contains(t, rec.errs[0], "getGroup was not validated with a 404 answer")
	assert.Contains(t, rec.errs[1], "listGroups was not validated with a 200 answer")
}

func TestWrapWithoutSpec(t *testing.T) {
	t.Setenv(EnvSpec, "")
	next := answer(200, "[]")
	rt := Wrap(t, next)
	_, isTransport := rt.(*Transport)
	assert.False(t, isTransport, "without the spec Wrap returns next itself")
}

// BenchmarkTransport is the cost the validation adds to an exchange with
// the in-memory org: a small answer (getUser) and the demo org's whole user
// list (listUsers, about 50 users).
func BenchmarkTransport(b *testing.B) {
	org, err := sandbox.New(sandbox.Options{RequestLogSize: -1})
	require.NoError(b, err)
	for _, path := range []string{"/api/v1/users/ada.lovelace@example.com", "/api/v1/users"} {
		for _, validate := range []bool{false, true} {
			name := path
			if validate {
				name += "/validated"
			}
			b.Run(name, func(b *testing.B) {
				var rt http.RoundTripper = org.Transport()
				if validate {
					rt = NewTransport(b, rt)
				}
				c := &http.Client{Transport: rt}
				for b.Loop() {
					req, _ := http.NewRequest("GET", sandbox.DemoOrgURL+path, nil)
					req.Header.Set("Authorization", "SSWS "+sandbox.DefaultToken)
					req.Header.Set("Accept", "application/json")
					resp, err := c.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
		}
	}
}
