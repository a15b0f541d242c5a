package sandbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthentication(t *testing.T) {
	tests := []struct {
		name, auth string
		wantStatus int
		wantCode   string
	}{
		{"no header", "", 403, "E0000005"},
		{"basic scheme", "Basic dXNlcjpwYXNz", 403, "E0000005"},
		{"SSWS without token", "SSWS", 403, "E0000005"},
		{"wrong token", "SSWS 00wrong", 401, "E0000011"},
		{"token with a suffix", "SSWS " + DefaultToken + "x", 401, "E0000011"},
		{"unknown bearer", "Bearer eyJhbGciOi.x.y", 401, "E0000011"},
		{"right token", "SSWS " + DefaultToken, 200, ""},
		{"scheme in another case", "ssws " + DefaultToken, 200, ""},
	}
	h := newTestOrg(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do("GET", "/api/v1/users/active@example.com", "", "Authorization", tt.auth)
			assert.Equal(t, tt.wantStatus, r.status)
			if tt.wantCode != "" {
				assert.Equal(t, tt.wantCode, r.errorCode(t))
				assert.NotContains(t, string(r.body), "00wrong", "tokens never echo")
			}
		})
	}
	h2 := newTestOrg(t, func(o *Options) { o.Token = "my-own-token" })
	assert.Equal(t, 401, h2.do("GET", "/api/v1/users", "").status)
	assert.Equal(t, 200, h2.do("GET", "/api/v1/users", "", "Authorization", "SSWS my-own-token").status)
	// Writes are refused without credentials and change nothing.
	n := h.org.UserCount()
	assert.Equal(t, 403, h.do("POST", "/api/v1/users", newUserBody("x@example.com", ""), "Authorization", "").status)
	assert.Equal(t, n, h.org.UserCount())
}

func TestHeadersOnEveryResponse(t *testing.T) {
	h := newTestOrg(t, func(o *Options) { o.RateLimit = 5 })
	h.org.AddFault(Fault{Method: "GET", Path: "/api/v1/groups", Status: 500})
	requests := []struct {
		method, path, auth string
		wantStatus         int
	}{
		{"GET", "/api/v1/users", "SSWS " + DefaultToken, 200},
		{"GET", "/api/v1/users/nobody", "SSWS " + DefaultToken, 404},
		{"DELETE", "/api/v1/groups/" + "00gnothere0000000000/users/00unothere0000000000", "SSWS " + DefaultToken, 404},
		{"GET", "/api/v1/nothing", "SSWS " + DefaultToken, 404},
		{"PATCH", "/api/v1/users", "SSWS " + DefaultToken, 405},
		{"GET", "/api/v1/users", "", 403},
		{"GET", "/api/v1/users", "SSWS nope", 401},
		{"GET", "/api/v1/groups", "SSWS " + DefaultToken, 500},
		{"DELETE", "/api/v1/users/deprov@example.com", "SSWS " + DefaultToken, 204},
	}
	seen := map[string]bool{}
	for _, rq := range requests {
		t.Run(rq.method+" "+rq.path+" "+rq.auth, func(t *testing.T) {
			r := h.do(rq.method, rq.path, "", "Authorization", rq.auth)
			require.Equal(t, rq.wantStatus, r.status, string(r.body))
			id := r.header.Get("X-Okta-Request-Id")
			assert.Regexp(t, `^[0-9a-f]{32}$`, id)
			assert.False(t, seen[id], "request ids are unique")
			seen[id] = true
			for _, k := range []string{"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"} {
				if rq.wantStatus == 405 {
					assert.Empty(t, r.header.Get(k), "405 counts against no bucket (fidelity_test.go)")
					continue
				}
				_, err := strconv.ParseInt(r.header.Get(k), 10, 64)
				assert.NoError(t, err, k)
			}
			_, err := http.ParseTime(r.header.Get("Date"))
			assert.NoError(t, err)
			if rq.wantStatus != 204 {
				assert.Equal(t, "application/json", r.header.Get("Content-Type"))
			}
			if rq.wantStatus >= 400 {
				e := r.json(t)
				assert.Equal(t, e["errorCode"], e["errorLink"])
				assert.Contains(t, e, "errorCauses")
				assert.Equal(t, errorID(id), e["errorId"])
				assert.Regexp(t, `^oae[0-9A-Za-z]{22}$`, e["errorId"])
			}
		})
	}
}

