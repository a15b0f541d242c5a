package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreateUserStatus(t *testing.T) {
	pw := `,"credentials":{"password":{"value":"` + testPassword + `"}}`
	tests := []struct {
		name, query, extra string
		wantStatus         string
		wantActivated      bool
		wantPassword       bool
	}{
		{"activate=false", "?activate=false", "", "STAGED", false, false},
		{"activate=false with password", "?activate=false", pw, "STAGED", false, true},
		{"default activates with password", "", pw, "ACTIVE", true, true},
		{"activate=true without password", "?activate=true", "", "PROVISIONED", true, false},
		{"nextLogin=changePassword", "?nextLogin=changePassword", pw, "PASSWORD_EXPIRED", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestOrg(t)
			r := h.do("POST", "/api/v1/users"+tt.query, newUserBody("new.user@example.com", tt.extra))
			require.Equal(t, http.StatusOK, r.status, string(r.body))
			u := r.json(t)
			assert.Equal(t, tt.wantStatus, u["status"])
			assert.Regexp(t, `^00u[0-9A-Za-z]{17}$`, u["id"])
			assert.Equal(t, "2026-03-04T05:06:07.000Z", u["created"])
			assert.Equal(t, "2026-03-04T05:06:07.000Z", u["lastUpdated"])
			assert.NotContains(t, u, "transitioningToStatus", "sent only while a transition runs")
			if tt.wantActivated {
				assert.Equal(t, "2026-03-04T05:06:07.000Z", u["activated"])
			} else {
				assert.Nil(t, u["activated"])
			}
			creds := u["credentials"].(map[string]any)
			assert.Equal(t, map[string]any{"type": "OKTA", "name": "OKTA"}, creds["provider"])
			if tt.wantPassword {
				assert.Equal(t, map[string]any{}, creds["password"], "password is present but never echoed")
				assert.NotNil(t, u["passwordChanged"])
			} else {
				assert.NotContains(t, creds, "password")
			}
			assert.NotContains(t, string(r.body), testPassword)
			assert.Equal(t, map[string]any{"id": defaultUserTypeID}, u["type"])
			assert.Empty(t, r.header.Get("Etag"), "ETag on GET only (fidelity_test.go)")
			assert.Equal(t, tt.wantStatus, h.status("new.user@example.com"))
		})
	}
}

