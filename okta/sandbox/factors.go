package sandbox

import (
	"net/http"
	"time"
)

// factor is an enrolled MFA factor (UserFactor, reference admin-day §4).
type factor struct {
	id          string
	typ         string // factorType: sms, call, email, push, token:software:totp, webauthn, question, ...
	provider    string
	vendorName  string
	status      string // ACTIVE, PENDING_ACTIVATION, ...
	created     time.Time
	lastUpdated time.Time
	profile     map[string]any // never secrets: no answers, no shared secrets
}

// factorPrefixes are the id prefixes Okta's examples show per factor type.
var factorPrefixes = map[string]string{
	"sms": "mbl", "call": "clf", "email": "emf", "push": "opf", "token:software:totp": "ost",
	"webauthn": "fwf", "question": "ufs", "token:hardware": "ykf", "token": "rsa", "u2f": "fuf", "web": "dsf",
}

func (d *dayState) newFactorID(st *state, typ string) string {
	p := factorPrefixes[typ]
	if p == "" {
		p = "fac"
	}
	return st.newID(p, func(id string) bool {
		for _, fs := range d.factors {
			for _, f := range fs {
				if f.id == id {
					return true
				}
			}
		}
		return false
	})
}

func (f *factor) render(base, userID string) map[string]any {
	self := base + "/api/v1/users/" + userID + "/factors/" + f.id
	allow := []string{"GET", "DELETE"}
	if f.status == "PENDING_ACTIVATION" {
		allow = []string{"GET"}
	}
	links := map[string]any{
		"self": map[string]any{"href": self, "hints": map[string]any{"allow": allow}},
		"user": map[string]any{"href": base + "/api/v1/users/" + userID, "hints": map[string]any{"allow": []string{"GET"}}},
	}
	if f.status == "ACTIVE" && f.typ != "question" {
		links["verify"] = map[string]any{"href": self + "/verify", "hints": map[string]any{"allow": []string{"POST"}}}
	}
	if f.typ == "question" {
		links["questions"] = map[string]any{"href": base + "/api/v1/users/" + userID + "/factors/questions", "hints": map[string]any{"allow": []string{"GET"}}}
	}
	return map[string]any{
		"id":          f.id,
		"factorType":  f.typ,
		"provider":    f.provider,
		"vendorName":  f.vendorName,
		"status":      f.status,
		"created":     formatTime(f.created),
		"lastUpdated": formatTime(f.lastUpdated),
		"profile":     cloneProfile(f.profile),
		"_links":      links,
	}
}

// listFactors: GET /api/v1/users/{userId}/factors. Not paged; [] when
// nothing is enrolled; phone numbers and addresses in clear, as Okta
// returns them; secrets never.
func listFactors(c *call) (*response, error) {
	c.o.mu.RLock()
	defer c.o.mu.RUnlock()
	u := c.o.st.users[c.params[0]]
	if u == nil {
		return nil, errUserNotFound(c.params[0])
	}
	fs := c.o.day.factors[u.id]
	out := make([]map[string]any, len(fs))
	for i, f := range fs {
		out[i] = f.render(c.base, u.id)
	}
	return c.json(http.StatusOK, out)
}

// resetFactors is the lifecycle operation reset_factors: every factor is
// unenrolled; the status does not change; 200 {} even with nothing
// enrolled. A DEPROVISIONED user's factors cannot be changed (403 E0000038).
// Called with Org.mu held.
func (c *call) resetFactors(u *user) (*response, error) {
	if u.status == statusDeprovisioned {
		return nil, errWrongStatus()
	}
	delete(c.o.day.factors, u.id)
	return c.json(http.StatusOK, emptyObject)
}
