package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/okta-mcp/okta-mcp/okta/signin"
)

// newUserAuthenticator is the server's authenticator when it acts as the
// admin signed in with `okta-mcp login` (OKTA_CLIENT_ID without a key), and
// the interactive sign-in that tools may offer through URL-mode
// elicitation (its loopback redirect port: OKTA_MCP_LOGIN_PORT).
func newUserAuthenticator(creds *serverCredentials, allowHTTP bool, customDomains []string, getenv func(string) string, logger *slog.Logger) (*signin.Authenticator, *signin.Interactive, error) {
	c, store, err := signInClient(creds, allowHTTP, customDomains, getenv)
	if err != nil {
		return nil, nil, err
	}
	port := signin.DefaultLoopbackPort
	if v := strings.TrimSpace(getenv("OKTA_MCP_LOGIN_PORT")); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return nil, nil, fmt.Errorf("OKTA_MCP_LOGIN_PORT %q: want a TCP port (1-65535)", v)
		}
		port = p
	}
	a := signin.NewAuthenticator(c, store, logger)
	if _, err := store.Load(c.Origin(), c.ClientID()); err != nil {
		logger.Warn("nobody is signed in to the org yet: tools will ask for `okta-mcp login` until someone does",
			"org", c.Origin(), "client_id", c.ClientID(), "reason", strings.TrimPrefix(err.Error(), "signin: "))
	}
	return a, &signin.Interactive{C: c, Store: store, Port: port}, nil
}

func signInClient(creds *serverCredentials, allowHTTP bool, customDomains []string, getenv func(string) string) (*signin.Client, *signin.Store, error) {
	c, err := signin.New(signin.Config{
		OrgURL: creds.orgURL, AllowHTTP: allowHTTP, CustomDomains: customDomains,
		ClientID: creds.signIn.clientID, Scopes: creds.signIn.scopes,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("OKTA_ORG_URL / OKTA_CLIENT_ID: %w", err)
	}
	dir, err := signin.DefaultDir(getenv)
	if err != nil {
		return nil, nil, err
	}
	return c, &signin.Store{Dir: dir}, nil
}

// openBrowser opens a URL in the user's browser; tests replace it.
var openBrowser = func(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", u)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	default:
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return errors.New("no graphical session")
		}
		cmd = exec.Command("xdg-open", u)
	}
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

const loginUsage = `Usage: okta-mcp login [flags]

Signs you in to your Okta org with OAuth 2.0 for Okta APIs, so that okta-mcp
acts with your own identity and admin rights instead of an API token. Needs
OKTA_ORG_URL and OKTA_CLIENT_ID: the client id of an OIDC native app with the
Authorization Code (and Refresh Token, and for --device Device Authorization)
grants, the Okta API scopes granted, and the sign-in redirect URI
http://127.0.0.1:8250/callback (or the --port you choose). OKTA_SCOPES picks
the scopes (default: read and manage users and groups; read only with
--read-only). The tokens are stored in your config directory (mode 0600) and
refreshed silently; okta-mcp logout revokes and forgets them.

Flags:
`

// signInCommand holds what login, logout and whoami share.
type signInCommand struct {
	name          string
	fs            *flagSet
	readOnly      bool
	allowHTTP     bool
	customDomains string
}

// helpOut receives --help (stdout: asked-for output); errors are returned.
func newSignInCommand(name, usage string, helpOut io.Writer) *signInCommand {
	sc := &signInCommand{name: name, fs: newFlagSet("okta-mcp "+name, helpOut)}
	sc.fs.BoolVar(&sc.allowHTTP, "allow-http", false, "accept an http:// OKTA_ORG_URL on a loopback address (the sandbox)")
	sc.fs.StringVar(&sc.customDomains, "custom-domains", "", "comma `list` of extra hosts accepted as org domains (Okta custom URL domains)")
	sc.fs.bindEnv("allow-http", "OKTA_MCP_ALLOW_HTTP")
	sc.fs.bindEnv("custom-domains", "OKTA_MCP_CUSTOM_DOMAINS")
	sc.fs.Usage = sc.fs.usage(usage)
	return sc
}

