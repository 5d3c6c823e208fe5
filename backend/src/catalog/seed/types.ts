/**
 * Shapes of the reference data seeded into a fresh database.
 * Seeding only inserts what is missing, so staff edits made later are never overwritten.
 */

export type UnitKind = 'nation' | 'province' | 'ministry';

export interface SeedUnit {
  /** ASCII code used on the wire: GSO code for provinces ("79"), folded issuing-body symbol for ministries ("BKHDT"), "VN". */
  code: string;
  kind: UnitKind;
  nameVi: string;
  nameEn: string;
  fullNameVi: string;
  fullNameEn: string;
  /** Issuing-body symbol as printed in legal documents, with diacritics ("BKHĐT"); null for provinces. */
  symbol: string | null;
  /** First day in force (YYYY-MM-DD), null when in force before any data we hold. */
  validFrom: string | null;
  /** First day NO LONGER in force (YYYY-MM-DD, half-open), null while in force. */
  validUntil: string | null;
  /** Codes of the units that took over on validUntil (empty while in force). */
  successors: string[];
  /** Legal instrument behind the current form or the dissolution. */
  legalBasis: string | null;
}

export type MetricKind = 'gauge' | 'counter' | 'ratio';
export type Cadence = 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';
export type Aggregation = 'avg' | 'sum' | 'min' | 'max' | 'last';

export interface SeedMetric {
  /** Lower-case dotted code, e.g. "dvc.services_online": ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$ */
  code: string;
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  /** Unit of measure shown next to values: "dịch vụ/services", "%", "bản ghi/records", "hạng/rank". Keep it bilingual "vi/en" when it is a word. */
  unitOfMeasure: string;
  /** gauge: a level at a time; counter: cumulative total that never decreases; ratio: a percentage 0–100. */
  kind: MetricKind;
  /** Valid range, inclusive; null = unbounded on that side. Ratios are always 0..100. */
  min: number | null;
  max: number | null;
  /** How often each reporting unit is expected to send a value. */
  cadence: Cadence;
  /** "lower" for ranks (EGDI rank 71 is better than 99). */
  betterWhen: 'higher' | 'lower';
  /** How values are combined in a time bucket when the caller does not say. */
  defaultAggregation: Aggregation;
  /** Unit kinds that may carry values of this metric. */
  unitKinds: UnitKind[];
  /** Who reports it: unit codes (e.g. "VPCP", "BCA") and/or unit kinds ("province", "ministry"). */
  reportedBy: string[];
  /** The national system the figures come from, vi/en, or null. */
  sourceSystemVi: string | null;
  sourceSystemEn: string | null;
}

export interface SeedTarget {
  metricCode: string;
  /** Unit the target applies to: "VN" for national targets. */
  unitCode: string;
  value: number;
  /** ">=" : reach at least value (most targets); "<=" : at most (ranks: top 70 means rank <= 70). */
  comparator: '>=' | '<=';
  /** Last day to meet it, YYYY-MM-DD. */
  deadline: string;
  /** Legal source as cited, e.g. "Nghị quyết 17/NQ-CP (07/3/2019)". */
  legalSourceVi: string;
  legalSourceEn: string;
}

export interface SeedObservation {
  metricCode: string;
  unitCode: string;
  /** The time the value is for, ISO-8601 with offset, e.g. "2022-04-27T00:00:00+07:00". */
  ts: string;
  value: number;
  /** Where the figure comes from: a notice ("Thông báo 8540/TB-VPCP, 23/9/2019") or a URL. */
  source: string;
}
