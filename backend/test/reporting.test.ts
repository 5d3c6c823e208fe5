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
  // a Sunday, 10:00 in Hà Nội: the daily period of 22/11 and the monthly period of November are under way
  const now = new Date('2026-11-22T10:00:00+07:00');
  const day = (d: string) => `${d}T00:00:00+07:00`;
  const iso = (local: string) => new Date(local).toISOString();

  beforeAll(async () => {
    server = await startTestServer({ clock: { now: () => now } });
    const key = await server.createKey(null);
    const points = [
      // einvoice.issued is daily: a day's figure is due when the next day begins (midnight)
      { metric: 'einvoice.issued', unit: '79', ts: day('2026-11-21'), value: 120_000 }, // 0 behind
      { metric: 'einvoice.issued', unit: '01', ts: day('2026-11-20'), value: 98_000 }, // 1 behind: 21/11 missing
      { metric: 'einvoice.issued', unit: '31', ts: day('2026-11-19'), value: 50_000 }, // 2 behind: 20, 21/11
      { metric: 'einvoice.issued', unit: '48', ts: day('2026-11-18'), value: 40_000 }, // 3 behind: 19, 20, 21/11
      { metric: 'einvoice.issued', unit: '48', ts: day('2026-11-17'), value: 41_000 },
      // Bà Rịa–Vũng Tàu ended on 1/7/2025 (merged into 79); its last day is the first provincial value of the metric
      { metric: 'einvoice.issued', unit: '74', ts: day('2025-06-30'), value: 7_000 },
      // dvc.level4_share is monthly: October's figure was due on 1/11
      { metric: 'dvc.level4_share', unit: '79', ts: day('2026-10-01'), value: 60 }, // 0 behind
      { metric: 'dvc.level4_share', unit: '01', ts: day('2026-09-30'), value: 55 }, // 1 behind: October
      { metric: 'dvc.level4_share', unit: '31', ts: day('2026-08-15'), value: 50 }, // 2 behind: September, October
      { metric: 'dvc.level4_share', unit: '48', ts: day('2026-07-01'), value: 45 }, // 3 behind: August … October
    ];
    const pushed = await push(server.url, key, { batchId: 'compliance', points });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(202);
  });
  afterAll(async () => {
    await server?.close();
  });

  const compliance = async (query: string) => {
    const { status, body } = await getJson(server.url, `/api/v1/reporting/compliance?${query}`);
    expect(status, JSON.stringify(body)).toBe(200);
    return { body, byUnit: new Map((body.units as { unit: string }[]).map((u) => [u.unit, u as Record<string, unknown>])) };
  };

  it('counts a daily metric in days behind, late since the due time of the first missing day', async () => {
    const { body, byUnit } = await compliance('metric=einvoice.issued');
    expect(body).toMatchObject({ metric: 'einvoice.issued', cadence: 'daily', periodStart: iso(day('2026-11-22')), graceSeconds: 0 });
    expect(byUnit.size).toBe(34); // the provinces in force now
    expect(byUnit.get('79')).toMatchObject({
      status: 'on_time',
      periodsBehind: 0,
      lateSince: null,
      lateBySeconds: null,
      lastTs: iso(day('2026-11-21')),
    });
    expect(byUnit.get('01')).toMatchObject({
      status: 'late',
      periodsBehind: 1,
      firstMissingPeriod: iso(day('2026-11-21')),
      lateSince: iso(day('2026-11-22')),
      lateBySeconds: 10 * 3600,
    });
    expect(byUnit.get('31')).toMatchObject({
      status: 'late',
      periodsBehind: 2,
      lateSince: iso(day('2026-11-21')),
      lateBySeconds: 34 * 3600,
    });
    // three days behind is not "late by 10 hours", as the period start alone would say
    expect(byUnit.get('48')).toMatchObject({
      status: 'late',
      periodsBehind: 3,
      firstMissingPeriod: iso(day('2026-11-19')),
      lateSince: iso(day('2026-11-20')),
      lateBySeconds: 58 * 3600,
      lastTs: iso(day('2026-11-18')),
    });
    // never reported: every day since provinces began to report it (30/6/2025, sent by 74) is missing
    expect(byUnit.get('92')).toMatchObject({
      status: 'never',
      lastTs: null,
      periodsBehind: 510,
      firstMissingPeriod: iso(day('2025-06-30')),
      lateSince: iso(day('2025-07-01')),
    });
    expect(byUnit.has('74')).toBe(false); // dissolved units are not asked to report
    expect(body.summary).toEqual({ onTime: 1, late: 3, never: 30, maxPeriodsBehind: 510, earliestLateSince: iso(day('2025-07-01')) });
  });

  it('counts a monthly metric in months behind, late since the first day after the first missing month', async () => {
    const { body, byUnit } = await compliance('metric=dvc.level4_share');
    expect(body).toMatchObject({ cadence: 'monthly', periodStart: iso(day('2026-11-01')), dueBy: iso(day('2026-11-01')) });
    expect(byUnit.get('79')).toMatchObject({ status: 'on_time', periodsBehind: 0, lateSince: null });
    expect(byUnit.get('01')).toMatchObject({
      status: 'late',
      periodsBehind: 1,
      firstMissingPeriod: iso(day('2026-10-01')),
      lateSince: iso(day('2026-11-01')),
      lateBySeconds: (21 * 24 + 10) * 3600,
    });
    expect(byUnit.get('31')).toMatchObject({ status: 'late', periodsBehind: 2, lateSince: iso(day('2026-10-01')) });
    expect(byUnit.get('48')).toMatchObject({
      status: 'late',
      periodsBehind: 3,
      firstMissingPeriod: iso(day('2026-08-01')),
      lateSince: iso(day('2026-09-01')),
    });
    // provinces began to report it in July 2026: July to October are missing
    expect(byUnit.get('92')).toMatchObject({
      status: 'never',
      periodsBehind: 4,
      firstMissingPeriod: iso(day('2026-07-01')),
      lateSince: iso(day('2026-08-01')),
    });
  });

  it('judges as at another time when asked: the units in force then, the periods due then', async () => {
    // 30/6/2025 noon: the 63 provinces before the merger, 74 among them and on time (its value is for today)
    const before = await compliance(`metric=einvoice.issued&asOf=${encodeURIComponent('2025-06-30T12:00:00+07:00')}`);
    expect(before.byUnit.size).toBe(63);
    expect(before.byUnit.get('74')).toMatchObject({ status: 'on_time', periodsBehind: 0 });
    // nothing was due yet for the others: reporting began today
    expect(before.byUnit.get('92')).toMatchObject({ status: 'never', periodsBehind: 0, lateSince: null });
    // 2/7/2025: 74 is gone, 92 has missed 30/6 and 1/7
    const after = await compliance(`metric=einvoice.issued&asOf=${encodeURIComponent('2025-07-02T08:00:00+07:00')}`);
    expect(after.byUnit.size).toBe(34);
    expect(after.byUnit.has('74')).toBe(false);
    expect(after.byUnit.get('92')).toMatchObject({ status: 'never', periodsBehind: 2, lateSince: iso(day('2025-07-01')) });
    // a value dated after the time asked does not count: 79 had not reported by then either
    expect(after.byUnit.get('79')).toMatchObject({ status: 'never', lastTs: null });
  });

  it('sums up several metrics per unit: the worst status, the most periods behind, the earliest late-since', async () => {
    const { status, body } = await getJson(
      server.url,
      '/api/v1/reporting/compliance/overview?unitKind=province&metrics=einvoice.issued,dvc.level4_share',
    );
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.metrics.map((m: { metric: string; cadence: string }) => [m.metric, m.cadence])).toEqual([
      ['einvoice.issued', 'daily'],
      ['dvc.level4_share', 'monthly'],
    ]);
    const byUnit = new Map((body.units as { unit: string }[]).map((u) => [u.unit, u as Record<string, any>]));
    expect(byUnit.size).toBe(34);
    expect(byUnit.get('79')).toMatchObject({ status: 'on_time', periodsBehind: 0, worstMetric: null, lateSince: null });
    // 1 day behind (since 22/11) and 1 month behind (since 1/11): late since 1/11
    expect(byUnit.get('01')).toMatchObject({ status: 'late', periodsBehind: 1, lateSince: iso(day('2026-11-01')) });
    // 3 days and 3 months: the tie goes to the one late longer
    expect(byUnit.get('48')).toMatchObject({
      status: 'late',
      periodsBehind: 3,
      worstMetric: 'dvc.level4_share',
      lateSince: iso(day('2026-09-01')),
    });
    expect(byUnit.get('48')!.metrics['einvoice.issued']).toMatchObject({
      status: 'late',
      periodsBehind: 3,
      lateSince: iso(day('2026-11-20')),
    });
    expect(byUnit.get('92')).toMatchObject({
      status: 'never',
      periodsBehind: 510,
      worstMetric: 'einvoice.issued',
      lateSince: iso(day('2025-07-01')),
    });
    expect(body.summary).toMatchObject({ onTime: 1, late: 3, never: 30 });
  });

  it('leaves an indicator no province has ever sent out of the worst, and says so', async () => {
    // digitech.new_enterprises: the provinces report it, none has yet
    const { body } = await getJson(server.url, '/api/v1/reporting/compliance/overview?metrics=einvoice.issued,digitech.new_enterprises');
    expect(body.metrics.map((m: { metric: string; collected: boolean }) => [m.metric, m.collected])).toEqual([
      ['einvoice.issued', true],
      ['digitech.new_enterprises', false],
    ]);
    const byUnit = new Map((body.units as { unit: string }[]).map((u) => [u.unit, u as Record<string, any>]));
    expect(byUnit.get('79')).toMatchObject({ status: 'on_time', periodsBehind: 0 });
    expect(byUnit.get('79')!.metrics['digitech.new_enterprises']).toMatchObject({ status: 'never', periodsBehind: null, lateSince: null });
    expect(byUnit.get('01')).toMatchObject({ status: 'late', periodsBehind: 1 });
  });

  it('by default sums up the indicators the provinces report themselves and that some province has sent', async () => {
    const { status, body } = await getJson(server.url, '/api/v1/reporting/compliance/overview?unitKind=province');
    expect(status).toBe(200);
    // einvoice.issued comes from the tax system (reportedBy BTC); level-4 share is reported by the provinces and has
    // values; the other indicators the provinces report have none yet, and would make every province "never reported"
    expect(body.metrics.map((m: { metric: string }) => m.metric)).toEqual(['dvc.level4_share']);
    expect(body.summary).toMatchObject({ onTime: 1, late: 3, never: 30 });
  });

  it('answers 404 for an unknown metric and 400 for an unknown unit kind or a bad time', async () => {
    expect((await getJson(server.url, '/api/v1/reporting/compliance?metric=nope')).status).toBe(404);
    expect((await getJson(server.url, '/api/v1/reporting/compliance?metric=einvoice.issued&unitKind=city')).status).toBe(400);
    expect((await getJson(server.url, '/api/v1/reporting/compliance?metric=einvoice.issued&asOf=yesterday')).status).toBe(400);
    expect((await getJson(server.url, '/api/v1/reporting/compliance/overview?metrics=einvoice.issued,nope')).status).toBe(404);
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