// client reads the sign-in configuration from the environment.
func (sc *signInCommand) client(getenv func(string) string) (*signin.Client, *signin.Store, error) {
	creds, err := loadServerCredentials(getenv, sc.readOnly)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case creds == nil:
		return nil, nil, errors.New("set OKTA_ORG_URL (your org, e.g. https://dev-123456.okta.com) and OKTA_CLIENT_ID (the client id of the OIDC native app you sign in with)")
	case creds.signIn == nil:
		return nil, nil, errors.New("the environment configures an API token or a service app (OKTA_API_TOKEN or OKTA_PRIVATE_KEY): those are not signed in; unset them and set OKTA_CLIENT_ID to the OIDC native app you sign in with")
	}
	return signInClient(creds, sc.allowHTTP, splitList(sc.customDomains), getenv)
}

// open parses the command's flags, runs check (when given) on them, and
// builds the sign-in client and store. When ok is false the command ends
// with code: 0 after --help, 2 after an error it has reported on stderr.
func (sc *signInCommand) open(args []string, getenv func(string) string, stderr io.Writer, check func() error) (c *signin.Client, store *signin.Store, code int, ok bool) {
	err := sc.fs.parse(args, getenv)
	if errors.Is(err, flag.ErrHelp) {
		return nil, nil, 0, false
	}
	if err == nil && check != nil {
		err = check()
	}
	if err == nil {
		c, store, err = sc.client(getenv)
	}
	if err != nil {
		fmt.Fprintf(stderr, "okta-mcp %s: %v\n", sc.name, err)
		return nil, nil, 2, false
	}
	return c, store, 0, true
}

// runLogin is `okta-mcp login [--device]`.
func runLogin(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	sc := newSignInCommand("login", loginUsage, stdout)
	var (
		device, noBrowser bool
		port              int
		timeout           time.Duration
	)
	sc.fs.BoolVar(&device, "device", false, "use the device authorization grant (enter a code on another device) instead of a browser on this machine")
	sc.fs.IntVar(&port, "port", signin.DefaultLoopbackPort, "loopback `port` of the redirect URI http://127.0.0.1:<port>/callback (must be registered in the app: Okta matches it exactly)")
	sc.fs.BoolVar(&noBrowser, "no-browser", false, "print the sign-in URL instead of opening a browser")
	sc.fs.BoolVar(&sc.readOnly, "read-only", false, "request read scopes only (okta.users.read okta.groups.read) when OKTA_SCOPES is not set")
	sc.fs.DurationVar(&timeout, "timeout", 5*time.Minute, "how long to wait for you to sign in")
	sc.fs.bindEnv("port", "OKTA_MCP_LOGIN_PORT")
	sc.fs.bindEnv("read-only", "OKTA_MCP_READ_ONLY")
	c, store, code, ok := sc.open(args, getenv, stderr, func() error {
		if port < 1 || port > 65535 {
			return fmt.Errorf("%s %d: want a TCP port (1-65535)", sc.fs.source("port"), port)
		}
		if timeout <= 0 {
			return errors.New("--timeout must be positive")
		}
		return nil
	})
	if !ok {
		return code
	}
	ctx, cancel := signalContext(context.Background())
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	defer cancelT()
	var (
		tok *signin.Token
		err error
	)
	if device {
		tok, err = c.LoginDevice(ctx, signin.DeviceOptions{Out: stderr})
	} else {
		open := openBrowser
		if noBrowser {
			open = nil
		}
		tok, err = c.LoginBrowser(ctx, signin.LoginOptions{Port: port, Open: open, Out: stderr})
	}
	if err == nil {
		err = store.Save(tok)
	}
	if err != nil {
		fmt.Fprintf(stderr, "okta-mcp login: %v\n", strings.TrimPrefix(err.Error(), "signin: "))
		return 1
	}
	fmt.Fprintf(stdout, "Signed in to %s as %s.\n", tok.OrgURL, describeUser(tok))
	fmt.Fprintf(stdout, "Scopes: %s\n", strings.Join(tok.Scopes, " "))
	if tok.RefreshToken == "" {
		fmt.Fprintf(stdout, "Access until %s; no refresh token was granted (offline_access), so sign in again then.\n", tok.Expiry.UTC().Format(time.RFC3339))
	}
	return 0
}