func TestCreateUserValidation(t *testing.T) {
	long := strings.Repeat("a", 95) + "@example.com"
	tests := []struct {
		name, query, body string
		wantStatus        int
		wantCode          string
		wantSummary       string
		wantCauses        []string
	}{
		{"missing profile", "", `{}`, 400, "E0000001", "Api validation failed: login", []string{
			"login: The field cannot be left blank", "firstName: The field cannot be left blank",
			"lastName: The field cannot be left blank", "email: The field cannot be left blank",
			"login: Username must be in the form of an email address"}},
		{"missing names", "", `{"profile":{"login":"a.b@example.com","email":"a.b@example.com"}}`, 400, "E0000001",
			"Api validation failed: firstName", []string{"firstName: The field cannot be left blank", "lastName: The field cannot be left blank"}},
		{"login not an email", "", `{"profile":{"login":"ab.cdef","email":"a.b@example.com","firstName":"A","lastName":"B"}}`, 400,
			"E0000001", "Api validation failed: login", []string{"login: Username must be in the form of an email address"}},
		{"login too long", "", fmt.Sprintf(`{"profile":{"login":%q,"email":"a.b@example.com","firstName":"A","lastName":"B"}}`, long), 400,
			"E0000001", "Api validation failed: login", []string{"login: The field must be between 5 and 100 characters long"}},
		{"bad email", "", `{"profile":{"login":"a.b@example.com","email":"not-an-email","firstName":"A","lastName":"B"}}`, 400,
			"E0000001", "Api validation failed: email", []string{"email: Does not match required pattern"}},
		{"first name too long", "", `{"profile":{"login":"a.b@example.com","email":"a.b@example.com","firstName":"` + strings.Repeat("x", 51) + `","lastName":"B"}}`,
			400, "E0000001", "Api validation failed: firstName", []string{"firstName: The field cannot be longer than 50 characters"}},
		{"login not a string", "", `{"profile":{"login":42,"email":"a.b@example.com","firstName":"A","lastName":"B"}}`, 400,
			"E0000001", "Api validation failed: login", nil},
		{"weak password", "", newUserBody("weak@example.com", `,"credentials":{"password":{"value":"secret"}}`), 400,
			"E0000001", "Api validation failed: password", nil},
		{"password contains username", "", newUserBody("marvin.x@example.com", `,"credentials":{"password":{"value":"Marvin123"}}`), 400,
			"E0000001", "Api validation failed: password", nil},
		{"too many groups", "", newUserBody("g@example.com", `,"groupIds":[`+strings.TrimSuffix(strings.Repeat(`"00g00000000000000000",`, 21), ",")+`]`),
			400, "E0000093", "Target count limit exceeded", []string{"The number of group targets is too large"}},
		{"unknown group", "", newUserBody("g@example.com", `,"groupIds":["00gnothere0000000000"]`), 404, "E0000007",
			"Not found: Resource not found: 00gnothere0000000000 (UserGroup)", nil},
		{"malformed JSON", "", `{"profile":`, 400, "E0000003", "The request body was not well-formed.", nil},
		{"empty body", "", ``, 400, "E0000003", "The request body was not well-formed.", nil},
		{"trailing garbage", "", `{} {}`, 400, "E0000003", "The request body was not well-formed.", nil},
		{"wrong type for groupIds", "", newUserBody("g@example.com", `,"groupIds":"00g"`), 400, "E0000003", "The request body was not well-formed.", nil},
		{"unknown user type", "", newUserBody("t@example.com", `,"type":{"id":"otyNOPE"}`), 400, "E0000001", "Api validation failed: type", nil},
		{"expire without activation", "?activate=false&nextLogin=changePassword", newUserBody("n@example.com", `,"credentials":{"password":{"value":"`+testPassword+`"}}`),
			400, "E0000125", "", nil},
		{"expire without password", "?nextLogin=changePassword", newUserBody("n@example.com", ""), 400, "E0000124", "", nil},
		{"4-byte characters", "", `{"profile":{"login":"emoji@example.com","email":"emoji@example.com","firstName":"😀","lastName":"B"}}`, 400,
			"E0000001", "Api validation failed: firstName", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestOrg(t)
			before := h.org.UserCount()
			r := h.do("POST", "/api/v1/users"+tt.query, tt.body)
			require.Equal(t, tt.wantStatus, r.status, string(r.body))
			e := r.json(t)
			assert.Equal(t, tt.wantCode, e["errorCode"])
			assert.Equal(t, tt.wantCode, e["errorLink"])
			assert.Regexp(t, `^oae[A-Za-z0-9]{22}$`, e["errorId"])
			if tt.wantSummary != "" {
				assert.Equal(t, tt.wantSummary, e["errorSummary"])
			}
			if tt.wantCauses != nil {
				var causes []string
				for _, c := range e["errorCauses"].([]any) {
					causes = append(causes, c.(map[string]any)["errorSummary"].(string))
				}
				assert.Equal(t, tt.wantCauses, causes)
			}
			assert.Equal(t, before, h.org.UserCount(), "nothing created")
		})
	}
}

func TestLoginUniqueness(t *testing.T) {
	for _, login := range []string{"active@example.com", "ACTIVE@Example.COM", "áctive@example.com", "activé@EXAMPLE.com"} {
		t.Run(login, func(t *testing.T) {
			h := newTestOrg(t)
			r := h.do("POST", "/api/v1/users", newUserBody(login, ""))
			require.Equal(t, 400, r.status)
			e := r.json(t)
			assert.Equal(t, "E0000001", e["errorCode"])
			assert.Equal(t, "Api validation failed: login", e["errorSummary"])
			assert.Equal(t, []any{map[string]any{"errorSummary": "login: An object with this field already exists in the current organization"}}, e["errorCauses"])
		})
	}
	// A deprovisioned user still holds its login.
	h := newTestOrg(t)
	assert.Equal(t, 400, h.do("POST", "/api/v1/users", newUserBody("deprov@example.com", "")).status)
	// Renaming onto another user's login is refused too.
	r := h.do("POST", "/api/v1/users/active@example.com", `{"profile":{"login":"Staged@example.com"}}`)
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "E0000001", r.errorCode(t))
}

