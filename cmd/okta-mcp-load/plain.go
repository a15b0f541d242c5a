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
// the idle resident memory of both (issue 11: within 3 ms and 2 MB).
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
		name string
		bin  string
		args []string
	}
	vs := []variant{
		{"plain mcp-go server, same tools from JSON", c.plain, []string{file}},
		{"okta-mcp --toolsets all (per-call credentials)", c.bin, allToolsArgs},
	}
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
	med := []time.Duration{median(samples[0]), median(samples[1])}
	cpu := []time.Duration{median(cpus[0]), median(cpus[1])}
	low := []time.Duration{quantile(samples[0], 0), quantile(samples[1], 0)}
	for i := range vs {
		c.logf("cold start %-48s median %s ms  min %s ms  p90 %s ms  CPU %s ms", vs[i].name, ms(med[i]), ms(low[i]), ms(quantile(samples[i], 0.9)), ms(cpu[i]))
	}
	delta := med[1] - med[0]
	rs := []result{{
		Experiment: "cold start",
		Metric:     fmt.Sprintf("okta-mcp, all %d tools, vs plain mcp-go server with the same definitions: start → initialize answered (stdio), median of %d", n, c.runs),
		Value:      float64(med[1]) / 1e6,
		Unit:       "ms",
		Baseline:   fmt.Sprintf("plain mcp-go server %s ms (CPU %s ms)", ms(med[0]), ms(cpu[0])),
		Derived: fmt.Sprintf("%+.2f ms over plain mcp-go (fastest runs: %s vs %s ms); CPU by then %s vs %s ms",
			float64(delta)/1e6, ms(low[1]), ms(low[0]), ms(cpu[1]), ms(cpu[0])),
		Target: "within 3 ms of plain mcp-go",
		Met:    boolPtr(delta <= 3*time.Millisecond),
		Detail: map[string]any{"plain_ms": float64(med[0]) / 1e6, "plain_min_ms": float64(low[0]) / 1e6, "okta_min_ms": float64(low[1]) / 1e6, "plain_p90_ms": float64(quantile(samples[0], 0.9)) / 1e6,
			"okta_p90_ms": float64(quantile(samples[1], 0.9)) / 1e6, "plain_cpu_ms": float64(cpu[0]) / 1e6, "okta_cpu_ms": float64(cpu[1]) / 1e6,
			"tools": n, "tools_list_bytes": size},
	}}

	// Idle memory, three alternating samples each; the median counts.
	var plainRSS, oktaRSS []int64
	var plainMem, oktaMem procMem
	for i := 0; i < 3; i++ {
		for j, v := range vs {
			m, s, err := idleRSS(v.bin, v.args, baseEnv())
			if err != nil {
				return rs, fmt.Errorf("%s: %w", v.name, err)
			}
			s.stop(time.Second)
			if j == 0 {
				plainRSS = append(plainRSS, m.RSS)
				plainMem = m
			} else {
				oktaRSS = append(oktaRSS, m.RSS)
				oktaMem = m
			}
		}
	}
	pr, or := medianInt(plainRSS), medianInt(oktaRSS)
	c.logf("idle VmRSS: plain mcp-go %s MiB (anon %s), okta-mcp all tools %s MiB (anon %s)", mib(pr), mib(plainMem.Anon), mib(or), mib(oktaMem.Anon))
	rs = append(rs, result{
		Experiment: "memory",
		Metric:     fmt.Sprintf("okta-mcp, all %d tools, vs plain mcp-go server with the same definitions: VmRSS at idle after initialize (stdio), median of 3", n),
		Value:      float64(or) / 1024,
		Unit:       "MiB",
		Baseline:   "plain mcp-go server: " + mib(pr) + " MiB",
		Derived:    fmt.Sprintf("%+.2f MiB over plain mcp-go", float64(or-pr)/1024),
		Target:     "within 2 MB of plain mcp-go",
		Met:        boolPtr((or-pr)*1024 <= 2_000_000),
		Detail: map[string]any{"plain_rss_mib": float64(pr) / 1024, "okta_rss_mib": float64(or) / 1024,
			"plain_anon_mib": float64(plainMem.Anon) / 1024, "okta_anon_mib": float64(oktaMem.Anon) / 1024},
	})
	return rs, nil
}

func medianInt(xs []int64) int64 {
	d := make([]time.Duration, len(xs))
	for i, x := range xs {
		d[i] = time.Duration(x)
	}
	return int64(median(d))
}
