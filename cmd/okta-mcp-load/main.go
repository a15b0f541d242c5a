// Command okta-mcp-load measures okta-mcp as a whole process: cold start,
// resident memory, per-call overhead over stdio and streamable HTTP,
// throughput, and how well rate limits are used. Every figure is taken next
// to a baseline measured in the same run (a trivial Go process, a direct HTTP
// call to the same in-memory org), so that it holds on a noisy machine.
//
// The Okta org is the in-memory sandbox (okta/sandbox), served on
// 127.0.0.1 by this command in a process of its own ("backend" mode), as
// Okta is a server of its own. The command only ever talks to loopback
// addresses, and every experiment is bounded in calls and time.
//
// Usage:
//
//	okta-mcp-load [flags] all|coldstart|plain|memory|overhead|throughput|ratelimit
//
// cmd/okta-mcp-load/perf.sh builds okta-mcp and runs this command with the flags that
// produce the README's figures.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// config holds the flags shared by all experiments.
type config struct {
	bin         string        // okta-mcp binary under test
	runs        int           // cold-start spawns per variant
	calls       int           // paired calls for the overhead experiment
	users       int           // users in the org paged by the memory experiment
	duration    time.Duration // length of each throughput phase
	sessions    []int         // concurrent sessions for throughput
	rate        int           // requests/minute for the rate-limit experiment
	rlCalls     int           // calls for the rate-limit experiment
	rlSessions  int           // concurrent sessions for the rate-limit experiment
	jsonOut     string        // write results as JSON here too
	verbose     bool
	stderr      io.Writer
	baseline    []string // command line of the trivial-process baseline
	plain       string   // plain mcp-go server (cmd/okta-mcp-load/plainmcp)
	plainHTTPS  string   // its https build (-tags https), an optional second baseline
	self        string   // this executable (backend mode)
	timeoutFlag time.Duration
}

