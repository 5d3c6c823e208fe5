import { formatClock, formatDate, localeOf, wallClock, type Lang } from '../../lib/format';

export interface ChartContext {
  lang: Lang;
  /** 1 at 1920×1080, 2 at 3840×2160: every pixel size is multiplied by it */
  scale: number;
}

export const px = (value: number, scale: number) => Math.round(value * scale * 10) / 10;

/**
 * The smallest text a wall chart draws, at scale 1: 2 % of a 1080-pixel-high screen, like every text of the wall
 * (wall.css `--text-min`). The console's compact charts may be smaller; nothing on the wall is.
 */
export const WALL_MIN_TEXT = 22;

/**
 * The smallest font size an ECharts option asks for, defaults included (ECharts writes 12 px where no size is
 * given; null when the option draws no text): the wall's charts report it on their element (`data-min-font`) and the legibility test reads it there,
 * since what a canvas draws is not in the DOM.
 */
export function smallestFontSize(option: unknown): number | null {
  let smallest = Infinity;
  const globalSize = (option as { textStyle?: { fontSize?: unknown } } | null)?.textStyle?.fontSize;
  const fallback = typeof globalSize === 'number' ? globalSize : 12;
  const seen = new Set<unknown>();
  const visit = (node: unknown, key: string | null): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      // a series' points (numbers, [t, v] pairs) hold no text: a live chart's option is walked every few seconds
      if (node.length && (typeof node[0] !== 'object' || Array.isArray(node[0]))) return;
      for (const item of node) visit(item, key);
      return;
    }
    const record = node as Record<string, unknown>;
    // a text that is shown with no size of its own falls back to the global size
    const isText = key !== null && /^(label|axisLabel|textStyle|title|legend)$/.test(key) && record.show !== false;
    if (typeof record.fontSize === 'number') smallest = Math.min(smallest, record.fontSize);
    else if (isText && key !== 'title' && key !== 'legend') smallest = Math.min(smallest, fallback);
    for (const [childKey, child] of Object.entries(record)) if (typeof child === 'object') visit(child, childKey);
  };
  visit(option, null);
  return Number.isFinite(smallest) ? smallest : null;
}

/** Axis label for a time in Viet Nam: hours for short spans, days, then months. */
export function timeLabel(t: number, spanMs: number, lang: Lang): string {
  if (spanMs <= 2 * 86_400_000) return formatClock(t, false);
  const date = formatDate(t, lang);
  if (spanMs <= 400 * 86_400_000) return lang === 'vi' ? date.slice(0, 5) : date.replace(/ \d{4}$/, '');
  const local = wallClock(t);
  return `${String(local.getUTCMonth() + 1).padStart(2, '0')}/${local.getUTCFullYear()}`;
}

const AXIS_SCALES: Array<{ at: number; vi: string; en: string }> = [
  { at: 1e9, vi: 'tỷ', en: 'bn' },
  { at: 1e6, vi: 'triệu', en: 'm' },
];

export interface ValueAxis {
  min: number;
  max: number;
  interval: number;
  /** every tick from min to max */
  ticks: number[];
  /** one label per tick: the same number of decimals on all, enough for the interval, so no two read the same */
  label: (value: number) => string;
}

/** The fewest decimals that write x exactly (up to 10). */
function decimalsOf(x: number): number {
  for (let d = 0; d < 10; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, Math.abs(scaled))) return d;
  }
  return 10;
}

/**
 * A value axis chosen here rather than by ECharts: nice bounds and interval (1, 2, 2.5, 5 × 10ⁿ) around the data,
 * and labels written with the decimals the interval needs in the unit shown ("3,045 tỷ", "3,050 tỷ" — never
 * "3,05 tỷ" twice). Pure, so its label set is tested; null without data.
 */
export function valueAxis(dataMin: number, dataMax: number, lang: Lang, percent: boolean, splitNumber = 4): ValueAxis | null {
  if (!Number.isFinite(dataMin) || !Number.isFinite(dataMax)) return null;
  let lo = Math.min(dataMin, dataMax);
  let hi = Math.max(dataMin, dataMax);
  if (hi - lo < Math.abs(hi) * 1e-4 || hi === lo) {
    // a flat line (or one whose changes are below what a label can show): a band around it
    const pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.02 : 1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / splitNumber;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / magnitude;
  const nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
  const interval = nice * magnitude;
  let min = Math.floor(lo / interval + 1e-9) * interval;
  const max = Math.ceil(hi / interval - 1e-9) * interval;
  // shares and counts that cannot be negative do not get a negative axis
  if (lo >= 0 && min < 0) min = 0;
  const steps = Math.round((max - min) / interval);
  const ticks = Array.from({ length: steps + 1 }, (_, k) => Number((min + k * interval).toPrecision(12)));
  const top = Math.max(Math.abs(min), Math.abs(max));
  const scale = percent ? null : (AXIS_SCALES.find((s) => top >= s.at) ?? null);
  const unit = scale ? scale.at : 1;
  const decimals = decimalsOf(Number((interval / unit).toPrecision(12)));
  const format = new Intl.NumberFormat(localeOf(lang), { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  const label = (value: number) => {
    const text = format.format(value / unit);
    if (percent) return `${text}%`;
    if (!scale) return text;
    return lang === 'vi' ? `${text} ${scale.vi}` : `${text}${scale.en}`;
  };
  return { min: ticks[0]!, max: ticks[ticks.length - 1]!, interval, ticks, label };
}

export type RefLabelPosition = 'insideEndTop' | 'insideEndBottom' | 'insideStartTop' | 'insideStartBottom';

/**
 * Where the labels of reference lines (targets, thresholds) go so that they do not cover each other: targets at the
 * start of the line, thresholds at its end; two lines closer than a label's height (a share of the axis) on the same
 * side put the second label under its line.
 */
export function refLabelPositions(refs: Array<{ value: number; kind: 'target' | 'threshold' }>, axisSpan: number): RefLabelPosition[] {
  const near = Math.abs(axisSpan) * 0.1;
  const positions: RefLabelPosition[] = refs.map((r) => (r.kind === 'target' ? 'insideStartTop' : 'insideEndTop'));
  for (const kind of ['target', 'threshold'] as const) {
    const [side, other] = kind === 'target' ? (['insideStart', 'insideEnd'] as const) : (['insideEnd', 'insideStart'] as const);
    const order = refs
      .map((r, i) => ({ value: r.value, i }))
      .filter((r) => refs[r.i]!.kind === kind)
      .sort((a, b) => a.value - b.value);
    // chains of lines closer than a label's height: the lowest labelled under it, the highest over it, the ones
    // between at the other end of their line
    let chain: typeof order = [];
    const close = () => {
      if (chain.length > 1) {
        positions[chain[0]!.i] = `${side}Bottom`;
        positions[chain[chain.length - 1]!.i] = `${side}Top`;
        for (const middle of chain.slice(1, -1)) positions[middle.i] = `${other}Top`;
      }
      chain = [];
    };
    for (const ref of order) {
      if (chain.length && ref.value - chain[chain.length - 1]!.value >= near) close();
      chain.push(ref);
    }
    close();
  }
  return positions;
}
