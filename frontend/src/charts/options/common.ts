import { formatClock, formatDate, wallClock, type Lang } from '../../lib/format';

export interface ChartContext {
  lang: Lang;
  /** 1 at 1920×1080, 2 at 3840×2160: every pixel size is multiplied by it */
  scale: number;
}

export const px = (value: number, scale: number) => Math.round(value * scale * 10) / 10;

/** Axis label for a time in Viet Nam: hours for short spans, days, then months. */
export function timeLabel(t: number, spanMs: number, lang: Lang): string {
  if (spanMs <= 2 * 86_400_000) return formatClock(t, false);
  const date = formatDate(t, lang);
  if (spanMs <= 400 * 86_400_000) return lang === 'vi' ? date.slice(0, 5) : date.replace(/ \d{4}$/, '');
  const local = wallClock(t);
  return `${String(local.getUTCMonth() + 1).padStart(2, '0')}/${local.getUTCFullYear()}`;
}
