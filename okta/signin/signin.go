// Package signin signs an Okta admin in to their org with OAuth 2.0 for Okta
// APIs ("Implement OAuth for Okta": an OIDC native app with the Okta API
// scopes granted, the org authorization server /oauth2/v1/...), keeps the
// tokens in a per-user store, refreshes them silently and authenticates
// okta.Client requests with them (Authorization: Bearer).
//
// Two grants sign in: the authorization code grant with PKCE (S256) and a
// loopback redirect on 127.0.0.1 (RFC 8252), and the device authorization
// grant (RFC 8628) for machines without a browser. Tokens never appear in
// errors, logs or fmt output.
package signin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/okta-mcp/okta-mcp/okta"
)

// DefaultLoopbackPort is the port of the loopback redirect URI
// http://127.0.0.1:8250/callback. Okta matches redirect URIs exactly
// (port included), so register that URI in the app, or choose another
// port with LoginOptions.Port and register that one.
const DefaultLoopbackPort = 8250

// CallbackPath is the path of the loopback redirect URI.
const CallbackPath = "/callback"

// OIDCScopes are requested with the Okta API scopes: openid and profile
// name the admin (whoami), offline_access brings the refresh token.
var OIDCScopes = []string{"openid", "profile", "offline_access"}

// Config names the org and the OIDC native app.
type Config struct {
	// OrgURL is the org, validated by okta.ParseOrgURL (with AllowHTTP and
	// CustomDomains).
	OrgURL        string
	AllowHTTP     bool
	CustomDomains []string
	// ClientID is the native app's client id (public client, no secret).
	ClientID string
	// Scopes are the Okta API scopes to request (OIDCScopes are added).
	Scopes []string
	// HTTPClient sends the token requests; default a client with a 30 s
	// timeout. Redirects are never followed.
	HTTPClient *http.Client
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Client runs the sign-in grants against one org and app.
type Client struct {
	org      *url.URL
	origin   string
	clientID string
	scopes   []string
	hc       *http.Client
	now      func() time.Time
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	u, err := okta.ParseOrgURL(cfg.OrgURL, okta.OrgURLOptions{AllowHTTP: cfg.AllowHTTP, CustomDomains: cfg.CustomDomains})
	if err != nil {
		return nil, err
	}
	id := strings.TrimSpace(cfg.ClientID)
	if id == "" || len(id) > 256 || strings.ContainsAny(id, " \t\r\n\"\\") {
		return nil, errors.New("signin: the client id is empty or contains characters a client id cannot have")
	}
	var scopes []string
	for _, s := range cfg.Scopes {
		scopes = append(scopes, strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })...)
	}
	for _, s := range OIDCScopes {
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		hc = &c
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Client{org: u, origin: u.Scheme + "://" + u.Host, clientID: id, scopes: scopes, hc: hc, now: now}, nil
}

// Origin is the org's scheme://host.
func (c *Client) Origin() string { return c.origin }

// ClientID is the app's client id.
func (c *Client) ClientID() string { return c.clientID }

// Scopes are the scopes a sign-in requests.
func (c *Client) Scopes() []string { return slices.Clone(c.scopes) }

func (c *Client) endpoint(name string) string { return c.origin + "/oauth2/v1/" + name }

// Error is an error answer of the org's authorization server.
type Error struct {
	StatusCode  int
	Code        string // "error", e.g. invalid_grant
	Description string // "error_description"
}

