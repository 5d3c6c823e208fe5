import { describe, expect, it } from 'vitest';

import type { SeedMetric } from '../catalog';
import { seedMetrics } from './metrics';
import { seedTargets } from './targets';

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

  it('cite a legal source in both languages', () => {
    for (const t of seedTargets) {
      expect(t.legalSourceVi.trim().length, t.metricCode).toBeGreaterThan(0);
      expect(t.legalSourceEn.trim().length, t.metricCode).toBeGreaterThan(0);
    }
  });
});
