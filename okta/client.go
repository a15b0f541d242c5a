// Package okta is a thin client for the Okta Management API (users and
// groups): one Client per org, one method per API operation, typed errors,
// pagination cursors, rate-limit handling and safe retries.
package okta

// NOTE(skeleton): this file is a minimal working client so that other
// packages can build against the final API. Retries, rate limits, the
// concurrency cap, OAuth and org URL validation are filled in by issue #2.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Version is the okta-mcp version sent in the User-Agent; cmd sets it from
// build info.
var Version = "dev"

// Config configures a Client. Zero values are useful defaults.
type Config struct {
	OrgURL        string        // org URL or bare host, validated by ParseOrgURL
	Auth          Authenticator // how requests are authenticated (required)
	HTTPClient    *http.Client  // transport; default: a client with sane timeouts
	AllowHTTP     bool          // accept http:// org URLs on loopback hosts (local fakes only)
	CustomDomains []string      // extra hosts accepted as org domains
	UserAgent     string        // appended to the okta-mcp User-Agent
	Timeout       time.Duration // per-request timeout; default 30s
	Logger        *slog.Logger  // default: discard
}

// Client talks to one Okta org. It is safe for concurrent use.
type Client struct {
	base   *url.URL
	auth   Authenticator
	hc     *http.Client
	ua     string
	cfg    Config
	logger *slog.Logger
}

// NewClient validates cfg.OrgURL and returns a client for that org.
func NewClient(cfg Config) (*Client, error) {
	if cfg.Auth == nil {
		return nil, errors.New("okta: no authentication configured")
	}
	base, err := ParseOrgURL(cfg.OrgURL, OrgURLOptions{AllowHTTP: cfg.AllowHTTP, CustomDomains: cfg.CustomDomains})
	if err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	lg := cfg.Logger
	if lg == nil {
		lg = slog.New(slog.DiscardHandler)
	}
	ua := "okta-mcp/" + Version
	if cfg.UserAgent != "" {
		ua += " " + cfg.UserAgent
	}
	return &Client{base: base, auth: cfg.Auth, hc: hc, ua: ua, cfg: cfg, logger: lg}, nil
}

// OrgURL returns the org's validated base URL.
func (c *Client) OrgURL() *url.URL { u := *c.base; return &u }

// Response wraps an http.Response (body already consumed) with what okta-mcp
// reads from every answer.
type Response struct {
	*http.Response
	RequestID  string    // X-Okta-Request-Id
	NextCursor string    // the after= cursor of rel="next", "" on the last page
	RateLimit  RateLimit // X-Rate-Limit-* headers
}

// RateLimit is the rate-limit state Okta reported for a request's bucket.
type RateLimit struct {
	Limit     int
	Remaining int
	Reset     time.Time
}

// call builds, sends and decodes one API request.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, body, out any) (*Response, error) {
	u := *c.base
	u.Path = strings.TrimSuffix(c.base.Path, "/") + path
	if i := strings.Index(path, "%"); i >= 0 {
		u.RawPath = strings.TrimSuffix(c.base.Path, "/") + path
		p, _ := url.PathUnescape(path)
		u.Path = strings.TrimSuffix(c.base.Path, "/") + p
	}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	var buf []byte
	if body != nil {
		var err error
		if buf, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("okta: encoding request: %w", err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(buf))
	if err != nil {
		return nil, err
	}
	req.ContentLength = int64(len(buf))
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.ua)
	if err := c.auth.Authorize(ctx, req); err != nil {
		return nil, err
	}
	hr, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("okta: %s %s: %w", method, u.Path, stripURLError(err))
	}
	defer hr.Body.Close()
	data, err := io.ReadAll(io.LimitReader(hr.Body, 32<<20))
	if err != nil {
		return nil, err
	}
	resp := &Response{Response: hr, RequestID: hr.Header.Get("X-Okta-Request-Id"), NextCursor: nextCursor(hr.Header)}
	if hr.StatusCode >= 300 {
		return resp, newError(hr, data)
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp, fmt.Errorf("okta: decoding %s %s response: %w", method, u.Path, err)
		}
	}
	return resp, nil
}

func stripURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// pathFor fills %s placeholders with path-escaped, validated segments.
func pathFor(format string, segs ...string) (string, error) {
	args := make([]any, len(segs))
	for i, s := range segs {
		if err := ValidatePathSegment(s); err != nil {
			return "", err
		}
		args[i] = url.PathEscape(s)
	}
	return fmt.Sprintf(format, args...), nil
}

// ValidatePathSegment rejects ids and logins that could change the request's
// path: empty values, "/", "\", "?", "#", "..", and encoded forms of them.
func ValidatePathSegment(s string) error {
	if s == "" {
		return errors.New("okta: empty id")
	}
	l := strings.ToLower(s)
	for _, bad := range []string{"/", "\\", "?", "#", "%2f", "%5c", "%3f", "%23", "%2e"} {
		if strings.Contains(l, bad) {
			return fmt.Errorf("okta: id %q contains %q, which is not allowed in an id or login", s, bad)
		}
	}
	if s == "." || s == ".." {
		return fmt.Errorf("okta: id %q is not allowed", s)
	}
	return nil
}

// nextCursor finds rel="next" among all Link headers and returns its after=.
func nextCursor(h http.Header) string {
	for _, v := range h.Values("Link") {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if !strings.Contains(part, `rel="next"`) {
				continue
			}
			i, j := strings.Index(part, "<"), strings.Index(part, ">")
			if i < 0 || j < i {
				continue
			}
			if u, err := url.Parse(part[i+1 : j]); err == nil {
				return u.Query().Get("after")
			}
		}
	}
	return ""
}
