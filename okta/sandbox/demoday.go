package sandbox

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The demo org's admin-day data, generated on the first request (Org.ensureDay)
// relative to the org's clock:
// enrolled MFA factors of several types, live sessions, OAuth grants, and a
// week of System Log history (sign-ins, failed sign-ins, lockouts, MFA,
// admin changes), so that "what happened to this user this week?" has an
// answer. Only the demo org gets it; a custom seed starts with none.

type office struct {
	geo    logGeo
	prefix string // the office's IP prefix (RFC 5737 documentation range)
}

var offices = []office{
	{logGeo{City: "San Francisco", State: "California", Country: "United States", PostalCode: "94105", Lat: 37.7898, Lon: -122.3942}, "198.51.100."},
	{logGeo{City: "London", State: "England", Country: "United Kingdom", PostalCode: "EC2A", Lat: 51.5226, Lon: -0.0837}, "192.0.2."},
	{logGeo{City: "Berlin", State: "Land Berlin", Country: "Germany", PostalCode: "10115", Lat: 52.5321, Lon: 13.3849}, "198.51.100."},
}

// attacker is where the failed sign-ins before the lockouts come from.
var attacker = office{logGeo{City: "Bucharest", State: "Bucuresti", Country: "Romania", PostalCode: "010011", Lat: 44.4268, Lon: 26.1025}, "203.0.113."}

const (
	uaMac     = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
	uaWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
	uaScript  = "python-requests/2.32.3"
)

type demoGen struct {
	st  *state
	d   *dayState
	rng *rand.Rand
	now time.Time
}

func (g *demoGen) token(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = idAlphabet[g.rng.IntN(len(idAlphabet))]
	}
	return string(b)
}

// seedDemo fills d with the demo org's factors, sessions and history.
func (d *dayState) seedDemo(st *state, now time.Time) {
	g := &demoGen{st: st, d: d, rng: rand.New(rand.NewPCG(0xda7_0f_ad, 0x5e55_10)), now: now}
	var users []*user
	for _, id := range st.userIDs {
		users = append(users, st.users[id])
	}
	// Stable order: by login, so that the data does not depend on ids.
	slices.SortFunc(users, func(a, b *user) int { return strings.Compare(a.loginKey, b.loginKey) })
	for i, u := range users {
		switch u.status {
		case statusActive, statusLockedOut, statusPasswordExpired, statusSuspended, statusRecovery:
			g.factors(i, u)
		}
		if u.status == statusActive && i%2 == 0 {
			g.sessions(i, u)
		}
		if u.status == statusActive && i%3 == 0 {
			d.grants[u.id] = 1 + i%3
		}
	}
	g.history(users)
}

func (g *demoGen) addFactor(u *user, typ, provider, vendor, status string, enrolled time.Time, profile map[string]any) {
	f := &factor{
		id: factorPrefixes[typ] + g.token(17), typ: typ, provider: provider, vendorName: vendor, status: status,
		created: enrolled, lastUpdated: enrolled, profile: profile,
	}
	g.d.factors[u.id] = append(g.d.factors[u.id], f)
}

