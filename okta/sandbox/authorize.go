package sandbox

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// serveAuthorize: GET (or POST) .../v1/authorize, the authorization code
// grant for PublicClientID. A bad client_id or redirect_uri is answered
// with an error page (400); every other error is sent back to the
// redirect_uri as error, error_description and state, as Okta does. With
// Options.AutoApprove the user is signed in at once; otherwise the sign-in
// page is shown and posts back here with username and password.
func (o *Org) serveAuthorize(r *http.Request, srv *authServer, now time.Time) (*response, error) {
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		f, ok := parseForm(r)
		if !ok {
			return errorPage(http.StatusBadRequest, "invalid_request", "The sign-in form must be posted as application/x-www-form-urlencoded.")
		}
		q = f
	}
	clientID := q.Get("client_id")
	if clientID != PublicClientID {
		if clientID == "" {
			return errorPage(http.StatusBadRequest, "invalid_request", "The 'client_id' parameter is required.")
		}
		if _, svc := o.oauth.clients[clientID]; svc {
			return errorPage(http.StatusBadRequest, "unauthorized_client", "The client "+clientID+" is a service app and cannot use the authorization code grant.")
		}
		return errorPage(http.StatusBadRequest, "invalid_client", "Invalid value for 'client_id' parameter.")
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" {
		return errorPage(http.StatusBadRequest, "invalid_request", "The 'redirect_uri' parameter is required.")
	}
	if !isLoopbackRedirect(redirect) {
		return errorPage(http.StatusBadRequest, "invalid_request",
			"The 'redirect_uri' parameter must be a Login redirect URI in the client app settings (the sandbox client "+
				PublicClientID+" accepts http://127.0.0.1:<port>/..., http://localhost:<port>/... and http://[::1]:<port>/...).")
	}
	state := q.Get("state")
	back := func(code, desc string) (*response, error) {
		v := url.Values{"error": {code}, "error_description": {desc}}
		if state != "" {
			v.Set("state", state)
		}
		return redirectTo(redirect, v), nil
	}
	if rt := q.Get("response_type"); rt != "code" {
		return back("unsupported_response_type", fmt.Sprintf("The response type %q is not supported by the authorization server. Configured response types: [code].", rt))
	}
	if state == "" {
		return back("invalid_request", "The 'state' parameter is required.")
	}
	scopes, msg := srv.checkScopes(q.Get("scope"))
	if msg != "" {
		return back("invalid_scope", msg)
	}
	challenge := q.Get("code_challenge")
	if challenge == "" {
		return back("invalid_request", "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.")
	}
	if m := q.Get("code_challenge_method"); m != "S256" {
		return back("invalid_request", fmt.Sprintf("The 'code_challenge_method' %q is not supported: use S256.", m))
	}
	if len(challenge) != 43 || !isUnreserved(challenge) {
		return back("invalid_request", "The 'code_challenge' must be the base64url-encoded SHA-256 of the code verifier (43 characters).")
	}
	aud, ok := srv.audienceFor(q.Get("resource"))
	if !ok {
		return back("invalid_target", "The 'resource' parameter must be an absolute URI without a fragment.")
	}

	var u *user
	switch {
	case o.oauth.autoApprove != "":
		u = o.signIn(r, o.oauth.autoApprove, "", false, now)
		if u == nil {
			return back("access_denied", "The auto-approved user can no longer sign in (not ACTIVE).")
		}
	case q.Get("prompt") == "none":
		return back("login_required", "The client specified not to prompt, but the user is not logged in.")
	case r.Method == http.MethodPost && q.Has("username"):
		u = o.signIn(r, q.Get("username"), q.Get("password"), true, now)
		if u == nil {
			return signInPage(http.StatusUnauthorized, srv.endpoint("", "authorize"), q, "Unable to sign in: wrong username or password, or the user cannot sign in.")
		}
	default:
		return signInPage(http.StatusOK, srv.endpoint("", "authorize"), q, "")
	}
	code := randomToken(32)
	g := o.userGrant(srv, u, scopes, aud, now)
	g.nonce = q.Get("nonce")
	s := o.oauth
	s.mu.Lock()
	for k, c := range s.codes {
		if !now.Before(c.expires) {
			delete(s.codes, k)
		}
	}
	s.codes[code] = &authCode{grant: g, redirectURI: redirect, challenge: challenge, expires: now.Add(codeLifetime)}
	s.mu.Unlock()
	return redirectTo(redirect, url.Values{"code": {code}, "state": {state}}), nil
}

