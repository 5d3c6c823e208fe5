/**
 * Backtest: replays one unit's stored values in time order through the same condition functions and the same state
 * machine as the live evaluation. Each value is taken as known from its ts on; between values the simulation also
 * stops where the live sweep would change something by itself (a pending period or keepFiringFor elapsing, and the
 * condition's own wake-ups: a no-data gap reaching its limit, a target deadline passing). Pure: no I/O.
 */
import type { ConditionInput, SeriesPoint } from './conditions/condition-kind';
import type { BoundCondition } from './conditions/registry';
import { nextDue, step, type AlertSnapshot, type Timing } from './state-machine';

export interface PreviewEpisode {
  pendingSince: Date;
  firingSince: Date | null;
  resolvedAt: Date | null;
  /** the value that made it fire (or start pending, if it never fired); null for no-data */
  value: number | null;
}

export interface SimulationInput {
  /** every stored value of the unit up to `to` (also before `from`: the state at `from` depends on them), any order */
  points: readonly SeriesPoint[];
  condition: BoundCondition;
  timing: Timing;
  from: Date;
  to: Date;
}

/** The last index i with points[i].ts <= at (points sorted ascending), or -1. */
function lastAtOrBefore(points: readonly SeriesPoint[], at: number): number {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as SeriesPoint).ts.getTime() <= at) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export function simulate(input: SimulationInput): { episodes: PreviewEpisode[]; evaluatedPoints: number } {
  const points = [...input.points].filter((p) => p.ts.getTime() <= input.to.getTime()).sort((a, b) => a.ts.getTime() - b.ts.getTime());
  const { condition, timing } = input;
  const episodes: PreviewEpisode[] = [];
  let open: AlertSnapshot | null = null;
  let episode: PreviewEpisode | null = null;
  /** points[0..known) are known at the current time */
  let known = lastAtOrBefore(points, input.from.getTime()) + 1;

  const conditionInput = (): ConditionInput => {
    const latest = points[known - 1] ?? null;
    const { referenceWindowSeconds, recentPoints } = condition.needs;
    let reference: SeriesPoint | null = null;
    if (latest && referenceWindowSeconds !== null) {
      const index = lastAtOrBefore(points, latest.ts.getTime() - referenceWindowSeconds * 1000);
      reference = index >= 0 ? (points[index] as SeriesPoint) : null;
    }
    const recent = recentPoints > 0 ? points.slice(Math.max(0, known - recentPoints), known) : [];
    return { latest, reference, recent, watchingSince: input.from };
  };

  const evaluateAt = (now: Date) => {
    const result = condition.evaluate(conditionInput(), now);
    const { next, transitions } = step(open, result, now, timing);
    for (const transition of transitions) {
      if (transition === 'pending' || (transition === 'firing' && !episode)) {
        episode = { pendingSince: (next as AlertSnapshot).pendingSince, firingSince: null, resolvedAt: null, value: result.value };
        episodes.push(episode);
      }
      if (transition === 'firing' && episode) {
        episode.firingSince = now;
        episode.value = result.value;
      }
      if (transition === 'resolved' && episode) {
        episode.resolvedAt = now;
        episode = null;
      }
    }
    open = next && next.state !== 'resolved' ? next : null;
  };

  evaluateAt(input.from);
  let now = input.from.getTime();
  for (;;) {
    const candidates: number[] = [];
    const nextPoint = points[known];
    if (nextPoint) candidates.push(nextPoint.ts.getTime());
    const due = nextDue(open, timing);
    if (due) candidates.push(due.getTime());
    candidates.push(...condition.wakeUps(points[known - 1]?.ts ?? null, input.from));
    const next = Math.min(...candidates.filter((t) => t > now));
    if (!Number.isFinite(next) || next > input.to.getTime()) break;
    now = next;
    while (points[known] && (points[known] as SeriesPoint).ts.getTime() <= now) known += 1;
    evaluateAt(new Date(now));
  }
  const evaluatedPoints = points.filter((p) => p.ts.getTime() >= input.from.getTime()).length;
  return { episodes, evaluatedPoints };
}
