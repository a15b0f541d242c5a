package okta

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idempotentOps and postOps call one operation of each kind.
var idempotentOps = map[string]func(context.Context, *Client) error{
	"GET": func(ctx context.Context, c *Client) error { _, _, err := c.GetUser(ctx, "00u1"); return err },
	"PUT": func(ctx context.Context, c *Client) error {
		_, _, err := c.ReplaceGroup(ctx, "00g1", GroupProfile{Name: "n"})
		return err
	},
	"DELETE": func(ctx context.Context, c *Client) error {
		_, err := c.RemoveUserFromGroup(ctx, "00g1", "00u1")
		return err
	},
}

var postOps = map[string]func(context.Context, *Client) error{
	"createUser": func(ctx context.Context, c *Client) error {
		_, _, err := c.CreateUser(ctx, CreateUserRequest{Profile: UserProfile{"login": "a@example.org"}}, false)
		return err
	},
	"addGroup": func(ctx context.Context, c *Client) error {
		_, _, err := c.CreateGroup(ctx, GroupProfile{Name: "n"})
		return err
	},
	"updateUser": func(ctx context.Context, c *Client) error {
		_, _, err := c.UpdateUser(ctx, "00u1", UserProfile{"a": "b"})
		return err
	},
	"suspendUser": func(ctx context.Context, c *Client) error {
		_, err := c.SuspendUser(ctx, "00u1")
		return err
	},
}

func Test5xxRetriedForIdempotentMethods(t *testing.T) {
	for name, op := range idempotentOps {
		t.Run(name, func(t *testing.T) {
			f := setup(t)
			var mu sync.Mutex
			var seen []http.Header
			f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, r.Header.Clone())
				switch len(seen) {
				case 1:
					writeOktaError(w, 503, "E0000009", "Service unavailable")
				case 2:
					w.WriteHeader(502) // a gateway: no request id, no JSON
				default:
					w.WriteHeader(204)
				}
			})
			require.NoError(t, op(context.Background(), f.client))
			require.Len(t, seen, 3)
			// Capped exponential backoff from 500ms with equal jitter (jitter 0 here).
			assert.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, f.clock.Sleeps())
			assert.Equal(t, "1", seen[1].Get("X-Okta-Retry-Count"))
			assert.Equal(t, "req-E0000009", seen[1].Get("X-Okta-Retry-For"))
			assert.Equal(t, "2", seen[2].Get("X-Okta-Retry-Count"))
			assert.Empty(t, seen[2].Get("X-Okta-Retry-For"))
			assert.Contains(t, f.logs.String(), "server error; retrying")
		})
	}
}

func Test5xxGivesUpAfterMaxRetries(t *testing.T) {
	f := setup(t)
	var hits atomic.Int32
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeOktaError(w, 500, "E0000009", "Internal Server Error")
	})
	_, _, err := f.client.GetUser(context.Background(), "00u1")
	e, ok := AsError(err)
	require.True(t, ok)
	assert.Equal(t, 500, e.StatusCode)
	assert.Equal(t, int32(1+DefaultMaxRetries), hits.Load())
	assert.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}, f.clock.Sleeps())
	assert.False(t, IsOutcomeUnknown(err))
}

func TestBackoffIsCapped(t *testing.T) {
	f := setup(t, func(c *Config) { c.MaxWait = 3 * time.Second })
	assert.Equal(t, 4*time.Second/2, f.client.backoff(4, backoffBase, backoffCap))
	assert.Equal(t, 3*time.Second, f.client.backoff(6, backoffBase, backoffCap), "MaxWait caps the backoff")
	f.client.maxWait = time.Minute
	assert.Equal(t, backoffCap/2, f.client.backoff(40, backoffBase, backoffCap))
	f.client.jitter = func(max time.Duration) time.Duration { return max - 1 }
	assert.Equal(t, backoffCap-1, f.client.backoff(10, backoffBase, backoffCap))
}

func Test5xxOnPostIsNotRetried(t *testing.T) {
	for name, op := range postOps {
		t.Run(name, func(t *testing.T) {
			f := setup(t)
			var hits atomic.Int32
			f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				writeOktaError(w, 503, "E0000009", "Service unavailable")
			})
			err := op(context.Background(), f.client)
			require.Error(t, err)
			assert.Equal(t, int32(1), hits.Load(), "a POST must never be sent twice")
			assert.True(t, IsOutcomeUnknown(err))
			e, ok := AsError(err)
			require.True(t, ok, "the 5xx stays reachable with errors.As")
			assert.Equal(t, 503, e.StatusCode)
			assert.Empty(t, f.clock.Sleeps())
		})
	}
}

func TestPostClientErrorIsNotOutcomeUnknown(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeOktaError(w, 400, "E0000001", "Api validation failed: login")
	})
	err := postOps["createUser"](context.Background(), f.client)
	assert.True(t, IsBadRequest(err))
	assert.False(t, IsOutcomeUnknown(err))
}

