/**
 * The demo simulator's value generators: pure functions of (unit, metric, time, seed), so the same instant always
 * gives the same value, a restarted simulator continues where it left off, counters never go backwards, and the
 * load tests can generate realistic traffic without a running simulator.
 *
 * Anchors (../shared/context/DIGEST.md and the backend's seeded history):
 * - online public services on the national portal: 3,552 on 27 Apr 2022 and 4,400 on 31 Aug 2024 (the seeded
 *   figures); the line continues that trend, slowing to +200 a year, so the wall does not jump away from history;
 * - share of services at level 4: 4.5% (2018), 10.7% (2019), rising toward the 30% target;
 * - Project 06 essential services: 11 of 25 (Apr 2022), then all 25;
 * - dossiers fully online: 42% (H1 2024), 39.98% (Oct 2025), then rising slowly toward the 80% target;
 * - electronic documents 86.5% (2019) → ~99%; LGSP 27% (2019) → 100%;
 * - citizen records 104 M and VNeID 62 M (22 Apr 2025); officials trained ~1,000 (Q1 2022);
 * - NDXP transactions since Oct 2020, ~180 M in 2021; e-invoices per working day, lower on weekends,
 *   higher at the end of the month;
 * - data linked into the population database on 27 Apr 2022: 17 M social-insurance records, 133 M vaccination
 *   doses of ~78 M citizens, 570 k education staff, 7 M newborns' ID numbers (the seeded figures), then growing
 *   toward what there is to link (~1.4 M births a year, ~1.6 M education staff);
 * - ministries and provinces on the specialised network: 100% since 2019.
 * The notices give no figure for VNeID authentications, businesses using e-invoices, documents on the Axis,
 * applications resolved / on time / digitised, e-Cabinet, reports on time in the Government reporting system or
 * the insurance and land databases: their magnitudes below are demo values (e.g. VNeID's "3–6 M users a day",
 * REFERENCE-DATA §4.3, for authentications), never figures to quote.
 * Provinces differ by population and by a "digital maturity": a few lag (Cao Bằng 04, Điện Biên 11, Lai Châu 12,
 * and the new Ministry of Ethnic and Religious Affairs), a few report late (Sơn La 14 three days, Gia Lai 52
 * two days, Ministry of Construction four days) and file fewer reports on time with the Government too, and now
 * and then a value is one the API refuses.
 *
 * Cadence: levels of daily and monthly metrics are sent each day, dated that day (as before); the monthly and
 * quarterly levels added for issue 15 are one value per period, dated its first day and revised each day until the
 * period ends (as the quarter's new enterprises are); per-day amounts are dated their day; running totals are
 * sent as they grow (counters have no period).
 *
 * Not generated: the UN E-Government Survey's ranks and score, which the simulator sends as published, once at
 * start (surveys.ts: that module may import the figures, this one types only). Not simulated at all (NOT_SIMULATED):
 * official statistics a simulator should not invent, and a level that no longer exists.
 *
 * No imports but types: the k6 load tests (load-tests/scenarios) run this file as it is, without Node.
 */
import type { IngestPoint, UnitKind } from '@dxoc/contracts';

export type { UnitKind };

export interface SimUnit {
  code: string;
  kind: UnitKind;
  validFrom: string | null;
  validUntil: string | null;
}

export interface SimMetric {
  code: string;
  unitKinds: readonly UnitKind[];
}

export interface SimCatalog {
  units: readonly SimUnit[];
  metrics: readonly SimMetric[];
}

export const VIETNAM_OFFSET_MINUTES = 420;
const OFFSET_MS = VIETNAM_OFFSET_MINUTES * 60_000;
export const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

const at = (date: string) => Date.parse(`${date}T00:00:00+07:00`);
const yearsSince = (date: string, t: number) => (t - at(date)) / YEAR_MS;

/** The figures the generators are anchored to (see the module comment). */
export const ANCHORS = {
  servicesOnline: [
    { date: '2022-04-27', value: 3552 },
    { date: '2024-08-31', value: 4400 },
  ],
  servicesOnlineGrowthPerYearAfter2024: 200,
  level4Share: { date2019: '2019-12-31', value2019: 10.7, target: 30 },
  project06: { date: '2022-04-27', value: 11, of: 25 },
  endToEndShare: [
    { date: '2024-06-30', value: 42 },
    { date: '2025-10-26', value: 39.98 },
  ],
  citizenRecords: { date: '2025-04-22', value: 104_000_000 },
  linkedData: {
    date: '2022-04-27',
    socialInsurance: 17_000_000,
    vaccinationCitizens: 78_000_000,
    vaccinationDoses: 133_000_000,
    teachers: 570_000,
    newbornIds: 7_000_000,
  },
  /** ANCHORS.md (caveats): e-Cabinet went live on 24 Jun 2019; the notices only order it finished by the end of 2019 */
  ecabinetStart: '2019-06-24',
  vneidAccounts: { date: '2025-04-22', value: 62_000_000 },
  officialsTrained: { date: '2022-03-31', value: 1000 },
  ndxpStart: '2020-10-01',
} as const;

