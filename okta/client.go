// Package okta is a thin client for the Okta Management API (users and
// groups): one Client per org, one method per API operation, typed errors,
// pagination cursors and iterators, rate-limit handling and safe retries.
//
// Every request goes only to the org URL validated by ParseOrgURL (the SSRF
// guard), carries Accept and Content-Type application/json and an okta-mcp
// User-Agent, and runs under the caller's context with a per-attempt
// timeout. Answers are read for X-Okta-Request-Id, the Link rel="next"
// cursor and the X-Rate-Limit-* headers (see Response).
//
// Retries: a 429 is retried for every method (Okta did not process it) after
// waiting until the limit resets; 5xx answers and connection failures are
// retried only for GET, PUT and DELETE, except DELETE of a user (which is
// two-step in Okta: deactivate, then delete); a POST (create, update,
// lifecycle) and DELETE of a user are retried only when they provably never
// left the process (a failed dial). Such a request that may have reached
// Okta without a usable answer fails with an *OutcomeUnknownError. When Okta reports a bucket exhausted (Remaining 0),
// further requests to that bucket wait for the reset instead of spending a
// 429. Credentials never appear in errors or log records.
package okta

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Version is the okta-mcp version sent in the User-Agent; cmd sets it from
// build info before creating clients.
var Version = "dev"

// Defaults for the zero values of Config.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxConcurrent = 10
	DefaultMaxRetries    = 3
	DefaultMaxWait       = 70 * time.Second // a full one-minute Okta window plus margin
)

const (
	maxResponseBytes = 32 << 20
	backoffBase      = 500 * time.Millisecond // first 5xx / connection-error backoff
	backoffCap       = 8 * time.Second
	rl429Base        = time.Second // 429 without Date/Reset: backoff from 1s ...
	rl429Cap         = 30 * time.Second
	rateLimitMargin  = 500 * time.Millisecond // Reset and Date have second precision
	rateLimitJitter  = 500 * time.Millisecond
)

// Config configures a Client. Zero values are useful defaults; only OrgURL
// and Auth are required.
type Config struct {
	OrgURL        string        // org URL or bare host, validated by ParseOrgURL
	Auth          Authenticator // how requests are authenticated (required): APIToken or *OAuth
	HTTPClient    *http.Client  // transport; default: a client with sane timeouts. Redirects are never followed.
	AllowHTTP     bool          // accept http:// (and any port) for loopback hosts only (local fakes)
	CustomDomains []string      // extra hosts accepted as org domains (Okta custom URL domains)
	UserAgent     string        // appended to the okta-mcp User-Agent
	Timeout       time.Duration // per-attempt timeout; default DefaultTimeout
	Logger        *slog.Logger  // retries, waits, OAuth refreshes, one debug line per request; default: discard

	// MaxConcurrent caps the requests in flight at once (Okta allows 75 per
	// org); default DefaultMaxConcurrent.
	MaxConcurrent int
	// MaxRetries is the most times one call is retried (429s, and for
	// GET/PUT/DELETE 5xx answers and connection failures); 0 means
	// DefaultMaxRetries, a negative value no retries. The single retry after
	// an OAuth token refresh is not counted.
	MaxRetries int
	// MaxWait is the longest the client waits before one retry or for a rate
	// limit to reset; a longer wait fails at once with *RateLimitError.
	// Default DefaultMaxWait. The context's deadline also bounds every wait.
	MaxWait time.Duration
	// Clock is used for retry and rate-limit waits; default: real time.
	Clock Clock
}

// Client talks to one Okta org. It is safe for concurrent use.
type Client struct {
	*client // behind a pointer, so that printing a Client value shows no credential
}

type client struct {
	base       *url.URL
	auth       *authHolder // behind a pointer, so that printing a Client value shows no credential
	hc         *http.Client
	ua         string
	timeout    time.Duration
	maxRetries int
	maxWait    time.Duration
	clock      Clock
	logger     *slog.Logger
	sem        chan struct{}
	limits     limiter
	env        *authEnv

	// jitter returns a random duration in [0, max); tests replace it.
	jitter func(max time.Duration) time.Duration
}