func (o *Org) userGrant(srv *authServer, u *user, scopes []string, aud string, now time.Time) grant {
	o.mu.RLock()
	defer o.mu.RUnlock()
	login, _ := u.profile["login"].(string)
	return grant{server: srv, clientID: PublicClientID, userID: u.id, login: login, name: displayName(u), scopes: scopes, aud: aud, authTime: now}
}

func principalOf(u *user) principal {
	login, _ := u.profile["login"].(string)
	return principal{typ: "User", id: u.id, alternateID: login, displayName: displayName(u)}
}

// authEvent records a token grant in the System Log, with the user (or
// the service app) as the actor and the OAuth client as client.id.
func (o *Org) authEvent(r *http.Request, now time.Time, eventType string, actor principal) {
	o.ensureDay()
	o.mu.Lock()
	defer o.mu.Unlock()
	o.logAuthLocked(r, now, eventType, actor, "SUCCESS", "")
}

// logAuthLocked appends an authentication event; o.mu must be held.
func (o *Org) logAuthLocked(r *http.Request, now time.Time, eventType string, actor principal, outcome, reason string) {
	if o.day == nil {
		return
	}
	id := o.newRequestID()
	o.day.log.add(&logEvent{
		published: now, eventType: eventType,
		actor: o.actorOf(actor), client: clientOf(r, actor.clientID),
		outcome: outcome, reason: reason, txID: id, txType: "WEB",
		debug: map[string]string{"requestId": id, "requestUri": r.URL.Path},
	})
}

// signIn checks a user's credentials (checkPassword false: the
// auto-approved user) and records the sign-in (user.session.start, also
// when it fails for a known user). Only ACTIVE users with a password may
// sign in.
func (o *Org) signIn(r *http.Request, login, password string, checkPassword bool, now time.Time) *user {
	o.ensureDay()
	o.mu.Lock()
	defer o.mu.Unlock()
	u := o.st.findUser(strings.TrimSpace(login))
	if u == nil {
		return nil
	}
	p := principalOf(u)
	p.clientID = PublicClientID
	fail := func(reason string) *user {
		o.logAuthLocked(r, now, "user.session.start", p, "FAILURE", reason)
		return nil
	}
	if u.status != statusActive || u.password == "" {
		return fail("USER_NOT_ACTIVE")
	}
	if checkPassword && subtle.ConstantTimeCompare([]byte(password), []byte(u.password)) != 1 {
		return fail("INVALID_CREDENTIALS")
	}
	u.lastLogin = now
	u.version++
	o.logAuthLocked(r, now, "user.session.start", p, "SUCCESS", "")
	return u
}

func isUnreserved(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
			return false
		}
	}
	return true
}

