package signin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/okta-mcp/okta-mcp/okta"
)

// refreshMargin: the access token is refreshed this long before it expires.
const refreshMargin = 2 * time.Minute

// Authenticator authenticates okta.Client requests as the signed-in admin
// (Authorization: Bearer <access token>). It reads the sign-in from the
// Store when needed (so a login in another terminal is picked up), refreshes
// the access token silently with the refresh token and saves the result.
// When nobody is signed in, or the refresh token is refused, Authorize fails
// with an error matching okta.ErrSignInRequired. The token is only ever sent
// to the org it was issued by. It is safe for concurrent use.
type Authenticator struct {
	c      *Client
	store  *Store
	logger *slog.Logger

	mu      sync.Mutex // held during refreshes: one at a time
	tok     *Token
	refused okta.Secret // the access token Okta answered 401 to
	stamp   string      // the store file's version when tok was loaded or saved
}

// NewAuthenticator returns an Authenticator for c's org and app.
func NewAuthenticator(c *Client, store *Store, logger *slog.Logger) *Authenticator {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Authenticator{c: c, store: store, logger: logger}
}

// SignInRequiredError says why a sign-in is needed.
type SignInRequiredError struct {
	OrgURL string
	Reason string
}

func (e *SignInRequiredError) Error() string {
	return fmt.Sprintf("nobody is signed in to %s (%s): a human must run `okta-mcp login`", e.OrgURL, e.Reason)
}

// Is makes the error match okta.ErrSignInRequired.
func (e *SignInRequiredError) Is(target error) bool { return target == okta.ErrSignInRequired }

// Describe implements okta.Authenticator: "user:<login>" (a login is not a
// secret), or "user" before the first sign-in is known.
func (a *Authenticator) Describe() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tok == nil {
		if t, err := a.store.Load(a.c.origin, a.c.clientID); err == nil {
			a.tok = t
		}
	}
	if a.tok != nil && a.tok.Login != "" {
		return "user:" + a.tok.Login
	}
	return "user"
}

// Authorize implements okta.Authenticator.
func (a *Authenticator) Authorize(ctx context.Context, req *http.Request) error {
	if origin := req.URL.Scheme + "://" + req.URL.Host; !strings.EqualFold(origin, a.c.origin) {
		return fmt.Errorf("signin: refusing to send %s's token to %s", a.c.origin, origin)
	}
	tok, err := a.current(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+string(tok))
	return nil
}

// Token returns a usable sign-in, refreshing it first when it is about to
// expire.
func (a *Authenticator) Token(ctx context.Context) (*Token, error) {
	if _, err := a.current(ctx); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	t := *a.tok
	return &t, nil
}

func (a *Authenticator) current(ctx context.Context) (okta.Secret, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.c.now()
	// Another process (okta-mcp login, or a sibling server) may have
	// stored a newer sign-in: one stat per request notices it.
	stamp := a.store.stamp(a.c.origin, a.c.clientID)
	if a.tok == nil || a.tok.Expired(now, refreshMargin) || stamp != a.stamp {
		a.stamp = stamp
		t, err := a.store.Load(a.c.origin, a.c.clientID)
		switch {
		case errors.Is(err, ErrNotSignedIn):
			a.tok = nil
			return "", &SignInRequiredError{OrgURL: a.c.origin, Reason: "no stored sign-in"}
		case err != nil:
			return "", &SignInRequiredError{OrgURL: a.c.origin, Reason: strings.TrimPrefix(err.Error(), "signin: ")}
		}
		if t.AccessToken == a.refused {
			t.Expiry = time.Time{}
		}
		a.tok = t
	}
	if !a.tok.Expired(now, refreshMargin) {
		return a.tok.AccessToken, nil
	}
	if a.tok.RefreshToken == "" {
		return "", &SignInRequiredError{OrgURL: a.c.origin, Reason: "the sign-in expired and there is no refresh token"}
	}
	nt, err := a.c.Refresh(ctx, a.tok)
	if err != nil {
		var oe *Error
		if errors.As(err, &oe) && (oe.Code == "invalid_grant" || oe.Code == "invalid_client" || oe.Code == "invalid_scope") {
			a.logger.LogAttrs(ctx, slog.LevelWarn, "okta sign-in refresh refused", slog.String("org", a.c.origin), slog.String("error", oe.Code))
			return "", &SignInRequiredError{OrgURL: a.c.origin, Reason: "the sign-in expired or was revoked (" + oe.Code + ")"}
		}
		return "", err
	}
	a.tok = nt
	if err := a.store.Save(nt); err != nil {
		a.logger.LogAttrs(ctx, slog.LevelWarn, "okta sign-in refreshed but not saved", slog.String("error", err.Error()))
	}
	a.stamp = a.store.stamp(a.c.origin, a.c.clientID)
	a.logger.LogAttrs(ctx, slog.LevelInfo, "okta sign-in refreshed", slog.String("org", a.c.origin),
		slog.String("user", nt.Who()), slog.Time("expires", nt.Expiry))
	return nt.AccessToken, nil
}

// Invalidate implements okta.Invalidator: after a 401 the access token that
// request carried is treated as expired, so the next Authorize refreshes.
func (a *Authenticator) Invalidate(req *http.Request) {
	sent, _ := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tok != nil && string(a.tok.AccessToken) == sent {
		a.tok.Expiry = time.Time{}
		a.refused = a.tok.AccessToken
	}
}

// String describes the authenticator without any token.
func (a *Authenticator) String() string { return "signin.Authenticator(" + a.c.origin + ")" }
