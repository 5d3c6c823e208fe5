/**
 * Validation messages in the console's language, one per field, for every form: zod's own messages are English
 * ("Invalid input") and would show under Vietnamese labels. Each zod issue is put in words from its code and
 * bounds; the API's 400 details ({ field, message }) are put in words when the field is known, else kept. Pure.
 */
import type { z } from 'zod';
import type { Lang } from '../lib/format';

export type FieldErrors = Partial<Record<string, string>>;

type Issue = z.core.$ZodIssue;

const pick = (lang: Lang, vi: string, en: string) => (lang === 'vi' ? vi : en);

/** One issue in words, specific to what was wrong. */
export function issueMessage(issue: Issue, lang: Lang): string {
  switch (issue.code) {
    case 'invalid_type':
      // zod leaves `input` out unless asked; its message names what was received
      if (issue.input === undefined && /received (undefined|null)/.test(issue.message ?? ''))
        return pick(lang, 'Bắt buộc nhập', 'Required');
      if (issue.expected === 'number') return pick(lang, 'Phải là một số', 'Must be a number');
      return pick(lang, 'Sai kiểu giá trị', 'Wrong kind of value');
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string')
        return min <= 1 ? pick(lang, 'Bắt buộc nhập', 'Required') : pick(lang, `Tối thiểu ${min} ký tự`, `At least ${min} characters`);
      if (issue.origin === 'array' || issue.origin === 'set') return pick(lang, `Chọn ít nhất ${min}`, `Choose at least ${min}`);
      return pick(lang, `Phải ${issue.inclusive ? '≥' : '>'} ${min}`, `Must be ${issue.inclusive ? '≥' : '>'} ${min}`);
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return pick(lang, `Tối đa ${max} ký tự`, `At most ${max} characters`);
      if (issue.origin === 'array' || issue.origin === 'set') return pick(lang, `Chọn tối đa ${max}`, `Choose at most ${max}`);
      return pick(lang, `Phải ${issue.inclusive ? '≤' : '<'} ${max}`, `Must be ${issue.inclusive ? '≤' : '<'} ${max}`);
    }
    case 'invalid_format':
      if (/deadline|date/i.test(issue.path.map(String).join('.')) || issue.format === 'date')
        return pick(lang, 'Ngày theo dạng 2026-12-31', 'A date such as 2026-12-31');
      return pick(lang, 'Sai định dạng', 'Wrong format');
    case 'invalid_value':
      return pick(lang, 'Chọn một giá trị trong danh sách', 'Choose one of the listed values');
    case 'unrecognized_keys':
      return pick(lang, `Trường không được phép: ${issue.keys.join(', ')}`, `Fields not allowed: ${issue.keys.join(', ')}`);
    case 'not_multiple_of':
      return pick(lang, `Phải là bội số của ${String(issue.divisor)}`, `Must be a multiple of ${String(issue.divisor)}`);
    case 'invalid_union':
      return pick(lang, 'Giá trị không hợp lệ cho trường này', 'Not a valid value for this field');
    default:
      // custom refinements carry their own message: keep it when it is not zod's generic one
      return issue.message && issue.message !== 'Invalid input'
        ? issue.message
        : pick(lang, 'Giá trị không hợp lệ cho trường này', 'Not a valid value for this field');
  }
}

/** A failed safeParse → one message per field (the first issue of each); `fieldOf` maps a path to a form field. */
export function zodFieldErrors(
  error: z.ZodError,
  lang: Lang,
  fieldOf: (path: string) => string = (p) => p.split('.')[0] || 'form',
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[fieldOf(issue.path.map(String).join('.'))] ??= issueMessage(issue, lang);
  return errors;
}

/** The API's 400 details → one message per field, in the console's language for the field's known rules. */
export function apiFieldErrors(
  details: unknown,
  lang: Lang,
  fieldOf: (path: string) => string = (p) => p.split('.')[0] || 'form',
): FieldErrors {
  const errors: FieldErrors = {};
  if (!Array.isArray(details)) return errors;
  for (const d of details) {
    if (!d || typeof d !== 'object') continue;
    const { field, message } = d as { field?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    errors[fieldOf(String(field ?? 'form'))] ??= serverMessage(message, lang);
  }
  return errors;
}

/** The server's English rule messages that the console knows, in Vietnamese; others shown as sent. */
function serverMessage(message: string, lang: Lang): string {
  if (lang === 'en') return message;
  if (/^unknown metric/i.test(message)) return 'Chỉ tiêu không có trong danh mục';
  if (/^unknown unit/i.test(message)) return 'Đơn vị không có trong danh mục';
  if (/^unknown rule/i.test(message)) return 'Ngưỡng cảnh báo không còn tồn tại';
  if (/must be in the future/i.test(message)) return 'Phải là thời điểm trong tương lai';
  if (/must be after startsAt/i.test(message)) return 'Phải sau thời điểm bắt đầu';
  if (/required/i.test(message) || /^Invalid input: expected \w+, received undefined/.test(message)) return 'Bắt buộc nhập';
  if (/already exists|duplicate/i.test(message)) return 'Đã tồn tại';
  return message;
}