func redirectTo(redirect string, v url.Values) *response {
	u, _ := url.Parse(redirect)
	q := u.Query()
	for k, vs := range v {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return &response{status: http.StatusFound, header: http.Header{"Location": {u.String()}, "Content-Type": {"text/html; charset=utf-8"}}, body: []byte{}}
}

// pageStyle is the sign-in page's whole stylesheet (the page's
// Content-Security-Policy allows inline styles and nothing else).
const pageStyle = `body{font-family:sans-serif;max-width:28em;margin:4em auto}label,input,button{display:block;margin:.4em 0}input{width:100%}.err{color:#b00}`

// writePage writes the sandbox's one HTML page (a sign-in form, a message
// or an error). Every value is escaped with html.EscapeString, which is
// right for element text and for double-quoted attribute values, the only
// two places values go. It is written by hand rather than with html/template
// because text/template's reflective method calls make the linker keep every
// exported method of every type in the binary (dead-code elimination is
// disabled), which cost okta-mcp megabytes of binary and milliseconds of
// start-up for one page of a test org.
func writePage(b *bytes.Buffer, p page) {
	esc := html.EscapeString
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
	b.WriteString(esc(p.Title))
	b.WriteString(" - Okta sandbox</title>\n<style>" + pageStyle + "</style>\n</head><body>\n<h1>")
	b.WriteString(esc(p.Title))
	b.WriteString("</h1>\n")
	if p.Error != "" {
		b.WriteString(`<p class="err" id="error">` + esc(p.Error) + "</p>\n")
	}
	if p.Message != "" {
		b.WriteString(`<p id="message">` + esc(p.Message) + "</p>\n")
	}
	if p.Action != "" {
		b.WriteString(`<form method="post" action="` + esc(p.Action) + "\">\n")
		for _, h := range p.Hidden {
			b.WriteString(`<input type="hidden" name="` + esc(h.Name) + `" value="` + esc(h.Value) + "\">\n")
		}
		if p.UserCode != nil {
			b.WriteString(`<label for="user_code">Activation code</label><input id="user_code" name="user_code" value="` + esc(p.UserCode.Value) + "\" autocomplete=\"off\">\n")
		}
		b.WriteString(`<label for="username">Username</label><input id="username" name="username" autocomplete="username">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button>
</form>
<p>This is the in-memory Okta sandbox. The demo org's users sign in with their login (for example ada.lovelace@example.com) and the demo password documented in the README.</p>`)
	}
	b.WriteString("\n</body></html>\n")
}

type hiddenField struct{ Name, Value string }

type page struct {
	Title, Error, Message, Action string
	Hidden                        []hiddenField
	UserCode                      *hiddenField
}

func renderPage(status int, p page) (*response, error) {
	var b bytes.Buffer
	writePage(&b, p)
	return &response{status: status, body: b.Bytes(), header: http.Header{
		"Content-Type":            {"text/html; charset=utf-8"},
		"X-Frame-Options":         {"DENY"},
		"Content-Security-Policy": {"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"},
	}}, nil
}

func errorPage(status int, code, desc string) (*response, error) {
	return renderPage(status, page{Title: "Error: " + code, Error: desc})
}

// signInPage shows the sign-in form, which posts the authorize request's
// parameters back with username and password.
func signInPage(status int, action string, q url.Values, errMsg string) (*response, error) {
	var hidden []hiddenField
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "username" && k != "password" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		hidden = append(hidden, hiddenField{k, q.Get(k)})
	}
	return renderPage(status, page{Title: "Sign in", Error: errMsg, Action: action, Hidden: hidden})
}

// exchangeCode: grant_type=authorization_code. The code is single-use
// (a failed exchange burns it too) and the code_verifier must hash (S256)
// to the authorize request's code_challenge.
func (o *Org) exchangeCode(r *http.Request, f url.Values, srv *authServer, now time.Time) (*response, error) {
	code := f.Get("code")
	if code == "" {
		return oauthFail(400, "invalid_request", "The 'code' parameter is required.")
	}
	s := o.oauth
	s.mu.Lock()
	ac := s.codes[code]
	delete(s.codes, code)
	s.mu.Unlock()
	if ac == nil || !now.Before(ac.expires) || ac.server != srv {
		return oauthFail(400, "invalid_grant", "The authorization code is invalid or has expired.")
	}
	if ac.clientID != f.Get("client_id") {
		return oauthFail(400, "invalid_grant", "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.")
	}
	if f.Get("redirect_uri") != ac.redirectURI {
		return oauthFail(400, "invalid_grant", "The 'redirect_uri' does not match the redirection URI used in the authorization request.")
	}
	v := f.Get("code_verifier")
	if v == "" {
		return oauthFail(400, "invalid_request", "PKCE code verifier is required when the parameter code_challenge was sent in the authorize request.")
	}
	sum := sha256.Sum256([]byte(v))
	if len(v) < 43 || len(v) > 128 || !isUnreserved(v) ||
		subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(ac.challenge)) != 1 {
		return oauthFail(400, "invalid_grant", "PKCE verification failed.")
	}
	if res := f.Get("resource"); res != "" && srv.id != "" && res != ac.aud {
		return oauthFail(400, "invalid_target", "The 'resource' parameter does not match the one of the authorization request.")
	}
	return o.issueForUser(r, &ac.grant, "", now)
}

