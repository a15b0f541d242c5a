package tools

// End-to-end fault tests at the tool level (issue 5, "Faults and bad input"):
// the tools run against the in-memory org's fault injection (5xx bursts,
// dropped connections, answers slower than the client's timeout, 429
// storms). Reads must succeed after retries without the agent seeing an
// error; writes must never happen twice; a write whose outcome is unknown
// must say so and tell the agent how to check instead of retrying blindly.
//
// Retry and rate-limit waits go through an injected clock that advances
// instantly (shared with the org, so its Date and X-Rate-Limit-Reset headers
// agree); only the per-attempt timeouts use real time, and they are short.

import (
	"context"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/okta-mcp/okta-mcp/okta"
	"github.com/okta-mcp/okta-mcp/okta/sandbox"
)

// stepClock is an okta.Clock whose Sleep returns at once and moves the
// clock forward, so that backoffs and minute-long rate-limit waits take no
// real time. The org under test reads the same clock.
type stepClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newStepClock() *stepClock { return &stepClock{now: time.Now().UTC().Truncate(time.Second)} }

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *stepClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

func (c *stepClock) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = nil
}

// faultTimeout is the clients' per-attempt timeout in these tests: the
// "slow" faults hold answers for far longer.
const faultTimeout = 300 * time.Millisecond

// configuredEnv is newEnv with full control over the okta client
// configuration (timeout, clock, MaxWait, transport), which newEnv fixes.
type configuredEnv struct {
	perCall   bool
	sandbox   sandbox.Options
	opts      Options
	config    func(*okta.Config)                   // adjusts the server's client and the per-call template
	transport func(*sandbox.Org) http.RoundTripper // default: the org's in-process transport
	clientOps []client.ClientOption
}

func newConfiguredEnv(t testing.TB, c configuredEnv) *env {
	t.Helper()
	org, err := sandbox.New(c.sandbox)
	require.NoError(t, err)
	e := &env{t: t, org: org, audit: &syncBuffer{}, logs: &syncBuffer{}, perCall: c.perCall}
	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rt := org.Transport()
	if c.transport != nil {
		rt = c.transport(org)
	}
	cfg := okta.Config{HTTPClient: &http.Client{Transport: rt}, Logger: logger}
	if c.config != nil {
		c.config(&cfg)
	}
	opts := c.opts
	if len(opts.Toolsets) == 0 && len(opts.Tools) == 0 {
		opts.Toolsets = []string{ToolsetAll} // the tests exercise every tool
	}
	opts.Version = "test"
	opts.AllowUnconfirmed = true // these tests exercise the writes, not their confirmation
	opts.Logger = logger
	opts.Audit = slog.New(slog.NewJSONHandler(e.audit, nil))
	opts.ClientConfig = cfg
	if !c.perCall {
		sc := cfg
		sc.OrgURL = sandbox.DemoOrgURL
		sc.Auth = okta.APIToken(sandbox.DefaultToken)
		sc.Logger = slog.New(NewLogHandler(logger.Handler()))
		opts.ServerClient, err = okta.NewClient(sc)
		require.NoError(t, err)
	}
	e.srv, err = NewServer(opts)
	require.NoError(t, err)
	e.client, err = client.NewInProcessClientWithOptions(e.srv, c.clientOps...)
	require.NoError(t, err)
	require.NoError(t, e.client.Start(context.Background()))
	t.Cleanup(func() { _ = e.client.Close() })
	init := mcp.InitializeRequest{}
	init.Params.ClientInfo = mcp.Implementation{Name: "tools-faults-test", Version: "1"}
	_, err = e.client.Initialize(context.Background(), init)
	require.NoError(t, err)
	return e
}

// newFaultEnv is an env whose clients retry on the step clock, with the
// default retry budget and MaxWait (a 429 storm waits a minute per retry,
// instantly) and a short per-attempt timeout.
func newFaultEnv(t testing.TB, perCall bool) (*env, *stepClock) {
	t.Helper()
	clock := newStepClock()
	e := newConfiguredEnv(t, configuredEnv{
		perCall: perCall,
		sandbox: sandbox.Options{Now: clock.Now},
		config: func(c *okta.Config) {
			c.Clock = clock
			c.Timeout = faultTimeout
		},
	})
	return e, clock
}

