/**
 * The agent's configuration: one YAML file per installation (see ingest/README.md for a commented example).
 * Validated once at start; a problem is reported as "agent.yaml:14: sources[1].mapping.ts.format: ...".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MAX_POINTS_PER_BATCH } from '@dxoc/contracts';
import { JsonPathError, parseJsonPath } from './jsonpath';
import { parseOffset, type FieldSpec, type Mapping } from './mapping';
import { formatFileProblem, parseYamlWith, type FileProblem } from './yaml-file';

const NAME = /^[A-Za-z0-9_-]{1,40}$/;
const name = z.string().regex(NAME, 'letters, digits, "-" and "_", at most 40 (it becomes part of batch ids and file names)');
const seconds = (fallback: number) => z.number().positive().default(fallback);

const jsonPath = z.string().superRefine((text, ctx) => {
  try {
    parseJsonPath(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof JsonPathError ? error.message : String(error) });
  }
});

const tsFormat = z
  .string()
  .refine((f) => f === 'iso' || f === 'epoch-seconds' || f === 'epoch-millis' || /yyyy/.test(f), 'format is "iso", "epoch-seconds", "epoch-millis" or a pattern with yyyy, MM, dd, HH, mm, ss such as "dd/MM/yyyy HH:mm"');

const FieldSpecSchema = z.strictObject({
  column: z.string().min(1).optional(),
  path: jsonPath.optional(),
  const: z.union([z.string().min(1), z.number()]).optional(),
  now: z.enum(['exact', 'minute', 'hour', 'day']).optional(),
  format: tsFormat.optional(),
  decimal: z.enum(['.', ',']).optional(),
});

/** metric: dvc.services_online is short for metric: { const: dvc.services_online } */
const codeField = z.union([z.string().min(1).transform((value) => ({ const: value }) as FieldSpec), FieldSpecSchema]);

const MappingSchema = z.strictObject({ metric: codeField, unit: codeField, ts: FieldSpecSchema, value: FieldSpecSchema });
/** One mapping, or a list of them (a wide row: one point per mapping). */
const MappingsSchema = z.preprocess((value) => (Array.isArray(value) || value === undefined ? value : [value]), z.array(MappingSchema).min(1));

const FilesSourceSchema = z.strictObject({
  name,
  kind: z.literal('files'),
  dir: z.string().min(1),
  doneDir: z.string().min(1).optional(),
  failedDir: z.string().min(1).optional(),
  pollSeconds: seconds(5),
  csv: z.strictObject({ delimiter: z.enum([',', ';', '\t', '|']).default(',') }).prefault({}),
  xlsx: z.strictObject({ sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional() }).prefault({}),
  mapping: MappingsSchema,
});

const HttpSourceSchema = z.strictObject({
  name,
  kind: z.literal('http'),
  url: z.url(),
  intervalSeconds: seconds(60),
  timeoutSeconds: seconds(10),
  headers: z.record(z.string(), z.string()).default({}),
  /** where the records are in the document: "$" (the document, or each element if it is a list), "$.data.items[*]" */
  items: jsonPath.default('$'),
  mapping: MappingsSchema,
});

const SqlSourceSchema = z.strictObject({
  name,
  kind: z.literal('sql'),
  /** postgres://user@host:5432/db; or connectionEnv: the name of an environment variable holding it (keeps the password out of the file) */
  connection: z.string().min(1).optional(),
  connectionEnv: z.string().min(1).optional(),
  query: z.string().min(1),
  intervalSeconds: seconds(300),
  timeoutSeconds: seconds(30),
  /** incremental reads: the query gets the largest value of this column seen so far as $1 */
  cursor: z.strictObject({ column: z.string().min(1), initial: z.union([z.string(), z.number()]) }).optional(),
  mapping: MappingsSchema,
});

const SourceSchema = z.discriminatedUnion('kind', [FilesSourceSchema, HttpSourceSchema, SqlSourceSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'kind must be "files", "http" or "sql"' : undefined),
});

