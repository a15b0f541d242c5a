package sandbox

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultToken is the API token the org accepts when Options.Token is empty:
// send it as "Authorization: SSWS 00sandbox-demo-token-0000000000000000000".
const DefaultToken = "00sandbox-demo-token-0000000000000000000"

// DemoOrgURL is the org URL to use with Transport: requests are served in
// process, so the host never resolves; _links are built from it.
const DemoOrgURL = "https://sandbox.okta.com"

// maxBodyBytes bounds request bodies.
const maxBodyBytes = 1 << 20

// Admin roles the API token (Options.TokenRole) and signed-in users
// (SeedUser.AdminRole) can act with.
const (
	RoleSuperAdmin    = "SUPER_ADMIN"
	RoleReadOnlyAdmin = "READ_ONLY_ADMIN"
)

// readOnlyRefuses reports whether a Read-only Admin is refused r: anything
// but reading.
func readOnlyRefuses(r *http.Request) bool {
	return r.Method != http.MethodGet && r.Method != http.MethodHead
}

// Options configure an Org. The zero value is the demo org with the
// default token, Okta's default rate limits and the real clock.
type Options struct {
	// Token is the accepted API token ("Authorization: SSWS <Token>");
	// "" means DefaultToken.
	Token string
	// TokenRole is the admin role of the API token's owner, with which
	// the token acts (as an Okta API token acts with its creator's role):
	// RoleSuperAdmin ("" too) may do everything; RoleReadOnlyAdmin may read
	// users, groups, factors and the System Log, and every change it asks
	// for is refused with 403 E0000006 and changes nothing.
	TokenRole string
	// Seed is the initial content of the org; nil means DemoSeed().
	Seed *Seed
	// RateLimit sets the rate limits. 0 (the default) gives each bucket
	// the per-minute limit of a standard Okta org (DefaultRateLimits:
	// 600 for /api/v1/users, 2000 to get a user, 500 for /api/v1/groups,
	// ...), n > 0 allows n requests per minute in every bucket, and
	// NoRateLimit turns limiting off. Buckets group operations as Okta's
	// do (see rateBucket). The X-Rate-Limit-* headers are sent either way.
	RateLimit int
	// Now is the org's clock (timestamps, rate-limit windows); nil means
	// time.Now. Injected latency always uses real time.
	Now func() time.Time
	// Faults are injected failures, consulted in order; see Fault.
	Faults []Fault
	// FaultSeed seeds the random source behind Fault.Probability, so that
	// probabilistic faults are reproducible.
	FaultSeed uint64
	// OAuthClients registers OAuth 2.0 service apps that may obtain
	// access tokens from POST /oauth2/v1/token with a private_key_jwt
	// client assertion; the tokens are then accepted as
	// "Authorization: Bearer <token>".
	OAuthClients []OAuthClient
	// AutoApprove is the login (or id) of a user that the authorization
	// servers sign in without the sign-in page: /authorize redirects with
	// a code for that user at once and every device code is approved for
	// that user as soon as it is issued. "" shows the sign-in page.
	AutoApprove string
	// DevicePollInterval is the device grant's polling interval (default
	// 5 s, as Okta's); polling faster is answered with slow_down.
	DevicePollInterval time.Duration
	// RequestLogSize is how many requests Requests and RequestCount
	// remember (the most recent ones); 0 means 10000, negative disables
	// the log.
	RequestLogSize int
}

// Org is an in-memory Okta org that serves Okta's Management API for users
// and groups. It is an http.Handler; Transport serves it without a network.
// An Org is safe for concurrent use.
type Org struct {
	token string
	// tokenReadOnly: the API token acts as a Read-only Admin
	// (Options.TokenRole).
	tokenReadOnly bool
	now           func() time.Time

	mu  sync.RWMutex
	st  *state
	day *dayState // factors, sessions, System Log (admin-day)

	limiter *rateLimiter
	faults  *faultSet
	log     *requestLog
	oauth   *oauthServer

	reqSeq atomic.Uint64
}

