package sandbox

import (
	"math"
	"strings"
	"sync"
	"time"
)

// rateWindow is the length of a rate-limit window, as Okta's per-minute
// limits.
const rateWindow = time.Minute

// unlimited is what X-Rate-Limit-Limit reports when limits are off
// (NoRateLimit), so that clients that pause at Remaining: 0 never do.
const unlimited = math.MaxInt32

// NoRateLimit, as Options.RateLimit or SetRateLimit, turns rate limiting
// off (okta-mcp sandbox --rate-limit 0).
const NoRateLimit = -1

// A rate-limit bucket: the requests Okta counts against one per-minute
// limit. Okta shares a bucket between several operations of one endpoint
// family; the names are the endpoint families of Okta's rate-limit table.
const (
	bucketUsers          = "/api/v1/users"          // GET, POST /api/v1/users and /api/v1/users/{id}/*
	bucketUserGet        = "GET /api/v1/users/{id}" // get a user by id or login
	bucketUserWrite      = "/api/v1/users/{id}"     // POST, PUT, DELETE /api/v1/users/{id}
	bucketGroups         = "/api/v1/groups"         // /api/v1/groups and /api/v1/groups/{id}/*
	bucketGroup          = "/api/v1/groups/{id}"    // GET, PUT, DELETE /api/v1/groups/{id}
	bucketLogs           = "/api/v1/logs"           // System Log
	bucketOtherAPI       = "/api/v1"                // most other API actions
	bucketOAuth2Prefix   = "/oauth2"                // OAuth 2.0 endpoints, one bucket per path
	defaultOAuth2Limit   = 2000                     // /oauth2/v1/token, /oauth2/{id}/v1/token, ...
	defaultOtherAPILimit = 1200
)

// DefaultRateLimits are the per-minute limits of a standard (Workforce
// Identity) org, per bucket, as Okta's management rate-limit table gives
// them and recorded responses of a real org announce them in
// X-Rate-Limit-Limit (see fidelity_test.go). Requests to a path of no
// bucket listed here count against "/api/v1" (1200), or, under /oauth2/,
// against a bucket of their own path (2000).
func DefaultRateLimits() map[string]int {
	return map[string]int{
		bucketUsers:     600,
		bucketUserGet:   2000,
		bucketUserWrite: 600,
		bucketGroups:    500,
		bucketGroup:     1000,
		bucketLogs:      120,
		bucketOtherAPI:  defaultOtherAPILimit,
	}
}

// rateBucket returns the bucket a request counts against.
func rateBucket(method, escapedPath string) string {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	if len(segs) > 0 && segs[0] == "oauth2" {
		return escapedPath
	}
	if len(segs) < 3 || segs[0] != "api" || segs[1] != "v1" {
		return bucketOtherAPI
	}
	switch segs[2] {
	case "users":
		if len(segs) == 4 && segs[3] != "" {
			if method == "GET" {
				return bucketUserGet
			}
			return bucketUserWrite
		}
		return bucketUsers
	case "groups":
		if len(segs) == 4 && segs[3] != "" {
			return bucketGroup
		}
		return bucketGroups
	case "logs":
		return bucketLogs
	}
	return bucketOtherAPI
}

// rateLimiter keeps a fixed window per bucket. A window starts with the
// first request after the previous one ended, so windows are not aligned
// to wall-clock minutes (as Okta's are not).
type rateLimiter struct {
	mu      sync.Mutex
	uniform int            // > 0: this limit in every bucket; NoRateLimit: none; 0: limits
	limits  map[string]int // per bucket, when uniform is 0
	windows map[string]*window
}

type window struct {
	start time.Time
	used  int
}

// rateState is what the X-Rate-Limit-* headers report.
type rateState struct {
	limit, remaining int
	reset            int64 // epoch seconds
}

func newRateLimiter(limit int) *rateLimiter {
	l := &rateLimiter{windows: make(map[string]*window)}
	l.setLimit(limit)
	return l
}

func (l *rateLimiter) setLimit(n int) {
	if n < 0 {
		n = NoRateLimit
	}
	limits := DefaultRateLimits()
	l.mu.Lock()
	l.uniform, l.limits = n, limits
	l.mu.Unlock()
}

// limitOf is the per-minute limit of a bucket; 0 means none.
func (l *rateLimiter) limitOf(bucket string) int {
	switch {
	case l.uniform > 0:
		return l.uniform
	case l.uniform == NoRateLimit:
		return 0
	}
	if n, ok := l.limits[bucket]; ok {
		return n
	}
	if strings.HasPrefix(bucket, bucketOAuth2Prefix+"/") {
		return defaultOAuth2Limit
	}
	return l.limits[bucketOtherAPI]
}

func (l *rateLimiter) current(bucket string, now time.Time) *window {
	w := l.windows[bucket]
	if w == nil {
		w = &window{start: now}
		l.windows[bucket] = w
	} else if !now.Before(w.start.Add(rateWindow)) {
		w.start, w.used = now, 0
	}
	return w
}

func (l *rateLimiter) state(bucket string, w *window) rateState {
	end := w.start.Add(rateWindow)
	reset := end.Unix()
	if end.Nanosecond() != 0 {
		reset++ // round up: the window is over by then
	}
	limit := l.limitOf(bucket)
	if limit <= 0 {
		limit = unlimited
	}
	return rateState{limit: limit, remaining: max(limit-w.used, 0), reset: reset}
}

// take counts a request in bucket; ok is false when the bucket is
// exhausted (the rejected request is not counted).
func (l *rateLimiter) take(bucket string, now time.Time) (rateState, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.current(bucket, now)
	if limit := l.limitOf(bucket); limit > 0 && w.used >= limit {
		return l.state(bucket, w), false
	}
	w.used++
	return l.state(bucket, w), true
}

// peek reports the bucket's state without counting a request.
func (l *rateLimiter) peek(bucket string, now time.Time) rateState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state(bucket, l.current(bucket, now))
}

// SetRateLimit changes the org's rate limits, with the meaning of
// Options.RateLimit: 0 restores Okta's default limits per bucket
// (DefaultRateLimits), n > 0 allows n requests per minute in every bucket,
// NoRateLimit turns limiting off. Requests already counted in the current
// windows stay counted.
func (o *Org) SetRateLimit(perMinute int) { o.limiter.setLimit(perMinute) }