/** Population in millions of the 34 provincial units (approximate, after the 1 Jul 2025 mergers): weights for shares. */
const PROVINCE_WEIGHT: Record<string, number> = {
  '01': 8.7,
  '04': 0.57,
  '08': 1.87,
  '11': 0.65,
  '12': 0.49,
  '14': 1.3,
  '15': 1.78,
  '19': 1.8,
  '20': 0.8,
  '22': 1.4,
  '24': 3.6,
  '25': 4.0,
  '31': 4.7,
  '33': 3.6,
  '37': 4.4,
  '38': 4.3,
  '40': 3.8,
  '42': 1.6,
  '44': 1.9,
  '46': 1.4,
  '48': 3.0,
  '51': 2.2,
  '52': 3.6,
  '56': 2.2,
  '66': 3.3,
  '68': 3.9,
  '75': 4.5,
  '79': 14.0,
  '80': 3.3,
  '82': 4.4,
  '86': 4.3,
  '91': 4.9,
  '92': 4.2,
  '96': 2.6,
};

/** Relative size of a ministry's public-service portfolio and systems. */
const MINISTRY_WEIGHT: Record<string, number> = {
  BCA: 5,
  BTC: 4.5,
  BNNMT: 2.5,
  BXD: 2.5,
  BCT: 2,
  BYT: 1.8,
  BGDDT: 1.6,
  BNV: 1.6,
  BTP: 1.4,
  BKHCN: 1.2,
  BVHTTDL: 1,
  BQP: 0.8,
  BNG: 0.7,
  NHNN: 0.9,
  BDTTG: 0.4,
  TTCP: 0.3,
  VPCP: 0.5,
};

/** Economic weight per person for e-invoices and new enterprises: the big cities and industrial provinces issue more. */
const ECONOMY_FACTOR: Record<string, number> = {
  '79': 2.4,
  '01': 2.1,
  '24': 1.6,
  '31': 1.5,
  '22': 1.4,
  '75': 1.4,
  '48': 1.3,
  '33': 1.1,
  '56': 1.0,
  '92': 0.95,
};

/** Digital maturity: 1 is typical. Fixed (not seeded) so counters keep their shares whatever the seed. */
const MATURITY: Record<string, number> = {
  '01': 1.2,
  '79': 1.2,
  '48': 1.25,
  '22': 1.2,
  '31': 1.1,
  '24': 1.1,
  '92': 1.05,
  '04': 0.4,
  '11': 0.35,
  '12': 0.4,
  BDTTG: 0.45,
};

/** Days a unit's figures arrive late: they show up as late on the compliance page. */
export const REPORT_DELAY_DAYS: Record<string, number> = { '14': 3, '52': 2, BXD: 4 };

export interface UnitProfile {
  code: string;
  kind: UnitKind;
  /** population (provinces) or portfolio size (ministries); the nation: the sum of the provinces */
  weight: number;
  maturity: number;
  reportDelayDays: number;
}

/**
 * level: a value of the day, dated that day; month-level / quarter-level: one value per month or quarter, dated its
 * first day, as of the day it is sent; daily-amount: the day's running amount, dated the day; quarter-amount: the
 * quarter's running amount, dated the quarter; counter: a running total, dated when it is read.
 */
export type Shape = 'level' | 'month-level' | 'quarter-level' | 'daily-amount' | 'quarter-amount' | 'counter';

export interface World {
  seed: number;
  /** units in force today, by code */
  units: Map<string, UnitProfile>;
  /** metric code → the unit kinds the catalog allows */
  metrics: Map<string, readonly UnitKind[]>;
  provinceWeight: number;
  ministryWeight: number;
}