// A real listener: the Link headers use the request's host, and a POST
// without Content-Length gets 411.
func TestOverTheNetwork(t *testing.T) {
	h := newHarness(t, Options{Seed: GenerateSeed(3, 1)})
	srv := httptest.NewServer(h.org)
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/users?limit=1", nil)
	req.Header.Set("Authorization", "SSWS "+DefaultToken)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `<`+srv.URL+`/api/v1/users?limit=1>; rel="self"`, resp.Header.Values("Link")[0])
	assert.Contains(t, resp.Header.Values("Link")[1], srv.URL+"/api/v1/users?after=")

	raw := func(request string) string {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		require.NoError(t, err)
		defer conn.Close()
		_, err = io.WriteString(conn, request)
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return fmt.Sprintf("%d %s", resp.StatusCode, b)
	}
	id := h.userID("user000001@example.com")
	auth := "Authorization: SSWS " + DefaultToken + "\r\n"
	got := raw("POST /api/v1/users/" + id + "/lifecycle/suspend HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n")
	assert.True(t, strings.HasPrefix(got, "411 "), got)
	assert.Equal(t, "ACTIVE", h.status(id))
	got = raw("POST /api/v1/users/" + id + "/lifecycle/suspend HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 0\r\nConnection: close\r\n\r\n")
	assert.True(t, strings.HasPrefix(got, "200 "), got)
	assert.Equal(t, "SUSPENDED", h.status(id))
	// Go's client always sends Content-Length on an empty POST.
	req, _ = http.NewRequest("POST", srv.URL+"/api/v1/users/"+id+"/lifecycle/unsuspend", nil)
	req.Header.Set("Authorization", "SSWS "+DefaultToken)
	resp, err = srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
}

func TestRateLimit(t *testing.T) {
	h := newTestOrg(t, func(o *Options) { o.RateLimit = 3 })
	windowEnd := testStart.Add(time.Minute)
	wantReset := strconv.FormatInt(windowEnd.Truncate(time.Second).Unix(), 10) // windows start on whole seconds, as timestamps
	for i, want := range []string{"2", "1", "0"} {
		r := h.do("GET", "/api/v1/users/"+[]string{"active", "staged", "locked"}[i]+"@example.com", "")
		require.Equal(t, 200, r.status)
		assert.Equal(t, "3", r.header.Get("X-Rate-Limit-Limit"))
		assert.Equal(t, want, r.header.Get("X-Rate-Limit-Remaining"))
		assert.Equal(t, wantReset, r.header.Get("X-Rate-Limit-Reset"))
		h.clock.Advance(10 * time.Second)
	}
	r := h.do("GET", "/api/v1/users/active@example.com", "")
	require.Equal(t, 429, r.status)
	assert.Equal(t, "E0000047", r.errorCode(t))
	assert.Equal(t, "API call exceeded rate limit due to too many requests.", r.json(t)["errorSummary"])
	assert.Equal(t, "0", r.header.Get("X-Rate-Limit-Remaining"))
	assert.Equal(t, wantReset, r.header.Get("X-Rate-Limit-Reset"))

	// Other buckets are separate: another method or path template.
	assert.Equal(t, 200, h.do("GET", "/api/v1/users", "").status)
	assert.Equal(t, 200, h.do("GET", "/api/v1/groups", "").status)
	assert.Equal(t, 200, h.do("POST", "/api/v1/users/active@example.com", `{}`).status)

	// A 429 is not processed.
	r = h.do("GET", "/api/v1/users/active@example.com", "")
	assert.Equal(t, 429, r.status)

	// The window ends: requests pass again, with a new reset.
	h.clock.t = windowEnd
	r = h.do("GET", "/api/v1/users/active@example.com", "")
	require.Equal(t, 200, r.status)
	assert.Equal(t, "2", r.header.Get("X-Rate-Limit-Remaining"))
	assert.Equal(t, strconv.FormatInt(windowEnd.Add(time.Minute).Truncate(time.Second).Unix(), 10), r.header.Get("X-Rate-Limit-Reset"))

	// SetRateLimit applies at once; NoRateLimit lifts the limit, 0
	// restores Okta's limits per bucket.
	h.org.SetRateLimit(NoRateLimit)
	for range 5 {
		r = h.do("GET", "/api/v1/users/active@example.com", "")
		require.Equal(t, 200, r.status)
	}
	assert.Equal(t, "2147483647", r.header.Get("X-Rate-Limit-Limit"))
	h.org.SetRateLimit(0)
	r = h.do("GET", "/api/v1/users/active@example.com", "")
	assert.Equal(t, "2000", r.header.Get("X-Rate-Limit-Limit"))
	h.org.SetRateLimit(1)
	assert.Equal(t, 429, h.do("GET", "/api/v1/users/active@example.com", "").status)
}

