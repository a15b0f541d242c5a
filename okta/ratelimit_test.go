package okta

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rateLimitHeaders sets Date from now and X-Rate-Limit-* with Reset
// resetIn after Date, as Okta does.
func rateLimitHeaders(w http.ResponseWriter, now time.Time, limit, remaining int, resetIn time.Duration) {
	date := now.Truncate(time.Second)
	w.Header().Set("Date", date.UTC().Format(http.TimeFormat))
	w.Header().Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	w.Header().Set("X-Rate-Limit-Reset", strconv.FormatInt(date.Add(resetIn).Unix(), 10))
}

func write429(w http.ResponseWriter, now time.Time, resetIn time.Duration, rid string) {
	rateLimitHeaders(w, now, 600, 0, resetIn)
	w.Header().Set("X-Okta-Request-Id", rid)
	writeJSON(w, 429, map[string]any{"errorCode": "E0000047", "errorSummary": "API call exceeded rate limit due to too many requests.",
		"errorLink": "E0000047", "errorId": "oae429", "errorCauses": []any{}})
}

func TestParseRateLimit(t *testing.T) {
	h := http.Header{}
	_, ok := parseRateLimit(h)
	assert.False(t, ok)
	h.Set("X-Rate-Limit-Limit", "1200")
	h.Set("X-Rate-Limit-Remaining", "1199")
	h.Set("X-Rate-Limit-Reset", "1609459200")
	rl, ok := parseRateLimit(h)
	require.True(t, ok)
	assert.Equal(t, RateLimit{Limit: 1200, Remaining: 1199, Reset: time.Unix(1609459200, 0).UTC()}, rl)
	h.Set("X-Rate-Limit-Reset", "soon")
	_, ok = parseRateLimit(h)
	assert.False(t, ok)
}

// The client's buckets are Okta's endpoint families, the same as the
// in-memory org's (okta/sandbox rateBucket), so that what one answer says
// about a family holds the family's other operations.
func TestBucketFor(t *testing.T) {
	tests := []struct{ method, template, want string }{
		{"GET", "/api/v1/users", "/api/v1/users"},
		{"POST", "/api/v1/users", "/api/v1/users"},
		{"GET", "/api/v1/users/{id}", "GET /api/v1/users/{id}"},
		{"POST", "/api/v1/users/{id}", "/api/v1/users/{id}"},
		{"DELETE", "/api/v1/users/{id}", "/api/v1/users/{id}"},
		{"POST", "/api/v1/users/{id}/lifecycle/suspend", "/api/v1/users"},
		{"GET", "/api/v1/users/{id}/groups", "/api/v1/users"},
		{"DELETE", "/api/v1/users/{userId}/sessions", "/api/v1/users"},
		{"GET", "/api/v1/groups", "/api/v1/groups"},
		{"GET", "/api/v1/groups/{groupId}", "/api/v1/groups/{id}"},
		{"DELETE", "/api/v1/groups/{groupId}", "/api/v1/groups/{id}"},
		{"GET", "/api/v1/groups/{groupId}/users", "/api/v1/groups"},
		{"DELETE", "/api/v1/groups/{groupId}/users/{userId}", "/api/v1/groups"},
		{"GET", "/api/v1/logs", "/api/v1/logs"},
		{"GET", "/api/v1/meta/schemas/user/default", "/api/v1"},
		{"POST", "/oauth2/v1/token", "POST /oauth2/v1/token"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, bucketFor(tt.method, tt.template), "%s %s", tt.method, tt.template)
	}
}