/** The simulated metrics and how each behaves over time. */
export const METRIC_SHAPES: Record<string, Shape> = {
  'dvc.services_online': 'level',
  'dvc.level4_share': 'level',
  'dvc.project06_services': 'level',
  'dvc.end_to_end_dossier_share': 'level',
  'edoc.electronic_share': 'level',
  'lgsp.unit_share': 'level',
  'onestop.applications_received': 'daily-amount',
  'einvoice.issued': 'daily-amount',
  'digitech.new_enterprises': 'quarter-amount',
  'population.citizen_records': 'counter',
  'vneid.accounts_activated': 'counter',
  'ndxp.transactions': 'counter',
  'training.officials_trained': 'counter',
  // issue 15: every national system the notices name
  'population.social_insurance_records': 'counter',
  'population.vaccination_citizen_records': 'counter',
  'population.vaccination_doses': 'counter',
  'population.teacher_records': 'counter',
  'population.newborn_id_numbers': 'counter',
  'vneid.authentications': 'daily-amount',
  'einvoice.businesses': 'month-level',
  'edoc.documents_sent': 'daily-amount',
  'edoc.documents_received': 'daily-amount',
  'onestop.applications_resolved': 'daily-amount',
  'onestop.on_time_share': 'month-level',
  'onestop.digitised_share': 'month-level',
  'network.ministry_province_coverage': 'quarter-level',
  'ecabinet.paperless_meetings': 'counter',
  'ecabinet.documents_handled': 'counter',
  'govreport.on_time_share': 'month-level',
  'insurance.participant_records': 'counter',
  'land.db_coverage': 'quarter-level',
};

/**
 * The catalog's metrics the simulator leaves alone, and why: every other metric of the catalog has a shape here or is
 * sent as published (surveys.ts: the UN E-Government Survey's EGDI rank, ASEAN rank and score).
 */
export const NOT_SIMULATED: Record<string, string> = {
  'digital_economy.gdp_share': 'official annual statistics (GSO)',
  'network.district_coverage': 'the district level no longer exists (1 Jul 2025)',
};

/** Slow counters are sent every 5 minutes, the live one (NDXP transactions) every step. */
const SLOW_COUNTERS = new Set([
  'population.citizen_records',
  'vneid.accounts_activated',
  'training.officials_trained',
  'population.social_insurance_records',
  'population.vaccination_citizen_records',
  'population.vaccination_doses',
  'population.teacher_records',
  'population.newborn_id_numbers',
  'ecabinet.paperless_meetings',
  'ecabinet.documents_handled',
  'insurance.participant_records',
]);

