/**
 * Directives (chỉ đạo, yêu cầu giải trình) on the screen: the unit picker's options, the list's filters, state and
 * outcome labels, what is overdue and who has the most of it, the attachment check. The rules themselves (who may do
 * what, when a directive is overdue) are the backend's; this words and orders its answers. Pure.
 */
import type { Lang } from './format';

/** "Hà Nội" → "ha noi": search without diacritics or case (đ is not a combining mark). */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().trim();
}

export interface PickableUnit {
  code: string;
  nameVi: string;
  nameEn: string;
  kind: string;
  validUntil: string | null;
}

export interface UnitOption {
  code: string;
  label: string;
  kind: string;
}

/**
 * The units a directive may be sent to, matching a search ("ha noi", "79", "bo xay"): units in force only, provinces
 * before ministries, by name; an operator's list holds only its own unit. Already chosen units are left out.
 */
export function unitOptions(
  units: readonly PickableUnit[],
  query: string,
  lang: Lang,
  options: { onlyUnit?: string | null; exclude?: readonly string[] } = {},
): UnitOption[] {
  const words = foldText(query).split(/\s+/).filter(Boolean);
  const exclude = new Set(options.exclude ?? []);
  const order: Record<string, number> = { province: 0, ministry: 1, nation: 2 };
  return units
    .filter((u) => u.validUntil === null && !exclude.has(u.code) && (!options.onlyUnit || u.code === options.onlyUnit))
    .filter((u) => {
      if (!words.length) return true;
      const haystack = `${foldText(u.nameVi)} ${foldText(u.nameEn)} ${u.code.toLowerCase()}`;
      return words.every((w) => haystack.includes(w));
    })
    .map((u) => ({ code: u.code, label: `${lang === 'vi' ? u.nameVi : u.nameEn} (${u.code})`, kind: u.kind }))
    .sort((a, b) => (order[a.kind] ?? 3) - (order[b.kind] ?? 3) || a.label.localeCompare(b.label, lang === 'vi' ? 'vi' : 'en'));
}

/** Whole days a due date (YYYY-MM-DD, Viet Nam calendar) is past `today` (YYYY-MM-DD): 0 on the day itself. */
export function daysPastDue(dueDate: string, today: string): number {
  const day = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.max(0, Math.round((day(today) - day(dueDate)) / 86_400_000));
}

export interface OverdueUnit {
  unit: string;
  overdue: number;
  oldest: { directiveId: number; titleVi: string; titleEn: string | null; dueDate: string };
}

/** Most overdue directives first, then the oldest due date, then the unit code. */
export function sortOverdue<T extends OverdueUnit>(units: readonly T[], only?: readonly string[] | null): T[] {
  const keep = only ? new Set(only) : null;
  return units
    .filter((u) => !keep || keep.has(u.unit))
    .sort((a, b) => b.overdue - a.overdue || a.oldest.dueDate.localeCompare(b.oldest.dueDate) || a.unit.localeCompare(b.unit));
}

/** The oldest directive's title in the language shown (Vietnamese when it has no English one). */
export function directiveTitle(d: { titleVi: string; titleEn: string | null }, lang: Lang): string {
  return lang === 'en' && d.titleEn ? d.titleEn : d.titleVi;
}

// ---- the console's "Chỉ đạo" page ----

type Pick2 = readonly [vi: string, en: string];
const pick = (lang: Lang, [vi, en]: Pick2) => (lang === 'vi' ? vi : en);

const STATE_WORDS: Record<string, Pick2> = {
  open: ['Chờ giải trình', 'Awaiting answer'],
  answered: ['Đã giải trình', 'Answered'],
  returned: ['Yêu cầu bổ sung', 'Sent back'],
  closed: ['Đã kết thúc', 'Closed'],
  withdrawn: ['Đã thu hồi', 'Withdrawn'],
};
const OUTCOME_WORDS: Record<string, Pick2> = {
  resolved: ['Đã khắc phục', 'Resolved'],
  accepted_with_conditions: ['Chấp nhận có điều kiện', 'Accepted with conditions'],
  escalated: ['Chuyển cấp trên xử lý', 'Escalated'],
};
const EVENT_WORDS: Record<string, Pick2> = {
  issued: ['Ban hành chỉ đạo', 'Issued'],
  answered: ['Gửi giải trình', 'Answered'],
  attachment: ['Đính kèm tệp', 'File attached'],
  returned: ['Yêu cầu bổ sung', 'Sent back'],
  closed: ['Kết thúc', 'Closed'],
  withdrawn: ['Thu hồi chỉ đạo', 'Withdrawn'],
};