func TestCreateUserWithGroups(t *testing.T) {
	h := newTestOrg(t)
	eng, sales := h.groupID("Engineering"), h.groupID("Sales")
	h.clock.Advance(time.Minute)
	r := h.do("POST", "/api/v1/users", newUserBody("grouped@example.com", fmt.Sprintf(`,"groupIds":[%q,%q]`, eng, sales)))
	require.Equal(t, 200, r.status, string(r.body))
	u, _ := h.org.LookupUser("grouped@example.com")
	assert.ElementsMatch(t, []string{eng, sales}, u.GroupIDs)
	g, _ := h.org.LookupGroup(eng)
	assert.Contains(t, g.MemberIDs, u.ID)
	assert.Equal(t, h.clock.Now().Truncate(time.Second), g.LastMembershipUpdated)

	// APP_GROUP and BUILT_IN groups cannot be assigned.
	r = h.do("POST", "/api/v1/users", newUserBody("app@example.com", fmt.Sprintf(`,"groupIds":[%q]`, h.groupID("VPN Users"))))
	assert.Equal(t, 403, r.status)
	assert.Equal(t, "E0000006", r.errorCode(t))
}

func TestGetUserByIDLoginAndShortname(t *testing.T) {
	h := newHarness(t, Options{}) // demo org: alex.kim exists twice
	ada := h.userID("ada.lovelace@example.com")
	for _, key := range []string{ada, "ada.lovelace@example.com", "Ada.Lovelace@EXAMPLE.com", "ada.lovelace", "ADA.LOVELACE"} {
		r := h.do("GET", "/api/v1/users/"+key, "")
		require.Equal(t, 200, r.status, key)
		assert.Equal(t, ada, r.json(t)["id"])
	}
	r := h.do("GET", "/api/v1/users/alex.kim", "")
	assert.Equal(t, 404, r.status, "an ambiguous shortname finds nobody")
	assert.Equal(t, "E0000007", r.errorCode(t))
	assert.Equal(t, 200, h.do("GET", "/api/v1/users/alex.kim@it.example.com", "").status)
	assert.Equal(t, 200, h.do("GET", "/api/v1/users/jose.alvarez", "").status)

	r = h.do("GET", "/api/v1/users/nobody@example.com", "")
	assert.Equal(t, 404, r.status)
	assert.Equal(t, "Not found: Resource not found: nobody@example.com (User)", r.json(t)["errorSummary"])
}

func TestUpdateUserPartialAndReplace(t *testing.T) {
	h := newTestOrg(t)
	id := h.userID("active@example.com")
	h.clock.Advance(time.Hour)

	r := h.do("POST", "/api/v1/users/"+id, `{"profile":{"title":"Boss","department":"Ops","firstName":null}}`)
	require.Equal(t, 400, r.status, "nulling a required attribute fails validation")
	assert.Equal(t, "Api validation failed: firstName", r.json(t)["errorSummary"])

	r = h.do("POST", "/api/v1/users/"+id, `{"profile":{"title":"Boss","department":"Ops"}}`)
	require.Equal(t, 200, r.status, string(r.body))
	p := r.json(t)["profile"].(map[string]any)
	assert.Equal(t, "Boss", p["title"])
	assert.Equal(t, "active", p["firstName"], "partial update keeps other attributes")
	assert.Equal(t, "2026-03-04T06:06:07.000Z", r.json(t)["lastUpdated"])

	r = h.do("POST", "/api/v1/users/"+id, `{"profile":{"title":null}}`)
	require.Equal(t, 200, r.status)
	assert.NotContains(t, r.json(t)["profile"], "title")

	r = h.do("PUT", "/api/v1/users/"+id, `{"profile":{"login":"renamed@example.com","email":"renamed@example.com","firstName":"Re","lastName":"Named"}}`)
	require.Equal(t, 200, r.status, string(r.body))
	p = r.json(t)["profile"].(map[string]any)
	assert.Equal(t, []string{"email", "firstName", "lastName", "login", "mobilePhone", "secondEmail"}, keys(p), "PUT replaces the profile (mobilePhone and secondEmail are always there, null)")
	_, found := h.org.LookupUser("active@example.com")
	assert.False(t, found, "old login no longer resolves")
	assert.Equal(t, id, h.userID("renamed@example.com"))
	assert.Equal(t, id, h.userID("renamed"))

	r = h.do("PUT", "/api/v1/users/"+id, `{"profile":{"login":"renamed@example.com"}}`)
	assert.Equal(t, 400, r.status, "PUT needs the required attributes")

	r = h.do("POST", "/api/v1/users/"+id, `{"credentials":{"password":{"value":"An0ther-Passw0rd"}}}`)
	require.Equal(t, 200, r.status)
	assert.Equal(t, "2026-03-04T06:06:07.000Z", r.json(t)["passwordChanged"])

	r = h.do("POST", "/api/v1/users/00u00000000000000000", `{"profile":{}}`)
	assert.Equal(t, 404, r.status)
	r = h.do("POST", "/api/v1/users/"+id, `not json`)
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "E0000003", r.errorCode(t))
}