// sent counts the requests the org received with this method and a path
// matching pattern (path.Match; a plain path matches itself), whatever
// their fate: answered, dropped or abandoned.
func (e *env) sent(method, pattern string) int {
	n := 0
	for _, r := range e.org.Requests() {
		if ok, _ := path.Match(pattern, r.Path); ok && r.Method == method {
			n++
		}
	}
	return n
}

// faultModes runs f in server credential mode and in per-call mode: the
// server's own client and the per-call clients are configured separately.
func faultModes(t *testing.T, f func(t *testing.T, perCall bool)) {
	t.Run("server", func(t *testing.T) { t.Parallel(); f(t, false) })
	t.Run("percall", func(t *testing.T) { t.Parallel(); f(t, true) })
}

// burst is a fault that hits the first n matching requests.
type burst struct {
	name   string
	faults []sandbox.Fault // Method and Path are filled in per target
	n      int             // requests affected
	slow   bool            // each affected attempt costs the real per-attempt timeout
}

func (b burst) on(method, path string) []sandbox.Fault {
	out := make([]sandbox.Fault, len(b.faults))
	for i, f := range b.faults {
		f.Method, f.Path = method, path
		out[i] = f
	}
	return out
}

// transientBursts are fault bursts within the default retry budget
// (okta.DefaultMaxRetries = 3).
var transientBursts = []burst{
	{"5xx burst", []sandbox.Fault{{Status: 500, Times: 1}, {Status: 502, Times: 1}, {Status: 503, Times: 1}}, 3, false},
	{"504 burst", []sandbox.Fault{{Status: 504, Times: 3}}, 3, false},
	{"dropped before processing", []sandbox.Fault{{Drop: sandbox.DropBeforeProcessing, Times: 2}}, 2, false},
	{"dropped after processing", []sandbox.Fault{{Drop: sandbox.DropAfterProcessing, Times: 2}}, 2, false},
	{"answer slower than the timeout", []sandbox.Fault{{ResponseDelay: 10 * time.Second, Times: 2}}, 2, true},
	{"no answer within the timeout", []sandbox.Fault{{Delay: 10 * time.Second, Times: 1}}, 1, true},
	{"429 storm", []sandbox.Fault{{Status: 429, Times: 3}}, 3, false},
}

// TestFaultsReadsSucceedAfterRetries: every read tool rides out every kind
// of transient fault; the agent gets the normal result, no error.
func TestFaultsReadsSucceedAfterRetries(t *testing.T) {
	faultModes(t, func(t *testing.T, perCall bool) {
		e, clock := newFaultEnv(t, perCall)
		sales := e.groupID("Sales")
		reads := []struct {
			tool  string
			args  map[string]any
			path  string // the request the fault hits
			check func(t *testing.T, out map[string]any)
		}{
			{"okta_get_user", map[string]any{"userId": adaLogin}, "/api/v1/users/" + adaLogin, func(t *testing.T, out map[string]any) {
				assert.Equal(t, adaID, out["id"])
			}},
			{"okta_list_users", map[string]any{"limit": 5}, "/api/v1/users", func(t *testing.T, out map[string]any) {
				assert.EqualValues(t, 5, out["count"])
			}},
			{"okta_get_group", map[string]any{"groupId": sales}, "/api/v1/groups/" + sales, func(t *testing.T, out map[string]any) {
				assert.Equal(t, "Sales", out["name"])
			}},
			{"okta_list_groups", map[string]any{"limit": 3}, "/api/v1/groups", func(t *testing.T, out map[string]any) {
				assert.EqualValues(t, 3, out["count"])
			}},
			{"okta_list_group_members", map[string]any{"groupId": sales}, "/api/v1/groups/" + sales + "/users", func(t *testing.T, out map[string]any) {
				assert.NotZero(t, out["count"])
			}},
		}
		for _, b := range transientBursts {
			for i, r := range reads {
				if b.slow && i >= 2 {
					continue // timeouts cost real time: one lookup and one list suffice
				}
				t.Run(b.name+"/"+r.tool, func(t *testing.T) {
					e.org.SetFaults(b.on(http.MethodGet, r.path)...)
					e.org.ResetRequests()
					clock.reset()
					out := e.ok(r.tool, r.args) // fails the test on isError
					r.check(t, out)
					assert.Equal(t, b.n+1, e.sent(http.MethodGet, r.path), "the read was retried after each fault")
					assert.Len(t, clock.slept(), b.n, "one wait before each retry")
					assert.Empty(t, e.org.Faults(), "every injected fault fired")
				})
			}
		}
		e.org.SetFaults()
		assert.Empty(t, e.audit.String(), "reads are not audited")
	})
}

