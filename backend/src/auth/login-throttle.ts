import { AppError } from '../http/errors';

/**
 * Refuses logins after repeated failures: per username+address (5 in 15 min) and per address (30 in 15 min).
 * Kept in memory per instance: enough against guessing through one instance; behind a load balancer each
 * instance counts on its own (documented).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly perAccount = 5,
    private readonly perAddress = 30,
    private readonly windowMs = 15 * 60_000,
  ) {}

  check(username: string, ip: string, nowMs: number): void {
    for (const [key, limit] of [
      [`u:${username}|${ip}`, this.perAccount],
      [`ip:${ip}`, this.perAddress],
    ] as const) {
      const recent = this.recent(key, nowMs);
      if (recent.length >= limit) {
        const retryAfter = Math.max(1, Math.ceil(((recent[0] ?? nowMs) + this.windowMs - nowMs) / 1000));
        throw new AppError(429, 'too_many_login_attempts', `too many failed logins; try again in ${retryAfter} s`, undefined, {
          'Retry-After': String(retryAfter),
        });
      }
    }
  }

  fail(username: string, ip: string, nowMs: number): void {
    for (const key of [`u:${username}|${ip}`, `ip:${ip}`]) this.failures.set(key, [...this.recent(key, nowMs), nowMs]);
  }

  succeed(username: string, ip: string): void {
    this.failures.delete(`u:${username}|${ip}`);
  }

  private recent(key: string, nowMs: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((at) => nowMs - at < this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    return list;
  }
}
