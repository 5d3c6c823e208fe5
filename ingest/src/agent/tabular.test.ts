// readTable on CSV: what an operator's file looks like when it reaches the mapping.
import { describe, expect, it } from 'vitest';
import { parseCsv, readTable } from './tabular';

const csv = (text: string) => readTable(Buffer.from(text, 'utf8'), 'csv', { delimiter: ';' });

describe('readTable (CSV)', () => {
  it('drops the BOM Excel writes, takes the first non-empty row as the header and keeps line numbers', async () => {
    const table = await csv('\ufeff\r\n ma_tinh ;ngày;giá trị\r\n79;01/10/2026;"1.850,5"\r\n;;\r\n01;"02/10/2026";7\r\n');
    expect(table.header).toEqual(['ma_tinh', 'ngày', 'giá trị']);
    expect(table.headerRow).toBe(2);
    expect(table.rows).toEqual([
      { row: 3, cells: ['79', '01/10/2026', '1.850,5'] },
      { row: 5, cells: ['01', '02/10/2026', '7'] },
    ]);
  });

  it('counts a line break inside a quoted cell once, CRLF or LF, so later rows keep the numbers an editor shows', async () => {
    const table = await csv('a;b\r\n1;"hai\r\ndòng"\r\n2;x\n3;"ba\ndòng"\n4;y');
    expect(table.rows.map((r) => r.row)).toEqual([2, 4, 5, 7]);
  });

  it('keeps a quote inside an unquoted cell as text, and rows shorter or longer than the header', async () => {
    const table = await csv('a;b;c\nmàn hình 5";x\n1;2;3;4\n');
    expect(table.rows).toEqual([
      { row: 2, cells: ['màn hình 5"', 'x'] },
      { row: 3, cells: ['1', '2', '3', '4'] },
    ]);
  });

  it('keeps a cell with text after its closing quote as written, so the mapping refuses it rather than guessing', () => {
    expect(parseCsv('"12"3,x', ',')).toEqual([{ row: 1, cells: ['"12"3', 'x'] }]);
  });

  it('refuses a file that is not UTF-8, has a header twice, or has nothing in it', async () => {
    await expect(readTable(Buffer.from([0x61, 0x3b, 0x62, 0x0a, 0xe0, 0x3b, 0x31]), 'csv', { delimiter: ';' })).rejects.toThrow(
      'the file is not UTF-8 text',
    );
    await expect(csv('a;b;a\n1;2;3\n')).rejects.toThrow('the header names the column "a" twice');
    await expect(csv('\r\n;;\n')).rejects.toThrow('the file has no header row and no data');
    await expect(csv('a;b\n1;"2\n')).rejects.toThrow('a quoted field that starts on line 2 is never closed');
  });
});
