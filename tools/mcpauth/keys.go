package mcpauth

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// maxDocBytes bounds the metadata and key documents read from the issuer.
const maxDocBytes = 1 << 20

// keySet holds the issuer's signing keys: found through the issuer's
// metadata (RFC 8414), fetched on first use, refetched when a token names an
// unknown key id (rotation) at most once per minInterval, and when older
// than maxAge.
type keySet struct {
	issuer      string
	client      *http.Client
	allowHTTP   bool
	minInterval time.Duration
	maxAge      time.Duration
	now         func() time.Time

	mu        sync.Mutex // held during a fetch: one fetch at a time
	jwksURI   string
	keys      map[string]*rsa.PublicKey
	fetchedAt time.Time // last successful fetch
	triedAt   time.Time // last attempt, successful or not
}

// errUnknownKey is returned when no key of the issuer has the token's kid.
var errUnknownKey = errors.New("the token is signed with a key the issuer does not publish")

// key returns the public key with id kid.
func (k *keySet) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	pub, found := k.keys[kid]
	stale := !k.fetchedAt.IsZero() && now.Sub(k.fetchedAt) > k.maxAge
	if found && !stale {
		return pub, nil
	}
	// Unknown kid (a rotation, or a forged token), stale keys or none yet:
	// refetch, but not more often than minInterval, so that tokens naming
	// random key ids cannot make us hammer the issuer.
	if k.triedAt.IsZero() || now.Sub(k.triedAt) >= k.minInterval {
		k.triedAt = now
		if err := k.refresh(ctx); err != nil {
			if found {
				return pub, nil // keep using what we had
			}
			return nil, err
		}
		k.fetchedAt = now
		if pub, found = k.keys[kid]; found {
			return pub, nil
		}
	}
	if found {
		return pub, nil
	}
	return nil, errUnknownKey
}

// refresh discovers the JWKS URI (once) and fetches the keys. Called with
// k.mu held.
func (k *keySet) refresh(ctx context.Context) error {
	if k.jwksURI == "" {
		uri, err := k.discover(ctx)
		if err != nil {
			return err
		}
		k.jwksURI = uri
	}
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	if err := k.getJSON(ctx, k.jwksURI, &doc); err != nil {
		return fmt.Errorf("fetching the issuer's keys: %w", err)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, j := range doc.Keys {
		if pub, ok := j.rsaKey(); ok {
			keys[j.Kid] = pub
		}
	}
	if len(keys) == 0 {
		return fmt.Errorf("the issuer's key set %s has no usable RS256 signing key", k.jwksURI)
	}
	k.keys = keys
	return nil
}

// discover reads the issuer's authorization server metadata: RFC 8414's
// document under the issuer's path, as Okta custom authorization servers
// serve it (<issuer>/.well-known/oauth-authorization-server), then the OpenID
// Connect one. The document's issuer must be the configured issuer.
func (k *keySet) discover(ctx context.Context) (string, error) {
	var errs []error
	for _, suffix := range []string{"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"} {
		var meta struct {
			Issuer  string `json:"issuer"`
			JWKSURI string `json:"jwks_uri"`
		}
		u := strings.TrimSuffix(k.issuer, "/") + suffix
		if err := k.getJSON(ctx, u, &meta); err != nil {
			errs = append(errs, err)
			continue
		}
		if meta.Issuer != k.issuer {
			return "", fmt.Errorf("the metadata at %s names issuer %q, not %q", u, meta.Issuer, k.issuer)
		}
		if meta.JWKSURI == "" {
			return "", fmt.Errorf("the metadata at %s has no jwks_uri", u)
		}
		if err := checkURL(meta.JWKSURI, k.allowHTTP); err != nil {
			return "", fmt.Errorf("jwks_uri: %w", err)
		}
		return meta.JWKSURI, nil
	}
	return "", fmt.Errorf("discovering the authorization server %s: %w", k.issuer, errors.Join(errs...))
}

func (k *keySet) getJSON(ctx context.Context, u string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := k.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", u, resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxDocBytes+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	if len(b) > maxDocBytes {
		return fmt.Errorf("GET %s: document larger than %d bytes", u, maxDocBytes)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("GET %s: not JSON: %w", u, err)
	}
	return nil
}

// jwk is one key of a JSON Web Key Set (RFC 7517); only RSA signing keys are
// used.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

func (j jwk) rsaKey() (*rsa.PublicKey, bool) {
	if j.Kty != "RSA" || j.Kid == "" || (j.Use != "" && j.Use != "sig") || (j.Alg != "" && j.Alg != "RS256") {
		return nil, false
	}
	n, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(j.N, "="))
	if err != nil {
		return nil, false
	}
	e, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(j.E, "="))
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, false
	}
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	if pub.N.BitLen() < 2048 || pub.E < 3 {
		return nil, false
	}
	return pub, true
}

// CheckIssuerURL reports whether raw can be an issuer: an https URL, or an
// http one on a loopback host when allowHTTP is set.
func CheckIssuerURL(raw string, allowHTTP bool) error { return checkURL(raw, allowHTTP) }

// checkURL accepts https URLs, and http URLs on a loopback host when
// allowHTTP is set (local authorization servers such as okta-mcp sandbox).
func checkURL(raw string, allowHTTP bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must not carry user info, a query or a fragment", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return nil
	case "http":
		if !allowHTTP {
			return fmt.Errorf("%q is not https (http:// is accepted only for a loopback host with --allow-http)", raw)
		}
		h := u.Hostname()
		if ip := net.ParseIP(h); h != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("%q: http:// is accepted only for a loopback host (127.0.0.1, ::1, localhost)", raw)
		}
		return nil
	default:
		return fmt.Errorf("%q is not an https URL", raw)
	}
}
