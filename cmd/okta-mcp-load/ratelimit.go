package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// rateWindow is the in-memory org's rate-limit window (Okta's limits are per
// minute).
const rateWindow = time.Minute

// idealDuration is the least time in which m calls can complete against a
// limit of n calls per fixed window that starts with the first call after the
// previous window ended (the in-memory org's limiter, like Okta's): every
// window but the last is waited out in full; the last batch is free.
func idealDuration(m, n int) time.Duration {
	if m <= 0 || n <= 0 {
		return 0
	}
	return time.Duration((m-1)/n) * rateWindow
}

// rateLimit runs c.rlCalls okta_get_user calls from c.rlSessions concurrent
// streamable-HTTP sessions against an org limited to c.rate requests per
// minute, in real time, and reports ideal/actual time and the errors
// surfaced to the agent (isError results or JSON-RPC errors).
func rateLimit(ctx context.Context, c *config) ([]result, error) {
	b, err := startBackend(c.self, 0, c.rate)
	if err != nil {
		return nil, err
	}
	defer b.close()
	hp, err := startHTTPServer(ctx, c, serverEnv(b))
	if err != nil {
		return nil, err
	}
	defer hp.stop()
	hc := loopbackClient(c.rlSessions)
	// No per-request timeout of the client's own: a call held by the server
	// for a window (or two) is not an error the server surfaced; the run as
	// a whole is bounded below.
	hc.Timeout = 0
	sessions := make([]*httpSession, c.rlSessions)
	for i := range sessions {
		sessions[i] = newHTTPSession(hc, hp.url, nil)
		if err := sessions[i].initialize(ctx); err != nil {
			return nil, fmt.Errorf("session %d: %w", i, err)
		}
		defer sessions[i].close(ctx)
	}
	// Let the org's window for this bucket start with the first call.
	args := map[string]any{"userId": b.userID}
	var next, surfaced atomic.Int64
	var mu sync.Mutex
	var firstErr string
	var lat []time.Duration
	ideal := idealDuration(c.rlCalls, c.rate)
	limit := ideal + 2*rateWindow // bounded: give up well after the ideal
	cctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	c.logf("rate limit: %d calls, %d sessions, limit %d/min: ideal %s", c.rlCalls, c.rlSessions, c.rate, ideal)
	t0 := time.Now()
	var wg sync.WaitGroup
	for _, s := range sessions {
		wg.Go(func() {
			for next.Add(1) <= int64(c.rlCalls) {
				t0 := time.Now()
				r, err := s.callTool(cctx, "okta_get_user", args, "")
				d := time.Since(t0)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
				msg := ""
				switch {
				case err != nil:
					msg = err.Error()
				case r.IsError:
					msg = r.text()
				}
				if msg != "" {
					surfaced.Add(1)
					mu.Lock()
					if firstErr == "" {
						firstErr = truncate(msg, 300)
					}
					mu.Unlock()
				}
				if cctx.Err() != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	actual := time.Since(t0)
	if cctx.Err() != nil {
		return nil, fmt.Errorf("gave up after %s (ideal %s): %w", actual.Round(time.Second), ideal, cctx.Err())
	}
	st, err := b.stats(ctx)
	if err != nil {
		return nil, err
	}
	served, rejected := st.OK, st.RateLimited
	eff := ideal.Seconds() / actual.Seconds()
	maxLat := quantile(lat, 1)
	slow := 0 // calls that waited longer than one window
	for _, d := range lat {
		if d > rateWindow+5*time.Second {
			slow++
		}
	}
	c.logf("rate limit: done in %s, efficiency %.3f, %d errors surfaced, org served %d, refused %d; slowest call %s, %d waited more than one window",
		actual.Round(time.Millisecond), eff, surfaced.Load(), served, rejected, maxLat.Round(time.Millisecond), slow)
	r := result{
		Experiment: "rate limit",
		Metric:     fmt.Sprintf("%d okta_get_user calls, %d sessions over streamable HTTP, org limited to %d/min (real time)", c.rlCalls, c.rlSessions, c.rate),
		Value:      eff,
		Unit:       "ideal/actual",
		Baseline:   fmt.Sprintf("ideal %s (M/N = %.2f min); actual %s", ideal, float64(c.rlCalls)/float64(c.rate), actual.Round(time.Millisecond)),
		Derived: fmt.Sprintf("%d errors surfaced; the org served %d requests and refused %d with 429; slowest call %s, %d call(s) waited more than one window",
			surfaced.Load(), served, rejected, maxLat.Round(time.Millisecond), slow),
		Target: "≥ 0.95 with 0 errors",
		Met:    boolPtr(eff >= 0.95 && surfaced.Load() == 0),
		Detail: map[string]any{"calls": c.rlCalls, "rate_per_min": c.rate, "ideal_s": ideal.Seconds(), "actual_s": actual.Seconds(), "errors": surfaced.Load(), "org_served": served, "org_429": rejected,
			"max_call_s": maxLat.Seconds(), "p50_call_ms": float64(median(lat)) / 1e6, "calls_waiting_over_one_window": slow},
	}
	if firstErr != "" {
		r.Note = "first error surfaced: " + firstErr
	}
	return []result{r}, nil
}
