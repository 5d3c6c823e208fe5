/**
 * The application is one Nest module per feature on top of a global core module. What tests and the CLI give
 * AppModule.register (the configuration, the database, the clock, metrics, the logger) must reach every module:
 * no feature module may provide one of those tokens itself and shadow the given value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModulesContainer } from '@nestjs/core';
import { CoreModule, CORE_TOKENS } from '../src/core/core.module';
import { CLOCK } from '../src/common/clock';
import { APP_CONFIG } from '../src/config/config';
import { AlertEvaluator } from '../src/alerts/alert-evaluator';
import { AuditService } from '../src/auth/audit.service';
import { AuthService } from '../src/auth/auth.service';
import { CatalogService } from '../src/catalog/catalog.service';
import { TimescaleJobs } from '../src/db/timescale-jobs';
import { EventBus } from '../src/events/event-bus';
import { IngestService } from '../src/ingest/ingest.service';
import { KeysService } from '../src/keys/keys.service';
import { LiveHub } from '../src/live/live-hub';
import { QueryService } from '../src/query/query.service';
import { ReportingService } from '../src/reporting/reporting.service';
import { Seeder } from '../src/seed/seeder';
import { startTestServer, type TestServer } from './support/app';

describe('feature modules', () => {
  let server: TestServer;
  const fixed = new Date('2026-02-03T04:05:06.000Z');

  beforeAll(async () => {
    server = await startTestServer({ clock: { now: () => fixed } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('provides the core tokens in the core module only, so the values given to register reach every module', () => {
    const modules = [...server.app.get(ModulesContainer).values()];
    for (const token of CORE_TOKENS) {
      const holders = modules.filter((m) => m.providers.has(token)).map((m) => m.metatype?.name);
      expect(holders, String(typeof token === 'function' ? token.name : token.toString())).toEqual([CoreModule.name]);
    }
    expect(server.app.get(CLOCK).now()).toEqual(fixed);
    expect(server.app.get(APP_CONFIG)).toBe(server.config);
  });

  it('has one instance of each shared service, whichever module asks for it', () => {
    for (const type of [
      EventBus,
      CatalogService,
      AuditService,
      AuthService,
      KeysService,
      IngestService,
      QueryService,
      ReportingService,
      LiveHub,
      AlertEvaluator,
      TimescaleJobs,
      Seeder,
    ]) {
      const holders = [...server.app.get(ModulesContainer).values()].filter((m) => m.providers.has(type));
      expect(
        holders.map((m) => m.metatype?.name),
        type.name,
      ).toHaveLength(1);
      expect(server.app.get(type)).toBeInstanceOf(type);
    }
  });

  it('gives the test clock to a module far from the core: the audit log of a key created now carries that time', async () => {
    await server.app.get(KeysService).create({ unitCodes: ['79'], name: 'clock check' }, 'modules-test');
    const { rows } = await server.db.query<{ at: Date }>(`SELECT at FROM audit_log WHERE actor = 'modules-test'`);
    expect(rows.map((r) => r.at.toISOString())).toEqual([fixed.toISOString()]);
  });
});