export const AgentConfigSchema = z
  .strictObject({
    api: z.strictObject({
      url: z.url(),
      key: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
      timeoutSeconds: seconds(30),
    }),
    agent: z.strictObject({
      name,
      stateDir: z.string().min(1).optional(),
      /** for timestamps written without an offset; Viet Nam is UTC+07:00 all year */
      timezone: z.string().refine((t) => parseOffset(t) !== null, 'an offset such as "+07:00"').default('+07:00'),
    }),
    delivery: z
      .strictObject({
        maxPoints: z.number().int().min(1).max(MAX_POINTS_PER_BATCH).default(1000),
        flushIntervalSeconds: seconds(10),
        flushJitterSeconds: z.number().min(0).default(2),
        retryInitialSeconds: seconds(1),
        retryMaxSeconds: seconds(300),
      })
      .prefault({}),
    sources: z.array(SourceSchema).default([]),
  })
  .superRefine((config, ctx) => {
    if (!config.api.key === !config.api.keyFile) {
      ctx.addIssue({ code: 'custom', path: ['api'], message: 'give exactly one of key (the agent key) or keyFile (a file holding it)' });
    }
    const seen = new Map<string, number>();
    config.sources.forEach((source, index) => {
      const earlier = seen.get(source.name);
      if (earlier !== undefined) ctx.addIssue({ code: 'custom', path: ['sources', index, 'name'], message: `source name "${source.name}" is already used by sources[${earlier}]` });
      seen.set(source.name, index);
      source.mapping.forEach((mapping, m) => checkMapping(mapping, source.kind, ['sources', index, 'mapping', ...(source.mapping.length > 1 ? [m] : [])], ctx));
      if (source.kind === 'sql') {
        if (!source.connection === !source.connectionEnv) ctx.addIssue({ code: 'custom', path: ['sources', index], message: 'give exactly one of connection or connectionEnv' });
        if (source.cursor && !/\$1\b/.test(source.query)) ctx.addIssue({ code: 'custom', path: ['sources', index, 'query'], message: 'with a cursor, the query must use $1 (the last value of the cursor column), e.g. WHERE updated_at > $1' });
      }
    });
  });

/** Each field reads from exactly one place, and only from places this kind of source has. */
function checkMapping(mapping: Mapping, kind: 'files' | 'http' | 'sql', at: PropertyKey[], ctx: z.RefinementCtx): void {
  for (const field of ['metric', 'unit', 'ts', 'value'] as const) {
    const spec = mapping[field];
    const where = [...at, field];
    const sources = (['column', 'path', 'const', 'now'] as const).filter((k) => spec[k] !== undefined);
    if (sources.length !== 1) {
      const allowed = kind === 'http' ? 'path or const' : 'column or const';
      ctx.addIssue({ code: 'custom', path: where, message: `give exactly one of ${field === 'ts' ? `${allowed} or now` : allowed}${sources.length > 1 ? `, not ${sources.join(' and ')}` : ''}` });
      continue;
    }
    if (spec.column !== undefined && kind === 'http') ctx.addIssue({ code: 'custom', path: [...where, 'column'], message: 'an http source reads JSON: use path: "$.field"' });
    if (spec.path !== undefined && kind !== 'http') ctx.addIssue({ code: 'custom', path: [...where, 'path'], message: `a ${kind} source reads columns: use column: <name>` });
    if (field !== 'ts' && (spec.now !== undefined || spec.format !== undefined)) ctx.addIssue({ code: 'custom', path: where, message: 'now and format apply to ts only' });
    if (field !== 'value' && spec.decimal !== undefined) ctx.addIssue({ code: 'custom', path: [...where, 'decimal'], message: 'decimal applies to value only' });
  }
}