// TestFaultsReadsGiveUpClearly: past the retry budget, a read fails with a
// message that says what happened and what to do, after a bounded number
// of attempts.
func TestFaultsReadsGiveUpClearly(t *testing.T) {
	faultModes(t, func(t *testing.T, perCall bool) {
		e, clock := newFaultEnv(t, perCall)
		path := "/api/v1/users/" + adaLogin
		tests := []struct {
			name  string
			fault sandbox.Fault
			want  []string
		}{
			{"5xx forever", sandbox.Fault{Status: 503}, []string{"HTTP 503", "Okta had an internal error; retry in a little while"}},
			{"slow forever", sandbox.Fault{ResponseDelay: 10 * time.Second}, []string{"no answer within " + faultTimeout.String(), "did not answer in time", "retry later"}},
			{"dropped forever", sandbox.Fault{Drop: sandbox.DropBeforeProcessing}, []string{"connection reset", "retry later"}},
			{"429 forever", sandbox.Fault{Status: 429}, []string{"rate-limited", "E0000047"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := tt.fault
				f.Method, f.Path = http.MethodGet, path
				e.org.SetFaults(f)
				e.org.ResetRequests()
				clock.reset()
				msg := e.fails("okta_get_user", map[string]any{"userId": adaLogin})
				for _, w := range tt.want {
					assert.Contains(t, msg, w)
				}
				assert.Regexp(t, `What to do: `, msg)
				assert.Equal(t, 1+okta.DefaultMaxRetries, e.sent(http.MethodGet, path), "a bounded number of attempts")
			})
		}
		e.org.SetFaults()
	})
}

// writeCase is a write tool and the request of it that the fault hits.
type writeCase struct {
	tool   string
	args   func(e *env) map[string]any
	method string
	path   func(e *env) string
	// applied reports whether the change is in the org, and how many
	// times (for creates: how many objects exist).
	applied func(e *env) int
	// create: an unknown outcome must tell the agent how to look the
	// object up, and warn against retrying.
	create bool
	lookup string
}

