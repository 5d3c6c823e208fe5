/** Progress to targets set in legal documents, linear projection to the deadline, and risk. Pure. */

export interface TargetLike {
  id: number;
  metricCode: string;
  unitCode: string;
  value: number;
  comparator: '>=' | '<=';
  deadline: string;
}

export type Risk = 'missed' | 'at_risk' | 'no_data' | 'on_track' | 'achieved';
export const RISK_ORDER: Risk[] = ['missed', 'at_risk', 'no_data', 'on_track', 'achieved'];

/** Deadlines are days in Viet Nam: a target for 2025-12-31 holds until the end of that day. */
export function deadlineMs(deadline: string): number {
  return new Date(`${deadline}T23:59:59+07:00`).getTime();
}

/** The target a tile shows: the nearest deadline still ahead, otherwise the latest one. */
export function pickTarget<T extends TargetLike>(targets: T[], metric: string, unit: string, now: number): T | null {
  const mine = targets
    .filter((t) => t.metricCode === metric && t.unitCode === unit)
    .sort((a, b) => deadlineMs(a.deadline) - deadlineMs(b.deadline));
  return mine.find((t) => deadlineMs(t.deadline) >= now) ?? mine[mine.length - 1] ?? null;
}

export function meets(value: number, target: Pick<TargetLike, 'value' | 'comparator'>): boolean {
  return target.comparator === '>=' ? value >= target.value : value <= target.value;
}

/** 0–100: how far the value is towards the target (rank-like "<=" targets: target / value). */
export function progressPercent(value: number | null, target: Pick<TargetLike, 'value' | 'comparator'>): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (meets(value, target)) return 100;
  if (target.comparator === '>=') return target.value === 0 ? 100 : Math.max(0, (value / target.value) * 100);
  return value === 0 ? 100 : Math.max(0, (target.value / value) * 100);
}

/** Least-squares line through the last `window` points, evaluated at `at`; null with fewer than 2 points. */
export function projectAt(points: Array<{ t: number; v: number }>, at: number, window = 12): number | null {
  const recent = points.slice(-window);
  if (recent.length < 2) return null;
  const t0 = recent[0]!.t;
  const xs = recent.map((p) => (p.t - t0) / 86_400_000);
  const ys = recent.map((p) => p.v);
  const n = recent.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return my + slope * ((at - t0) / 86_400_000 - mx);
}

export function assessRisk(target: TargetLike, latest: number | null, projected: number | null, now: number): Risk {
  if (latest === null) return 'no_data';
  if (meets(latest, target)) return 'achieved';
  if (now > deadlineMs(target.deadline)) return 'missed';
  if (projected !== null && meets(projected, target)) return 'on_track';
  return 'at_risk';
}

export interface TargetRow<T extends TargetLike = TargetLike> {
  target: T;
  latest: number | null;
  latestTs: number | null;
  projected: number | null;
  progress: number | null;
  risk: Risk;
}

export function assessTarget<T extends TargetLike>(target: T, points: Array<{ t: number; v: number }>, now: number): TargetRow<T> {
  const last = points[points.length - 1] ?? null;
  // a projection only means something while the deadline is ahead
  const projected = now <= deadlineMs(target.deadline) ? projectAt(points, deadlineMs(target.deadline)) : null;
  const latest = last ? last.v : null;
  return {
    target,
    latest,
    latestTs: last ? last.t : null,
    projected,
    progress: progressPercent(latest, target),
    risk: assessRisk(target, latest, projected, now),
  };
}

/** Worst first: by risk, then by how far from the target, then by the nearest deadline. */
export function sortByRisk<T extends TargetLike>(rows: TargetRow<T>[]): TargetRow<T>[] {
  return [...rows].sort(
    (a, b) =>
      RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk) ||
      (a.progress ?? -1) - (b.progress ?? -1) ||
      deadlineMs(a.target.deadline) - deadlineMs(b.target.deadline),
  );
}
