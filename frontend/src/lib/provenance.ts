/**
 * "Where does this number come from?": the unit view of one indicator (wall overlay and console page alike).
 * Pure: what to ask the API for, and how to read its answers — the unit's series, every revision of the value
 * shown (batch, key, received time), the target and its status (as lib/targets computes it) and the unit's
 * reporting record (a row of GET /api/v1/reporting/compliance, whatever fields it carries).
 */
import type { HistoryResponse } from '@dxoc/contracts';
import { CADENCE_TEXT } from '../app/catalog';
import type { Metric, Target } from './api';
import { formatChange, formatDate, formatDateTime, formatDuration, formatNumber, formatValue, type Lang } from './format';
import { allMessageKeys, translate, type MessageKey } from './i18n';
import type { Pt } from './series-buffer';
import { assessTarget, deadlineMs, pickTarget } from './targets';

/** What a tile, a map province or a ranking row asks to explain. */
export interface ProvenanceSubject {
  metric: string;
  unit: string;
}

/** The wall's overlay closes by itself after this long without interaction (?provenanceSeconds= overrides). */
export const DEFAULT_OVERLAY_SECONDS = 60;

/** Seconds the overlay stays open without interaction: ?provenanceSeconds=N (1–3600), otherwise the default. */
export function overlaySeconds(search: string): number {
  const raw = new URLSearchParams(search).get('provenanceSeconds');
  const n = raw === null ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 1 && n <= 3600 ? Math.round(n) : DEFAULT_OVERLAY_SECONDS;
}

const DAY = 86_400_000;
/** How far back the unit's series is read, by cadence: enough periods to see its course; null: all of it. */
const WINDOW_DAYS: Record<Metric['cadence'], number | null> = {
  daily: 90,
  weekly: 730,
  monthly: 5 * 366,
  quarterly: null,
  yearly: null,
  irregular: null,
};

/** The query of the unit's raw series (as reported, no bucketing: the values the revisions belong to). */
export function seriesQuery(subject: ProvenanceSubject, cadence: Metric['cadence'], now: number) {
  const days = WINDOW_DAYS[cadence];
  return { metric: subject.metric, unit: subject.unit, ...(days === null ? {} : { from: new Date(now - days * DAY).toISOString() }) };
}

/** A row of the compliance answer for one unit; later fields (periods behind, late since) are read when present. */
export interface ReportingRow {
  unit: string;
  status: string;
  lastTs: string | null;
  lastReceivedAt?: string | null;
  lateBySeconds?: number | null;
  periodsBehind?: number | null;
  lateSince?: string | null;
}

/** The unit's row of a compliance answer, read defensively (the answer grows fields over time). */
export function reportingRowOf(answer: { units?: unknown } | null | undefined, unit: string): ReportingRow | null {
  const units = Array.isArray(answer?.units) ? (answer.units as unknown[]) : [];
  for (const row of units) {
    if (!row || typeof row !== 'object') continue;
    const r = row as Record<string, unknown>;
    if (r.unit !== unit || typeof r.status !== 'string') continue;
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return {
      unit,
      status: r.status,
      lastTs: text(r.lastTs),
      lastReceivedAt: text(r.lastReceivedAt),
      lateBySeconds: num(r.lateBySeconds),
      ...('periodsBehind' in r ? { periodsBehind: num(r.periodsBehind) } : {}),
      ...('lateSince' in r ? { lateSince: text(r.lateSince) } : {}),
    };
  }
  return null;
}

/** At most this many revisions are listed, newest first. */
export const MAX_REVISIONS = 50;

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

export interface RevisionView {
  revision: number;
  value: number;
  valueText: string;
  /** change from the revision before it; null for the first */
  changeText: string | null;
  batchId: string;
  keyId: string;
  /** the key's name (the seed's pseudo-key in the reader's language), else its id */
  keyLabel: string;
  receivedAt: string;
  receivedText: string;
  current: boolean;
  supersededText: string | null;
}

export interface TargetView {
  /** the target's number (the chart's line) */
  value: number;
  text: string;
  deadlineText: string;
  legalSource: string;
  status: string;
  statusText: string;
  tone: Tone;
  progressText: string | null;
  projectedText: string | null;
}

export interface ReportingView {
  status: string;
  statusText: string;
  tone: Tone;
  lastPeriodText: string;
  lastReceivedText: string | null;
  lateByText: string | null;
  /** null when the answer does not carry it */
  periodsBehind: number | null;
  lateSinceText: string | null;
}

