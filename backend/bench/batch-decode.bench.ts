/**
 * Ingest body decoding benchmark (issue 14 goal 1; not part of the test suite):
 *
 *   npm run bench:batch-decode [-- --rounds=N --points=N --batches=N]
 *
 * The CPU the server spends turning a request's bytes into columns, per point, two ways side by side in each round:
 *   - general: the duplicate-key scan (findDuplicateKey), JSON.parse and decodeBatch: how every ingest body was read
 *     before, and how a body that is not plain still is;
 *   - bytes: decodeBatchBytes, straight from the bytes (what ingestBody does for a plain batch).
 * Bodies as bench:ingest sends them (--points points of one metric over the 34 provinces, ISO times), --batches of
 * them, each decoded once per round. Prints nanoseconds per point (median of --rounds rounds) and the ratio.
 * Figures only, no pass/fail; both ways are checked to give the same columns first.
 */
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { findDuplicateKey } from '../src/http/duplicate-keys';
import { decodeBatchBytes } from '../src/ingest/batch-bytes';
import { decodeBatch, type DecodedBatch } from '../src/ingest/batch-decoder';
import { out, parseBenchArgs, positive, runBenchmark } from './server-process';
import { percentile } from './support';

const PROVINCES = Array.from({ length: 34 }, (_, i) => String(i + 1).padStart(2, '0'));

function body(points: number, batch: number): Buffer {
  const base = Date.UTC(2026, 10, 1);
  const parts = new Array<string>(points);
  for (let k = 0; k < points; k += 1) {
    const i = batch * points + k;
    const ts = new Date(base + Math.floor(i / PROVINCES.length) * 1000).toISOString();
    parts[k] = `{"metric":"dvc.services_online","unit":"${PROVINCES[i % PROVINCES.length]}","ts":"${ts}","value":${(i * 7919) % 100_000}}`;
  }
  return Buffer.from(`{"batchId":"bench-${batch}","points":[${parts.join(',')}]}`);
}

function general(bytes: Buffer): DecodedBatch | null {
  if (findDuplicateKey(bytes)) return null;
  return decodeBatch(JSON.parse(bytes.toString('utf8')));
}

const columns = (b: DecodedBatch | null) =>
  b && { batchId: b.batchId, metric: b.metric, unit: b.unit, ts: b.ts, value: b.value, tsText: b.metric.map((_, i) => b.tsText(i)) };

async function main(): Promise<number> {
  const args = parseBenchArgs(
    process.argv.slice(2),
    { rounds: { type: 'string' }, points: { type: 'string' }, batches: { type: 'string' }, help: { type: 'boolean' } },
    ['npm run bench:batch-decode [-- --rounds=15 --points=1000 --batches=50]'],
  );
  const rounds = positive('rounds', args.rounds, 15);
  const points = positive('points', args.points, 1000);
  const batches = positive('batches', args.batches, 50);
  const bodies = Array.from({ length: batches }, (_, b) => body(points, b));
  for (const bytes of bodies) {
    if (!isDeepStrictEqual(columns(decodeBatchBytes(bytes)), columns(general(bytes)))) throw new Error('the two ways disagree');
  }
  out(
    `node ${process.version}, ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  out(`${batches} bodies of ${points} points, ${(bodies[0] as Buffer).length} bytes each; ${rounds} rounds`);
  const ways = { general, bytes: decodeBatchBytes } as const;
  const perPoint: Record<keyof typeof ways, number[]> = { general: [], bytes: [] };
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, decode] of Object.entries(ways) as [keyof typeof ways, (b: Buffer) => DecodedBatch | null][]) {
      const started = process.hrtime.bigint();
      let decoded = 0;
      for (const bytes of bodies) decoded += decode(bytes)?.metric.length ?? 0;
      perPoint[name].push(Number(process.hrtime.bigint() - started) / decoded);
    }
  }
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const [g, b] = [median(perPoint.general), median(perPoint.bytes)];
  out(`general (duplicate-key scan + JSON.parse + decodeBatch): ${g.toFixed(0)} ns per point (median)`);
  out(`bytes (decodeBatchBytes): ${b.toFixed(0)} ns per point (median)`);
  out(`bytes / general: ${(b / g).toFixed(2)}`);
  return 0;
}

runBenchmark('batch-decode', main);