func (e *Error) Error() string {
	s := fmt.Sprintf("signin: the authorization server answered %d %s", e.StatusCode, e.Code)
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// tokenAnswer is the token endpoint's JSON.
type tokenAnswer struct {
	TokenType        string          `json:"token_type"`
	ExpiresIn        json.RawMessage `json:"expires_in"`
	AccessToken      string          `json:"access_token"`
	RefreshToken     string          `json:"refresh_token"`
	IDToken          string          `json:"id_token"`
	Scope            string          `json:"scope"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
}

// post sends a form to an endpoint and decodes the JSON answer into out.
// Non-2xx answers with an OAuth error body become *Error.
func (c *Client) post(ctx context.Context, name string, form url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(name), strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("signin: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "okta-mcp/"+okta.Version)
	resp, err := c.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("signin: the request to %s failed: %w", "/oauth2/v1/"+name, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("signin: reading the answer of /oauth2/v1/%s: %w", name, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error            string `json:"error"`
			ErrorDescription string `json:"error_description"`
		}
		_ = json.Unmarshal(data, &e)
		oe := &Error{StatusCode: resp.StatusCode, Code: okta.OneLine(e.Error, 64), Description: okta.OneLine(e.ErrorDescription, 512)}
		if oe.Code == "" {
			oe.Description = http.StatusText(resp.StatusCode)
		}
		return oe
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("signin: the answer of /oauth2/v1/%s is not JSON", name)
	}
	return nil
}

// token runs a token request and builds the Token.
func (c *Client) token(ctx context.Context, form url.Values, prev *Token) (*Token, error) {
	form.Set("client_id", c.clientID)
	var ta tokenAnswer
	now := c.now()
	if err := c.post(ctx, "token", form, &ta); err != nil {
		return nil, err
	}
	if !strings.EqualFold(ta.TokenType, "Bearer") {
		return nil, fmt.Errorf("signin: unsupported token_type %q (want Bearer; DPoP-bound apps are not supported)", okta.OneLine(ta.TokenType, 32))
	}
	if ta.AccessToken == "" || strings.ContainsAny(ta.AccessToken, " \t\r\n") {
		return nil, errors.New("signin: the token answer has no usable access_token")
	}
	secs, _ := strconv.ParseInt(strings.Trim(string(ta.ExpiresIn), `" `), 10, 64)
	if secs <= 0 {
		secs = 300
	}
	t := &Token{
		OrgURL:       c.origin,
		ClientID:     c.clientID,
		AccessToken:  okta.Secret(ta.AccessToken),
		RefreshToken: okta.Secret(ta.RefreshToken),
		Expiry:       now.Add(time.Duration(min(secs, 24*3600)) * time.Second),
		Scopes:       strings.Fields(ta.Scope),
		Obtained:     now,
	}
	if prev != nil {
		t.Login, t.UserID, t.Name = prev.Login, prev.UserID, prev.Name
		if t.RefreshToken == "" {
			t.RefreshToken = prev.RefreshToken // persistent refresh token not repeated
		}
		if len(t.Scopes) == 0 {
			t.Scopes = prev.Scopes
		}
	}
	t.identify(ta.AccessToken, ta.IDToken)
	return t, nil
}

// identify reads who signed in from the tokens just received from the
// token endpoint over TLS (for display only; Okta does not promise the
// access token's content, so nothing is decided on it).
func (t *Token) identify(access, id string) {
	p := jwt.NewParser()
	var ac struct {
		Sub string   `json:"sub"`
		UID string   `json:"uid"`
		Scp []string `json:"scp"`
		jwt.RegisteredClaims
	}
	if _, _, err := p.ParseUnverified(access, &ac); err == nil {
		if ac.UID != "" {
			t.UserID = ac.UID
		}
		if ac.Sub != "" && ac.UID != "" {
			t.Login = ac.Sub
		}
	}
	var ic struct {
		Sub               string `json:"sub"`
		Name              string `json:"name"`
		PreferredUsername string `json:"preferred_username"`
		jwt.RegisteredClaims
	}
	if id != "" {
		if _, _, err := p.ParseUnverified(id, &ic); err == nil {
			if ic.PreferredUsername != "" {
				t.Login = ic.PreferredUsername
			}
			if ic.Name != "" {
				t.Name = ic.Name
			}
			if t.UserID == "" {
				t.UserID = ic.Sub
			}
		}
	}
}

// LoginOptions drive an authorization code sign-in.
type LoginOptions struct {
	// Port of the loopback redirect URI http://127.0.0.1:<Port>/callback;
	// 0 means DefaultLoopbackPort.
	Port int
	// Open shows the authorization URL to the human (opens a browser). When
	// it fails or is nil, the URL is only printed.
	Open func(authURL string) error
	// Out receives the instructions (the URL to visit). Never a token.
	Out io.Writer
}

// LoginBrowser signs in with the authorization code grant and PKCE: it
// listens on the loopback redirect URI, sends the human to /authorize, and
// exchanges the code it receives (checking state) for tokens.
func (c *Client) LoginBrowser(ctx context.Context, o LoginOptions) (*Token, error) {
	port := o.Port
	if port == 0 {
		port = DefaultLoopbackPort
	}
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("signin: port %d is not a TCP port", port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("signin: cannot listen on the loopback redirect port %d (%w); choose another with --port and register http://127.0.0.1:<port>%s in the Okta app", port, err, CallbackPath)
	}
	defer ln.Close()
	redirectURI := "http://" + ln.Addr().String() + CallbackPath
	verifier := randomString(48) // 64 characters
	sum := sha256.Sum256([]byte(verifier))
	state := randomString(24)
	q := url.Values{
		"client_id":             {c.clientID},
		"response_type":         {"code"},
		"scope":                 {strings.Join(c.scopes, " ")},
		"redirect_uri":          {redirectURI},
		"state":                 {state},
		"code_challenge":        {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"},
	}
	authURL := c.endpoint("authorize") + "?" + q.Encode()

	type result struct {
		code string
		err  error
	}
	done := make(chan result, 1)
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, func(w http.ResponseWriter, r *http.Request) {
		rq := r.URL.Query()
		if subtle.ConstantTimeCompare([]byte(rq.Get("state")), []byte(state)) != 1 {
			http.Error(w, "This sign-in response does not belong to the sign-in in progress (state mismatch). Start again with okta-mcp login.", http.StatusBadRequest)
			return
		}
		var res result
		switch {
		case rq.Get("error") != "":
			res.err = &Error{StatusCode: http.StatusBadRequest, Code: okta.OneLine(rq.Get("error"), 64), Description: okta.OneLine(rq.Get("error_description"), 512)}
		case rq.Get("code") == "":
			res.err = errors.New("signin: the redirect carried neither a code nor an error")
		default:
			res.code = rq.Get("code")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if res.err != nil {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "<!DOCTYPE html><title>okta-mcp</title><p>Sign-in failed: %s</p>", html.EscapeString(res.err.Error()))
		} else {
			fmt.Fprint(w, "<!DOCTYPE html><title>okta-mcp</title><p>Signed in. You can close this window and return to the terminal.</p>")
		}
		select {
		case done <- res:
		default:
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	if o.Out != nil {
		fmt.Fprintf(o.Out, "Sign in to %s in your browser. If it does not open, visit:\n\n  %s\n\n", c.origin, authURL)
	}
	if o.Open != nil {
		if err := o.Open(authURL); err != nil && o.Out != nil {
			fmt.Fprintf(o.Out, "(could not open a browser: %v; open the URL above yourself)\n", err)
		}
	}
	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		return nil, fmt.Errorf("signin: waiting for the browser sign-in: %w", ctx.Err())
	}
	if res.err != nil {
		return nil, res.err
	}
	return c.token(ctx, url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {res.code},
		"redirect_uri":  {redirectURI},
		"code_verifier": {verifier},
	}, nil)
}

// DeviceOptions drive a device sign-in.
type DeviceOptions struct {
	// Out receives the instructions (URL and code). Never a token.
	Out io.Writer
	// Sleep waits between polls; default a timer that honours ctx.
	Sleep func(ctx context.Context, d time.Duration) error
}

// LoginDevice signs in with the device authorization grant: it asks for a
// code, tells the human where to enter it, and polls the token endpoint at
// the interval the server asked for (5 s more after each slow_down).
func (c *Client) LoginDevice(ctx context.Context, o DeviceOptions) (*Token, error) {
	var d struct {
		DeviceCode              string          `json:"device_code"`
		UserCode                string          `json:"user_code"`
		VerificationURI         string          `json:"verification_uri"`
		VerificationURIComplete string          `json:"verification_uri_complete"`
		ExpiresIn               json.RawMessage `json:"expires_in"`
		Interval                json.RawMessage `json:"interval"`
	}
	if err := c.post(ctx, "device/authorize", url.Values{"client_id": {c.clientID}, "scope": {strings.Join(c.scopes, " ")}}, &d); err != nil {
		return nil, err
	}
	if d.DeviceCode == "" || d.UserCode == "" || d.VerificationURI == "" {
		return nil, errors.New("signin: the device authorization answer lacks device_code, user_code or verification_uri")
	}
	interval := time.Duration(parseSeconds(d.Interval, 5)) * time.Second
	deadline := c.now().Add(time.Duration(parseSeconds(d.ExpiresIn, 600)) * time.Second)
	if o.Out != nil {
		fmt.Fprintf(o.Out, "To sign in to %s, visit:\n\n  %s\n\nand enter the code %s", c.origin, okta.OneLine(d.VerificationURI, 512), okta.OneLine(d.UserCode, 64))
		if d.VerificationURIComplete != "" {
			fmt.Fprintf(o.Out, " (or open %s)", okta.OneLine(d.VerificationURIComplete, 600))
		}
		fmt.Fprint(o.Out, ".\nWaiting for you to approve...\n")
	}
	sleep := o.Sleep
	if sleep == nil {
		sleep = okta.Sleep
	}
	form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "device_code": {d.DeviceCode}}
	for {
		t, err := c.token(ctx, cloneValues(form), nil)
		if err == nil {
			return t, nil
		}
		var oe *Error
		if !errors.As(err, &oe) {
			return nil, err
		}
		switch oe.Code {
		case "authorization_pending":
		case "slow_down":
			interval += 5 * time.Second
		case "expired_token":
			return nil, errors.New("signin: the device code expired before it was approved; run okta-mcp login --device again")
		case "access_denied":
			return nil, errors.New("signin: the sign-in was denied")
		default:
			return nil, err
		}
		if !c.now().Add(interval).Before(deadline) {
			return nil, errors.New("signin: the device code expired before it was approved; run okta-mcp login --device again")
		}
		if err := sleep(ctx, interval); err != nil {
			return nil, fmt.Errorf("signin: waiting for the device approval: %w", err)
		}
	}
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func parseSeconds(raw json.RawMessage, def int64) int64 {
	n, err := strconv.ParseInt(strings.Trim(string(raw), `" `), 10, 64)
	if err != nil || n <= 0 {
		return def
	}
	return min(n, 3600)
}

// Refresh gets a new access token with the refresh token.
func (c *Client) Refresh(ctx context.Context, t *Token) (*Token, error) {
	if t.RefreshToken == "" {
		return nil, errors.New("signin: no refresh token (offline_access was not granted)")
	}
	return c.token(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {string(t.RefreshToken)}}, t)
}

// Revoke revokes the token's access and refresh tokens at the org.
func (c *Client) Revoke(ctx context.Context, t *Token) error {
	var errs []error
	if t.AccessToken != "" {
		errs = append(errs, c.post(ctx, "revoke", url.Values{"client_id": {c.clientID}, "token": {string(t.AccessToken)}, "token_type_hint": {"access_token"}}, nil))
	}
	if t.RefreshToken != "" {
		errs = append(errs, c.post(ctx, "revoke", url.Values{"client_id": {c.clientID}, "token": {string(t.RefreshToken)}, "token_type_hint": {"refresh_token"}}, nil))
	}
	return errors.Join(errs...)
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