export interface ProvenanceView {
  unitCode: string;
  metricName: string;
  unitName: string;
  sourceSystem: string | null;
  cadenceText: string;
  /** the value whose revisions are listed */
  value: { ts: number; value: number; valueText: string; periodText: string } | null;
  pointCount: number;
  /** the newest MAX_REVISIONS revisions (a running count revised all day has thousands) */
  revisions: RevisionView[];
  /** how many revisions the value has in all */
  revisionCount: number;
  target: TargetView | null;
  /** a unit without a target of its own: the national one, for reference (its status belongs to the nation) */
  nationalTarget: { text: string; deadlineText: string; legalSource: string } | null;
  reporting: ReportingView | null;
}

export interface ProvenanceInput {
  metric: Metric;
  unit: string;
  unitName: string;
  lang: Lang;
  now: number;
  /** the unit's series, time order */
  points: Pt[];
  /** the time of the value explained (default: the newest point) */
  selectedTs?: number | null;
  history: HistoryResponse | null;
  reporting: ReportingRow | null;
}

/** The value explained: the one at `selectedTs` if the series has it, else the newest. */
export function selectedPoint(points: Pt[], selectedTs: number | null | undefined): Pt | null {
  if (selectedTs !== null && selectedTs !== undefined) {
    const hit = points.find((p) => p.t === selectedTs);
    if (hit) return hit;
  }
  return points[points.length - 1] ?? null;
}

const t = (key: MessageKey, lang: Lang) => translate(key, lang);
const KNOWN_KEYS = new Set<string>(allMessageKeys());

/** A status word in the reader's language: `risk.<status>` or `target.<status>` if the texts have it, else the code. */
export function targetStatusText(status: string, lang: Lang): string {
  for (const key of [`target.status.${status}`, `target.${status}`, `risk.${status}`])
    if (KNOWN_KEYS.has(key)) return translate(key as MessageKey, lang);
  return status.replace(/_/g, ' ');
}

const GOOD = new Set(['achieved', 'met_on_time', 'on_track']);
const WARN = new Set(['at_risk', 'met_late']);
const BAD = new Set(['missed']);
export function toneOfStatus(status: string): Tone {
  return GOOD.has(status) ? 'good' : WARN.has(status) ? 'warn' : BAD.has(status) ? 'bad' : 'neutral';
}

/**
 * The target shown for this unit and its status, as lib/targets computes them (the nearest deadline ahead, else the
 * latest). The status is read by name (`status`, or `risk` before targets.ts was reworked).
 */
export function targetView(metric: Metric, unit: string, points: Pt[], now: number, lang: Lang): TargetView | null {
  const targets = metric.targets as Target[];
  const target = pickTarget(targets, metric.code, unit, now);
  if (!target) return null;
  const row = assessTarget(
    target,
    points.map((p) => ({ t: p.t, v: p.v })),
    now,
  ) as unknown as Record<string, unknown>;
  const status = String(row.status ?? row.risk ?? 'no_data');
  const progress = typeof row.progress === 'number' ? row.progress : null;
  const projectedRaw = row.projected ?? (row.projection as { value?: unknown } | null | undefined)?.value;
  const projected = typeof projectedRaw === 'number' && Number.isFinite(projectedRaw) ? projectedRaw : null;
  return {
    value: target.value,
    text: `${target.comparator === '>=' ? '≥' : '≤'} ${formatValue(target.value, metric, lang)}`,
    deadlineText: formatDate(`${target.deadline}T00:00:00+07:00`, lang),
    legalSource: lang === 'vi' ? target.legalSourceVi : target.legalSourceEn,
    status,
    statusText: targetStatusText(status, lang),
    tone: toneOfStatus(status),
    progressText: progress === null ? null : `${formatNumber(progress, lang, 0)}%`,
    projectedText: projected === null ? null : formatValue(projected, metric, lang),
  };
}

const NATION = 'VN';

/**
 * The national target shown beside a unit that has none of its own, while its deadline is ahead (an expired one is
 * no reference); null when the unit has a target, or the nation has no current one.
 */
