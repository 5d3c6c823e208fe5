/**
 * Reads the wall's page definitions (one YAML file per page) and validates them against the schema, the grid
 * and, when a catalog is given, the real metric and unit codes. Every problem names the file, the line when it
 * can be found, the path inside the definition and what is wrong, because the person reading it is reviewing a
 * pull request or an operator whose wall did not start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isMap, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { checkReferences, type DashboardCatalog } from './references';
import { DashboardPage, Panel } from './schema';

/** The shipped definitions: dashboards/pages next to this package's src. */
export const DEFAULT_PAGES_DIR = fileURLToPath(new URL('../pages', import.meta.url));

export interface DefinitionProblem {
  /** the file as given (relative to the directory that was loaded) */
  file: string;
  /** 1-based line in the file, when the path can be located */
  line: number | null;
  /** where inside the definition: "panels[2].query.metric"; "" for the whole file */
  path: string;
  message: string;
}

export function formatProblem(problem: DefinitionProblem): string {
  const where = problem.line === null ? problem.file : `${problem.file}:${problem.line}`;
  return problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}

/** One error for the whole set, so a caller (the backend at startup) can stop with one message. */
export class DashboardDefinitionError extends Error {
  constructor(readonly problems: DefinitionProblem[]) {
    const [first, ...rest] = problems.map(formatProblem);
    super(rest.length === 0 ? `invalid dashboard definition: ${first}` : `invalid dashboard definitions (${problems.length} problems): ${[first, ...rest].join('; ')}`);
    this.name = 'DashboardDefinitionError';
  }
}

export interface LoadOptions {
  /** When given, metric and unit codes are checked against it (the backend passes its catalog). */
  catalog?: DashboardCatalog;
  /** YYYY-MM-DD for "has this unit ended?"; default: today (UTC). */
  today?: string;
}

export interface ValidationResult {
  pages: DashboardPage[];
  problems: DefinitionProblem[];
  files: string[];
}

const DEFINITION_FILE = /\.ya?ml$/i;

/** Validates every definition in dir and returns the pages sorted by order together with every problem found. */
export function validateDashboards(dir: string = DEFAULT_PAGES_DIR, options: LoadOptions = {}): ValidationResult {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => DEFINITION_FILE.test(name) && !name.startsWith('.')).sort();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the directory does not exist' : (error as Error).message;
    return { pages: [], files: [], problems: [{ file: dir, line: null, path: '', message: `cannot read the dashboards directory: ${reason}` }] };
  }
  if (files.length === 0) {
    return { pages: [], files, problems: [{ file: dir, line: null, path: '', message: 'no page definitions (*.yaml) found: the wall would be blank' }] };
  }
  const pages: DashboardPage[] = [];
  const problems: DefinitionProblem[] = [];
  const fileOfPage = new Map<string, string>();
  for (const file of files) {
    const result = parseDashboardFile(file, readFileSync(path.join(dir, file), 'utf8'), options);
    problems.push(...result.problems);
    if (!result.page) continue;
    const earlier = fileOfPage.get(result.page.id);
    if (earlier) {
      problems.push({ file, line: result.lineOf(['id']), path: 'id', message: `page id "${result.page.id}" is already used by ${earlier}` });
      continue;
    }
    fileOfPage.set(result.page.id, file);
    pages.push(result.page);
  }
  return { pages: sortPages(pages), problems, files };
}

/** The pages of dir sorted by order (then id); throws one DashboardDefinitionError listing every problem. */
export function loadDashboards(dir: string = DEFAULT_PAGES_DIR, options: LoadOptions = {}): DashboardPage[] {
  const { pages, problems } = validateDashboards(dir, options);
  if (problems.length > 0) throw new DashboardDefinitionError(problems);
  return pages;
}