// issueForUser issues tokens for a user grant if the user may still sign in.
func (o *Org) issueForUser(r *http.Request, g *grant, refreshTok string, now time.Time) (*response, error) {
	o.mu.RLock()
	u := o.st.users[g.userID]
	active := u != nil && u.status == statusActive
	var p principal
	if active {
		p = principalOf(u)
		p.clientID = g.clientID
	}
	o.mu.RUnlock()
	if !active {
		return oauthFail(400, "invalid_grant", "The user is not active.")
	}
	resp, err := o.issue(r, g, refreshTok, now)
	if err == nil && resp.status == http.StatusOK {
		ev := "app.oauth2.token.grant.access_token"
		if g.server.id != "" {
			ev = "app.oauth2.as.token.grant.access_token"
		}
		o.authEvent(r, now, ev, p)
	}
	return resp, err
}

// refreshGrant: grant_type=refresh_token. scope, when given, must be a
// subset of the original grant's.
func (o *Org) refreshGrant(r *http.Request, f url.Values, srv *authServer, now time.Time) (*response, error) {
	rt := f.Get("refresh_token")
	if rt == "" {
		return oauthFail(400, "invalid_request", "The 'refresh_token' parameter is required.")
	}
	s := o.oauth
	s.mu.Lock()
	rg := s.refresh[rt]
	if rg != nil && !now.Before(rg.expires) {
		delete(s.refresh, rt)
		rg = nil
	}
	var g grant
	if rg != nil {
		g = rg.grant
	}
	s.mu.Unlock()
	if rg == nil || g.server != srv || g.clientID != f.Get("client_id") {
		return oauthFail(400, "invalid_grant", "The refresh token is invalid or expired.")
	}
	if sc := f.Get("scope"); sc != "" {
		want := dedupe(strings.Fields(sc))
		for _, w := range want {
			if !slices.Contains(g.scopes, w) {
				return oauthFail(400, "invalid_scope", "The requested scope "+w+" was not granted to the refresh token: a refresh may only narrow the scopes.")
			}
		}
		g.scopes = want
	}
	if res := f.Get("resource"); res != "" && srv.id != "" && res != g.aud {
		return oauthFail(400, "invalid_target", "The 'resource' parameter does not match the one of the original grant.")
	}
	return o.issueForUser(r, &g, rt, now)
}

// serveDeviceAuthorize: POST .../v1/device/authorize (RFC 8628) for
// PublicClientID. With Options.AutoApprove the code is approved at once.
func (o *Org) serveDeviceAuthorize(r *http.Request, srv *authServer, now time.Time) (*response, error) {
	f, ok := parseForm(r)
	if !ok {
		return oauthFail(400, "invalid_request", "The request must use Content-Type application/x-www-form-urlencoded.")
	}
	id := f.Get("client_id")
	if _, svc := o.oauth.clients[id]; svc {
		return oauthFail(400, "unauthorized_client", "The client is not authorized to use the provided grant type. Configured grant types: [client_credentials].")
	}
	if resp, bad := checkPublicClient(id); bad {
		return resp, nil
	}
	scopes, msg := srv.checkScopes(f.Get("scope"))
	if msg != "" {
		return oauthFail(400, "invalid_scope", msg)
	}
	aud, okAud := srv.audienceFor(f.Get("resource"))
	if !okAud {
		return oauthFail(400, "invalid_target", "The 'resource' parameter must be an absolute URI without a fragment.")
	}
	s := o.oauth
	dg := &deviceGrant{grant: grant{server: srv, clientID: id, scopes: scopes, aud: aud}, expires: now.Add(deviceLifetime), interval: s.devicePoll}
	if s.autoApprove != "" {
		u := o.signIn(r, s.autoApprove, "", false, now)
		if u != nil {
			dg.grant = o.userGrant(srv, u, scopes, aud, now)
			dg.approved = true
		}
	}
	deviceCode := randomUUID()
	s.mu.Lock()
	for k, d := range s.devices {
		if !now.Before(d.expires) {
			delete(s.userCodes, d.userCode)
			delete(s.devices, k)
		}
	}
	for {
		dg.userCode = randomUserCode()
		if _, taken := s.userCodes[dg.userCode]; !taken {
			break
		}
	}
	s.devices[deviceCode] = dg
	s.userCodes[dg.userCode] = deviceCode
	s.mu.Unlock()
	base := baseURL(r)
	b, err := json.Marshal(map[string]any{
		"device_code":               deviceCode,
		"user_code":                 dg.userCode,
		"verification_uri":          base + "/activate",
		"verification_uri_complete": base + "/activate?user_code=" + dg.userCode,
		"expires_in":                int(deviceLifetime.Seconds()),
		"interval":                  max(1, int((s.devicePoll+time.Second-1)/time.Second)),
	})
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, body: b}, nil
}

