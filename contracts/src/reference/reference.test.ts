import { describe, expect, it } from 'vitest';

import { UNIT_KINDS, type SeedMetric } from '../catalog';
import { egdiSurveyFigures } from './egdi';
import { seedMetrics } from './metrics';
import { seedTargets } from './targets';
import { seedUnits } from './units';

const CODE_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const metricsByCode = new Map<string, SeedMetric>(seedMetrics.map((m) => [m.code, m]));

function isValidDate(day: string): boolean {
  if (!DATE_RE.test(day)) return false;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day;
}

function inRange(metric: SeedMetric, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (metric.min !== null && value < metric.min) return false;
  if (metric.max !== null && value > metric.max) return false;
  return true;
}

describe('seed metrics', () => {
  it('has unique codes', () => {
    const codes = seedMetrics.map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('uses lower-case dotted codes', () => {
    for (const m of seedMetrics) {
      expect(m.code, m.code).toMatch(CODE_RE);
    }
  });

  it('bounds every ratio to 0..100', () => {
    for (const m of seedMetrics.filter((x) => x.kind === 'ratio')) {
      expect([m.code, m.min, m.max]).toEqual([m.code, 0, 100]);
    }
  });

  it('has min <= max when both are set', () => {
    for (const m of seedMetrics) {
      if (m.min !== null && m.max !== null) {
        expect(m.min, m.code).toBeLessThanOrEqual(m.max);
      }
    }
  });

  it('names at least one unit kind and one reporter', () => {
    for (const m of seedMetrics) {
      expect(m.unitKinds.length, m.code).toBeGreaterThan(0);
      expect(m.reportedBy.length, m.code).toBeGreaterThan(0);
    }
  });

  it('names as reporters only unit kinds and units in force today (a national system is reported by its operator)', () => {
    const inForce = new Set(seedUnits.filter((u) => u.validUntil === null).map((u) => u.code));
    const kinds = new Set<string>(UNIT_KINDS);
    for (const m of seedMetrics) {
      for (const reporter of m.reportedBy) expect(kinds.has(reporter) || inForce.has(reporter), `${m.code}: ${reporter}`).toBe(true);
    }
  });

  // issue 15: every national system the notices name (../shared/context/DIGEST.md) has its indicators, reported by
  // the system's operator
  it.each([
    [
      'National Population Database',
      'BCA',
      [
        'population.citizen_records',
        'population.social_insurance_records',
        'population.vaccination_citizen_records',
        'population.vaccination_doses',
        'population.teacher_records',
        'population.newborn_id_numbers',
      ],
    ],
    ['VNeID', 'BCA', ['vneid.accounts_activated', 'vneid.authentications']],
    ['e-invoice system', 'BTC', ['einvoice.issued', 'einvoice.businesses']],
    ['National Document Exchange Axis', 'VPCP', ['edoc.electronic_share', 'edoc.documents_sent', 'edoc.documents_received']],
    ['NDXP and LGSPs', 'BKHCN', ['ndxp.transactions', 'lgsp.unit_share']],
    [
      'one-stop-shop systems',
      'VPCP',
      ['onestop.applications_received', 'onestop.applications_resolved', 'onestop.on_time_share', 'onestop.digitised_share'],
    ],
    ['specialised data network', 'BKHCN', ['network.district_coverage', 'network.ministry_province_coverage']],
    ['e-Cabinet', 'VPCP', ['ecabinet.paperless_meetings', 'ecabinet.documents_handled']],
    ['Government reporting information system', 'VPCP', ['govreport.on_time_share']],
    ['National Insurance Database', 'BTC', ['insurance.participant_records']],
    ['National Land Database', 'BNNMT', ['land.db_coverage']],
    ['UN E-Government Survey', 'BKHCN', ['egdi.rank', 'egdi.score', 'egdi.asean_rank']],
  ] as const)('covers the %s, reported by %s', (_system, operator, codes) => {
    for (const code of codes) {
      const metric = metricsByCode.get(code);
      expect(metric, code).toBeDefined();
      expect(metric?.reportedBy, code).toContain(operator);
      expect(metric?.sourceSystemVi, code).toBeTruthy();
    }
  });

  it('has bilingual names and descriptions', () => {
    for (const m of seedMetrics) {
      for (const text of [m.nameVi, m.nameEn, m.descriptionVi, m.descriptionEn, m.unitOfMeasure]) {
        expect(text.trim().length, m.code).toBeGreaterThan(0);
      }
    }
  });
});

describe('seed targets', () => {
  it('reference existing metrics', () => {
    for (const t of seedTargets) {
      expect(metricsByCode.has(t.metricCode), t.metricCode).toBe(true);
    }
  });

  it('have valid YYYY-MM-DD deadlines', () => {
    for (const t of seedTargets) {
      expect(isValidDate(t.deadline), `${t.metricCode} ${t.deadline}`).toBe(true);
    }
  });

  it('have values inside the metric range', () => {
    for (const t of seedTargets) {
      const m = metricsByCode.get(t.metricCode);
      expect(m, t.metricCode).toBeDefined();
      if (m) expect(inRange(m, t.value), `${t.metricCode} ${t.value}`).toBe(true);
    }
  });

  it('hold the ASEAN top-4 EGDI target of Resolution 36a and the one-stop-shop digitisation date of 1 Jun 2022', () => {
    const find = (metric: string) => seedTargets.filter((t) => t.metricCode === metric);
    expect(find('egdi.asean_rank')).toEqual([
      expect.objectContaining({ unitCode: 'VN', value: 4, comparator: '<=', deadline: '2016-12-31' }),
    ]);
    expect(find('egdi.asean_rank')[0]?.legalSourceVi).toContain('36a/NQ-CP');
    expect(find('onestop.digitised_share')).toEqual([
      expect.objectContaining({ unitCode: 'VN', value: 100, comparator: '>=', deadline: '2022-06-01' }),
    ]);
  });

  it('cite a legal source in both languages', () => {
    for (const t of seedTargets) {
      expect(t.legalSourceVi.trim().length, t.metricCode).toBeGreaterThan(0);
      expect(t.legalSourceEn.trim().length, t.metricCode).toBeGreaterThan(0);
    }
  });
});

// the figures the backend seeds and the simulator sends once at start (issue 15): one list, read by both
describe('published UN E-Government Survey figures', () => {
  it("are national values of the catalog's EGDI metrics, in range, dated in a survey year, each with a source", () => {
    for (const f of egdiSurveyFigures) {
      const m = metricsByCode.get(f.metricCode);
      expect(m?.code, f.metricCode).toMatch(/^egdi\./);
      expect(f.unitCode).toBe('VN');
      if (m) expect(inRange(m, f.value), `${f.metricCode} ${f.value}`).toBe(true);
      expect(f.ts, f.metricCode).toMatch(/^20\d\d-\d{2}-\d{2}T00:00:00\+07:00$/);
      expect(Number(f.ts.slice(0, 4)) % 2, `${f.metricCode} ${f.ts}: the survey is published in even years`).toBe(0);
      expect(f.source.trim().length, f.metricCode).toBeGreaterThan(0);
    }
    const keys = egdiSurveyFigures.map((f) => `${f.metricCode}|${f.ts}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('cover every EGDI metric of the catalog, with the 2024 survey as published: 71st of 193, 5th in ASEAN, 0.7709', () => {
    const egdi = seedMetrics.filter((m) => m.code.startsWith('egdi.')).map((m) => m.code);
    expect(new Set(egdiSurveyFigures.map((f) => f.metricCode))).toEqual(new Set(egdi));
    const of2024 = Object.fromEntries(egdiSurveyFigures.filter((f) => f.ts.startsWith('2024-09-17')).map((f) => [f.metricCode, f.value]));
    expect(of2024).toEqual({ 'egdi.rank': 71, 'egdi.asean_rank': 5, 'egdi.score': 0.7709 });
  });
});
