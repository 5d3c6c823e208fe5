/**
 * The weekly report's words: figures → title and blocks in Vietnamese or English, numbers and dates in the
 * language's convention (vi-VN "3.552", "92,5 %"; dates in the configured zone). Pure: drawing is pdf-renderer.ts.
 */
import type { ReportLang, WeekChange, WeeklyReportFigures } from '@dxoc/contracts';
import { REPORT_FONT_FAMILY, type ReportBlock } from './pdf-renderer';
import { rankingChartOption } from './report-charts';

const LOCALE: Record<ReportLang, string> = { vi: 'vi-VN', en: 'en-GB' };

const STATUS: Record<ReportLang, Record<string, string>> = {
  vi: {
    missed: 'không đạt',
    at_risk: 'có nguy cơ không đạt',
    cannot_assess: 'chưa đủ dữ liệu để đánh giá',
    on_track: 'đúng tiến độ',
    met_late: 'đạt muộn',
    met_on_time: 'đạt đúng hạn',
  },
  en: {
    missed: 'missed',
    at_risk: 'at risk',
    cannot_assess: 'cannot assess',
    on_track: 'on track',
    met_late: 'met late',
    met_on_time: 'met on time',
  },
};

const T = {
  vi: {
    title: (from: string, to: string) => `Báo cáo tuần ${from} – ${to}`,
    subtitle: (zone: string, at: string) =>
      `Ủy ban Quốc gia về chuyển đổi số. Tuần từ thứ Hai đến Chủ nhật, giờ Việt Nam (${zone}). Lập lúc ${at}.`,
    headline: '1. Chỉ tiêu chính (toàn quốc)',
    noValue: 'chưa có số liệu',
    weekTotal: 'tổng trong tuần',
    atEnd: 'cuối tuần',
    lastWeek: 'tuần trước',
    targets: '2. Mục tiêu: tình trạng và dự báo',
    noTargets: 'Chưa có mục tiêu nào.',
    target: 'Mục tiêu',
    by: 'trước',
    latest: 'hiện tại',
    projected: 'dự báo tại hạn',
    rankings: '3. Xếp hạng',
    provinces: 'tỉnh, thành phố',
    ministries: 'bộ, cơ quan',
    rankingOf: (metric: string, kind: string) => `${metric} — xếp hạng ${kind}`,
    noRanking: 'Chưa có số liệu để xếp hạng.',
    up: (n: number) => `tăng ${n} bậc`,
    down: (n: number) => `giảm ${n} bậc`,
    same: 'giữ nguyên',
    new: 'mới',
    late: '4. Đơn vị báo cáo chậm',
    noLate: 'Không có đơn vị nào báo cáo chậm.',
    behind: (n: number) => `chậm ${n} kỳ`,
    neverList: (n: number) => `Chưa từng báo cáo (${n} đơn vị)`,
    since: 'từ',
    more: (n: number) => `… và ${n} đơn vị khác`,
    alerts: '5. Cảnh báo',
    alertCounts: (f: number, a: number, r: number, o: number) =>
      `Phát sinh trong tuần: ${f} · Đã xác nhận: ${a} · Đã kết thúc: ${r} · Còn mở cuối tuần: ${o}`,
    severity: { critical: 'nghiêm trọng', warning: 'cảnh báo', info: 'thông tin' } as Record<string, string>,
    directives: '6. Chỉ đạo, yêu cầu giải trình',
    directiveCounts: (i: number, u: number, a: number, c: number, o: number) =>
      `Ban hành trong tuần: ${i} (gửi ${u} đơn vị) · Đã giải trình: ${a} · Đã đóng: ${c} · Quá hạn cuối tuần: ${o}`,
    due: 'hạn',
  },
  en: {
    title: (from: string, to: string) => `Weekly report ${from} – ${to}`,
    subtitle: (zone: string, at: string) =>
      `National Committee on Digital Transformation. Week from Monday to Sunday, Viet Nam time (${zone}). Generated ${at}.`,
    headline: '1. Headline indicators (nationwide)',
    noValue: 'no data',
    weekTotal: 'week total',
    atEnd: 'end of week',
    lastWeek: 'last week',
    targets: '2. Targets: status and projection',
    noTargets: 'No targets yet.',
    target: 'Target',
    by: 'by',
    latest: 'latest',
    projected: 'projected at deadline',
    rankings: '3. Rankings',
    provinces: 'provinces',
    ministries: 'ministries',
    rankingOf: (metric: string, kind: string) => `${metric} — ${kind} ranked`,
    noRanking: 'No figures to rank yet.',
    up: (n: number) => `up ${n}`,
    down: (n: number) => `down ${n}`,
    same: 'unchanged',
    new: 'new',
    late: '4. Late reporters',
    noLate: 'No unit is late.',
    behind: (n: number) => `${n} period${n === 1 ? '' : 's'} behind`,
    neverList: (n: number) => `Never reported (${n} units)`,
    since: 'since',
    more: (n: number) => `… and ${n} more units`,
    alerts: '5. Alerts',
    alertCounts: (f: number, a: number, r: number, o: number) =>
      `Fired in the week: ${f} · Acknowledged: ${a} · Resolved: ${r} · Open at the end of the week: ${o}`,
    severity: { critical: 'critical', warning: 'warning', info: 'info' } as Record<string, string>,
    directives: '6. Directives (explanation requests)',
    directiveCounts: (i: number, u: number, a: number, c: number, o: number) =>
      `Issued in the week: ${i} (to ${u} units) · Answered: ${a} · Closed: ${c} · Overdue at the end of the week: ${o}`,
    due: 'due',
  },
};

