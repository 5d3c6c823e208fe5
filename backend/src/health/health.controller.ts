import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/decorators';
import type { HealthResponse } from '@dxoc/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DATABASE, type Database } from '../db/database';
import { StorageHealth } from '../db/storage-health';
import { TimescaleJobs } from '../db/timescale-jobs';
import { CLOCK, type Clock } from '../common/clock';

/** Seconds a client should wait before asking again while the database is away. */
const RETRY_AFTER_S = '5';

@Public()
@Controller('api/v1/health')
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(TimescaleJobs) private readonly jobs: TimescaleJobs,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(StorageHealth) private readonly storage: StorageHealth,
  ) {}

  /**
   * 200 when the database answers ("degraded" when a TimescaleDB job is failing or overdue or the server runs no
   * TimescaleDB scheduler for the database (dxoc then runs the due jobs itself), or when the database
   * refused ingest's last write for its storage, a full disk or a read-only data dir: the instance still serves the
   * wall's reads, so load balancers keep it; ingest itself answers 503 with Retry-After, and the agents' first retry
   * that is stored clears it. A 503 here would pull every instance over a shared disk, and one pulled receives no
   * write to clear it), 503 otherwise: load balancers and probes read the status code. A database
   * that stops answering without closing the connection (a network black hole, a hung server) would leave the
   * query waiting for minutes; the answer is 503 once healthTimeoutMs has passed, so a probe never hangs.
   */
  @Get()
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const started = this.clock.now().getTime();
    const check = async (): Promise<HealthResponse> => {
      // both in the database's priority lane, sent together: on the embedded database they run right after the
      // statement running now, not behind the replay chunks and ticks waiting for it
      let latencyMs = 0;
      const [{ rows }, jobs, scheduler] = await Promise.all([
        this.db.priority
          .query<{ version: string | null }>(`SELECT (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS version`)
          .then((result) => {
            latencyMs = this.clock.now().getTime() - started;
            return result;
          }),
        this.jobs.problems(),
        this.jobs.scheduler(),
      ]);
      const storage = this.storage.status();
      return {
        status: jobs.length > 0 || scheduler === 'absent' || !storage.writable ? 'degraded' : 'ok',
        db: { driver: this.db.driver, reachable: true, latencyMs },
        timescaledb: rows[0]?.version ?? null,
        jobs,
        scheduler,
        storage,
      };
    };
    const answer = check();
    // the check may still settle after the deadline; its late failure is of no interest to anyone
    answer.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.config.healthTimeoutMs)));
    try {
      const result = await Promise.race([answer, deadline]);
      if (result) return result;
    } catch {
      // unreachable or failing: answered below
    } finally {
      clearTimeout(timer);
    }
    response.status(503);
    response.setHeader('Retry-After', RETRY_AFTER_S);
    return {
      status: 'unavailable',
      db: { driver: this.db.driver, reachable: false, latencyMs: null },
      timescaledb: null,
      jobs: [],
      scheduler: null,
      storage: this.storage.status(),
    };
  }
}