// nonIdempotentWrites are the writes that must never be sent twice: creates,
// the partial profile update, lifecycle operations and DELETE of a user
// (Okta's DELETE of a user that is not DEPROVISIONED deactivates it; a second
// DELETE would delete it for good).
func nonIdempotentWrites() []writeCase {
	const login = "fault.hire@example.com"
	return []writeCase{
		{
			tool: "okta_create_user",
			args: func(*env) map[string]any {
				return map[string]any{"firstName": "Fault", "lastName": "Hire", "email": login, "activate": false}
			},
			method: http.MethodPost, path: func(*env) string { return "/api/v1/users" },
			applied: func(e *env) int { return e.org.UserCount() - demoUsers },
			create:  true, lookup: `Look the login up with okta_get_user (userId "` + login + `")`,
		},
		{
			tool:   "okta_create_group",
			args:   func(*env) map[string]any { return map[string]any{"name": "Fault Group"} },
			method: http.MethodPost, path: func(*env) string { return "/api/v1/groups" },
			applied: func(e *env) int { return e.org.GroupCount() - demoGroups },
			create:  true, lookup: `Look the name up with okta_list_groups (search profile.name eq "Fault Group")`,
		},
		{
			tool:   "okta_update_user",
			args:   func(*env) map[string]any { return map[string]any{"userId": adaLogin, "title": "Countess"} },
			method: http.MethodPost, path: func(*env) string { return "/api/v1/users/*" }, // by id or login
			applied: func(e *env) int {
				if e.user(adaLogin).Profile["title"] == "Countess" {
					return 1
				}
				return 0
			},
		},
		{
			tool:   "okta_suspend_user",
			args:   func(*env) map[string]any { return map[string]any{"userId": adaLogin} },
			method: http.MethodPost, path: func(e *env) string { return "/api/v1/users/" + adaID + "/lifecycle/suspend" },
			applied: func(e *env) int {
				if e.user(adaLogin).Status == "SUSPENDED" {
					return 1
				}
				return 0
			},
		},
		{
			tool:   "okta_delete_user",
			args:   func(*env) map[string]any { return map[string]any{"userId": adaLogin} },
			method: http.MethodDelete, path: func(*env) string { return "/api/v1/users/" + adaID },
			applied: func(e *env) int {
				u, ok := e.org.LookupUser(adaID)
				switch {
				case !ok:
					return 2 // deleted for good: the DELETE happened twice
				case u.Status == "DEPROVISIONED":
					return 1
				}
				return 0
			},
		},
	}
}

// Sizes of the demo org, to count what a create added.
var demoUsers, demoGroups = func() (int, int) {
	org, err := sandbox.New(sandbox.Options{})
	if err != nil {
		panic(err)
	}
	return org.UserCount(), org.GroupCount()
}()

// TestFaultsWritesNeverHappenTwice: a write that may have reached Okta but
// got no usable answer is not retried: the tool says the outcome is unknown
// and how to check (for a create: look it up by login or name), the org
// shows the change at most once, and the audit line says outcome_unknown.
// A write that provably did not reach Okta's logic (429) is retried and
// succeeds, once.
func TestFaultsWritesNeverHappenTwice(t *testing.T) {
	unknown := []struct {
		name  string
		fault sandbox.Fault
		// done: whether the org made the change before the fault hid the
		// answer.
		done bool
	}{
		{"5xx", sandbox.Fault{Status: 503, Times: 1}, false},
		{"dropped before processing", sandbox.Fault{Drop: sandbox.DropBeforeProcessing, Times: 1}, false},
		{"dropped after processing", sandbox.Fault{Drop: sandbox.DropAfterProcessing, Times: 1}, true},
		{"answer slower than the timeout", sandbox.Fault{ResponseDelay: 10 * time.Second, Times: 1}, true},
		{"no answer within the timeout", sandbox.Fault{Delay: 10 * time.Second, Times: 1}, false},
	}
	faultModes(t, func(t *testing.T, perCall bool) {
		for _, w := range nonIdempotentWrites() {
			for _, u := range unknown {
				t.Run(w.tool+"/"+u.name, func(t *testing.T) {
					e, clock := newFaultEnv(t, perCall)
					path := w.path(e)
					f := u.fault
					f.Method, f.Path = w.method, path
					e.org.SetFaults(f)

					msg := e.fails(w.tool, w.args(e))
					assert.Contains(t, msg, "the outcome is unknown")
					assert.Contains(t, msg, "may have reached Okta")
					if w.create {
						assert.Contains(t, msg, "do not simply retry")
						assert.Contains(t, msg, w.lookup, "the agent is told how to check")
					} else {
						assert.Contains(t, msg, "read the current state")
					}
					assert.Equal(t, 1, e.sent(w.method, path), "the write was sent once, never retried")
					assert.Empty(t, clock.slept(), "no retry was even scheduled")
					want := 0
					if u.done {
						want = 1
					}
					assert.Equal(t, want, w.applied(e), "the change happened at most once")

					audit := e.audit.lines(t)
					require.NotEmpty(t, audit)
					assert.Equal(t, "outcome_unknown", audit[len(audit)-1]["result"])
					assert.Equal(t, w.tool, audit[len(audit)-1]["tool"])
				})
			}
			t.Run(w.tool+"/429 storm", func(t *testing.T) {
				e, clock := newFaultEnv(t, perCall)
				path := w.path(e)
				e.org.SetFaults(sandbox.Fault{Method: w.method, Path: path, Status: 429, Times: 3})
				res := e.call(w.tool, w.args(e))
				require.False(t, res.IsError, "a 429 storm within MaxWait is ridden out: %s", text(res))
				assert.Equal(t, 4, e.sent(w.method, path), "Okta refused the first three unprocessed; the fourth went through")
				assert.Equal(t, 1, w.applied(e), "the change happened exactly once")
				require.Len(t, clock.slept(), 3)
				for _, d := range clock.slept() {
					assert.Greater(t, d, 30*time.Second, "each retry waited for the rate limit to reset")
				}
				audit := e.audit.lines(t)
				require.NotEmpty(t, audit)
				assert.Equal(t, "ok", audit[len(audit)-1]["result"])
			})
		}
	})
}

