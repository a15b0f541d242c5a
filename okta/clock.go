package okta

import (
	"context"
	"time"
)

// Clock is the client's source of time. Retry and rate-limit waits go
// through Sleep, so tests can inject a fake clock and run instantly and
// deterministically. Per-attempt timeouts (Config.Timeout) use real time.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, or until ctx is done, in which case it returns
	// ctx's error.
	Sleep(ctx context.Context, d time.Duration) error
}

// realClock is the default Clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error { return Sleep(ctx, d) }

// Sleep waits for d in real time, or until ctx is done, in which case it
// returns ctx's error.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
