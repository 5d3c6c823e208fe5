/**
 * Every kind of source the agent reads. A new kind is a module exporting a Source (./source.ts) and one line
 * here; config.ts, `run` and `check` pick it up from this list. See "Add an agent source" in ingest/README.md.
 */
import { filesSource } from './files';
import { httpSource } from './http';
import { SourceRegistry } from './registry';
import { sqlSource } from './sql';

export const SOURCES = new SourceRegistry([
  filesSource, // a drop folder of CSV and XLSX files
  httpSource, // a JSON endpoint, polled
  sqlSource, // a PostgreSQL query, polled, with an optional cursor
]);

export { SourceRegistry } from './registry';
export type { CheckResult, FetchJson, PgClientFactory, RunningSource, Source, SourceConfig, SourceContext } from './source';
