/**
 * Webhook signatures for notifications (their credentials are sealed at rest by secrets/seal.ts).
 * - signWebhook: `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${rawBody}`), timestamp in Unix seconds,
 *   sent as X-Dxoc-Signature and X-Dxoc-Timestamp. A receiver recomputes it over the raw bytes, compares in
 *   constant time and refuses a timestamp older than its tolerance (replays).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function signWebhook(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

export function verifyWebhook(
  secret: string,
  header: { signature: string | undefined; timestamp: string | undefined },
  rawBody: string | Buffer,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(header.timestamp);
  if (!header.signature || !Number.isInteger(timestamp)) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(header.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
