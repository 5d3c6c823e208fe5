/**
 * Turns one row of a file or table, or one item of a JSON document, into ingest points (metric, unit, ts, value).
 * Every conversion says exactly what it could not read, because that text ends up in a reason file that a
 * provincial operator reads to fix row 17 of last month's report.
 */
import { IngestPointSchema, MAX_FUTURE_SKEW_MS, parseIsoWithOffset, quote, type IngestPoint } from '@dxoc/contracts';
import { parseJsonPath, selectOne, type PathSegment } from './jsonpath';

/** A date and time as written in a spreadsheet cell: no time zone, read in the agent's configured offset. */
export class LocalDateTime {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly millisecond = 0,
  ) {}

  toString(): string {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    const ms = this.millisecond ? `.${pad(this.millisecond, 3)}` : '';
    return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}T${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}${ms}`;
  }
}

/** What a cell or a JSON value can be. Date is an exact instant (a timestamptz from PostgreSQL). */
export type Cell = string | number | bigint | boolean | Date | LocalDateTime | null | undefined;

export type TsFormat = string;

export interface FieldSpec {
  column?: string;
  path?: string;
  const?: string | number;
  /** ts only: the time of reading, cut to the minute, hour or day (for "current value" endpoints) */
  now?: 'exact' | 'minute' | 'hour' | 'day';
  /** ts only: "iso" (default), "epoch-seconds", "epoch-millis" or a pattern of dd MM yyyy HH mm ss */
  format?: TsFormat;
  /** value only: "." (default: 1,234.5) or "," (Vietnamese style: 1.234,5) */
  decimal?: '.' | ',';
}

export interface Mapping {
  metric: FieldSpec;
  unit: FieldSpec;
  ts: FieldSpec;
  value: FieldSpec;
}

/** A row of a file or of a query result (by column name), or an item of a JSON document with that document. */
export type SourceRecord = { kind: 'row'; cells: ReadonlyMap<string, Cell> } | { kind: 'item'; item: unknown };

export interface MappingContext {
  /** minutes east of UTC for timestamps written without an offset (Viet Nam: 420) */
  offsetMinutes: number;
  /** epoch ms: the time of reading (for "now" and the future check) */
  now: number;
}

export type Conversion<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Conversion<T> => ({ ok: true, value });
const fail = <T>(message: string): Conversion<T> => ({ ok: false, message });

/** A compiled mapping: JSON paths are parsed once, not per item. */
export interface CompiledMapping {
  mapping: Mapping;
  paths: Map<FieldSpec, PathSegment[]>;
}

export function compileMappings(mappings: readonly Mapping[]): CompiledMapping[] {
  return mappings.map((mapping) => {
    const paths = new Map<FieldSpec, PathSegment[]>();
    for (const spec of [mapping.metric, mapping.unit, mapping.ts, mapping.value]) {
      if (spec.path !== undefined) paths.set(spec, parseJsonPath(spec.path));
    }
    return { mapping, paths };
  });
}

/** The columns a set of mappings reads: a file without one of them is refused as a whole. */
export function columnsUsed(mappings: readonly Mapping[]): string[] {
  const columns = new Set<string>();
  for (const m of mappings) for (const spec of [m.metric, m.unit, m.ts, m.value]) if (spec.column !== undefined) columns.add(spec.column);
  return [...columns];
}

export interface MappedRecord {
  points: IngestPoint[];
  /** why the record was refused; empty when every point was read */
  problems: string[];
}

/** A record is taken whole or not at all: half a row of a report is a wrong report. */
export function mapRecord(record: SourceRecord, compiled: readonly CompiledMapping[], context: MappingContext): MappedRecord {
  const points: IngestPoint[] = [];
  const problems: string[] = [];
  for (const { mapping, paths } of compiled) {
    const read = (field: keyof Mapping): Cell => readField(record, mapping[field], paths.get(mapping[field]));
    const describe = (field: keyof Mapping) => fieldLabel(field, mapping[field]);
    const metric = toCode(read('metric'), describe('metric'), false);
    const unit = toCode(read('unit'), describe('unit'), true);
    const ts = mapping.ts.now
      ? ok(formatWithOffset(truncateNow(context.now, mapping.ts.now, context.offsetMinutes), context.offsetMinutes))
      : toTimestamp(read('ts'), mapping.ts.format, describe('ts'), context.offsetMinutes);
    const value = toValue(read('value'), mapping.value.decimal ?? '.', describe('value'));
    const failed = [metric, unit, ts, value].filter((c): c is { ok: false; message: string } => !c.ok);
    if (failed.length > 0) {
      problems.push(...failed.map((c) => c.message));
      continue;
    }
    const point = {
      metric: (metric as { value: string }).value,
      unit: (unit as { value: string }).value,
      ts: (ts as { value: string }).value,
      value: (value as { value: number }).value,
    };
    // The wire contract is owned by contract.ts: check the point against it rather than restating its rules.
    const checked = IngestPointSchema.safeParse(point);
    if (!checked.success) {
      problems.push(...checked.error.issues.map((issue) => issue.message));
      continue;
    }
    const epochMs = parseIsoWithOffset(point.ts) as number;
    if (epochMs > context.now + MAX_FUTURE_SKEW_MS) {
      problems.push(
        `${describe('ts')} ${point.ts} is in the future (more than 5 minutes after ${formatWithOffset(context.now, context.offsetMinutes)}); check the date and the agent's clock`,
      );
      continue;
    }
    points.push(checked.data);
  }
  return { points, problems: [...new Set(problems)] };
}

