import { Module } from '@nestjs/common';
import { AggregateRefresher } from './aggregate-refresh';
import { LeaseRepository } from './lease.repository';
import { TimescaleJobs } from './timescale-jobs';
import { TimescaleRepository } from './timescale.repository';

/** TimescaleDB policies, the job runner and watcher, the refresh of what a batch touched, and leases (the connection itself comes from CoreModule). */
@Module({
  providers: [TimescaleRepository, TimescaleJobs, LeaseRepository, AggregateRefresher],
  exports: [TimescaleRepository, TimescaleJobs, LeaseRepository],
})
export class DatabaseModule {}
