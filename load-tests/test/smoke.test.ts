/**
 * CI guard for the load tests: `npm run load -- --scenario smoke` (k6 installed first when missing) must pass its
 * thresholds, accept points and deliver live messages to the wall clients. About 20 s of k6 time, plus the server's
 * start and, on a fresh machine, the k6 build.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Report {
  k6Exit: number;
  ingest: { pointsAccepted: number; batchErrors: number };
  live: { viewersConnected: number; messagesReceived: number; probesReceived: number; latencyMs: { p99: number } | null };
  reads: { requests: number; errors: number };
  thresholds: { metric: string; threshold: string; ok: boolean }[];
}

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    const forward = (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk); // the k6 build's progress and k6's summary belong in the CI log
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** "points accepted   12,345 (617/s)" → 12345 */
function tableNumber(output: string, label: string): number {
  const match = new RegExp(`^${label}\\s+([\\d,]+)`, 'm').exec(output);
  return match ? Number((match[1] as string).replace(/,/g, '')) : Number.NaN;
}

test('the smoke scenario passes: points accepted, live messages received, thresholds met', async () => {
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