// Test429RetryWaitsUntilReset checks the wait (Reset - Date + margin), the
// retry headers, and that a 429 is retried for every method, POST included.
func Test429RetryWaitsUntilReset(t *testing.T) {
	ops := map[string]func(*Client) error{
		"GET": func(c *Client) error { _, _, err := c.GetUser(context.Background(), "00u1"); return err },
		"POST": func(c *Client) error {
			_, _, err := c.CreateUser(context.Background(), CreateUserRequest{Profile: UserProfile{"login": "a@b.c"}}, true)
			return err
		},
		"PUT":    func(c *Client) error { _, err := c.AddUserToGroup(context.Background(), "00g1", "00u1"); return err },
		"DELETE": func(c *Client) error { _, err := c.DeleteGroup(context.Background(), "00g1"); return err },
	}
	for method, op := range ops {
		t.Run(method, func(t *testing.T) {
			f := setup(t)
			var mu sync.Mutex
			var seen []http.Header
			var bodies []string
			f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, r.Header.Clone())
				bodies = append(bodies, readBody(t, r))
				switch len(seen) {
				case 1:
					write429(w, f.clock.Now(), 7*time.Second, "rl-first")
				case 2:
					write429(w, f.clock.Now(), 3*time.Second, "rl-second")
				default:
					rateLimitHeaders(w, f.clock.Now(), 600, 10, 30*time.Second)
					writeJSON(w, 200, map[string]any{"id": "x"})
				}
			})
			require.NoError(t, op(f.client))
			require.Len(t, seen, 3)
			assert.Equal(t, []time.Duration{7*time.Second + rateLimitMargin, 3*time.Second + rateLimitMargin}, f.clock.Sleeps())
			assert.Empty(t, seen[0].Get("X-Okta-Retry-For"))
			assert.Empty(t, seen[0].Get("X-Okta-Retry-Count"))
			assert.Equal(t, "rl-first", seen[1].Get("X-Okta-Retry-For"))
			assert.Equal(t, "1", seen[1].Get("X-Okta-Retry-Count"))
			assert.Equal(t, "rl-second", seen[2].Get("X-Okta-Retry-For"))
			assert.Equal(t, "2", seen[2].Get("X-Okta-Retry-Count"))
			assert.Equal(t, bodies[0], bodies[2], "the retried request carries the same body")
			assert.Contains(t, f.logs.String(), "rate limited; waiting for the limit to reset")
		})
	}
}

func Test429WaitUsesDateNotLocalClock(t *testing.T) {
	f := setup(t)
	n := 0
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			// Okta's clock is an hour behind ours: only Reset - Date counts.
			write429(w, f.clock.Now().Add(-time.Hour), 5*time.Second, "rl")
			return
		}
		writeJSON(w, 200, map[string]any{"id": "x"})
	})
	_, _, err := f.client.GetUser(context.Background(), "00u1")
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{5*time.Second + rateLimitMargin}, f.clock.Sleeps())
}

func Test429Jitter(t *testing.T) {
	f := setup(t)
	var gotMax time.Duration
	f.client.jitter = func(max time.Duration) time.Duration { gotMax = max; return max - 1 }
	n := 0
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			write429(w, f.clock.Now(), 2*time.Second, "rl")
			return
		}
		writeJSON(w, 200, map[string]any{})
	})
	_, _, err := f.client.GetUser(context.Background(), "00u1")
	require.NoError(t, err)
	assert.Equal(t, rateLimitJitter, gotMax)
	assert.Equal(t, []time.Duration{2*time.Second + rateLimitMargin + rateLimitJitter - 1}, f.clock.Sleeps())
}

func Test429GivesUpAfterMaxRetries(t *testing.T) {
	f := setup(t, func(c *Config) { c.MaxRetries = 2 })
	var hits atomic.Int32
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		write429(w, f.clock.Now(), 4*time.Second, "rl-"+strconv.Itoa(int(hits.Load())))
	})
	_, _, err := f.client.ListUsers(context.Background(), nil)
	require.Error(t, err)
	assert.Equal(t, int32(3), hits.Load())
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.Equal(t, "GET", rle.Method)
	assert.Equal(t, "/api/v1/users", rle.Path)
	assert.Equal(t, 600, rle.Limit)
	assert.Equal(t, "rl-3", rle.Err.RequestID)
	// The last 429 came at the clock's current time; its reset is 4s later.
	assert.Equal(t, f.clock.Now().Truncate(time.Second).Add(4*time.Second), rle.Reset)
	assert.True(t, IsRateLimited(err))
	reset, ok := RateLimitReset(err)
	assert.True(t, ok)
	assert.Equal(t, rle.Reset, reset)
	assert.Contains(t, err.Error(), "retry after "+rle.Reset.UTC().Format("15:04:05"))
	assert.Contains(t, f.logs.String(), "rate limited; giving up")
}

func Test429WaitBeyondMaxWaitFailsAtOnce(t *testing.T) {
	f := setup(t, func(c *Config) { c.MaxWait = 30 * time.Second })
	var hits atomic.Int32
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		write429(w, f.clock.Now(), 45*time.Second, "rl")
	})
	_, _, err := f.client.GetUser(context.Background(), "00u1")
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.Equal(t, int32(1), hits.Load())
	assert.Empty(t, f.clock.Sleeps())
	assert.Equal(t, f.clock.Now().Truncate(time.Second).Add(45*time.Second), rle.Reset)
}

