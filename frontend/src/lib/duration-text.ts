/**
 * Durations and aggregations in words for the console ("1d" → "1 ngày" / "1 day"): the codes themselves
 * (units, parsing, aggregations) live once in @dxoc/contracts; only their words are here. Pure.
 */
import { parseDuration, type Aggregation, type DurationUnit } from '@dxoc/contracts';
import { formatNumber, type Lang } from './format';

const UNIT_WORDS: Record<DurationUnit, readonly [vi: string, en: string, enPlural: string]> = {
  s: ['giây', 'second', 'seconds'],
  m: ['phút', 'minute', 'minutes'],
  h: ['giờ', 'hour', 'hours'],
  d: ['ngày', 'day', 'days'],
  w: ['tuần', 'week', 'weeks'],
  mo: ['tháng', 'month', 'months'],
  y: ['năm', 'year', 'years'],
};

/** "15m" → "15 phút" / "15 minutes"; text that is not a duration comes back as it was. */
export function durationText(text: string, lang: Lang): string {
  const duration = parseDuration(text);
  if (!duration) return text;
  const [vi, en, enPlural] = UNIT_WORDS[duration.unit];
  const count = formatNumber(duration.count, lang, 0);
  return lang === 'vi' ? `${count} ${vi}` : `${count} ${duration.count === 1 ? en : enPlural}`;
}

const AGG_WORDS: Record<Aggregation, readonly [vi: string, en: string]> = {
  avg: ['Trung bình', 'Average'],
  sum: ['Tổng', 'Sum'],
  min: ['Nhỏ nhất', 'Minimum'],
  max: ['Lớn nhất', 'Maximum'],
  last: ['Giá trị cuối kỳ', 'Last value'],
};

export function aggregationText(agg: Aggregation, lang: Lang): string {
  const [vi, en] = AGG_WORDS[agg];
  return lang === 'vi' ? vi : en;
}
