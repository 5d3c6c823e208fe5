/**
 * Targets on the wall and in the console. The status of a target and the projection are defined once, in
 * @dxoc/contracts (`assessTargetStatus`, `projectSeries`), and served by GET /api/v1/targets; this module picks the
 * target a tile shows (the current one: nearest deadline not yet passed) and words what the API says. Pure.
 */
import {
  DEFAULT_TIME_ZONE,
  assessTargetStatus,
  currentTarget,
  deadlineEndMs,
  meetsTarget,
  targetProgress,
  type Projection,
  type TargetStatus,
  type TargetStatusRow,
} from '@dxoc/contracts';
import { formatDate, formatNumber, formatValue, type Lang, type ValueKind } from './format';
import { translate } from './i18n';

export type { Projection, TargetStatus, TargetStatusRow };

export interface TargetLike {
  id: number;
  metricCode: string;
  unitCode: string;
  value: number;
  comparator: '>=' | '<=';
  deadline: string;
}

/** Deadlines are days in Viet Nam: a target for 2025-12-31 holds until the end of that day. */
export function deadlineMs(deadline: string): number {
  return deadlineEndMs(deadline, DEFAULT_TIME_ZONE);
}

/**
 * The target a tile shows: the nearest deadline not yet passed; null when every deadline has passed (an expired
 * target is no headline; the console lists it under past targets).
 */
export function pickTarget<T extends TargetLike>(targets: T[], metric: string, unit: string, now: number): T | null {
  return currentTarget(targets, metric, unit, now, DEFAULT_TIME_ZONE);
}

export const meets = meetsTarget;
export const progressPercent = targetProgress;

/** The status of a target from values the page already holds, by the same definition the API serves. */
export function assessTarget<T extends TargetLike>(target: T, points: Array<{ t: number; v: number }>, now: number) {
  return assessTargetStatus(target, points, now, DEFAULT_TIME_ZONE);
}

/** Worst first, as the committee reads a list: missed, at risk, cannot assess, on track, met late, met on time. */
export const STATUS_ORDER: readonly TargetStatus[] = ['missed', 'at_risk', 'cannot_assess', 'on_track', 'met_late', 'met_on_time'];

export type StatusTone = 'good' | 'warn' | 'bad' | 'neutral';
export function statusTone(status: TargetStatus): StatusTone {
  if (status === 'met_on_time' || status === 'on_track') return 'good';
  if (status === 'at_risk' || status === 'met_late') return 'warn';
  if (status === 'missed') return 'bad';
  return 'neutral';
}

/** "Đã đạt muộn (05/11/2026)": the status word, with the date reached for a target met late. */
export function statusText(row: Pick<TargetStatusRow, 'status' | 'reachedAt'>, lang: Lang): string {
  const word = translate(`target.status.${row.status}`, lang);
  return row.status === 'met_late' && row.reachedAt ? `${word} (${formatDate(row.reachedAt, lang)})` : word;
}

/** "≥ 30% · hạn 31/12/2030" */
export function targetText(
  target: Pick<TargetLike, 'comparator' | 'value' | 'deadline'>,
  metric: ValueKind | undefined,
  lang: Lang,
  decimals?: number,
): string {
  return `${target.comparator === '>=' ? '≥' : '≤'} ${formatValue(target.value, metric, lang, decimals)} · ${translate('wall.deadline', lang)} ${formatDate(`${target.deadline}T00:00:00+07:00`, lang)}`;
}

/**
 * The projection in words: "13,7% (khoảng 12,9–14,5%) · Holt" or why there is none ("Không dự báo được: quá ít số
 * liệu"); null when there is no projection to speak of (deadline passed, target met).
 */
export function projectionText(projection: Projection | null, metric: ValueKind | undefined, lang: Lang): string | null {
  if (!projection) return null;
  if (projection.value === null)
    return `${translate('target.projection.none', lang)}: ${translate(`target.projection.reason.${projection.reason ?? 'too_few_points'}`, lang)}`;
  const band =
    projection.low !== null && projection.high !== null
      ? ` (${translate('target.projection.band', lang)} ${formatValue(projection.low, metric, lang)} – ${formatValue(projection.high, metric, lang)})`
      : '';
  const method = translate(`target.projection.method.${projection.method ?? 'linear'}`, lang);
  return `${formatValue(projection.value, metric, lang)}${band} · ${method}, ${projection.pointsUsed} ${translate('target.projection.points', lang)}`;
}

/**
 * The status a KPI tile shows beside its current target: the backend's status (`row`, for the same target) with the
 * progress while the deadline is ahead and the target is not met; the progress alone until the status has loaded.
 */
export function tileTargetStatus(
  target: Pick<TargetLike, 'id'>,
  row: Pick<TargetStatusRow, 'status' | 'reachedAt' | 'target'> | null,
  progress: number | null,
  lang: Lang,
): { text: string; tone: StatusTone; className: '' | 'met' | 'missed' } {
  const percent = progress === null ? '—' : `${formatNumber(progress, lang, 0)}%`;
  if (!row || row.target.id !== target.id) return { text: percent, tone: 'neutral', className: '' };
  const tone = statusTone(row.status);
  if (row.status === 'met_on_time') return { text: translate('wall.achieved', lang), tone, className: 'met' };
  if (row.status === 'met_late') return { text: statusText(row, lang), tone, className: 'met' };
  if (row.status === 'missed') return { text: statusText(row, lang), tone, className: 'missed' };
  return { text: `${statusText(row, lang)} · ${percent}`, tone, className: row.status === 'at_risk' ? 'missed' : '' };
}
