package okta

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeleteUserIsNeverResent: Okta's DELETE of a user that is not
// DEPROVISIONED deactivates it, and a second DELETE deletes it for good. So
// unlike other DELETEs, a DELETE of a user that may have reached Okta is not
// retried: resending it after a lost answer would turn a deactivation into
// a permanent deletion. It fails with an OutcomeUnknownError instead.
func TestDeleteUserIsNeverResent(t *testing.T) {
	tests := []struct {
		name    string
		handler func(t *testing.T, w http.ResponseWriter, r *http.Request)
		timeout time.Duration
	}{
		{"5xx", func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			writeOktaError(w, 503, "E0000009", "Service unavailable")
		}, 0},
		{"dropped connection", func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			dropConnection(t, w)
		}, 0},
		{"no answer within the timeout", func(t *testing.T, w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		}, 50 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t, func(c *Config) {
				if tt.timeout > 0 {
					c.Timeout = tt.timeout
				}
			})
			var hits atomic.Int32
			f.mux.HandleFunc("DELETE /api/v1/users/{id}", func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				tt.handler(t, w, r)
			})
			_, err := f.client.DeleteUser(context.Background(), "00u1", false)
			require.Error(t, err)
			assert.True(t, IsOutcomeUnknown(err), "%v", err)
			assert.Equal(t, int32(1), hits.Load(), "a DELETE of a user is sent once")
			assert.Empty(t, f.clock.Sleeps(), "no retry was scheduled")
		})
	}
	t.Run("429 is retried: Okta did not process it", func(t *testing.T) {
		f := setup(t)
		var hits atomic.Int32
		f.mux.HandleFunc("DELETE /api/v1/users/{id}", func(w http.ResponseWriter, r *http.Request) {
			if hits.Add(1) == 1 {
				write429(w, f.clock.Now(), time.Second, "rl")
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
		_, err := f.client.DeleteUser(context.Background(), "00u1", false)
		require.NoError(t, err)
		assert.Equal(t, int32(2), hits.Load())
	})
	t.Run("other DELETEs are still retried", func(t *testing.T) {
		f := setup(t)
		var hits atomic.Int32
		f.mux.HandleFunc("DELETE /api/v1/groups/{id}", func(w http.ResponseWriter, r *http.Request) {
			if hits.Add(1) == 1 {
				writeOktaError(w, 503, "E0000009", "Service unavailable")
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
		_, err := f.client.DeleteGroup(context.Background(), "00g1")
		require.NoError(t, err)
		assert.Equal(t, int32(2), hits.Load())
	})
}