func randomUUID() string {
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	raw[6] = raw[6]&0x0f | 0x40
	raw[8] = raw[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", raw[0:4], raw[4:6], raw[6:8], raw[8:10], raw[10:16])
}

func randomUserCode() string {
	const letters = "BCDFGHJKLMNPQRSTVWXZ" // no vowels: no words
	var b [8]byte
	out := make([]byte, 8)
	for i := 0; i < len(out); {
		_, _ = rand.Read(b[:])
		for _, x := range b {
			if x < 240 && i < len(out) { // 240 = 12*20: no modulo bias
				out[i] = letters[int(x)%len(letters)]
				i++
			}
		}
	}
	return string(out)
}

// pollDevice: grant_type=urn:ietf:params:oauth:grant-type:device_code.
// authorization_pending until the user approves; slow_down (and 5 s more
// interval) when polled faster than the interval.
func (o *Org) pollDevice(r *http.Request, f url.Values, srv *authServer, now time.Time) (*response, error) {
	dc := f.Get("device_code")
	if dc == "" {
		return oauthFail(400, "invalid_request", "The 'device_code' parameter is required.")
	}
	s := o.oauth
	s.mu.Lock()
	dg := s.devices[dc]
	if dg == nil || dg.server != srv || dg.clientID != f.Get("client_id") {
		s.mu.Unlock()
		return oauthFail(400, "invalid_grant", "The device code is invalid or has expired.")
	}
	forget := func() {
		delete(s.devices, dc)
		delete(s.userCodes, dg.userCode)
	}
	switch {
	case !now.Before(dg.expires):
		forget()
		s.mu.Unlock()
		return oauthFail(400, "expired_token", "The device code has expired.")
	case dg.denied:
		forget()
		s.mu.Unlock()
		return oauthFail(400, "access_denied", "The resource owner denied the request.")
	case !dg.approved:
		last := dg.lastPoll
		dg.lastPoll = now
		if !last.IsZero() && now.Sub(last) < dg.interval {
			dg.interval += 5 * time.Second
			s.mu.Unlock()
			return oauthFail(400, "slow_down", "The client is polling too frequently: wait the interval (now increased by 5 seconds) between requests.")
		}
		s.mu.Unlock()
		return oauthFail(400, "authorization_pending", "The device authorization is pending. Please try again later.")
	}
	forget()
	g := dg.grant
	s.mu.Unlock()
	return o.issueForUser(r, &g, "", now)
}

// serveActivate: GET /activate shows the device activation page; POST
// /activate (user_code, username, password, optionally deny=1) approves or
// denies the device code for that user.
func (o *Org) serveActivate(r *http.Request, now time.Time, bucket string) (*response, rateState, error) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return nil, o.limiter.peek(bucket, now), errMethodNotAllowed()
	}
	rl, ok := o.limiter.take(bucket, now)
	if !ok {
		return nil, rl, errRateLimited()
	}
	form := func(status int, code, errMsg string) (*response, rateState, error) {
		resp, err := renderPage(status, page{Title: "Activate your device", Error: errMsg, Action: "/activate", UserCode: &hiddenField{"user_code", code}})
		return resp, rl, err
	}
	if r.Method == http.MethodGet {
		return form(http.StatusOK, r.URL.Query().Get("user_code"), "")
	}
	f, okForm := parseForm(r)
	if !okForm {
		return form(http.StatusBadRequest, "", "The form must be posted as application/x-www-form-urlencoded.")
	}
	code := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(f.Get("user_code")))
	s := o.oauth
	pending := func() *deviceGrant {
		dg := s.devices[s.userCodes[code]]
		if dg == nil || !now.Before(dg.expires) || dg.approved || dg.denied {
			return nil
		}
		return dg
	}
	s.mu.Lock()
	dg := pending()
	var want grant
	if dg != nil {
		want = dg.grant
	}
	s.mu.Unlock()
	if dg == nil {
		return form(http.StatusBadRequest, f.Get("user_code"), "The activation code is invalid or has expired.")
	}
	u := o.signIn(r, f.Get("username"), f.Get("password"), true, now)
	if u == nil {
		return form(http.StatusUnauthorized, f.Get("user_code"), "Unable to sign in: wrong username or password, or the user cannot sign in.")
	}
	g := o.userGrant(want.server, u, want.scopes, want.aud, now)
	s.mu.Lock()
	if dg = pending(); dg != nil {
		if f.Get("deny") != "" {
			dg.denied = true
		} else {
			dg.grant, dg.approved = g, true
		}
	}
	s.mu.Unlock()
	if dg == nil {
		return form(http.StatusBadRequest, f.Get("user_code"), "The activation code is invalid or has expired.")
	}
	msg := "Device activated. You can close this window and return to your device."
	if f.Get("deny") != "" {
		msg = "Device activation denied."
	}
	resp, err := renderPage(http.StatusOK, page{Title: "Activate your device", Message: msg})
	return resp, rl, err
}