func (g *demoGen) factors(i int, u *user) {
	login, _ := u.profile["login"].(string)
	email, _ := u.profile["email"].(string)
	first, _ := u.profile["firstName"].(string)
	enrolled := u.created.Add(time.Duration(1+i%5) * 24 * time.Hour)
	if enrolled.After(g.now) || enrolled.IsZero() {
		enrolled = g.now.Add(-30 * 24 * time.Hour)
	}
	enrolled = enrolled.Truncate(time.Millisecond)
	g.addFactor(u, "email", "OKTA", "OKTA", "ACTIVE", enrolled, map[string]any{"email": email})
	if phone, _ := u.profile["mobilePhone"].(string); phone != "" {
		g.addFactor(u, "sms", "OKTA", "OKTA", "ACTIVE", enrolled, map[string]any{"phoneNumber": e164(phone)})
	}
	switch i % 3 {
	case 0:
		g.addFactor(u, "push", "OKTA", "OKTA", "ACTIVE", enrolled, map[string]any{
			"credentialId": login, "deviceType": "SmartPhone_IPhone", "name": first + "'s iPhone", "platform": "IOS", "version": "17.5.1",
		})
	case 1:
		g.addFactor(u, "token:software:totp", "GOOGLE", "GOOGLE", "ACTIVE", enrolled, map[string]any{"credentialId": login})
	default:
		g.addFactor(u, "push", "OKTA", "OKTA", "ACTIVE", enrolled, map[string]any{
			"credentialId": login, "deviceType": "SmartPhone_Android", "name": "Pixel 8", "platform": "ANDROID", "version": "14",
		})
	}
	if i%4 == 1 {
		g.addFactor(u, "webauthn", "FIDO", "FIDO", "ACTIVE", enrolled, map[string]any{"authenticatorName": "YubiKey 5 NFC", "credentialId": g.token(22)})
	}
	if i%5 == 3 {
		g.addFactor(u, "question", "OKTA", "OKTA", "ACTIVE", enrolled, map[string]any{"question": "disliked_food", "questionText": "What is the food you least liked as a child?"})
	}
	if i%7 == 5 {
		g.addFactor(u, "token:software:totp", "OKTA", "OKTA", "PENDING_ACTIVATION", g.now.Add(-26*time.Hour), map[string]any{"credentialId": login})
	}
}

