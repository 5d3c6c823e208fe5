import { describe, expect, it } from 'vitest';
import { seedTargets, seedUnits } from '@dxoc/contracts/reference';
import { shortLegalSource, shortUnitName } from './short-names';

const unit = (code: string) => seedUnits.find((u) => u.code === code)!;

describe('names abbreviated by rule', () => {
  it('ministries keep the symbol of their legal documents', () => {
    expect(shortUnitName(unit('BXD'), 'vi')).toBe('Bộ XD');
    expect(shortUnitName(unit('BGDDT'), 'vi')).toBe('Bộ GDĐT');
    expect(shortUnitName(unit('BVHTTDL'), 'vi')).toBe('Bộ VHTTDL');
    expect(shortUnitName(unit('NHNN'), 'vi')).toBe('NHNN');
    expect(shortUnitName(unit('VPCP'), 'vi')).toBe('VPCP');
    expect(shortUnitName(unit('BVHTTDL'), 'en')).toBe('MoCST');
    expect(shortUnitName(unit('BCA'), 'en')).toBe('MoPS');
    expect(shortUnitName(unit('NHNN'), 'en')).toBe('SBV');
  });

  it('every unit in force has a distinct short name in both languages, shorter than its name', () => {
    for (const lang of ['vi', 'en'] as const) {
      {
        const kind = 'ministry';
        const current = seedUnits.filter((u) => u.kind === kind && u.validUntil === null);
        const shorts = current.map((u) => shortUnitName(u, lang));
        expect(new Set(shorts).size, `${kind} ${lang}: ${shorts.join(', ')}`).toBe(current.length);
        for (const [i, u] of current.entries()) expect(shorts[i]!.length).toBeLessThanOrEqual((lang === 'vi' ? u.nameVi : u.nameEn).length);
      }
    }
  });

  it('provinces and the nation keep their names', () => {
    expect(shortUnitName(unit('79'), 'vi')).toBe('Hồ Chí Minh');
    expect(shortUnitName(unit('VN'), 'en')).toBe('Nationwide');
  });

  it('a legal source is cited by its kind and number', () => {
    expect(shortLegalSource('Nghị quyết 36a/NQ-CP (14/10/2015) về Chính phủ điện tử: nhóm 4 nước')).toBe('Nghị quyết 36a/NQ-CP');
    expect(shortLegalSource('Quyết định 749/QĐ-TTg (03/6/2020), Chương trình Chuyển đổi số quốc gia')).toBe('Quyết định 749/QĐ-TTg');
    expect(shortLegalSource('Kết luận của Thủ tướng Chính phủ tại hội nghị trực tuyến (Thông báo của VPCP, tin TTXVN, 4/2020)')).toBe(
      'Kết luận của Thủ tướng Chính phủ (4/2020)',
    );
    expect(shortLegalSource("Prime Minister's conclusions at the second meeting (Government Office notice, meeting of 27 Apr 2022)")).toBe(
      "Prime Minister's conclusions (27 Apr 2022)",
    );
    // every shipped target's source fits two lines of a KPI tile
    for (const t of seedTargets) {
      expect(shortLegalSource(t.legalSourceVi).length, t.legalSourceVi).toBeLessThanOrEqual(60);
      expect(shortLegalSource(t.legalSourceEn).length, t.legalSourceEn).toBeLessThanOrEqual(60);
    }
  });
});