// New returns an org loaded from opts.Seed (the demo org when nil).
func New(opts Options) (*Org, error) {
	o := &Org{
		token:   opts.Token,
		now:     opts.Now,
		limiter: newRateLimiter(opts.RateLimit),
		faults:  newFaultSet(opts.FaultSeed, opts.Faults),
		log:     newRequestLog(opts.RequestLogSize),
	}
	if o.token == "" {
		o.token = DefaultToken
	}
	switch opts.TokenRole {
	case "", RoleSuperAdmin:
	case RoleReadOnlyAdmin:
		o.tokenReadOnly = true
	default:
		return nil, fmt.Errorf("sandbox: token role %q: want %s or %s", opts.TokenRole, RoleSuperAdmin, RoleReadOnlyAdmin)
	}
	if o.now == nil {
		o.now = time.Now
	}
	seed := opts.Seed
	if seed == nil {
		seed = DemoSeed()
	}
	st, err := seed.build(o.now())
	if err != nil {
		return nil, err
	}
	o.st = st
	o.day = newDayState(st)
	o.day.demo = opts.Seed == nil
	o.day.addSeeded(st, o.now().UTC())
	oa, err := newOAuthServer(opts.OAuthClients)
	if err != nil {
		return nil, err
	}
	o.oauth = oa
	if opts.DevicePollInterval > 0 {
		oa.devicePoll = opts.DevicePollInterval
	}
	if opts.AutoApprove != "" {
		u := st.findUser(opts.AutoApprove)
		switch {
		case u == nil:
			return nil, fmt.Errorf("sandbox: auto-approve: no user %q in the org", opts.AutoApprove)
		case u.status != statusActive:
			return nil, fmt.Errorf("sandbox: auto-approve: user %q is %s; only an ACTIVE user can sign in", opts.AutoApprove, u.status)
		}
		oa.autoApprove = u.id
	}
	return o, nil
}

// call is one request being served.
type call struct {
	o      *Org
	r      *http.Request
	now    time.Time
	base   string // scheme://host, for _links and Link headers
	params []string
	query  url.Values
	limit  int // the effective page size, for Link headers (0: 200)
	// actor is who makes the request (the signed-in user of a Bearer
	// token, the service app, or the API token), for the System Log.
	actor principal
}

// response is a handler's answer.
type response struct {
	status int
	body   []byte
	header http.Header
}

type handlerFunc func(c *call) (*response, error)

func (c *call) json(status int, v any) (*response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &response{status: status, body: b}, nil
}

func noContent() (*response, error) { return &response{status: http.StatusNoContent}, nil }

// readBody decodes the JSON request body into v. An empty body is not
// well-formed JSON, as for Okta.
func (c *call) readBody(v any) error {
	b, err := io.ReadAll(io.LimitReader(c.r.Body, maxBodyBytes+1))
	if err != nil || len(b) > maxBodyBytes {
		return errMalformedBody()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return errMalformedBody()
	}
	if dec.More() {
		return errMalformedBody()
	}
	return nil
}

// boolParam reads an optional boolean query parameter.
func (c *call) boolParam(name string, def bool) (bool, error) {
	v := c.query.Get(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(strings.ToLower(v))
	if err != nil {
		return false, errValidation(name, name+": The value must be true or false")
	}
	return b, nil
}

func baseURL(r *http.Request) string {
	scheme := r.URL.Scheme
	if scheme == "" {
		scheme = "http"
		if r.TLS != nil {
			scheme = "https"
		}
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return scheme + "://" + host
}

// ServeHTTP serves Okta's Management API for users and groups.
func (o *Org) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.serve(w, r)
}

func (o *Org) serve(w http.ResponseWriter, r *http.Request) {
	start := o.now()
	reqID := o.newRequestID()
	rec := RequestRecord{Time: start, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, RequestID: reqID}
	// The request is recorded before its answer is written, so that a
	// client that has read the answer finds it in the log (a large body is
	// flushed to the client while the handler still runs); the deferred
	// call records requests that end without an answer.
	logged := false
	record := func() {
		if !logged {
			logged = true
			o.log.add(rec)
		}
	}
	defer record()

	rt, params := matchRoute(r.URL.EscapedPath())
	bucket := rateBucket(r.Method, r.URL.EscapedPath())

	f := o.faults.match(r.Method, r.URL.Path)
	if f != nil {
		rec.Fault = f.describe()
		if f.Delay > 0 && !sleepCtx(r, f.Delay) {
			rec.Status = StatusAborted
			return
		}
		if f.Drop == DropBeforeProcessing {
			rec.Status = StatusDropped
			record()
			dropConnection(w, false)
			return
		}
		if f.Status != 0 {
			rl := o.limiter.peek(bucket, o.now())
			if f.Status == http.StatusTooManyRequests {
				rl.remaining = 0
			}
			rec.Status = f.Status
			record()
			o.writeError(w, reqID, rl, errInjected(f.Status))
			return
		}
	}

	resp, rl, err := o.handle(r, rt, params, bucket, reqID)
	if f != nil && f.ResponseDelay > 0 && !sleepCtx(r, f.ResponseDelay) {
		rec.Status = StatusAborted
		return
	}
	if f != nil && f.Drop == DropAfterProcessing {
		rec.Status = StatusDropped
		record()
		dropConnection(w, true)
		return
	}
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = newAPIError(http.StatusInternalServerError, "E0000009", "Internal Server Error")
		}
		rec.Status = ae.status
		record()
		o.writeError(w, reqID, rl, ae)
		return
	}
	rec.Status = resp.status
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	o.writeHeaders(h, reqID, rl)
	if resp.body != nil {
		h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	}
	record()
	w.WriteHeader(resp.status)
	if resp.body != nil {
		_, _ = w.Write(resp.body)
	}
}

