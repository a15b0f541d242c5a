package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// allToolsArgs start okta-mcp with every tool (per-call credentials).
var allToolsArgs = []string{"--toolsets", "all"}

// plainToolsFile asks okta-mcp (started with allToolsArgs) for its
// tools/list and writes it to a temporary file, for the plain mcp-go server
// (cmd/okta-mcp-load/plainmcp) to register the same definitions from JSON.
// It returns the file's path, the number of tools and the tools/list size.
func plainToolsFile(c *config) (path string, tools, size int, err error) {
	s, err := startStdio(c.bin, allToolsArgs, baseEnv())
	if err != nil {
		return "", 0, 0, err
	}
	defer s.stop(time.Second)
	if err := s.initialize(); err != nil {
		return "", 0, 0, err
	}
	raw, err := s.call("tools/list", map[string]any{})
	if err != nil {
		return "", 0, 0, err
	}
	var l struct {
		Tools []json.RawMessage `json:"tools"`
	}
	if err := json.Unmarshal(raw, &l); err != nil {
		return "", 0, 0, err
	}
	dir, err := os.MkdirTemp("", "okta-mcp-load-")
	if err != nil {
		return "", 0, 0, err
	}
	path = filepath.Join(dir, "tools.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		return "", 0, 0, err
	}
	return path, len(l.Tools), len(raw), nil
}

