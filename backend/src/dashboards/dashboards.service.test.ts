import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, startTestServer, type TestServer } from '../../test/support/app';
import { ConfigError, loadConfig } from '../config/config';
import { DashboardsService } from './dashboards.service';

const service = (dashboardsDir?: string) =>
  new DashboardsService(
    loadConfig({ DXOC_DATA_DIR: '/nonexistent-unused', ...(dashboardsDir ? { DXOC_DASHBOARDS_DIR: dashboardsDir } : {}) }),
  );

describe('DashboardsService', () => {
  it('provisions the shipped pages, checked against the seeded catalog, sorted by order', () => {
    const dashboards = service();
    dashboards.onModuleInit();
    expect(dashboards.list().map((p) => p.id)).toEqual([
      'national-overview',
      'online-public-services',
      'one-stop-shop',
      'population-data',
      'national-databases',
      'e-invoices',
      'e-government-platforms',
      'reporting-compliance',
      'government-reporting',
      'international-standing',
    ]);
  });

  it('stops startup with the file, the path and the problem when a definition is broken', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-dashboards-'));
    try {
      writeFileSync(
        path.join(dir, 'wall.yaml'),
        [
          'schemaVersion: 1',
          'id: wall',
          'order: 0',
          'title: { vi: Tường, en: Wall }',
          'panels:',
          '  - id: invoices',
          '    kind: kpi',
          '    title: { vi: Hóa đơn, en: Invoices }',
          '    position: { x: 0, y: 0, w: 3, h: 2 }',
          '    query: { metric: einvoice.issued, units: [BCA] }',
        ].join('\n'),
      );
      const dashboards = service(dir);
      expect(() => dashboards.onModuleInit()).toThrow(ConfigError);
      expect(() => dashboards.onModuleInit()).toThrow(
        /^invalid dashboard definition: wall\.yaml:10: panels\[0\]\.query\.units\[0\]: metric "einvoice\.issued" is not reported for ministry "BCA"/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GET /api/v1/dashboards', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('serves the provisioned pages to a signed-in wall and refuses anonymous reads', async () => {
    const { status, body } = await getJson(server.url, '/api/v1/dashboards');
    expect(status).toBe(200);
    expect(body.pages.map((p: { order: number }) => p.order)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const overview = body.pages[0];
    expect(overview).toMatchObject({ schemaVersion: 1, id: 'national-overview', rotateSeconds: 45 });
    // defaults of the schema are applied before serving
    expect(overview.panels.find((p: { id: string }) => p.id === 'services-online').display).toMatchObject({
      showSparkline: true,
      decimals: 0,
    });

    expect((await getJson(server.url, '/api/v1/dashboards', null)).status).toBe(401);
  });
});
