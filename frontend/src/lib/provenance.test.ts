import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '@dxoc/contracts';
import type { Metric } from './api';
import {
  DEFAULT_OVERLAY_SECONDS,
  MAX_REVISIONS,
  nationalTargetOf,
  overlaySeconds,
  provenanceView,
  reportingRowOf,
  reportingView,
  revisionViews,
  selectedPoint,
  seriesQuery,
  stepIndex,
  targetStatusText,
  targetView,
} from './provenance';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T10:00:00+07:00');

const metric = (over: Partial<Metric> = {}): Metric => ({
  code: 'dvc.level4_share',
  nameVi: 'Tỷ lệ DVC toàn trình',
  nameEn: 'Share of full online services',
  descriptionVi: '',
  descriptionEn: '',
  unitOfMeasure: '%',
  kind: 'ratio',
  min: 0,
  max: 100,
  cadence: 'monthly',
  betterWhen: 'higher',
  defaultAggregation: 'last',
  unitKinds: ['province'],
  reportedBy: [],
  sourceSystemVi: 'Cổng Dịch vụ công quốc gia',
  sourceSystemEn: 'National Public Service Portal',
  targets: [
    {
      id: 7,
      metricCode: 'dvc.level4_share',
      unitCode: '01',
      value: 80,
      comparator: '>=',
      deadline: '2026-12-31',
      legalSourceVi: 'Quyết định 06/QĐ-TTg',
      legalSourceEn: 'Decision 06/QD-TTg',
    },
  ],
  ...over,
});

const history: HistoryResponse = {
  metric: 'dvc.level4_share',
  unit: '01',
  ts: '2026-06-01T00:00:00.000Z',
  current: {
    revision: 2,
    value: 61.5,
    batchId: 'hn-b',
    keyId: 'abc',
    keyName: 'Hà Nội một cửa',
    receivedAt: '2026-06-02T01:00:07.000Z',
    supersededAt: null,
  },
  revisions: [
    {
      revision: 1,
      value: 60,
      batchId: 'hn-a',
      keyId: 'seed',
      keyName: 'Reference figures from government notices',
      receivedAt: '2026-06-01T01:00:05.000Z',
      supersededAt: '2026-06-02T01:00:07.000Z',
    },
    {
      revision: 2,
      value: 61.5,
      batchId: 'hn-b',
      keyId: 'abc',
      keyName: 'Hà Nội một cửa',
      receivedAt: '2026-06-02T01:00:07.000Z',
      supersededAt: null,
    },
  ],
};

describe('provenance: what to ask for', () => {
  it.each([
    { search: '', expected: DEFAULT_OVERLAY_SECONDS },
    { search: '?provenanceSeconds=3', expected: 3 },
    { search: '?page=x&provenanceSeconds=120', expected: 120 },
    { search: '?provenanceSeconds=0', expected: DEFAULT_OVERLAY_SECONDS },
    { search: '?provenanceSeconds=abc', expected: DEFAULT_OVERLAY_SECONDS },
    { search: '?provenanceSeconds=99999', expected: DEFAULT_OVERLAY_SECONDS },
  ])('overlay closes after $expected s for "$search"', ({ search, expected }) => {
    expect(overlaySeconds(search)).toBe(expected);
  });

  it('reads 90 days of a daily series, all of a yearly one, raw', () => {
    expect(seriesQuery({ metric: 'm', unit: '79' }, 'daily', NOW)).toEqual({
      metric: 'm',
      unit: '79',
      from: new Date(NOW - 90 * DAY).toISOString(),
    });
    expect(seriesQuery({ metric: 'm', unit: 'VN' }, 'yearly', NOW)).toEqual({ metric: 'm', unit: 'VN' });
  });
});

