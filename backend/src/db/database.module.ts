import { Module } from '@nestjs/common';
import { LeaseRepository } from './lease.repository';
import { TimescaleJobs } from './timescale-jobs';
import { TimescaleRepository } from './timescale.repository';

/** TimescaleDB policies, the job runner and watcher, and leases (the connection itself comes from CoreModule). */
@Module({
  providers: [TimescaleRepository, TimescaleJobs, LeaseRepository],
  exports: [TimescaleRepository, TimescaleJobs, LeaseRepository],
})
export class DatabaseModule {}
