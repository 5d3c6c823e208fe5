import { Module } from '@nestjs/common';
import { TimescaleJobs } from './timescale-jobs';
import { TimescaleRepository } from './timescale.repository';

/** TimescaleDB policies and, on the embedded database, the job runner (the connection itself comes from CoreModule). */
@Module({
  providers: [TimescaleRepository, TimescaleJobs],
  exports: [TimescaleRepository, TimescaleJobs],
})
export class DatabaseModule {}
