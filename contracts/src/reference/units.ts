import provinces34 from './data/vn-provinces-34.json';
import provinces63 from './data/vn-provinces-63.json';
import type { SeedUnit } from '../catalog';

/** 63 → 34 provincial units: Resolution 202/2025/QH15, new local governments from 1 Jul 2025. */
export const PROVINCE_REFORM_DATE = '2025-07-01';
/** 18 + 4 → 14 + 3 ministries and ministerial-level agencies: Resolution 176/2025/QH15, from 1 Mar 2025. */
export const MINISTRY_REFORM_DATE = '2025-03-01';

interface Province34 {
  code: string;
  name: string;
  nameEn: string;
  fullName: string;
  fullNameEn: string;
  mergedFrom: string[];
}
interface Province63 {
  code: string;
  name: string;
  nameEn: string;
  fullName: string;
  fullNameEn: string;
  newCode: string;
}

const nation: SeedUnit = {
  code: 'VN',
  kind: 'nation',
  nameVi: 'Toàn quốc',
  nameEn: 'Nationwide',
  fullNameVi: 'Nước Cộng hòa xã hội chủ nghĩa Việt Nam',
  fullNameEn: 'Socialist Republic of Viet Nam',
  symbol: null,
  validFrom: null,
  validUntil: null,
  successors: [],
  legalBasis: null,
};

/**
 * Each of the 34 units keeps the GSO code of one predecessor, so that code continues (its extent grew);
 * the other 29 codes end on 1 Jul 2025 and hand over to the unit that absorbed them.
 */
function provinceUnits(): SeedUnit[] {
  const current = (provinces34 as Province34[]).map<SeedUnit>((p) => ({
    code: p.code,
    kind: 'province',
    nameVi: p.name,
    nameEn: p.nameEn,
    fullNameVi: p.fullName,
    fullNameEn: p.fullNameEn,
    symbol: null,
    validFrom: null,
    validUntil: null,
    successors: [],
    legalBasis: p.mergedFrom.length > 1 ? 'Nghị quyết 202/2025/QH15' : null,
  }));
  const continuing = new Set(current.map((u) => u.code));
  const dissolved = (provinces63 as Province63[])
    .filter((p) => !continuing.has(p.code))
    .map<SeedUnit>((p) => ({
      code: p.code,
      kind: 'province',
      nameVi: p.name,
      nameEn: p.nameEn,
      fullNameVi: p.fullName,
      fullNameEn: p.fullNameEn,
      symbol: null,
      validFrom: null,
      validUntil: PROVINCE_REFORM_DATE,
      successors: [p.newCode],
      legalBasis: 'Nghị quyết 202/2025/QH15',
    }));
  return [...current, ...dissolved];
}

type MinistryRow = [
  symbol: string,
  nameVi: string,
  nameEn: string,
  validFrom: string | null,
  validUntil: string | null,
  successors: string[],
];

/** Resolution 176/2025/QH15 (from 1 Mar 2025) and Resolution 08/2021/QH15 before it (../shared/context/REFERENCE-DATA.md §3). */
const MINISTRIES: MinistryRow[] = [
  ['BQP', 'Bộ Quốc phòng', 'Ministry of National Defence', null, null, []],
  ['BCA', 'Bộ Công an', 'Ministry of Public Security', null, null, []],
  ['BNG', 'Bộ Ngoại giao', 'Ministry of Foreign Affairs', null, null, []],
  ['BNV', 'Bộ Nội vụ', 'Ministry of Home Affairs', null, null, []],
  ['BTP', 'Bộ Tư pháp', 'Ministry of Justice', null, null, []],
  ['BTC', 'Bộ Tài chính', 'Ministry of Finance', null, null, []],
  ['BCT', 'Bộ Công Thương', 'Ministry of Industry and Trade', null, null, []],
  ['BNNMT', 'Bộ Nông nghiệp và Môi trường', 'Ministry of Agriculture and Environment', MINISTRY_REFORM_DATE, null, []],
  ['BXD', 'Bộ Xây dựng', 'Ministry of Construction', null, null, []],
  ['BVHTTDL', 'Bộ Văn hóa, Thể thao và Du lịch', 'Ministry of Culture, Sports and Tourism', null, null, []],
  ['BKHCN', 'Bộ Khoa học và Công nghệ', 'Ministry of Science and Technology', null, null, []],
  ['BGDĐT', 'Bộ Giáo dục và Đào tạo', 'Ministry of Education and Training', null, null, []],
  ['BYT', 'Bộ Y tế', 'Ministry of Health', null, null, []],
  ['BDTTG', 'Bộ Dân tộc và Tôn giáo', 'Ministry of Ethnic and Religious Affairs', MINISTRY_REFORM_DATE, null, []],
  ['NHNN', 'Ngân hàng Nhà nước Việt Nam', 'State Bank of Vietnam', null, null, []],
  ['TTCP', 'Thanh tra Chính phủ', 'Government Inspectorate', null, null, []],
  ['VPCP', 'Văn phòng Chính phủ', 'Government Office', null, null, []],
  // Dissolved on 1 Mar 2025, merged into the unit named last.
  ['BKHĐT', 'Bộ Kế hoạch và Đầu tư', 'Ministry of Planning and Investment', null, MINISTRY_REFORM_DATE, ['BTC']],
  [
    'BNNPTNT',
    'Bộ Nông nghiệp và Phát triển nông thôn',
    'Ministry of Agriculture and Rural Development',
    null,
    MINISTRY_REFORM_DATE,
    ['BNNMT'],
  ],
  ['BGTVT', 'Bộ Giao thông vận tải', 'Ministry of Transport', null, MINISTRY_REFORM_DATE, ['BXD']],
  ['BTNMT', 'Bộ Tài nguyên và Môi trường', 'Ministry of Natural Resources and Environment', null, MINISTRY_REFORM_DATE, ['BNNMT']],
  ['BTTTT', 'Bộ Thông tin và Truyền thông', 'Ministry of Information and Communications', null, MINISTRY_REFORM_DATE, ['BKHCN']],
  [
    'BLĐTBXH',
    'Bộ Lao động - Thương binh và Xã hội',
    'Ministry of Labour, Invalids and Social Affairs',
    null,
    MINISTRY_REFORM_DATE,
    ['BNV'],
  ],
  ['UBDT', 'Ủy ban Dân tộc', 'Committee for Ethnic Minority Affairs', null, MINISTRY_REFORM_DATE, ['BDTTG']],
];

/** Wire codes are ASCII: "BKHĐT" is sent as "BKHDT" (the symbol keeps the Đ for display). */
export function asciiCode(symbol: string): string {
  return symbol
    .replace(/Đ/g, 'D')
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
}

function ministryUnits(): SeedUnit[] {
  return MINISTRIES.map(([symbol, nameVi, nameEn, validFrom, validUntil, successors]) => ({
    code: asciiCode(symbol),
    kind: 'ministry',
    nameVi,
    nameEn,
    fullNameVi: nameVi,
    fullNameEn: nameEn,
    symbol,
    validFrom,
    validUntil,
    successors: successors.map(asciiCode),
    legalBasis: validFrom || validUntil ? 'Nghị quyết 176/2025/QH15' : null,
  }));
}

export const seedUnits: SeedUnit[] = [nation, ...provinceUnits(), ...ministryUnits()];

/** The GSO codes of the 34 provincial units in force since 1 Jul 2025, in code order. */
export const CURRENT_PROVINCE_CODES: readonly string[] = (provinces34 as Province34[]).map((p) => p.code).sort();