const LATE_LIMIT = 30;

export function formatNumber(value: number, lang: ReportLang, maxDecimals = 2): string {
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: maxDecimals }).format(value);
}

/** "30/11/2026" (vi) or "30 Nov 2026" (en) of a YYYY-MM-DD local day. */
export function formatDay(day: string, lang: ReportLang): string {
  const [y, m, d] = day.split('-');
  if (lang === 'vi') return `${d}/${m}/${y}`;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

function formatInstant(at: Date | string, lang: ReportLang, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE[lang], {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
}

/** "dịch vụ/services" → "dịch vụ" (vi) or "services" (en); "%" stays. */
function unitWord(unitOfMeasure: string, lang: ReportLang): string {
  const parts = unitOfMeasure.split('/');
  return parts.length === 2 ? (lang === 'vi' ? parts[0] : parts[1])!.trim() : unitOfMeasure;
}

function withUnit(value: number, unitOfMeasure: string, lang: ReportLang): string {
  const word = unitWord(unitOfMeasure, lang);
  if (word === '') return formatNumber(value, lang);
  return word === '%' ? `${formatNumber(value, lang)} %` : `${formatNumber(value, lang)} ${word}`;
}

function signed(value: number, lang: ReportLang, suffix = '', digits = 1): string {
  const text = formatNumber(Math.abs(value), lang, digits);
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${text}${suffix}`;
}

/**
 * One decimal, except for a change under 1 % that is not nil: two significant digits, so 20.123 more records on
 * 105,7 million reads "+0,019 %" rather than a "+0 %" that says nothing moved.
 */
function percentDigits(percent: number): number {
  const size = Math.abs(percent);
  if (size >= 1 || size === 0) return 1;
  return Math.min(4, Math.ceil(-Math.log10(size)) + 1);
}

function changeText(change: WeekChange, unitOfMeasure: string, lang: ReportLang): string {
  const t = T[lang];
  if (change.current === null) return t.noValue;
  const head = withUnit(change.current, unitOfMeasure, lang);
  if (change.previous === null || change.delta === null) return `${head} (${t.lastWeek}: ${t.noValue})`;
  const percent = change.percent === null ? '' : `, ${signed(change.percent, lang, ' %', percentDigits(change.percent))}`;
  const unit = unitWord(unitOfMeasure, lang) === '%' ? ` ${lang === 'vi' ? 'điểm %' : 'points'}` : '';
  return `${head} (${t.lastWeek}: ${formatNumber(change.previous, lang)}; ${signed(change.delta, lang)}${unit}${percent})`;
}

function rankChangeText(change: number | null, lang: ReportLang): string {
  const t = T[lang];
  if (change === null) return t.new;
  return change > 0 ? t.up(change) : change < 0 ? t.down(-change) : t.same;
}

/** "Báo cáo tuần 23/11/2026 – 29/11/2026" / "Weekly report 23 Nov 2026 – 29 Nov 2026" of the week starting `weekStart`. */
export function reportTitle(weekStart: string, lang: ReportLang): string {
  const sunday = new Date(Date.parse(`${weekStart}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
  return T[lang].title(formatDay(weekStart, lang), formatDay(sunday, lang));
}

/** The report's title and blocks for one language. */
export function reportDocument(
  figures: WeeklyReportFigures,
  lang: ReportLang,
  generatedAt: Date,
): { title: string; blocks: ReportBlock[] } {
  const t = T[lang];
  const name = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const blocks: ReportBlock[] = [];
  const p = (text: string) => blocks.push({ kind: 'paragraph', text });
  const h = (text: string) => blocks.push({ kind: 'heading', text });

  const title = reportTitle(figures.weekStart, lang);
  p(t.subtitle(figures.timeZone, formatInstant(generatedAt, lang, figures.timeZone)));

  h(t.headline);
  for (const row of figures.headline) {
    const basis = row.basis === 'sum' ? t.weekTotal : t.atEnd;
    p(`${name(row.nameVi, row.nameEn)} (${basis}): ${changeText(row.change, row.unitOfMeasure, lang)}`);
  }

  h(t.targets);
  if (figures.targets.length === 0) p(t.noTargets);
  for (const row of figures.targets) {
    const parts = [
      `${t.target} ${row.comparator === '>=' ? '≥' : '≤'} ${withUnit(row.value, row.unitOfMeasure, lang)} ${t.by} ${formatDay(row.deadline, lang)}`,
      `${t.latest}: ${row.latest === null ? t.noValue : withUnit(row.latest, row.unitOfMeasure, lang)}`,
    ];
    if (row.projected !== null) parts.push(`${t.projected}: ${withUnit(Math.round(row.projected * 10) / 10, row.unitOfMeasure, lang)}`);
    p(
      `${name(row.metricNameVi, row.metricNameEn)} — ${name(row.unitNameVi, row.unitNameEn)}: ${STATUS[lang][row.status]}. ${parts.join('; ')}.`,
    );
  }

  h(t.rankings);
  for (const ranking of figures.rankings) {
    const kind = ranking.unitKind === 'province' ? t.provinces : t.ministries;
    const heading = t.rankingOf(name(ranking.metricNameVi, ranking.metricNameEn), kind);
    if (ranking.rows.length === 0) {
      p(`${heading}: ${t.noRanking}`);
      continue;
    }
    const names = new Map(ranking.rows.map((r) => [r.unit, name(r.nameVi, r.nameEn)]));
    const previous = new Map(ranking.rows.filter((r) => r.previousValue !== null).map((r) => [r.unit, r.previousValue as number]));
    blocks.push({
      kind: 'chart',
      option: rankingChartOption(heading, ranking.rows, previous, (code) => names.get(code) ?? code, lang, REPORT_FONT_FAMILY),
      width: 500,
      height: 90 + 24 * Math.min(ranking.rows.length, 10),
    });
    for (const row of ranking.rows) {
      p(`${row.rank}. ${name(row.nameVi, row.nameEn)}: ${formatNumber(row.value, lang, 1)} (${rankChangeText(row.rankChange, lang)})`);
    }
  }

  h(t.late);
  if (figures.lateReporters.length === 0) p(t.noLate);
  const late = figures.lateReporters.filter((row) => row.status === 'late');
  for (const row of late.slice(0, LATE_LIMIT)) {
    const since = row.lateSince ? ` ${t.since} ${formatInstant(row.lateSince, lang, figures.timeZone)}` : '';
    p(`${name(row.nameVi, row.nameEn)}: ${t.behind(row.periodsBehind ?? 0)}${row.worstMetric ? ` (${row.worstMetric})` : ''}${since}`);
  }
  if (late.length > LATE_LIMIT) p(t.more(late.length - LATE_LIMIT));
  // units that never sent anything are usually not connected yet: one line of names, not a line each
  const never = figures.lateReporters.filter((row) => row.status === 'never');
  if (never.length > 0) p(`${t.neverList(never.length)}: ${never.map((row) => name(row.nameVi, row.nameEn)).join(', ')}.`);

  h(t.alerts);
  const a = figures.alerts;
  p(t.alertCounts(a.fired, a.acknowledged, a.resolved, a.openAtEnd));
  for (const alert of a.open) {
    const since = alert.firingSince ? ` (${t.since} ${formatInstant(alert.firingSince, lang, figures.timeZone)})` : '';
    p(`[${t.severity[alert.severity] ?? alert.severity}] ${name(alert.messageVi, alert.messageEn)}${since}`);
  }
  if (a.openAtEnd > a.open.length) p(t.more(a.openAtEnd - a.open.length));

  h(t.directives);
  const d = figures.directives;
  p(t.directiveCounts(d.issued, d.assignmentsIssued, d.answered, d.closed, d.overdueAtEnd));
  for (const row of d.overdue) {
    p(
      `${name(row.unitNameVi, row.unitNameEn)}: ${lang === 'en' && row.titleEn ? row.titleEn : row.titleVi} (${t.due} ${formatDay(row.dueDate, lang)})`,
    );
  }
  if (d.overdueAtEnd > d.overdue.length) p(t.more(d.overdueAtEnd - d.overdue.length));
  return { title, blocks };
}