func TestFaultStatus(t *testing.T) {
	h := newTestOrg(t)
	h.org.SetFaults(Fault{Method: "GET", Path: "/api/v1/users/*", Status: 503, Times: 2})
	for range 2 {
		r := h.do("GET", "/api/v1/users/active@example.com", "")
		assert.Equal(t, 503, r.status)
		assert.Equal(t, "E0000009", r.errorCode(t))
		assert.NotEmpty(t, r.header.Get("X-Okta-Request-Id"))
	}
	assert.Empty(t, h.org.Faults(), "used up")
	assert.Equal(t, 200, h.do("GET", "/api/v1/users/active@example.com", "").status)
	assert.Equal(t, 200, h.do("GET", "/api/v1/users", "").status, "pattern did not match")

	h.org.SetFaults(Fault{Status: 429, Times: 3})
	assert.Equal(t, 3, h.org.Faults()[0].Times)
	r := h.do("POST", "/api/v1/users/active@example.com/lifecycle/suspend", "")
	assert.Equal(t, 429, r.status)
	assert.Equal(t, "E0000047", r.errorCode(t))
	assert.Equal(t, "0", r.header.Get("X-Rate-Limit-Remaining"))
	assert.Equal(t, "ACTIVE", h.status("active@example.com"), "a 429 is not processed")
	assert.Equal(t, 2, h.org.Faults()[0].Times)

	recs := h.org.Requests()
	last := recs[len(recs)-1]
	assert.Equal(t, 429, last.Status)
	assert.Equal(t, "status 429", last.Fault)
	assert.Equal(t, "/api/v1/users/active@example.com/lifecycle/suspend", last.Path)
}

func (h *harness) send(ctx context.Context, method, path, body string) (*http.Response, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequestWithContext(ctx, method, DemoOrgURL+path, rd)
	req.Header.Set("Authorization", "SSWS "+DefaultToken)
	resp, err := h.hc.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestFaultDrops(t *testing.T) {
	tests := []struct {
		name        string
		fault       Fault
		wantCreated bool
	}{
		{"before processing", Fault{Method: "POST", Path: "/api/v1/users", Drop: DropBeforeProcessing, Times: 1}, false},
		{"after processing", Fault{Method: "POST", Path: "/api/v1/users", Drop: DropAfterProcessing, Times: 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestOrg(t)
			h.org.SetFaults(tt.fault)
			_, err := h.send(context.Background(), "POST", "/api/v1/users", newUserBody("dropped@example.com", ""))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrConnectionDropped)
			assert.ErrorIs(t, err, syscall.ECONNRESET)
			_, created := h.org.LookupUser("dropped@example.com")
			assert.Equal(t, tt.wantCreated, created)
			assert.Equal(t, StatusDropped, h.org.Requests()[len(h.org.Requests())-1].Status)

			// The same through a real server: the connection closes.
			h2 := newTestOrg(t)
			h2.org.SetFaults(tt.fault)
			srv := httptest.NewServer(h2.org)
			defer srv.Close()
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/users", strings.NewReader(newUserBody("dropped@example.com", "")))
			req.Header.Set("Authorization", "SSWS "+DefaultToken)
			_, err = srv.Client().Do(req)
			require.Error(t, err)
			_, created = h2.org.LookupUser("dropped@example.com")
			assert.Equal(t, tt.wantCreated, created)
		})
	}
}

func TestFaultDelaysHonourContext(t *testing.T) {
	tests := []struct {
		name        string
		fault       Fault
		wantCreated bool
	}{
		{"latency before processing", Fault{Method: "POST", Delay: time.Minute}, false},
		{"slow response after processing", Fault{Method: "POST", ResponseDelay: time.Minute}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestOrg(t)
			h.org.SetFaults(tt.fault)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := h.send(ctx, "POST", "/api/v1/users", newUserBody("slow@example.com", ""))
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, time.Since(start), 10*time.Second)
			_, created := h.org.LookupUser("slow@example.com")
			assert.Equal(t, tt.wantCreated, created)
		})
	}
	// A short delay just slows the answer down.
	h := newTestOrg(t)
	h.org.SetFaults(Fault{Delay: time.Millisecond})
	resp, err := h.send(context.Background(), "GET", "/api/v1/users", "")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	// An already cancelled context never reaches the org.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := len(h.org.Requests())
	_, err = h.send(ctx, "GET", "/api/v1/users", "")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, h.org.Requests(), n)
}

