/**
 * A TimescaleDB server that runs no scheduler for dxoc's database (its background workers all taken by other
 * databases' schedulers, as the leaked test databases once did here, or stopped): no job starts and none fails, so
 * without this check nothing would be noticed until the jobs were overdue — days for compression. dxoc notices at its
 * next check: /api/v1/health answers "degraded" with scheduler "absent", /metrics has
 * dxoc_timescaledb_scheduler_running 0, admins get one system alert, and dxoc runs the due jobs itself meanwhile. Once
 * the scheduler is back, all of it clears. The scheduler is stopped with TimescaleDB's own function for the test's
 * database (superuser), on a real server only: the embedded database has no scheduler (scheduler: null, query.e2e).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimescaleRepository } from '../src/db/timescale.repository';
import { EventBus } from '../src/events/event-bus';
import type { NotificationRequested } from '../src/events/event-map';
import { SystemAlertsService } from '../src/system-alerts/system-alerts.service';
import { getJson, signInAs, startTestServer, type TestServer } from './support/app';
import { poll } from './support/poll';

const onServer = process.env.DXOC_TEST_DRIVER === 'server' && Boolean(process.env.TEST_DATABASE_URL);

describe.skipIf(!onServer)('a TimescaleDB server without a scheduler for the database', () => {
  let server: TestServer;

  beforeAll(async () => {
    // dxoc checks every second
    server = await startTestServer({ env: { DXOC_METRICS_PORT: '0', DXOC_EMBEDDED_JOBS_INTERVAL_MS: '1000' } });
  });
  afterAll(async () => {
    // the database is dropped with its workers stopped or not; started again so nothing is left stopped if it is not
    await server?.db.query('SELECT _timescaledb_functions.start_background_workers()').catch(() => undefined);
    await server?.close();
  });

  /** Health once it reports the scheduler in `state` (at most 50 s), and the value of the gauge then. */
  const whenScheduler = async (state: 'running' | 'absent') => {
    const health = await poll(
      () => getJson(server.url, '/api/v1/health'),
      (r) => r.body.scheduler === state,
    );
    const metrics = await fetch(server.metricsUrl!).then((r) => r.text());
    return { health, gauge: /^dxoc_timescaledb_scheduler_running\{database="dxoc_test_\w+"\} (\d)$/m.exec(metrics)?.[1] };
  };

  it('degrades health, sets the gauge, alerts admins once and runs the due jobs itself until the scheduler is back', async () => {
    const notifications: NotificationRequested[] = [];
    server.app.get(EventBus).on('notification.requested', (n) => void notifications.push(n));
    const admin = (await signInAs(server, 'admin')).token;
    const running = await whenScheduler('running');
    expect(running.health.body.scheduler).toBe('running');
    expect(running.gauge).toBe('1');

    expect(
      (await server.db.query<{ stopped: boolean }>('SELECT _timescaledb_functions.stop_background_workers() AS stopped')).rows[0]?.stopped,
    ).toBe(true);
    const absent = await whenScheduler('absent');
    expect(absent.health.status).toBe(200);
    expect(absent.health.body).toMatchObject({ status: 'degraded', scheduler: 'absent' });
    expect(absent.gauge).toBe('0');

    const alerted = await poll(
      () => getJson(server.url, '/api/v1/system-alerts', admin),
      (r) =>
        r.body.alerts?.some(
          (a: { kind: string; resolvedAt: string | null }) => a.kind === 'timescaledb_scheduler' && a.resolvedAt === null,
        ),
    );
    const alert = alerted.body.alerts.find((a: { kind: string }) => a.kind === 'timescaledb_scheduler');
    expect(alert).toMatchObject({ problem: 'absent', resolvedAt: null });
    expect(alert.messageVi).toContain('bộ lập lịch');
    expect(alert.messageEn).toContain('max_background_workers');

    // a job falls due: with no scheduler to start it, dxoc runs it (and moves its next start one interval ahead)
    const hourly = (await server.app.get(TimescaleRepository).listJobs()).find((j) => j.hypertable === 'observation_hourly');
    expect(hourly).toBeDefined();
    const dueAt = (await server.db.query<{ now: Date }>('SELECT now()')).rows[0]!.now;
    await server.db.query('SELECT alter_job($1::int, next_start => now())', [hourly!.jobId]);
    const ran = await poll(
      async () =>
        (
          await server.db.query<{ at: Date | null }>(
            'SELECT coalesce(last_success_at, last_failure_at) AS at FROM timescaledb_job_run WHERE job_id = $1',
            [hourly!.jobId],
          )
        ).rows[0]?.at ?? null,
      (at) => at !== null && at >= dueAt,
    );
    expect(ran?.getTime()).toBeGreaterThanOrEqual(dueAt.getTime());
    const { rows: next } = await server.db.query<{ later: boolean }>(
      'SELECT next_start > now() AS later FROM timescaledb_information.job_stats WHERE job_id = $1',
      [hourly!.jobId],
    );
    expect(next[0]?.later).toBe(true);

    // told once, however many checks have seen it
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(notifications.filter((n) => n.subject.kind === 'system_alert' && n.subject.id === alert.id)).toEqual([
      expect.objectContaining({ audience: { roles: ['admin'] }, severity: 'critical', body: { vi: alert.messageVi, en: alert.messageEn } }),
    ]);

    // the scheduler is started again: health says so, the gauge is 1, the alert resolves
    await server.db.query('SELECT _timescaledb_functions.start_background_workers()');
    const back = await whenScheduler('running');
    expect(back.health.body.scheduler).toBe('running');
    expect(back.gauge).toBe('1');
    const resolved = await poll(
      () => getJson(server.url, '/api/v1/system-alerts', admin),
      (r) => r.body.alerts?.find((a: { id: number }) => a.id === alert.id)?.resolvedAt != null,
    );
    expect(resolved.body.alerts.find((a: { id: number }) => a.id === alert.id).resolvedAt).toEqual(expect.any(String));
  }, 180_000);
});

describe('the system alert for an absent scheduler', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('opens while a check finds no scheduler and resolves at the first check that finds it, leaving job alerts alone', async () => {
    const admin = (await signInAs(server, 'admin')).token;
    const alerts = server.app.get(SystemAlertsService);
    const failing = {
      jobId: 1003,
      proc: 'policy_refresh_continuous_aggregate',
      target: 'observation_hourly',
      problem: 'failing' as const,
      lastSuccessAt: null,
      lastError: 'broken',
    };
    const open = async () =>
      ((await getJson(server.url, '/api/v1/system-alerts', admin)).body.alerts as { kind: string; resolvedAt: string | null }[])
        .filter((a) => a.resolvedAt === null)
        .map((a) => a.kind)
        .sort();

    await alerts.jobsChecked({ problems: [failing], scheduler: 'absent' });
    expect(await open()).toEqual(['timescaledb_job', 'timescaledb_scheduler']);
    await alerts.jobsChecked({ problems: [failing], scheduler: 'absent' }); // seen again: still one of each
    expect(await open()).toEqual(['timescaledb_job', 'timescaledb_scheduler']);
    await alerts.jobsChecked({ problems: [failing], scheduler: 'running' });
    expect(await open()).toEqual(['timescaledb_job']);
    await alerts.jobsChecked({ problems: [], scheduler: null }); // the embedded database: no scheduler to miss
    expect(await open()).toEqual([]);
  });
});
