#!/usr/bin/env bash
# perf.sh: THE one command that reproduces every figure of the README's
# Performance section (issue 6).
#
#   cmd/okta-mcp-load/perf.sh                # full run, about 10 minutes on 2 cores
#   PERF_QUICK=1 cmd/okta-mcp-load/perf.sh   # smoke run (about 1 minute): fewer iterations, no real-time rate-limit run
#
# It builds okta-mcp and the load command, runs the Go benchmarks (in-process
# MCP server, stdio on OS pipes, streamable HTTP on 127.0.0.1) and then the
# whole-process experiments of cmd/okta-mcp-load (cold start, memory,
# per-call overhead, throughput, rate limits). Every figure is measured next
# to its baseline in the same run. Everything talks to 127.0.0.1 only.
# Results go to $PERF_OUT (default bin/perf/<timestamp>/).
set -euo pipefail
cd "$(dirname "$0")/../.."

out=${PERF_OUT:-bin/perf/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
quick=${PERF_QUICK:-}

{
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "nproc:   $(nproc)"
  echo "cpu:     $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1) ($(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -1))"
  echo "memory:  $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "go:      $(go version)"
  echo "kernel:  $(uname -sr)"
} | tee "$out/machine.txt"

echo "== building"
# okta-mcp is built exactly as the Dockerfile builds it (static, stripped).
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o bin/okta-mcp ./cmd/okta-mcp
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o bin/okta-mcp-baseline ./cmd/okta-mcp-load/baseline
# The plain mcp-go server that registers okta-mcp's own tool definitions from JSON (issue 11).
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o bin/okta-mcp-plain ./cmd/okta-mcp-load/plainmcp
# The same server plus an HTTPS client and the HTTP transports: the second baseline.
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -tags https -o bin/okta-mcp-plain-https ./cmd/okta-mcp-load/plainmcp
go build -trimpath -o bin/okta-mcp-load ./cmd/okta-mcp-load
ls -l bin/okta-mcp | awk '{printf "okta-mcp binary: %.1f MiB\n", $5/1048576}' | tee -a "$out/machine.txt"

if [[ -n $quick ]]; then
  count=1 scale=10
  load_flags=(-runs 5 -calls 300 -users 20000 -duration 1s)
  load_exps=(coldstart plain memory overhead throughput)
else
  count=5 scale=1
  load_flags=(-runs 30 -calls 3000 -users 100000 -duration 5s -rate 600 -rl-calls 1204)
  load_exps=(all)
fi

# bench PATTERN ITERATIONS: run the tools benchmarks matching PATTERN with a
# fixed number of iterations (divided by $scale for a quick run), -count times.
bench() {
  local n=$(( $2 / scale )); (( n > 0 )) || n=1
  go test -run '^$' -bench "$1" -benchmem -benchtime "${n}x" -count "$count" -timeout 30m ./tools/
}

echo "== Go benchmarks (count=$count)"
# -run '^$' keeps the unit tests out; every MCP figure is paired with a
# direct GET in the same process.
{
  bench 'BenchmarkPerfGetUser' 3000
  bench 'BenchmarkPerfOverhead' 3000
  bench 'BenchmarkPerfListUsersPage' 300
  bench 'BenchmarkPerfThroughput' 3000
  bench 'BenchmarkPerfNewServer' 30
} | tee "$out/bench.txt"
go test -run '^$' -bench 'BenchmarkPerfRateLimit' -benchtime 1x -count 1 -timeout 10m ./tools/ \
  | tee "$out/bench-ratelimit.txt"

echo "== whole-process experiments"
bin/okta-mcp-load -bin bin/okta-mcp -baseline bin/okta-mcp-baseline -plain bin/okta-mcp-plain -plain-https bin/okta-mcp-plain-https -v -json "$out/load.json" "${load_flags[@]}" "${load_exps[@]}" \
  | tee "$out/load.md"

echo "== Go benchmark medians over $count runs"
cat "$out"/bench*.txt | awk '
  /^Benchmark/ {
    name = $1; sub(/-[0-9]+$/, "", name)
    for (i = 3; i < NF; i += 2) { key = name SUBSEP $(i+1); vals[key] = vals[key] " " $i; if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
  }
  END {
    for (k = 1; k <= n; k++) {
      split(order[k], p, SUBSEP); m = split(vals[order[k]], v, " ")
      # insertion sort, then median
      for (i = 2; i <= m; i++) { x = v[i] + 0; j = i - 1; while (j > 0 && v[j] + 0 > x) { v[j+1] = v[j]; j-- } v[j+1] = x }
      med = (m % 2) ? v[(m+1)/2] : (v[m/2] + v[m/2+1]) / 2
      printf "%-58s %14.6g %s\n", p[1], med, p[2]
    }
  }' | tee "$out/bench-medians.txt"

echo "results in $out"
