package sandbox

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLifecycleTransitions(t *testing.T) {
	tests := []struct {
		login, op, query string
		wantStatus       int
		wantCode         string // errors
		wantUserStatus   string // status after the call
		wantKeys         []string
	}{
		// activate: only from STAGED or DEPROVISIONED.
		{"staged@example.com", "activate", "", 200, "", "PROVISIONED", []string{}},
		{"stagedpw@example.com", "activate", "", 200, "", "ACTIVE", []string{}},
		{"staged@example.com", "activate", "?sendEmail=false", 200, "", "PROVISIONED", []string{"activationToken", "activationUrl"}},
		{"deprov@example.com", "activate", "?sendEmail=true", 200, "", "PROVISIONED", []string{}},
		{"deprovpw@example.com", "activate", "?sendEmail=false", 200, "", "ACTIVE", []string{"activationToken", "activationUrl"}},
		{"active@example.com", "activate", "", 403, "E0000016", "ACTIVE", nil},
		{"provisioned@example.com", "activate", "", 403, "E0000038", "PROVISIONED", nil},
		{"suspended@example.com", "activate", "", 403, "E0000038", "SUSPENDED", nil},
		{"locked@example.com", "activate", "", 403, "E0000038", "LOCKED_OUT", nil},
		// reactivate: PROVISIONED and RECOVERY; sendEmail defaults to false.
		{"provisioned@example.com", "reactivate", "", 200, "", "PROVISIONED", []string{"activationToken", "activationUrl"}},
		{"provisioned@example.com", "reactivate", "?sendEmail=true", 200, "", "PROVISIONED", []string{}},
		{"active@example.com", "reactivate", "", 403, "E0000038", "ACTIVE", nil},
		// deactivate: from anything but DEPROVISIONED.
		{"staged@example.com", "deactivate", "", 200, "", "DEPROVISIONED", []string{}},
		{"provisioned@example.com", "deactivate", "", 200, "", "DEPROVISIONED", []string{}},
		{"active@example.com", "deactivate", "?sendEmail=true", 200, "", "DEPROVISIONED", []string{}},
		{"recovery@example.com", "deactivate", "", 200, "", "DEPROVISIONED", []string{}},
		{"locked@example.com", "deactivate", "", 200, "", "DEPROVISIONED", []string{}},
		{"expired@example.com", "deactivate", "", 200, "", "DEPROVISIONED", []string{}},
		{"suspended@example.com", "deactivate", "", 200, "", "DEPROVISIONED", []string{}},
		{"deprov@example.com", "deactivate", "", 403, "E0000038", "DEPROVISIONED", nil},
		// suspend: ACTIVE only, else 400 E0000001.
		{"active@example.com", "suspend", "", 200, "", "SUSPENDED", []string{}},
		{"staged@example.com", "suspend", "", 400, "E0000001", "STAGED", nil},
		{"suspended@example.com", "suspend", "", 400, "E0000001", "SUSPENDED", nil},
		{"locked@example.com", "suspend", "", 400, "E0000001", "LOCKED_OUT", nil},
		{"deprov@example.com", "suspend", "", 400, "E0000001", "DEPROVISIONED", nil},
		// unsuspend: SUSPENDED only.
		{"suspended@example.com", "unsuspend", "", 200, "", "ACTIVE", []string{}},
		{"active@example.com", "unsuspend", "", 400, "E0000001", "ACTIVE", nil},
		{"staged@example.com", "unsuspend", "", 400, "E0000001", "STAGED", nil},
		// reset_password: sendEmail is required.
		{"active@example.com", "reset_password", "", 400, "E0000028", "ACTIVE", nil},
		{"active@example.com", "reset_password", "?sendEmail=false", 200, "", "RECOVERY", []string{"resetPasswordUrl"}},
		{"active@example.com", "reset_password", "?sendEmail=true", 200, "", "RECOVERY", []string{}},
		{"locked@example.com", "reset_password", "?sendEmail=false", 200, "", "RECOVERY", []string{"resetPasswordUrl"}},
		{"expired@example.com", "reset_password", "?sendEmail=true", 200, "", "RECOVERY", []string{}},
		{"staged@example.com", "reset_password", "?sendEmail=true", 403, "E0000038", "STAGED", nil},
		{"suspended@example.com", "reset_password", "?sendEmail=true", 403, "E0000038", "SUSPENDED", nil},
		{"deprov@example.com", "reset_password", "?sendEmail=false", 403, "E0000038", "DEPROVISIONED", nil},
		// unlock: LOCKED_OUT only.
		{"locked@example.com", "unlock", "", 200, "", "ACTIVE", []string{}},
		{"active@example.com", "unlock", "", 403, "E0000032", "ACTIVE", nil},
		// expire_password answers the user.
		{"active@example.com", "expire_password", "", 200, "", "PASSWORD_EXPIRED", nil},
		{"staged@example.com", "expire_password", "", 403, "E0000038", "STAGED", nil},
		// bad sendEmail value.
		{"staged@example.com", "activate", "?sendEmail=maybe", 400, "E0000001", "STAGED", nil},
	}
	for _, tt := range tests {
		t.Run(tt.op+"/"+tt.login+tt.query, func(t *testing.T) {
			h := newTestOrg(t)
			h.clock.Advance(time.Hour)
			before, _ := h.org.LookupUser(tt.login)
			r := h.do("POST", "/api/v1/users/"+h.userID(tt.login)+"/lifecycle/"+tt.op+tt.query, "")
			require.Equal(t, tt.wantStatus, r.status, string(r.body))
			assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			if tt.wantCode != "" {
				assert.Equal(t, tt.wantCode, r.errorCode(t))
				assert.Equal(t, tt.wantUserStatus, h.status(tt.login), "status must not change on error")
				after, _ := h.org.LookupUser(tt.login)
				assert.Equal(t, before.LastUpdated, after.LastUpdated)
				return
			}
			assert.Equal(t, tt.wantUserStatus, h.status(tt.login))
			after, _ := h.org.LookupUser(tt.login)
			assert.Equal(t, h.clock.Now().Truncate(time.Second), after.StatusChanged)
			assert.Equal(t, h.clock.Now().Truncate(time.Second), after.LastUpdated)
			body := r.json(t)
			if tt.op == "expire_password" {
				assert.Equal(t, "PASSWORD_EXPIRED", body["status"])
				return
			}
			assert.ElementsMatch(t, tt.wantKeys, keys(body))
			if url, ok := body["activationUrl"].(string); ok {
				assert.Regexp(t, regexp.MustCompile(`^https://sandbox\.okta\.com/tokens/[A-Za-z0-9]{20}/verify$`), url)
				assert.Contains(t, url, body["activationToken"])
			}
			if url, ok := body["resetPasswordUrl"].(string); ok {
				assert.Regexp(t, `^https://sandbox\.okta\.com/reset_password/[A-Za-z0-9]{20}$`, url)
			}
		})
	}
}