type RawConfig = z.infer<typeof AgentConfigSchema>;
export type FilesSourceConfig = z.infer<typeof FilesSourceSchema> & { doneDir: string; failedDir: string };
export type HttpSourceConfig = z.infer<typeof HttpSourceSchema>;
export type SqlSourceConfig = z.infer<typeof SqlSourceSchema> & { connectionString: string };
export type SourceConfig = FilesSourceConfig | HttpSourceConfig | SqlSourceConfig;

export interface AgentConfig {
  file: string;
  api: { url: string; key: string; timeoutMs: number };
  agent: { name: string; stateDir: string; offsetMinutes: number; timezone: string };
  delivery: { maxPoints: number; flushIntervalMs: number; flushJitterMs: number; retryInitialMs: number; retryMaxMs: number };
  sources: SourceConfig[];
}

export class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: FileProblem[],
  ) {
    super(problems.map((p) => formatFileProblem(file, p)).join('\n'));
    this.name = 'ConfigFileError';
  }
}

/** Reads and checks the file; relative paths are relative to the file's folder. */
export function loadAgentConfig(file: string, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(file, [{ line: null, path: '', message: `cannot read the configuration: ${(error as Error).message}` }]);
  }
  const parsed = parseYamlWith(text, AgentConfigSchema);
  if (!parsed.ok) throw new ConfigFileError(file, parsed.problems);
  return resolveConfig(file, parsed.value, env, parsed.lineOf);
}

function resolveConfig(file: string, raw: RawConfig, env: NodeJS.ProcessEnv, lineOf: (p: readonly PropertyKey[]) => number | null): AgentConfig {
  const base = path.dirname(path.resolve(file));
  const resolve = (p: string) => path.resolve(base, p);
  const problems: FileProblem[] = [];
  let key = raw.api.key ?? '';
  if (raw.api.keyFile) {
    try {
      key = readFileSync(resolve(raw.api.keyFile), 'utf8').trim();
      if (!key) problems.push({ line: lineOf(['api', 'keyFile']), path: 'api.keyFile', message: `${resolve(raw.api.keyFile)} is empty` });
    } catch (error) {
      problems.push({ line: lineOf(['api', 'keyFile']), path: 'api.keyFile', message: `cannot read the key file: ${(error as Error).message}` });
    }
  }
  const sources = raw.sources.map((source, index): SourceConfig => {
    if (source.kind === 'files') {
      const dir = resolve(source.dir);
      return { ...source, dir, doneDir: source.doneDir ? resolve(source.doneDir) : path.join(dir, 'done'), failedDir: source.failedDir ? resolve(source.failedDir) : path.join(dir, 'failed') };
    }
    if (source.kind === 'sql') {
      const connectionString = source.connection ?? env[source.connectionEnv as string] ?? '';
      if (!connectionString) problems.push({ line: lineOf(['sources', index, 'connectionEnv']), path: `sources[${index}].connectionEnv`, message: `the environment variable ${source.connectionEnv} is not set` });
      return { ...source, connectionString };
    }
    return source;
  });
  if (problems.length > 0) throw new ConfigFileError(file, problems);
  return {
    file: path.resolve(file),
    api: { url: raw.api.url.replace(/\/+$/, ''), key, timeoutMs: raw.api.timeoutSeconds * 1000 },
    agent: {
      name: raw.agent.name,
      stateDir: raw.agent.stateDir ? resolve(raw.agent.stateDir) : path.join(base, `${raw.agent.name}-state`),
      offsetMinutes: parseOffset(raw.agent.timezone) as number,
      timezone: raw.agent.timezone,
    },
    delivery: {
      maxPoints: raw.delivery.maxPoints,
      flushIntervalMs: raw.delivery.flushIntervalSeconds * 1000,
      flushJitterMs: raw.delivery.flushJitterSeconds * 1000,
      retryInitialMs: raw.delivery.retryInitialSeconds * 1000,
      retryMaxMs: raw.delivery.retryMaxSeconds * 1000,
    },
    sources,
  };
}