func Test429WaitBeyondContextDeadlineFailsAtOnce(t *testing.T) {
	f := setup(t)
	var hits atomic.Int32
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		write429(w, f.clock.Now(), 20*time.Second, "rl")
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, err := f.client.GetUser(ctx, "00u1")
	assert.True(t, IsRateLimited(err))
	assert.Equal(t, int32(1), hits.Load())
	assert.Empty(t, f.clock.Sleeps())
}

func Test429WithoutDateOrResetBacksOff(t *testing.T) {
	f := setup(t)
	n := 0
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n++
		if n <= 2 {
			w.Header()["Date"] = nil // suppress the server's Date header
			writeJSON(w, 429, map[string]any{"errorCode": "E0000047"})
			return
		}
		writeJSON(w, 200, map[string]any{})
	})
	_, _, err := f.client.GetUser(context.Background(), "00u1")
	require.NoError(t, err)
	// Equal-jitter backoff from 1s with zero jitter: 1s/2, 2s/2.
	assert.Equal(t, []time.Duration{500 * time.Millisecond, time.Second}, f.clock.Sleeps())
}

// TestProactiveHold checks that Remaining 0 holds the next request to the
// same bucket until the reset, without spending a 429, and leaves other
// buckets alone.
func TestProactiveHold(t *testing.T) {
	f := setup(t)
	var mu sync.Mutex
	var at []time.Time
	f.mux.HandleFunc("GET /api/v1/users", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		at = append(at, f.clock.Now())
		if len(at) == 1 {
			rateLimitHeaders(w, f.clock.Now(), 100, 0, 10*time.Second)
		} else {
			rateLimitHeaders(w, f.clock.Now(), 100, 99, 60*time.Second)
		}
		writeJSON(w, 200, []any{})
	})
	f.mux.HandleFunc("GET /api/v1/groups", func(w http.ResponseWriter, r *http.Request) {
		rateLimitHeaders(w, f.clock.Now(), 100, 50, 60*time.Second)
		writeJSON(w, 200, []any{})
	})
	ctx := context.Background()
	_, resp, err := f.client.ListUsers(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, resp.RateLimit.Remaining)

	_, _, err = f.client.ListGroups(ctx, nil) // another bucket: not held
	require.NoError(t, err)
	assert.Empty(t, f.clock.Sleeps())

	_, _, err = f.client.ListUsers(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{10 * time.Second}, f.clock.Sleeps())
	require.Len(t, at, 2)
	assert.Equal(t, 10*time.Second, at[1].Sub(at[0]))
	assert.Contains(t, f.logs.String(), "holding the request until the reset")

	// A new window lifts the hold: no more waiting.
	_, _, err = f.client.ListUsers(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, f.clock.Sleeps(), 1)
}

func TestProactiveHoldBeyondMaxWaitIsNotSent(t *testing.T) {
	f := setup(t)
	var hits atomic.Int32
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		rateLimitHeaders(w, f.clock.Now(), 100, 0, 5*time.Minute)
		writeJSON(w, 200, map[string]any{})
	})
	ctx := context.Background()
	_, _, err := f.client.GetUser(ctx, "00u1")
	require.NoError(t, err)
	_, _, err = f.client.GetUser(ctx, "00u2")
	var rle *RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.Nil(t, rle.Err, "nothing was sent")
	assert.Equal(t, int32(1), hits.Load())
	assert.Equal(t, f.clock.Now().Truncate(time.Second).Add(5*time.Minute), rle.Reset)
	assert.Equal(t, 100, rle.Limit)
	assert.Contains(t, err.Error(), "held back without sending")
}

func TestConcurrencyLimitSignalDoesNotHold(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		rateLimitHeaders(w, f.clock.Now(), 0, 0, 5*time.Minute) // Okta's concurrency-limit headers
		writeJSON(w, 200, map[string]any{})
	})
	for range 3 {
		_, _, err := f.client.GetUser(context.Background(), "00u1")
		require.NoError(t, err)
	}
	assert.Empty(t, f.clock.Sleeps())
}

