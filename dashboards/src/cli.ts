/**
 * dxoc-dashboards validate [dir] [--catalog <api-url>] [--no-catalog]
 * Exit 0 when every definition is valid; else one line per problem (file:line: path: what is wrong) and exit 1.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { catalogFromApi, referenceCatalog } from './catalog-source';
import { DEFAULT_PAGES_DIR, formatProblem, validateDashboards } from './loader';
import type { DashboardCatalog } from './references';

const USAGE = `dxoc-dashboards — dashboards as code for the dxoc wall

Usage: dxoc-dashboards validate [dir] [--catalog <api-url>] [--no-catalog]

  dir            folder of page definitions (*.yaml); default: the shipped dashboards/pages
  --catalog URL  check metric and unit codes against a running dxoc API (e.g. http://localhost:3000)
  --no-catalog   check the schema and the layout only
Without either flag, codes are checked against the reference catalog in @dxoc/contracts.`;

export async function main(
  argv: string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { catalog: { type: 'string' }, 'no-catalog': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, dirArg] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (command !== 'validate') {
    err(`dxoc-dashboards: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  const dir = dirArg ? path.resolve(dirArg) : DEFAULT_PAGES_DIR;
  let catalog: DashboardCatalog | null = null;
  let catalogNote = 'metric and unit codes not checked (--no-catalog)';
  if (!values['no-catalog']) {
    try {
      catalog = values.catalog ? await catalogFromApi(values.catalog) : referenceCatalog();
    } catch (error) {
      err(`dxoc-dashboards: cannot read the catalog${values.catalog ? ` from ${values.catalog}` : ''}: ${(error as Error).message}`);
      return 1;
    }
    catalogNote = `codes checked against ${values.catalog ?? 'the reference catalog (@dxoc/contracts)'}`;
  }
  const result = validateDashboards(dir, catalog ? { catalog } : {});
  const shown = (file: string) => path.relative(process.cwd(), path.join(dir, file)) || file;
  if (result.problems.length > 0) {
    for (const problem of result.problems)
      err(formatProblem({ ...problem, file: result.files.includes(problem.file) ? shown(problem.file) : problem.file }));
    err(
      `${result.problems.length} problem${result.problems.length > 1 ? 's' : ''} in ${dir}; the backend refuses to start with these definitions`,
    );
    return 1;
  }
  out(
    `ok: ${result.pages.length} page${result.pages.length > 1 ? 's' : ''} in ${dir} (${result.pages.map((p) => `${p.order}:${p.id}`).join(', ')}); ${catalogNote}`,
  );
  return 0;
}