/** An assignment's state in words ("Chờ giải trình"); an unknown state (a newer server) as sent. */
export function stateLabel(state: string, lang: Lang): string {
  const words = STATE_WORDS[state];
  return words ? pick(lang, words) : state;
}
export function outcomeLabel(outcome: string, lang: Lang): string {
  const words = OUTCOME_WORDS[outcome];
  return words ? pick(lang, words) : outcome;
}
export function eventLabel(kind: string, lang: Lang): string {
  const words = EVENT_WORDS[kind];
  return words ? pick(lang, words) : kind;
}

/** A history step's text: a closing's is "<outcome>[: comment]" (the backend's words), shown with the outcome in words. */
export function historyText(kind: string, text: string | null, lang: Lang): string {
  if (!text) return '';
  if (kind !== 'closed') return text;
  const colon = text.indexOf(':');
  const code = colon < 0 ? text : text.slice(0, colon);
  if (!OUTCOME_WORDS[code]) return text;
  return colon < 0 ? outcomeLabel(code, lang) : `${outcomeLabel(code, lang)}:${text.slice(colon + 1)}`;
}

/** Today's date (YYYY-MM-DD) on the calendar of `timeZone` (Viet Nam's: due dates are Viet Nam dates). */
export function localToday(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A calendar date `days` later (or earlier): 2026-12-30 + 7 → 2027-01-06. */
export function addDays(day: string, days: number): string {
  const t = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export interface DirectiveFilters {
  unit: string;
  state: string;
  dueAfter: string;
  dueBefore: string;
  overdue: boolean;
}
export const NO_FILTERS: DirectiveFilters = { unit: '', state: '', dueAfter: '', dueBefore: '', overdue: false };

/**
 * The list's filters as GET /api/v1/directives's query: empty fields left out, `overdue=true` only when asked (the
 * API reads 'false' as "no filter" too, but a short address is easier to read), `before` for the next page.
 */
export function directivesQuery(filters: DirectiveFilters, before?: number | null, limit = 50): Record<string, string | number> {
  const query: Record<string, string | number> = { limit };
  if (filters.unit) query.unit = filters.unit;
  if (filters.state) query.state = filters.state;
  if (/^\d{4}-\d{2}-\d{2}$/.test(filters.dueAfter)) query.dueAfter = filters.dueAfter;
  if (/^\d{4}-\d{2}-\d{2}$/.test(filters.dueBefore)) query.dueBefore = filters.dueBefore;
  if (filters.overdue) query.overdue = 'true';
  if (before) query.before = before;
  return query;
}

/** What prompted a directive, as the issue form holds it (ids and codes as text until sent). */
export type DraftSource =
  | { kind: 'none' }
  | { kind: 'alert'; alertId: number; metric?: string }
  | { kind: 'target'; targetId: number; metric: string }
  | { kind: 'late_report'; metric: string };

export interface DirectiveDraft {
  titleVi: string;
  titleEn: string;
  textVi: string;
  textEn: string;
  units: string[];
  dueDate: string;
  source: DraftSource;
}

const DEFAULT_TEXT: Pick2 = [
  'Đề nghị đơn vị giải trình nguyên nhân, biện pháp khắc phục và thời hạn hoàn thành.',
  'The unit is asked to explain the cause, the corrective measures and when they will be completed.',
];

/** Where "Yêu cầu giải trình" comes from: a firing alert, a target at risk, a late reporter. */
export type AskFrom =
  | { kind: 'alert'; alertId: number; unit: string; metric: string; title: string; titleEn?: string }
  | { kind: 'target'; targetId: number; unit: string; metric: string; title: string; titleEn?: string }
  | { kind: 'late_report'; unit: string; metric: string | null; title: string; titleEn?: string };

/** The console address of the issue form prefilled from what prompted it (/console/directives/new?…). */
export function askToExplainPath(from: AskFrom): string {
  const params = new URLSearchParams();
  params.set('from', from.kind);
  if (from.kind === 'alert') params.set('alertId', String(from.alertId));
  if (from.kind === 'target') params.set('targetId', String(from.targetId));
  params.set('unit', from.unit);
  if (from.metric) params.set('metric', from.metric);
  params.set('title', from.title);
  if (from.titleEn) params.set('titleEn', from.titleEn);
  return `/console/directives/new?${params.toString()}`;
}

const positiveInt = (text: string | null): number | null => (text && /^[1-9]\d{0,14}$/.test(text) ? Number(text) : null);
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The issue form's first contents from its address (see askToExplainPath): the unit, the link to what prompted it,
 * a title "Giải trình: <what>", the standard request text, due in 7 days. Anything malformed is left out.
 */
export function draftFromSearch(search: string, today: string): DirectiveDraft {
  const params = new URLSearchParams(search);
  const unit = params.get('unit');
  const metric = params.get('metric') || null;
  const title = params.get('title')?.trim() ?? '';
  const titleEn = params.get('titleEn')?.trim() ?? '';
  const from = params.get('from') ?? (params.has('alertId') ? 'alert' : null);
  let source: DraftSource = { kind: 'none' };
  const alertId = positiveInt(params.get('alertId'));
  const targetId = positiveInt(params.get('targetId'));
  if (from === 'alert' && alertId) source = metric ? { kind: 'alert', alertId, metric } : { kind: 'alert', alertId };
  else if (from === 'target' && targetId && metric) source = { kind: 'target', targetId, metric };
  else if (from === 'late_report' && metric) source = { kind: 'late_report', metric };
  return {
    titleVi: title ? clip(`Giải trình: ${title}`, 300) : '',
    titleEn: titleEn ? clip(`Explain: ${titleEn}`, 300) : '',
    textVi: source.kind === 'none' && !unit ? '' : DEFAULT_TEXT[0],
    textEn: source.kind === 'none' && !unit ? '' : DEFAULT_TEXT[1],
    units: unit && /^[A-Z0-9]{2,16}$/.test(unit) ? [unit] : [],
    dueDate: addDays(today, 7),
    source,
  };
}

/** The form → POST /api/v1/directives's body: empty English left out, the source as the contract has it. */
export function draftToInput(draft: DirectiveDraft) {
  const source =
    draft.source.kind === 'alert'
      ? { kind: 'alert' as const, alertId: draft.source.alertId }
      : draft.source.kind === 'target'
        ? { kind: 'target' as const, targetId: draft.source.targetId, metric: draft.source.metric }
        : draft.source.kind === 'late_report'
          ? { kind: 'late_report' as const, metric: draft.source.metric }
          : { kind: 'none' as const };
  return {
    titleVi: draft.titleVi.trim(),
    ...(draft.titleEn.trim() ? { titleEn: draft.titleEn.trim() } : {}),
    textVi: draft.textVi.trim(),
    ...(draft.textEn.trim() ? { textEn: draft.textEn.trim() } : {}),
    units: draft.units,
    dueDate: draft.dueDate,
    source,
  };
}

/** The media type of a chosen file by its name when the browser gives none; null: not one the API takes. */
export function attachmentType(fileName: string, declared: string): 'application/pdf' | 'image/png' | 'image/jpeg' | null {
  if (declared === 'application/pdf' || declared === 'image/png' || declared === 'image/jpeg') return declared;
  const ext = fileName.toLowerCase().split('.').pop();
  if (ext === 'pdf') return 'application/pdf';
  if (ext === 'png') return 'image/png';
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg';
  return null;
}

/** "1,5 MB" */
export function fileSize(bytes: number, lang: Lang): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: i ? 1 : 0 }).format(value)} ${units[i]}`;
}

/** An attachment refused by the API, in words: 413 too large, 415 not a PDF, PNG or JPEG (by its content). */
export function attachmentErrorText(status: number, message: string, lang: Lang): string {
  if (status === 413) {
    const limit = /(\d+)\s*bytes/.exec(message);
    const max = limit ? ` (${pick(lang, ['tối đa', 'at most'])} ${fileSize(Number(limit[1]), lang)})` : '';
    return pick(lang, [`Tệp quá lớn${max}`, `The file is too large${max}`]);
  }
  if (status === 415)
    return pick(lang, [
      'Tệp không phải PDF, PNG hoặc JPEG (kiểm tra theo nội dung tệp, không theo tên)',
      'The file is not a PDF, PNG or JPEG (checked by its content, not its name)',
    ]);
  return message;
}
