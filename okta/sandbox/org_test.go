package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a settable clock for Options.Now.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

var testStart = time.Date(2026, 3, 4, 5, 6, 7, 890_000_000, time.UTC)

// harness is an org plus an in-process client.
type harness struct {
	t     *testing.T
	org   *Org
	clock *fakeClock
	hc    *http.Client
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	clock := &fakeClock{t: testStart}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	org, err := New(opts)
	require.NoError(t, err)
	return &harness{t: t, org: org, clock: clock, hc: &http.Client{Transport: org.Transport()}}
}

// result is a decoded response.
type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), string(r.body))
	return m
}

func (r result) list(t *testing.T) []map[string]any {
	t.Helper()
	var l []map[string]any
	require.NoError(t, json.Unmarshal(r.body, &l), string(r.body))
	return l
}

func (r result) errorCode(t *testing.T) string {
	t.Helper()
	code, _ := r.json(t)["errorCode"].(string)
	return code
}

func (h *harness) do(method, path, body string, hdr ...string) result {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, DemoOrgURL+path, rd)
	require.NoError(h.t, err)
	req.Header.Set("Authorization", "SSWS "+DefaultToken)
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := h.hc.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

func TestDemoOrgServesUsersAndGroups(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do("GET", "/api/v1/users", "")
	require.Equal(t, http.StatusOK, r.status)
	users := r.list(t)
	assert.Greater(t, len(users), 40)
	for _, u := range users {
		assert.NotEqual(t, "DEPROVISIONED", u["status"])
		assert.Len(t, u["id"], 20)
	}
	r = h.do("GET", "/api/v1/groups", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Len(t, r.list(t), 8)
}
