import { AppError } from '../http/errors';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets per key, in this process: one bucket for batches, one for points, each refilling at its
 * per-second rate with one second of burst. A refused batch consumes nothing.
 */
export class RateLimiter {
  private readonly batches = new Map<string, Bucket>();
  private readonly points = new Map<string, Bucket>();

  constructor(private readonly limits: { pointsPerSecond: number; batchesPerSecond: number }) {}

  check(keyId: string, pointCount: number, nowMs: number): void {
    const batchBucket = refill(this.batches, keyId, this.limits.batchesPerSecond, nowMs);
    const pointBucket = refill(this.points, keyId, this.limits.pointsPerSecond, nowMs);
    // A bucket holds one second of its rate: a batch needs at most that much, or a rate below 1 batch/s (or a
    // batch larger than the points rate) could never pass.
    const batchNeed = Math.min(1, this.limits.batchesPerSecond);
    const pointNeed = Math.min(pointCount, this.limits.pointsPerSecond);
    if (batchBucket.tokens < batchNeed)
      throw limited('batches_per_second', this.limits.batchesPerSecond, batchNeed - batchBucket.tokens, this.limits.batchesPerSecond);
    if (pointBucket.tokens < pointNeed) {
      throw limited('points_per_second', this.limits.pointsPerSecond, pointNeed - pointBucket.tokens, this.limits.pointsPerSecond);
    }
    batchBucket.tokens -= 1;
    pointBucket.tokens -= pointCount;
  }
}

function refill(buckets: Map<string, Bucket>, key: string, rate: number, nowMs: number): Bucket {
  const bucket = buckets.get(key) ?? { tokens: rate, updatedAt: nowMs };
  bucket.tokens = Math.min(rate, bucket.tokens + ((nowMs - bucket.updatedAt) / 1000) * rate);
  bucket.updatedAt = nowMs;
  buckets.set(key, bucket);
  return bucket;
}

function limited(limit: string, rate: number, missing: number, refillPerSecond: number): AppError {
  const retryAfter = Math.max(1, Math.ceil(missing / refillPerSecond));
  return new AppError(
    429,
    'rate_limited',
    `rate limit "${limit}" (${rate} per second for this agent key) exceeded; retry after ${retryAfter} s`,
    { limit, perSecond: rate },
    { 'Retry-After': String(retryAfter) },
  );
}
