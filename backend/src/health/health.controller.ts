import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/decorators';
import type { HealthResponse } from '@dxoc/contracts';
import { DATABASE, type Database } from '../db/database';
import { TimescaleJobs } from '../db/timescale-jobs';
import { CLOCK, type Clock } from '../common/clock';

@Public()
@Controller('api/v1/health')
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(TimescaleJobs) private readonly jobs: TimescaleJobs,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * 200 when the database answers ("degraded" when a TimescaleDB job is failing or overdue: the instance still
   * serves, so load balancers keep it), 503 otherwise: load balancers and probes read the status code.
   */
  @Get()
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const started = this.clock.now().getTime();
    try {
      const { rows } = await this.db.query<{ version: string | null }>(
        `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb') AS version`,
      );
      const latencyMs = this.clock.now().getTime() - started;
      const jobs = await this.jobs.problems();
      return {
        status: jobs.length > 0 ? 'degraded' : 'ok',
        db: { driver: this.db.driver, reachable: true, latencyMs },
        timescaledb: rows[0]?.version ?? null,
        jobs,
      };
    } catch {
      response.status(503);
      response.setHeader('Retry-After', '5');
      return { status: 'unavailable', db: { driver: this.db.driver, reachable: false, latencyMs: null }, timescaledb: null, jobs: [] };
    }
  }
}
