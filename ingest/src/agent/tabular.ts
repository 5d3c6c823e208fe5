/**
 * CSV and XLSX files as a header and numbered rows. Row numbers are the ones a person sees: the line of a CSV
 * record, the row of the spreadsheet, so a reason file can say "row 17".
 */
import { CsvError, parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import { LocalDateTime, cellText, type Cell } from './mapping';

export interface TabularRow {
  /** 1-based line (CSV) or sheet row (XLSX) */
  row: number;
  cells: Cell[];
}

export interface Table {
  header: string[];
  headerRow: number;
  rows: TabularRow[];
}

export class UnreadableFileError extends Error {}

export type FileFormat = 'csv' | 'xlsx';

export function formatOf(fileName: string): FileFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return null;
}

export interface ReadOptions {
  delimiter: string;
  /** XLSX sheet: its name or 1-based position; default the first */
  sheet?: string | number;
}

export async function readTable(content: Buffer, format: FileFormat, options: ReadOptions): Promise<Table> {
  const records = format === 'csv' ? parseCsv(decodeUtf8(content), options.delimiter) : await readXlsx(content, options.sheet);
  const nonEmpty = records.filter((r) => r.cells.some((c) => cellText(c).trim() !== ''));
  const [headerRecord, ...rows] = nonEmpty;
  if (!headerRecord) throw new UnreadableFileError('the file has no header row and no data');
  const header = headerRecord.cells.map((c) => cellText(c).trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (name && seen.has(name)) throw new UnreadableFileError(`the header names the column "${name}" twice`);
    seen.add(name);
  }
  return { header, headerRow: headerRecord.row, rows };
}

function decodeUtf8(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    throw new UnreadableFileError('the file is not UTF-8 text: save it from Excel as "CSV UTF-8 (Comma delimited)"');
  }
}

/**
 * RFC 4180 through csv-parse: quoted fields may hold the delimiter, doubled quotes and line breaks; a quote inside
 * an unquoted field is kept as text (`5" screen`), and so is a field with text after its closing quote (`"12"3`
 * stays `"12"3`, which the mapping refuses, rather than becoming 123); rows may have fewer or more cells than the
 * header (the mapping reports what is missing); CRLF, LF and CR line ends may be mixed. Each record is numbered by
 * the line it starts on, counted here rather than by csv-parse's line counter, which counts a CRLF inside quotes
 * twice.
 */
export function parseCsv(text: string, delimiter = ','): TabularRow[] {
  const rows: TabularRow[] = [];
  let line = 1; // where the next record starts
  try {
    parse(text, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      on_record: (cells: string[]) => {
        rows.push({ row: line, cells });
        line += 1 + cells.reduce((breaks, cell) => breaks + (cell.match(/\n/g)?.length ?? 0), 0);
        return null; // kept in rows, with its line
      },
    });
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new UnreadableFileError(`a quoted field that starts on line ${line} is never closed`);
    throw new UnreadableFileError(`line ${line}: ${(error as Error).message}`);
  }
  return rows;
}

async function readXlsx(content: Buffer, sheet: string | number | undefined): Promise<TabularRow[]> {
  let data: unknown[][];
  try {
    data = (await (sheet === undefined ? readSheet(content) : readSheet(content, sheet))) as unknown[][];
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'SheetNotFoundError') throw new UnreadableFileError(`the workbook has no sheet ${JSON.stringify(sheet)}`);
    throw new UnreadableFileError(`not a readable XLSX workbook (${(error as Error).message}); .xls files must be saved as .xlsx`);
  }
  return data.map((cells, index) => ({ row: index + 1, cells: cells.map(fromXlsxCell) }));
}

/**
 * Excel stores a date as the wall-clock time without a zone, and the reader hands it over as that time in UTC,
 * sometimes a millisecond short (floating point): round to the second and read it in the configured offset.
 */
function fromXlsxCell(value: unknown): Cell {
  if (value instanceof Date) {
    const rounded = new Date(Math.round(value.getTime() / 1000) * 1000);
    return new LocalDateTime(
      rounded.getUTCFullYear(),
      rounded.getUTCMonth() + 1,
      rounded.getUTCDate(),
      rounded.getUTCHours(),
      rounded.getUTCMinutes(),
      rounded.getUTCSeconds(),
    );
  }
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

/** One CSV line of text cells: for the rejected-rows file. */
export function toCsvLine(cells: readonly string[], delimiter = ','): string {
  return cells
    .map((cell) => (/[",\n\r;\t|]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell))
    .join(delimiter);
}
