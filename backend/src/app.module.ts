import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AlertEvaluator } from './alerts/alert-evaluator';
import { AlertRulesService } from './alerts/alert-rules.service';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsRepository } from './alerts/alerts.repository';
import { AlertsService } from './alerts/alerts.service';
import { instrumentDatabase } from './observability/instrumented-database';
import { JsonLogger, LOGGER } from './observability/logger';
import { METRICS, Metrics } from './observability/metrics';
import { AuditRepository } from './auth/audit.repository';
import { AuditService } from './auth/audit.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthRepository } from './auth/auth.repository';
import { AuthService } from './auth/auth.service';
import { EventBus } from './events/event-bus';
import { KeysController } from './keys/keys.controller';
import { LiveGateway } from './live/live.gateway';
import { LiveHub } from './live/live-hub';
import { LiveRepository } from './live/live.repository';
import { CatalogController } from './catalog/catalog.controller';
import { DashboardsController } from './dashboards/dashboards.controller';
import { DashboardsService } from './dashboards/dashboards.service';
import { CatalogAdminService } from './catalog/catalog-admin.service';
import { CatalogRepository } from './catalog/catalog.repository';
import { CatalogService } from './catalog/catalog.service';
import { Seeder } from './seed/seeder';
import { CLOCK, type Clock } from './common/clock';
import { APP_CONFIG, type AppConfig } from './config/config';
import { DATABASE, type Database } from './db/database';
import { TimescaleJobs } from './db/timescale-jobs';
import { TimescaleRepository } from './db/timescale.repository';
import { HealthController } from './health/health.controller';
import { IngestController } from './ingest/ingest.controller';
import { IngestService } from './ingest/ingest.service';
import { ObservationsRepository } from './ingest/observations.repository';
import { KeysRepository } from './keys/keys.repository';
import { KeysService } from './keys/keys.service';
import { QueryController } from './query/query.controller';
import { ReportingController } from './reporting/reporting.controller';
import { ReportingService } from './reporting/reporting.service';
import { QueryService } from './query/query.service';
import { SeriesRepository } from './query/series.repository';

export interface AppDependencies {
  config: AppConfig;
  db: Database;
  clock: Clock;
  metrics?: Metrics;
  logger?: JsonLogger;
}

/** Everything that does I/O comes in from outside, so tests and the CLI choose the database and the clock. */
@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    const metrics = deps.metrics ?? new Metrics();
    const logger = deps.logger ?? new JsonLogger(deps.config.logLevel);
    return {
      module: AppModule,
      controllers: [IngestController, CatalogController, QueryController, HealthController, AuthController, KeysController, DashboardsController, AlertsController, ReportingController],
      providers: [
        { provide: APP_CONFIG, useValue: deps.config },
        { provide: DATABASE, useValue: instrumentDatabase(deps.db, metrics) },
        { provide: METRICS, useValue: metrics },
        { provide: LOGGER, useValue: logger },
        { provide: CLOCK, useValue: deps.clock },
        CatalogRepository,
        CatalogService,
        CatalogAdminService,
        Seeder,
        KeysRepository,
        KeysService,
        ObservationsRepository,
        IngestService,
        SeriesRepository,
        QueryService,
        ReportingService,
        TimescaleRepository,
        TimescaleJobs,
        DashboardsService,
        AuditRepository,
        AuditService,
        AuthRepository,
        AuthService,
        { provide: APP_GUARD, useClass: AuthGuard },
        EventBus,
        LiveRepository,
        LiveHub,
        LiveGateway,
        AlertsRepository,
        AlertEvaluator,
        AlertRulesService,
        AlertsService,
      ],
      exports: [Seeder, KeysService, TimescaleJobs, CatalogService, AuthService, LiveHub, METRICS, LOGGER],
    };
  }
}