function fieldLabel(field: keyof Mapping, spec: FieldSpec): string {
  if (spec.column !== undefined) return `${field} (column ${quote(spec.column)})`;
  if (spec.path !== undefined) return `${field} (${spec.path})`;
  return field;
}

function readField(record: SourceRecord, spec: FieldSpec, path: PathSegment[] | undefined): Cell {
  if (spec.const !== undefined) return spec.const;
  if (spec.column !== undefined) return record.kind === 'row' ? record.cells.get(spec.column) : undefined;
  if (path) {
    const value = selectOne(path, record.kind === 'item' ? record.item : undefined);
    return value === null || typeof value !== 'object' ? (value as Cell) : (JSON.stringify(value) as Cell);
  }
  return undefined;
}

const isEmpty = (cell: Cell) => cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');

/**
 * Metric and unit codes. Spreadsheets turn the province code "01" into the number 1, and a CSV exported from one
 * then holds the text "1": put the zero back (unit codes have at least two characters, so "1" is never a code).
 */
export function toCode(cell: Cell, label: string, isUnit: boolean): Conversion<string> {
  if (isEmpty(cell)) return fail(`${label} is empty`);
  if (typeof cell === 'string') {
    if (!isUnit) return ok(cell.trim());
    const code = cell.trim().toUpperCase();
    return ok(/^\d$/.test(code) ? `0${code}` : code);
  }
  if (isUnit && typeof cell === 'number' && Number.isInteger(cell) && cell >= 0 && cell < 100) return ok(String(cell).padStart(2, '0'));
  if (typeof cell === 'number' || typeof cell === 'bigint')
    return isUnit ? ok(String(cell)) : fail(`${label} must be a code such as "dvc.services_online", got the number ${cell}`);
  return fail(`${label} must be a code, got ${describeCell(cell)}`);
}

const THOUSANDS_DOT_DECIMAL = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;
const THOUSANDS_COMMA_DECIMAL = /^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$/;

/**
 * Numbers as people type them. With decimal ".", "3,552" is three thousand five hundred fifty-two and "10,7"
 * is refused (it would otherwise become 107); with decimal ",", "3.552" and "10,7" read the Vietnamese way.
 */
export function toValue(cell: Cell, decimal: '.' | ',', label = 'value'): Conversion<number> {
  if (isEmpty(cell)) return fail(`${label} is empty`);
  if (typeof cell === 'number') return Number.isFinite(cell) ? ok(cell) : fail(`${label} must be a finite number, got ${cell}`);
  if (typeof cell === 'bigint') return ok(Number(cell));
  if (typeof cell !== 'string') return fail(`${label} must be a number, got ${describeCell(cell)}`);
  const text = cell.trim().replace(/\s*%$/, '');
  if (decimal === '.' && THOUSANDS_DOT_DECIMAL.test(text)) return ok(Number(text.replace(/,/g, '')));
  if (decimal === ',' && THOUSANDS_COMMA_DECIMAL.test(text)) return ok(Number(text.replace(/\./g, '').replace(',', '.')));
  const hint = decimal === '.' && /^[+-]?\d+,\d+$/.test(text) ? '; if "," is the decimal separator here, set decimal: ","' : '';
  return fail(`${label} ${quote(cell)} is not a number${hint}`);
}

/** "yyyy-MM-dd HH:mm" style patterns. */
function compilePattern(format: string): { regex: RegExp; order: string[] } {
  const order: string[] = [];
  const escaped = format.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = escaped.replace(/yyyy|MM|dd|HH|mm|ss/g, (token) => {
    order.push(token);
    return token === 'yyyy' ? '(\\d{4})' : '(\\d{1,2})';
  });
  return { regex: new RegExp(`^${source}$`), order };
}

