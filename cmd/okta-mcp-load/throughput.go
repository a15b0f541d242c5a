package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// closedLoop runs workers that each call f back to back for d and returns
// the number of successful calls, the first error, and latencies.
func closedLoop(ctx context.Context, workers int, d time.Duration, f func(worker int) error) (int64, error, []time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var n atomic.Int64
	var mu sync.Mutex
	var first error
	lat := make([][]time.Duration, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				t0 := time.Now()
				if err := f(w); err != nil {
					if ctx.Err() != nil {
						return // the phase ended during the call
					}
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					cancel()
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
				n.Add(1)
			}
		})
	}
	wg.Wait()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	return n.Load(), first, all
}

// throughput measures okta_get_user calls per second over streamable HTTP
// with 1 and 32 concurrent sessions, next to direct GETs of the same user
// from the same org with as many concurrent workers.
func throughput(ctx context.Context, c *config) ([]result, error) {
	b, err := startBackend(c.self, 0, 0)
	if err != nil {
		return nil, err
	}
	defer b.close()
	hp, err := startHTTPServer(ctx, c, serverEnv(b))
	if err != nil {
		return nil, err
	}
	defer hp.stop()
	args := map[string]any{"userId": b.userID}
	var rs []result
	for _, n := range c.sessions {
		hc := loopbackClient(n)
		// Baseline: direct GETs with n workers.
		bn, err, blat := closedLoop(ctx, n, c.duration, func(int) error { return directGet(ctx, hc, b, b.userID) })
		if err != nil {
			return rs, fmt.Errorf("direct GET: %w", err)
		}
		// okta-mcp: n sessions, each initialized before the clock starts.
		mhc := loopbackClient(n)
		sessions := make([]*httpSession, n)
		for i := range sessions {
			sessions[i] = newHTTPSession(mhc, hp.url, nil)
			if err := sessions[i].initialize(ctx); err != nil {
				return rs, fmt.Errorf("session %d: initialize: %w (stderr: %s)", i, err, hp.stderr.String())
			}
		}
		mn, err, mlat := closedLoop(ctx, n, c.duration, func(w int) error {
			r, err := sessions[w].callTool(ctx, "okta_get_user", args, "")
			if err != nil {
				return err
			}
			if r.IsError {
				return fmt.Errorf("okta_get_user: %s", truncate(r.text(), 300))
			}
			return nil
		})
		for _, s := range sessions {
			s.close(ctx)
		}
		if err != nil {
			return rs, fmt.Errorf("okta-mcp with %d sessions: %w (stderr: %s)", n, err, hp.stderr.String())
		}
		secs := c.duration.Seconds()
		brate, mrate := float64(bn)/secs, float64(mn)/secs
		c.logf("throughput %d sessions: direct %.0f/s (p50 %s µs), okta-mcp %.0f/s (p50 %s µs)", n, brate, us(median(blat)), mrate, us(median(mlat)))
		rs = append(rs, result{
			Experiment: "throughput",
			Metric:     "okta_get_user over streamable HTTP, " + strconv.Itoa(n) + " concurrent session(s), " + c.duration.String(),
			Value:      mrate,
			Unit:       "calls/s",
			Baseline:   fmt.Sprintf("direct GET, %d worker(s): %.0f/s", n, brate),
			Derived:    fmt.Sprintf("%.0f%% of direct; p50 %s µs vs %s µs", 100*mrate/brate, us(median(mlat)), us(median(blat))),
			Detail: map[string]any{"sessions": n, "calls": mn, "direct_calls": bn,
				"p50_us": float64(median(mlat)) / 1e3, "p99_us": float64(quantile(mlat, 0.99)) / 1e3,
				"direct_p50_us": float64(median(blat)) / 1e3},
		})
		hc.CloseIdleConnections()
		mhc.CloseIdleConnections()
	}
	return rs, nil
}
