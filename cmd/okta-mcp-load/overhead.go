package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// directGet is the baseline call: GET /api/v1/users/{id} straight to the
// in-memory org on loopback, body read to the end.
func directGet(ctx context.Context, hc *http.Client, b *backend, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.url+"/api/v1/users/"+id, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "SSWS "+b.token)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("direct GET: HTTP %d", resp.StatusCode)
	}
	return nil
}

// serverEnv is the environment of an okta-mcp process whose own
// credentials point at the backend (server-credentials mode).
func serverEnv(b *backend) []string {
	return baseEnv("OKTA_ORG_URL="+b.url, "OKTA_API_TOKEN="+b.token)
}

// freePort returns a currently unused loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// httpServerProc is okta-mcp serving streamable HTTP on a loopback port.
type httpServerProc struct {
	*stdioServer // the process; its stdio is unused
	url          string
}

// startHTTPServer starts okta-mcp --transport http on a free loopback port
// and waits until /healthz answers 200.
func startHTTPServer(ctx context.Context, c *config, env []string, extra ...string) (*httpServerProc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	args := append([]string{"--transport", "http", "--listen", addr, "--allow-http"}, extra...)
	p, err := startStdio(c.bin, args, env)
	if err != nil {
		return nil, err
	}
	hc := loopbackClient(1)
	deadline := time.Now().Add(15 * time.Second)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
		resp, err := hc.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			p.stop(time.Second)
			return nil, fmt.Errorf("okta-mcp on %s not healthy after 15s (stderr: %s)", addr, p.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return &httpServerProc{stdioServer: p, url: "http://" + addr + "/mcp"}, nil
}

func (p *httpServerProc) stop() {
	_ = p.cmd.Process.Signal(interruptSignal)
	p.stdioServer.stop(5 * time.Second)
}

// paired runs n iterations of base and subject back to back (alternating
// which goes first) and returns both latency series.
func paired(ctx context.Context, n int, base, subject func() error) (bs, ss []time.Duration, err error) {
	bs = make([]time.Duration, 0, n)
	ss = make([]time.Duration, 0, n)
	timeOne := func(f func() error) (time.Duration, error) {
		t0 := time.Now()
		err := f()
		return time.Since(t0), err
	}
	for i := range n {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		first, second := base, subject
		if i%2 == 1 {
			first, second = subject, base
		}
		d1, err := timeOne(first)
		if err != nil {
			return nil, nil, err
		}
		d2, err := timeOne(second)
		if err != nil {
			return nil, nil, err
		}
		if i%2 == 1 {
			d1, d2 = d2, d1
		}
		bs = append(bs, d1)
		ss = append(ss, d2)
	}
	return bs, ss, nil
}

// timeN runs f n times.
func timeN(n int, f func() error) (time.Duration, error) {
	t0 := time.Now()
	for range n {
		if err := f(); err != nil {
			return 0, err
		}
	}
	return time.Since(t0), nil
}

// overhead measures okta_get_user through the okta-mcp process over stdio
// and over streamable HTTP, paired call by call with a direct GET of the
// same user from the same org.
func overhead(ctx context.Context, c *config) ([]result, error) {
	b, err := startBackend(c.self, 0, 0)
	if err != nil {
		return nil, err
	}
	defer b.close()
	hc := loopbackClient(4)
	direct := func() error { return directGet(ctx, hc, b, b.userID) }
	args := map[string]any{"userId": b.userID}
	check := func(r *toolResult, err error) error {
		if err != nil {
			return err
		}
		if r.IsError {
			return fmt.Errorf("okta_get_user failed: %s", truncate(r.text(), 300))
		}
		return nil
	}

	var rs []result
	var trivialRTT time.Duration
	measure := func(transport string, pid int, call func() error) error {
		warm := min(200, c.calls)
		if _, _, err := paired(ctx, warm, direct, call); err != nil {
			return err
		}
		// The server's CPU time and context switches per call, over the
		// MCP calls only.
		cpu0, _ := cpuTime(pid)
		cs0, _ := contextSwitches(pid)
		if _, err := timeN(c.calls/4, call); err != nil {
			return err
		}
		cpu1, _ := cpuTime(pid)
		cs1, _ := contextSwitches(pid)
		n := float64(c.calls / 4)
		cpuPerCall := float64(cpu1-cpu0) / 1e3 / n
		csPerCall := float64(cs1-cs0) / n
		bs, ss, err := paired(ctx, c.calls, direct, call)
		if err != nil {
			return err
		}
		diffs := make([]time.Duration, len(bs))
		for i := range bs {
			diffs[i] = ss[i] - bs[i]
		}
		mb, msub, mdiff := median(bs), median(ss), median(diffs)
		over := msub - mb
		c.logf("%s: direct p50 %s µs, okta-mcp p50 %s µs, overhead %s µs (median paired diff %s µs); okta-mcp CPU %.0f µs and %.1f context switches per call",
			transport, us(mb), us(msub), us(over), us(mdiff), cpuPerCall, csPerCall)
		r := result{
			Experiment: "per-call overhead",
			Metric:     "okta_get_user via the okta-mcp process over " + transport + ", median of " + strconv.Itoa(c.calls),
			Value:      float64(msub) / 1e3,
			Unit:       "µs",
			Baseline:   "direct GET of the same user: " + us(mb) + " µs",
			Derived: fmt.Sprintf("overhead %s µs; median paired difference %s µs; okta-mcp CPU %.0f µs and %.1f context switches per call",
				us(over), us(mdiff), cpuPerCall, csPerCall),
			Detail: map[string]any{
				"direct_p50_us": float64(mb) / 1e3, "mcp_p50_us": float64(msub) / 1e3,
				"overhead_us": float64(over) / 1e3, "paired_diff_p50_us": float64(mdiff) / 1e3,
				"direct_p99_us": float64(quantile(bs, 0.99)) / 1e3, "mcp_p99_us": float64(quantile(ss, 0.99)) / 1e3,
				"server_cpu_us_per_call": cpuPerCall, "server_context_switches_per_call": csPerCall,
			},
		}
		if transport == "stdio" {
			r.Target = "overhead ≤ 50 µs"
			r.Met = boolPtr(over <= 50*time.Microsecond)
			r.Baseline += "; a stdio round trip to the trivial Go process: " + us(trivialRTT) + " µs"
			r.Detail.(map[string]any)["trivial_stdio_rtt_us"] = float64(trivialRTT) / 1e3
		}
		rs = append(rs, r)
		return nil
	}

	// The floor of any stdio server: a round trip to the trivial Go process
	// (a request line in, an answer line out), measured in the same run.
	tp, err := startStdio(c.baseline[0], c.baseline[1:], baseEnv())
	if err != nil {
		return nil, err
	}
	var trivial []time.Duration
	for i := range min(c.calls, 2000) + 200 {
		t0 := time.Now()
		if _, err := tp.call("ping", nil); err != nil {
			tp.stop(time.Second)
			return nil, fmt.Errorf("trivial process: %w", err)
		}
		if i >= 200 {
			trivial = append(trivial, time.Since(t0))
		}
	}
	tp.stop(time.Second)
	trivialRTT = median(trivial)
	c.logf("stdio round trip to the trivial Go process: p50 %s µs", us(trivialRTT))

	// stdio
	p, err := startStdio(c.bin, []string{"--allow-http"}, serverEnv(b))
	if err != nil {
		return nil, err
	}
	if err := p.initialize(); err != nil {
		p.stop(time.Second)
		return nil, fmt.Errorf("stdio initialize: %w", err)
	}
	err = measure("stdio", p.cmd.Process.Pid, func() error { return check(p.callTool("okta_get_user", args, "")) })
	p.stop(2 * time.Second)
	if err != nil {
		return rs, fmt.Errorf("stdio: %w (stderr: %s)", err, p.stderr.String())
	}

	// streamable HTTP
	hp, err := startHTTPServer(ctx, c, serverEnv(b))
	if err != nil {
		return rs, err
	}
	defer hp.stop()
	s := newHTTPSession(loopbackClient(2), hp.url, nil)
	if err := s.initialize(ctx); err != nil {
		return rs, fmt.Errorf("http initialize: %w (stderr: %s)", err, hp.stderr.String())
	}
	defer s.close(ctx)
	if err := measure("streamable HTTP", hp.cmd.Process.Pid, func() error { return check(s.callTool(ctx, "okta_get_user", args, "")) }); err != nil {
		return rs, fmt.Errorf("http: %w (stderr: %s)", err, hp.stderr.String())
	}
	return rs, nil
}