const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** A timestamp as an ISO-8601 text with an offset, the form the API takes. */
export function toTimestamp(cell: Cell, format: TsFormat | undefined, label: string, offsetMinutes: number): Conversion<string> {
  if (isEmpty(cell)) return fail(`${label} is empty`);
  if (cell instanceof Date)
    return Number.isNaN(cell.getTime()) ? fail(`${label} is not a valid date`) : ok(formatWithOffset(cell.getTime(), offsetMinutes));
  if (cell instanceof LocalDateTime) return fromLocal(cell, offsetMinutes, label);
  if (format === 'epoch-seconds' || format === 'epoch-millis') {
    const number =
      typeof cell === 'number' ? cell : typeof cell === 'string' && /^\d+(\.\d+)?$/.test(cell.trim()) ? Number(cell.trim()) : Number.NaN;
    if (!Number.isFinite(number))
      return fail(
        `${label} ${quote(String(cell))} is not a number of ${format === 'epoch-seconds' ? 'seconds' : 'milliseconds'} since 1970`,
      );
    return ok(formatWithOffset(format === 'epoch-seconds' ? number * 1000 : number, offsetMinutes));
  }
  if (typeof cell !== 'string') {
    return fail(
      `${label} must be a date and time, got ${describeCell(cell)}${typeof cell === 'number' ? ' (for Unix time set format: epoch-seconds)' : ''}`,
    );
  }
  const text = cell.trim();
  if (format && format !== 'iso') {
    const { regex, order } = compilePattern(format);
    const match = regex.exec(text);
    if (!match) return fail(`${label} ${quote(text)} does not match the format ${quote(format)}`);
    const part = (token: string) => {
      const at = order.indexOf(token);
      return at < 0 ? 0 : Number(match[at + 1]);
    };
    return fromLocal(
      new LocalDateTime(part('yyyy'), part('MM') || 1, part('dd') || 1, part('HH'), part('mm'), part('ss')),
      offsetMinutes,
      `${label} ${quote(text)}`,
    );
  }
  const withOffset = parseIsoWithOffset(text);
  if (withOffset !== null) return ok(formatWithOffset(withOffset, offsetFromText(text) ?? offsetMinutes));
  const local = LOCAL_ISO.exec(text);
  if (local) {
    const [, y, mo, d, h, mi, s, ms] = local;
    return fromLocal(
      new LocalDateTime(
        Number(y),
        Number(mo),
        Number(d),
        Number(h ?? 0),
        Number(mi ?? 0),
        Number(s ?? 0),
        Number((ms ?? '0').padEnd(3, '0')),
      ),
      offsetMinutes,
      `${label} ${quote(text)}`,
    );
  }
  return fail(
    `${label} ${quote(text)} is not a date and time; write "2026-01-31T17:00:00+07:00" or "2026-01-31 17:00", or set a format such as "dd/MM/yyyy"`,
  );
}

function fromLocal(local: LocalDateTime, offsetMinutes: number, label: string): Conversion<string> {
  const { year, month, day, hour, minute, second, millisecond } = local;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(utc);
  if (
    year < 1000 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return fail(`${label} is not a real date and time`);
  }
  return ok(formatWithOffset(utc - offsetMinutes * 60_000, offsetMinutes));
}

/** Keep the offset the source wrote ("+07:00" stays "+07:00"; "Z" stays UTC). */
function offsetFromText(text: string): number | null {
  const match = /(Z|([+-])(\d{2}):?(\d{2}))$/.exec(text);
  if (!match) return null;
  if (match[1] === 'Z') return 0;
  return (match[2] === '-' ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4]));
}

/** "2026-01-31T17:00:00+07:00" (milliseconds only when there are some). */
export function formatWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString();
  const base = local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23);
  if (offsetMinutes === 0) return `${base}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The reading time cut to the minute, hour or day of the configured offset (a day starts at local midnight). */
export function truncateNow(now: number, unit: 'exact' | 'minute' | 'hour' | 'day', offsetMinutes: number): number {
  if (unit === 'exact') return now;
  const step = unit === 'minute' ? 60_000 : unit === 'hour' ? 3_600_000 : 86_400_000;
  const shift = offsetMinutes * 60_000;
  return Math.floor((now + shift) / step) * step - shift;
}

/** "+07:00" → 420 */
export function parseOffset(text: string): number | null {
  const match = /^(?:UTC)?([+-])(\d{2}):?(\d{2})$/.exec(text.trim());
  if (!match) return text.trim() === 'Z' || text.trim() === 'UTC' ? 0 : null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return Number(match[2]) > 14 || Number(match[3]) > 59 ? null : (match[1] === '-' ? -1 : 1) * minutes;
}

export function describeCell(cell: Cell): string {
  if (cell === null || cell === undefined) return 'nothing';
  if (cell instanceof Date) return `the date ${cell.toISOString()}`;
  if (cell instanceof LocalDateTime) return `the date ${cell.toString()}`;
  if (typeof cell === 'boolean') return `the boolean ${cell}`;
  if (typeof cell === 'bigint') return `the number ${cell}`;
  return typeof cell === 'number' ? `the number ${cell}` : quote(cell);
}

/** A cell as text, for the rejected-rows file an operator fixes and drops in again. */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}
