package tools

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// modes runs f in both credential modes.
func modes(t *testing.T, f func(t *testing.T, mode envOption)) {
	t.Run("server", func(t *testing.T) { f(t, func(*envConfig) {}) })
	t.Run("percall", func(t *testing.T) { f(t, perCallMode()) })
}

func TestGetUser(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		e := newEnv(t, mode)
		tests := []struct {
			name, userID string
		}{
			{"by id", adaID},
			{"by login", adaLogin},
			{"by login in other case", "Ada.Lovelace@Example.com"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				out := e.ok("okta_get_user", map[string]any{"userId": tt.userID})
				assert.Equal(t, adaID, out["id"])
				assert.Equal(t, "ACTIVE", out["status"])
				assert.Equal(t, "Ada", out["firstName"])
				assert.Equal(t, adaLogin, out["login"])
				assert.Equal(t, "VP Engineering", out["title"])
				assert.Nil(t, out["manager"], "attributes Okta lacks are null")
				assert.Contains(t, out, "secondEmail")
				assert.Equal(t, true, out["success"])
				assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`, out["created"])
			})
		}
	})
}

func TestGetUserErrors(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		args map[string]any
		want []string
		sent bool // whether a request reached the org
	}{
		{"unknown login", map[string]any{"userId": "nobody@example.com"}, []string{"E0000007", "HTTP 404", `no user with id or login "nobody@example.com"`, "okta_list_users", "Okta request id:"}, true},
		{"missing userId", map[string]any{}, []string{"userId is required", "Nothing was sent to Okta"}, false},
		{"empty userId", map[string]any{"userId": ""}, []string{"userId: must not be empty"}, false},
		{"userId not a string", map[string]any{"userId": 42}, []string{"userId: must be a string (got number 42)"}, false},
		{"path traversal", map[string]any{"userId": "../groups/00g1"}, []string{"userId: invalid id or login"}, false},
		{"encoded slash", map[string]any{"userId": "a%2Fb"}, []string{"userId: invalid id or login"}, false},
		{"query in id", map[string]any{"userId": "ada?x=1"}, []string{"userId: invalid id or login"}, false},
		{"typo", map[string]any{"usrId": adaID}, []string{`unknown parameter "usrId" (did you mean "userId"?)`, "userId is required"}, false},
		{"server mode refuses apiKey", map[string]any{"userId": adaID, "apiKey": "00abc", "domain": "x.okta.com"}, []string{"apiKey and domain not accepted", "own Okta credentials", "sandbox.okta.com"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.requests()
			msg := e.fails("okta_get_user", tt.args)
			for _, w := range tt.want {
				assert.Contains(t, msg, w)
			}
			if tt.sent {
				assert.Greater(t, e.requests(), before)
			} else {
				assert.Equal(t, before, e.requests(), "nothing may reach Okta")
			}
		})
	}
}

func TestListUsers(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		e := newEnv(t, mode)
		t.Run("default excludes deprovisioned", func(t *testing.T) {
			out := e.ok("okta_list_users", nil)
			users := out["users"].([]any)
			assert.Len(t, users, int(out["count"].(float64)))
			assert.Nil(t, out["nextCursor"])
			for _, u := range users {
				assert.NotEqual(t, "DEPROVISIONED", u.(map[string]any)["status"])
			}
			assert.Greater(t, len(users), 40)
		})
		t.Run("search", func(t *testing.T) {
			out := e.ok("okta_list_users", map[string]any{"search": `profile.department eq "Engineering" and status eq "ACTIVE"`})
			require.NotEmpty(t, out["users"])
			for _, u := range out["users"].([]any) {
				m := u.(map[string]any)
				assert.Equal(t, "Engineering", m["department"])
				assert.Equal(t, "ACTIVE", m["status"])
			}
		})
		t.Run("filter", func(t *testing.T) {
			out := e.ok("okta_list_users", map[string]any{"filter": `status eq "STAGED"`})
			require.NotEmpty(t, out["users"])
			for _, u := range out["users"].([]any) {
				assert.Equal(t, "STAGED", u.(map[string]any)["status"])
			}
		})
	})
}

func TestListUsersPaging(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	after := ""
	total := 0
	for page := 0; page < 20; page++ {
		args := map[string]any{"limit": 7}
		if after != "" {
			args["after"] = after
		}
		out := e.ok("okta_list_users", args)
		users := out["users"].([]any)
		assert.EqualValues(t, len(users), out["count"])
		assert.LessOrEqual(t, len(users), 7)
		for _, u := range users {
			id := u.(map[string]any)["id"].(string)
			assert.False(t, seen[id], "user %s listed twice", id)
			seen[id] = true
		}
		total += len(users)
		if out["nextCursor"] == nil {
			break
		}
		after = out["nextCursor"].(string)
	}
	all := e.ok("okta_list_users", nil)
	assert.Equal(t, len(all["users"].([]any)), total, "paging returns every user once")
}

func TestListUsersFollowsPagesWithProgress(t *testing.T) {
	old := pageSize
	pageSize = 10
	t.Cleanup(func() { pageSize = old })
	e := newEnv(t)
	var mu sync.Mutex
	var progress []map[string]any
	e.client.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method == string(mcp.MethodNotificationProgress) {
			mu.Lock()
			progress = append(progress, n.Params.AdditionalFields)
			mu.Unlock()
		}
	})
	before := e.org.RequestCount("GET", "/api/v1/users")
	req := mcp.CallToolRequest{}
	req.Params.Name = "okta_list_users"
	req.Params.Arguments = map[string]any{"limit": 35}
	req.Params.Meta = &mcp.Meta{ProgressToken: "tok-1"}
	res, err := e.client.CallTool(context.Background(), req)
	require.NoError(t, err)
	require.False(t, res.IsError, text(res))
	out := structured(t, res)
	assert.EqualValues(t, 35, out["count"])
	assert.NotNil(t, out["nextCursor"])
	assert.Equal(t, 4, e.org.RequestCount("GET", "/api/v1/users")-before, "pages of 10, 10, 10, 5")
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(progress) >= 3
	}, time.Second, 10*time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, "tok-1", progress[0]["progressToken"])
	assert.EqualValues(t, 10, progress[0]["progress"])
	assert.EqualValues(t, 30, progress[2]["progress"])
	assert.Contains(t, progress[2]["message"], "30 users")

	// Without a progress token, no notifications.
	progress = nil
	mu.Unlock()
	e.ok("okta_list_users", map[string]any{"limit": 35})
	mu.Lock()
	assert.Empty(t, progress)
}

func TestListUsersCancelled(t *testing.T) {
	e := newEnv(t, withSandbox(sandbox.Options{Faults: []sandbox.Fault{{Method: "GET", Path: "/api/v1/users", Delay: 5 * time.Second}}}))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	req := mcp.CallToolRequest{}
	req.Params.Name = "okta_list_users"
	res, err := e.client.CallTool(ctx, req)
	if err == nil { // the in-process transport hands back the handler's result
		require.True(t, res.IsError)
		assert.Contains(t, text(res), "cancelled")
	}
	assert.Less(t, time.Since(start), 2*time.Second, "a cancelled call stops waiting for Okta")
}

func TestListUsersBadArguments(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"limit too big", map[string]any{"limit": 500}, "limit: must be <= 200 (got 500)"},
		{"limit zero", map[string]any{"limit": 0}, "limit: must be >= 1 (got 0)"},
		{"limit fraction", map[string]any{"limit": 2.5}, "limit: must be a whole number (got 2.5)"},
		{"limit string", map[string]any{"limit": "10"}, `limit: must be a number (got string "10")`},
		{"search and filter", map[string]any{"search": `status eq "ACTIVE"`, "filter": `status eq "ACTIVE"`}, "search or filter, not both"},
		{"empty after", map[string]any{"after": ""}, "after: must not be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.requests()
			msg := e.fails("okta_list_users", tt.args)
			assert.Contains(t, msg, tt.want)
			assert.Contains(t, msg, "Nothing was sent to Okta")
			assert.Equal(t, before, e.requests())
		})
	}
	t.Run("bad search syntax from Okta", func(t *testing.T) {
		msg := e.fails("okta_list_users", map[string]any{"search": `profile.department ne "Sales"`})
		assert.Contains(t, msg, "E0000031")
		assert.Contains(t, msg, "search supports eq, sw, co")
	})
	t.Run("unsupported filter from Okta", func(t *testing.T) {
		msg := e.fails("okta_list_users", map[string]any{"filter": `profile.department eq "Sales"`})
		assert.Contains(t, msg, "E0000094")
		assert.Contains(t, msg, "filter supports only eq")
	})
}

func TestCreateUser(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		e := newEnv(t, mode)
		tests := []struct {
			name       string
			args       map[string]any
			wantStatus string
			wantLogin  string
			wantMsg    string
		}{
			{"defaults: login=email, activated, no password", map[string]any{"firstName": "Jane", "lastName": "Doe", "email": "jane.doe@example.com"}, "PROVISIONED", "jane.doe@example.com", "activation link"},
			{"with password", map[string]any{"firstName": "Jim", "lastName": "Beam", "email": "jim.beam@example.com", "password": "Corr3ct-Horse-Battery", "title": "Engineer", "department": "R&D", "mobilePhone": "+1-555-0199"}, "ACTIVE", "jim.beam@example.com", "can sign in now"},
			{"staged", map[string]any{"firstName": "Sam", "lastName": "Stage", "email": "sam@example.com", "login": "sam.stage@example.com", "activate": false}, "STAGED", "sam.stage@example.com", "okta_activate_user"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				out := e.ok("okta_create_user", tt.args)
				assert.Equal(t, tt.wantStatus, out["status"])
				assert.Equal(t, tt.wantLogin, out["login"])
				assert.Contains(t, out["message"], tt.wantMsg)
				assert.NotEmpty(t, out["id"])
				u := e.user(tt.wantLogin)
				assert.Equal(t, out["id"], u.ID)
				assert.Equal(t, tt.wantStatus, u.Status)
				assert.NotContains(t, fmt.Sprint(out), "Corr3ct", "the password is never echoed")
			})
		}
		u := e.user("jim.beam@example.com")
		assert.Equal(t, "Engineer", u.Profile["title"])
		assert.Equal(t, "+1-555-0199", u.Profile["mobilePhone"])
		assert.True(t, u.HasPassword)
	})
}

func TestCreateUserErrors(t *testing.T) {
	e := newEnv(t)
	base := map[string]any{"firstName": "A", "lastName": "B", "email": "a.b@example.com"}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range base {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	t.Run("duplicate login", func(t *testing.T) {
		before := e.org.UserCount()
		msg := e.fails("okta_create_user", map[string]any{"firstName": "Ada", "lastName": "Again", "email": "ada2@example.com", "login": "ADA.lovelace@example.com"})
		assert.Contains(t, msg, "E0000001")
		assert.Contains(t, msg, "HTTP 400")
		assert.Contains(t, msg, "already exists")
		assert.Contains(t, msg, `okta_get_user (userId "ADA.lovelace@example.com")`)
		assert.Equal(t, before, e.org.UserCount())
	})
	t.Run("weak password", func(t *testing.T) {
		msg := e.fails("okta_create_user", with("password", "short"))
		assert.Contains(t, msg, "password policy")
		assert.NotContains(t, msg, "short\"")
	})
	for _, tt := range []struct {
		name string
		args map[string]any
		want string
	}{
		{"bad email", with("email", "bob"), `email: "bob" is not a valid email address`},
		{"missing email", with("email", nil), "email is required"},
		{"empty first name", with("firstName", ""), "firstName: must not be empty"},
		{"activate not boolean", with("activate", "yes"), `activate: must be a boolean (got string "yes")`},
		{"short login", with("login", "ab"), "login: must be at least 5 characters long (got 2)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := e.writes()
			msg := e.fails("okta_create_user", tt.args)
			assert.Contains(t, msg, tt.want)
			assert.Equal(t, before, e.writes(), "no write may reach Okta")
		})
	}
}

func TestCreateUserOutcomeUnknown(t *testing.T) {
	e := newEnv(t, withSandbox(sandbox.Options{Faults: []sandbox.Fault{{Method: "POST", Path: "/api/v1/users", Drop: sandbox.DropAfterProcessing, Times: 1}}}))
	msg := e.fails("okta_create_user", map[string]any{"firstName": "Una", "lastName": "Known", "email": "una@example.com"})
	assert.Contains(t, msg, "outcome is unknown")
	assert.Contains(t, msg, `okta_get_user (userId "una@example.com")`)
	assert.Contains(t, msg, "do not simply retry")
	_, created := e.org.LookupUser("una@example.com")
	assert.True(t, created, "the fault let the create happen")
	assert.Equal(t, 1, e.org.RequestCount("POST", "/api/v1/users"), "a create is never retried blindly")
	audit := e.audit.lines(t)
	require.NotEmpty(t, audit)
	assert.Equal(t, "outcome_unknown", audit[len(audit)-1]["result"])
}

func TestUpdateUser(t *testing.T) {
	modes(t, func(t *testing.T, mode envOption) {
		e := newEnv(t, mode)
		before := e.user(adaLogin)
		out := e.ok("okta_update_user", map[string]any{"userId": adaLogin, "title": "CTO", "mobilePhone": ""})
		assert.Equal(t, adaID, out["id"])
		assert.Contains(t, out["message"], "mobilePhone, title")
		after := e.user(adaLogin)
		assert.Equal(t, "CTO", after.Profile["title"])
		assert.Nil(t, after.Profile["mobilePhone"], `"" removes the attribute`)
		for _, k := range []string{"firstName", "lastName", "email", "department", "employeeNumber", "city"} {
			assert.Equal(t, before.Profile[k], after.Profile[k], "%s is unchanged", k)
		}
	})
}

func TestUpdateUserNothingToUpdate(t *testing.T) {
	e := newEnv(t)
	before := e.writes()
	msg := e.fails("okta_update_user", map[string]any{"userId": adaLogin})
	assert.Contains(t, msg, "nothing to update")
	assert.Contains(t, msg, "Nothing was sent to Okta")
	assert.Equal(t, before, e.writes())
}

func TestUpdateUserErrors(t *testing.T) {
	e := newEnv(t)
	msg := e.fails("okta_update_user", map[string]any{"userId": "ghost@example.com", "title": "x"})
	assert.Contains(t, msg, "E0000007")
	assert.Contains(t, msg, `no user with id or login "ghost@example.com"`)
	msg = e.fails("okta_update_user", map[string]any{"userId": adaLogin, "login": "alan.turing@example.com"})
	assert.Contains(t, msg, "E0000001")
	before := e.writes()
	msg = e.fails("okta_update_user", map[string]any{"userId": adaLogin, "email": "not-an-email"})
	assert.Contains(t, msg, `email: "not-an-email" is not a valid email address`)
	assert.Equal(t, before, e.writes())
}

// Okta refuses a profile attribute no user schema declares (recorded:
// okta/terraform-provider-okta test/fixtures/vcr/idaas/
// TestAccResourceOktaUser_invalidCustomProfileAttribute); the hint names
// the attribute and where the declared ones are seen.
func TestUndeclaredAttributeHint(t *testing.T) {
	oe := &okta.Error{StatusCode: 400, ErrorCode: "E0000001", ErrorSummary: "Api validation failed: newUser",
		ErrorCauses: []okta.ErrorCause{{ErrorSummary: "Property name 'notValid' is not defined in profile"}}}
	h := undeclaredAttributeHint(oe)
	for _, want := range []string{`"notValid"`, "not define", "okta_get_user", "Profile Editor", "nothing was changed"} {
		assert.Contains(t, h, want)
	}
	assert.Equal(t, h, createUserHint(oe, "x@example.com"), "create explains it before the generic E0000001 advice")
	other := &okta.Error{StatusCode: 400, ErrorCode: "E0000001", ErrorCauses: []okta.ErrorCause{{ErrorSummary: "login: The field cannot be left blank"}}}
	assert.Empty(t, undeclaredAttributeHint(other))
}
