// What the end-to-end scripts (client.mjs, oauth.mjs) share: their command-line flags, the check
// bookkeeping that ends a run with exactly `N passed, M failed`, and the child servers they start
// on free 127.0.0.1 ports and always stop.

import { spawn } from 'node:child_process';
import net from 'node:net';

// ---------------------------------------------------------------------------------------------
// Settings

const argv = process.argv.slice(2);

// flag returns the value after `name` on the command line, or undefined.
export function flag(name) {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export const VERBOSE = argv.includes('--verbose') || process.env.E2E_VERBOSE === '1';
export const READY_TIMEOUT_MS = 15_000; // a child server becoming ready

// ---------------------------------------------------------------------------------------------
// Check bookkeeping

let passed = 0;
let failed = 0;
const failures = [];

// check records one check and prints one line for it; okNote is shown after a passing check.
export function check(name, ok, detail = '', okNote = '') {
  if (ok) {
    passed++;
    console.log(`ok   ${name}${okNote ? ` -- ${okNote.replace(/\s+/g, ' ')}` : ''}`);
  } else {
    failed++;
    const line = `FAIL ${name}${detail ? ` -- ${detail}` : ''}`;
    failures.push(line);
    console.log(line);
  }
  return ok;
}

// startWatchdog ends the run as failed when it takes longer than ms.
export function startWatchdog(ms, what) {
  const watchdog = setTimeout(() => {
    console.log(`FAIL the whole ${what} run took longer than ${ms} ms`);
    failed++;
    console.log(`${passed} passed, ${failed} failed`);
    killAll('SIGKILL');
    process.exit(1);
  }, ms);
  watchdog.unref();
}

// finish stops every child, prints the failures and the closing line, and exits (1 on any
// failure, or when nothing was checked).
export function finish() {
  killAll('SIGKILL');
  if (failures.length > 0) {
    console.log(`# ${failures.length} failure(s):`);
    for (const f of failures) console.log(`#   ${f.split('\n')[0]}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

export function short(v, n = 300) {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > n ? `${s.slice(0, n)}...` : s;
}

export function errText(e) {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Child processes (servers): free ports, readiness, and always stopping them

const children = new Set();

export function killAll(signal) {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try { c.kill(signal); } catch { /* already gone */ }
    }
  }
}
process.on('exit', () => killAll('SIGKILL'));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.log(`FAIL interrupted by ${sig}`);
    killAll('SIGKILL');
    process.exit(1);
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// cleanEnv is our environment without OKTA_* variables (a developer's real credentials stay out).
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OKTA_')));
}

// startServer launches bin with args(port) and env (added to cleanEnv) and waits until GET
// readyPath answers (okOnly: 200 only; otherwise any status below 500). It retries on a fresh port
// when the child dies (e.g. the port was taken in between).
export async function startServer(label, bin, args, readyPath, { okOnly = true, env = {} } = {}) {
  let lastErr = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const child = spawn(bin, args(port), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...cleanEnv(), ...env } });
    children.add(child);
    const log = [];
    const keep = (d) => { log.push(d.toString()); if (log.length > 400) log.shift(); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let dead = '';
    child.once('exit', (code, sig) => { dead = `exited (code ${code}, signal ${sig})`; });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let ready = false;
    while (!ready && !dead && Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${readyPath}`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        ready = okOnly ? res.status === 200 : res.status < 500;
      } catch { /* not listening yet */ }
      if (!ready) await sleep(100);
    }
    if (ready) return { label, port, base: `http://127.0.0.1:${port}`, child, log };
    lastErr = dead || `not ready after ${READY_TIMEOUT_MS} ms`;
    await stopChild(child);
    if (VERBOSE || attempt === 3) console.error(`[${label}] attempt ${attempt}: ${lastErr}\n${log.join('').slice(-2000)}`);
  }
  throw new Error(`${label}: could not start: ${lastErr}`);
}

export async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    children.delete(child);
    return;
  }
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 12_000); // okta-mcp's own shutdown timeout is 10 s
  await gone;
  clearTimeout(t);
  children.delete(child);
}
