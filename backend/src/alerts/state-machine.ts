/**
 * The alert lifecycle as a pure function, shared by the live evaluation and the backtest:
 *
 *   (none) ──holds──▶ pending ──holds for `for`──▶ firing ──ack──▶ acknowledged
 *                        │                           │                 │
 *                        └──clears──▶ resolved ◀──clears for keepFiringFor┘
 *
 * A pending alert whose condition clears before `for` has elapsed is resolved without ever firing (it stays in the
 * history). A firing or acknowledged alert whose condition clears is resolved only after it stayed clear for
 * keepFiringFor (clearSince records when it cleared; the condition holding again cancels it): no flapping.
 */
import type { AlertState } from '@dxoc/contracts';

export type Transition = AlertState;

/** The persisted state of an alert episode (one row of `alert`). */
export interface AlertSnapshot {
  state: AlertState;
  pendingSince: Date;
  firingSince: Date | null;
  clearSince: Date | null;
  resolvedAt: Date | null;
  /** the value that last matched (null for no-data) */
  value: number | null;
}

export interface Timing {
  forMs: number;
  keepFiringForMs: number;
}

export interface StepResult {
  /** the episode after this step: null when there was no open episode and none starts */
  next: AlertSnapshot | null;
  /** the state changes to record, in order (one alert_event each) */
  transitions: Transition[];
  /** whether anything of the episode changed (a transition, clearSince, or the matched value) */
  changed: boolean;
}

const isOpen = (alert: AlertSnapshot | null): alert is AlertSnapshot => alert !== null && alert.state !== 'resolved';

/** One evaluation: the open episode (or null), whether the condition holds now and the value it is about. */
export function step(
  open: AlertSnapshot | null,
  condition: { holds: boolean; value: number | null },
  now: Date,
  timing: Timing,
): StepResult {
  if (!isOpen(open)) {
    if (!condition.holds) return { next: null, transitions: [], changed: false };
    const firing = timing.forMs <= 0;
    return {
      next: {
        state: firing ? 'firing' : 'pending',
        pendingSince: now,
        firingSince: firing ? now : null,
        clearSince: null,
        resolvedAt: null,
        value: condition.value,
      },
      transitions: [firing ? 'firing' : 'pending'],
      changed: true,
    };
  }

  if (open.state === 'pending') {
    if (!condition.holds) {
      return { next: { ...open, resolvedAt: now, state: 'resolved' }, transitions: ['resolved'], changed: true };
    }
    if (now.getTime() - open.pendingSince.getTime() >= timing.forMs) {
      return { next: { ...open, state: 'firing', firingSince: now, value: condition.value }, transitions: ['firing'], changed: true };
    }
    return valueOnly(open, condition.value);
  }

  // firing or acknowledged
  if (condition.holds) {
    if (open.clearSince !== null) return { next: { ...open, clearSince: null, value: condition.value }, transitions: [], changed: true };
    return valueOnly(open, condition.value);
  }
  const clearSince = open.clearSince ?? now;
  if (now.getTime() - clearSince.getTime() >= timing.keepFiringForMs) {
    return { next: { ...open, clearSince, state: 'resolved', resolvedAt: now }, transitions: ['resolved'], changed: true };
  }
  if (open.clearSince === null) return { next: { ...open, clearSince }, transitions: [], changed: true };
  return { next: open, transitions: [], changed: false };
}

function valueOnly(open: AlertSnapshot, value: number | null): StepResult {
  if (value === open.value) return { next: open, transitions: [], changed: false };
  return { next: { ...open, value }, transitions: [], changed: true };
}

/**
 * When the open episode changes state by itself if the condition stays as it is: a pending alert fires when `for`
 * has elapsed; a cleared firing alert resolves when keepFiringFor has elapsed. null: nothing is due.
 */
export function nextDue(open: AlertSnapshot | null, timing: Timing): Date | null {
  if (!isOpen(open)) return null;
  if (open.state === 'pending') return new Date(open.pendingSince.getTime() + timing.forMs);
  if (open.clearSince !== null) return new Date(open.clearSince.getTime() + timing.keepFiringForMs);
  return null;
}

export type AckRefusal = 'resolved' | 'pending' | 'already_acknowledged';

/** Acknowledging: only a firing alert can be acknowledged; it stays acknowledged until it resolves. */
export function acknowledge(open: AlertSnapshot): { next: AlertSnapshot; transition: Transition } | { refused: AckRefusal } {
  if (open.state === 'resolved') return { refused: 'resolved' };
  if (open.state === 'pending') return { refused: 'pending' };
  if (open.state === 'acknowledged') return { refused: 'already_acknowledged' };
  return { next: { ...open, state: 'acknowledged' }, transition: 'acknowledged' };
}
