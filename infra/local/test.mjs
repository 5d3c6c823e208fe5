// `npm test`: install if needed, typecheck and test every workspace through turbo, then print one
// closing line "N passed, M failed" summed over the vitest reports, for people and for CI.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureInstall, repoRoot } from './ensure-install.mjs';

ensureInstall();
const workspaces = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).workspaces;
const reports = workspaces.map((ws) => path.join(repoRoot, ws, '.vitest-report.json'));
for (const report of reports) rmSync(report, { force: true });

// One task at a time: the suites start real servers, browsers and databases, and 2 cores shared by several of
// them at once turn waits into timeouts. Each vitest run still uses both cores itself.
const run = spawnSync('npx', ['turbo', 'run', 'typecheck', 'test', '--continue', '--concurrency=1', '--output-logs=full', ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR },
});

let passed = 0;
let failed = 0;
let skipped = 0;
for (const report of reports) {
  if (!existsSync(report)) continue;
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests ?? 0;
  failed += json.numFailedTests ?? 0;
  // a file that fails to load has no failed test, only a failed file: count it once (numFailedTestSuites would
  // also count every describe block around a failed test)
  failed += (json.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
}
const status = run.status ?? 1;
if (status !== 0 && failed === 0) failed = 1; // typecheck or a crashed runner: never report a clean line
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status);
