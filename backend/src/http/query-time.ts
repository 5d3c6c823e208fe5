import { parseIsoWithOffset } from '@dxoc/contracts';
import { badRequest } from './errors';

/** A time in a query string (`from`, `to`, `asOf`, …): absent → null; anything but ISO-8601 with an offset → 400. */
export function parseQueryTime(text: string | undefined, field: string): Date | null {
  if (text === undefined) return null;
  const ms = parseIsoWithOffset(text);
  if (ms === null) {
    throw badRequest(
      'invalid_query',
      `${field} ${JSON.stringify(text)} must be an ISO-8601 date-time with an offset, such as "2026-01-31T00:00:00+07:00"`,
    );
  }
  return new Date(ms);
}