// TestFaultsIdempotentWritesAreRetried: PUT and DELETE of a membership and
// PUT of a group profile are safe to resend: after a dropped answer the
// tool retries and reports success, and the org holds the change once.
func TestFaultsIdempotentWritesAreRetried(t *testing.T) {
	faultModes(t, func(t *testing.T, perCall bool) {
		e, _ := newFaultEnv(t, perCall)
		sales := e.groupID("Sales")
		member := "/api/v1/groups/" + sales + "/users/" + adaID
		members := func() int {
			n := 0
			g, _ := e.org.LookupGroup(sales)
			for _, id := range g.MemberIDs {
				if id == adaID {
					n++
				}
			}
			return n
		}
		require.Equal(t, 0, members())

		e.org.SetFaults(sandbox.Fault{Method: http.MethodPut, Path: member, Drop: sandbox.DropAfterProcessing, Times: 1})
		out := e.ok("okta_add_user_to_group", map[string]any{"groupId": sales, "userId": adaLogin})
		assert.Equal(t, true, out["added"])
		assert.Equal(t, 2, e.sent(http.MethodPut, member))
		assert.Equal(t, 1, members())

		e.org.SetFaults(sandbox.Fault{Method: http.MethodDelete, Path: member, Status: 502, Times: 2})
		out = e.ok("okta_remove_user_from_group", map[string]any{"groupId": sales, "userId": adaLogin})
		assert.Equal(t, true, out["removed"])
		assert.Equal(t, 3, e.sent(http.MethodDelete, member))
		assert.Equal(t, 0, members())

		e.org.SetFaults(sandbox.Fault{Method: http.MethodPut, Path: "/api/v1/groups/" + sales, ResponseDelay: 10 * time.Second, Times: 1})
		out = e.ok("okta_update_group", map[string]any{"groupId": sales, "name": "Sales EMEA"})
		assert.Equal(t, "Sales EMEA", out["name"])
		g, _ := e.org.LookupGroup(sales)
		assert.Equal(t, "Sales EMEA", g.Name)

		// The DELETE is processed but its answer lost; the retry gets 404.
		// The group was there when the tool looked it up, so it is gone now:
		// the agent must hear "deleted", not "not found".
		e.org.SetFaults(sandbox.Fault{Method: http.MethodDelete, Path: "/api/v1/groups/" + sales, Drop: sandbox.DropAfterProcessing, Times: 1})
		out = e.ok("okta_delete_group", map[string]any{"groupId": sales})
		assert.Equal(t, true, out["deleted"])
		assert.Equal(t, 2, e.sent(http.MethodDelete, "/api/v1/groups/"+sales))
		_, found := e.org.LookupGroup(sales)
		assert.False(t, found)
	})
}

