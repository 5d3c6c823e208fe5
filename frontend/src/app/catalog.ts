/** The reference catalogue (units and indicators) with lookups the panels need. */
import type { UnitKind } from '@dxoc/contracts';
import type { Lang } from '../lib/format';
import type { Metric, Unit } from '../lib/api';

export interface Catalog {
  units: Unit[];
  metrics: Metric[];
  unit: (code: string) => Unit | undefined;
  metric: (code: string) => Metric | undefined;
  unitName: (code: string, lang: Lang) => string;
  /** units in force today of a kind */
  current: (kind: UnitKind) => Unit[];
}

export function makeCatalog(units: Unit[], metrics: Metric[]): Catalog {
  const unitMap = new Map(units.map((u) => [u.code, u]));
  const metricMap = new Map(metrics.map((m) => [m.code, m]));
  return {
    units,
    metrics,
    unit: (code) => unitMap.get(code),
    metric: (code) => metricMap.get(code),
    unitName: (code, lang) => {
      const unit = unitMap.get(code);
      return unit ? (lang === 'vi' ? unit.nameVi : unit.nameEn) : code;
    },
    current: (kind) => units.filter((u) => u.kind === kind && u.validUntil === null),
  };
}

/** "bản ghi/records" → "bản ghi" (vi) or "records" (en). */
export function unitOfMeasure(metric: Metric | undefined, lang: Lang): string {
  if (!metric) return '';
  if (metric.unitOfMeasure === '%') return '';
  const [vi, en] = metric.unitOfMeasure.split('/');
  return (lang === 'vi' ? vi : (en ?? vi))?.trim() ?? '';
}

export function metricName(metric: Metric | undefined, lang: Lang): string {
  if (!metric) return '';
  return lang === 'vi' ? metric.nameVi : metric.nameEn;
}

export const CADENCE_TEXT: Record<Metric['cadence'], { vi: string; en: string }> = {
  daily: { vi: 'hằng ngày', en: 'daily' },
  weekly: { vi: 'hằng tuần', en: 'weekly' },
  monthly: { vi: 'hằng tháng', en: 'monthly' },
  quarterly: { vi: 'hằng quý', en: 'quarterly' },
  yearly: { vi: 'hằng năm', en: 'yearly' },
  irregular: { vi: 'không định kỳ', en: 'irregular' },
};