func TestFaultProbabilityIsReproducible(t *testing.T) {
	run := func() []int {
		h := newTestOrg(t, func(o *Options) {
			o.FaultSeed = 7
			o.Faults = []Fault{{Status: 500, Probability: 0.3}}
		})
		var statuses []int
		for range 200 {
			statuses = append(statuses, h.do("GET", "/api/v1/groups", "").status)
		}
		return statuses
	}
	a, b := run(), run()
	assert.Equal(t, a, b)
	failed := 0
	for _, s := range a {
		if s == 500 {
			failed++
		}
	}
	assert.InDelta(t, 60, failed, 25)
}

func TestRequestLog(t *testing.T) {
	h := newTestOrg(t, func(o *Options) { o.RequestLogSize = 3 })
	h.do("GET", "/api/v1/users", "")
	h.do("GET", "/api/v1/groups", "")
	h.do("POST", "/api/v1/groups", `{"profile":{"name":"X"}}`)
	h.do("GET", "/api/v1/users/active@example.com", "")
	assert.Equal(t, 1, h.org.RequestCount("GET", "/api/v1/users"), "the log keeps the last 3")
	assert.Equal(t, 2, h.org.RequestCount("", "/api/v1/groups"))
	assert.Equal(t, 1, h.org.RequestCount("post", "/api/v1/groups"))
	recs := h.org.Requests()
	require.Len(t, recs, 3)
	assert.Equal(t, "/api/v1/users/active@example.com", recs[2].Path)
	h.org.ResetRequests()
	assert.Empty(t, h.org.Requests())
}

func TestConcurrentCreatesOfOneLogin(t *testing.T) {
	h := newTestOrg(t)
	const n = 16
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := h.send(context.Background(), "POST", "/api/v1/users", newUserBody([]string{"race@example.com", "RACE@example.com", "Race@Example.com"}[i%3], ""))
			if err == nil {
				statuses[i] = resp.StatusCode
			}
		}()
	}
	wg.Wait()
	ok := 0
	for _, s := range statuses {
		if s == 200 {
			ok++
		} else {
			assert.Equal(t, 400, s)
		}
	}
	assert.Equal(t, 1, ok, "exactly one create wins")
}

func TestConcurrentMixedTraffic(t *testing.T) {
	h := newHarness(t, Options{Seed: GenerateSeed(100, 4), RateLimit: 100000})
	g := h.groupID("Group 0001")
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				login := fmt.Sprintf("w%d-%d@example.com", w, i)
				resp, err := h.send(context.Background(), "POST", "/api/v1/users", newUserBody(login, ""))
				if !assert.NoError(t, err) || !assert.Equal(t, 200, resp.StatusCode) {
					return
				}
				u, _ := h.org.LookupUser(login)
				for _, rq := range [][2]string{
					{"PUT", "/api/v1/groups/" + g + "/users/" + u.ID},
					{"GET", "/api/v1/users?limit=17"},
					{"GET", "/api/v1/groups/" + g + "/users?limit=5"},
					{"POST", "/api/v1/users/" + u.ID + "/lifecycle/deactivate"},
					{"DELETE", "/api/v1/users/" + u.ID},
				} {
					resp, err := h.send(context.Background(), rq[0], rq[1], "")
					if assert.NoError(t, err) {
						assert.Less(t, resp.StatusCode, 300, rq)
					}
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 100, h.org.UserCount())
	grp, _ := h.org.LookupGroup(g)
	assert.Len(t, grp.MemberIDs, 25)
}

func TestTransportErrorsAreNotPanics(t *testing.T) {
	h := newTestOrg(t)
	_, err := h.org.Transport().RoundTrip(&http.Request{Method: "GET"})
	assert.Error(t, err)
	req, _ := http.NewRequest("GET", DemoOrgURL+"/api/v1/users", errReader{})
	req.Header.Set("Authorization", "SSWS "+DefaultToken)
	_, err = h.org.Transport().RoundTrip(req)
	assert.Error(t, err)
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("boom") }
