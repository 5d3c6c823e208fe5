/**
 * Opt-in (DXOC_TEST_K6=1): `npm run load -- --scenario smoke` for real — k6 installed first when missing (a build of
 * several minutes with Go, once per machine), the server started, about 20 s of k6 — must pass its thresholds,
 * accept points and deliver live messages to the wall clients. The default `npm test` checks the scripts without k6
 * (scenarios.test.ts, traffic.test.ts); this is the end-to-end proof, for CI jobs and people who have the time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Report {
  k6Exit: number;
  ingest: { pointsAccepted: number; batchErrors: number };
  live: { viewersConnected: number; messagesReceived: number; probesReceived: number; latencyMs: { p99: number } | null };
  reads: { requests: number; errors: number };
  thresholds: { metric: string; threshold: string; ok: boolean }[];
}

let child: ChildProcess | null = null;

// A timed-out test must not leave the k6 build or the server behind: the run has a process group of its own.
afterEach(() => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  child = null;
});

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    child = spawn(command, args, {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
      detached: true,
    });
    let output = '';
    const forward = (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk); // the k6 build's progress and k6's summary belong in the CI log
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** "points accepted   12,345 (617/s)" → 12345 */
function tableNumber(output: string, label: string): number {
  const match = new RegExp(`^${label}\\s+([\\d,]+)`, 'm').exec(output);
  return match ? Number((match[1] as string).replace(/,/g, '')) : Number.NaN;
}

describe.runIf(process.env.DXOC_TEST_K6 === '1')('with k6 (DXOC_TEST_K6=1)', () => {
  // building k6 from source takes several minutes on 2 cores (once per machine), then the smoke run about one
  it('the smoke scenario passes: points accepted, live messages received, thresholds met', { timeout: 20 * 60_000 }, async () => {
    const reportFile = path.join(os.tmpdir(), `dxoc-load-smoke-${process.pid}.json`);
    try {
      const { code, output } = await run('npm', ['run', '-s', 'load', '--', '--scenario', 'smoke', '--report', reportFile]);
      expect(code, 'k6 exit code (99: a threshold failed)').toBe(0);
      // our table, as people read it
      expect(tableNumber(output, 'points accepted')).toBeGreaterThan(0);
      expect(tableNumber(output, 'messages received')).toBeGreaterThan(0);
      // and the same run as JSON
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
      expect(report.k6Exit).toBe(0);
      expect(report.ingest.pointsAccepted).toBeGreaterThan(0);
      expect(report.ingest.batchErrors).toBe(0);
      expect(report.live.viewersConnected).toBeGreaterThan(0);
      expect(report.live.messagesReceived).toBeGreaterThan(0);
      expect(report.live.probesReceived).toBeGreaterThan(0);
      expect(report.live.latencyMs?.p99).toBeGreaterThan(0);
      expect(report.reads.requests).toBeGreaterThan(0);
      expect(report.thresholds.length).toBeGreaterThan(0);
      expect(report.thresholds.filter((t) => !t.ok)).toEqual([]);
    } finally {
      rmSync(reportFile, { force: true });
    }
  });
});