export function nationalTargetOf(metric: Metric, unit: string, now: number, lang: Lang): ProvenanceView['nationalTarget'] {
  const targets = metric.targets as Target[];
  if (pickTarget(targets, metric.code, unit, now)) return null;
  const target = pickTarget(targets, metric.code, NATION, now);
  if (!target || deadlineMs(target.deadline) < now) return null;
  return {
    text: `${target.comparator === '>=' ? '≥' : '≤'} ${formatValue(target.value, metric, lang)}`,
    deadlineText: formatDate(`${target.deadline}T00:00:00+07:00`, lang),
    legalSource: lang === 'vi' ? target.legalSourceVi : target.legalSourceEn,
  };
}

/** The unit's reporting record in words; null when there is none. */
export function reportingView(row: ReportingRow | null, lang: Lang): ReportingView | null {
  if (!row) return null;
  const statusKey: MessageKey =
    row.status === 'on_time' ? 'wall.compliance.onTime' : row.status === 'late' ? 'wall.compliance.late' : 'wall.compliance.never';
  const late = row.status !== 'on_time';
  return {
    status: row.status,
    statusText: t(statusKey, lang),
    tone: row.status === 'on_time' ? 'good' : row.status === 'late' ? 'warn' : 'bad',
    lastPeriodText: formatDateTime(row.lastTs, lang),
    lastReceivedText: row.lastReceivedAt ? formatDateTime(row.lastReceivedAt, lang) : null,
    lateByText: late && typeof row.lateBySeconds === 'number' ? formatDuration(row.lateBySeconds, lang) : null,
    periodsBehind: typeof row.periodsBehind === 'number' ? row.periodsBehind : null,
    lateSinceText: late && row.lateSince ? formatDateTime(row.lateSince, lang) : null,
  };
}

/** Revisions newest first, each with its change from the one before it. */
export function revisionViews(history: HistoryResponse | null, metric: Metric, lang: Lang): RevisionView[] {
  if (!history) return [];
  const ordered = [...history.revisions].sort((a, b) => b.revision - a.revision);
  return ordered.map((r, i) => {
    const older = ordered[i + 1];
    const keyName = (r as { keyName?: string | null }).keyName ?? null;
    return {
      revision: r.revision,
      value: r.value,
      valueText: formatValue(r.value, metric, lang),
      changeText: older ? formatChange(r.value - older.value, metric, lang, metric.kind === 'ratio' ? 1 : 0) : null,
      batchId: r.batchId,
      keyId: r.keyId,
      keyLabel: r.keyId === 'seed' ? t('prov.seedKey', lang) : (keyName ?? r.keyId),
      receivedAt: r.receivedAt,
      receivedText: formatDateTime(r.receivedAt, lang) + secondsOf(r.receivedAt),
      current: r.supersededAt === null,
      supersededText: r.supersededAt ? formatDateTime(r.supersededAt, lang) + secondsOf(r.supersededAt) : null,
    };
  });
}

/** ":05" — revisions often come seconds apart, the seconds tell them apart. */
function secondsOf(iso: string): string {
  const ms = new Date(iso).getTime();
  return Number.isFinite(ms) ? `:${String(new Date(ms).getUTCSeconds()).padStart(2, '0')}` : '';
}

export function provenanceView(input: ProvenanceInput): ProvenanceView {
  const { metric, lang } = input;
  const point = selectedPoint(input.points, input.selectedTs);
  const source = lang === 'vi' ? metric.sourceSystemVi : metric.sourceSystemEn;
  return {
    unitCode: input.unit,
    metricName: lang === 'vi' ? metric.nameVi : metric.nameEn,
    unitName: input.unitName,
    sourceSystem: source ?? null,
    cadenceText: CADENCE_TEXT[metric.cadence][lang],
    value: point
      ? { ts: point.t, value: point.v, valueText: formatValue(point.v, metric, lang), periodText: formatDateTime(point.t, lang) }
      : null,
    pointCount: input.points.length,
    revisions: revisionViews(input.history, metric, lang).slice(0, MAX_REVISIONS),
    revisionCount: input.history?.revisions.length ?? 0,
    target: targetView(metric, input.unit, input.points, input.now, lang),
    nationalTarget: input.unit === NATION ? null : nationalTargetOf(metric, input.unit, input.now, lang),
    reporting: reportingView(input.reporting, lang),
  };
}

/** Next index in a list of n items for ↑ / ↓ (wrapping); -1 (nothing focused yet) goes to the first or the last. */
export function stepIndex(current: number, n: number, step: 1 | -1): number {
  if (n <= 0) return -1;
  if (current < 0) return step > 0 ? 0 : n - 1;
  return (((current + step) % n) + n) % n;
}
