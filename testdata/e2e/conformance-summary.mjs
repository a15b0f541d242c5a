// Summarise one or more `conformance server -o DIR` runs against conformance-baseline.yml.
//
// Usage: node conformance-summary.mjs BASELINE_YML COUNTS_FILE LABEL=DIR [LABEL=DIR ...]
//
// The baseline lists expected failures as the suite reads them: `scenario` (the whole scenario) or
// `scenario:check-id` (one check). Here, per run and scenario:
//   ok        every check SUCCESS (INFO and SKIPPED are informational), none listed;
//   expected  every FAILURE/WARNING is listed in the baseline, and nothing listed passed;
//   n/a       the scenario ran no check that can pass or fail (only INFO/SKIPPED);
//   FAIL      a FAILURE/WARNING that is not listed, or a listed check/scenario that passed (stale).
// Across runs, an entry that never matched a failing check in any run is stale too, and every entry
// must carry its reason as a `# comment` on its line.
// Writes "passed failed expected na" to COUNTS_FILE (summed over runs); exit code 0 when failed == 0.

import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

const [baselineFile, countsFile, ...runs] = process.argv.slice(2);
const raw = readFileSync(baselineFile, 'utf8');
const entries = (YAML.parse(raw)?.server ?? []).map(String);
const whole = new Set(entries.filter((e) => !e.includes(':')));
const perCheck = new Set(entries.filter((e) => e.includes(':')));
const matched = new Set();

let passed = 0;
let failed = 0;
let expected = 0;
let na = 0;

// Every list item under server: must say why, on its own line.
for (const line of raw.split('\n')) {
  const m = line.match(/^\s*-\s*([^\s#]+)\s*(#\s*(.*))?$/);
  if (m && !(m[3] ?? '').trim()) {
    failed++;
    console.log(`conformance baseline: FAIL -- entry ${m[1]} gives no reason (add "# why" on its line)`);
  }
}

const isBad = (c) => c.status === 'FAILURE' || c.status === 'WARNING';
const short = (c) => `${c.id} (${c.status}): ${String(c.errorMessage ?? c.description ?? '').replace(/\s+/g, ' ').slice(0, 160)}`;

for (const run of runs) {
  const [label, dir] = run.split(/=(.*)/s);
  const results = new Map();
  for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
    const m = entry.match(/^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/);
    const file = join(dir, entry, 'checks.json');
    if (!m || !existsSync(file)) continue;
    let checks;
    try {
      checks = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      checks = [{ id: 'checks.json', status: 'FAILURE', errorMessage: `unreadable: ${e.message}` }];
    }
    results.set(m[1], checks);
  }
  if (results.size === 0) {
    failed++;
    console.log(`conformance [${label}]: FAIL -- no scenario results in ${dir}`);
    continue;
  }
  const counts = { ok: 0, expected: 0, na: 0, fail: 0 };
  for (const [scenario, checks] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
    const bad = checks.filter(isBad);
    const good = checks.filter((c) => c.status === 'SUCCESS');
    const problems = [];
    let expectedHere = 0;
    if (whole.has(scenario)) {
      if (bad.length === 0) problems.push(`passes but the whole scenario is listed in the baseline (stale entry)`);
      else {
        matched.add(scenario);
        expectedHere = bad.length;
      }
    } else {
      for (const c of bad) {
        const key = `${scenario}:${c.id}`;
        if (perCheck.has(key)) {
          matched.add(key);
          expectedHere++;
        } else problems.push(`unexpected ${short(c)}`);
      }
      for (const c of good) {
        if (perCheck.has(`${scenario}:${c.id}`)) problems.push(`check ${c.id} passes but is listed in the baseline (stale entry)`);
      }
    }
    if (problems.length > 0) {
      counts.fail++;
      console.log(`conformance [${label}] ${scenario}: FAIL`);
      for (const p of problems) console.log(`    ${p}`);
    } else if (expectedHere > 0) {
      counts.expected++;
      console.log(`conformance [${label}] ${scenario}: ${good.length} check${good.length === 1 ? '' : 's'} ok, ${expectedHere} expected failure${expectedHere === 1 ? '' : 's'} (baseline)`);
    } else if (good.length === 0) {
      counts.na++;
      console.log(`conformance [${label}] ${scenario}: n/a (no check to pass or fail: ${checks.map((c) => c.status).join(', ') || 'none'})`);
    } else {
      counts.ok++;
      console.log(`conformance [${label}] ${scenario}: ok (${good.length} check${good.length === 1 ? '' : 's'})`);
    }
  }
  console.log(`conformance [${label}]: ${results.size} scenarios: ${counts.ok} passed, ${counts.expected} with only expected failures, ${counts.na} n/a, ${counts.fail} failed`);
  passed += counts.ok;
  expected += counts.expected;
  na += counts.na;
  failed += counts.fail;
}

for (const e of entries) {
  if (!matched.has(e)) {
    failed++;
    console.log(`conformance baseline: FAIL -- ${e} matched no failing check in any run (stale or misspelt entry)`);
  }
}
writeFileSync(countsFile, `${passed} ${failed} ${expected} ${na}\n`);
process.exit(failed === 0 ? 0 : 1);