describe('provenance: reading the answers', () => {
  it('lists revisions newest first with the change from the one before, key names, the seed key in the reader’s language', () => {
    const vi = revisionViews(history, metric(), 'vi');
    expect(vi.map((r) => [r.revision, r.valueText, r.batchId, r.keyLabel, r.current])).toEqual([
      [2, '61,5%', 'hn-b', 'Hà Nội một cửa', true],
      [1, '60%', 'hn-a', 'Số liệu tham chiếu từ văn bản của Chính phủ', false],
    ]);
    expect(vi[0]!.changeText).toBe('+1,5 điểm %');
    expect(vi[1]!.changeText).toBeNull();
    // Viet Nam time, with seconds: revisions are often seconds apart
    expect(vi[0]!.receivedText).toBe('02/06/2026 08:00:07');
    expect(vi[1]!.supersededText).toBe('02/06/2026 08:00:07');
    const en = revisionViews(history, metric(), 'en');
    expect(en[1]!.keyLabel).toBe('Reference figures from government notices');
    expect(en[0]!.changeText).toBe('+1.5 pp');
  });

  it('shows the key id when the key has no name any more', () => {
    const orphan: HistoryResponse = {
      ...history,
      revisions: [{ ...history.current, keyName: null, keyId: 'k-gone' }],
    };
    expect(revisionViews(orphan, metric(), 'vi')[0]!.keyLabel).toBe('k-gone');
    expect(revisionViews(null, metric(), 'vi')).toEqual([]);
  });

  it('finds the unit’s compliance row and keeps the fields it has, later ones included', () => {
    const answer = {
      units: [
        { unit: '79', status: 'on_time', lastTs: '2026-06-14T17:00:00.000Z', lastReceivedAt: null, lateBySeconds: null },
        {
          unit: '01',
          status: 'late',
          lastTs: '2026-06-11T17:00:00.000Z',
          lastReceivedAt: '2026-06-12T01:00:00.000Z',
          lateBySeconds: 2 * 86400 + 3 * 3600,
          periodsBehind: 3,
          lateSince: '2026-06-12T17:00:00.000Z',
        },
      ],
    };
    const row = reportingRowOf(answer, '01');
    expect(row).toEqual({
      unit: '01',
      status: 'late',
      lastTs: '2026-06-11T17:00:00.000Z',
      lastReceivedAt: '2026-06-12T01:00:00.000Z',
      lateBySeconds: 183600,
      periodsBehind: 3,
      lateSince: '2026-06-12T17:00:00.000Z',
    });
    const view = reportingView(row, 'vi')!;
    expect(view).toMatchObject({
      statusText: 'Trễ hạn',
      tone: 'warn',
      lastPeriodText: '12/06/2026 00:00',
      lateByText: '2 ngày 3 giờ',
      periodsBehind: 3,
      lateSinceText: '13/06/2026 00:00',
    });
    // an answer without the newer fields: shown without them
    const older = reportingRowOf({ units: [{ unit: '79', status: 'on_time', lastTs: null, lateBySeconds: null }] }, '79');
    expect(older).toEqual({ unit: '79', status: 'on_time', lastTs: null, lastReceivedAt: null, lateBySeconds: null });
    expect(reportingView(older, 'en')).toMatchObject({ statusText: 'On time', tone: 'good', periodsBehind: null, lateByText: null });
    expect(reportingRowOf(answer, '48')).toBeNull();
    expect(reportingRowOf(null, '01')).toBeNull();
  });
});

describe('provenance: the target and its status', () => {
  const rising = [0, 1, 2, 3, 4, 5].map((i) => ({ t: NOW - (5 - i) * 30 * DAY, v: 50 + i * 4 }));

  it('shows the unit’s target with the status lib/targets computes for it', () => {
    const view = targetView(metric(), '01', rising, NOW, 'vi')!;
    expect(view.text).toBe('≥ 80%');
    expect(view.deadlineText).toBe('31/12/2026');
    expect(view.legalSource).toBe('Quyết định 06/QĐ-TTg');
    expect(view.progressText).toBe(`${Math.round((70 / 80) * 100)}%`);
    expect(['on_track', 'at_risk', 'cannot_assess']).toContain(view.status);
    expect(view.statusText).not.toBe(view.status.replace(/_/g, ' '));
  });

  it('says met when the value meets the target, and has no target for another unit', () => {
    const met = targetView(metric(), '01', [...rising, { t: NOW, v: 85 }], NOW, 'en')!;
    expect(met.tone).toBe('good');
    expect(met.progressText).toBe('100%');
    expect(targetView(metric(), '79', rising, NOW, 'vi')).toBeNull();
  });

  it('shows a unit without a target of its own the national one, for reference only', () => {
    const national = metric({ targets: [{ ...metric().targets[0]!, unitCode: 'VN' }] });
    expect(nationalTargetOf(national, '79', NOW, 'vi')).toEqual({
      text: '≥ 80%',
      deadlineText: '31/12/2026',
      legalSource: 'Quyết định 06/QĐ-TTg',
    });
    // a unit with its own target, or no target at all: nothing extra
    expect(nationalTargetOf(metric(), '01', NOW, 'vi')).toBeNull();
    expect(nationalTargetOf(metric({ targets: [] }), '79', NOW, 'vi')).toBeNull();
    // an expired national target is no reference
    expect(nationalTargetOf(national, '79', Date.parse('2027-01-01T00:00:00+07:00'), 'vi')).toBeNull();
    const view = provenanceView({
      metric: national,
      unit: '79',
      unitName: 'TP. Hồ Chí Minh',
      lang: 'en',
      now: NOW,
      points: rising,
      history: null,
      reporting: null,
    });
    expect(view.target).toBeNull();
    expect(view.nationalTarget?.text).toBe('≥ 80%');
    expect(
      provenanceView({
        metric: national,
        unit: 'VN',
        unitName: 'Nationwide',
        lang: 'en',
        now: NOW,
        points: rising,
        history: null,
        reporting: null,
      }).nationalTarget,
    ).toBeNull();
  });

  it('words a status it knows, and shows an unknown one as it is', () => {
    expect(targetStatusText('missed', 'vi')).not.toBe('missed');
    expect(targetStatusText('something_new', 'en')).toBe('something new');
  });
});

