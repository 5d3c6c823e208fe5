/**
 * Reporting compliance across several indicators: who reported on time, who is late and by how long. The rule
 * that decides "late" is the backend's alone (GET /api/v1/reporting/compliance); this only merges its answers.
 */

export type ComplianceStatus = 'on_time' | 'late' | 'never';

export interface UnitCompliance {
  unit: string;
  status: ComplianceStatus;
  lateBySeconds: number | null;
  lastTs?: string | null;
}

export interface ComplianceRow {
  unit: string;
  worst: ComplianceStatus;
  /** the longest delay over the indicators (never: since the period was due) */
  lateBySeconds: number | null;
  byMetric: Record<string, ComplianceStatus | undefined>;
}

const ORDER: Record<ComplianceStatus, number> = { never: 0, late: 1, on_time: 2 };

/** One row per unit, worst first: never reported, then the latest first, then on time (by name order given). */
export function mergeCompliance(perMetric: Array<{ metric: string; units: UnitCompliance[] }>, units: string[]): ComplianceRow[] {
  const rows = new Map<string, ComplianceRow>(units.map((unit) => [unit, { unit, worst: 'on_time', lateBySeconds: null, byMetric: {} }]));
  for (const { metric, units: statuses } of perMetric) {
    for (const s of statuses) {
      const row = rows.get(s.unit);
      if (!row) continue;
      row.byMetric[metric] = s.status;
      if (ORDER[s.status] < ORDER[row.worst]) row.worst = s.status;
      if (s.status !== 'on_time' && s.lateBySeconds !== null) row.lateBySeconds = Math.max(row.lateBySeconds ?? 0, s.lateBySeconds);
    }
  }
  const position = new Map(units.map((unit, index) => [unit, index]));
  return [...rows.values()].sort(
    (a, b) =>
      ORDER[a.worst] - ORDER[b.worst] || (b.lateBySeconds ?? 0) - (a.lateBySeconds ?? 0) || position.get(a.unit)! - position.get(b.unit)!,
  );
}

export function complianceCounts(rows: Array<{ status: ComplianceStatus }>): Record<ComplianceStatus, number> {
  const counts = { on_time: 0, late: 0, never: 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}
