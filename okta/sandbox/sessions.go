package sandbox

import (
	"net/http"
	"time"
)

// session is a user's live Okta session (reference admin-day §3).
type session struct {
	id      string
	created time.Time
	expires time.Time
	ip      string
}

// clearSessions: DELETE /api/v1/users/{userId}/sessions?oauthTokens=&forgetDevices=.
// 204 whether or not the user had sessions; oauthTokens also revokes the
// OAuth tokens issued to the user. The path takes a user id, as Okta's
// pathUserId documents.
func clearSessions(c *call) (*response, error) {
	oauthTokens, err := c.boolParam("oauthTokens", false)
	if err != nil {
		return nil, err
	}
	if _, err := c.boolParam("forgetDevices", true); err != nil {
		return nil, err
	}
	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	u := c.o.st.users[c.params[0]]
	if u == nil {
		return nil, errUserNotFound(c.params[0])
	}
	delete(c.o.day.sessions, u.id)
	if oauthTokens {
		delete(c.o.day.grants, u.id)
	}
	return noContent()
}

type tempPasswordJSON struct {
	TempPassword string `json:"tempPassword"`
}

// expireWithTempPassword is the lifecycle operation
// expire_password_with_temp_password: the password is reset to a generated
// one, returned once, and expired; revokeSessions (default false) also ends
// the user's sessions. Called with Org.mu held.
func (c *call) expireWithTempPassword(u *user) (*response, error) {
	revoke, err := c.boolParam("revokeSessions", false)
	if err != nil {
		return nil, err
	}
	if !canExpirePassword(u.status) {
		return nil, errWrongStatus()
	}
	st := c.o.st
	// 8 characters, as recorded, meeting the default policy (lower, upper, digit).
	const lower, upper, digits = "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"
	pw := []byte{lower[st.rng.IntN(len(lower))], upper[st.rng.IntN(len(upper))], digits[st.rng.IntN(len(digits))]}
	for len(pw) < 8 {
		all := lower + upper + digits
		pw = append(pw, all[st.rng.IntN(len(all))])
	}
	u.password = string(pw)
	u.passwordChanged = c.now
	u.setStatus(statusPasswordExpired, c.now)
	if revoke {
		delete(c.o.day.sessions, u.id)
	}
	return c.json(http.StatusOK, tempPasswordJSON{TempPassword: u.password})
}
