/**
 * Live merge benchmark (prints figures, asserts nothing about time; not part of the test suite):
 *
 *   npx tsx scripts/live-merge-bench.ts [points per scenario, default 20000]
 *
 * 1. Merging live deltas into full 10,000-point series buffers, as the wall's useSeries does per delta: the row
 *    format with the merge before columnar frames (ISO text parsed per point, the series copied for every point,
 *    kept below for this comparison only) side by side with the columnar delta and mergeLive (one pass per delta).
 *    Both must end with the same buffer; the script says so.
 * 2. The size on the wire of typical ticks (JSON as socket.io sends it, without compression), row vs columnar, with
 *    the columnar units column also dictionary-coded to see whether that would be worth its complexity, and the cost
 *    of JSON.stringify (server, once per group of clients) and JSON.parse (every client).
 */
import type { SeriesDelta } from '@dxoc/contracts';
import { CURRENT_PROVINCE_CODES } from '@dxoc/contracts/reference';
import { seededRandom } from '../src/lib/seeded-random';
import { EMPTY_BUFFER, mergeLive, pointsByUnit, trim, type BufferOptions, type Pt, type SeriesBuffer } from '../src/lib/series-buffer';

const TOTAL_POINTS = Number(process.argv[2] ?? 20_000);
const BUFFER = 10_000;
const START = Date.UTC(2026, 0, 1);
const SECOND = 1000;

// ---------------------------------------------------------------------------------------------------------------
// The row format and the merge before columnar frames (frontend/src/lib/series-buffer.ts and wall/data.ts before
// commit d4448bd), raw series only: what the wall did per delta.

interface RowDelta {
  channel: string;
  metric: string;
  points: { unit: string; ts: string; value: number }[];
}

function legacyMergePoint(points: Pt[], point: Pt, options: BufferOptions, now: number): Pt[] {
  const t = point.t;
  const next = points.slice();
  let index = next.length - 1;
  while (index >= 0 && next[index]!.t > t) index--;
  const existing = index >= 0 && next[index]!.t === t ? next[index]! : null;
  if (existing) next[index] = { t, v: point.v };
  else next.splice(index + 1, 0, { t, v: point.v });
  return trim(next, options, now);
}

function legacyOnDelta(
  current: Record<string, Pt[]>,
  delta: RowDelta,
  units: readonly string[],
  options: BufferOptions,
  now: number,
): Record<string, Pt[]> {
  const next = { ...current };
  for (const p of delta.points) {
    if (!units.includes(p.unit)) continue;
    next[p.unit] = legacyMergePoint(next[p.unit] ?? [], { t: new Date(p.ts).getTime(), v: p.value }, options, now);
  }
  return next;
}

// ---------------------------------------------------------------------------------------------------------------
// The columnar delta and the one-pass merge (what wall/data.ts does now).

function columnarOnDelta(
  current: Record<string, SeriesBuffer>,
  delta: SeriesDelta,
  wanted: Set<string>,
  options: BufferOptions,
  now: number,
): Record<string, SeriesBuffer> {
  const byUnit = pointsByUnit(delta, (unit) => wanted.has(unit));
  if (byUnit.size === 0) return current;
  const next = { ...current };
  for (const [unit, points] of byUnit) next[unit] = mergeLive(next[unit] ?? EMPTY_BUFFER, points, options, now);
  return next;
}

