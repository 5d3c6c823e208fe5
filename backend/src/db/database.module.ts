import { Module } from '@nestjs/common';
import { AggregateRefresher } from './aggregate-refresh';
import { LeaseRepository } from './lease.repository';
import { StorageHealth } from './storage-health';
import { TimescaleJobs } from './timescale-jobs';
import { TimescaleRepository } from './timescale.repository';

/**
 * TimescaleDB policies, the job runner and watcher, the refresh of what a batch touched, leases, and whether the
 * storage takes writes (StorageHealth); the connection itself comes from CoreModule.
 */
@Module({
  providers: [TimescaleRepository, TimescaleJobs, LeaseRepository, AggregateRefresher, StorageHealth],
  exports: [TimescaleRepository, TimescaleJobs, LeaseRepository, StorageHealth],
})
export class DatabaseModule {}
