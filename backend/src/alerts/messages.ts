/** Alert messages: the rule's Vietnamese and English templates with their placeholders filled in. */

export const PLACEHOLDERS = ['unit', 'unitName', 'metric', 'metricName', 'value', 'threshold', 'since'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER_PATTERN = /\{([A-Za-z_]+)\}/g;

/** Placeholders a template uses that do not exist (a typo would otherwise reach the wall as "{unitname}"). */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  return [...template.matchAll(PLACEHOLDER_PATTERN)].map((m) => m[1] as string).filter((name) => !known.has(name));
}

export interface MessageContext {
  unit: string;
  unitNameVi: string;
  unitNameEn: string;
  metric: string;
  metricNameVi: string;
  metricNameEn: string;
  value: number | null;
  /** a number (threshold, percent, target value), or text (a no-data duration) */
  threshold: number | string | null;
  since: Date | null;
  timezone: string;
}

const numberFormats = {
  vi: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en', { maximumFractionDigits: 2 }),
};

function formatNumber(value: number, locale: 'vi' | 'en'): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  return numberFormats[locale].format(value);
}

/** vi: "08:00 22/11/2026", en: "22 Nov 2026, 08:00", in the configured time zone. */
function formatTime(at: Date, locale: 'vi' | 'en', timezone: string): string {
  const options: Intl.DateTimeFormatOptions = { timeZone: timezone, year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return locale === 'vi'
    ? new Intl.DateTimeFormat('vi-VN', { ...options, day: '2-digit', month: '2-digit' }).format(at)
    : new Intl.DateTimeFormat('en-GB', { ...options, day: 'numeric', month: 'short' }).format(at);
}

export function renderMessage(template: string, context: MessageContext, locale: 'vi' | 'en'): string {
  const values: Record<Placeholder, string> = {
    unit: context.unit,
    unitName: locale === 'vi' ? context.unitNameVi : context.unitNameEn,
    metric: context.metric,
    metricName: locale === 'vi' ? context.metricNameVi : context.metricNameEn,
    value: context.value === null ? '—' : formatNumber(context.value, locale),
    threshold:
      context.threshold === null
        ? '—'
        : typeof context.threshold === 'number'
          ? formatNumber(context.threshold, locale)
          : context.threshold,
    since: context.since === null ? '—' : formatTime(context.since, locale, context.timezone),
  };
  return template.replace(PLACEHOLDER_PATTERN, (whole, name: string) => (name in values ? values[name as Placeholder] : whole));
}
