/**
 * Names abbreviated by rule, for the wall where a full name does not fit (the full name stays on hover and in the
 * drill-down). A ministry keeps the issuing-body symbol of its legal documents: "Bộ Xây dựng" (BXD) → "Bộ XD",
 * "Bộ Giáo dục và Đào tạo" (BGDĐT) → "Bộ GDĐT"; an agency that is not a "Bộ" is its symbol ("NHNN", "VPCP").
 * In English a "Ministry of …" becomes "Mo" and the initials of its capitalised words ("MoCST", "MoPS"), any other
 * name its capitalised initials ("SBV"). A province's name is short already and stays whole (initials would collide:
 * "LC" is both Lai Châu and Lào Cai).
 */
import type { Lang } from './format';

export interface NamedUnit {
  kind: string;
  nameVi: string;
  nameEn: string;
  symbol: string | null;
}

function initials(words: string[]): string {
  return words
    .filter((w) => /^\p{Lu}/u.test(w))
    .map((w) => w[0])
    .join('');
}

export function shortUnitName(unit: NamedUnit, lang: Lang): string {
  const name = lang === 'vi' ? unit.nameVi : unit.nameEn;
  if (unit.kind === 'nation') return name;
  if (unit.kind !== 'ministry') return name;
  if (lang === 'vi') {
    if (!unit.symbol) return name;
    return unit.nameVi.startsWith('Bộ ') && unit.symbol.startsWith('B') ? `Bộ ${unit.symbol.slice(1)}` : unit.symbol;
  }
  const words = unit.nameEn.replace(/,/g, '').split(/[\s-]+/);
  if (words[0] === 'Ministry' && words[1] === 'of') return `Mo${initials(words.slice(2))}`;
  return initials(words) || unit.nameEn;
}

const DATE_IN_TEXT = /\d{1,2}\/\d{1,2}\/\d{4}|\d{1,2}\/\d{4}|\d{1,2} [A-Z][a-z]{2} \d{4}|[A-Z][a-z]+ \d{4}/g;

/**
 * A unit's name in a ranking's labels, where a long name would squeeze the bars: in full up to 18 characters (every
 * province, "Bộ Công an"), abbreviated beyond ("Bộ Văn hóa, Thể thao và Du lịch" → "Bộ VHTTDL"); the drill-down that
 * a click opens names it in full.
 */
export const RANKING_NAME_MAX = 18;
export function rankingName(unit: NamedUnit, lang: Lang): string {
  const name = lang === 'vi' ? unit.nameVi : unit.nameEn;
  return name.length <= RANKING_NAME_MAX ? name : shortUnitName(unit, lang);
}

/**
 * A legal source cited short: a numbered document by its kind and number, without its date and subject ("Nghị quyết
 * 36a/NQ-CP (14/10/2015) về Chính phủ điện tử: …" → "Nghị quyết 36a/NQ-CP"); a conclusion without a number by who
 * concluded and when ("Kết luận của Thủ tướng Chính phủ tại hội nghị … (…, 4/2020)" → "Kết luận của Thủ tướng Chính
 * phủ (4/2020)").
 */
export function shortLegalSource(text: string): string {
  const first = text.split(/\s\(|[,:;]/)[0]!.trim();
  if (/\d/.test(first)) return first;
  const who = first.split(/ tại | at /)[0]!.trim();
  const dates = text.match(DATE_IN_TEXT);
  return dates ? `${who} (${dates.at(-1)})` : who;
}
