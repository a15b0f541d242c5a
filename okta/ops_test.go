package okta

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func strPtr(s string) *string { return &s }

// TestOperations checks every operation's method, path, query, body and
// status handling against a server that asserts what it receives.
func TestOperations(t *testing.T) {
	const userJSON = `{"id":"00ub0oNGTSWTBKOLGLNR","status":"ACTIVE","created":"2013-06-24T16:39:18.000Z",
		"lastLogin":null,"profile":{"login":"isaac@example.org","firstName":"Isaac","department":"Eng"},
		"_links":{"self":{"href":"https://x/api/v1/users/00ub0oNGTSWTBKOLGLNR"}},"unknownField":1}`
	const groupJSON = `{"id":"00g1emaKYZTWRYYRRTSK","type":"OKTA_GROUP","objectClass":["okta:user_group"],
		"profile":{"name":"West Coast","description":null}}`

	tests := []struct {
		name      string
		call      func(context.Context, *Client) (any, *Response, error)
		method    string
		path      string // escaped path as sent
		query     url.Values
		body      string // expected JSON body; "" = empty body with Content-Length: 0 for POST/PUT
		status    int
		answer    string
		check     func(t *testing.T, v any)
		emptyBody bool
	}{
		{
			name: "ListUsers",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.ListUsers(ctx, &ListUsersParams{Search: `profile.department eq "Eng"`, After: "00u1", Limit: 5, SortBy: "id", SortOrder: "desc"})
			},
			method: "GET", path: "/api/v1/users",
			query:  url.Values{"search": {`profile.department eq "Eng"`}, "after": {"00u1"}, "limit": {"5"}, "sortBy": {"id"}, "sortOrder": {"desc"}},
			status: 200, answer: "[" + userJSON + "]",
			check: func(t *testing.T, v any) {
				us := v.([]User)
				require.Len(t, us, 1)
				assert.Equal(t, "00ub0oNGTSWTBKOLGLNR", us[0].ID)
				assert.Equal(t, "Eng", us[0].Profile.String("department"))
				assert.Nil(t, us[0].LastLogin)
				require.NotNil(t, us[0].Created)
				assert.Equal(t, 2013, us[0].Created.Year())
			},
		},
		{
			name: "ListUsers filter and q, no params",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.ListUsers(ctx, &ListUsersParams{Filter: `status eq "ACTIVE"`, Q: "isa"})
			},
			method: "GET", path: "/api/v1/users", query: url.Values{"filter": {`status eq "ACTIVE"`}, "q": {"isa"}},
			status: 200, answer: "[]",
			check: func(t *testing.T, v any) { assert.Empty(t, v.([]User)) },
		},
		{
			name:   "ListUsers nil params",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.ListUsers(ctx, nil) },
			method: "GET", path: "/api/v1/users", query: url.Values{}, status: 200, answer: "[]",
		},
		{
			name: "GetUser by login is path-escaped",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.GetUser(ctx, "isaac+test@example.org")
			},
			method: "GET", path: "/api/v1/users/isaac+test@example.org", query: url.Values{},
			status: 200, answer: userJSON,
			check: func(t *testing.T, v any) { assert.Equal(t, "isaac@example.org", v.(*User).Profile.String("login")) },
		},
		{
			name:   "GetUser with a space",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.GetUser(ctx, "a b") },
			method: "GET", path: "/api/v1/users/a%20b", query: url.Values{}, status: 200, answer: userJSON,
		},
		{
			name: "CreateUser activate=false with password and groups",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.CreateUser(ctx, CreateUserRequest{
					Profile:     UserProfile{"login": "a@example.org", "email": "a@example.org", "firstName": "A", "lastName": "B"},
					Credentials: &UserCredentials{Password: &PasswordCredential{Value: "pw"}},
					GroupIDs:    []string{"00g1"},
				}, false)
			},
			method: "POST", path: "/api/v1/users", query: url.Values{"activate": {"false"}},
			body:   `{"profile":{"login":"a@example.org","email":"a@example.org","firstName":"A","lastName":"B"},"credentials":{"password":{"value":"pw"}},"groupIds":["00g1"]}`,
			status: 200, answer: userJSON,
			check: func(t *testing.T, v any) { assert.Equal(t, "00ub0oNGTSWTBKOLGLNR", v.(*User).ID) },
		},
		{
			name: "CreateUser activate=true minimal",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.CreateUser(ctx, CreateUserRequest{Profile: UserProfile{"login": "a@example.org"}}, true)
			},
			method: "POST", path: "/api/v1/users", query: url.Values{"activate": {"true"}},
			body: `{"profile":{"login":"a@example.org"}}`, status: 200, answer: userJSON,
		},
		{
			name: "UpdateUser is a partial POST",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.UpdateUser(ctx, "00ub0oNGTSWTBKOLGLNR", UserProfile{"department": "Sales", "title": nil})
			},
			method: "POST", path: "/api/v1/users/00ub0oNGTSWTBKOLGLNR", query: url.Values{},
			body: `{"profile":{"department":"Sales","title":null}}`, status: 200, answer: userJSON,
		},
		{
			name: "ActivateUser sendEmail=false returns the token",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.ActivateUser(ctx, "00u1", false)
			},
			method: "POST", path: "/api/v1/users/00u1/lifecycle/activate", query: url.Values{"sendEmail": {"false"}},
			status: 200, answer: `{"activationToken":"tok","activationUrl":"https://x/welcome/tok"}`,
			check: func(t *testing.T, v any) {
				assert.Equal(t, &ActivationToken{ActivationToken: "tok", ActivationURL: "https://x/welcome/tok"}, v)
			},
		},
		{
			name:   "ActivateUser sendEmail=true, empty object",
			call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.ActivateUser(ctx, "00u1", true) },
			method: "POST", path: "/api/v1/users/00u1/lifecycle/activate", query: url.Values{"sendEmail": {"true"}},
			status: 200, answer: `{}`,
			check: func(t *testing.T, v any) { assert.Equal(t, &ActivationToken{}, v) },
		},
		{
			name: "DeactivateUser",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				r, err := c.DeactivateUser(ctx, "00u1", true)
				return nil, r, err
			},
			method: "POST", path: "/api/v1/users/00u1/lifecycle/deactivate", query: url.Values{"sendEmail": {"true"}},
			status: 200, emptyBody: true,
		},
		{
			name: "SuspendUser",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				r, err := c.SuspendUser(ctx, "00u1")
				return nil, r, err
			},
			method: "POST", path: "/api/v1/users/00u1/lifecycle/suspend", query: url.Values{}, status: 200, emptyBody: true,
		},
		{
			name: "UnsuspendUser",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				r, err := c.UnsuspendUser(ctx, "00u1")
				return nil, r, err
			},
			method: "POST", path: "/api/v1/users/00u1/lifecycle/unsuspend", query: url.Values{}, status: 200, answer: "{}",
		},
		{
			name: "ResetPassword sendEmail=false returns the URL",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.ResetPassword(ctx, "00u1", false)
			},
			method: "POST", path: "/api/v1/users/00u1/lifecycle/reset_password", query: url.Values{"sendEmail": {"false"}},
			status: 200, answer: `{"resetPasswordUrl":"https://x/reset_password/abc"}`,
			check: func(t *testing.T, v any) {
				assert.Equal(t, "https://x/reset_password/abc", v.(*ResetPasswordToken).ResetPasswordURL)
			},
		},
		{
			name: "DeleteUser 204",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				r, err := c.DeleteUser(ctx, "00u1", false)
				return nil, r, err
			},
			method: "DELETE", path: "/api/v1/users/00u1", query: url.Values{"sendEmail": {"false"}}, status: 204, emptyBody: true,
		},
		{
			name: "ListGroups",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.ListGroups(ctx, &ListGroupsParams{Search: `type eq "OKTA_GROUP"`, Filter: "", Q: "", After: "00g0", Limit: 200})
			},
			method: "GET", path: "/api/v1/groups", query: url.Values{"search": {`type eq "OKTA_GROUP"`}, "after": {"00g0"}, "limit": {"200"}},
			status: 200, answer: "[" + groupJSON + "]",
			check: func(t *testing.T, v any) {
				gs := v.([]Group)
				require.Len(t, gs, 1)
				assert.Equal(t, "West Coast", gs[0].Profile.Name)
				assert.Nil(t, gs[0].Profile.Description)
				assert.Equal(t, GroupTypeOkta, gs[0].Type)
			},
		},
		{
			name: "ListGroups q and filter",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.ListGroups(ctx, &ListGroupsParams{Q: "West", Filter: `type eq "APP_GROUP"`})
			},
			method: "GET", path: "/api/v1/groups", query: url.Values{"q": {"West"}, "filter": {`type eq "APP_GROUP"`}}, status: 200, answer: "[]",
		},
		{
			name: "GetGroup",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.GetGroup(ctx, "00g1emaKYZTWRYYRRTSK")
			},
			method: "GET", path: "/api/v1/groups/00g1emaKYZTWRYYRRTSK", query: url.Values{}, status: 200, answer: groupJSON,
			check: func(t *testing.T, v any) { assert.Equal(t, "00g1emaKYZTWRYYRRTSK", v.(*Group).ID) },
		},
		{
			name: "CreateGroup 200",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.CreateGroup(ctx, GroupProfile{Name: "West Coast", Description: strPtr("Users in the West")})
			},
			method: "POST", path: "/api/v1/groups", query: url.Values{},
			body: `{"profile":{"name":"West Coast","description":"Users in the West"}}`, status: 200, answer: groupJSON,
		},
		{
			name: "ReplaceGroup is a PUT of the whole profile",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.ReplaceGroup(ctx, "00g1", GroupProfile{Name: "East"})
			},
			method: "PUT", path: "/api/v1/groups/00g1", query: url.Values{},
			body: `{"profile":{"name":"East"}}`, status: 200, answer: groupJSON,
		},
		{
			name: "DeleteGroup 204",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				r, err := c.DeleteGroup(ctx, "00g1")
				return nil, r, err
			},
			method: "DELETE", path: "/api/v1/groups/00g1", query: url.Values{}, status: 204, emptyBody: true,
		},
		{
			name: "AddUserToGroup PUT 204 Content-Length 0",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				r, err := c.AddUserToGroup(ctx, "00g1", "00u1")
				return nil, r, err
			},
			method: "PUT", path: "/api/v1/groups/00g1/users/00u1", query: url.Values{}, status: 204, emptyBody: true,
		},
		{
			name: "RemoveUserFromGroup DELETE 204",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				r, err := c.RemoveUserFromGroup(ctx, "00g1", "00u1")
				return nil, r, err
			},
			method: "DELETE", path: "/api/v1/groups/00g1/users/00u1", query: url.Values{}, status: 204, emptyBody: true,
		},
		{
			name: "ListGroupMembers",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return c.ListGroupMembers(ctx, "00g1", &ListParams{After: "00u9", Limit: 200})
			},
			method: "GET", path: "/api/v1/groups/00g1/users", query: url.Values{"after": {"00u9"}, "limit": {"200"}},
			status: 200, answer: "[" + userJSON + "]",
			check: func(t *testing.T, v any) { assert.Len(t, v.([]User), 1) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			hits := 0
			f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				hits++
				testMethod(t, r, tt.method)
				assert.Equal(t, tt.path, r.URL.EscapedPath(), "path")
				assert.Equal(t, tt.query, r.URL.Query(), "query")
				assert.Equal(t, "application/json", r.Header.Get("Accept"))
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
				assert.Equal(t, "SSWS "+testToken, r.Header.Get("Authorization"))
				assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "okta-mcp/"), r.Header.Get("User-Agent"))
				body := readBody(t, r)
				if tt.body != "" {
					assert.JSONEq(t, tt.body, body)
				} else {
					assert.Empty(t, body)
					if r.Method == http.MethodPost || r.Method == http.MethodPut {
						assert.Equal(t, "0", r.Header.Get("Content-Length"), "empty POST/PUT needs Content-Length: 0 (else Okta answers 411)")
					}
				}
				w.Header().Set("X-Okta-Request-Id", "rid-1")
				if tt.emptyBody {
					w.WriteHeader(tt.status)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.answer))
			})
			v, resp, err := tt.call(context.Background(), f.client)
			require.NoError(t, err)
			require.NotNil(t, resp)
			assert.Equal(t, 1, hits)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, "rid-1", resp.RequestID)
			if tt.check != nil {
				tt.check(t, v)
			}
		})
	}
}