describe('provenance: the whole view', () => {
  const points = [
    { t: Date.parse('2026-04-01T00:00:00+07:00'), v: 55 },
    { t: Date.parse('2026-05-01T00:00:00+07:00'), v: 58 },
    { t: Date.parse('2026-06-01T07:00:00+07:00'), v: 61.5 },
  ];

  it('explains the newest value unless another is picked', () => {
    const view = provenanceView({
      metric: metric(),
      unit: '01',
      unitName: 'Hà Nội',
      lang: 'vi',
      now: NOW,
      points,
      history,
      reporting: null,
    });
    expect(view.metricName).toBe('Tỷ lệ DVC toàn trình');
    expect(view.sourceSystem).toBe('Cổng Dịch vụ công quốc gia');
    expect(view.cadenceText).toBe('hằng tháng');
    expect(view.value).toEqual({ ts: points[2]!.t, value: 61.5, valueText: '61,5%', periodText: '01/06/2026 07:00' });
    expect(view.pointCount).toBe(3);
    expect(view.revisions).toHaveLength(2);
    expect(view.reporting).toBeNull();
    expect(selectedPoint(points, points[0]!.t)).toBe(points[0]);
    expect(selectedPoint(points, 12345)).toBe(points[2]);
    expect(selectedPoint([], null)).toBeNull();
  });

  it('lists the newest 50 revisions of a value revised all day, and says how many there are', () => {
    const many: HistoryResponse = {
      ...history,
      revisions: Array.from({ length: 120 }, (_, i) => ({
        ...history.current,
        revision: i + 1,
        value: i,
        batchId: `b${i + 1}`,
        supersededAt: i === 119 ? null : history.current.receivedAt,
      })),
    };
    const view = provenanceView({
      metric: metric(),
      unit: '01',
      unitName: 'Hà Nội',
      lang: 'vi',
      now: NOW,
      points,
      history: many,
      reporting: null,
    });
    expect(view.revisions).toHaveLength(MAX_REVISIONS);
    expect(view.revisions[0]!.batchId).toBe('b120');
    expect(view.revisionCount).toBe(120);
  });

  it('has no value when the unit sent none', () => {
    const view = provenanceView({
      metric: metric(),
      unit: '96',
      unitName: 'Cà Mau',
      lang: 'en',
      now: NOW,
      points: [],
      history: null,
      reporting: null,
    });
    expect(view.value).toBeNull();
    expect(view.revisions).toEqual([]);
    expect(view.target).toBeNull();
  });
});

describe('keyboard focus steps', () => {
  it.each([
    { current: -1, n: 5, step: 1 as const, expected: 0 },
    { current: -1, n: 5, step: -1 as const, expected: 4 },
    { current: 4, n: 5, step: 1 as const, expected: 0 },
    { current: 0, n: 5, step: -1 as const, expected: 4 },
    { current: 2, n: 5, step: 1 as const, expected: 3 },
    { current: 0, n: 0, step: 1 as const, expected: -1 },
  ])('$current $step in $n → $expected', ({ current, n, step, expected }) => {
    expect(stepIndex(current, n, step)).toBe(expected);
  });
});
