package okta

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RateLimit is the rate-limit state Okta reported for a request's bucket
// (X-Rate-Limit-Limit, -Remaining and -Reset). It is the zero value when the
// answer carried no such headers.
type RateLimit struct {
	Limit     int       // requests allowed per window; 0 with Remaining 0 means Okta's concurrency limit
	Remaining int       // requests left in the current window
	Reset     time.Time // when the window resets, as Okta reported it (Okta's clock, second precision)
}

// parseRateLimit reads the X-Rate-Limit-* headers; ok is false unless all
// three are present and well-formed.
func parseRateLimit(h http.Header) (rl RateLimit, ok bool) {
	limit, err1 := strconv.Atoi(strings.TrimSpace(h.Get("X-Rate-Limit-Limit")))
	remaining, err2 := strconv.Atoi(strings.TrimSpace(h.Get("X-Rate-Limit-Remaining")))
	reset, err3 := strconv.ParseInt(strings.TrimSpace(h.Get("X-Rate-Limit-Reset")), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || limit < 0 || remaining < 0 || reset <= 0 {
		return RateLimit{}, false
	}
	return RateLimit{Limit: limit, Remaining: remaining, Reset: time.Unix(reset, 0).UTC()}, true
}

// localReset converts Okta's reset time to the client's clock: the wait is
// measured against the answer's Date header (Okta's clock), so clock skew
// between Okta and this host does not matter. Without a usable Date header
// the reset is taken as is.
func localReset(reset time.Time, h http.Header, now time.Time) time.Time {
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		return now.Add(reset.Sub(d))
	}
	return reset
}

// bucketFor names the rate-limit bucket of a request from its method and
// path template. Okta counts a per-minute limit per endpoint family, and one
// family's counter is shared by several operations (the management
// rate-limit table; okta/sandbox's DefaultRateLimits cites the recorded
// X-Rate-Limit-Limit values it agrees with):
//
//	/api/v1/users              list and create users, and every /api/v1/users/{id}/... operation
//	                           (lifecycle, groups, sessions, factors)
//	GET /api/v1/users/{id}     get a user
//	/api/v1/users/{id}         update, replace and delete a user
//	/api/v1/groups             list and create groups, and every /api/v1/groups/{id}/... operation
//	                           (members, adding and removing them)
//	/api/v1/groups/{id}        get, replace and delete a group
//	/api/v1/logs               the System Log
//	/api/v1                    anything else under /api/v1
//
// Keeping the client's buckets the same as Okta's is what lets it pace
// ahead: an answer that reports a family exhausted holds every operation of
// that family (an offboarding's group removals after its membership lookups)
// until the window resets, instead of each sending once more to learn of
// the limit from a 429.
func bucketFor(method, template string) string {
	rest, ok := strings.CutPrefix(template, "/api/v1/")
	if !ok {
		return method + " " + template
	}
	family, sub, _ := strings.Cut(rest, "/")
	one := sub != "" && !strings.Contains(sub, "/") // /api/v1/{family}/{id} itself
	switch family {
	case "users":
		switch {
		case one && method == http.MethodGet:
			return "GET /api/v1/users/{id}"
		case one:
			return "/api/v1/users/{id}"
		}
		return "/api/v1/users"
	case "groups":
		if one {
			return "/api/v1/groups/{id}"
		}
		return "/api/v1/groups"
	case "logs":
		return "/api/v1/logs"
	}
	return "/api/v1"
}

// limiter remembers, per bucket, until when requests must be held back
// because Okta reported Remaining 0.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucketState
}

// Every request held for a bucket (because an answer reported Remaining 0,
// or because it got a 429) waits for the same moment: the end of the hold
// plus one jitter drawn per hold, not per request. Requests that got a 429
// used to wait longer (reset + margin + their own jitter) than requests held
// by Remaining 0 (reset + their own jitter), so on a fast backend the held
// ones could spend the whole new window before the 429'd ones woke up, and
// those waited a further window.
type bucketState struct {
	last      RateLimit     // as last reported
	holdUntil time.Time     // client clock; zero when not held
	jitter    time.Duration // drawn once per hold; every held request wakes at holdUntil+jitter
}

func (l *limiter) bucket(name string) *bucketState {
	if l.buckets == nil {
		l.buckets = make(map[string]*bucketState)
	}
	b := l.buckets[name]
	if b == nil {
		b = &bucketState{}
		l.buckets[name] = b
	}
	return b
}

// extend makes the hold of b last at least until until, drawing a new
// jitter when the hold changes.
func (b *bucketState) extend(until time.Time, jitter func(time.Duration) time.Duration) {
	if until.After(b.holdUntil) {
		b.holdUntil = until
		b.jitter = jitter(rateLimitJitter)
	}
}

// observe records the rate-limit headers of an answer for bucket.
func (l *limiter) observe(bucket string, h http.Header, now time.Time, jitter func(time.Duration) time.Duration) {
	rl, ok := parseRateLimit(h)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(bucket)
	switch {
	case rl.Remaining == 0 && rl.Limit > 0:
		// The window is spent: hold further requests until it resets.
		// (Limit 0 with Remaining 0 is Okta's concurrency limit, whose reset
		// is only a suggestion; the 429 path handles it.) A hold already
		// extended for a 429 of the same window is not shortened.
		if rl.Reset.After(b.last.Reset) {
			b.holdUntil = time.Time{}
		}
		b.extend(localReset(rl.Reset, h, now), jitter)
	case rl.Reset.After(b.last.Reset):
		// A new window began; an older hold no longer applies. An answer
		// from the same window with Remaining > 0 (sent before the hold)
		// does not lift it.
		b.holdUntil = time.Time{}
	}
	if !rl.Reset.Before(b.last.Reset) {
		b.last = rl
	}
}

// holdAtLeast extends bucket's hold to at least until (after a 429) and
// returns when the held requests, the 429'd one included, wake up.
func (l *limiter) holdAtLeast(bucket string, until time.Time, jitter func(time.Duration) time.Duration) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(bucket)
	b.extend(until, jitter)
	return b.holdUntil.Add(b.jitter)
}

// hold returns how long requests to bucket must still wait (0 when they may
// go now; the hold's jitter included), the end of the hold and the last
// reported limit.
func (l *limiter) hold(bucket string, now time.Time) (time.Duration, time.Time, RateLimit) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[bucket]
	if b == nil || b.holdUntil.IsZero() {
		return 0, time.Time{}, RateLimit{}
	}
	d := b.holdUntil.Add(b.jitter).Sub(now)
	if d <= 0 {
		return 0, time.Time{}, b.last
	}
	return d, b.holdUntil, b.last
}