// TestFaultsCancelStopsRetries: a call cancelled while the client waits to
// retry sends nothing more to Okta.
func TestFaultsCancelStopsRetries(t *testing.T) {
	t.Parallel()
	// Real time here: the first backoff is 250-500ms; the call is cancelled
	// as soon as the first attempt got its 503.
	e := newConfiguredEnv(t, configuredEnv{
		sandbox: sandbox.Options{Faults: []sandbox.Fault{{Method: http.MethodGet, Path: "/api/v1/users/*", Status: 503}}},
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for e.requests() == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond) // the client is in its backoff now
		cancel()
	}()
	start := time.Now()
	req := mcp.CallToolRequest{}
	req.Params.Name = "okta_get_user"
	req.Params.Arguments = map[string]any{"userId": adaLogin}
	res, err := e.client.CallTool(ctx, req)
	if err == nil { // the in-process transport hands back the handler's result
		require.True(t, res.IsError)
		assert.Contains(t, text(res), "cancelled")
	}
	assert.Less(t, time.Since(start), 2*time.Second, "the call stopped waiting")
	time.Sleep(600 * time.Millisecond) // past the longest first backoff (500ms)
	assert.Equal(t, 1, e.requests(), "no request after the cancellation")
}

// TestFaultsUnknownOutcomeNeverLeaksSecrets: the messages of the fault
// paths carry neither the token nor the password.
func TestFaultsUnknownOutcomeNeverLeaksSecrets(t *testing.T) {
	const password = "Fault-Passw0rd-Zz9!"
	e, _ := newFaultEnv(t, true)
	e.org.SetFaults(sandbox.Fault{Method: http.MethodPost, Path: "/api/v1/users", ResponseDelay: 10 * time.Second})
	msg := e.fails("okta_create_user", map[string]any{"firstName": "S", "lastName": "L", "email": "s.l@example.com", "password": password})
	assert.Contains(t, msg, "the outcome is unknown")
	all := msg + e.logs.String() + e.audit.String()
	for _, secret := range []string{sandbox.DefaultToken, sandbox.DefaultToken[2:14], password} {
		assert.False(t, strings.Contains(all, secret), "a secret leaked")
	}
}

// panicTransport panics on every round trip, as a bug deep in a transport
// would.
type panicTransport struct{}

func (panicTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	panic("transport bug while sending " + r.Method + " " + r.URL.Path)
}

// TestPanicsNeverLeakSecrets: a panic during a call becomes a generic
// protocol error; the server logs the panic and its stack, and neither the result,
// the logs nor the audit line carries the token or the password.
func TestPanicsNeverLeakSecrets(t *testing.T) {
	const token = "00PanicSecret-Token-abcdef0123456789"
	const password = "Panic-Passw0rd-Zz9!"
	e := newConfiguredEnv(t, configuredEnv{
		perCall:   true,
		transport: func(*sandbox.Org) http.RoundTripper { return panicTransport{} },
	})
	var results []string
	for _, c := range []struct {
		tool string
		args map[string]any
	}{
		{"okta_get_user", map[string]any{"userId": adaLogin}},
		{"okta_create_user", map[string]any{"firstName": "P", "lastName": "X", "email": "p.x@example.com", "password": password}},
	} {
		args := map[string]any{"apiKey": token, "domain": "sandbox.okta.com"}
		for k, v := range c.args {
			args[k] = v
		}
		req := mcp.CallToolRequest{}
		req.Params.Name = c.tool
		req.Params.Arguments = args
		res, err := e.client.CallTool(context.Background(), req)
		require.Error(t, err, "a panic is a protocol error (a real fault), not a tool result")
		assert.Nil(t, res)
		assert.Contains(t, err.Error(), c.tool+" failed unexpectedly; the server logged the details")
		results = append(results, err.Error())
	}
	logs := e.logs.String()
	require.Contains(t, logs, "tool panicked")
	require.Contains(t, logs, "transport bug while sending", "the panic is logged for the operator")
	all := strings.Join(results, "\n") + logs + e.audit.String()
	for _, secret := range []string{token, token[2:14], password} {
		assert.NotContains(t, all, secret)
	}
	audit := e.audit.lines(t)
	require.Len(t, audit, 1)
	assert.Equal(t, "internal_error", audit[0]["result"])
}
