import type { Aggregation, Cadence, MetricKind, UnitKind } from './seed/types';

export interface Unit {
  code: string;
  kind: UnitKind;
  nameVi: string;
  nameEn: string;
  fullNameVi: string;
  fullNameEn: string;
  symbol: string | null;
  validFrom: string | null;
  validUntil: string | null;
  successors: string[];
  predecessors: string[];
}

export interface Target {
  id: number;
  metricCode: string;
  unitCode: string;
  value: number;
  comparator: '>=' | '<=';
  deadline: string;
  legalSourceVi: string;
  legalSourceEn: string;
}

export interface Metric {
  code: string;
  nameVi: string;
  nameEn: string;
  descriptionVi: string;
  descriptionEn: string;
  unitOfMeasure: string;
  kind: MetricKind;
  min: number | null;
  max: number | null;
  cadence: Cadence;
  betterWhen: 'higher' | 'lower';
  defaultAggregation: Aggregation;
  unitKinds: UnitKind[];
  reportedBy: string[];
  sourceSystemVi: string | null;
  sourceSystemEn: string | null;
}
