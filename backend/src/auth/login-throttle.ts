import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../http/errors';
import { AuditService } from './audit.service';
import { LoginThrottleRepository, type FailureCounts, type ThrottleState } from './login-throttle.repository';

/**
 * Failed logins counted within a sliding window, in the database (every instance sees the same counts):
 * - per (username, address): a short lockout for guessing one account from one place;
 * - per address: guessing many usernames from one place locks that address only, never another one;
 * - per username, much higher: a distributed guess at one account locks it, except from addresses it has signed in
 *   from lately, so its owner still gets in with the right password while an unknown address cannot go on guessing.
 * Failures for usernames that do not exist count per address and per (made-up) username, so they never lock a real
 * account. A correct password clears its (username, address) failures.
 */
export const LOGIN_LIMITS = {
  windowMs: 15 * 60_000,
  perAccountAddress: 5,
  perAddress: 30,
  perAccount: 50,
  /** an address the account has signed in from within this long is spared the per-account limit */
  knownAddressMs: 30 * 24 * 3_600_000,
} as const;

type Scope = keyof ThrottleState;
const SCOPE_NAMES: Record<Scope, string> = { pair: 'account_address', address: 'address', account: 'account' };
const PRUNE_EVERY_MS = 60_000;

@Injectable()
export class LoginThrottle {
  private prunedAt = 0;

  constructor(
    @Inject(LoginThrottleRepository) private readonly repository: LoginThrottleRepository,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  private get limits(): FailureCounts {
    return { pair: LOGIN_LIMITS.perAccountAddress, address: LOGIN_LIMITS.perAddress, account: LOGIN_LIMITS.perAccount };
  }

  /** Throws 429 with Retry-After while any scope is over its limit; called before the password is verified. */
  async check(username: string, userId: string | null, ip: string, now: Date): Promise<void> {
    const since = new Date(now.getTime() - LOGIN_LIMITS.windowMs);
    const state = await this.repository.state(
      username,
      ip,
      since,
      this.limits,
      userId,
      new Date(now.getTime() - LOGIN_LIMITS.knownAddressMs),
    );
    const until = Math.max(...Object.values(state).map((at: Date | null) => (at ? at.getTime() + LOGIN_LIMITS.windowMs : 0)));
    if (until <= now.getTime()) return;
    const retryAfter = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
    throw new AppError(
      429,
      'too_many_login_attempts',
      `too many failed logins; try again in ${retryAfter} s`,
      { scopes: (Object.keys(state) as Scope[]).filter((scope) => state[scope]).map((scope) => SCOPE_NAMES[scope]) },
      { 'Retry-After': String(retryAfter) },
    );
  }

  /** Records a failure; the failure that brings a scope to its limit writes a `login.lockout` audit entry. */
  async fail(username: string, ip: string, now: Date): Promise<void> {
    const since = new Date(now.getTime() - LOGIN_LIMITS.windowMs);
    if (now.getTime() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = now.getTime();
      await this.repository.prune(since);
    }
    const counts = await this.repository.insert(username, ip, now, since);
    for (const scope of Object.keys(counts) as Scope[]) {
      if (counts[scope] !== this.limits[scope]) continue;
      await this.audit.record({
        actor: username,
        action: 'login.lockout',
        target: scope === 'address' ? ip : username,
        after: { scope: SCOPE_NAMES[scope], failures: counts[scope], windowMinutes: LOGIN_LIMITS.windowMs / 60_000 },
        ip,
      });
    }
  }

  async succeed(username: string, ip: string): Promise<void> {
    await this.repository.clearPair(username, ip);
  }
}
