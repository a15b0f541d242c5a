package tools

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/okta-mcp/okta-mcp/okta"
)

// Header names of per-request credentials on the HTTP transports.
const (
	HeaderOrgURL   = "X-Okta-Org-URL"
	HeaderAPIToken = "X-Okta-API-Token"
)

type headerCredsKey struct{}

// headerCreds are the X-Okta-* headers of one HTTP request.
type headerCreds struct {
	orgURL string
	token  string
}

func (h headerCreds) complete() bool { return h.orgURL != "" && h.token != "" }
func (h headerCreds) any() bool      { return h.orgURL != "" || h.token != "" }

// HTTPContextFunc stores the per-request Okta credentials of an HTTP request
// (headers X-Okta-Org-URL and X-Okta-API-Token) in ctx. Wire it into the SSE
// and streamable HTTP transports (server.WithSSEContextFunc,
// server.WithHTTPContextFunc).
func HTTPContextFunc(ctx context.Context, r *http.Request) context.Context {
	hc := headerCreds{
		orgURL: strings.TrimSpace(r.Header.Get(HeaderOrgURL)),
		token:  strings.TrimSpace(r.Header.Get(HeaderAPIToken)),
	}
	if !hc.any() {
		return ctx
	}
	return context.WithValue(ctx, headerCredsKey{}, hc)
}

func headerCredsFrom(ctx context.Context) headerCreds {
	hc, _ := ctx.Value(headerCredsKey{}).(headerCreds)
	return hc
}

// resolveClient picks the Okta client for this call, from the most to the
// least specific credentials: per-call apiKey/domain (per-call mode only),
// the X-Okta-* headers of the HTTP request, the server's own client. Org URLs
// are validated (okta.ParseOrgURL) before any connection; the server's own
// credentials only ever go to the server's own org.
func (c *call) resolveClient(ctx context.Context, args map[string]any) *mcp.CallToolResult {
	d := c.d
	hc := headerCredsFrom(ctx)
	apiKey, _ := args["apiKey"].(string)
	domain, _ := args["domain"].(string)
	refuse := func(reason string, msg string) *mcp.CallToolResult {
		c.outcome = reason
		return errorResult(fmt.Sprintf("%s: %s Nothing was sent to Okta.", c.tool, msg))
	}
	switch {
	case d.perCall() && (apiKey != "" || domain != ""):
		if apiKey == "" || domain == "" {
			return refuse("credentials_missing", "send both apiKey and domain, or neither to use the X-Okta-Org-URL/X-Okta-API-Token headers of this connection.")
		}
		cl, err := d.clients.get(d, domain, apiKey)
		if err != nil {
			return refuse("invalid_domain", fmt.Sprintf("domain%s is not an Okta org this server may call: %s.", echoOrg(domain, apiKey), redact(orgURLReason(err), apiKey)))
		}
		c.use(cl, "per-call "+okta.APIToken(apiKey).Describe(), credKeyOf(apiKey))
	case hc.complete():
		cl, err := d.clients.get(d, hc.orgURL, hc.token)
		if err != nil {
			return refuse("invalid_domain", fmt.Sprintf("the %s header%s is not an Okta org this server may call: %s.", HeaderOrgURL, echoOrg(hc.orgURL, hc.token), redact(orgURLReason(err), hc.token)))
		}
		c.use(cl, "header "+okta.APIToken(hc.token).Describe(), credKeyOf(hc.token))
	case hc.token != "":
		return refuse("credentials_missing", fmt.Sprintf("the %s header needs the %s header naming its org.", HeaderAPIToken, HeaderOrgURL))
	case !d.perCall():
		own := d.opts.ServerClient
		if hc.orgURL != "" {
			u, err := okta.ParseOrgURL(hc.orgURL, d.orgURLOptions())
			if err != nil {
				return refuse("invalid_domain", fmt.Sprintf("the %s header%s is not an Okta org this server may call: %s.", HeaderOrgURL, echoOrg(hc.orgURL, ""), orgURLReason(err)))
			}
			if !sameOrg(u.Scheme+"://"+u.Host, own.OrgURL().Scheme+"://"+own.OrgURL().Host) {
				return refuse("foreign_org", fmt.Sprintf("the %s header names %s, but this server's own credentials are only ever sent to its own org (%s). To act on another org, send that org's token in %s too.",
					HeaderOrgURL, u.Host, own.OrgURL().Host, HeaderAPIToken))
			}
		}
		c.use(own, "server "+own.AuthDescription(), "server")
	case hc.orgURL != "":
		return refuse("credentials_missing", fmt.Sprintf("the %s header needs the %s header (this server has no Okta credentials of its own).", HeaderOrgURL, HeaderAPIToken))
	default:
		return refuse("credentials_missing", "no Okta credentials: pass apiKey and domain.")
	}
	return nil
}

