package signin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/okta-mcp/okta-mcp/okta"
)

// Token is a signed-in admin's tokens and who they are. Its secrets are
// okta.Secret values, hidden from fmt, log/slog and encoding/json.
type Token struct {
	OrgURL       string // scheme://host of the org
	ClientID     string
	AccessToken  okta.Secret
	RefreshToken okta.Secret
	Expiry       time.Time // of the access token
	Scopes       []string  // granted
	Login        string    // the admin's Okta login, when known
	UserID       string    // the admin's Okta user id, when known
	Name         string    // display name, when known
	Obtained     time.Time
}

// Expired reports whether the access token is expired or expires within
// margin.
func (t *Token) Expired(now time.Time, margin time.Duration) bool {
	return !now.Add(margin).Before(t.Expiry)
}

// Who names the admin: the login, else the user id, else "unknown user".
func (t *Token) Who() string {
	switch {
	case t.Login != "":
		return t.Login
	case t.UserID != "":
		return t.UserID
	}
	return "unknown user"
}

// fileToken is the stored form (the secrets as plain strings, in a file
// only the user can read).
type fileToken struct {
	Version      int       `json:"version"`
	OrgURL       string    `json:"org_url"`
	ClientID     string    `json:"client_id"`
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry"`
	Scopes       []string  `json:"scopes"`
	Login        string    `json:"login,omitempty"`
	UserID       string    `json:"user_id,omitempty"`
	Name         string    `json:"name,omitempty"`
	Obtained     time.Time `json:"obtained"`
}

// ErrNotSignedIn is returned by Store.Load when no sign-in is stored.
var ErrNotSignedIn = errors.New("signin: not signed in")

// Store keeps one sign-in per org and client id as a JSON file in Dir
// (mode 0600; Dir is created with mode 0700). It uses a file, not an OS
// keychain: none is reachable from Go without cgo on every platform.
type Store struct {
	Dir string
}

// DefaultDir is <os.UserConfigDir()>/okta-mcp/signin, or
// $OKTA_MCP_CONFIG_DIR/signin when that variable is set (getenv may be nil).
func DefaultDir(getenv func(string) string) (string, error) {
	if getenv != nil {
		if d := strings.TrimSpace(getenv("OKTA_MCP_CONFIG_DIR")); d != "" {
			return filepath.Join(d, "signin"), nil
		}
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("signin: no user config directory (%w); set OKTA_MCP_CONFIG_DIR", err)
	}
	return filepath.Join(d, "okta-mcp", "signin"), nil
}

// Path is the file of the sign-in for an org origin and client id: the
// org's host and a hash of both, so that one org can have several apps.
func (s *Store) Path(origin, clientID string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(origin) + "\n" + clientID))
	host := strings.ToLower(origin)
	host = host[strings.Index(host, "://")+3:]
	host = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, host)
	return filepath.Join(s.Dir, host+"-"+hex.EncodeToString(sum[:6])+".json")
}

// Load reads the stored sign-in; ErrNotSignedIn when there is none. A file
// that others can read is refused (like ssh's keys).
func (s *Store) Load(origin, clientID string) (*Token, error) {
	p := s.Path(origin, clientID)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotSignedIn
	}
	if err != nil {
		return nil, fmt.Errorf("signin: reading the stored sign-in: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("signin: the stored sign-in %s can be read by other users (mode %04o): remove it (okta-mcp logout) and sign in again", p, st.Mode().Perm())
	}
	var ft fileToken
	dec := json.NewDecoder(f)
	if err := dec.Decode(&ft); err != nil || ft.AccessToken == "" {
		return nil, fmt.Errorf("signin: the stored sign-in %s is damaged: run okta-mcp login again", p)
	}
	if !strings.EqualFold(ft.OrgURL, origin) || ft.ClientID != clientID {
		return nil, ErrNotSignedIn
	}
	return &Token{
		OrgURL: ft.OrgURL, ClientID: ft.ClientID,
		AccessToken: okta.Secret(ft.AccessToken), RefreshToken: okta.Secret(ft.RefreshToken),
		Expiry: ft.Expiry, Scopes: ft.Scopes, Login: ft.Login, UserID: ft.UserID, Name: ft.Name, Obtained: ft.Obtained,
	}, nil
}

// Save writes the sign-in atomically (a 0600 temporary file renamed over
// the old one), creating Dir with mode 0700.
func (s *Store) Save(t *Token) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("signin: creating %s: %w", s.Dir, err)
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(s.Dir, 0o700); err != nil {
			return fmt.Errorf("signin: %w", err)
		}
	}
	b, err := json.MarshalIndent(fileToken{
		Version: 1, OrgURL: t.OrgURL, ClientID: t.ClientID,
		AccessToken: string(t.AccessToken), RefreshToken: string(t.RefreshToken),
		Expiry: t.Expiry.UTC(), Scopes: t.Scopes, Login: t.Login, UserID: t.UserID, Name: t.Name, Obtained: t.Obtained.UTC(),
	}, "", "  ")
	if err != nil {
		return fmt.Errorf("signin: %w", err)
	}
	tmp, err := os.CreateTemp(s.Dir, ".signin-*") // mode 0600
	if err != nil {
		return fmt.Errorf("signin: %w", err)
	}
	name := tmp.Name()
	_, werr := tmp.Write(append(b, '\n'))
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		os.Remove(name)
		return fmt.Errorf("signin: writing the sign-in: %w", err)
	}
	if err := os.Rename(name, s.Path(t.OrgURL, t.ClientID)); err != nil {
		os.Remove(name)
		return fmt.Errorf("signin: %w", err)
	}
	return nil
}

// stamp identifies the stored file's version (modification time and
// size), so that a sign-in saved by another process is noticed.
func (s *Store) stamp(origin, clientID string) string {
	st, err := os.Stat(s.Path(origin, clientID))
	if err != nil {
		return ""
	}
	return st.ModTime().String() + "/" + fmt.Sprint(st.Size())
}

// Delete forgets the stored sign-in (no error when there is none).
func (s *Store) Delete(origin, clientID string) error {
	err := os.Remove(s.Path(origin, clientID))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("signin: %w", err)
	}
	return nil
}
