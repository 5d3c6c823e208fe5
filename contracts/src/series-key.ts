/**
 * Map keys for series and points. NUL cannot occur in a metric code, a unit code or a timestamp, so joined keys
 * never collide ("a.b" + "1" vs "a" + "b1"), which a readable separator such as ":" could not promise.
 */

/** One series: a metric for a unit. */
export function seriesKey(metric: string, unit: string): string {
  return `${metric}\u0000${unit}`;
}

/** One value of a series: a metric for a unit at a time (ts as sent, or epoch ms). */
export function pointKey(metric: string, unit: string, ts: string | number): string {
  return `${metric}\u0000${unit}\u0000${ts}`;
}