func (c *call) use(cl *okta.Client, creds, credKey string) {
	c.client = cl
	c.creds = creds
	c.credKey = credKey
	c.org = cl.OrgURL().Host
}

func sameOrg(a, b string) bool { return strings.EqualFold(a, b) }

func (d *Deps) orgURLOptions() okta.OrgURLOptions {
	return okta.OrgURLOptions{AllowHTTP: d.opts.ClientConfig.AllowHTTP, CustomDomains: d.opts.ClientConfig.CustomDomains}
}

// orgURLReason is the reason an org URL was refused, without the "okta:"
// prefix.
func orgURLReason(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "okta: ")
	s = strings.TrimPrefix(s, "org URL rejected: ")
	return strings.TrimSuffix(s, ".")
}

// plainOrg is an org URL or host without anything that could carry a
// credential: an optional http(s) scheme, a host name, an optional port and
// slash.
var plainOrg = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?i:https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?/?$`)
}) // compiled on first use, not at start-up

// echoOrg quotes a refused org URL for the message (with a leading space)
// only when it is a plain host name that does not contain the call's token;
// otherwise it returns "": the value may hold credentials pasted by mistake
// (https://TOKEN@host, ?token=..., the token itself).
func echoOrg(raw, token string) string {
	if len(raw) > 100 || !plainOrg().MatchString(raw) || redact(raw, token) != raw {
		return ""
	}
	return fmt.Sprintf(" %q", raw)
}

// redact removes every occurrence of secret from s, ignoring ASCII case
// (error reasons may echo a lower-cased host).
func redact(s, secret string) string {
	if len(secret) < 8 {
		return s
	}
	lower, ls := asciiLower(s), asciiLower(secret) // same lengths as s and secret
	var b strings.Builder
	for {
		i := strings.Index(lower, ls)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString("[redacted]")
		s, lower = s[i+len(ls):], lower[i+len(ls):]
	}
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func shorten(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}

// clientCache keeps per-call and per-header clients, so that one org+token
// shares connection pools and rate-limit state across calls. It is bounded
// (least recently used entries are dropped) and keyed by the org and a hash
// of the token, never by the token itself.
type clientCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cacheEntry, most recent first
	byKey map[string]*list.Element
}

type cacheEntry struct {
	key    string
	client *okta.Client
}

func newClientCache(max int) *clientCache {
	return &clientCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

func (cc *clientCache) get(d *Deps, orgURL, token string) (*okta.Client, error) {
	u, err := okta.ParseOrgURL(orgURL, d.orgURLOptions())
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, errors.New("empty API token")
	}
	sum := sha256.Sum256([]byte(token))
	key := strings.ToLower(u.Scheme+"://"+u.Host) + " " + hex.EncodeToString(sum[:])
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if el, ok := cc.byKey[key]; ok {
		cc.order.MoveToFront(el)
		return el.Value.(*cacheEntry).client, nil
	}
	cfg := d.opts.ClientConfig
	cfg.OrgURL = u.String()
	cfg.Auth = okta.APIToken(token)
	cfg.Logger = d.clientLogger()
	cl, err := okta.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	cc.byKey[key] = cc.order.PushFront(&cacheEntry{key: key, client: cl})
	for cc.order.Len() > cc.max {
		last := cc.order.Back()
		cc.order.Remove(last)
		delete(cc.byKey, last.Value.(*cacheEntry).key)
	}
	return cl, nil
}

func (cc *clientCache) len() int {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	return cc.order.Len()
}

// clientLogger is the logger of per-call and per-header clients: the
// configured one (or the server's), and the MCP client of each call.
func (d *Deps) clientLogger() *slog.Logger {
	base := d.opts.ClientConfig.Logger
	if base == nil {
		base = d.logger
	}
	return slog.New(NewLogHandler(base.Handler()))
}

// credKeyOf identifies a token without revealing it.
func credKeyOf(token string) string {
	sum := sha256.Sum256([]byte("okta-mcp-cred\x00" + token))
	return hex.EncodeToString(sum[:])
}
