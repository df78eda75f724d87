// SPDX-License-Identifier: ISC
// Reads JUnit reports with two consumers from npm that CI dashboards use
// (test-results-parser, junit-to-ctrf) and checks that the totals they
// report are the ones of the tool's Total line.
// Usage: node junit-consumers.mjs REPORT.xml 'Total: ...' [REPORT.xml 'Total: ...']...
// Prints what each consumer counted, each line starting "REPORT.xml: ",
// then a "REPORT.xml: MISMATCH: ..." line for each count that differs and
// a "REPORT.xml: ERROR: ..." line when a consumer could not read it; one
// process reads them all (a node start costs more than a report). Exits 1
// when a count differs or a report could not be read, 77 when the modules
// are not installed.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
let trp, ctrf;
try {
  trp = require('test-results-parser');
  ctrf = await import('junit-to-ctrf');
} catch (e) {
  console.log('SKIP: JUnit consumers not installed (npm install --prefix tests): ' + e.message);
  process.exit(77);
}

// consume REPORT TOTAL SAY: says what each consumer counted in REPORT;
// returns the counts that differ from TOTAL's.
async function consume(report, total, say) {
  // "Total: N subscriptions: 5 PASS, ... [, K not audited (disabled)]" or,
  // with several rules, each rule's counts after its control id; then the
  // files, and the errors that are no subscription's.
  const want = { pass: 0, fail: 0, error: 0, skipped: 0 };
  for (const m of total.matchAll(/(\d+) PASS, (\d+) FAIL, (\d+) ERROR, (\d+) WAIVED(?:, (\d+) not audited)?/g)) {
    want.pass += +m[1];
    want.fail += +m[2];
    want.error += +m[3];
    want.skipped += +m[4] + (m[5] ? +m[5] : 0);
  }
  for (const m of total.matchAll(/; (\d+) (?:waiver|other) errors?/g)) want.error += +m[1];
  want.tests = want.pass + want.fail + want.error + want.skipped;

  const bad = [];
  const check = (who, what, got, expected) => {
    if (got !== expected) bad.push(`${who} ${what}=${got}, the Total line says ${expected}`);
  };

  const r = trp.parse({ type: 'junit', files: [report] });
  // test-results-parser leaves skipped tests out of its total.
  say(`test-results-parser: total=${r.total} passed=${r.passed} failed=${r.failed} errors=${r.errors} skipped=${r.skipped}`);
  check('test-results-parser', 'total+skipped', r.total + r.skipped, want.tests);
  check('test-results-parser', 'passed', r.passed, want.pass);
  check('test-results-parser', 'failed', r.failed, want.fail);
  check('test-results-parser', 'errors', r.errors, want.error);
  check('test-results-parser', 'skipped', r.skipped, want.skipped);

  const dir = mkdtempSync(join(tmpdir(), 'aca-ctrf-'));
  const c = await ctrf.convertJUnitToCTRFReport(report, { log: false, outputPath: join(dir, 'ctrf.json') });
  rmSync(dir, { recursive: true, force: true });
  const s = c.results.summary;
  // CTRF has no "error": an error is a failed test.
  say(`junit-to-ctrf: tests=${s.tests} passed=${s.passed} failed=${s.failed} skipped=${s.skipped}`);
  check('junit-to-ctrf', 'tests', s.tests, want.tests);
  check('junit-to-ctrf', 'passed', s.passed, want.pass);
  check('junit-to-ctrf', 'failed', s.failed, want.fail + want.error);
  check('junit-to-ctrf', 'skipped', s.skipped, want.skipped);
  return bad;
}

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2) {
  console.error("usage: node junit-consumers.mjs REPORT.xml 'Total: ...' [REPORT.xml 'Total: ...']...");
  process.exit(2);
}
let failed = false;
for (let i = 0; i < args.length; i += 2) {
  const report = args[i];
  const say = (line) => console.log(`${report}: ${line}`);
  try {
    const bad = await consume(report, args[i + 1], say);
    for (const b of bad) say('MISMATCH: ' + b);
    failed ||= bad.length > 0;
  } catch (e) {
    say(`ERROR: ${String((e && e.stack) || e).replace(/\n/g, ' ')}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
