/**
 * Deterministic demo figures for the 34 provinces, some ministries and the nation, pushed through the real
 * ingest API by the browser tests (the seeded history is national only). Not real statistics.
 */
import type { IngestBatch, IngestPoint } from '@dxoc/contracts';
import { CURRENT_PROVINCE_CODES } from '@dxoc/contracts/reference';

/** The 34 provincial units in force since 1 Jul 2025 (GSO codes). */
export const PROVINCES = CURRENT_PROVINCE_CODES;
/** Provinces left without some values on purpose: the map must show them as "no data", not zero. */
export const SILENT_PROVINCES = ['11', '12', '96'];

function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const DAY = 86_400_000;

/** ISO with the Viet Nam offset, as an agent would send it. */
export function vnIso(ms: number): string {
  const local = new Date(ms + 7 * 3600_000).toISOString().slice(0, 19);
  return `${local}+07:00`;
}

/** 00:00 Viet Nam time of the day `ms` falls in. */
export function vnDayStart(ms: number): number {
  const offset = 7 * 3600_000;
  return Math.floor((ms + offset) / DAY) * DAY - offset;
}

function monthStarts(now: number, count: number): number[] {
  const local = new Date(now + 7 * 3600_000);
  const out: number[] = [];
  for (let i = count; i >= 1; i--) out.push(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - i + 1, 1) - 7 * 3600_000);
  return out.filter((t) => t <= now);
}

export function demoPoints(now: number): IngestPoint[] {
  const random = rng(20251122);
  const points: IngestPoint[] = [];
  const push = (metric: string, unit: string, ts: number, value: number) => points.push({ metric, unit, ts: vnIso(ts), value });
  const today = vnDayStart(now);
  const weight = new Map(
    PROVINCES.map((code) => [
      code,
      code === '01' || code === '79' ? 6 : code === '31' || code === '48' || code === '75' ? 2.5 : 0.6 + random() * 1.2,
    ]),
  );

  // monthly shares (ratio): the last three months, a few provinces silent
  for (const [metric, base, spread] of [
    ['dvc.end_to_end_dossier_share', 38, 30],
    ['dvc.level4_share', 45, 35],
    ['edoc.electronic_share', 80, 18],
  ] as const) {
    const level = new Map(PROVINCES.map((code) => [code, base + (random() - 0.5) * spread]));
    for (const month of monthStarts(now, 3)) {
      for (const code of PROVINCES) {
        if (SILENT_PROVINCES.includes(code)) continue;
        const value = Math.max(1, Math.min(99, level.get(code)! + random() * 4));
        level.set(code, value);
        push(metric, code, month, Math.round(value * 10) / 10);
      }
      push(metric, 'VN', month, Math.round((base + random() * 3) * 10) / 10);
    }
  }
  // daily amounts: the last 30 days (today included)
  for (const [metric, perUnit] of [
    ['einvoice.issued', 180_000],
    ['onestop.applications_received', 4_000],
  ] as const) {
    for (let d = 29; d >= 0; d--) {
      const day = today - d * DAY;
      let total = 0;
      for (const code of PROVINCES) {
        if (metric === 'onestop.applications_received' && SILENT_PROVINCES.includes(code) && d < 5) continue;
        const value = Math.round(perUnit * weight.get(code)! * (0.8 + random() * 0.4) * (d === 0 ? 0.4 : 1));
        total += value;
        push(metric, code, day, value);
      }
      push(metric, 'VN', day, total);
    }
  }
  // cumulative counters, weekly: VNeID accounts
  const vneid = new Map(PROVINCES.map((code) => [code, Math.round(900_000 * weight.get(code)!)]));
  for (let w = 12; w >= 0; w--) {
    const week = today - w * 7 * DAY;
    for (const code of PROVINCES) {
      const value = vneid.get(code)! + Math.round(4000 * weight.get(code)! * (0.5 + random()));
      vneid.set(code, value);
      if (!SILENT_PROVINCES.includes(code)) push('vneid.accounts_activated', code, week, value);
    }
    push('vneid.accounts_activated', 'VN', week, 62_000_000 + (12 - w) * 90_000);
  }
  // population records, monthly
  monthStarts(now, 2).forEach((month, index) => {
    for (const code of PROVINCES)
      push(
        'population.citizen_records',
        code,
        month,
        Math.round(2_100_000 * weight.get(code)!) + index * 3000 + Math.round(random() * 1000),
      );
    push('population.citizen_records', 'VN', month, 104_600_000 + index * 150_000 + Math.round(random() * 1000));
  });
  // NDXP transactions, cumulative, hourly over the last 2 days (nation)
  let ndxp = 1_350_000_000;
  for (let h = 48; h >= 1; h--) {
    ndxp += Math.round(180_000 + random() * 60_000);
    push('ndxp.transactions', 'VN', now - h * 3600_000, ndxp);
  }
  return points;
}

/** Batches of at most 5,000 points, as the ingest contract asks. */
export function demoBatches(now: number, prefix = 'demo'): IngestBatch[] {
  const points = demoPoints(now);
  const batches: IngestBatch[] = [];
  for (let i = 0; i < points.length; i += 5000)
    batches.push({ batchId: `${prefix}-${now}-${i / 5000}`, points: points.slice(i, i + 5000) });
  return batches;
}

export async function pushBatches(baseUrl: string, key: string, batches: IngestBatch[]): Promise<void> {
  for (const batch of batches) {
    const response = await fetch(`${baseUrl}/api/v1/ingest`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(batch),
    });
    if (response.status >= 300) throw new Error(`ingest ${batch.batchId}: ${response.status} ${await response.text()}`);
  }
}