// NewClient validates cfg.OrgURL and returns a client for that org.
func NewClient(cfg Config) (*Client, error) {
	if cfg.Auth == nil {
		return nil, errors.New("okta: no authentication configured (an API token or an OAuth service app)")
	}
	base, err := ParseOrgURL(cfg.OrgURL, OrgURLOptions{AllowHTTP: cfg.AllowHTTP, CustomDomains: cfg.CustomDomains})
	if err != nil {
		return nil, err
	}
	c := &Client{&client{
		base:       base,
		auth:       &authHolder{cfg.Auth},
		timeout:    cfg.Timeout,
		maxRetries: cfg.MaxRetries,
		maxWait:    cfg.MaxWait,
		clock:      cfg.Clock,
		logger:     cfg.Logger,
		jitter:     randomJitter,
	}}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = DefaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.maxWait <= 0 {
		c.maxWait = DefaultMaxWait
	}
	if c.clock == nil {
		c.clock = realClock{}
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	n := cfg.MaxConcurrent
	if n <= 0 {
		n = DefaultMaxConcurrent
	}
	c.sem = make(chan struct{}, n)
	if cfg.HTTPClient != nil {
		hc := *cfg.HTTPClient // shallow copy: never follow redirects, whatever the caller's client does
		hc.CheckRedirect = noRedirects
		c.hc = &hc
	} else {
		c.hc = &http.Client{Transport: defaultTransport(n), CheckRedirect: noRedirects}
	}
	c.ua = fmt.Sprintf("okta-mcp/%s (%s; %s/%s)", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if ua := strings.TrimSpace(cfg.UserAgent); ua != "" {
		c.ua += " " + ua
	}
	c.env = &authEnv{hc: c.hc, clock: c.clock, logger: c.logger, userAgent: c.ua, timeout: c.timeout}
	return c, nil
}

func defaultTransport(maxConns int) http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = maxConns
	t.ResponseHeaderTimeout = DefaultTimeout
	return t
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func randomJitter(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return rand.N(max)
}

// OrgURL returns the org's validated base URL.
func (c *Client) OrgURL() *url.URL { u := *c.base; return &u }

// AuthDescription names the client's credential for audit lines without
// revealing it (Authenticator.Describe).
func (c *Client) AuthDescription() string { return c.auth.Describe() }

// String describes the client without its credential.
func (c Client) String() string {
	if c.client == nil {
		return "okta.Client(nil)"
	}
	return fmt.Sprintf("okta.Client(%s, %s)", c.base, c.auth.Describe())
}

// Format implements fmt.Formatter so that no verb (%#v included) prints the
// client's credential.
func (c Client) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// Response wraps the http.Response of a call (its body already consumed,
// its Request without the Authorization header) with what okta-mcp reads
// from every answer.
type Response struct {
	*http.Response
	RequestID  string    // X-Okta-Request-Id
	NextCursor string    // the after= cursor of the rel="next" link, "" on the last page
	RateLimit  RateLimit // X-Rate-Limit-* headers (zero when absent)
}

// request is one API call, before it is sent.
type request struct {
	method   string
	template string // e.g. /api/v1/users/{id}: names the operation in errors, logs and buckets
	path     string // escaped path
	query    url.Values
	body     []byte   // nil: no body (Content-Length: 0)
	secrets  []string // values of the body that must not come back (passwords)
}

// call builds, sends (with retries) and decodes one API call. template's
// {placeholders} are filled, in order, with the validated, escaped segs.
func (c *Client) call(ctx context.Context, method, template string, segs []string, q url.Values, body, out any) (*Response, error) {
	path, err := expandPath(template, segs...)
	if err != nil {
		return nil, err
	}
	r := &request{method: method, template: template, path: path, query: q, secrets: bodySecrets(body)}
	if body != nil {
		if r.body, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("okta: %s %s: encoding the request body: %w", method, template, err)
		}
	}
	return c.do(ctx, r, out)
}

// idempotent reports whether a failed request may be sent again although it
// may have reached Okta. DELETE of a user is not: on a user that is not
// DEPROVISIONED, Okta's DELETE deactivates it, and a second DELETE then
// deletes it for good, so resending a deactivation the first attempt already
// made would delete the user.
func idempotent(method, template string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut:
		return true
	case http.MethodDelete:
		return template != deleteUserTemplate
	}
	return false
}

// deleteUserTemplate is the path template of DeleteUser.
const deleteUserTemplate = "/api/v1/users/{id}"

