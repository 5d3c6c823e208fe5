import { Module, type DynamicModule } from '@nestjs/common';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { CoreModule, type AppDependencies } from './core/core.module';
import { DashboardsModule } from './dashboards/dashboards.module';
import { DatabaseModule } from './db/database.module';
import { DirectivesModule } from './directives/directives.module';
import { HealthModule } from './health/health.module';
import { IngestModule } from './ingest/ingest.module';
import { KeysModule } from './keys/keys.module';
import { LiveModule } from './live/live.module';
import { NotificationsModule } from './notifications/notifications.module';
import { QueryModule } from './query/query.module';
import { ReportingModule } from './reporting/reporting.module';
import { SeedModule } from './seed/seed.module';
import { SilencesModule } from './silences/silences.module';
import { SystemAlertsModule } from './system-alerts/system-alerts.module';
import { WeeklyReportModule } from './weekly-report/weekly-report.module';

export type { AppDependencies } from './core/core.module';

/**
 * The application: the core (configuration, database, clock, metrics, logger, event bus — given from outside and
 * global) and one module per feature, each registering its own providers and exporting what others use.
 */
@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(deps),
        DatabaseModule,
        CatalogModule,
        AuthModule,
        KeysModule,
        IngestModule,
        QueryModule,
        ReportingModule,
        LiveModule,
        AlertsModule,
        DirectivesModule,
        DashboardsModule,
        HealthModule,
        SeedModule,
        SystemAlertsModule,
        WeeklyReportModule,
        SilencesModule,
        NotificationsModule,
      ],
    };
  }
}