// TestOperationErrors checks that every operation returns Okta's error, with
// the operation named, and a nil result.
func TestOperationErrors(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Okta-Request-Id", "rid-404")
		writeJSON(w, 404, map[string]any{
			"errorCode": "E0000007", "errorSummary": "Not found: Resource not found: x (User)",
			"errorLink": "E0000007", "errorId": "oaeX", "errorCauses": []any{},
		})
	})
	ctx := context.Background()
	c := f.client
	calls := map[string]func() (any, error){
		"GET /api/v1/users":       func() (any, error) { v, _, err := c.ListUsers(ctx, nil); return v, err },
		"GET /api/v1/users/{id}":  func() (any, error) { v, _, err := c.GetUser(ctx, "x"); return v, err },
		"POST /api/v1/users":      func() (any, error) { v, _, err := c.CreateUser(ctx, CreateUserRequest{}, true); return v, err },
		"POST /api/v1/users/{id}": func() (any, error) { v, _, err := c.UpdateUser(ctx, "x", nil); return v, err },
		"POST /api/v1/users/{id}/lifecycle/activate": func() (any, error) {
			v, _, err := c.ActivateUser(ctx, "x", false)
			return v, err
		},
		"POST /api/v1/users/{id}/lifecycle/reset_password": func() (any, error) {
			v, _, err := c.ResetPassword(ctx, "x", false)
			return v, err
		},
		"POST /api/v1/users/{id}/lifecycle/deactivate": func() (any, error) { _, err := c.DeactivateUser(ctx, "x", false); return nil, err },
		"POST /api/v1/users/{id}/lifecycle/suspend":    func() (any, error) { _, err := c.SuspendUser(ctx, "x"); return nil, err },
		"POST /api/v1/users/{id}/lifecycle/unsuspend":  func() (any, error) { _, err := c.UnsuspendUser(ctx, "x"); return nil, err },
		"DELETE /api/v1/users/{id}":                    func() (any, error) { _, err := c.DeleteUser(ctx, "x", false); return nil, err },
		"GET /api/v1/groups":                           func() (any, error) { v, _, err := c.ListGroups(ctx, nil); return v, err },
		"GET /api/v1/groups/{groupId}":                 func() (any, error) { v, _, err := c.GetGroup(ctx, "x"); return v, err },
		"POST /api/v1/groups":                          func() (any, error) { v, _, err := c.CreateGroup(ctx, GroupProfile{Name: "n"}); return v, err },
		"PUT /api/v1/groups/{groupId}":                 func() (any, error) { v, _, err := c.ReplaceGroup(ctx, "x", GroupProfile{}); return v, err },
		"DELETE /api/v1/groups/{groupId}":              func() (any, error) { _, err := c.DeleteGroup(ctx, "x"); return nil, err },
		"PUT /api/v1/groups/{groupId}/users/{userId}":  func() (any, error) { _, err := c.AddUserToGroup(ctx, "x", "y"); return nil, err },
		"DELETE /api/v1/groups/{groupId}/users/{userId}": func() (any, error) {
			_, err := c.RemoveUserFromGroup(ctx, "x", "y")
			return nil, err
		},
		"GET /api/v1/groups/{groupId}/users": func() (any, error) { v, _, err := c.ListGroupMembers(ctx, "x", nil); return v, err },
	}
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			v, err := call()
			require.Error(t, err)
			assert.True(t, IsNotFound(err))
			e, ok := AsError(err)
			require.True(t, ok)
			assert.Equal(t, op, e.Method+" "+e.Path)
			assert.Equal(t, "E0000007", e.ErrorCode)
			assert.Equal(t, "rid-404", e.RequestID)
			assert.Equal(t, "oaeX", e.ErrorID)
			assert.Contains(t, err.Error(), op)
			assert.True(t, v == nil || isNilPointerOrSlice(v), "result must be nil on error, got %#v", v)
		})
	}
}

