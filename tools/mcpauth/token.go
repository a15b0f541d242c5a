package mcpauth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Identity is the person (or client) an access token was issued to.
type Identity struct {
	// Subject is the token's sub claim: on Okta, the user's login (or the
	// client id for a client credentials token).
	Subject string
	// UserID is Okta's uid claim: the user's id (00u...), when present.
	UserID string
	// ClientID is the OAuth client the person used (Okta's cid claim).
	ClientID string
	// Scopes are the token's scopes (Okta's scp array or a scope string).
	Scopes []string
	// Expiry is when the token expires.
	Expiry time.Time
}

// Has reports whether the token carries scope.
func (id Identity) Has(scope string) bool { return slices.Contains(id.Scopes, scope) }

// CanManage reports whether the token allows every tool.
func (id Identity) CanManage() bool { return id.Has(ScopeManage) }

// CanRead reports whether the token allows the read-only tools (a broader
// scope includes the narrower one).
func (id Identity) CanRead() bool { return id.Has(ScopeRead) || id.Has(ScopeManage) }

// Key identifies the person for per-person limits: the user id when the
// token has one, else the subject.
func (id Identity) Key() string {
	if id.UserID != "" {
		return "uid:" + id.UserID
	}
	return "sub:" + id.Subject
}

// TokenError is why an access token was refused. Its message is safe to
// show to the client and to log: it never contains the token.
type TokenError struct{ Reason string }

func (e *TokenError) Error() string { return e.Reason }

// ErrKeysUnavailable is returned when the issuer's signing keys could not
// be fetched, so that no token can be checked.
var ErrKeysUnavailable = errors.New("the authorization server's signing keys could not be fetched")

func refused(format string, a ...any) error { return &TokenError{Reason: fmt.Sprintf(format, a...)} }

// claims are the access token claims okta-mcp reads.
type claims struct {
	jwt.RegisteredClaims
	Scp   []string `json:"scp,omitempty"`
	Scope string   `json:"scope,omitempty"`
	UID   string   `json:"uid,omitempty"`
	CID   string   `json:"cid,omitempty"`
}

// validate checks an access token: an RS256 JWT signed by one of the
// issuer's keys, with iss equal to the issuer, aud naming the audience, and
// exp (required), nbf and iat within leeway.
func (s *Server) validate(ctx context.Context, raw string) (Identity, error) {
	var c claims
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(s.cfg.Issuer),
		jwt.WithAudience(s.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(s.cfg.Leeway),
		jwt.WithTimeFunc(s.cfg.Now),
	)
	_, err := p.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		if _, ok := t.Method.(*jwt.SigningMethodRSA); !ok {
			return nil, refused("the token is not signed with RS256")
		}
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, refused("the token names no signing key (kid)")
		}
		return s.keys.key(ctx, kid)
	})
	if err != nil {
		return Identity{}, explain(err)
	}
	if c.Subject == "" {
		return Identity{}, refused("the token has no subject (sub)")
	}
	id := Identity{Subject: c.Subject, UserID: c.UID, ClientID: c.CID, Scopes: c.Scp}
	if len(id.Scopes) == 0 && c.Scope != "" {
		id.Scopes = strings.Fields(c.Scope)
	}
	if c.ExpiresAt != nil {
		id.Expiry = c.ExpiresAt.Time
	}
	return id, nil
}

// explain turns a parse error into a TokenError with a plain reason.
func explain(err error) error {
	var te *TokenError
	if errors.As(err, &te) {
		return te
	}
	switch {
	case errors.Is(err, errUnknownKey):
		return refused("%s", errUnknownKey.Error())
	case errors.Is(err, jwt.ErrTokenMalformed):
		return refused("the token is not a well-formed JWT")
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		// The key function failed otherwise: the issuer's keys could not
		// be fetched. Not the token's fault.
		return fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return refused("the token's signature is not valid (only RS256 tokens signed by the issuer are accepted)")
	case errors.Is(err, jwt.ErrTokenExpired):
		return refused("the token has expired")
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return refused("the token is not valid yet (nbf)")
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return refused("the token was issued in the future (iat)")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return refused("the token lacks a required claim (exp, iss or aud)")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return refused("the token was issued by another authorization server (iss)")
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return refused("the token was issued for another resource (aud)")
	}
	return refused("the token is not valid")
}
