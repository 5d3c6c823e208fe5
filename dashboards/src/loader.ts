/**
 * Reads the wall's page definitions (one YAML file per page) and validates them against the schema, the grid
 * and, when a catalog is given, the real metric and unit codes. Every problem names the file, the line when it
 * can be found, the path inside the definition and what is wrong, because the person reading it is reviewing a
 * pull request or an operator whose wall did not start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFileProblem, formatPath, parseYamlWith, show, type FileProblem, type YamlReadOptions } from '@dxoc/contracts/yaml';
import { checkReferences, type DashboardCatalog } from './references';
import { COMPARE_MODES, DashboardPage, Panel } from './schema';

/** The shipped definitions: dashboards/pages next to this package's src. */
export const DEFAULT_PAGES_DIR = fileURLToPath(new URL('../pages', import.meta.url));

/** A problem of one definition: line (1-based, when the path can be located), path ("panels[2].query.metric"). */
export interface DefinitionProblem extends FileProblem {
  /** the file as given (relative to the directory that was loaded) */
  file: string;
}

export function formatProblem(problem: DefinitionProblem): string {
  return formatFileProblem(problem.file, problem);
}

/** One error for the whole set, so a caller (the backend at startup) can stop with one message. */
export class DashboardDefinitionError extends Error {
  constructor(readonly problems: DefinitionProblem[]) {
    const [first, ...rest] = problems.map(formatProblem);
    super(
      rest.length === 0
        ? `invalid dashboard definition: ${first}`
        : `invalid dashboard definitions (${problems.length} problems): ${[first, ...rest].join('; ')}`,
    );
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
    files = readdirSync(dir)
      .filter((name) => DEFINITION_FILE.test(name) && !name.startsWith('.'))
      .sort();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the directory does not exist' : (error as Error).message;
    return {
      pages: [],
      files: [],
      problems: [{ file: dir, line: null, path: '', message: `cannot read the dashboards directory: ${reason}` }],
    };
  }
  if (files.length === 0) {
    return {
      pages: [],
      files,
      problems: [{ file: dir, line: null, path: '', message: 'no page definitions (*.yaml) found: the wall would be blank' }],
    };
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
      problems.push({
        file,
        line: result.lineOf(['id']),
        path: 'id',
        message: `page id "${result.page.id}" is already used by ${earlier}`,
      });
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

const PANEL_KINDS = Panel.options.map((option) => option.shape.kind.value);

const YAML_OPTIONS: YamlReadOptions = {
  unknownFieldHint: '(check the spelling against dashboards/README.md)',
  describe: (issue, got) => {
    if (issue.code === 'unrecognized_keys' && issue.keys.includes('compare') && issue.path[0] === 'panels')
      return `"compare" is set once for the whole page (at the top of the file, next to "title"), not per panel, so that every tile on the page has the same reference; one of ${COMPARE_MODES.join(', ')}`;
    if (issue.code === 'invalid_value' && issue.path.length === 1 && issue.path[0] === 'compare')
      return `unknown comparison ${show(got)}; expected one of ${COMPARE_MODES.join(', ')} (see dashboards/README.md, "Comparisons")`;
    if (issue.code !== 'invalid_union' || issue.discriminator !== 'kind') return undefined;
    return got === undefined
      ? `"kind" is missing; expected one of ${PANEL_KINDS.join(', ')}`
      : `unknown panel kind ${show(got)}; expected one of ${PANEL_KINDS.join(', ')}`;
  },
};

/** Validates one definition's text; file is only used to name the problems (and must match the page id). */
export function parseDashboardFile(file: string, text: string, options: LoadOptions = {}): ParsedFile {
  const parsed = parseYamlWith(text, DashboardPage, YAML_OPTIONS);
  if (!parsed.ok) return { page: null, lineOf: () => null, problems: parsed.problems.map((p) => ({ file, ...p })) };
  const { value: page, lineOf } = parsed;
  const problem = (at: readonly PropertyKey[], message: string): DefinitionProblem => ({
    file,
    line: lineOf(at),
    path: formatPath(at),
    message,
  });
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
        problems.push({
          path: ['panels', index, 'position'],
          message: `panel "${panel.id}" overlaps panel "${a.id}" (panels[${other}]) on the grid`,
        });
      }
    }
  });
  return problems;
}