// e164 turns "+1-555-0100" into "+15550100".
func e164(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		if r == '+' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (g *demoGen) sessions(i int, u *user) {
	n := 1 + i%2
	for k := 0; k < n; k++ {
		created := g.now.Add(-time.Duration(1+3*k+i%4) * time.Hour).Truncate(time.Millisecond)
		g.d.sessions[u.id] = append(g.d.sessions[u.id], &session{
			id: "102" + g.token(22), created: created, expires: created.Add(12 * time.Hour), ip: g.ip(offices[i%len(offices)], i),
		})
	}
}

func (g *demoGen) ip(o office, i int) string {
	return o.prefix + strconv.Itoa(10+i%200)
}

// event adds one history event at t (never in the future).
func (g *demoGen) event(t time.Time, eventType string, actor logActor, cl logClient, outcome, reason string, targets ...logTarget) *logEvent {
	if !t.Before(g.now) {
		t = g.now.Add(-time.Second)
	}
	e := &logEvent{
		published: t.UTC().Truncate(time.Millisecond), eventType: eventType, actor: actor, client: cl,
		outcome: outcome, reason: reason, targets: targets, txID: g.token(27), txType: "WEB",
		debug: map[string]string{},
	}
	e.debug["requestId"] = e.txID
	g.d.log.add(e)
	return e
}

func (g *demoGen) browser(o office, i int) logClient {
	geo := o.geo
	cl := logClient{IP: g.ip(o, i), UA: uaMac, OS: "Mac OS X", Browser: "CHROME", Device: "Computer", Zone: "null", Geo: &geo}
	if i%3 == 1 {
		cl.UA, cl.OS, cl.Browser = uaWindows, "Windows 10", "EDGE"
	}
	return cl
}

// signIn logs a successful sign-in with MFA at t.
func (g *demoGen) signIn(t time.Time, u *user, i int) {
	cl := g.browser(offices[i%len(offices)], i)
	sid := "102" + g.token(22)
	e := g.event(t, "user.session.start", userActor(u), cl, "SUCCESS", "")
	e.sessionID = sid
	var targets []logTarget
	if fs := g.d.factors[u.id]; len(fs) > 0 {
		f := fs[len(fs)-1]
		targets = append(targets, logTarget{ID: f.id, Type: "AuthenticatorEnrollment", AlternateID: "unknown", DisplayName: factorDisplay(f.typ)})
	}
	m := g.event(t.Add(4*time.Second), "user.authentication.auth_via_mfa", userActor(u), cl, "SUCCESS", "", targets...)
	m.sessionID = sid
}

func factorDisplay(typ string) string {
	switch typ {
	case "push":
		return "Okta Verify"
	case "token:software:totp":
		return "Google Authenticator"
	case "webauthn":
		return "Security Key or Biometric"
	case "sms":
		return "Phone"
	case "email":
		return "Email"
	}
	return typ
}

func (g *demoGen) history(users []*user) {
	byLogin := map[string]*user{}
	for _, u := range users {
		l, _ := u.profile["login"].(string)
		byLogin[l] = u
	}
	day := func(n int, hour, minute int) time.Time {
		d := g.now.Add(-time.Duration(n) * 24 * time.Hour)
		return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, g.rng.IntN(60), g.rng.IntN(1000)*1e6, time.UTC)
	}
	// Sign-ins over the last week: most active users, most days.
	for n := 6; n >= 0; n-- {
		for i, u := range users {
			if u.status != statusActive || (i+n)%3 == 0 {
				continue
			}
			t := day(n, 7+i%4, g.rng.IntN(60))
			if n == 0 && !t.Before(g.now) {
				continue
			}
			if (i+n)%11 == 0 { // a mistyped password first
				g.event(t.Add(-40*time.Second), "user.session.start", userActor(u), g.browser(offices[i%len(offices)], i), "FAILURE", "INVALID_CREDENTIALS")
			}
			g.signIn(t, u, i)
		}
	}
	owner := g.d.owner
	admin := g.browser(offices[0], 3)
	adminDo := func(t time.Time, eventType string, targets ...logTarget) {
		e := g.event(t, eventType, owner, admin, "SUCCESS", "", targets...)
		if owner.ID != "" {
			e.tokenID = sandboxTokenID
		}
		e.debug["requestUri"] = "/api/v1/users"
	}
	// Lockouts: a burst of failed sign-ins from an unknown place, then the lock.
	for k, u := range users {
		if u.status != statusLockedOut {
			continue
		}
		t := day(1+k%2, 2, 10+k%20)
		cl := g.browser(attacker, 40+k)
		cl.UA, cl.OS, cl.Browser, cl.Device = uaScript, "Unknown", "UNKNOWN", "Unknown"
		for a := 0; a < 10; a++ {
			g.event(t.Add(time.Duration(a*7)*time.Second), "user.session.start", userActor(u), cl, "FAILURE", "INVALID_CREDENTIALS")
		}
		g.event(t.Add(71*time.Second), "user.account.lock", userActor(u), cl, "SUCCESS", "")
	}
	// Admin changes by the token owner, matching the demo users' statuses.
	for k, u := range users {
		t := userActor(u)
		switch u.status {
		case statusSuspended:
			adminDo(day(5, 14, 5+k%50), "user.lifecycle.suspend", t)
		case statusPasswordExpired:
			adminDo(day(3, 9, 30+k%25), "user.account.expire_password", t)
		case statusRecovery:
			adminDo(day(1, 16, 12+k%40), "user.account.reset_password", t)
		case statusStaged:
			adminDo(day(2, 11, 3+k%50), "user.lifecycle.create", t)
		case statusDeprovisioned:
			at := day(4, 17, 2+k%50)
			adminDo(at, "user.lifecycle.deactivate", t)
			for gid := range u.groups {
				if grp := g.st.groups[gid]; grp != nil {
					adminDo(at.Add(20*time.Second), "group.user_membership.remove", t, groupTarget(grp))
				}
			}
		}
	}
	if u := byLogin["tim.berners@example.com"]; u != nil {
		for gid := range u.groups {
			if grp := g.st.groups[gid]; grp != nil {
				adminDo(day(2, 11, 58), "group.user_membership.add", userActor(u), groupTarget(grp))
			}
		}
	}
	if u := byLogin["alan.turing@example.com"]; u != nil {
		adminDo(day(3, 15, 44), "user.account.update_profile", userActor(u))
	}
	if u := byLogin["grace.hopper@example.com"]; u != nil && len(g.d.factors[u.id]) > 0 {
		f := g.d.factors[u.id][0]
		e := g.event(day(2, 8, 41), "user.mfa.factor.activate", userActor(u), g.browser(offices[1], 2), "SUCCESS", "",
			logTarget{ID: f.id, Type: "AuthenticatorEnrollment", AlternateID: "unknown", DisplayName: factorDisplay(f.typ)})
		e.debug["factor"] = f.typ
	}
}