/** A deterministic number in [0, 1) from the seed and some keys (FNV-1a, then a mulberry32 step). */
export function noise(seed: number, ...keys: (string | number)[]): number {
  let h = 2166136261 ^ seed;
  for (const ch of keys.join('\u0000')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  let t = (h + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export function unitProfile(unit: Pick<SimUnit, 'code' | 'kind'>): UnitProfile {
  const weight =
    unit.kind === 'province' ? (PROVINCE_WEIGHT[unit.code] ?? 2.5) : unit.kind === 'ministry' ? (MINISTRY_WEIGHT[unit.code] ?? 1) : 0;
  return {
    code: unit.code,
    kind: unit.kind,
    weight,
    maturity: MATURITY[unit.code] ?? 1,
    reportDelayDays: REPORT_DELAY_DAYS[unit.code] ?? 0,
  };
}

/** The units in force on the given day and the metrics the simulator plays. */
export function buildWorld(catalog: SimCatalog, now: number, seed = 2026): World {
  const today = localDate(now);
  const units = new Map<string, UnitProfile>();
  for (const unit of catalog.units) {
    if (unit.validUntil && unit.validUntil <= today) continue;
    if (unit.validFrom && unit.validFrom > today) continue;
    units.set(unit.code, unitProfile(unit));
  }
  const metrics = new Map(catalog.metrics.filter((m) => METRIC_SHAPES[m.code]).map((m) => [m.code, m.unitKinds]));
  let provinceWeight = 0;
  let ministryWeight = 0;
  for (const u of units.values()) {
    if (u.kind === 'province') provinceWeight += u.weight;
    if (u.kind === 'ministry') ministryWeight += u.weight;
  }
  const nation = units.get('VN');
  if (nation) nation.weight = provinceWeight;
  return { seed, units, metrics, provinceWeight, ministryWeight };
}

// ---------------------------------------------------------------------------------------------------------------
// Calendar in Viet Nam (UTC+07:00, no daylight saving)
// ---------------------------------------------------------------------------------------------------------------

/** Epoch ms of 00:00 in Viet Nam of the day containing t. */
export function dayStart(t: number): number {
  return Math.floor((t + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

/** "2026-11-22" in Viet Nam. */
export function localDate(t: number): string {
  return new Date(t + OFFSET_MS).toISOString().slice(0, 10);
}

function localParts(t: number): { weekday: number; month: number; year: number; day: number; hours: number } {
  const d = new Date(t + OFFSET_MS);
  return {
    weekday: d.getUTCDay(),
    month: d.getUTCMonth(),
    year: d.getUTCFullYear(),
    day: d.getUTCDate(),
    hours: d.getUTCHours() + d.getUTCMinutes() / 60,
  };
}

export function quarterStart(t: number): number {
  const { year, month } = localParts(t);
  return Date.UTC(year, month - (month % 3), 1) - OFFSET_MS;
}

function nextQuarterStart(t: number): number {
  const { year, month } = localParts(t);
  return Date.UTC(year, month - (month % 3) + 3, 1) - OFFSET_MS;
}

export function monthStart(t: number): number {
  const { year, month } = localParts(t);
  return Date.UTC(year, month, 1) - OFFSET_MS;
}

function nextMonthStart(t: number): number {
  const { year, month } = localParts(t);
  return Date.UTC(year, month + 1, 1) - OFFSET_MS;
}

/** "2026-11-22T10:00:00+07:00" */
export function vietnamIso(t: number): string {
  const local = new Date(t + OFFSET_MS).toISOString();
  return `${local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23)}+07:00`;
}

/**
 * Share of a day's amount done by this hour of the day: offices open 07:30–17:00, some filings in the evening;
 * citizens authenticate from early morning to late evening.
 */
function shareOfDayDone(hours: number, kind: 'applications' | 'invoices' | 'citizens'): number {
  const points: [number, number][] =
    kind === 'citizens'
      ? [
          [0, 0],
          [6, 0.03],
          [12, 0.45],
          [14, 0.55],
          [18, 0.8],
          [22, 0.97],
          [24, 1],
        ]
      : kind === 'applications'
        ? [
            [0, 0],
            [7, 0.03],
            [11.5, 0.45],
            [13.5, 0.52],
            [17, 0.9],
            [22, 0.99],
            [24, 1],
          ]
        : [
            [0, 0],
            [8, 0.04],
            [12, 0.42],
            [13, 0.47],
            [18, 0.9],
            [23, 0.99],
            [24, 1],
          ];
  for (let i = 1; i < points.length; i += 1) {
    const [h1, s1] = points[i] as [number, number];
    const [h0, s0] = points[i - 1] as [number, number];
    if (hours <= h1) return s0 + ((s1 - s0) * (hours - h0)) / (h1 - h0);
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------------------------
// National trends
// ---------------------------------------------------------------------------------------------------------------

function linear(points: readonly { date: string; value: number }[], t: number): number {
  const [a, b] = points as [{ date: string; value: number }, { date: string; value: number }];
  return a.value + ((b.value - a.value) * (t - at(a.date))) / (at(b.date) - at(a.date));
}

export function nationalServicesOnline(t: number): number {
  const last = ANCHORS.servicesOnline[1];
  if (t <= at(last.date)) return linear(ANCHORS.servicesOnline, t);
  return last.value + ANCHORS.servicesOnlineGrowthPerYearAfter2024 * yearsSince(last.date, t);
}

export function nationalLevel4Share(t: number): number {
  const { date2019, value2019, target } = ANCHORS.level4Share;
  return target - (target - value2019) * Math.exp(-yearsSince(date2019, t) / 3.05);
}

function nationalEndToEndShare(t: number): number {
  const last = ANCHORS.endToEndShare[1];
  if (t <= at(last.date)) return linear(ANCHORS.endToEndShare, t);
  return last.value + 6 * yearsSince(last.date, t);
}

function nationalCitizenRecords(t: number): number {
  return ANCHORS.citizenRecords.value + 1_050_000 * yearsSince(ANCHORS.citizenRecords.date, t);
}

function nationalVneid(t: number): number {
  return ANCHORS.vneidAccounts.value + 9_000_000 * (1 - Math.exp(-yearsSince(ANCHORS.vneidAccounts.date, t) / 1.5));
}

function nationalNdxp(t: number): number {
  const days = Math.max(0, (t - at(ANCHORS.ndxpStart)) / DAY_MS);
  return 300_000 * days + 479.45 * days * days;
}

function nationalOfficialsTrained(t: number): number {
  return ANCHORS.officialsTrained.value + 45_000 * Math.max(0, yearsSince(ANCHORS.officialsTrained.date, t));
}

/** A total that grows toward `more` above its anchor with a time constant of `years`, never below the anchor. */
function saturating(anchor: { date: string; value: number }, more: number, years: number, t: number): number {
  return anchor.value + more * (1 - Math.exp(-Math.max(0, yearsSince(anchor.date, t)) / years));
}

/** The data linked into the population database, anchored to the figures of 27 Apr 2022. */
function nationalLinkedData(metric: string, t: number): number {
  const { date, socialInsurance, vaccinationCitizens, vaccinationDoses, teachers, newbornIds } = ANCHORS.linkedData;
  switch (metric) {
    case 'population.social_insurance_records':
      return saturating({ date, value: socialInsurance }, 3_200_000, 2.5, t);
    case 'population.vaccination_citizen_records':
      return saturating({ date, value: vaccinationCitizens }, 12_000_000, 1.5, t);
    case 'population.vaccination_doses':
      return saturating({ date, value: vaccinationDoses }, 95_000_000, 1.2, t);
    case 'population.teacher_records':
      return saturating({ date, value: teachers }, 980_000, 1, t);
    case 'population.newborn_id_numbers':
      // about 1.35 million births registered a year
      return newbornIds + 1_350_000 * Math.max(0, yearsSince(date, t));
    default:
      throw new Error(`${metric} is not linked data`);
  }
}

/** Paperless Government meetings (~26 a year: the monthly regular meeting, thematic ones) and dossiers (~2,400 a year). */
function nationalEcabinet(metric: string, t: number): number {
  const years = Math.max(0, yearsSince(ANCHORS.ecabinetStart, t));
  return metric === 'ecabinet.paperless_meetings' ? 26 * years : 2400 * years;
}

/** People with records in the national insurance database (demo: ~95 M at the start of 2025, most through health insurance). */
function nationalInsuranceRecords(t: number): number {
  return 95_000_000 + 900_000 * yearsSince('2025-01-01', t);
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const round1 = (value: number) => Math.round(value * 10) / 10;

// ---------------------------------------------------------------------------------------------------------------
// Values per unit
// ---------------------------------------------------------------------------------------------------------------

/** A level (gauge or ratio) of a unit on the day containing t. */
function levelValue(world: World, metric: string, unit: UnitProfile, t: number): number {
  const day = dayStart(t);
  const wobble = noise(world.seed, metric, unit.code, day) - 0.5; // -0.5..0.5, new each day
  const m = unit.maturity;
  switch (metric) {
    case 'dvc.services_online': {
      const national = nationalServicesOnline(day);
      if (unit.kind === 'nation') return Math.round(national);
      if (unit.kind === 'province') return Math.round(national * (0.3 + 0.1 * m) + 6 * unit.weight + 2 * wobble);
      return Math.round(national * 0.012 * unit.weight + wobble);
    }
    case 'dvc.level4_share': {
      const national = nationalLevel4Share(day);
      return unit.kind === 'nation' ? round1(national) : round1(clamp(national * (0.55 + 0.45 * m) + wobble, 1, 99));
    }
    case 'dvc.project06_services': {
      const { date, value, of } = ANCHORS.project06;
      const national = day < at(date) ? value : Math.min(of, value + ((of - value) * yearsSince(date, day)) / 0.6);
      return unit.kind === 'nation' ? Math.round(national) : Math.min(of, Math.round(national * (0.78 + 0.2 * m)));
    }
    case 'dvc.end_to_end_dossier_share': {
      const national = nationalEndToEndShare(day);
      return unit.kind === 'nation' ? round1(national) : round1(clamp(national * (0.45 + 0.6 * m) + 1.5 * wobble, 3, 98));
    }
    case 'edoc.electronic_share': {
      const national = 99.5 - 13 * Math.exp(-yearsSince('2019-12-31', day) / 1.5);
      return unit.kind === 'nation' ? round1(national) : round1(clamp(national - (1.2 - m) * 10 + wobble, 50, 100));
    }
    case 'lgsp.unit_share':
      return round1(clamp(27 + (73 * yearsSince('2019-12-31', day)) / 2, 0, 100));
    default:
      throw new Error(`${metric} is not a level`);
  }
}

/** The period a month- or quarter-level value is for: its start and end, and how much of it has passed at t. */
function periodOf(shape: Shape, t: number): { start: number; end: number; done: number } {
  const start = shape === 'quarter-level' ? quarterStart(t) : monthStart(t);
  const end = shape === 'quarter-level' ? nextQuarterStart(t) : nextMonthStart(t);
  return { start, end, done: clamp((t - start) / (end - start), 0, 1) };
}

/** Taxpayers using e-invoices nationwide (demo: ~1 M at the start of 2025, +70,000 a year). */
function nationalEinvoiceBusinesses(t: number): number {
  return 1_000_000 + 70_000 * yearsSince('2025-01-01', t);
}

/**
 * A level reported once per month or quarter, as of t: the period's final value, plus a day-to-day wobble that
 * fades as the period runs out, so each day's revision moves toward the value the period ends with.
 */
function periodLevelValue(world: World, metric: string, unit: UnitProfile, t: number): number {
  const shape = METRIC_SHAPES[metric] as Shape;
  const { start, done } = periodOf(shape, t);
  const m = unit.maturity;
  const settled = noise(world.seed, metric, unit.code, start) - 0.5; // -0.5..0.5, one per period
  const unsettled = (noise(world.seed, metric, unit.code, dayStart(t)) - 0.5) * (1 - done);
  const share = (value: number, spread: number, min: number, max = 100) => round1(clamp(value + spread * (settled + unsettled), min, max));
  switch (metric) {
    case 'einvoice.businesses': {
      const national = nationalEinvoiceBusinesses(t);
      if (unit.kind === 'nation') return Math.round(national);
      const economy = (u: UnitProfile) => u.weight * (ECONOMY_FACTOR[u.code] ?? 0.75);
      const total = [...world.units.values()].filter((u) => u.kind === 'province').reduce((sum, u) => sum + economy(u), 0);
      return Math.round((national * economy(unit)) / total);
    }
    case 'onestop.on_time_share': {
      const national = 96.5 + 1.5 * (1 - Math.exp(-Math.max(0, yearsSince('2024-01-01', start)) / 2));
      return unit.kind === 'nation' ? share(national, 0.4, 0) : share(national - (1.15 - m) * 9, 2.5, 60);
    }
    case 'onestop.digitised_share': {
      // from the 1 Jun 2022 requirement: about a third digitised at first, rising toward ~95%
      const national = 95 - 60 * Math.exp(-Math.max(0, yearsSince('2022-06-01', start)) / 2.2);
      return unit.kind === 'nation' ? share(national, 0.6, 0) : share(national * (0.6 + 0.4 * Math.min(m, 1.15)), 4, 5);
    }
    case 'govreport.on_time_share': {
      // the units late with their figures to dxoc are late with their reports to the Government too
      const late = unit.reportDelayDays > 0 ? 9 : 0;
      return unit.kind === 'nation' ? share(92, 1, 0) : share(97 - (1.15 - m) * 25 - late, 6, 30);
    }
    case 'network.ministry_province_coverage':
      return 100; // every ministry and province since 2019
    case 'land.db_coverage': {
      const national = 35 + 60 * (1 - Math.exp(-Math.max(0, yearsSince('2022-01-01', start)) / 2.5));
      return unit.kind === 'nation' ? share(national, 0.5, 0) : share(national * (0.55 + 0.45 * Math.min(m, 1.2)), 6, 0);
    }
    default:
      throw new Error(`${metric} is not a period level`);
  }
}

/** The whole day's amount of a province or ministry (per-day metrics). */
function dayTotal(world: World, metric: string, unit: UnitProfile, day: number): number {
  const { weekday, day: dom, month, year } = localParts(day + DAY_MS / 2);
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const wobble = 1 + 0.12 * (noise(world.seed, metric, unit.code, day) - 0.5);
  const growth = 1 + 0.1 * yearsSince('2025-01-01', day);
  const officeWeek = weekday === 0 ? 0.08 : weekday === 6 ? 0.35 : 1;
  switch (metric) {
    case 'onestop.applications_received': {
      const base = unit.kind === 'province' ? unit.weight * 420 : unit.weight * 300;
      return Math.round(base * (0.6 + 0.4 * unit.maturity) * officeWeek * wobble * growth);
    }
    case 'onestop.applications_resolved': {
      // about as many as were received that day, a little fewer where the unit is slower, with a noise of its own
      const received = dayTotal(world, 'onestop.applications_received', unit, day);
      return Math.round(received * (0.86 + 0.1 * Math.min(unit.maturity, 1.2)) * (1 + (wobble - 1) / 2));
    }
    case 'edoc.documents_sent':
    case 'edoc.documents_received': {
      // offices: almost nothing at weekends; a province sends about as much as a mid-sized ministry
      const week = weekday === 0 ? 0.03 : weekday === 6 ? 0.12 : 1;
      const base = unit.kind === 'province' ? 140 + 35 * unit.weight : 90 * unit.weight + 60;
      const received = metric === 'edoc.documents_received' ? 1.08 : 1;
      return Math.round(base * received * (0.7 + 0.3 * Math.min(unit.maturity, 1.2)) * week * wobble);
    }
    case 'vneid.authentications': {
      // ~4.5 M a day nationwide, more on working days
      const week = weekday === 0 ? 0.55 : weekday === 6 ? 0.7 : 1;
      return Math.round(unit.weight * 45_000 * (0.7 + 0.3 * unit.maturity) * week * wobble * growth);
    }
    case 'einvoice.issued': {
      // the working week, and the rush of the last two days of the month
      const week = weekday === 0 ? 0.22 : weekday === 6 ? 0.55 : 1;
      const monthEnd = dom >= daysInMonth - 1 ? 1.3 : 1;
      return Math.round(unit.weight * (ECONOMY_FACTOR[unit.code] ?? 0.75) * 52_000 * week * monthEnd * wobble * growth);
    }
    default:
      throw new Error(`${metric} is not a per-day amount`);
  }
}

/** Units whose amounts add up to the nation's (the API does not check it; the wall looks right when it holds). */
function contributors(world: World, metric: string): UnitProfile[] {
  const kinds = world.metrics.get(metric) ?? [];
  return [...world.units.values()].filter((u) => u.kind !== 'nation' && kinds.includes(u.kind));
}

/** A per-day amount as of t (t within the day: the running count so far). */
function dailyAmount(world: World, metric: string, unit: UnitProfile, t: number): number {
  const day = dayStart(t);
  const curve = metric === 'einvoice.issued' ? 'invoices' : metric === 'vneid.authentications' ? 'citizens' : 'applications';
  const done = Math.min(1, shareOfDayDone((t - day) / 3_600_000, curve));
  const total =
    unit.kind === 'nation'
      ? contributors(world, metric).reduce((sum, u) => sum + dayTotal(world, metric, u, day), 0)
      : dayTotal(world, metric, unit, day);
  return Math.round(total * done);
}

/** New digital-technology enterprises of the quarter so far. */
function quarterAmount(world: World, unit: UnitProfile, t: number): number {
  const start = quarterStart(t);
  const done = clamp((t - start) / (nextQuarterStart(t) - start), 0, 1);
  const ofUnit = (u: UnitProfile) =>
    Math.round(u.weight * (ECONOMY_FACTOR[u.code] ?? 0.75) * 4.5 * (0.8 + 0.4 * noise(world.seed, 'digitech', u.code, start)));
  const total =
    unit.kind === 'nation' ? contributors(world, 'digitech.new_enterprises').reduce((sum, u) => sum + ofUnit(u), 0) : ofUnit(unit);
  return Math.floor(total * done);
}

/** A running total at t: a fixed share of the national figure, so it only grows. */
function counterValue(world: World, metric: string, unit: UnitProfile, t: number): number {
  const provinceShare = (u: UnitProfile) => u.weight / world.provinceWeight;
  const ministryShare = (u: UnitProfile) => u.weight / world.ministryWeight;
  let national: number;
  switch (metric) {
    case 'population.citizen_records':
      national = nationalCitizenRecords(t);
      return Math.floor(unit.kind === 'nation' ? national : national * provinceShare(unit));
    case 'vneid.accounts_activated':
      national = nationalVneid(t);
      return Math.floor(unit.kind === 'nation' ? national : national * provinceShare(unit) * (0.85 + 0.15 * Math.min(unit.maturity, 1)));
    case 'ndxp.transactions':
      national = nationalNdxp(t);
      if (unit.kind === 'nation') return Math.floor(national);
      return Math.floor(
        unit.kind === 'province' ? national * 0.6 * provinceShare(unit) * unit.maturity : national * 0.4 * ministryShare(unit),
      );
    case 'training.officials_trained':
      national = nationalOfficialsTrained(t);
      if (unit.kind === 'nation') return Math.floor(national);
      return Math.floor(unit.kind === 'province' ? national * 0.7 * provinceShare(unit) : national * 0.3 * ministryShare(unit));
    case 'population.social_insurance_records':
    case 'population.vaccination_citizen_records':
    case 'population.vaccination_doses':
    case 'population.teacher_records':
    case 'population.newborn_id_numbers':
      national = nationalLinkedData(metric, t);
      return Math.floor(unit.kind === 'nation' ? national : national * provinceShare(unit));
    case 'insurance.participant_records':
      national = nationalInsuranceRecords(t);
      return Math.floor(unit.kind === 'nation' ? national : national * provinceShare(unit));
    case 'ecabinet.paperless_meetings':
    case 'ecabinet.documents_handled':
      return Math.floor(nationalEcabinet(metric, t)); // the nation only
    default:
      throw new Error(`${metric} is not a counter`);
  }
}

/**
 * The simulated value of a metric for a unit at t: a level of that day, a running amount of that day or quarter
 * as of t, or a running total at t. Null when the simulator does not play that metric or that unit.
 */
export function simulatedValue(world: World, metric: string, unitCode: string, t: number): number | null {
  const shape = METRIC_SHAPES[metric];
  const unit = world.units.get(unitCode);
  const kinds = world.metrics.get(metric);
  if (!shape || !unit || !kinds?.includes(unit.kind)) return null;
  if (shape === 'level') return levelValue(world, metric, unit, t);
  if (shape === 'month-level' || shape === 'quarter-level') return periodLevelValue(world, metric, unit, t);
  if (shape === 'daily-amount') return dailyAmount(world, metric, unit, t);
  if (shape === 'quarter-amount') return quarterAmount(world, unit, t);
  return counterValue(world, metric, unit, t);
}

function metricsOf(world: World, unit: UnitProfile): string[] {
  return [...world.metrics].filter(([, kinds]) => kinds.includes(unit.kind)).map(([code]) => code);
}

/** The last day (start, epoch ms) whose figures a unit has reported by now: today, or earlier for late reporters. */
export function lastReportedDay(unit: UnitProfile, now: number): number {
  return dayStart(now) - unit.reportDelayDays * DAY_MS;
}

/**
 * Everything a unit reports for one day: levels and per-day amounts at 00:00 of that day, the quarter's amount and
 * the month's or quarter's level at the period's start, running totals at 00:00. Values are as of the end of the
 * day, or as of asOf for today.
 */
export function dayPoints(world: World, unitCode: string, day: number, asOf: number): IngestPoint[] {
  const unit = world.units.get(unitCode);
  if (!unit) return [];
  const start = dayStart(day);
  const until = Math.min(asOf, start + DAY_MS - 1);
  const points: IngestPoint[] = [];
  for (const metric of metricsOf(world, unit)) {
    const shape = METRIC_SHAPES[metric];
    const ts =
      shape === 'quarter-amount' || shape === 'quarter-level' ? quarterStart(start) : shape === 'month-level' ? monthStart(start) : start;
    const value = shape === 'counter' ? simulatedValue(world, metric, unitCode, start) : simulatedValue(world, metric, unitCode, until);
    if (value !== null) points.push({ metric, unit: unitCode, ts: vietnamIso(ts), value });
  }
  return points;
}

/**
 * What the units that report on time send at instant t (a step of the live loop): the running totals at t
 * (the slow ones every 5 minutes) and today's per-day amounts so far (a revision of today's value).
 */
export function livePoints(world: World, t: number): IngestPoint[] {
  const points: IngestPoint[] = [];
  const today = dayStart(t);
  const fiveMinuteMark = t % 300_000 === 0;
  for (const unit of world.units.values()) {
    if (unit.reportDelayDays > 0) continue;
    for (const metric of metricsOf(world, unit)) {
      const shape = METRIC_SHAPES[metric];
      if (shape === 'counter' && (!SLOW_COUNTERS.has(metric) || fiveMinuteMark)) {
        points.push({ metric, unit: unit.code, ts: vietnamIso(t), value: simulatedValue(world, metric, unit.code, t) as number });
      } else if (shape === 'daily-amount') {
        points.push({ metric, unit: unit.code, ts: vietnamIso(today), value: simulatedValue(world, metric, unit.code, t) as number });
      }
    }
  }
  return points;
}

/**
 * Now and then a value the API must refuse, the way real feeds go wrong: a share above 100%, a negative count,
 * a province code that lost its leading zero in a spreadsheet. probability: chance of one such value at this step.
 */
export function badPoints(world: World, t: number, probability: number): IngestPoint[] {
  if (noise(world.seed, 'bad', t) >= probability) return [];
  const provinces = [...world.units.values()].filter((u) => u.kind === 'province');
  if (provinces.length === 0) return [];
  const unit = provinces[Math.floor(noise(world.seed, 'bad-unit', t) * provinces.length)] as UnitProfile;
  const ts = vietnamIso(t);
  switch (Math.floor(noise(world.seed, 'bad-kind', t) * 3)) {
    case 0:
      return [{ metric: 'dvc.level4_share', unit: unit.code, ts, value: round1(100 + 1 + 9 * noise(world.seed, 'bad-value', t)) }];
    case 1:
      return [{ metric: 'einvoice.issued', unit: unit.code, ts, value: -Math.round(1 + 500 * noise(world.seed, 'bad-value', t)) }];
    default: {
      // "01", "04", "08" typed into a spreadsheet come back as 1, 4, 8
      const lost = ['1', '4', '8'][Math.floor(noise(world.seed, 'bad-code', t) * 3)] as string;
      return [{ metric: 'einvoice.issued', unit: lost, ts, value: 1000 }];
    }
  }
}

/** The history a fresh wall starts with: every unit's days from `from` up to its last reported day, as of now. */
export function historyPoints(world: World, from: number, now: number): IngestPoint[] {
  const points: IngestPoint[] = [];
  for (const unit of world.units.values()) {
    for (let day = dayStart(from); day <= lastReportedDay(unit, now); day += DAY_MS) points.push(...dayPoints(world, unit.code, day, now));
  }
  return latestPerSeriesTime(points);
}

/**
 * Several days of one quarter all report that quarter's running amount at the quarter's start: keep the latest,
 * since the API takes one value per (metric, unit, ts) in a batch. The agent's delivery.ts does the same over its
 * labeled points, keyed by @dxoc/contracts' pointKey: not shared, since k6 runs this file and it imports types only.
 */
export function latestPerSeriesTime(points: readonly IngestPoint[]): IngestPoint[] {
  const at = new Map<string, number>();
  const result: IngestPoint[] = [];
  for (const p of points) {
    const key = `${p.metric}\u0000${p.unit}\u0000${p.ts}`;
    const index = at.get(key);
    if (index === undefined) {
      at.set(key, result.length);
      result.push(p);
    } else {
      result[index] = p;
    }
  }
  return result;
}
