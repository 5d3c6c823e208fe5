import { BATCH_ID_PATTERN, MAX_POINTS_PER_BATCH, parseIsoWithOffset } from '@dxoc/contracts';
import type { ObservationColumns } from './observations.repository';
import { BytesBatch } from './batch-bytes';

/** A batch as columns: point i is metric[i] for unit[i] at ts[i] (epoch ms, `tsText(i)` as sent) with value[i]. */
export interface DecodedBatch extends ObservationColumns {
  batchId: string;
  /** point i's ts as sent, for the messages that quote it (made when asked: the byte decoder keeps no text) */
  tsText(i: number): string;
}

/**
 * The batch as columns when the body is one that IngestBatchSchema accepts, else null: the schema is the contract
 * and explains every problem (IngestService then asks it). One pass over the parsed body, no object per point; zod's
 * own parse copies every point into a new object, and a batch of 1,000 points cost more there than its insert.
 * test/batch-decoder.test.ts checks on random bodies that this accepts exactly what the schema accepts, with the same
 * values.
 */
export function decodeBatch(body: unknown): DecodedBatch | null {
  if (body instanceof BytesBatch) return body; // read from the request's bytes already (ingestBody)
  if (!isRecord(body) || countKeys(body) !== 2) return null;
  const { batchId, points } = body;
  if (typeof batchId !== 'string' || !BATCH_ID_PATTERN.test(batchId)) return null;
  if (!Array.isArray(points) || points.length < 1 || points.length > MAX_POINTS_PER_BATCH) return null;
  const n = points.length;
  const tsTexts = new Array<string>(n);
  const decoded: DecodedBatch = {
    batchId,
    metric: new Array(n),
    unit: new Array(n),
    ts: new Array(n),
    value: new Array(n),
    tsText: (i) => tsTexts[i] as string,
  };
  for (let i = 0; i < n; i += 1) {
    const point: unknown = points[i];
    if (!isRecord(point)) return null;
    const { metric, unit, ts, value } = point;
    if (typeof metric !== 'string' || metric.length < 1 || metric.length > 64) return null;
    if (typeof unit !== 'string' || unit.length < 1 || unit.length > 16) return null;
    if (typeof ts !== 'string' || typeof value !== 'number' || !Number.isFinite(value)) return null;
    if (countKeys(point) !== 4) return null;
    const ms = parseIsoWithOffset(ts);
    if (ms === null) return null;
    decoded.metric[i] = metric;
    decoded.unit[i] = unit;
    decoded.ts[i] = ms;
    decoded.value[i] = value;
    tsTexts[i] = ts;
  }
  return decoded;
}

/** How many points a request body carries (0 when it has no list of points), for the ingest metrics. */
export function pointCount(body: unknown): number {
  if (body instanceof BytesBatch) return body.metric.length;
  const points = isRecord(body) ? body.points : undefined;
  return Array.isArray(points) ? points.length : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The keys a strict schema object sees. With the expected keys all present (checked before), the right count means
 * no unknown key. for…in allocates nothing, unlike Object.keys.
 */
function countKeys(value: Record<string, unknown>): number {
  let count = 0;
  for (const key in value) if (Object.hasOwn(value, key)) count += 1;
  return count;
}
