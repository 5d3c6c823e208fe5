/**
 * Latencies counted in 0.1-ms buckets, for the live benchmark: 5,000 clients × every batch of a 20-s window are
 * millions of samples, too many to keep per client or to send between processes (2,500 clients' samples as a JSON
 * message outran the 60 s the parent waits for a report). A histogram keeps what the report prints — count,
 * percentiles, max — at 0.1 ms precision, in a few thousand buckets whatever the number of samples.
 */

/** Bucket width: 0.1 ms, finer than any latency the report prints (whole ms). */
const BUCKETS_PER_MS = 10;

/** [bucket, count] pairs: what a client process sends the parent. */
export type HistogramEntries = [bucket: number, count: number][];

export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;

  get count(): number {
    return this.total;
  }

  add(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.addToBucket(Math.round(ms * BUCKETS_PER_MS), 1);
  }

  addEntries(entries: HistogramEntries): this {
    for (const [bucket, count] of entries) this.addToBucket(bucket, count);
    return this;
  }

  private addToBucket(bucket: number, count: number): void {
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
    this.total += count;
  }

  entries(): HistogramEntries {
    return [...this.counts];
  }

  /** Nearest-rank percentile, as `percentile` of support.ts computes it over the sorted samples (NaN when empty). */
  percentile(p: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.min(this.total - 1, Math.max(0, Math.ceil((p / 100) * this.total) - 1));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) as number;
      if (seen > rank) return bucket / BUCKETS_PER_MS;
    }
    return Number.NaN;
  }

  max(): number {
    let max = Number.NEGATIVE_INFINITY;
    for (const bucket of this.counts.keys()) if (bucket > max) max = bucket;
    return this.total === 0 ? Number.NaN : max / BUCKETS_PER_MS;
  }
}
