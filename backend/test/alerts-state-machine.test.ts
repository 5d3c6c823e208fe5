/** The alert lifecycle as a pure function: every transition, table-driven. */
import { describe, expect, it } from 'vitest';
import { acknowledge, nextDue, step, type AlertSnapshot, type Timing } from '../src/alerts/state-machine';

const T0 = new Date('2026-11-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const timing = (forS: number, keepS: number): Timing => ({ forMs: forS * 1000, keepFiringForMs: keepS * 1000 });

const pending = (since: number, value = 10): AlertSnapshot => ({
  state: 'pending',
  pendingSince: at(since),
  firingSince: null,
  clearSince: null,
  resolvedAt: null,
  value,
});
const firing = (since: number, clear: number | null = null, state: 'firing' | 'acknowledged' = 'firing', value = 10): AlertSnapshot => ({
  state,
  pendingSince: at(0),
  firingSince: at(since),
  clearSince: clear === null ? null : at(clear),
  resolvedAt: null,
  value,
});

interface Row {
  name: string;
  open: AlertSnapshot | null;
  holds: boolean;
  value?: number | null;
  now: number;
  timing: Timing;
  state: AlertSnapshot['state'] | null;
  transitions: string[];
  changed: boolean;
  expect?: Partial<AlertSnapshot>;
}

const ROWS: Row[] = [
  {
    name: 'nothing open, condition clear: nothing',
    open: null,
    holds: false,
    now: 5,
    timing: timing(60, 0),
    state: null,
    transitions: [],
    changed: false,
  },
  {
    name: 'nothing open, holds, with for: pending now',
    open: null,
    holds: true,
    now: 5,
    timing: timing(60, 0),
    state: 'pending',
    transitions: ['pending'],
    changed: true,
    expect: { pendingSince: at(5), firingSince: null },
  },
  {
    name: 'nothing open, holds, for 0: firing at once',
    open: null,
    holds: true,
    now: 5,
    timing: timing(0, 0),
    state: 'firing',
    transitions: ['firing'],
    changed: true,
    expect: { pendingSince: at(5), firingSince: at(5) },
  },
  {
    name: 'pending, holds, for not elapsed: stays, value kept',
    open: pending(0),
    holds: true,
    value: 10,
    now: 59,
    timing: timing(60, 0),
    state: 'pending',
    transitions: [],
    changed: false,
  },
  {
    name: 'pending, holds with a new value: stays, value updated',
    open: pending(0),
    holds: true,
    value: 12,
    now: 30,
    timing: timing(60, 0),
    state: 'pending',
    transitions: [],
    changed: true,
    expect: { value: 12 },
  },
  {
    name: 'pending, holds, for elapsed exactly: firing',
    open: pending(0),
    holds: true,
    value: 11,
    now: 60,
    timing: timing(60, 0),
    state: 'firing',
    transitions: ['firing'],
    changed: true,
    expect: { pendingSince: at(0), firingSince: at(60), value: 11 },
  },
  {
    name: 'pending, clears before for: resolved without firing',
    open: pending(0),
    holds: false,
    now: 30,
    timing: timing(60, 600),
    state: 'resolved',
    transitions: ['resolved'],
    changed: true,
    expect: { firingSince: null, resolvedAt: at(30) },
  },
  {
    name: 'firing, holds: stays',
    open: firing(60),
    holds: true,
    value: 10,
    now: 100,
    timing: timing(60, 0),
    state: 'firing',
    transitions: [],
    changed: false,
  },
  {
    name: 'firing, clears, no keepFiringFor: resolved',
    open: firing(60),
    holds: false,
    now: 100,
    timing: timing(60, 0),
    state: 'resolved',
    transitions: ['resolved'],
    changed: true,
    expect: { resolvedAt: at(100) },
  },
  {
    name: 'firing, clears, keepFiringFor: keeps firing, clearSince set',
    open: firing(60),
    holds: false,
    now: 100,
    timing: timing(60, 300),
    state: 'firing',
    transitions: [],
    changed: true,
    expect: { clearSince: at(100) },
  },
  {
    name: 'firing, still clear within keepFiringFor: no change',
    open: firing(60, 100),
    holds: false,
    now: 399,
    timing: timing(60, 300),
    state: 'firing',
    transitions: [],
    changed: false,
  },
  {
    name: 'firing, clear for keepFiringFor: resolved',
    open: firing(60, 100),
    holds: false,
    now: 400,
    timing: timing(60, 300),
    state: 'resolved',
    transitions: ['resolved'],
    changed: true,
    expect: { resolvedAt: at(400) },
  },
  {
    name: 'firing, holds again within keepFiringFor: clearSince cancelled',
    open: firing(60, 100),
    holds: true,
    value: 13,
    now: 200,
    timing: timing(60, 300),
    state: 'firing',
    transitions: [],
    changed: true,
    expect: { clearSince: null, value: 13 },
  },
  {
    name: 'acknowledged, holds: stays acknowledged',
    open: firing(60, null, 'acknowledged'),
    holds: true,
    value: 10,
    now: 500,
    timing: timing(60, 0),
    state: 'acknowledged',
    transitions: [],
    changed: false,
  },
  {
    name: 'acknowledged, clears: resolved',
    open: firing(60, null, 'acknowledged'),
    holds: false,
    now: 500,
    timing: timing(60, 0),
    state: 'resolved',
    transitions: ['resolved'],
    changed: true,
  },
  {
    name: 'acknowledged, clears, keepFiringFor: stays acknowledged',
    open: firing(60, null, 'acknowledged'),
    holds: false,
    now: 500,
    timing: timing(60, 30),
    state: 'acknowledged',
    transitions: [],
    changed: true,
    expect: { clearSince: at(500) },
  },
  {
    name: 'resolved episode counts as none: a new one starts',
    open: { ...pending(0), state: 'resolved', resolvedAt: at(1) },
    holds: true,
    now: 9,
    timing: timing(60, 0),
    state: 'pending',
    transitions: ['pending'],
    changed: true,
    expect: { pendingSince: at(9) },
  },
];

describe('state machine: step', () => {
  it.each(ROWS)('$name', (row) => {
    const result = step(row.open, { holds: row.holds, value: row.value === undefined ? 10 : row.value }, at(row.now), row.timing);
    expect(result.next?.state ?? null).toBe(row.state);
    expect(result.transitions).toEqual(row.transitions);
    expect(result.changed).toBe(row.changed);
    if (row.expect) expect(result.next).toMatchObject(row.expect);
  });
});

describe('state machine: nextDue', () => {
  it.each([
    { name: 'nothing open', open: null, due: null },
    { name: 'pending: when for elapses', open: pending(10), due: at(70) },
    { name: 'firing and holding: nothing due', open: firing(60), due: null },
    { name: 'firing and clear: when keepFiringFor elapses', open: firing(60, 100), due: at(400) },
  ])('$name', ({ open, due }) => {
    expect(nextDue(open, timing(60, 300))).toEqual(due);
  });
});

describe('state machine: acknowledge', () => {
  it.each([
    { name: 'firing is acknowledged', open: firing(60), result: { transition: 'acknowledged' } },
    { name: 'pending is refused', open: pending(0), result: { refused: 'pending' } },
    { name: 'acknowledged is refused', open: firing(60, null, 'acknowledged'), result: { refused: 'already_acknowledged' } },
    { name: 'resolved is refused', open: { ...firing(60), state: 'resolved' as const }, result: { refused: 'resolved' } },
  ])('$name', ({ open, result }) => {
    expect(acknowledge(open)).toMatchObject(result);
  });
});