func describeUser(t *signin.Token) string {
	s := t.Who()
	var extra []string
	if t.Name != "" {
		extra = append(extra, t.Name)
	}
	if t.UserID != "" && t.UserID != s {
		extra = append(extra, t.UserID)
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}

// runLogout is `okta-mcp logout`: revoke the stored tokens at the org, then
// forget them. The local copy is forgotten even when revocation fails.
func runLogout(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	sc := newSignInCommand("logout", "Usage: okta-mcp logout [flags]\n\nRevokes the stored sign-in at the org and forgets it.\n\nFlags:\n", stdout)
	c, store, code, ok := sc.open(args, getenv, stderr, nil)
	if !ok {
		return code
	}
	tok, err := store.Load(c.Origin(), c.ClientID())
	if errors.Is(err, signin.ErrNotSignedIn) {
		fmt.Fprintf(stdout, "Not signed in to %s.\n", c.Origin())
		return 0
	}
	code = 0
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if rerr := c.Revoke(ctx, tok); rerr != nil {
			fmt.Fprintf(stderr, "okta-mcp logout: revoking the tokens failed (%v); they stay valid until they expire\n", strings.TrimPrefix(rerr.Error(), "signin: "))
			code = 1
		}
	} else {
		fmt.Fprintf(stderr, "okta-mcp logout: %v; forgetting it without revoking\n", strings.TrimPrefix(err.Error(), "signin: "))
	}
	if err := store.Delete(c.Origin(), c.ClientID()); err != nil {
		fmt.Fprintf(stderr, "okta-mcp logout: %v\n", err)
		return 1
	}
	if code == 0 {
		fmt.Fprintf(stdout, "Signed out of %s: the tokens are revoked and forgotten.\n", c.Origin())
	} else {
		fmt.Fprintf(stdout, "Signed out of %s locally: the tokens are forgotten.\n", c.Origin())
	}
	return code
}

// runWhoami is `okta-mcp whoami`: who is signed in, to which org, with
// which scopes, until when. It reads the store only.
func runWhoami(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	sc := newSignInCommand("whoami", "Usage: okta-mcp whoami [flags]\n\nSays who is signed in (okta-mcp login), to which org, with which scopes, until when.\n\nFlags:\n", stdout)
	c, store, code, ok := sc.open(args, getenv, stderr, nil)
	if !ok {
		return code
	}
	tok, err := store.Load(c.Origin(), c.ClientID())
	if errors.Is(err, signin.ErrNotSignedIn) {
		fmt.Fprintf(stderr, "Not signed in to %s with client %s: run okta-mcp login.\n", c.Origin(), c.ClientID())
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "okta-mcp whoami: %v\n", strings.TrimPrefix(err.Error(), "signin: "))
		return 1
	}
	now := time.Now()
	fmt.Fprintf(stdout, "Signed in as: %s\n", describeUser(tok))
	fmt.Fprintf(stdout, "Org:          %s\n", tok.OrgURL)
	fmt.Fprintf(stdout, "Client:       %s\n", tok.ClientID)
	fmt.Fprintf(stdout, "Scopes:       %s\n", strings.Join(tok.Scopes, " "))
	state := "valid for " + tok.Expiry.Sub(now).Round(time.Second).String()
	if tok.Expired(now, 0) {
		state = "expired"
	}
	fmt.Fprintf(stdout, "Access token: until %s (%s)\n", tok.Expiry.UTC().Format(time.RFC3339), state)
	if tok.RefreshToken != "" {
		fmt.Fprintln(stdout, "Refresh:      yes, renewed automatically when needed")
	} else {
		fmt.Fprintln(stdout, "Refresh:      no refresh token: run okta-mcp login again when the access token expires")
	}
	fmt.Fprintf(stdout, "Stored in:    %s\n", store.Path(c.Origin(), c.ClientID()))
	return 0
}