// handle authenticates, rate-limits and dispatches the request.
func (o *Org) handle(r *http.Request, rt *routeDef, params []string, bucket, reqID string) (*response, rateState, error) {
	// Okta's timestamps carry whole seconds (".000Z" in every recorded
	// answer); so do stored ones, so that what a client reads back
	// compares equal in search and filter.
	now := o.now().UTC().Truncate(time.Second)
	if rt == nil {
		if resp, rl, err, ok := o.serveAuth(r, now, bucket); ok {
			return resp, rl, err
		}
		return nil, o.limiter.peek(bucket, now), errPathNotFound()
	}
	h := rt.methods[r.Method]
	if h == nil {
		return nil, o.limiter.peek(bucket, now), errMethodNotAllowed()
	}
	actor, err := o.authenticate(r, rt, now)
	if err != nil {
		return nil, o.limiter.peek(bucket, now), err
	}
	rl, ok := o.limiter.take(bucket, now)
	if !ok {
		return nil, rl, errRateLimited()
	}
	if (r.Method == http.MethodPost || r.Method == http.MethodPut) && lengthMissing(r) {
		return nil, rl, errLengthRequired()
	}
	o.ensureDay()
	c := &call{o: o, r: r, now: now, base: baseURL(r), params: params, query: r.URL.Query(), actor: actor}
	var pre *preWrite
	if r.Method != http.MethodGet {
		pre = o.beforeWrite(rt, params)
	}
	resp, err := h(c)
	if err == nil && pre != nil {
		o.afterWrite(c, rt, pre, resp, reqID) // the System Log
	}
	return resp, rl, err
}

// lengthMissing reports a POST or PUT that arrived over a network
// connection with neither a Content-Length nor a chunked body, which Okta
// answers with 411. Requests built in process (Transport, or
// httptest.NewRequest) are taken as Go's client would send them, with
// Content-Length: 0.
func lengthMissing(r *http.Request) bool {
	if r.Context().Value(http.LocalAddrContextKey) == nil {
		return false
	}
	return r.Header.Get("Content-Length") == "" && len(r.TransferEncoding) == 0 && r.ContentLength == 0
}

func (o *Org) authenticate(r *http.Request, rt *routeDef, now time.Time) (principal, error) {
	scheme, cred, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	cred = strings.TrimSpace(cred)
	switch {
	case strings.EqualFold(scheme, "SSWS") && cred != "":
		if subtle.ConstantTimeCompare([]byte(cred), []byte(o.token)) == 1 {
			if o.tokenReadOnly && readOnlyRefuses(r) {
				return principal{}, errAccessDenied() // a Read-only Admin's token
			}
			return principal{typ: "ApiToken", alternateID: "api-token", displayName: "API token"}, nil
		}
		return principal{}, errInvalidToken()
	case strings.EqualFold(scheme, "Bearer") && cred != "":
		return o.authorizeBearer(r, cred, requiredScope(rt, r.Method), now)
	}
	// Without (well-formed) credentials Okta falls back to a browser
	// session, and there is none.
	return principal{}, errInvalidSession()
}

func (o *Org) writeHeaders(h http.Header, reqID string, rl rateState) {
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	h.Set("Date", o.now().UTC().Format(http.TimeFormat))
	h.Set("X-Okta-Request-Id", reqID)
	if rl.limit > 0 { // see writeError
		h.Set("X-Rate-Limit-Limit", strconv.Itoa(rl.limit))
		h.Set("X-Rate-Limit-Remaining", strconv.Itoa(rl.remaining))
		h.Set("X-Rate-Limit-Reset", strconv.FormatInt(rl.reset, 10))
	}
	h.Set("Cache-Control", "no-cache, no-store")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "0")
}

func (o *Org) writeError(w http.ResponseWriter, reqID string, rl rateState, e *apiError) {
	if e.code == "E0000022" {
		// A method the path does not support counts against no bucket:
		// recorded 405 answers carry no X-Rate-Limit-* headers.
		rl = rateState{}
	}
	body := errorBody{
		ErrorCode:    e.code,
		ErrorSummary: e.summary,
		ErrorLink:    e.code,
		ErrorID:      errorID(reqID),
		ErrorCauses:  make([]errorCause, 0, len(e.causes)),
	}
	for _, c := range e.causes {
		body.ErrorCauses = append(body.ErrorCauses, errorCause{ErrorSummary: c})
	}
	b, _ := json.Marshal(body)
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	o.writeHeaders(h, reqID, rl)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(e.status)
	_, _ = w.Write(b)
}

