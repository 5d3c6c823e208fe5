/**
 * Issue 15, "done when": every national system the notices name (../shared/context/DIGEST.md, "The national systems
 * named in the notices") has indicators that are catalogued, fed by the demo simulator, on a wall page and alert-able.
 * One backend over a fresh embedded database, real HTTP. What the simulator sends for yesterday and today (its
 * generators, for every unit in force of the served catalog) and the survey figures it sends as published go
 * through the ingest API with an all-units key, as `dxoc-agent simulate` sends them; then, for each indicator:
 * - GET /api/v1/catalog/metrics serves it;
 * - the simulator feeds it (SIMULATED_METRICS, not NOT_SIMULATED), and its newest national value is in the API;
 * - a panel of a page served by GET /api/v1/dashboards shows it;
 * - POST /api/v1/alert-rules/preview answers 200 for a rule on it, over the values just sent (or, for the biennial
 *   survey, the last survey before the window: the EGDI rank, 71st, is outside the top 70 of the 2025 target).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestPoint, UnitKind } from '@dxoc/contracts';
import { NOT_SIMULATED, buildWorld, historyPoints, type SimCatalog } from '@dxoc/ingest/simulator';
import { SIMULATED_METRICS, surveyPoints } from '@dxoc/ingest/simulator/surveys';
import { callJson, getJson, push, signInAs, startTestServer, type TestServer } from './support/app';

const DAY = 86_400_000;
const PREVIEW_DAYS = 365;

/** What GET /api/v1/catalog/metrics says of a metric, as far as this test reads it. */
interface ServedMetric {
  code: string;
  unitKinds: UnitKind[];
}

/** A rule on an indicator: the condition a committee would watch (a target, a floor). */
type Watch = { metric: string; below: number } | { metric: string; above: number };

/** The twelve rows of the table, each with the indicators that answer for it. */
const SYSTEMS: [string, Watch[]][] = [
  [
    'National Public Service Portal',
    [
      { metric: 'dvc.services_online', below: 4000 },
      { metric: 'dvc.end_to_end_dossier_share', below: 80 },
    ],
  ],
  [
    'National Population Database',
    [
      { metric: 'population.citizen_records', below: 100_000_000 },
      { metric: 'population.social_insurance_records', below: 17_000_000 },
      { metric: 'population.vaccination_citizen_records', below: 78_000_000 },
      { metric: 'population.vaccination_doses', below: 133_000_000 },
      { metric: 'population.teacher_records', below: 570_000 },
      { metric: 'population.newborn_id_numbers', below: 7_000_000 },
    ],
  ],
  [
    'VNeID',
    [
      { metric: 'vneid.accounts_activated', below: 62_000_000 },
      { metric: 'vneid.authentications', below: 1_000_000 },
    ],
  ],
  [
    'e-invoice system',
    [
      { metric: 'einvoice.issued', below: 1_000_000 },
      { metric: 'einvoice.businesses', below: 1_000_000 },
    ],
  ],
  [
    'National Document Exchange Axis',
    [
      { metric: 'edoc.documents_sent', below: 1000 },
      { metric: 'edoc.documents_received', below: 1000 },
      { metric: 'edoc.electronic_share', below: 100 },
    ],
  ],
  [
    'NDXP and LGSPs',
    [
      { metric: 'ndxp.transactions', below: 1_000_000_000 },
      { metric: 'lgsp.unit_share', below: 100 },
    ],
  ],
  [
    'one-stop-shop systems',
    [
      { metric: 'onestop.applications_resolved', below: 1000 },
      { metric: 'onestop.on_time_share', below: 90 },
      { metric: 'onestop.digitised_share', below: 100 },
    ],
  ],
  ['specialised data network', [{ metric: 'network.ministry_province_coverage', below: 100 }]],
  [
    'e-Cabinet',
    [
      { metric: 'ecabinet.paperless_meetings', below: 100 },
      { metric: 'ecabinet.documents_handled', below: 10_000 },
    ],
  ],
  ['national reporting system', [{ metric: 'govreport.on_time_share', below: 80 }]],
  [
    'insurance, land and business-registration databases',
    [
      { metric: 'insurance.participant_records', below: 90_000_000 },
      { metric: 'land.db_coverage', below: 50 },
      { metric: 'digitech.new_enterprises', below: 100 },
    ],
  ],
  [
    'UN EGDI',
    [
      { metric: 'egdi.rank', above: 70 },
      { metric: 'egdi.asean_rank', above: 4 },
      { metric: 'egdi.score', below: 0.75 },
    ],
  ],
];

