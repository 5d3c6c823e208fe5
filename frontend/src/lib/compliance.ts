/**
 * Reporting compliance across several indicators: who reported on time, who is late, how many periods behind and
 * since when. The rule that decides "late" is the backend's alone (GET /api/v1/reporting/compliance and
 * /compliance/overview: a period's figures are due when the next period begins); this orders its answers and words
 * them, Vietnamese first ("Trễ 3 kỳ · từ 02/12 07:00"). Pure.
 */
import type { ComplianceOverviewResponse } from '@dxoc/contracts';
import { formatDuration, formatNumber, wallClock, type Lang } from './format';
import { translate } from './i18n';

export type ComplianceStatus = 'on_time' | 'late' | 'never';

/** How far behind a unit is (with one metric, or the worst over several). */
export interface Lateness {
  status: ComplianceStatus;
  /** periods due and missing since the last value; 0 when on time; null when unknown */
  periodsBehind: number | null;
  /** due time of the first missing period */
  lateSince: string | null;
  lateBySeconds: number | null;
}

export interface UnitCompliance extends Lateness {
  unit: string;
  lastTs?: string | null;
}

export interface ComplianceRow extends Lateness {
  unit: string;
  /** status per metric code */
  byMetric: Record<string, ComplianceStatus | undefined>;
  /** the metric most periods behind */
  worstMetric: string | null;
  /** false when none of the indicators is collected for this unit yet: nothing to judge (shown as "no data") */
  judged: boolean;
}

const ORDER: Record<ComplianceStatus, number> = { never: 0, late: 1, on_time: 2 };

/**
 * Worst first: never reported, then late; within each, the most periods behind, then late the longest; then the order
 * of `units` (the panel's or the catalog's).
 */
export function compareLateness(a: Lateness, b: Lateness): number {
  return (
    ORDER[a.status] - ORDER[b.status] ||
    (b.periodsBehind ?? 0) - (a.periodsBehind ?? 0) ||
    (a.lateSince ?? '\uffff').localeCompare(b.lateSince ?? '\uffff')
  );
}

/**
 * One row per listed unit from the overview answer, worst first; a unit the answer lacks (not required to report) is on
 * time. An indicator no unit of the kind has ever sent has no status (shown as "no data", not as "never reported").
 */
export function complianceRows(overview: Pick<ComplianceOverviewResponse, 'units' | 'metrics'>, units: string[]): ComplianceRow[] {
  const answer = new Map(overview.units.map((u) => [u.unit, u]));
  const collected = new Set(overview.metrics.filter((m) => m.collected).map((m) => m.metric));
  const position = new Map(units.map((unit, index) => [unit, index]));
  return units
    .map((unit): ComplianceRow => {
      const row = answer.get(unit);
      if (!row) {
        return {
          unit,
          status: 'on_time',
          periodsBehind: null,
          lateSince: null,
          lateBySeconds: null,
          byMetric: {},
          worstMetric: null,
          judged: false,
        };
      }
      const byMetric = Object.fromEntries(
        Object.entries(row.metrics).map(([metric, m]) => [metric, collected.has(metric) ? m.status : undefined]),
      );
      return {
        unit,
        status: row.status,
        periodsBehind: row.periodsBehind,
        lateSince: row.lateSince,
        lateBySeconds: row.lateBySeconds,
        worstMetric: row.worstMetric,
        byMetric,
        judged: Object.values(byMetric).some((status) => status !== undefined),
      };
    })
    .sort((a, b) => Number(b.judged) - Number(a.judged) || compareLateness(a, b) || position.get(a.unit)! - position.get(b.unit)!);
}

/** How many units are on time, late, never reported; units with nothing to judge yet are not counted. */
export function complianceCounts(rows: Array<{ status: ComplianceStatus; judged?: boolean }>): Record<ComplianceStatus, number> {
  const counts = { on_time: 0, late: 0, never: 0 };
  for (const row of rows) if (row.judged !== false) counts[row.status]++;
  return counts;
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A due time, short: "02/12 07:00" (vi) / "2 Dec 07:00" (en) in the current year of `now`, with the year otherwise
 * ("01/07/2025 00:00" / "1 Jul 2025 00:00"); in the wall's time zone.
 */
export function formatDueTime(ts: string | number, lang: Lang, now: number): string {
  const at = wallClock(new Date(ts).getTime());
  const pad = (n: number) => String(n).padStart(2, '0');
  const sameYear = at.getUTCFullYear() === wallClock(now).getUTCFullYear();
  const time = `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
  if (lang === 'vi') return `${pad(at.getUTCDate())}/${pad(at.getUTCMonth() + 1)}${sameYear ? '' : `/${at.getUTCFullYear()}`} ${time}`;
  return `${at.getUTCDate()} ${EN_MONTHS[at.getUTCMonth()]}${sameYear ? '' : ` ${at.getUTCFullYear()}`} ${time}`;
}

/** "3 kỳ" / "3 periods", "1 kỳ" / "1 period". */
export function formatPeriods(count: number, lang: Lang): string {
  return `${formatNumber(count, lang)} ${translate(count === 1 ? 'compliance.period' : 'compliance.periods', lang)}`;
}

/**
 * The lateness in two parts, for a narrow cell: { head: "Trễ 3 kỳ", since: "từ 02/12 07:00" }; never reported:
 * { head: "Chưa báo cáo", since: "510 kỳ · từ 01/07/2025 00:00" }. When the backend cannot count periods (irregular
 * indicators), the time late ("Trễ 2 ngày 3 giờ").
 */
export function latenessParts(row: Lateness, lang: Lang, now: number): { head: string; since: string | null } {
  if (row.status === 'on_time') return { head: translate('wall.compliance.onTime', lang), since: null };
  const since = row.lateSince ? `${translate('compliance.since', lang)} ${formatDueTime(row.lateSince, lang, now)}` : null;
  const counted = row.periodsBehind !== null && row.periodsBehind > 0 ? formatPeriods(row.periodsBehind, lang) : null;
  if (row.status === 'never') {
    // the head stays short ("Chưa báo cáo"); how much is missing goes with the date
    const rest = [counted, since].filter(Boolean).join(' · ');
    return { head: translate('wall.compliance.never', lang), since: rest || null };
  }
  const word = translate('compliance.late', lang);
  if (counted) return { head: `${word} ${counted}`, since };
  return { head: row.lateBySeconds !== null ? `${word} ${formatDuration(row.lateBySeconds, lang)}` : word, since };
}

/**
 * The lateness in words: "Đúng hạn"; "Trễ 3 kỳ · từ 02/12 07:00" / "Late 3 periods · since 2 Dec 07:00";
 * "Chưa báo cáo · 510 kỳ · từ 01/07/2025 00:00" / "Never reported · 510 periods · since 1 Jul 2025 00:00".
 */
export function latenessText(row: Lateness, lang: Lang, now: number): string {
  const { head, since } = latenessParts(row, lang, now);
  return since ? `${head} · ${since}` : head;
}
