import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodStart, previousPeriodStart } from '@dxoc/contracts';
import { getJson, push, startTestServer, type TestServer } from './support/app';

describe('reporting periods in the Vietnamese calendar', () => {
  // 2026-11-22 is a Sunday; 00:30 on 23 Nov in Hanoi is still 22 Nov in UTC.
  it.each([
    ['daily', '2026-11-22T10:00:00+07:00', '2026-11-22T00:00:00+07:00', '2026-11-21T00:00:00+07:00'],
    ['daily', '2026-11-23T00:30:00+07:00', '2026-11-23T00:00:00+07:00', '2026-11-22T00:00:00+07:00'],
    ['weekly', '2026-11-22T10:00:00+07:00', '2026-11-16T00:00:00+07:00', '2026-11-09T00:00:00+07:00'],
    ['monthly', '2026-03-01T06:00:00+07:00', '2026-03-01T00:00:00+07:00', '2026-02-01T00:00:00+07:00'],
    ['quarterly', '2026-11-22T10:00:00+07:00', '2026-10-01T00:00:00+07:00', '2026-07-01T00:00:00+07:00'],
    ['yearly', '2026-01-01T03:00:00+07:00', '2026-01-01T00:00:00+07:00', '2025-01-01T00:00:00+07:00'],
  ] as const)('%s at %s starts at %s, after %s', (cadence, now, start, previous) => {
    expect(periodStart(cadence, Date.parse(now), 'Asia/Ho_Chi_Minh')).toBe(Date.parse(start));
    expect(previousPeriodStart(cadence, Date.parse(now), 'Asia/Ho_Chi_Minh')).toBe(Date.parse(previous));
  });

  it('has no period for irregular indicators', () => {
    expect(periodStart('irregular', Date.now(), 'Asia/Ho_Chi_Minh')).toBeNull();
  });
});

describe('GET /api/v1/reporting/compliance', () => {
  let server: TestServer;
  const now = new Date('2026-11-22T10:00:00+07:00');

  beforeAll(async () => {
    server = await startTestServer({ clock: { now: () => now } });
    const key = await server.createKey(null);
    // einvoice.issued is daily: yesterday's figure is due by midnight
    const points = [
      { metric: 'einvoice.issued', unit: '79', ts: '2026-11-21T00:00:00+07:00', value: 120_000 },
      { metric: 'einvoice.issued', unit: '01', ts: '2026-11-19T00:00:00+07:00', value: 98_000 },
    ];
    expect((await push(server.url, key, { batchId: 'compliance', points })).status).toBe(202);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists every current province as on time, late (by how long) or never', async () => {
    const { status, body } = await getJson(server.url, '/api/v1/reporting/compliance?metric=einvoice.issued');
    expect(status).toBe(200);
    expect(body).toMatchObject({ metric: 'einvoice.issued', cadence: 'daily', periodStart: '2026-11-21T17:00:00.000Z' });
    const byUnit = new Map((body.units as { unit: string }[]).map((u) => [u.unit, u]));
    expect(byUnit.size).toBe(34);
    expect(byUnit.get('79')).toMatchObject({ status: 'on_time', lateBySeconds: null, lastTs: '2026-11-20T17:00:00.000Z' });
    expect(byUnit.get('01')).toMatchObject({ status: 'late', lateBySeconds: 10 * 3600 });
    expect(byUnit.get('48')).toMatchObject({ status: 'never', lastTs: null });
    expect(byUnit.has('74')).toBe(false); // dissolved units are not asked to report
  });

  it('answers 404 for an unknown metric and 400 for an unknown unit kind', async () => {
    expect((await getJson(server.url, '/api/v1/reporting/compliance?metric=nope')).status).toBe(404);
    expect((await getJson(server.url, '/api/v1/reporting/compliance?metric=einvoice.issued&unitKind=city')).status).toBe(400);
  });
});

describe('the configured time zone', () => {
  let server: TestServer;
  const now = new Date('2026-11-22T10:00:00+07:00');

  beforeAll(async () => {
    server = await startTestServer({ clock: { now: () => now }, env: { DXOC_TIMEZONE: 'Asia/Tokyo' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('is served to the wall and the console, and cuts reporting periods at its midnight', async () => {
    expect((await getJson(server.url, '/api/v1/catalog/calendar')).body).toEqual({ timeZone: 'Asia/Tokyo', weekStartsOn: 'monday' });
    const { body } = await getJson(server.url, '/api/v1/reporting/compliance?metric=einvoice.issued');
    // 10:00 in Hà Nội is 12:00 in Tokyo: the day began at 00:00 +09:00
    expect(body).toMatchObject({ periodStart: '2026-11-21T15:00:00.000Z' });
  });
});
