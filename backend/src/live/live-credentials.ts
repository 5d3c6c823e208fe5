import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { StreamDeniedReason } from '@dxoc/contracts';
import { AuthService } from '../auth/auth.service';
import type { StreamCredential } from '../auth/stream-credentials';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EventBus } from '../events/event-bus';
import { LOGGER, type JsonLogger } from '../observability/logger';
import { METRICS, type Metrics } from '../observability/metrics';

/** setTimeout takes at most 2^31-1 ms (~24.8 days); a later expiry is left to the periodic check to approach. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Watched {
  credential: StreamCredential;
  /** tells the client why and disconnects it; called at most once */
  deny: (reason: StreamDeniedReason) => void;
  expiry: NodeJS.Timeout | null;
}

/**
 * Keeps checking the credential of every open live socket of this instance, not only at the handshake.
 *
 * The database is the bus: revoking a viewer token, logging out, disabling a user or changing a role is a row
 * change that every instance reads back on its next check — one query per instance per DXOC_LIVE_CREDENTIAL_CHECK_MS
 * for all its sockets' credentials (distinct ones, not per socket). The instance that made the change checks at
 * once (the 'credentials.revoked' event). A session also ends at its expiry time, by a timer per socket, not only
 * at the next check.
 */
@Injectable()
export class LiveCredentialWatch implements OnModuleInit, OnApplicationShutdown {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private again = false;

  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(EventBus) private readonly bus: EventBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.bus.on('credentials.revoked', () => this.check());
    this.timer = setInterval(() => this.check(), this.config.liveCredentialCheckMs);
    this.timer.unref();
  }

  /** A socket was admitted with this credential; `deny` ends it. */
  watch(socketId: string, credential: StreamCredential, deny: (reason: StreamDeniedReason) => void): void {
    const entry: Watched = { credential, deny, expiry: null };
    this.watched.set(socketId, entry);
    if (credential.kind === 'session') this.scheduleExpiry(socketId, entry, credential.expiresAt);
  }

  unwatch(socketId: string): void {
    const entry = this.watched.get(socketId);
    if (entry?.expiry) clearTimeout(entry.expiry);
    this.watched.delete(socketId);
  }

  watchedSockets(): number {
    return this.watched.size;
  }

  /** Checks every watched credential now (coalesced: one check at a time, and at most one more after it). */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    if (this.watched.size === 0) return Promise.resolve();
    this.checking = this.checkAll()
      .catch((error: unknown) => {
        // the database did not answer: the sockets keep their last verdict until the next check
        this.logger.warn('live.credential_check_failed', { error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        this.checking = null;
        if (this.again) {
          this.again = false;
          void this.check();
        }
      });
    return this.checking;
  }

  private async checkAll(): Promise<void> {
    const entries = [...this.watched.entries()];
    const denials = await this.auth.credentialDenials(entries.map(([, entry]) => entry.credential));
    if (denials.size === 0) return;
    for (const [socketId, entry] of entries) {
      const reason = denials.get(`${entry.credential.kind}:${entry.credential.key}`);
      if (reason && this.watched.get(socketId) === entry) this.end(socketId, entry, reason);
    }
  }

  private scheduleExpiry(socketId: string, entry: Watched, expiresAt: Date): void {
    const wait = expiresAt.getTime() - this.clock.now().getTime();
    entry.expiry = setTimeout(
      () => {
        entry.expiry = null;
        if (this.watched.get(socketId) !== entry) return;
        if (expiresAt.getTime() <= this.clock.now().getTime()) this.end(socketId, entry, 'session_expired');
        else this.scheduleExpiry(socketId, entry, expiresAt);
      },
      Math.min(Math.max(0, wait), MAX_TIMER_MS),
    );
    entry.expiry.unref();
  }

  private end(socketId: string, entry: Watched, reason: StreamDeniedReason): void {
    this.unwatch(socketId);
    this.metrics.liveDenied.inc({ reason });
    this.logger.info('live.denied', { reason, credential: entry.credential.kind });
    entry.deny(reason);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const socketId of [...this.watched.keys()]) this.unwatch(socketId);
  }
}
