// `npm test`: install if needed, then through turbo lint and check formatting (the root task `//#lint`, `npm run
// lint`), typecheck and test every workspace, and print one closing line "N passed, M failed" summed over the vitest
// reports, for people and for CI. A lint or format finding counts as one failure; the tests still run so one run
// shows everything.
//
// An error vitest catches outside any test (a timer or a connection's 'error' event firing after a test ended) fails
// the workspace's run but is in no JSON report: the report says every test passed. So turbo's output is also read as
// it streams past, and each such "unhandled error" counts as a failure and is named, with its workspace and file,
// right before the closing line.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureInstall, repoRoot } from './ensure-install.mjs';

ensureInstall();
const workspaces = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).workspaces;
const reports = new Map(workspaces.map((ws) => [ws, path.join(repoRoot, ws, '.vitest-report.json')]));
for (const report of reports.values()) rmSync(report, { force: true });

/**
 * Reads vitest's report of unhandled errors in turbo's output ("<package>:test: " before every line, with colours):
 *   <pkg>:test: Vitest caught 2 unhandled errors during the test run.
 *   <pkg>:test: ⎯⎯⎯⎯⎯ Uncaught Exception ⎯⎯⎯⎯⎯
 *   <pkg>:test: Error: Connection terminated unexpectedly
 *   …
 *   <pkg>:test: This error originated in "test/agent.e2e.test.ts" test file. …
 * and turbo's closing "Failed: <pkg>#test, …".
 */
class UnhandledErrors {
  byPackage = new Map(); // package → { count, errors: [{ kind, message, file }] }
  failedTasks = [];
  #partial = new Map(); // stream → unfinished line
  #open = new Map(); // package → the error being read, until the next banner or the summary

  add(stream, chunk) {
    const lines = ((this.#partial.get(stream) ?? '') + chunk.toString()).split('\n');
    this.#partial.set(stream, lines.pop() ?? '');
    for (const line of lines) this.#line(line);
  }

  #line(raw) {
    // eslint-disable-next-line no-control-regex
    const line = raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r$/, '');
    const failed = /^\s*Failed:\s+(.*)$/.exec(line);
    if (failed) this.failedTasks.push(...(failed[1].match(/[^\s,]+#[\w:-]+/g) ?? []));
    const task = /^(\S+):test: ?(.*)$/.exec(line);
    if (!task) return;
    const [, pkg, text] = task;
    const caught = /Vitest caught (\d+) unhandled errors? during the test run/.exec(text);
    if (caught) {
      this.byPackage.set(pkg, { count: Number(caught[1]), errors: [] });
      return;
    }
    const entry = this.byPackage.get(pkg);
    if (!entry) return;
    if (/^\s*Test Files\s/.test(text)) {
      this.#open.delete(pkg); // the summary: the section is over
      return;
    }
    const banner = /^⎯{3,}\s+(.+?)\s+⎯{3,}$/.exec(text);
    if (banner) {
      const error = { kind: banner[1], message: null, file: null };
      entry.errors.push(error);
      this.#open.set(pkg, error);
      return;
    }
    const error = this.#open.get(pkg);
    if (!error) return;
    const origin = /This error originated in "([^"]+)" test file/.exec(text);
    if (origin) error.file = origin[1];
    else if (error.message === null && text.trim()) error.message = text.trim();
  }
}

// Lint and the typechecks first, two at a time (each is one process on one core; 64 → 49 s here). Then the tests
// one task at a time: the suites start real servers, browsers and databases, and 2 cores shared by several of them
// at once turn waits into timeouts. Each vitest run still uses both cores itself. The second run finds the
// typechecks the tests depend on in turbo's cache (a failed one runs again; it is named once).
const unhandled = new UnhandledErrors();
const extraArgs = process.argv.slice(2);
function runTurbo(tasks, concurrency) {
  const child = spawn('npx', ['turbo', 'run', ...tasks, '--continue', `--concurrency=${concurrency}`, '--output-logs=full', ...extraArgs], {
    cwd: repoRoot,
    stdio: ['inherit', 'pipe', 'pipe'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR },
  });
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    unhandled.add('stdout', chunk);
  });
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    unhandled.add('stderr', chunk);
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
// Ctrl-C reaches turbo too (same process group); wait for it to stop and report what ran
let interrupted = false;
process.on('SIGINT', () => (interrupted = true));
const checked = await runTurbo(['lint', 'typecheck'], 2);
const tested = interrupted ? 1 : await runTurbo(['test'], 1);
const status = checked || tested;

let passed = 0;
let failed = 0;
let skipped = 0;
const testsFailedIn = new Set();
for (const [ws, report] of reports) {
  if (!existsSync(report)) continue;
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed += json.numPassedTests ?? 0;
  failed += json.numFailedTests ?? 0;
  // a file that fails to load has no failed test, only a failed file: count it once (numFailedTestSuites would
  // also count every describe block around a failed test)
  failed += (json.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  if (json.success === false) testsFailedIn.add(ws);
  skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
}

const named = [];
const shortName = (pkg) => pkg.replace(/^@dxoc\//, '');
for (const [pkg, { count, errors }] of unhandled.byPackage) {
  failed += count;
  for (const error of errors)
    named.push(`unhandled error in ${shortName(pkg)}: ${error.file ?? '(outside any test file)'}: ${error.message ?? error.kind}`);
  if (count > errors.length) named.push(`${count - errors.length} more unhandled error(s) in ${shortName(pkg)}: see its output above`);
}
// a failed typecheck counts once; a test task that failed with no failed test, no failed file and no unhandled error
// read above (vitest crashed, or printed its errors in a form this script does not know) too: named, not silent
for (const task of new Set(unhandled.failedTasks)) {
  const [pkg, name] = task.split('#');
  if (name === 'lint') {
    failed += 1;
    named.push('lint or formatting failed (npm run lint; npm run format rewrites the formatting): see its output above');
    continue;
  }
  if (name === 'typecheck') {
    failed += 1;
    named.push(`typecheck failed in ${shortName(pkg)}: see its output above`);
    continue;
  }
  if (name !== 'test' || unhandled.byPackage.has(pkg)) continue;
  const ws = workspaces.find((w) => JSON.parse(readFileSync(path.join(repoRoot, w, 'package.json'), 'utf8')).name === pkg);
  if (ws && testsFailedIn.has(ws)) continue;
  failed += 1;
  named.push(`${shortName(pkg)}: vitest exited with an error but no failed test: see its output above`);
}
if (status !== 0 && failed === 0) failed = 1; // typecheck or a crashed runner: never report a clean line
if (named.length > 0) console.log(`\n${named.join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status);
