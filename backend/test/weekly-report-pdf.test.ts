import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rankWithChange } from '@dxoc/contracts';
import { describe, expect, it } from 'vitest';
import { renderReportPdf, REPORT_FONT_FAMILY } from '../src/weekly-report/pdf-renderer';
import { rankingChartOption } from '../src/weekly-report/report-charts';

function hasBinary(name: string): boolean {
  try {
    execFileSync('which', [name]);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasBinary('pdftotext') || !hasBinary('pdftoppm'))('weekly report PDF drawing (poppler-utils)', () => {
  it('keeps Vietnamese diacritics and draws a server-rendered chart', async () => {
    const ranked = rankWithChange([{ unit: 'HCM', value: 95 }], [{ unit: 'HCM', value: 80 }]);
    const pdf = await renderReportPdf('Báo cáo tuần', [
      { kind: 'heading', text: 'Ứng dụng, Đề án 06, Bộ Xây dựng, Hồ Chí Minh' },
      { kind: 'paragraph', text: 'Dịch vụ công trực tuyến: 3.552 (92,5 %)' },
      {
        kind: 'chart',
        option: rankingChartOption('Xếp hạng tỉnh', ranked, new Map([['HCM', 80]]), () => 'Hồ Chí Minh', 'vi', REPORT_FONT_FAMILY),
        width: 480,
        height: 240,
      },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'weekly-pdf-'));
    writeFileSync(join(dir, 'r.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-']).toString('utf8');
    expect(text).toContain('Ứng dụng, Đề án 06, Bộ Xây dựng, Hồ Chí Minh');
    expect(text).toContain('3.552 (92,5 %)');
    expect(text).toContain('Xếp hạng tỉnh');
    // page 1 as a raw greyscale image (PGM): count the pixels that are not white
    execFileSync('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', join(dir, 'r.pdf'), join(dir, 'p')]);
    const pgm = readFileSync(join(dir, 'p-1.pgm'));
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
    expect(header).not.toBeNull();
    const pixels = pgm.subarray(pgm.length - Number(header?.[1]) * Number(header?.[2]));
    const inked = pixels.filter((value) => value < 200).length;
    expect(inked).toBeGreaterThan(500);
  });
});