func isNilPointerOrSlice(v any) bool {
	switch x := v.(type) {
	case []User:
		return x == nil
	case []Group:
		return x == nil
	case *User:
		return x == nil
	case *Group:
		return x == nil
	case *ActivationToken:
		return x == nil
	case *ResetPasswordToken:
		return x == nil
	}
	return false
}

// TestInvalidIDsNeverSent checks that ids that would change the path are
// refused before any request.
func TestInvalidIDsNeverSent(t *testing.T) {
	f := setup(t)
	hits := 0
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { hits++ })
	ctx := context.Background()
	for _, id := range []string{"", "../groups", "a/b", "a%2fb", "a%252Fb", "x?y", "x#y", "..", ".", "a\\b", "a\nb"} {
		_, _, err := f.client.GetUser(ctx, id)
		assert.ErrorIs(t, err, ErrInvalidPathSegment, "%q", id)
		_, err = f.client.AddUserToGroup(ctx, "00g1", id)
		assert.ErrorIs(t, err, ErrInvalidPathSegment, "%q", id)
		_, err = f.client.DeleteGroup(ctx, id)
		assert.ErrorIs(t, err, ErrInvalidPathSegment, "%q", id)
	}
	assert.Zero(t, hits)
	assert.Zero(t, f.dialer.attempts.Load())
}
