#!/usr/bin/env node
/*
 * Prints a one-line summary of a Jest JSON report, plus how many tests ran
 * on each database, so a run says plainly what it exercised:
 *
 *   database tests: 60 on SQLITE_3, 60 on POSTGRES_15
 *   tests: 180 passed, 0 failed, 0 skipped
 */
const fs = require('node:fs');

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error(`No Jest report at ${file}`);
  process.exit(1);
}
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const perDatabase = {};
for (const suite of report.testResults) {
  for (const test of suite.assertionResults) {
    const match = test.fullName.match(/\b(SQLITE_3|POSTGRES_\d+)\b/);
    if (match && test.status === 'passed') {
      perDatabase[match[1]] = (perDatabase[match[1]] ?? 0) + 1;
    }
  }
}
const dbLine = Object.entries(perDatabase)
  .map(([db, n]) => `${n} on ${db}`)
  .join(', ');
console.log(`database tests: ${dbLine || 'none'}`);
const skipped = report.numPendingTests + report.numTodoTests;
console.log(
  `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
);
if (
  report.numTotalTests === 0 ||
  report.numFailedTests > 0 ||
  !report.success
) {
  process.exit(1);
}