func TestConcurrencyCap(t *testing.T) {
	f := setup(t, func(c *Config) { c.MaxConcurrent = 3 })
	var inflight, maxInflight atomic.Int32
	release := make(chan struct{})
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		for {
			m := maxInflight.Load()
			if n <= m || maxInflight.CompareAndSwap(m, n) {
				break
			}
		}
		select {
		case <-release:
		case <-time.After(5 * time.Second):
		}
		inflight.Add(-1)
		writeJSON(w, 200, map[string]any{})
	})
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			_, _, err := f.client.GetUser(context.Background(), "00u1")
			errs <- err
		})
	}
	require.Eventually(t, func() bool { return inflight.Load() == 3 }, 2*time.Second, time.Millisecond)
	time.Sleep(50 * time.Millisecond) // give a 4th request the chance to (wrongly) arrive
	assert.Equal(t, int32(3), inflight.Load())

	// While the slots are taken, a caller whose context ends gives up.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	_, _, err := f.client.GetUser(ctx, "00u1")
	cancel()
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "free connection slot")

	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, int32(3), maxInflight.Load())
}

func TestCancelWhileWaitingForRateLimit(t *testing.T) {
	f := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	f.client.clock = cancellingClock{f.clock, cancel}
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		write429(w, f.clock.Now(), 3*time.Second, "rl")
	})
	_, _, err := f.client.GetUser(ctx, "00u1")
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, errors.Is(err, context.Canceled))
}

// cancellingClock cancels the context when asked to sleep, as if the caller
// gave up during the wait.
type cancellingClock struct {
	*fakeClock
	cancel context.CancelFunc
}

func (c cancellingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.cancel()
	return c.fakeClock.Sleep(ctx, d)
}

// hookClock is a fakeClock that records when each Sleep would wake and runs
// hook (once) at the start of the first Sleep, before time moves.
type hookClock struct {
	*fakeClock
	mu    sync.Mutex
	wakes []time.Time
	hook  func()
}

func (c *hookClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.wakes = append(c.wakes, c.Now().Add(d))
	hook := c.hook
	c.hook = nil
	c.mu.Unlock()
	if hook != nil {
		hook()
	}
	return c.fakeClock.Sleep(ctx, d)
}

func (c *hookClock) Wakes() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Time(nil), c.wakes...)
}

// TestRateLimitHeldRequestsWakeWith429 checks fairness at a window reset:
// while a request that got a 429 waits for the reset, the requests held for
// the same bucket (because Okta reported Remaining 0) wake at the same
// moment, not earlier, so they cannot spend the new window before it. The
// client used to wake the 429'd request at reset + 500 ms + its own jitter
// and the held ones at reset + their own jitter: with 600 requests a
// minute, the held ones used up the new window and the 429'd one waited a
// further minute.
func TestRateLimitHeldRequestsWakeWith429(t *testing.T) {
	clock := &hookClock{fakeClock: newFakeClock()}
	f := setup(t, func(c *Config) { c.Clock = clock })
	var n atomic.Int64
	f.client.jitter = func(max time.Duration) time.Duration {
		// A different jitter on every draw, below max.
		return time.Duration(n.Add(1)) * max / 10
	}
	var mu sync.Mutex
	var sent []string
	first := true
	f.mux.HandleFunc("GET /api/v1/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		sent = append(sent, r.PathValue("id"))
		if first {
			first = false
			write429(w, f.clock.Now(), 10*time.Second, "rl")
			return
		}
		rateLimitHeaders(w, f.clock.Now(), 600, 599, 70*time.Second)
		writeJSON(w, 200, map[string]any{"id": r.PathValue("id")})
	})
	ctx := context.Background()
	var heldErrs []error
	clock.hook = func() {
		// The 429'd request is waiting; two more requests for the bucket
		// arrive and are held.
		for _, id := range []string{"00uB", "00uC"} {
			_, _, err := f.client.GetUser(ctx, id)
			heldErrs = append(heldErrs, err)
		}
	}
	_, _, err := f.client.GetUser(ctx, "00uA")
	require.NoError(t, err)
	for _, err := range heldErrs {
		require.NoError(t, err)
	}
	wakes := clock.Wakes()
	// The 429'd request's wait, then the first held request's (the second
	// is sent after the hold is over: the new window lifted it).
	require.Len(t, wakes, 2, "sleeps: %v", clock.Sleeps())
	assert.Equal(t, wakes[0], wakes[1], "held requests wake with the 429'd one")
	reset := newFakeClock().Now().Add(10 * time.Second)
	assert.False(t, wakes[0].Before(reset.Add(rateLimitMargin)), "not before reset + margin: %v", wakes[0])
	assert.Less(t, wakes[0].Sub(reset), rateLimitMargin+rateLimitJitter)
	assert.Equal(t, []string{"00uA", "00uB", "00uC", "00uA"}, sent)
}
