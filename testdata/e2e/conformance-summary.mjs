// Summarise a `conformance server -o DIR` run: one line per scenario, then the counts.
//
// Usage: node conformance-summary.mjs RESULTS_DIR BASELINE_YML COUNTS_FILE
// A scenario passes when all its checks are SUCCESS (or INFO/SKIPPED) and it is not in the baseline;
// a baselined scenario that fails is an expected failure (a fixture scenario); anything else fails
// (including a baselined scenario that passes: the baseline would be stale).
// Writes "passed failed expected" to COUNTS_FILE; exit code 0 when failed == 0.

import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

const [dir, baselineFile, countsFile] = process.argv.slice(2);
const baseline = new Set((YAML.parse(readFileSync(baselineFile, 'utf8'))?.server ?? []).map(String));

const results = new Map();
for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
  const m = entry.match(/^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/);
  const file = join(dir, entry, 'checks.json');
  if (!m || !existsSync(file)) continue;
  let checks;
  try {
    checks = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    checks = [{ name: 'checks.json', status: 'FAILURE', errorMessage: `unreadable: ${e.message}` }];
  }
  results.set(m[1], checks);
}

let passed = 0;
let failed = 0;
let expected = 0;
for (const [scenario, checks] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
  const bad = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
  const good = checks.filter((c) => c.status === 'SUCCESS').length;
  const first = bad[0] ? `${bad[0].name} (${bad[0].status}): ${String(bad[0].errorMessage ?? bad[0].description ?? '').slice(0, 200)}` : '';
  if (baseline.has(scenario)) {
    if (bad.length > 0) {
      expected++;
      console.log(`conformance ${scenario}: expected failure (fixture scenario, in baseline) -- ${first}`);
    } else {
      failed++;
      console.log(`conformance ${scenario}: FAIL -- passes but is listed in conformance-baseline.yml (stale baseline entry)`);
    }
  } else if (bad.length === 0 && good > 0) {
    passed++;
    console.log(`conformance ${scenario}: ok (${good} check${good === 1 ? '' : 's'})`);
  } else {
    failed++;
    console.log(`conformance ${scenario}: FAIL`);
    for (const c of bad) console.log(`    check ${c.name} [${c.id}] ${c.status}: ${c.errorMessage ?? c.description ?? ''}`);
    if (bad.length === 0) console.log('    no checks ran');
  }
}
for (const scenario of baseline) {
  if (!results.has(scenario)) {
    failed++;
    console.log(`conformance ${scenario}: FAIL -- listed in the baseline but did not run (unknown scenario name?)`);
  }
}
if (results.size === 0) {
  failed++;
  console.log('conformance: FAIL -- no scenario results found');
}
writeFileSync(countsFile, `${passed} ${failed} ${expected}\n`);
process.exit(failed === 0 ? 0 : 1);
