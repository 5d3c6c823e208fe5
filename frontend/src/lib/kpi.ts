/** What a KPI tile shows, computed from its series: pure, so it is tested without a browser. */
import type { Pt } from './series-buffer';
import { deadlineMs, meets, pickTarget, progressPercent, type TargetLike } from './targets';
import { isStale, type Cadence } from './time';

export interface KpiSummary {
  value: number | null;
  /** the time the newest value is for */
  asOf: number | null;
  /** newest minus the first value of the shown range */
  change: number | null;
  changeSince: number | null;
  stale: boolean;
  target: TargetLike | null;
  progress: number | null;
  targetMet: boolean | null;
  deadlinePassed: boolean;
  /** the colour of the highest threshold the value reaches */
  thresholdColour: string | null;
}

export function kpiSummary(
  points: Pt[],
  options: {
    metric: string;
    unit: string;
    cadence: Cadence;
    targets: TargetLike[];
    thresholds: Array<{ value: number; colour: string }>;
    now: number;
  },
): KpiSummary {
  const last = points[points.length - 1] ?? null;
  const first = points[0] ?? null;
  const target = pickTarget(options.targets, options.metric, options.unit, options.now);
  const value = last ? last.v : null;
  const reached = options.thresholds.filter((t) => value !== null && value >= t.value).sort((a, b) => b.value - a.value)[0];
  return {
    value,
    asOf: last ? last.t : null,
    change: last && first && first !== last ? last.v - first.v : null,
    changeSince: first && first !== last ? first.t : null,
    stale: last ? isStale(last.t, options.cadence, options.now) : false,
    target,
    progress: target ? progressPercent(value, target) : null,
    targetMet: target && value !== null ? meets(value, target) : null,
    deadlinePassed: target ? options.now > deadlineMs(target.deadline) : false,
    thresholdColour: reached?.colour ?? null,
  };
}
