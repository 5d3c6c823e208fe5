/**
 * Alert state lives in the database: a backend stopped in the middle of a pending period and started again on the
 * same embedded data dir fires the same alert once "for" has elapsed, with its original pendingSince.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../src/alerts/alert-evaluator';
import type { Alert } from '@dxoc/contracts';
import { PGliteDatabase } from '../src/db/pglite-database';
import type { DatabaseDriver } from './support/databases';
import { callJson, getJson, push, signInAs, startTestServer, type TestServer } from './support/app';

const dataDir = mkdtempSync(path.join(tmpdir(), 'dxoc-alerts-restart-'));
/** The embedded database on a folder, as `dxoc serve` keeps it. */
const persistent: DatabaseDriver = {
  name: 'embedded TimescaleDB in a data dir',
  async open() {
    const db = await PGliteDatabase.open(dataDir);
    return { db, close: () => db.close() };
  },
};
const env = { DXOC_ALERT_SWEEP_MS: '200' };

describe('alerts across a restart', () => {
  let server: TestServer | null = null;
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a pending alert fires after the restart once "for" has elapsed, keeping its pendingSince', async () => {
    server = await startTestServer({ driver: persistent, env: { ...env, DXOC_INSTANCE_ID: 'before-restart' } });
    const staff = await signInAs(server, 'staff');
    const created = await callJson(server.url, 'POST', '/api/v1/alert-rules', staff.token, {
      name: 'restart',
      metric: 'dvc.level4_share',
      scope: { kind: 'units', units: ['01'] },
      condition: { type: 'above', value: 80 },
      for: '4s',
      severity: 'warning',
      messageVi: '{unit} {value}',
      messageEn: '{unit} {value}',
    });
    expect(created.status).toBe(201);
    const key = await server.createKey(['01']);
    const pushed = await push(server.url, key, {
      batchId: 'restart-1',
      points: [{ metric: 'dvc.level4_share', unit: '01', ts: new Date(Date.now() - 60_000).toISOString(), value: 91 }],
    });
    expect(pushed.status).toBe(202);
    await server.app.get(AlertEvaluator).idle();
    const before = (await getJson(server.url, '/api/v1/alerts?state=open')).body.alerts as Alert[];
    expect(before.map((a) => a.state)).toEqual(['pending']);
    const pending = before[0] as Alert;
    await server.close();
    server = null;

    const restartedAt = Date.now();
    server = await startTestServer({ driver: persistent, env: { ...env, DXOC_INSTANCE_ID: 'after-restart' } });
    const deadline = Date.now() + 30_000;
    let fired: Alert | undefined;
    while (!fired) {
      const alerts = (await getJson(server.url, '/api/v1/alerts')).body.alerts as Alert[];
      fired = alerts.find((a) => a.id === pending.id && a.state === 'firing');
      if (!fired && Date.now() > deadline) throw new Error(`the alert did not fire after the restart: ${JSON.stringify(alerts)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(fired.pendingSince).toBe(pending.pendingSince);
    expect(Date.parse(fired.firingSince as string) - Date.parse(pending.pendingSince)).toBeGreaterThanOrEqual(4000);
    const all = (await getJson(server.url, '/api/v1/alerts')).body.alerts as Alert[];
    expect(all).toHaveLength(1);
    const events = (await getJson(server.url, `/api/v1/alerts/${pending.id}/events`)).body.events as { transition: string; at: string }[];
    expect(events.map((e) => e.transition)).toEqual(['pending', 'firing']);
    // fired by the restarted backend, not by the first one on its way down
    expect(Date.parse(events[1]?.at as string)).toBeGreaterThanOrEqual(restartedAt);
  });
});