function toRows(delta: SeriesDelta): RowDelta {
  return {
    channel: delta.channel,
    metric: delta.metric,
    points: delta.values.map((value, i) => ({ unit: delta.units[i]!, ts: new Date(delta.ts[i]!).toISOString(), value })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios

/** 34 province codes, as a 'provinces' channel carries them. */
const PROVINCES = CURRENT_PROVINCE_CODES;

interface Scenario {
  name: string;
  units: readonly string[];
  /** points per delta */
  perDelta: number;
  /** of those, how many are late (an older time inside the buffer) and how many revise a time already sent */
  late: number;
  revised: number;
}

const SCENARIOS: Scenario[] = [
  { name: '1 unit, 1 point per delta', units: ['79'], perDelta: 1, late: 0, revised: 0 },
  { name: '1 unit, 10 points per delta', units: ['79'], perDelta: 10, late: 0, revised: 0 },
  { name: '1 unit, 100 points per delta', units: ['79'], perDelta: 100, late: 0, revised: 0 },
  { name: '1 unit, 10 per delta, 2 late + 1 revision', units: ['79'], perDelta: 10, late: 2, revised: 1 },
  { name: '34 provinces, 1 point each per delta', units: PROVINCES, perDelta: 34, late: 0, revised: 0 },
  { name: '34 provinces, 3 points each per delta', units: PROVINCES, perDelta: 102, late: 0, revised: 0 },
];

function buildDeltas(s: Scenario): { deltas: SeriesDelta[]; now: number } {
  const next = seededRandom(7);
  const channel = s.units.length > 1 ? 'series:einvoice.issued:provinces' : `series:einvoice.issued:${s.units[0]}`;
  const count = Math.max(1, Math.round(TOTAL_POINTS / s.perDelta));
  const perUnit = s.perDelta / s.units.length;
  const deltas: SeriesDelta[] = [];
  let step = BUFFER; // buffers hold t = START + 0 … 9,999 s; live values continue after them
  for (let d = 0; d < count; d++) {
    const delta: SeriesDelta = { channel, metric: 'einvoice.issued', units: [], ts: [], values: [] };
    for (let k = 0; k < perUnit; k++, step++) {
      for (const unit of s.units) {
        delta.units.push(unit);
        delta.ts.push(START + step * SECOND);
        delta.values.push(Math.round(next() * 100_000) / 10);
      }
    }
    for (let k = 0; k < s.late; k++) {
      delta.units.push(s.units[0]!);
      delta.ts.push(START + (step - 500 - Math.floor(next() * 5000)) * SECOND + 500); // between two stored seconds
      delta.values.push(Math.round(next() * 100_000) / 10);
    }
    for (let k = 0; k < s.revised; k++) {
      delta.units.push(s.units[0]!);
      delta.ts.push(START + (step - 1 - Math.floor(next() * 50)) * SECOND);
      delta.values.push(Math.round(next() * 100_000) / 10);
    }
    deltas.push(delta);
  }
  return { deltas, now: START + step * SECOND };
}

function fullBuffer(): Pt[] {
  return Array.from({ length: BUFFER }, (_, i) => ({ t: START + i * SECOND, v: i % 1000 }));
}

function time(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function mergeFigures(): void {
  console.log(
    `Merging live deltas into full ${BUFFER.toLocaleString('en-US')}-point buffers (maxPoints ${BUFFER.toLocaleString('en-US')}); ~${TOTAL_POINTS.toLocaleString('en-US')} points per scenario, median of 5 runs`,
  );
  console.log(`node ${process.version}, ${process.platform}/${process.arch}\n`);
  const header = ['scenario', 'deltas', 'old µs/delta', 'new µs/delta', 'speed-up', 'same buffers'];
  const rows: string[][] = [];
  for (const scenario of SCENARIOS) {
    const { deltas, now } = buildDeltas(scenario);
    const rowDeltas = deltas.map(toRows);
    const options: BufferOptions = { maxPoints: BUFFER, windowMs: 365 * 86_400_000 };
    const initial = fullBuffer();
    const unitList = scenario.units;
    const wanted = new Set(unitList);
    let oldResult: Record<string, Pt[]> = {};
    let newResult: Record<string, SeriesBuffer> = {};
    const oldRun = () => {
      let state: Record<string, Pt[]> = Object.fromEntries(unitList.map((u) => [u, initial]));
      for (const delta of rowDeltas) state = legacyOnDelta(state, delta, unitList, options, now);
      oldResult = state;
    };
    const newRun = () => {
      let state: Record<string, SeriesBuffer> = Object.fromEntries(unitList.map((u) => [u, { points: initial }]));
      for (const delta of deltas) state = columnarOnDelta(state, delta, wanted, options, now);
      newResult = state;
    };
    // warm up both, then alternate runs so that neither gets the machine's quieter moments
    oldRun();
    newRun();
    const oldMs: number[] = [];
    const newMs: number[] = [];
    for (let r = 0; r < 5; r++) {
      oldMs.push(time(oldRun));
      newMs.push(time(newRun));
    }
    const same = unitList.every((u) => JSON.stringify(oldResult[u]) === JSON.stringify(newResult[u]?.points));
    const oldPer = (median(oldMs) * 1000) / deltas.length;
    const newPer = (median(newMs) * 1000) / deltas.length;
    rows.push([
      scenario.name,
      deltas.length.toLocaleString('en-US'),
      fmt(oldPer),
      fmt(newPer),
      `${fmt(oldPer / newPer)}×`,
      same ? 'yes' : 'NO',
    ]);
  }
  printTable(header, rows);
}

// ---------------------------------------------------------------------------------------------------------------
// Bytes on the wire

function dictionaryCoded(delta: SeriesDelta): unknown {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = delta.units.map((unit) => {
    let code = index.get(unit);
    if (code === undefined) index.set(unit, (code = dictionary.push(unit) - 1));
    return code;
  });
  return { channel: delta.channel, metric: delta.metric, unitDict: dictionary, units: codes, ts: delta.ts, values: delta.values };
}

function wireFigures(): void {
  console.log('\nOne live:tick on the wire (socket.io text frame 42["live:tick",{…}], no compression)\n');
  const header = [
    'tick',
    'rows bytes',
    'columns bytes',
    'saved',
    'columns + unit dictionary',
    'stringify rows/cols µs',
    'parse rows/cols µs',
  ];
  const rows: string[][] = [];
  const next = seededRandom(11);
  const cases: { name: string; units: readonly string[]; perUnit: number; deltas: number }[] = [
    { name: '1 value, 1 unit', units: ['79'], perUnit: 1, deltas: 1 },
    { name: '34 provinces × 1 value', units: PROVINCES, perUnit: 1, deltas: 1 },
    { name: '34 provinces × 3 values (bench:live batch of 100)', units: PROVINCES, perUnit: 3, deltas: 1 },
    { name: '4 panels: provinces × 1 + 3 single units × 1', units: PROVINCES, perUnit: 1, deltas: 4 },
  ];
  for (const c of cases) {
    const deltas: SeriesDelta[] = [];
    for (let d = 0; d < c.deltas; d++) {
      const units = d === 0 ? c.units : [c.units[d]!];
      const delta: SeriesDelta = {
        channel: d === 0 ? 'series:einvoice.issued:provinces' : `series:einvoice.issued:${units[0]}`,
        metric: 'einvoice.issued',
        units: [],
        ts: [],
        values: [],
      };
      for (let k = 0; k < c.perUnit; k++) {
        for (const unit of units) {
          delta.units.push(unit);
          delta.ts.push(Date.UTC(2026, 2, 14, 3, 0, 0) + k * 60_000);
          delta.values.push(Math.round(next() * 100_000) / 10);
        }
      }
      deltas.push(delta);
    }
    const cursor = '18446744.1234';
    const columnTick = { deltas, alerts: [], cursor };
    const rowTick = { deltas: deltas.map(toRows), alerts: [], cursor };
    const dictTick = { deltas: deltas.map(dictionaryCoded), alerts: [], cursor };
    const frame = (tick: unknown) => `42${JSON.stringify(['live:tick', tick])}`;
    const rowText = frame(rowTick);
    const columnText = frame(columnTick);
    const dictText = frame(dictTick);
    const rowBytes = Buffer.byteLength(rowText);
    const columnBytes = Buffer.byteLength(columnText);
    const dictBytes = Buffer.byteLength(dictText);
    const perCall = (fn: () => unknown) => {
      const n = 20_000;
      for (let i = 0; i < 2000; i++) fn();
      const run = () => {
        for (let i = 0; i < n; i++) fn();
      };
      return (median([0, 1, 2].map(() => time(run))) * 1000) / n;
    };
    const stringifyRows = perCall(() => JSON.stringify(rowTick));
    const stringifyColumns = perCall(() => JSON.stringify(columnTick));
    const rowJson = rowText.slice(2);
    const columnJson = columnText.slice(2);
    const parseRows = perCall(() => JSON.parse(rowJson));
    const parseColumns = perCall(() => JSON.parse(columnJson));
    rows.push([
      c.name,
      rowBytes.toLocaleString('en-US'),
      columnBytes.toLocaleString('en-US'),
      `${fmt((1 - columnBytes / rowBytes) * 100, 0)} %`,
      `${dictBytes.toLocaleString('en-US')} (${dictBytes > columnBytes ? '+' : ''}${fmt((dictBytes / columnBytes - 1) * 100, 0)} % vs columns)`,
      `${fmt(stringifyRows, 2)} / ${fmt(stringifyColumns, 2)}`,
      `${fmt(parseRows, 2)} / ${fmt(parseColumns, 2)}`,
    ]);
  }
  printTable(header, rows);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

mergeFigures();
wireFigures();