// serveRevoke: POST .../v1/revoke (RFC 7009). 200 with an empty body, also
// for unknown, expired or already revoked tokens. A refresh token takes the
// access tokens minted from it along.
func (o *Org) serveRevoke(r *http.Request, srv *authServer, now time.Time) (*response, error) {
	f, ok := parseForm(r)
	if !ok {
		return oauthFail(400, "invalid_request", "The request must use Content-Type application/x-www-form-urlencoded.")
	}
	clientID := f.Get("client_id")
	if f.Get("client_assertion") != "" {
		c, resp := o.verifyAssertion(r, f, srv, now)
		if resp != nil {
			return resp, nil
		}
		clientID = c.ClientID
	} else if resp, bad := checkPublicClient(clientID); bad {
		return resp, nil
	}
	tok := f.Get("token")
	if tok == "" {
		return oauthFail(400, "invalid_request", "The 'token' parameter is required.")
	}
	s := o.oauth
	s.mu.Lock()
	defer s.mu.Unlock()
	if rg := s.refresh[tok]; rg != nil && rg.server == srv {
		if rg.clientID != clientID {
			return oauthFail(400, "invalid_client", "The token was issued to another client.")
		}
		delete(s.refresh, tok)
		for jti, exp := range rg.jtis {
			s.revoked[jti] = exp
		}
		return &response{status: http.StatusOK}, nil
	}
	key, kid, err := srv.signingKey()
	if err != nil {
		return nil, err
	}
	var c oauthClaims
	_, err = jwt.ParseWithClaims(tok, &c, func(t *jwt.Token) (any, error) {
		if k, _ := t.Header["kid"].(string); k != kid {
			return nil, fmt.Errorf("unknown kid")
		}
		return &key.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	if err == nil && c.ID != "" && c.ExpiresAt != nil {
		if c.Cid != clientID {
			return oauthFail(400, "invalid_client", "The token was issued to another client.")
		}
		for jti, exp := range s.revoked {
			if !now.Before(exp) {
				delete(s.revoked, jti)
			}
		}
		if now.Before(c.ExpiresAt.Time) {
			s.revoked[c.ID] = c.ExpiresAt.Time
		}
	}
	return &response{status: http.StatusOK}, nil
}