func TestActivationSetsActivated(t *testing.T) {
	h := newTestOrg(t)
	h.clock.Advance(time.Minute)
	r := h.do("POST", "/api/v1/users/stagedpw@example.com/lifecycle/activate?sendEmail=false", "")
	require.Equal(t, 200, r.status)
	u, _ := h.org.LookupUser("stagedpw@example.com")
	assert.Equal(t, h.clock.Now().Truncate(time.Second), u.Activated)
	g := h.do("GET", "/api/v1/users/"+u.ID, "").json(t)
	assert.Equal(t, "2026-03-04T05:07:07.000Z", g["activated"])
}

func TestLifecycleUnknownUserAndOperation(t *testing.T) {
	h := newTestOrg(t)
	r := h.do("POST", "/api/v1/users/00u00000000000000000/lifecycle/activate", "")
	assert.Equal(t, 404, r.status)
	assert.Equal(t, "E0000007", r.errorCode(t))
	assert.Equal(t, "Not found: Resource not found: 00u00000000000000000 (User)", r.json(t)["errorSummary"])

	r = h.do("POST", "/api/v1/users/active@example.com/lifecycle/explode", "")
	assert.Equal(t, 404, r.status)
	assert.Equal(t, "E0000008", r.errorCode(t))

	r = h.do("GET", "/api/v1/users/active@example.com/lifecycle/activate", "")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Equal(t, "E0000022", r.errorCode(t))
}

// Every advertised lifecycle link is legal: following it succeeds.
func TestAdvertisedLinksWork(t *testing.T) {
	for _, login := range []string{"staged@example.com", "provisioned@example.com", "active@example.com", "recovery@example.com",
		"locked@example.com", "expired@example.com", "suspended@example.com", "deprov@example.com"} {
		h := newTestOrg(t)
		u := h.do("GET", "/api/v1/users/"+login, "").json(t)
		for rel, l := range u["_links"].(map[string]any) {
			// Links to endpoints the org does not serve (credentials,
			// meta) are listed in doc.go.
			href := l.(map[string]any)["href"].(string)
			path := href[len(DemoOrgURL):]
			if rel == "self" || rel == "schema" || rel == "type" || strings.Contains(path, "/credentials/") {
				continue
			}
			h := newTestOrg(t)
			if rel == "resetPassword" {
				path += "?sendEmail=false"
			}
			method, _ := l.(map[string]any)["method"].(string)
			r := h.do(method, path, "")
			assert.Contains(t, []int{200, 204}, r.status, "%s %s: %s", login, rel, r.body)
		}
	}
}

func TestTimestampsAreWholeSeconds(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 5, 6, 7, 8, 9, 123_456_789, time.UTC)}
	h := newTestOrg(t, func(o *Options) { o.Now = clock.Now })
	clock.Advance(time.Second)
	r := h.do("POST", "/api/v1/users/active@example.com/lifecycle/suspend", "")
	require.Equal(t, 200, r.status)
	u := h.do("GET", "/api/v1/users/active@example.com", "").json(t)
	assert.Equal(t, "2026-05-06T07:08:10.000Z", u["lastUpdated"])
	r = h.do("GET", `/api/v1/users?filter=lastUpdated+eq+%222026-05-06T07:08:10.000Z%22`, "")
	assert.Len(t, r.list(t), 1, "a timestamp read back matches exactly")
}