// plainVsOkta measures, interleaved in every round, the cold start (exec →
// initialize answered over stdio) of okta-mcp with every tool and of the
// plain mcp-go server registering the same tool definitions from JSON, then
// the idle resident memory of both (issue 11: within 3 ms and 2 MB). With
// -plain-https it also measures the plain server's https build (the same
// server plus an HTTPS client, streamable HTTP and SSE), as a second
// baseline: what okta-mcp adds beyond fronting a web API at all.
func plainVsOkta(ctx context.Context, c *config) ([]result, error) {
	if c.plain == "" {
		return nil, fmt.Errorf("no -plain binary (build it with: go build -o bin/okta-mcp-plain ./cmd/okta-mcp-load/plainmcp)")
	}
	file, n, size, err := plainToolsFile(c)
	if err != nil {
		return nil, fmt.Errorf("tools/list of okta-mcp: %w", err)
	}
	defer os.RemoveAll(filepath.Dir(file))
	c.logf("plain mcp-go server: %d tools, tools/list %d bytes", n, size)
	type variant struct {
		name  string // in the log
		label string // in the results: "plain mcp-go server", ...
		bin   string
		args  []string
	}
	// okta-mcp is last; every other variant is a baseline.
	vs := []variant{{"plain mcp-go server, same tools from JSON", "plain mcp-go server", c.plain, []string{file}}}
	if c.plainHTTPS != "" {
		vs = append(vs, variant{"plain mcp-go server, https build", "plain mcp-go server with HTTPS client and HTTP transports (-tags https)", c.plainHTTPS, []string{file}})
	}
	vs = append(vs, variant{"okta-mcp --toolsets all (per-call credentials)", "okta-mcp", c.bin, allToolsArgs})
	okta := len(vs) - 1
	samples := make([][]time.Duration, len(vs))
	cpus := make([][]time.Duration, len(vs))
	for round := -1; round < c.runs; round++ {
		for i, v := range vs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			d, err := timeInitialize(v.bin, v.args, baseEnv())
			if err != nil {
				return nil, fmt.Errorf("%s: %w", v.name, err)
			}
			if round >= 0 {
				samples[i] = append(samples[i], d.wall)
				cpus[i] = append(cpus[i], d.cpu)
			}
		}
	}
	med := make([]time.Duration, len(vs))
	cpu := make([]time.Duration, len(vs))
	low := make([]time.Duration, len(vs))
	for i := range vs {
		med[i], cpu[i], low[i] = median(samples[i]), median(cpus[i]), quantile(samples[i], 0)
		c.logf("cold start %-48s median %s ms  min %s ms  p90 %s ms  CPU %s ms", vs[i].name, ms(med[i]), ms(low[i]), ms(quantile(samples[i], 0.9)), ms(cpu[i]))
	}
	var rs []result
	for b := range okta {
		delta := med[okta] - med[b]
		rs = append(rs, result{
			Experiment: "cold start",
			Metric:     fmt.Sprintf("okta-mcp, all %d tools, vs %s with the same definitions: start → initialize answered (stdio), median of %d", n, vs[b].label, c.runs),
			Value:      float64(med[okta]) / 1e6,
			Unit:       "ms",
			Baseline:   fmt.Sprintf("%s %s ms (CPU %s ms)", vs[b].label, ms(med[b]), ms(cpu[b])),
			Derived: fmt.Sprintf("%+.2f ms over the baseline (fastest runs: %s vs %s ms); CPU by then %s vs %s ms",
				float64(delta)/1e6, ms(low[okta]), ms(low[b]), ms(cpu[okta]), ms(cpu[b])),
			Target: "within 3 ms of the baseline",
			Met:    boolPtr(delta <= 3*time.Millisecond),
			Detail: map[string]any{"baseline_ms": float64(med[b]) / 1e6, "baseline_min_ms": float64(low[b]) / 1e6, "okta_min_ms": float64(low[okta]) / 1e6,
				"baseline_p90_ms": float64(quantile(samples[b], 0.9)) / 1e6, "okta_p90_ms": float64(quantile(samples[okta], 0.9)) / 1e6,
				"baseline_cpu_ms": float64(cpu[b]) / 1e6, "okta_cpu_ms": float64(cpu[okta]) / 1e6, "tools": n, "tools_list_bytes": size},
		})
	}

	// Idle memory, three alternating samples each; the median counts.
	rss := make([][]int64, len(vs))
	mem := make([]procMem, len(vs))
	for i := 0; i < 3; i++ {
		for j, v := range vs {
			m, s, err := idleRSS(v.bin, v.args, baseEnv())
			if err != nil {
				return rs, fmt.Errorf("%s: %w", v.name, err)
			}
			s.stop(time.Second)
			rss[j] = append(rss[j], m.RSS)
			mem[j] = m
		}
	}
	or := medianInt(rss[okta])
	for b := range okta {
		pr := medianInt(rss[b])
		c.logf("idle VmRSS: %s %s MiB (anon %s), okta-mcp all tools %s MiB (anon %s)", vs[b].label, mib(pr), mib(mem[b].Anon), mib(or), mib(mem[okta].Anon))
		rs = append(rs, result{
			Experiment: "memory",
			Metric:     fmt.Sprintf("okta-mcp, all %d tools, vs %s with the same definitions: VmRSS at idle after initialize (stdio), median of 3", n, vs[b].label),
			Value:      float64(or) / 1024,
			Unit:       "MiB",
			Baseline:   fmt.Sprintf("%s: %s MiB (private %s MiB)", vs[b].label, mib(pr), mib(mem[b].Anon)),
			Derived:    fmt.Sprintf("%+.2f MiB over the baseline; private (RssAnon) %s vs %s MiB", float64(or-pr)/1024, mib(mem[okta].Anon), mib(mem[b].Anon)),
			Target:     "within 2 MB of the baseline",
			Met:        boolPtr((or-pr)*1024 <= 2_000_000),
			Detail: map[string]any{"baseline_rss_mib": float64(pr) / 1024, "okta_rss_mib": float64(or) / 1024,
				"baseline_anon_mib": float64(mem[b].Anon) / 1024, "okta_anon_mib": float64(mem[okta].Anon) / 1024},
		})
	}
	return rs, nil
}

func medianInt(xs []int64) int64 {
	d := make([]time.Duration, len(xs))
	for i, x := range xs {
		d[i] = time.Duration(x)
	}
	return int64(median(d))
}