export function sortPages(pages: DashboardPage[]): DashboardPage[] {
  return [...pages].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

export interface ParsedFile {
  page: DashboardPage | null;
  problems: DefinitionProblem[];
  lineOf(path: readonly PropertyKey[]): number | null;
}

/** Validates one definition's text; file is only used to name the problems (and must match the page id). */
export function parseDashboardFile(file: string, text: string, options: LoadOptions = {}): ParsedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (at: readonly PropertyKey[]) => locate(doc, lineCounter, at);
  const problem = (at: readonly PropertyKey[], message: string): DefinitionProblem => ({ file, line: lineOf(at), path: formatPath(at), message });

  if (doc.errors.length > 0) {
    return {
      page: null,
      lineOf,
      problems: doc.errors.map((error) => ({ file, line: lineCounter.linePos(error.pos[0]).line, path: '', message: `not valid YAML: ${firstLine(error.message)}` })),
    };
  }
  const data: unknown = doc.toJS();
  const parsed = DashboardPage.safeParse(data);
  if (!parsed.success) {
    return {
      page: null,
      lineOf,
      problems: parsed.error.issues.map((issue) => problem(issue.path, describeIssue(issue, data) + flowMappingHint(doc, issue, data))),
    };
  }
  const page = parsed.data;
  const problems: DefinitionProblem[] = [];
  const expectedId = path.basename(file).replace(DEFINITION_FILE, '');
  if (page.id !== expectedId) {
    problems.push(problem(['id'], `page id "${page.id}" must match the file name "${expectedId}" (one page per file, named after its id)`));
  }
  problems.push(...layoutProblems(page).map((p) => problem(p.path, p.message)));
  if (options.catalog) problems.push(...checkReferences(page, options.catalog, options.today).map((p) => problem(p.path, p.message)));
  return { page: problems.length === 0 ? page : null, problems, lineOf };
}

/** Two panels on the same cells would hide each other on the wall. */
function layoutProblems(page: DashboardPage): { path: PropertyKey[]; message: string }[] {
  const problems: { path: PropertyKey[]; message: string }[] = [];
  page.panels.forEach((panel, index) => {
    for (let other = 0; other < index; other += 1) {
      const a = page.panels[other] as Panel;
      const p = panel.position;
      const q = a.position;
      if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h) {
        problems.push({ path: ['panels', index, 'position'], message: `panel "${panel.id}" overlaps panel "${a.id}" (panels[${other}]) on the grid` });
      }
    }
  });
  return problems;
}

const PANEL_KINDS = Panel.options.map((option) => option.shape.kind.value);

/** Zod's messages say what was expected; operators also need to see what they wrote. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const got = valueAt(data, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling against dashboards/README.md)`;
    case 'invalid_union':
      if (issue.discriminator === 'kind') {
        return got === undefined ? `"kind" is missing; expected one of ${PANEL_KINDS.join(', ')}` : `unknown panel kind ${show(got)}; expected one of ${PANEL_KINDS.join(', ')}`;
      }
      return `expected ${issue.errors.map((branch) => branch.map(expectation).join(' and ')).join(' or ')}; got ${show(got)}`;
    case 'invalid_type':
      return got === undefined ? `missing (expected ${article(issue.expected)})` : `expected ${article(issue.expected)}, got ${show(got)}`;
    case 'invalid_format':
    case 'too_small':
    case 'too_big':
    case 'invalid_value':
      return `${issue.message}; got ${show(got)}`;
    default:
      return issue.message;
  }
}

/** Vietnamese titles are full of commas, and inside { } a comma starts the next field. */
function flowMappingHint(doc: Document, issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code !== 'unrecognized_keys') return '';
  const node = issue.path.length === 0 ? doc.contents : doc.getIn(issue.path as (string | number)[], true);
  // "{ vi: Tỉnh, thành phố, en: ... }" reads "thành phố" as a field without a value
  const valueless = issue.keys.some((key) => valueAt(data, [...issue.path, key]) === null);
  return isMap(node) && node.flow && valueless ? '; inside { } a comma separates fields: put text that contains commas in quotes' : '';
}

/** What one branch of a union wanted, in words: "a list" or "one of nation, provinces, ministries". */
function expectation(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return article(issue.expected);
  if (issue.code === 'invalid_value') return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return lowerFirst(issue.message);
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping of fields';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function valueAt(data: unknown, at: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of at) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** "panels[2].query.metric" */
export function formatPath(at: readonly PropertyKey[]): string {
  return at.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

/** The line of the deepest node of path that exists in the YAML document. */
function locate(doc: Document, counter: LineCounter, at: readonly PropertyKey[]): number | null {
  for (let depth = at.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(at.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return null;
}