// dropConnection closes the connection without answering, after reading
// the request.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	require.True(t, ok)
	conn, _, err := hj.Hijack()
	require.NoError(t, err)
	_ = conn.Close()
}

func TestDroppedConnection(t *testing.T) {
	t.Run("idempotent methods are retried", func(t *testing.T) {
		for name, op := range idempotentOps {
			t.Run(name, func(t *testing.T) {
				f := setup(t)
				var hits atomic.Int32
				f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
					if hits.Add(1) == 1 {
						dropConnection(t, w)
						return
					}
					w.WriteHeader(204)
				})
				require.NoError(t, op(context.Background(), f.client))
				assert.GreaterOrEqual(t, hits.Load(), int32(2))
			})
		}
	})
	t.Run("POST: outcome unknown, sent once", func(t *testing.T) {
		for name, op := range postOps {
			t.Run(name, func(t *testing.T) {
				f := setup(t)
				var hits atomic.Int32
				f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					_ = readBody(t, r)
					dropConnection(t, w)
				})
				err := op(context.Background(), f.client)
				require.Error(t, err)
				assert.True(t, IsOutcomeUnknown(err), "%v", err)
				assert.Equal(t, int32(1), hits.Load())
				assert.Empty(t, f.clock.Sleeps())
			})
		}
	})
}

func TestTimeoutOnPostIsOutcomeUnknown(t *testing.T) {
	f := setup(t, func(c *Config) { c.Timeout = 50 * time.Millisecond })
	var hits atomic.Int32
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_ = readBody(t, r)
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	err := postOps["createUser"](context.Background(), f.client)
	require.Error(t, err)
	assert.True(t, IsOutcomeUnknown(err))
	assert.Contains(t, err.Error(), "no answer within 50ms")
	assert.Contains(t, err.Error(), "look the user up by login")
	assert.Equal(t, int32(1), hits.Load())
}

func TestTimeoutOnGetIsRetried(t *testing.T) {
	f := setup(t, func(c *Config) { c.Timeout = 50 * time.Millisecond })
	var hits atomic.Int32
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			<-r.Context().Done()
			return
		}
		writeJSON(w, 200, map[string]any{"id": "00u1"})
	})
	u, _, err := f.client.GetUser(context.Background(), "00u1")
	require.NoError(t, err)
	assert.Equal(t, "00u1", u.ID)
	assert.Equal(t, int32(2), hits.Load())
}

func TestCancelledPostIsOutcomeUnknown(t *testing.T) {
	f := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	arrived := make(chan struct{})
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_ = readBody(t, r) // the server notices the client going away only once the body is read
		close(arrived)
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	})
	go func() { <-arrived; cancel() }()
	err := postOps["addGroup"](ctx, f.client)
	assert.True(t, IsOutcomeUnknown(err))
	assert.ErrorIs(t, err, context.Canceled)
}

// TestDialFailureIsRetriedEvenForPost: a refused connection proves the
// request never left, so even a create is retried.
func TestDialFailureIsRetriedEvenForPost(t *testing.T) {
	f := setup(t)
	f.server.Close() // nothing listens on the port any more
	err := postOps["createUser"](context.Background(), f.client)
	require.Error(t, err)
	assert.False(t, IsOutcomeUnknown(err), "%v", err)
	assert.Equal(t, int64(1+DefaultMaxRetries), f.dialer.attempts.Load())
	assert.Len(t, f.clock.Sleeps(), DefaultMaxRetries)
	assert.Contains(t, err.Error(), "POST /api/v1/users")
	assert.Contains(t, f.logs.String(), "request failed; retrying")
}

func TestUndecodableAnswerToPostIsOutcomeUnknown(t *testing.T) {
	f := setup(t)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id": `))
	})
	err := postOps["createUser"](context.Background(), f.client)
	assert.True(t, IsOutcomeUnknown(err))
	_, _, err = f.client.GetUser(context.Background(), "00u1")
	require.Error(t, err)
	assert.False(t, IsOutcomeUnknown(err))
	assert.Contains(t, err.Error(), "the answer is not valid JSON")
}

func TestAPIToken401IsNotRetried(t *testing.T) {
	f := setup(t)
	var hits atomic.Int32
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeOktaError(w, 401, "E0000011", "Invalid token provided")
	})
	_, _, err := f.client.GetUser(context.Background(), "00u1")
	assert.True(t, IsUnauthorized(err))
	assert.Equal(t, int32(1), hits.Load())
}

func TestMaxRetriesNegativeDisablesRetries(t *testing.T) {
	f := setup(t, func(c *Config) { c.MaxRetries = -1 })
	var hits atomic.Int32
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		write429(w, f.clock.Now(), time.Second, "rl")
	})
	_, _, err := f.client.GetUser(context.Background(), "00u1")
	assert.True(t, IsRateLimited(err))
	assert.Equal(t, int32(1), hits.Load())
}
