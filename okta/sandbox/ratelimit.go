package sandbox

import (
	"math"
	"sync"
	"time"
)

// rateWindow is the length of a rate-limit window, as Okta's per-minute
// limits.
const rateWindow = time.Minute

// unlimited is what X-Rate-Limit-Limit reports when no limit is set, so that
// clients that pause at Remaining: 0 never do.
const unlimited = math.MaxInt32

// rateLimiter keeps a fixed window per bucket (method + path template). A
// window starts with the first request after the previous one ended, so
// windows are not aligned to wall-clock minutes (as Okta's are not).
type rateLimiter struct {
	mu      sync.Mutex
	limit   int
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
	return &rateLimiter{limit: limit, windows: make(map[string]*window)}
}

func (l *rateLimiter) setLimit(n int) {
	l.mu.Lock()
	l.limit = n
	l.mu.Unlock()
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

func (l *rateLimiter) state(w *window) rateState {
	end := w.start.Add(rateWindow)
	reset := end.Unix()
	if end.Nanosecond() != 0 {
		reset++ // round up: the window is over by then
	}
	limit := l.limit
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
	if l.limit > 0 && w.used >= l.limit {
		return l.state(w), false
	}
	w.used++
	return l.state(w), true
}

// peek reports the bucket's state without counting a request.
func (l *rateLimiter) peek(bucket string, now time.Time) rateState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state(l.current(bucket, now))
}

// SetRateLimit changes the requests-per-minute limit of every bucket (0 =
// unlimited). Requests already counted in the current windows stay counted.
func (o *Org) SetRateLimit(perMinute int) { o.limiter.setLimit(perMinute) }
