/** Conditions, durations, messages, rule checks and the backtest simulation: pure functions, table-driven. */
import { describe, expect, it } from 'vitest';
import type { CatalogSnapshot } from '../src/catalog/catalog.service';
import type { Metric, Target, Unit } from '../src/catalog/catalog.types';
import { changeHolds, changePercent } from '../src/alerts/conditions/change';
import type { ConditionInput, ConditionResult, SeriesPoint } from '../src/alerts/conditions/condition-kind';
import { noDataHolds } from '../src/alerts/conditions/no-data';
import { bindCondition, CONDITION_KINDS } from '../src/alerts/conditions/registry';
import { PROJECTION_POINTS, projectFor, targetAtRisk, targetFor, type ProjectionTarget } from '../src/alerts/conditions/target-at-risk';
import {
  AlertRuleInput,
  cadenceOverdueMs,
  CONDITION_TYPES,
  durationSeconds,
  formatDuration,
  plausibleRange,
  type RuleCondition,
} from '@dxoc/contracts';
import { renderMessage, unknownPlaceholders } from '../src/alerts/messages';
import { simulate } from '../src/alerts/preview';
import { scopeUnits, validateRule } from '../src/alerts/rules';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const day = (n: number) => new Date(T0 + n * DAY);
const p = (n: number, value: number): SeriesPoint => ({ ts: day(n), value });
const input = (over: Partial<ConditionInput> = {}): ConditionInput => ({
  latest: null,
  reference: null,
  recent: [],
  watchingSince: day(0),
  ...over,
});

// A small catalog: the nation, two current provinces, one dissolved province, one ministry.
const unit = (code: string, kind: Unit['kind'], validUntil: string | null = null): Unit => ({
  code,
  kind,
  nameVi: code,
  nameEn: code,
  fullNameVi: code,
  fullNameEn: code,
  symbol: null,
  validFrom: null,
  validUntil,
  successors: validUntil ? ['79'] : [],
  predecessors: [],
});
const metric = (code: string, over: Partial<Metric>): Metric => ({
  code,
  nameVi: code,
  nameEn: code,
  descriptionVi: '',
  descriptionEn: '',
  unitOfMeasure: '',
  kind: 'gauge',
  min: 0,
  max: null,
  cadence: 'monthly',
  betterWhen: 'higher',
  defaultAggregation: 'last',
  unitKinds: ['nation', 'province', 'ministry'],
  reportedBy: [],
  sourceSystemVi: null,
  sourceSystemEn: null,
  ...over,
});
const targets: Target[] = [
  { id: 1, metricCode: 'share', unitCode: 'VN', value: 80, comparator: '>=', deadline: '2030-12-31', legalSourceVi: '', legalSourceEn: '' },
  { id: 2, metricCode: 'share', unitCode: 'VN', value: 50, comparator: '>=', deadline: '2020-12-31', legalSourceVi: '', legalSourceEn: '' },
  { id: 3, metricCode: 'count', unitCode: 'VN', value: 10, comparator: '>=', deadline: '2030-12-31', legalSourceVi: '', legalSourceEn: '' },
];
const catalog: CatalogSnapshot = {
  units: new Map(
    [
      unit('VN', 'nation'),
      unit('01', 'province'),
      unit('79', 'province'),
      unit('74', 'province', '2025-07-01'),
      unit('BCA', 'ministry'),
    ].map((u) => [u.code, u]),
  ),
  metrics: new Map(
    [
      metric('share', { kind: 'ratio', min: 0, max: 100 }),
      metric('count', { kind: 'counter', unitKinds: ['nation', 'province'] }),
      metric('rank', { min: 1, max: 193, cadence: 'irregular', unitKinds: ['nation'] }),
      metric('local', { unitKinds: ['province'] }),
      // as CatalogService serves them: every metric with its finite range
    ].map((m) => [m.code, { ...m, ...plausibleRange(m) }]),
  ),
  targets,
  loadedAt: 0,
};
const NOW = new Date('2026-11-22T00:00:00Z');