// newRequestID returns an id like the X-Okta-Request-Id of current orgs:
// 32 lower-case hex digits (2025-2026 recordings; older orgs sent 27
// characters of base64).
func (o *Org) newRequestID() string {
	const hex = "0123456789abcdef"
	x := o.reqSeq.Add(1)
	var b [32]byte
	for i := 0; i < len(b); i += 16 {
		// splitmix64 steps: distinct, well-spread ids from a counter.
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		for j := range 16 {
			b[i+j] = hex[z>>(4*j)&0xf]
		}
	}
	return string(b[:])
}

// errorID derives an error's errorId from its request id: "oae" and 22
// characters, as Okta's.
func errorID(reqID string) string {
	var b [25]byte
	copy(b[:], "oae")
	h := uint64(14695981039346656037)
	for i := 3; i < len(b); i++ {
		for j := 0; j < len(reqID); j++ {
			h = (h ^ uint64(reqID[j])) * 1099511628211
		}
		h = (h ^ uint64(i)) * 1099511628211
		b[i] = idAlphabet[h%uint64(len(idAlphabet))]
	}
	return string(b[:])
}

// routeDef is one API path template and its handlers by method.
type routeDef struct {
	template string
	segs     []string // literal segments; "" marks a parameter
	methods  map[string]handlerFunc
	scope    string // OAuth scope family: "users" or "groups"
}

// routes is the API's route table, built on first use (not in an init
// function, which every okta-mcp start would pay for, sandbox or not).
var routes = sync.OnceValue(func() []*routeDef {
	var routes []*routeDef
	def := func(template, scope string, methods map[string]handlerFunc) {
		var segs []string
		for _, s := range strings.Split(strings.TrimPrefix(template, "/"), "/") {
			if strings.HasPrefix(s, "{") {
				s = ""
			}
			segs = append(segs, s)
		}
		routes = append(routes, &routeDef{template: template, segs: segs, methods: methods, scope: scope})
	}
	def("/api/v1/users", "users", map[string]handlerFunc{"GET": listUsers, "POST": createUser})
	def("/api/v1/users/{id}", "users", map[string]handlerFunc{"GET": getUser, "POST": updateUser, "PUT": replaceUser, "DELETE": deleteUser})
	def("/api/v1/users/{id}/lifecycle/{op}", "users", map[string]handlerFunc{"POST": lifecycle})
	def("/api/v1/users/{id}/groups", "users", map[string]handlerFunc{"GET": listUserGroups})
	def("/api/v1/users/{userId}/sessions", "users", map[string]handlerFunc{"DELETE": clearSessions})
	def("/api/v1/users/{userId}/factors", "users", map[string]handlerFunc{"GET": listFactors})
	def("/api/v1/logs", "logs", map[string]handlerFunc{"GET": listLogEvents})
	def("/api/v1/groups", "groups", map[string]handlerFunc{"GET": listGroups, "POST": createGroup})
	def("/api/v1/groups/{groupId}", "groups", map[string]handlerFunc{"GET": getGroup, "PUT": replaceGroup, "DELETE": deleteGroup})
	def("/api/v1/groups/{groupId}/users", "groups", map[string]handlerFunc{"GET": listGroupUsers})
	def("/api/v1/groups/{groupId}/users/{userId}", "groups", map[string]handlerFunc{"PUT": assignUserToGroup, "DELETE": unassignUserFromGroup})
	return routes
})

// matchRoute finds the route for an escaped path and its unescaped
// parameters.
func matchRoute(escapedPath string) (*routeDef, []string) {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
next:
	for _, rt := range routes() {
		if len(rt.segs) != len(segs) {
			continue
		}
		var params []string
		for i, s := range rt.segs {
			if s == "" {
				p, err := url.PathUnescape(segs[i])
				if err != nil || p == "" {
					continue next
				}
				params = append(params, p)
			} else if s != segs[i] {
				continue next
			}
		}
		if rt.template == "/api/v1/users/{id}/lifecycle/{op}" && !lifecycleOps[params[1]] {
			continue
		}
		return rt, params
	}
	return nil, nil
}

func requiredScope(rt *routeDef, method string) string {
	if method == http.MethodGet {
		return "okta." + rt.scope + ".read"
	}
	return "okta." + rt.scope + ".manage"
}

func sleepCtx(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// Request outcomes recorded in RequestRecord.Status besides HTTP statuses.
const (
	StatusDropped = -1 // the connection was dropped by an injected fault
	StatusAborted = -2 // the client went away (context done) during an injected delay
)

func (o *Org) String() string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	return fmt.Sprintf("sandbox.Org{users: %d, groups: %d}", len(o.st.users), len(o.st.groups))
}
