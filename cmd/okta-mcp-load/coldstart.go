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

// startSample is one cold start: wall time from just before the process
// starts to the moment its initialize answer has been read, and the CPU
// time the process used by then (robust to other load on the machine).
type startSample struct{ wall, cpu time.Duration }

// timeInitialize spawns bin and measures one cold start.
func timeInitialize(bin string, args, env []string) (startSample, error) {
	t0 := time.Now()
	s, err := startStdio(bin, args, env)
	if err != nil {
		return startSample{}, err
	}
	defer s.stop(2 * time.Second)
	if _, err := s.call("initialize", initializeParams()); err != nil {
		return startSample{}, err
	}
	wall := time.Since(t0)
	cpu, err := cpuTime(s.cmd.Process.Pid)
	return startSample{wall, cpu}, err
}

// timeTrue spawns /bin/true and waits for it: the cost of fork+exec+exit.
func timeTrue() (startSample, error) {
	t0 := time.Now()
	cmd := exec.Command("/bin/true")
	err := cmd.Run()
	s := startSample{wall: time.Since(t0)}
	if err == nil {
		s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	return s, err
}

// coldStart measures process start → initialize answered over stdio. The
// variants are interleaved in every round so that machine noise hits all of
// them alike; one warm-up round (page cache) is discarded.
func coldStart(ctx context.Context, c *config) ([]result, error) {
	type variant struct {
		name string
		run  func() (startSample, error)
	}
	vs := []variant{
		{"/bin/true (fork+exec+exit)", timeTrue},
		{"trivial Go process answering initialize", func() (startSample, error) {
			return timeInitialize(c.baseline[0], c.baseline[1:], baseEnv())
		}},
		{"okta-mcp (per-call credentials)", func() (startSample, error) {
			return timeInitialize(c.bin, nil, baseEnv())
		}},
		{"okta-mcp --sandbox", func() (startSample, error) {
			return timeInitialize(c.bin, []string{"--sandbox"}, baseEnv())
		}},
	}
	samples := make([][]time.Duration, len(vs))
	cpus := make([][]time.Duration, len(vs))
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
				samples[i] = append(samples[i], d.wall)
				cpus[i] = append(cpus[i], d.cpu)
			}
		}
	}
	med := make([]time.Duration, len(vs))
	cpu := make([]time.Duration, len(vs))
	for i := range vs {
		med[i] = median(samples[i])
		cpu[i] = median(cpus[i])
		c.logf("cold start %-42s median %s ms  p90 %s ms  CPU %s ms", vs[i].name, ms(med[i]), ms(quantile(samples[i], 0.9)), ms(cpu[i]))
	}
	trivial := med[1]
	var rs []result
	for i := 2; i < len(vs); i++ {
		rs = append(rs, result{
			Experiment: "cold start",
			Metric:     vs[i].name + ": start → initialize answered (stdio), median of " + fmt.Sprint(c.runs),
			Value:      float64(med[i]) / 1e6,
			Unit:       "ms",
			Baseline:   fmt.Sprintf("trivial Go process %s ms (CPU %s ms); /bin/true %s ms", ms(trivial), ms(cpu[1]), ms(med[0])),
			Derived:    fmt.Sprintf("+%s ms over the trivial Go process; CPU used by then %s ms", ms(med[i]-trivial), ms(cpu[i])),
			Target:     "< 20 ms",
			Met:        boolPtr(med[i] < 20*time.Millisecond),
			Detail: map[string]any{"p90_ms": float64(quantile(samples[i], 0.9)) / 1e6, "trivial_p90_ms": float64(quantile(samples[1], 0.9)) / 1e6,
				"cpu_ms": float64(cpu[i]) / 1e6, "trivial_cpu_ms": float64(cpu[1]) / 1e6},
		})
	}
	return rs, nil
}