func retryable5xx(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// do sends r until it gets a final answer; see the package comment for the
// retry rules.
func (c *Client) do(ctx context.Context, r *request, out any) (*Response, error) {
	bucket := bucketFor(r.method, r.template)
	var (
		retries     int
		retryFor    string
		authRetried bool
		resp        *Response
	)
	for {
		if err := c.waitForBucket(ctx, r, bucket); err != nil {
			return resp, err
		}
		if err := c.acquire(ctx); err != nil {
			return resp, c.ctxError(r, err, "while waiting for a free connection slot")
		}
		a := c.attempt(ctx, r, retries, retryFor)
		<-c.sem

		if a.authErr != nil {
			return resp, a.authErr
		}
		if a.err != nil {
			resp = nil // this attempt got no answer
			if ctx.Err() != nil {
				// The caller gave up. A POST may still have reached Okta.
				if !idempotent(r.method, r.template) && !a.notSent {
					return resp, &OutcomeUnknownError{Method: r.method, Path: r.template, Err: ctx.Err()}
				}
				return resp, c.ctxError(r, ctx.Err(), "")
			}
			err := fmt.Errorf("okta: %s %s: %w", r.method, r.template, a.err)
			if !a.notSent && !idempotent(r.method, r.template) {
				return resp, &OutcomeUnknownError{Method: r.method, Path: r.template, Err: a.err}
			}
			if a.permanent || retries >= c.maxRetries {
				return resp, err
			}
			retries++
			wait := c.backoff(retries, backoffBase, backoffCap)
			if exceedsDeadline(ctx, wait) {
				return resp, err
			}
			c.logger.LogAttrs(ctx, slog.LevelWarn, "okta: request failed; retrying",
				slog.String("method", r.method), slog.String("path", r.template),
				slog.String("error", a.err.Error()), slog.Int("retry", retries), slog.Duration("wait", wait))
			if err := c.clock.Sleep(ctx, wait); err != nil {
				return resp, c.ctxError(r, err, "while waiting to retry")
			}
			retryFor = ""
			continue
		}

		resp = a.resp
		c.limits.observe(bucket, resp.Header, c.clock.Now(), c.jitter)
		status := resp.StatusCode
		switch {
		case status >= 200 && status < 300:
			if out != nil && len(bytes.TrimSpace(a.body)) > 0 {
				if err := json.Unmarshal(a.body, out); err != nil {
					err = fmt.Errorf("decoding the answer: %w", err)
					if !idempotent(r.method, r.template) {
						// The change was made, but its result is unreadable.
						return resp, &OutcomeUnknownError{Method: r.method, Path: r.template, Err: err}
					}
					return resp, fmt.Errorf("okta: %s %s: %w", r.method, r.template, err)
				}
			}
			return resp, nil

		case status == http.StatusTooManyRequests:
			oe := newError(status, resp.Header, a.body, r.method, r.template, requestSecrets(a.req, r.secrets)...)
			reset, wait, fromHeaders := c.rateLimitWait(resp.Header, retries+1)
			if fromHeaders && resp.RateLimit.Limit > 0 {
				// Wait with the requests held for this bucket, until the
				// same moment (see bucketState), not after them.
				now := c.clock.Now()
				wait = c.limits.holdAtLeast(bucket, now.Add(wait), c.jitter).Sub(now)
			} else if fromHeaders {
				wait += c.jitter(rateLimitJitter)
			}
			rle := &RateLimitError{Method: r.method, Path: r.template, Reset: reset, Limit: resp.RateLimit.Limit, Err: oe}
			if retries >= c.maxRetries || wait > c.maxWait || exceedsDeadline(ctx, wait) {
				c.logger.LogAttrs(ctx, slog.LevelWarn, "okta: rate limited; giving up",
					slog.String("method", r.method), slog.String("path", r.template),
					slog.String("request_id", oe.RequestID), slog.Int("retries", retries),
					slog.Duration("wait", wait), slog.Time("reset", reset))
				return resp, rle
			}
			retries++
			retryFor = oe.RequestID
			c.logger.LogAttrs(ctx, slog.LevelWarn, "okta: rate limited; waiting for the limit to reset",
				slog.String("method", r.method), slog.String("path", r.template),
				slog.String("request_id", oe.RequestID), slog.Int("retry", retries),
				slog.Duration("wait", wait), slog.Time("reset", reset))
			if err := c.clock.Sleep(ctx, wait); err != nil {
				return resp, c.ctxError(r, err, "while waiting for the rate limit to reset")
			}

		case status == http.StatusUnauthorized && !authRetried && isInvalidator(c.auth):
			if dpopChallenge(resp.Header) {
				return resp, dpopError(newError(status, resp.Header, a.body, r.method, r.template, requestSecrets(a.req, r.secrets)...))
			}
			authRetried = true
			c.auth.Authenticator.(Invalidator).Invalidate(a.req)
			c.logger.LogAttrs(ctx, slog.LevelInfo, "okta: credential refused (401); renewing it and retrying once",
				slog.String("method", r.method), slog.String("path", r.template),
				slog.String("request_id", resp.RequestID), slog.String("auth", c.auth.Describe()))

		case retryable5xx(status):
			oe := newError(status, resp.Header, a.body, r.method, r.template, requestSecrets(a.req, r.secrets)...)
			if !idempotent(r.method, r.template) {
				return resp, &OutcomeUnknownError{Method: r.method, Path: r.template, Err: oe}
			}
			if retries >= c.maxRetries {
				return resp, oe
			}
			retries++
			wait := c.backoff(retries, backoffBase, backoffCap)
			if exceedsDeadline(ctx, wait) {
				return resp, oe
			}
			retryFor = oe.RequestID
			c.logger.LogAttrs(ctx, slog.LevelWarn, "okta: server error; retrying",
				slog.String("method", r.method), slog.String("path", r.template), slog.Int("status", status),
				slog.String("request_id", oe.RequestID), slog.Int("retry", retries), slog.Duration("wait", wait))
			if err := c.clock.Sleep(ctx, wait); err != nil {
				return resp, c.ctxError(r, err, "while waiting to retry")
			}

		default:
			oe := newError(status, resp.Header, a.body, r.method, r.template, requestSecrets(a.req, r.secrets)...)
			if (status == http.StatusUnauthorized || status == http.StatusBadRequest) && dpopChallenge(resp.Header) {
				return resp, dpopError(oe)
			}
			return resp, oe
		}
	}
}

// authHolder keeps the client's Authenticator.
type authHolder struct{ Authenticator }

func isInvalidator(a *authHolder) bool {
	_, ok := a.Authenticator.(Invalidator)
	return ok
}

// dpopChallenge reports whether an answer asks for a DPoP proof.
func dpopChallenge(h http.Header) bool {
	for _, v := range h.Values("Www-Authenticate") {
		if len(v) >= 4 && strings.EqualFold(v[:4], "DPoP") {
			return true
		}
	}
	return false
}

func dpopError(cause error) error { return fmt.Errorf("%w (%w)", ErrDPoPRequired, cause) }

// ctxError wraps a context error with the operation, keeping errors.Is.
func (c *Client) ctxError(r *request, err error, while string) error {
	if while != "" {
		return fmt.Errorf("okta: %s %s: %s: %w", r.method, r.template, while, err)
	}
	return fmt.Errorf("okta: %s %s: %w", r.method, r.template, err)
}

func exceedsDeadline(ctx context.Context, wait time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < wait
}

func (c *Client) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// waitForBucket holds the request while its bucket is exhausted.
func (c *Client) waitForBucket(ctx context.Context, r *request, bucket string) error {
	for {
		if err := ctx.Err(); err != nil {
			return c.ctxError(r, err, "")
		}
		d, until, rl := c.limits.hold(bucket, c.clock.Now())
		if d <= 0 {
			return nil
		}
		if d > c.maxWait || exceedsDeadline(ctx, d) {
			c.logger.LogAttrs(ctx, slog.LevelWarn, "okta: rate limit exhausted; not sending",
				slog.String("method", r.method), slog.String("path", r.template),
				slog.String("bucket", bucket), slog.Duration("wait", d), slog.Time("reset", until))
			return &RateLimitError{Method: r.method, Path: r.template, Reset: until, Limit: rl.Limit}
		}
		c.logger.LogAttrs(ctx, slog.LevelInfo, "okta: rate limit exhausted; holding the request until the reset",
			slog.String("method", r.method), slog.String("path", r.template),
			slog.String("bucket", bucket), slog.Duration("wait", d), slog.Time("reset", until))
		if err := c.clock.Sleep(ctx, d); err != nil {
			return c.ctxError(r, err, "while waiting for the rate limit to reset")
		}
	}
}

// rateLimitWait computes how long to wait after a 429: until Reset measured
// against the answer's Date (so clock skew does not matter), plus a margin
// for their second precision; fromHeaders is then true and the caller adds
// the jitter. Without Date or Reset it falls back to capped exponential
// backoff (jitter included). reset is the client-clock time of the reset.
func (c *Client) rateLimitWait(h http.Header, n int) (reset time.Time, wait time.Duration, fromHeaders bool) {
	now := c.clock.Now()
	rl, ok := parseRateLimit(h)
	date, err := http.ParseTime(h.Get("Date"))
	if !ok || err != nil {
		wait = c.backoff(n, rl429Base, rl429Cap)
		return now.Add(wait), wait, false
	}
	base := rl.Reset.Sub(date)
	if base < 0 {
		base = 0
	}
	return now.Add(base), base + rateLimitMargin, true
}

// backoff returns the wait before retry n (1-based): capped exponential,
// with "equal jitter" (half fixed, half random), at most MaxWait.
func (c *Client) backoff(n int, base, cap time.Duration) time.Duration {
	d := cap
	if n < 30 {
		if e := base << (n - 1); e > 0 && e < cap {
			d = e
		}
	}
	d = d/2 + c.jitter(d/2)
	if d > c.maxWait {
		d = c.maxWait
	}
	return d
}

// attemptResult is the outcome of sending a request once.
type attemptResult struct {
	resp      *Response
	body      []byte
	req       *http.Request // as sent (with credentials): for Invalidator only
	err       error         // no usable answer: transport or read failure
	notSent   bool          // err happened before the request could leave (dial failure)
	permanent bool          // err will not go away by retrying (certificate failure)
	authErr   error         // the authenticator failed: returned as is
}

// attempt sends r once, under the per-attempt timeout, and reads the answer.
func (c *Client) attempt(ctx context.Context, r *request, retries int, retryFor string) attemptResult {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	u := *c.base
	u.RawPath = r.path
	u.Path, _ = url.PathUnescape(r.path)
	if len(r.query) > 0 {
		u.RawQuery = r.query.Encode()
	}
	var body io.Reader = http.NoBody
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(withAuthEnv(actx, c.env), r.method, u.String(), body)
	if err != nil {
		return attemptResult{authErr: fmt.Errorf("okta: %s %s: building the request: %w", r.method, r.template, err)}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", c.ua)
	if retries > 0 {
		req.Header.Set("X-Okta-Retry-Count", strconv.Itoa(retries))
		if retryFor != "" {
			req.Header.Set("X-Okta-Retry-For", retryFor)
		}
	}
	if err := c.auth.Authorize(req.Context(), req); err != nil {
		if ctx.Err() == nil && actx.Err() != nil {
			err = fmt.Errorf("%w: %w", err, &timeoutError{c.timeout})
		}
		return attemptResult{authErr: err}
	}

	start := time.Now()
	hr, err := c.hc.Do(req)
	if err != nil {
		a := attemptResult{err: c.transportError(ctx, actx, err), notSent: isDialError(err), req: req}
		var cv *tls.CertificateVerificationError
		if errors.As(err, &cv) {
			a.notSent, a.permanent = true, true
		}
		c.logger.LogAttrs(ctx, slog.LevelDebug, "okta request failed",
			slog.String("method", r.method), slog.String("path", r.template),
			slog.String("error", a.err.Error()), slog.Duration("duration", time.Since(start)))
		return a
	}
	defer hr.Body.Close()
	data, err := io.ReadAll(io.LimitReader(hr.Body, maxResponseBytes+1))
	if err == nil && len(data) > maxResponseBytes {
		err = fmt.Errorf("the answer is larger than %d bytes", maxResponseBytes)
	}
	if err != nil {
		return attemptResult{err: fmt.Errorf("reading the answer (status %d): %w", hr.StatusCode, c.transportError(ctx, actx, err)), req: req}
	}
	// Whatever Okta (or anything posing as it) echoes of this request's
	// secrets is removed before the answer is decoded, logged or returned.
	data = scrubSecrets(data, requestSecrets(req, r.secrets))
	hr.Request = redactRequest(req)
	resp := &Response{
		Response:   hr,
		RequestID:  hr.Header.Get("X-Okta-Request-Id"),
		NextCursor: nextCursor(hr.Header),
	}
	resp.RateLimit, _ = parseRateLimit(hr.Header)
	c.logger.LogAttrs(ctx, slog.LevelDebug, "okta request",
		slog.String("method", r.method), slog.String("path", r.template), slog.Int("status", hr.StatusCode),
		slog.String("request_id", resp.RequestID), slog.Duration("duration", time.Since(start)))
	return attemptResult{resp: resp, body: data, req: req}
}

// transportError strips the URL from net/http's errors and names attempt
// timeouts.
func (c *Client) transportError(ctx, actx context.Context, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctx.Err() == nil && actx.Err() != nil {
		return &timeoutError{c.timeout}
	}
	return err
}

// timeoutError is an attempt that got no answer within Config.Timeout.
type timeoutError struct{ d time.Duration }

func (e *timeoutError) Error() string { return fmt.Sprintf("no answer within %s", e.d) }
func (e *timeoutError) Timeout() bool { return true }

// isDialError reports whether err happened while connecting, before any
// byte of the request could be written.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// redactRequest copies req for Response.Request without its credentials or
// body.
func redactRequest(req *http.Request) *http.Request {
	r := req.Clone(context.Background())
	r.Header.Del("Authorization")
	r.Header.Del("Dpop")
	r.Body, r.GetBody = nil, nil
	return r
}