func main() {
	// Hidden mode used as the cold-start and idle-memory baseline: the
	// smallest Go program that answers an MCP initialize over stdio.
	if len(os.Args) > 1 && os.Args[1] == "baseline-stdio" {
		baselineStdio(os.Stdin, os.Stdout)
		return
	}
	// Backend mode: the in-memory Okta org, in a process of its own.
	if len(os.Args) > 1 && os.Args[1] == "backend" {
		if err := runBackend(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "okta-mcp-load backend:", err)
			os.Exit(1)
		}
		return
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("okta-mcp-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	var sessions string
	fs.StringVar(&c.bin, "bin", "./bin/okta-mcp", "okta-mcp binary to measure")
	baseline := fs.String("baseline", "", "trivial Go binary answering initialize (cmd/okta-mcp-load/baseline); default: this command's own baseline-stdio mode")
	fs.StringVar(&c.plain, "plain", "", "plain mcp-go server binary (cmd/okta-mcp-load/plainmcp) for the plain experiment")
	fs.StringVar(&c.plainHTTPS, "plain-https", "", "plain experiment: also compare with this build of plainmcp made with -tags https (HTTPS client, HTTP transports)")
	fs.IntVar(&c.runs, "runs", 30, "cold start: spawns per variant")
	fs.IntVar(&c.calls, "calls", 3000, "overhead: paired calls per transport")
	fs.IntVar(&c.users, "users", 100000, "memory: users in the org paged through")
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "throughput: length of each phase")
	fs.StringVar(&sessions, "sessions", "1,32", "throughput: concurrent sessions, comma separated")
	fs.IntVar(&c.rate, "rate", 600, "ratelimit: the org's limit in requests per minute")
	fs.IntVar(&c.rlCalls, "rl-calls", 0, "ratelimit: calls in total (0: 2.5 x rate, so the run spans three windows)")
	fs.IntVar(&c.rlSessions, "rl-sessions", 4, "ratelimit: concurrent sessions")
	fs.Func("env", "add `KEY=VALUE` to the environment of every spawned server (repeatable), e.g. GOMAXPROCS=1", func(v string) error {
		if !strings.Contains(v, "=") {
			return fmt.Errorf("want KEY=VALUE")
		}
		serverEnvExtra = append(serverEnvExtra, v)
		return nil
	})
	fs.StringVar(&c.jsonOut, "json", "", "also write the results as JSON to this file")
	fs.BoolVar(&c.verbose, "v", false, "log progress to stderr")
	fs.DurationVar(&c.timeoutFlag, "timeout", 15*time.Minute, "give up after this long")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: okta-mcp-load [flags] all|coldstart|plain|memory|overhead|throughput|ratelimit...\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	exps := fs.Args()
	if len(exps) == 0 {
		fs.Usage()
		return 2
	}
	for _, s := range strings.Split(sessions, ",") {
		var n int
		if _, err := fmt.Sscan(strings.TrimSpace(s), &n); err != nil || n < 1 || n > 256 {
			fmt.Fprintf(stderr, "okta-mcp-load: bad -sessions value %q\n", s)
			return 2
		}
		c.sessions = append(c.sessions, n)
	}
	if c.rlCalls == 0 {
		c.rlCalls = c.rate * 5 / 2
	}
	c.stderr = stderr
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "okta-mcp-load: %v\n", err)
		return 1
	}
	c.self = self
	c.baseline = []string{self, "baseline-stdio"}
	if *baseline != "" {
		c.baseline = []string{*baseline}
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	ctx, cancel2 := context.WithTimeout(ctx, c.timeoutFlag)
	defer cancel2()

	all := map[string]func(context.Context, *config) ([]result, error){
		"coldstart":  coldStart,
		"memory":     memory,
		"overhead":   overhead,
		"throughput": throughput,
		"ratelimit":  rateLimit,
		"plain":      plainVsOkta,
	}
	order := []string{"coldstart", "plain", "memory", "overhead", "throughput", "ratelimit"}
	if len(exps) == 1 && exps[0] == "all" {
		exps = order
	}
	var results []result
	failed := false
	for _, e := range exps {
		f, ok := all[e]
		if !ok {
			fmt.Fprintf(stderr, "okta-mcp-load: unknown experiment %q\n", e)
			return 2
		}
		c.logf("== %s", e)
		rs, err := f(ctx, &c)
		results = append(results, rs...)
		if err != nil {
			fmt.Fprintf(stderr, "okta-mcp-load: %s: %v\n", e, err)
			failed = true
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				break
			}
		}
	}
	printTable(stdout, results)
	if c.jsonOut != "" {
		b, _ := json.MarshalIndent(results, "", "  ")
		if err := os.WriteFile(c.jsonOut, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintf(stderr, "okta-mcp-load: %v\n", err)
			return 1
		}
	}
	if failed {
		return 1
	}
	return 0
}

func (c *config) logf(format string, args ...any) {
	if c.verbose {
		fmt.Fprintf(c.stderr, "okta-mcp-load: "+format+"\n", args...)
	}
}

// result is one measured figure with the baseline it is compared against.
type result struct {
	Experiment string  `json:"experiment"`
	Metric     string  `json:"metric"`
	Value      float64 `json:"value"`
	Unit       string  `json:"unit"`
	Baseline   string  `json:"baseline,omitempty"` // what the value is compared with, and its value
	Derived    string  `json:"derived,omitempty"`  // the figure the target applies to, if not Value
	Target     string  `json:"target,omitempty"`   // e.g. "< 20 ms"
	Met        *bool   `json:"met,omitempty"`      // nil when there is no target
	Note       string  `json:"note,omitempty"`     // anything a reader must know
	Detail     any     `json:"detail,omitempty"`   // raw numbers
}

func boolPtr(b bool) *bool { return &b }

func printTable(w io.Writer, rs []result) {
	fmt.Fprintln(w, "| experiment | figure | value | baseline (same run) | target | met |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range rs {
		met := ""
		if r.Met != nil {
			met = "no"
			if *r.Met {
				met = "yes"
			}
		}
		val := fmt.Sprintf("%.4g %s", r.Value, r.Unit)
		if r.Derived != "" {
			val += " (" + r.Derived + ")"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", r.Experiment, r.Metric, val, r.Baseline, r.Target, met)
	}
	for _, r := range rs {
		if r.Note != "" {
			fmt.Fprintf(w, "\n- %s / %s: %s", r.Experiment, r.Metric, r.Note)
		}
	}
	fmt.Fprintln(w)
}