func TestUpdateDeprovisionedUserIsIgnored(t *testing.T) {
	h := newTestOrg(t)
	r := h.do("POST", "/api/v1/users/deprov@example.com", `{"profile":{"title":"Ghost"}}`)
	require.Equal(t, 200, r.status)
	assert.NotContains(t, r.json(t)["profile"], "title")
}

func TestETagIfMatch(t *testing.T) {
	h := newTestOrg(t)
	r := h.do("GET", "/api/v1/users/active@example.com", "")
	tag := r.header.Get("Etag")
	require.Regexp(t, `^W/"[0-9a-f]{16}"$`, tag)
	assert.Equal(t, tag, h.do("GET", "/api/v1/users/active@example.com", "").header.Get("Etag"), "stable while unchanged")

	r = h.do("POST", "/api/v1/users/active@example.com", `{"profile":{"title":"A"}}`, "If-Match", tag)
	require.Equal(t, 200, r.status)
	assert.Empty(t, r.header.Get("Etag"), "ETag on GET only")
	newTag := h.do("GET", "/api/v1/users/active@example.com", "").header.Get("Etag")
	assert.NotEqual(t, tag, newTag)

	r = h.do("POST", "/api/v1/users/active@example.com", `{"profile":{"title":"B"}}`, "If-Match", tag)
	assert.Equal(t, 412, r.status)
	assert.Equal(t, "E0000231", r.errorCode(t))

	r = h.do("POST", "/api/v1/users/active@example.com", `{"profile":{"title":"B"}}`, "If-Match", "garbage")
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "E0000242", r.errorCode(t))
}

func TestDeleteUserTwoStep(t *testing.T) {
	h := newTestOrg(t)
	id := h.userID("active@example.com")
	eng := h.groupID("Engineering")
	before := h.org.UserCount()

	r := h.do("DELETE", "/api/v1/users/"+id, "")
	require.Equal(t, 204, r.status)
	assert.Empty(t, r.body)
	assert.Equal(t, "DEPROVISIONED", h.status(id))
	assert.Equal(t, before, h.org.UserCount())
	g, _ := h.org.LookupGroup(eng)
	assert.Contains(t, g.MemberIDs, id, "deactivated users keep their memberships")

	h.clock.Advance(time.Minute)
	r = h.do("DELETE", "/api/v1/users/"+id+"?sendEmail=true", "")
	require.Equal(t, 204, r.status)
	assert.Equal(t, before-1, h.org.UserCount())
	g, _ = h.org.LookupGroup(eng)
	assert.NotContains(t, g.MemberIDs, id)
	assert.Equal(t, h.clock.Now().Truncate(time.Second), g.LastMembershipUpdated)

	r = h.do("DELETE", "/api/v1/users/"+id, "")
	assert.Equal(t, 404, r.status)
	assert.Equal(t, "E0000007", r.errorCode(t))
	// The login is free again.
	assert.Equal(t, 200, h.do("POST", "/api/v1/users", newUserBody("active@example.com", "")).status)
}

func TestListUserGroups(t *testing.T) {
	h := newTestOrg(t)
	r := h.do("GET", "/api/v1/users/active@example.com/groups", "")
	require.Equal(t, 200, r.status)
	var names []string
	for _, g := range r.list(t) {
		names = append(names, g["profile"].(map[string]any)["name"].(string))
	}
	assert.ElementsMatch(t, []string{"Everyone", "Engineering", "VPN Users"}, names)
	assert.Equal(t, 404, h.do("GET", "/api/v1/users/nobody@example.com/groups", "").status)
}

func TestOmitCredentialsContentType(t *testing.T) {
	h := newTestOrg(t)
	r := h.do("GET", "/api/v1/users/active@example.com", "",
		"Content-Type", "application/json; okta-response=omitCredentials,omitCredentialsLinks,omitTransitioningToStatus")
	require.Equal(t, 200, r.status)
	assert.NotContains(t, r.json(t), "credentials")
}
