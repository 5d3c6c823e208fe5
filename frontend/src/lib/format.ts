/**
 * Number, date and duration formatting: Vietnamese first (vi-VN: "3.552", "10,7%"), English on request;
 * every time is shown in the backend's time zone (Asia/Ho_Chi_Minh by default, see time.ts) whatever the
 * screen's own time zone is. Pure functions.
 */
import { zoneOffsetMs } from '@dxoc/contracts';
import { timeZone } from './time';

export type Lang = 'vi' | 'en';

/** A time shifted to the backend zone's wall-clock time, to be read with the UTC getters. */
export function wallClock(t: number): Date {
  return new Date(t + zoneOffsetMs(t, timeZone()));
}

export function localeOf(lang: Lang): string {
  return lang === 'vi' ? 'vi-VN' : 'en-GB';
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(localeOf(lang), options);
    numberFormats.set(key, format);
  }
  return format;
}

/** 3552 → "3.552" (vi) / "3,552" (en). */
export function formatNumber(value: number | null | undefined, lang: Lang, decimals = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat(lang, { minimumFractionDigits: 0, maximumFractionDigits: decimals }).format(value);
}

/** A share held as 0–100: 10.7 → "10,7%" (vi) / "10.7%" (en). */
export function formatPercent(value: number | null | undefined, lang: Lang, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat(lang, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: decimals }).format(value / 100);
}

const SCALES: Array<{ at: number; vi: string; en: string }> = [
  { at: 1e9, vi: 'tỷ', en: 'bn' },
  { at: 1e6, vi: 'triệu', en: 'm' },
];

/** Large numbers for a wall read from across the room: 104000000 → "104 triệu" / "104m"; below a million as is. */
export function formatCompact(value: number | null | undefined, lang: Lang, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  for (const scale of SCALES) {
    if (abs >= scale.at) {
      const scaled = formatNumber(value / scale.at, lang, decimals);
      return lang === 'vi' ? `${scaled} ${scale.vi}` : `${scaled}${scale.en}`;
    }
  }
  return formatNumber(value, lang, abs < 100 ? decimals : 0);
}

export interface ValueKind {
  kind: 'gauge' | 'counter' | 'ratio';
}

/** A metric value in its own terms: ratios as percentages, the rest as numbers. */
export function formatValue(value: number | null | undefined, metric: ValueKind | undefined, lang: Lang, decimals?: number): string {
  if (metric?.kind === 'ratio') return formatPercent(value, lang, decimals ?? 1);
  return formatNumber(value, lang, decimals ?? (value !== null && value !== undefined && Math.abs(value) < 10 ? 2 : 0));
}

/** Signed change: "+1.352" / "−2,1 điểm %"; ratios change in percentage points. */
export function formatChange(delta: number | null, metric: ValueKind | undefined, lang: Lang, decimals = 1): string {
  if (delta === null || !Number.isFinite(delta)) return '—';
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  const abs = Math.abs(delta);
  if (metric?.kind === 'ratio') return `${sign}${formatNumber(abs, lang, decimals)} ${lang === 'vi' ? 'điểm %' : 'pp'}`;
  return `${sign}${formatCompact(abs, lang, decimals)}`;
}

function parts(ts: string | number | Date): Record<string, string> {
  const date = ts instanceof Date ? ts : new Date(ts);
  // shift to the zone's wall-clock time and read it as UTC: deterministic whatever the host's zone
  const shifted = wallClock(date.getTime());
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    year: String(shifted.getUTCFullYear()),
    month: pad(shifted.getUTCMonth() + 1),
    day: pad(shifted.getUTCDate()),
    hour: pad(shifted.getUTCHours()),
    minute: pad(shifted.getUTCMinutes()),
    second: pad(shifted.getUTCSeconds()),
    monthIndex: String(shifted.getUTCMonth()),
  };
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "22/11/2026" (vi) / "22 Nov 2026" (en), in Viet Nam time. */
export function formatDate(ts: string | number | Date | null | undefined, lang: Lang): string {
  if (ts === null || ts === undefined) return '—';
  const p = parts(ts);
  if (Number.isNaN(Number(p.year))) return '—';
  return lang === 'vi' ? `${p.day}/${p.month}/${p.year}` : `${Number(p.day)} ${EN_MONTHS[Number(p.monthIndex)]} ${p.year}`;
}

/** "22/11/2026 08:00" / "22 Nov 2026 08:00", in Viet Nam time. */
export function formatDateTime(ts: string | number | Date | null | undefined, lang: Lang): string {
  if (ts === null || ts === undefined) return '—';
  const p = parts(ts);
  if (Number.isNaN(Number(p.year))) return '—';
  return `${formatDate(ts, lang)} ${p.hour}:${p.minute}`;
}

/** "08:00:05" in Viet Nam time. */
export function formatClock(ts: string | number | Date, withSeconds = true): string {
  const p = parts(ts);
  return withSeconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
}

/** 93784 → "1 ngày 2 giờ" / "1 d 2 h": the two largest non-zero parts. */
export function formatDuration(seconds: number | null | undefined, lang: Lang): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const units: Array<[number, string, string]> = [
    [86400, 'ngày', 'd'],
    [3600, 'giờ', 'h'],
    [60, 'phút', 'min'],
    [1, 'giây', 's'],
  ];
  let rest = Math.max(0, Math.round(seconds));
  const out: string[] = [];
  for (const [size, vi, en] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 && out.length < 2) {
      out.push(`${formatNumber(count, lang)} ${lang === 'vi' ? vi : en}`);
      rest -= count * size;
    } else if (out.length > 0) break;
  }
  return out.length ? out.join(' ') : lang === 'vi' ? '0 giây' : '0 s';
}

/** "3 giờ trước" / "3 h ago". */
export function formatAgo(ts: string | number | Date, now: number, lang: Lang): string {
  const seconds = (now - new Date(ts).getTime()) / 1000;
  if (seconds < 60) return lang === 'vi' ? 'vừa xong' : 'just now';
  const text = formatDuration(seconds, lang);
  return lang === 'vi' ? `${text} trước` : `${text} ago`;
}

/**
 * Axis labels that stay distinct on a narrow range: 1.352.000.000–1.361.000.000 → "1,352 tỷ" … "1,361 tỷ",
 * not six times "1,4 tỷ". Returns a formatter for values in [min, max].
 */
export function axisFormatter(min: number, max: number, lang: Lang, percent = false): (value: number) => string {
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  const scale = percent ? null : (SCALES.find((s) => magnitude >= s.at) ?? null);
  const unit = scale ? scale.at : 1;
  const span = Math.abs(max - min) / unit;
  const decimals = span > 0 ? Math.max(0, Math.min(3, Math.ceil(Math.log10(5 / span)))) : 0;
  return (value: number) => {
    const text = formatNumber(value / unit, lang, decimals);
    if (percent) return `${text}%`;
    if (!scale) return text;
    return lang === 'vi' ? `${text} ${scale.vi}` : `${text}${scale.en}`;
  };
}