/** A rule's condition as the live evaluation binds it, for a daily gauge of the nation. */
const bound = (condition: RuleCondition) =>
  bindCondition(condition, {
    metric: metric('m', { cadence: 'daily' }),
    unit: 'VN',
    targets: [],
    now: day(0),
    timeZone: 'Asia/Ho_Chi_Minh',
  });
/** target_at_risk with its target already resolved (deadlines in days from T0 rather than calendar dates). */
const atRisk = (target: ProjectionTarget | null) => ({
  evaluate: (i: ConditionInput, now: Date) => targetAtRisk.evaluate({ target }, i, now),
});

describe('durations', () => {
  it.each([
    ['30s', 30],
    ['15m', 900],
    ['2h', 7200],
    ['3d', 259_200],
    ['1w', 604_800],
    ['0s', 0],
    ['5x', null],
    ['1.5h', null],
  ])('%s → %s seconds', (text, seconds) => expect(durationSeconds(text)).toBe(seconds));

  it.each([
    [0, '0s'],
    [90, '90s'],
    [3600, '1h'],
    [5400, '90m'],
    [1_209_600, '2w'],
    [172_800, '2d'],
  ])('%s seconds read back as %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));

  it.each([
    ['daily', 2 * DAY],
    ['weekly', 14 * DAY],
    ['monthly', 62 * DAY],
    ['quarterly', 184 * DAY],
    ['yearly', 732 * DAY],
    ['irregular', null],
  ] as const)('cadence %s is overdue after %s ms', (cadence, ms) => expect(cadenceOverdueMs(cadence)).toBe(ms));
});

describe('conditions', () => {
  it.each([
    [100, 50, -50],
    [100, 150, 50],
    [100, 100, 0],
    [-50, -25, 50],
    [0, 5, Infinity],
    [0, 0, 0],
    [0, -5, -Infinity],
  ])('change from %s to %s is %s%%', (from, to, percent) => expect(changePercent(from, to)).toBe(percent));

  it.each([
    ['rise', 20, 100, 120, true],
    ['rise', 20, 100, 119.9, false],
    ['drop', 20, 100, 80, true],
    ['drop', 20, 100, 81, false],
    ['drop', 20, 100, 130, false],
    ['rise', 50, 0, 1, true],
    ['drop', 50, 0, 0, false],
  ] as const)('%s by %s%% from %s to %s: %s', (direction, percent, from, to, holds) =>
    expect(changeHolds(direction, percent, from, to)).toBe(holds),
  );

  it.each([
    { name: 'recent value', last: day(9), now: day(10), holds: false },
    { name: 'exactly the limit', last: day(8), now: day(10), holds: true },
    { name: 'long ago', last: day(1), now: day(10), holds: true },
    { name: 'never reported, watched briefly', last: null, now: day(1), holds: false },
    { name: 'never reported, watched long enough', last: null, now: day(3), holds: true },
  ])('no data: $name', ({ last, now, holds }) => expect(noDataHolds(last, day(0), 2 * DAY, now)).toBe(holds));

  it('projects with the one method of @dxoc/contracts: a line below 6 values, Holt from 6, nothing from too few or too far', () => {
    const four = [p(0, 1), p(1, 3), p(2, 5), p(3, 7)];
    expect(projectFor(four, day(6), day(3))).toMatchObject({ method: 'linear', reason: null });
    expect(projectFor(four, day(6), day(3)).value).toBeCloseTo(13, 9);
    // noisy points: the least-squares line through (0,0) (1,2) (2,1) (3,3) is 0.3 + 0.8x
    expect(projectFor([p(0, 0), p(1, 2), p(2, 1), p(3, 3)], day(5), day(3)).value).toBeCloseTo(4.3, 9);
    expect(projectFor([p(0, 1), p(1, 2), p(2, 3), p(3, 4), p(4, 5), p(5, 6)], day(8), day(5))).toMatchObject({ method: 'holt' });
    // two values (what the old backtest extrapolated from) give no projection, nor does a horizon beyond twice the data
    expect(projectFor([p(0, 1), p(1, 2)], day(2), day(1))).toMatchObject({ value: null, reason: 'too_few_points' });
    expect(projectFor(four, day(10), day(3))).toMatchObject({ value: null, reason: 'horizon_too_far' });
    // values after now are not known yet
    expect(projectFor(four, day(4), day(2))).toMatchObject({ value: null, reason: 'too_few_points' });
  });

  const target = (value: number, comparator: '>=' | '<=', deadline = day(100)) => ({ id: 1, value, comparator, deadline });
  const rising = [p(0, 10), p(10, 20), p(20, 30), p(30, 40), p(40, 50)]; // +1 per day: 110 at day 100

  const CASES: {
    name: string;
    condition: { evaluate(input: ConditionInput, now: Date): ConditionResult };
    input: ConditionInput;
    now?: Date;
    holds: boolean;
    value: number | null;
  }[] = [
    {
      name: 'above: latest over',
      condition: bound({ type: 'above', value: 50 }),
      input: input({ latest: p(5, 51) }),
      holds: true,
      value: 51,
    },
    {
      name: 'above: equal is not above',
      condition: bound({ type: 'above', value: 50 }),
      input: input({ latest: p(5, 50) }),
      holds: false,
      value: 50,
    },
    { name: 'above: no value', condition: bound({ type: 'above', value: 50 }), input: input(), holds: false, value: null },
    {
      name: 'below: latest under',
      condition: bound({ type: 'below', value: 50 }),
      input: input({ latest: p(5, 49) }),
      holds: true,
      value: 49,
    },
    {
      name: 'below: latest over',
      condition: bound({ type: 'below', value: 50 }),
      input: input({ latest: p(5, 60) }),
      holds: false,
      value: 60,
    },
    {
      name: 'change: rise within window',
      condition: bound({ type: 'change', direction: 'rise', percent: 10, window: '1d' }),
      input: input({ latest: p(5, 111), reference: p(4, 100) }),
      holds: true,
      value: 111,
    },
    {
      name: 'change: no reference',
      condition: bound({ type: 'change', direction: 'rise', percent: 10, window: '1d' }),
      input: input({ latest: p(5, 111) }),
      holds: false,
      value: 111,
    },
    {
      name: 'change: reference inside the window is ignored',
      condition: bound({ type: 'change', direction: 'drop', percent: 10, window: '1d' }),
      input: input({ latest: p(5, 10), reference: { ts: new Date(day(5).getTime() - 1000), value: 100 } }),
      holds: false,
      value: 10,
    },
    {
      name: 'change: drop',
      condition: bound({ type: 'change', direction: 'drop', percent: 10, window: '1d' }),
      input: input({ latest: p(5, 80), reference: p(3, 100) }),
      holds: true,
      value: 80,
    },
    {
      name: 'no_data: stale',
      condition: bound({ type: 'no_data', after: '2d' }),
      input: input({ latest: p(1, 5) }),
      now: day(4),
      holds: true,
      value: null,
    },
    {
      name: 'no_data: fresh',
      condition: bound({ type: 'no_data', after: '2d' }),
      input: input({ latest: p(3, 5) }),
      now: day(4),
      holds: false,
      value: null,
    },
    {
      name: 'target >=: projection short',
      condition: atRisk(target(120, '>=')),
      input: input({ recent: rising }),
      now: day(45),
      holds: true,
      value: 110,
    },
    {
      name: 'target >=: projection meets',
      condition: atRisk(target(100, '>=')),
      input: input({ recent: rising }),
      now: day(45),
      holds: false,
      value: 110,
    },
    {
      name: 'target <=: projection over (a rank)',
      condition: atRisk(target(30, '<=')),
      input: input({ recent: rising }),
      now: day(45),
      holds: true,
      value: 110,
    },
    {
      name: 'target: two values cannot be projected',
      condition: atRisk(target(120, '>=')),
      input: input({ recent: [p(0, 1), p(10, 2)] }),
      now: day(20),
      holds: false,
      value: null,
    },
    {
      name: 'target: the deadline too far ahead of the values cannot be projected',
      condition: atRisk(target(120, '>=', day(200))),
      input: input({ recent: rising }),
      now: day(45),
      holds: false,
      value: null,
    },
    {
      name: 'target: deadline passed',
      condition: atRisk(target(120, '>=', day(10))),
      input: input({ recent: rising }),
      now: day(45),
      holds: false,
      value: null,
    },
    {
      name: 'target: the latest value already meets it (met, not at risk)',
      condition: atRisk(target(45, '>=')),
      input: input({ recent: [p(0, 50), p(10, 49), p(20, 48), p(30, 47), p(40, 46)] }),
      now: day(45),
      holds: false,
      value: 40,
    },
    { name: 'target: none applies', condition: atRisk(null), input: input({ recent: rising }), now: day(45), holds: false, value: null },
  ];
  it.each(CASES)('$name', ({ condition, input: data, now, holds, value }) => {
    const result = condition.evaluate(data, now ?? day(6));
    expect(result.holds).toBe(holds);
    if (value === null) expect(result.value).toBeNull();
    else expect(result.value).toBeCloseTo(value, 9);
  });
});

describe('messages', () => {
  const context = {
    unit: '79',
    unitNameVi: 'Hồ Chí Minh',
    unitNameEn: 'Ho Chi Minh City',
    metric: 'dvc.level4_share',
    metricNameVi: 'Tỷ lệ DVC mức 4',
    metricNameEn: 'Level-4 share',
    value: 1234.5,
    threshold: 1000,
    since: new Date('2026-11-22T01:00:00Z'),
    timezone: 'Asia/Ho_Chi_Minh',
  };
  it.each([
    [
      'vi',
      '{unitName} ({unit}): {metricName} = {value} > {threshold} từ {since}',
      'Hồ Chí Minh (79): Tỷ lệ DVC mức 4 = 1.234,5 > 1.000 từ 08:00 22/11/2026',
    ],
    [
      'en',
      '{unitName} ({unit}): {metric} = {value} > {threshold} since {since}',
      'Ho Chi Minh City (79): dvc.level4_share = 1,234.5 > 1,000 since 22 Nov 2026, 08:00',
    ],
  ] as const)('%s', (locale, template, expected) => expect(renderMessage(template, context, locale)).toBe(expected));

  it('names unknown placeholders', () => {
    expect(unknownPlaceholders('{unit} {unitname} {value} {foo}')).toEqual(['unitname', 'foo']);
    expect(unknownPlaceholders('no placeholders')).toEqual([]);
  });
});

describe('rules against the catalog', () => {
  it('scopes cover the current units of a kind, or the listed ones in force', () => {
    expect(scopeUnits({ kind: 'provinces' }, catalog, '2026-11-22').sort()).toEqual(['01', '79']);
    expect(scopeUnits({ kind: 'provinces' }, catalog, '2025-06-30').sort()).toEqual(['01', '74', '79']);
    expect(scopeUnits({ kind: 'nation' }, catalog, '2026-11-22')).toEqual(['VN']);
    expect(scopeUnits({ kind: 'units', units: ['01', '01', '74', 'XX'] }, catalog, '2026-11-22')).toEqual(['01']);
  });

  it('a unit is held to its own nearest target ahead, or to the named one', () => {
    expect(targetFor({ type: 'target_at_risk' }, 'share', 'VN', targets, NOW, 'Asia/Ho_Chi_Minh')?.id).toBe(1);
    expect(targetFor({ type: 'target_at_risk' }, 'share', '01', targets, NOW, 'Asia/Ho_Chi_Minh')).toBeNull();
    expect(targetFor({ type: 'target_at_risk', targetId: 1 }, 'share', '01', targets, NOW, 'Asia/Ho_Chi_Minh')?.id).toBe(1);
  });

  const base = { name: 'r', severity: 'warning', messageVi: '{unit} {value}', messageEn: '{unit} {value}' };
  const rule = (over: Record<string, unknown>) =>
    AlertRuleInput.parse({ ...base, metric: 'share', scope: { kind: 'provinces' }, condition: { type: 'above', value: 50 }, ...over });

  it.each([
    { name: 'a valid ratio rule', rule: rule({}), fields: [] },
    { name: 'unknown metric', rule: rule({ metric: 'nope' }), fields: ['metric'] },
    { name: 'unknown unit', rule: rule({ scope: { kind: 'units', units: ['01', 'XX'] } }), fields: ['scope.units.1'] },
    { name: 'dissolved unit', rule: rule({ scope: { kind: 'units', units: ['74'] } }), fields: ['scope.units.0'] },
    {
      name: 'unit of a kind the metric is not reported for',
      rule: rule({ metric: 'count', scope: { kind: 'units', units: ['BCA'] } }),
      fields: ['scope.units.0'],
    },
    {
      name: 'ministries for a metric without ministries',
      rule: rule({ metric: 'count', scope: { kind: 'ministries' } }),
      fields: ['scope.kind'],
    },
    { name: 'ratio above 100', rule: rule({ condition: { type: 'above', value: 100 } }), fields: ['condition.value'] },
    { name: 'ratio below 0', rule: rule({ condition: { type: 'below', value: 0 } }), fields: ['condition.value'] },
    { name: 'ratio above -1 always holds', rule: rule({ condition: { type: 'above', value: -1 } }), fields: ['condition.value'] },
    {
      name: 'rank below its minimum',
      rule: rule({ metric: 'rank', scope: { kind: 'nation' }, condition: { type: 'below', value: 1 } }),
      fields: ['condition.value'],
    },
    {
      name: 'counter drop',
      rule: rule({ metric: 'count', condition: { type: 'change', direction: 'drop', percent: 10, window: '1d' } }),
      fields: ['condition.direction'],
    },
    {
      name: 'drop over 100%',
      rule: rule({ condition: { type: 'change', direction: 'drop', percent: 150, window: '1d' } }),
      fields: ['condition.percent'],
    },
    {
      name: 'zero window',
      rule: rule({ condition: { type: 'change', direction: 'rise', percent: 10, window: '0s' } }),
      fields: ['condition.window'],
    },
    {
      name: 'no_data without after on an irregular metric',
      rule: rule({ metric: 'rank', scope: { kind: 'nation' }, condition: { type: 'no_data' } }),
      fields: ['condition.after'],
    },
    {
      name: 'no_data with after on an irregular metric',
      rule: rule({ metric: 'rank', scope: { kind: 'nation' }, condition: { type: 'no_data', after: '800d' } }),
      fields: [],
    },
    {
      name: 'target rule without a target for the units in scope',
      rule: rule({ condition: { type: 'target_at_risk' } }),
      fields: ['condition.type'],
    },
    { name: 'target rule for the nation', rule: rule({ scope: { kind: 'nation' }, condition: { type: 'target_at_risk' } }), fields: [] },
    {
      name: 'named target of another metric',
      rule: rule({ condition: { type: 'target_at_risk', targetId: 3 } }),
      fields: ['condition.targetId'],
    },
    {
      name: 'named target whose deadline passed',
      rule: rule({ condition: { type: 'target_at_risk', targetId: 2 } }),
      fields: ['condition.targetId'],
    },
    { name: 'named target held by provinces', rule: rule({ condition: { type: 'target_at_risk', targetId: 1 } }), fields: [] },
    { name: 'unknown placeholder', rule: rule({ messageEn: '{unit} {valeu}' }), fields: ['messageEn'] },
    {
      name: 'nation scope for a metric without the nation',
      rule: rule({ metric: 'local', scope: { kind: 'nation' } }),
      fields: ['scope.kind'],
    },
  ])('$name', ({ rule: r, fields }) => {
    expect(validateRule(r, catalog, NOW, 'Asia/Ho_Chi_Minh').map((d) => d.field)).toEqual(fields);
  });
});

describe('the condition registry', () => {
  it('has one module per condition type of the contract, under its own type', () => {
    expect(Object.keys(CONDITION_KINDS).sort()).toEqual([...CONDITION_TYPES].sort());
    for (const [type, kind] of Object.entries(CONDITION_KINDS)) expect(kind.type).toBe(type);
  });

  it.each([
    [
      { type: 'above', value: 1 },
      { referenceWindowSeconds: null, recentPoints: 0 },
    ],
    [
      { type: 'change', direction: 'rise', percent: 5, window: '2h' },
      { referenceWindowSeconds: 7200, recentPoints: 0 },
    ],
    [{ type: 'target_at_risk' }, { referenceWindowSeconds: null, recentPoints: PROJECTION_POINTS }],
  ] as const)('%o reads %o', (condition, needs) => expect(bound(condition).needs).toEqual(needs));

  it('wakes a backtest where the result changes without a new value', () => {
    expect(bound({ type: 'no_data', after: '2d' }).wakeUps(day(3), day(0))).toEqual([day(5).getTime()]);
    expect(bound({ type: 'no_data', after: '2d' }).wakeUps(null, day(1))).toEqual([day(3).getTime()]);
    // without after: the metric's cadence (daily: overdue after 2 days)
    expect(bound({ type: 'no_data' }).wakeUps(day(3), day(0))).toEqual([day(5).getTime()]);
    expect(bound({ type: 'above', value: 1 }).wakeUps(day(3), day(0))).toEqual([]);
  });
});

describe('backtest simulation', () => {
  const above = bound({ type: 'above', value: 50 });
  it.each([
    {
      name: 'for 0: fires on the breaching value, resolves on the next clear one',
      points: [p(1, 10), p(2, 60), p(3, 70), p(4, 20)],
      timing: { forMs: 0, keepFiringForMs: 0 },
      episodes: [{ pendingSince: day(2), firingSince: day(2), resolvedAt: day(4), value: 60 }],
    },
    {
      name: 'pending period: fires when for elapses without new data',
      points: [p(1, 60), p(6, 10)],
      timing: { forMs: 2 * DAY, keepFiringForMs: 0 },
      episodes: [{ pendingSince: day(1), firingSince: day(3), resolvedAt: day(6), value: 60 }],
    },
    {
      name: 'a breach shorter than for never fires but is kept',
      points: [p(1, 60), p(2, 10)],
      timing: { forMs: 2 * DAY, keepFiringForMs: 0 },
      episodes: [{ pendingSince: day(1), firingSince: null, resolvedAt: day(2), value: 60 }],
    },
    {
      name: 'keepFiringFor bridges a brief clear, then resolves',
      points: [p(1, 60), p(2, 10), p(3, 60), p(4, 10)],
      timing: { forMs: 0, keepFiringForMs: 2 * DAY },
      episodes: [{ pendingSince: day(1), firingSince: day(1), resolvedAt: day(6), value: 60 }],
    },
    {
      name: 'an episode still open at the end',
      points: [p(-3, 70), p(8, 80)],
      timing: { forMs: 0, keepFiringForMs: 0 },
      episodes: [{ pendingSince: day(0), firingSince: day(0), resolvedAt: null, value: 70 }],
    },
  ])('$name', ({ points, timing, episodes }) => {
    const result = simulate({ points, condition: above, timing, from: day(0), to: day(10) });
    expect(result.episodes).toEqual(episodes);
  });

  it('no data: fires when the gap reaches after, resolves when a value arrives', () => {
    const result = simulate({
      points: [p(0, 1), p(5, 1)],
      condition: bound({ type: 'no_data', after: '2d' }),
      timing: { forMs: 0, keepFiringForMs: 0 },
      from: day(0),
      to: day(10),
    });
    expect(result.episodes).toEqual([
      { pendingSince: day(2), firingSince: day(2), resolvedAt: day(5), value: null },
      { pendingSince: day(7), firingSince: day(7), resolvedAt: null, value: null },
    ]);
    expect(result.evaluatedPoints).toBe(2);
  });
});
