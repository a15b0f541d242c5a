package sandbox

import (
	"net/http"
	"time"
)

// lifecycleOps are the operations under /api/v1/users/{id}/lifecycle/.
var lifecycleOps = map[string]bool{
	"activate": true, "reactivate": true, "deactivate": true, "suspend": true, "unsuspend": true,
	"unlock": true, "reset_password": true, "expire_password": true,
	"expire_password_with_temp_password": true, "reset_factors": true,
}

// Which statuses each operation is legal from (reference §6).
func canActivate(s string) bool   { return s == statusStaged || s == statusDeprovisioned }
func canReactivate(s string) bool { return s == statusProvisioned || s == statusRecovery }
func canResetPassword(s string) bool {
	return s == statusActive || s == statusRecovery || s == statusPasswordExpired || s == statusLockedOut ||
		s == statusProvisioned
}
func canExpirePassword(s string) bool {
	return s == statusActive || s == statusRecovery || s == statusPasswordExpired || s == statusLockedOut
}

// canSuspend: real answers offer suspend to ACTIVE, PASSWORD_EXPIRED and
// PROVISIONED users (fidelity_test.go).
func canSuspend(s string) bool {
	return s == statusActive || s == statusPasswordExpired || s == statusProvisioned
}

func (u *user) setStatus(s string, now time.Time) {
	u.status = s
	u.statusChanged = now
	if (s == statusActive || s == statusProvisioned) && u.activated.IsZero() {
		u.activated = now
	}
	u.touch(now)
}

type activationJSON struct {
	ActivationURL   string `json:"activationUrl"`
	ActivationToken string `json:"activationToken"`
}

type resetPasswordJSON struct {
	ResetPasswordURL string `json:"resetPasswordUrl"`
}

var emptyObject = struct{}{}

// lifecycle: POST /api/v1/users/{id}/lifecycle/{op}.
func lifecycle(c *call) (*response, error) {
	op := c.params[1]
	// sendEmail defaults differ per operation; reset_password requires it.
	var sendEmail bool
	var err error
	switch op {
	case "activate":
		sendEmail, err = c.boolParam("sendEmail", true)
	case "reset_password":
		if c.query.Get("sendEmail") == "" {
			return nil, errMissingParameter("sendEmail")
		}
		sendEmail, err = c.boolParam("sendEmail", false)
	default:
		sendEmail, err = c.boolParam("sendEmail", false)
	}
	if err != nil {
		return nil, err
	}

	c.o.mu.Lock()
	defer c.o.mu.Unlock()
	st := c.o.st
	u := st.findUser(c.params[0])
	if u == nil {
		return nil, errUserNotFound(c.params[0])
	}
	now := c.now
	activation := func() (*response, error) {
		if sendEmail {
			return c.json(http.StatusOK, emptyObject)
		}
		tok := st.token(20)
		return c.json(http.StatusOK, activationJSON{ActivationURL: c.base + "/tokens/" + tok + "/verify", ActivationToken: tok})
	}

	switch op {
	case "activate":
		if u.status == statusActive {
			return nil, errAlreadyActive()
		}
		if !canActivate(u.status) {
			return nil, errWrongStatus()
		}
		if u.password != "" {
			u.setStatus(statusActive, now)
		} else {
			u.setStatus(statusProvisioned, now)
		}
		return activation()
	case "reactivate":
		if !canReactivate(u.status) {
			return nil, errWrongStatus()
		}
		u.setStatus(statusProvisioned, now)
		return activation()
	case "deactivate":
		if u.status == statusDeprovisioned {
			return nil, errWrongStatus()
		}
		u.setStatus(statusDeprovisioned, now)
		return c.json(http.StatusOK, emptyObject)
	case "suspend":
		if !canSuspend(u.status) {
			return nil, errValidation("status", "Cannot suspend a user that is not active (status: "+u.status+")")
		}
		u.setStatus(statusSuspended, now)
		return c.json(http.StatusOK, emptyObject)
	case "unsuspend":
		if u.status != statusSuspended {
			return nil, errValidation("status", "Cannot unsuspend a user that is not suspended (status: "+u.status+")")
		}
		// A user suspended before it set a password goes back to waiting
		// for activation.
		if u.password == "" && u.provider != providerFederation && u.provider != providerSocial {
			u.setStatus(statusProvisioned, now)
		} else {
			u.setStatus(statusActive, now)
		}
		return c.json(http.StatusOK, emptyObject)
	case "unlock":
		if u.status != statusLockedOut {
			return nil, errUnlockNotAllowed()
		}
		u.setStatus(statusActive, now)
		return c.json(http.StatusOK, emptyObject)
	case "reset_password":
		if !canResetPassword(u.status) {
			return nil, errWrongStatus()
		}
		u.setStatus(statusRecovery, now)
		if sendEmail {
			return c.json(http.StatusOK, emptyObject)
		}
		return c.json(http.StatusOK, resetPasswordJSON{ResetPasswordURL: c.base + "/reset_password/" + st.token(20)})
	case "expire_password":
		if !canExpirePassword(u.status) {
			return nil, errWrongStatus()
		}
		u.setStatus(statusPasswordExpired, now)
		return c.singleUser(u)
	case "expire_password_with_temp_password":
		return c.expireWithTempPassword(u)
	case "reset_factors":
		return c.resetFactors(u)
	}
	return nil, errPathNotFound()
}
