package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// baseEnv is the environment every spawned server gets: nothing from the
// caller's environment leaks in (no OKTA_* variables, no proxies).
func baseEnv(extra ...string) []string {
	env := append([]string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=" + os.TempDir()}, serverEnvExtra...)
	return append(env, extra...)
}

// serverEnvExtra is added to every spawned process's environment (-env).
var serverEnvExtra []string

// timeInitialize spawns bin and returns the time from just before the
// process starts to the moment its initialize answer has been read.
func timeInitialize(bin string, args, env []string) (time.Duration, error) {
	t0 := time.Now()
	s, err := startStdio(bin, args, env)
	if err != nil {
		return 0, err
	}
	defer s.stop(2 * time.Second)
	if _, err := s.call("initialize", initializeParams()); err != nil {
		return 0, err
	}
	return time.Since(t0), nil
}

// timeTrue spawns /bin/true and waits for it: the cost of fork+exec+exit.
func timeTrue() (time.Duration, error) {
	t0 := time.Now()
	err := exec.Command("/bin/true").Run()
	return time.Since(t0), err
}

// coldStart measures process start → initialize answered over stdio. The
// variants are interleaved in every round so that machine noise hits all of
// them alike; one warm-up round (page cache) is discarded.
func coldStart(ctx context.Context, c *config) ([]result, error) {
	type variant struct {
		name string
		run  func() (time.Duration, error)
	}
	vs := []variant{
		{"/bin/true (fork+exec+exit)", timeTrue},
		{"trivial Go process answering initialize", func() (time.Duration, error) {
			return timeInitialize(c.baseline[0], c.baseline[1:], baseEnv())
		}},
		{"okta-mcp (per-call credentials)", func() (time.Duration, error) {
			return timeInitialize(c.bin, nil, baseEnv())
		}},
		{"okta-mcp --sandbox", func() (time.Duration, error) {
			return timeInitialize(c.bin, []string{"--sandbox"}, baseEnv())
		}},
	}
	samples := make([][]time.Duration, len(vs))
	for round := -1; round < c.runs; round++ {
		for i, v := range vs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			d, err := v.run()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", v.name, err)
			}
			if round >= 0 {
				samples[i] = append(samples[i], d)
			}
		}
	}
	med := make([]time.Duration, len(vs))
	for i := range vs {
		med[i] = median(samples[i])
		c.logf("cold start %-42s median %s ms  p90 %s ms", vs[i].name, ms(med[i]), ms(quantile(samples[i], 0.9)))
	}
	trivial := med[1]
	var rs []result
	for i := 2; i < len(vs); i++ {
		rs = append(rs, result{
			Experiment: "cold start",
			Metric:     vs[i].name + ": start → initialize answered (stdio), median of " + fmt.Sprint(c.runs),
			Value:      float64(med[i]) / 1e6,
			Unit:       "ms",
			Baseline:   fmt.Sprintf("trivial Go process %s ms; /bin/true %s ms", ms(trivial), ms(med[0])),
			Derived:    fmt.Sprintf("+%s ms over the trivial Go process", ms(med[i]-trivial)),
			Target:     "< 20 ms",
			Met:        boolPtr(med[i] < 20*time.Millisecond),
			Detail:     map[string]any{"p90_ms": float64(quantile(samples[i], 0.9)) / 1e6, "trivial_p90_ms": float64(quantile(samples[1], 0.9)) / 1e6},
		})
	}
	return rs, nil
}
