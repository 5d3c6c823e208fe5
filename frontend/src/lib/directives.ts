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
