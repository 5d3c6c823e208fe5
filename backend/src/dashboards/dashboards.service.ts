import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DashboardDefinitionError, loadDashboards, type DashboardCatalog, type DashboardPage } from '@dxoc/dashboards';
import { seedMetrics } from '@dxoc/contracts/reference';
import { seedUnits } from '@dxoc/contracts/reference';
import { APP_CONFIG, ConfigError, type AppConfig } from '../config/config';

/** The codes the definitions may name: the reference catalog the backend seeds (the database holds exactly these). */
const referenceCatalog: DashboardCatalog = { metrics: seedMetrics, units: seedUnits };

/**
 * The wall's pages, provisioned once at startup from the reviewed YAML definitions (@dxoc/dashboards).
 * A broken definition stops startup with the file, the path and the problem: a wall that silently shows
 * nothing in the Prime Minister's meeting room is worse than a server that refuses to start.
 */
@Injectable()
export class DashboardsService implements OnModuleInit {
  private pages: readonly DashboardPage[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    try {
      this.pages = loadDashboards(this.config.dashboardsDir, { catalog: referenceCatalog });
    } catch (error) {
      // ConfigError is what the CLI prints as one line: this is a deployment problem, not a crash.
      if (error instanceof DashboardDefinitionError) {
        throw new ConfigError(`${error.message} (in ${this.config.dashboardsDir}; check with: npm run validate -w @dxoc/dashboards)`);
      }
      throw error;
    }
  }

  /** Sorted by order, defaults applied: exactly the shape the frontend renders. */
  list(): readonly DashboardPage[] {
    return this.pages;
  }
}