describe('every national system the notices name: catalogued, fed by the simulator, on the wall, alert-able', () => {
  let server: TestServer;
  let staff: { token: string };
  let metrics: Map<string, ServedMetric>;
  /** panel ids per metric, over every page the wall is served */
  const shownOn = new Map<string, string[]>();
  /** what the simulator sent, national values only */
  let sent: IngestPoint[] = [];
  let now = 0;

  beforeAll(async () => {
    server = await startTestServer();
    staff = await signInAs(server, 'staff');
    const [units, catalog, dashboards] = await Promise.all(
      ['/api/v1/catalog/units', '/api/v1/catalog/metrics', '/api/v1/dashboards'].map((path) => getJson(server.url, path)),
    );
    metrics = new Map((catalog!.body.metrics as ServedMetric[]).map((m) => [m.code, m]));
    for (const page of dashboards!.body.pages as { id: string; panels: { id: string; query?: { metric: string }; metrics?: string[] }[] }[])
      for (const panel of page.panels)
        for (const metric of panel.query ? [panel.query.metric] : (panel.metrics ?? []))
          shownOn.set(metric, [...(shownOn.get(metric) ?? []), `${page.id}/${panel.id}`]);

    // the simulator's values, as it sends them: its catalog is the served one
    const simCatalog: SimCatalog = {
      units: units!.body.units,
      metrics: (catalog!.body.metrics as ServedMetric[]).map((m) => ({ code: m.code, unitKinds: m.unitKinds })),
    };
    now = Date.now();
    const points = [...historyPoints(buildWorld(simCatalog, now), now - DAY, now), ...surveyPoints(simCatalog, now)];
    const key = await server.createKey(null); // all units: a national system writes for every unit
    for (let i = 0; i < points.length; i += 5000) {
      const response = await push(server.url, key, { batchId: `simulator-${i}`, points: points.slice(i, i + 5000) });
      expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBe(202);
    }
    sent = points.filter((p) => p.unit === 'VN');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('covers the twelve systems of the issue, each with at least one indicator', () => {
    expect(SYSTEMS).toHaveLength(12);
    for (const [system, watches] of SYSTEMS) expect(watches.length, system).toBeGreaterThan(0);
  });

  describe.each(SYSTEMS)('%s', (system, watches) => {
    it.each(watches)('$metric', async (watch) => {
      const { metric } = watch;
      // catalogued
      const definition = metrics.get(metric);
      expect(definition, `${system}: ${metric} in GET /api/v1/catalog/metrics`).toBeDefined();
      expect(definition!.unitKinds).toContain('nation');

      // fed by the simulator, and what it sent is what the API holds now
      expect(SIMULATED_METRICS, metric).toContain(metric);
      expect(NOT_SIMULATED[metric], metric).toBeUndefined();
      const mine = sent.filter((p) => p.metric === metric);
      const last = mine.reduce<IngestPoint | null>((a, p) => (!a || Date.parse(p.ts) >= Date.parse(a.ts) ? p : a), null);
      expect(last, `${metric}: the simulator sent a national value`).not.toBeNull();
      const latest = await getJson(server.url, `/api/v1/latest?metric=${metric}&unitKind=nation`);
      expect(latest.status).toBe(200);
      const [stored] = latest.body.values as { unit: string; ts: string; value: number }[];
      expect({ ts: Date.parse(stored!.ts), value: stored!.value }, metric).toEqual({ ts: Date.parse(last!.ts), value: last!.value });

      // on the wall
      expect(shownOn.get(metric) ?? [], `${metric} on a page of GET /api/v1/dashboards`).not.toEqual([]);

      // alert-able: a rule on it can be previewed over the stored values
      const above = 'above' in watch;
      const threshold = above ? watch.above : watch.below;
      const preview = await callJson(server.url, 'POST', '/api/v1/alert-rules/preview', staff.token, {
        rule: {
          name: `${system}: ${metric}`,
          metric,
          scope: { kind: 'nation' },
          condition: { type: above ? 'above' : 'below', value: threshold },
          severity: 'warning',
          messageVi: '{metricName} của {unitName}: {value}, ngưỡng {threshold}',
          messageEn: '{metricName} of {unitName}: {value}, threshold {threshold}',
        },
        days: PREVIEW_DAYS,
      });
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      const inWindow = mine.filter((p) => Date.parse(p.ts) >= now - PREVIEW_DAYS * DAY).length;
      expect(preview.body.evaluatedPoints, metric).toBeGreaterThanOrEqual(Math.min(1, inWindow));
      // the rule fires exactly when the value the simulator sent breaks it (the last value in force in the window)
      const breaks = above ? last!.value > threshold : last!.value < threshold;
      const open = (preview.body.firings as { unit: string; resolvedAt: string | null; value: number }[]).filter(
        (f) => f.resolvedAt === null,
      );
      expect(
        open.map((f) => f.unit),
        `${metric} = ${last!.value}, ${above ? 'above' : 'below'} ${threshold}`,
      ).toEqual(breaks ? ['VN'] : []);
    });
  });
});
