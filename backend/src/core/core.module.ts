import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DATABASE, type Database } from '../db/database';
import { EventBus } from '../events/event-bus';
import { instrumentDatabase } from '../observability/instrumented-database';
import { JsonLogger, LOGGER } from '../observability/logger';
import { METRICS, Metrics } from '../observability/metrics';

/** Everything that does I/O comes in from outside, so tests and the CLI choose the database and the clock. */
export interface AppDependencies {
  config: AppConfig;
  db: Database;
  clock: Clock;
  metrics?: Metrics;
  logger?: JsonLogger;
}

/** The tokens every module may inject without importing anything: provided here once, by register. */
export const CORE_TOKENS = [APP_CONFIG, DATABASE, CLOCK, METRICS, LOGGER, EventBus] as const;

/**
 * The configuration, the database, the clock, metrics, the logger and the event bus of one application, available
 * to every module. Global, and the only module that provides these tokens: a value given to register (a test's
 * clock, database or configuration) is the one every feature module gets.
 */
@Global()
@Module({})
export class CoreModule {
  static register(deps: AppDependencies): DynamicModule {
    const metrics = deps.metrics ?? new Metrics();
    const logger = deps.logger ?? new JsonLogger(deps.config.logLevel);
    return {
      module: CoreModule,
      providers: [
        { provide: APP_CONFIG, useValue: deps.config },
        { provide: DATABASE, useValue: instrumentDatabase(deps.db, metrics) },
        { provide: CLOCK, useValue: deps.clock },
        { provide: METRICS, useValue: metrics },
        { provide: LOGGER, useValue: logger },
        EventBus,
      ],
      exports: [...CORE_TOKENS],
    };
  }
}
