/**
 * The agent's configuration: one YAML file per installation (see ingest/README.md for a commented example).
 * Validated once at start; a problem is reported as "agent.yaml:14: sources[1].mapping.ts.format: ...".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { MAX_POINTS_PER_BATCH } from '@dxoc/contracts';
import { parseOffset, type Mapping } from './mapping';
import { NameSchema, seconds } from './schema';
import { SOURCES, type SourceConfig, type SourceRegistry } from './sources';
import { formatFileProblem, formatPath, parseYamlWith, type FileProblem } from '@dxoc/contracts/yaml';

export type { SourceConfig } from './sources';

/** The whole file; `sources:` takes the entries of the kinds in the registry. */
export function agentConfigSchema(sources: SourceRegistry) {
  return z
    .strictObject({
      api: z.strictObject({
        url: z.url(),
        key: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
        timeoutSeconds: seconds(30),
      }),
      agent: z.strictObject({
        name: NameSchema,
        stateDir: z.string().min(1).optional(),
        /** for timestamps written without an offset; Viet Nam is UTC+07:00 all year */
        timezone: z
          .string()
          .refine((t) => parseOffset(t) !== null, 'an offset such as "+07:00"')
          .default('+07:00'),
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
      sources: z.array(sources.entrySchema()).default([]),
    })
    .superRefine((config, ctx) => {
      if (!config.api.key === !config.api.keyFile) {
        ctx.addIssue({ code: 'custom', path: ['api'], message: 'give exactly one of key (the agent key) or keyFile (a file holding it)' });
      }
      const seen = new Map<string, number>();
      config.sources.forEach((source, index) => {
        const earlier = seen.get(source.name);
        if (earlier !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['sources', index, 'name'],
            message: `source name "${source.name}" is already used by sources[${earlier}]`,
          });
        seen.set(source.name, index);
        const reads = sources.reads(source);
        source.mapping.forEach((mapping, m) =>
          checkMapping(mapping, source.kind, reads, ['sources', index, 'mapping', ...(source.mapping.length > 1 ? [m] : [])], ctx),
        );
        sources.refine(source, (at, message) => ctx.addIssue({ code: 'custom', path: ['sources', index, ...at], message }));
      });
    });
}

/** Each field reads from exactly one place, and only from places this kind of source has. */
function checkMapping(mapping: Mapping, kind: string, reads: 'columns' | 'json', at: PropertyKey[], ctx: z.RefinementCtx): void {
  const aSource = `${/^(?:[aeiou]|http)/i.test(kind) ? 'an' : 'a'} ${kind} source`;
  for (const field of ['metric', 'unit', 'ts', 'value'] as const) {
    const spec = mapping[field];
    const where = [...at, field];
    const sources = (['column', 'path', 'const', 'now'] as const).filter((k) => spec[k] !== undefined);
    if (sources.length !== 1) {
      const allowed = reads === 'json' ? 'path or const' : 'column or const';
      ctx.addIssue({
        code: 'custom',
        path: where,
        message: `give exactly one of ${field === 'ts' ? `${allowed} or now` : allowed}${sources.length > 1 ? `, not ${sources.join(' and ')}` : ''}`,
      });
      continue;
    }
    if (spec.column !== undefined && reads === 'json')
      ctx.addIssue({ code: 'custom', path: [...where, 'column'], message: `${aSource} reads JSON: use path: "$.field"` });
    if (spec.path !== undefined && reads === 'columns')
      ctx.addIssue({ code: 'custom', path: [...where, 'path'], message: `${aSource} reads columns: use column: <name>` });
    if (field !== 'ts' && (spec.now !== undefined || spec.format !== undefined))
      ctx.addIssue({ code: 'custom', path: where, message: 'now and format apply to ts only' });
    if (field !== 'value' && spec.decimal !== undefined)
      ctx.addIssue({ code: 'custom', path: [...where, 'decimal'], message: 'decimal applies to value only' });
  }
}

type RawConfig = z.infer<ReturnType<typeof agentConfigSchema>>;

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

/** Reads and checks the file; relative paths are relative to the file's folder. sources: the kinds of source it may use. */
export function loadAgentConfig(file: string, env: NodeJS.ProcessEnv = process.env, sources: SourceRegistry = SOURCES): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(file, [{ line: null, path: '', message: `cannot read the configuration: ${(error as Error).message}` }]);
  }
  const parsed = parseYamlWith(text, agentConfigSchema(sources));
  if (!parsed.ok) throw new ConfigFileError(file, parsed.problems);
  return resolveConfig(file, parsed.value, env, parsed.lineOf, sources);
}

function resolveConfig(
  file: string,
  raw: RawConfig,
  env: NodeJS.ProcessEnv,
  lineOf: (p: readonly PropertyKey[]) => number | null,
  registry: SourceRegistry,
): AgentConfig {
  const base = path.dirname(path.resolve(file));
  const resolve = (p: string) => path.resolve(base, p);
  const problems: FileProblem[] = [];
  let key = raw.api.key ?? '';
  if (raw.api.keyFile) {
    try {
      key = readFileSync(resolve(raw.api.keyFile), 'utf8').trim();
      if (!key) problems.push({ line: lineOf(['api', 'keyFile']), path: 'api.keyFile', message: `${resolve(raw.api.keyFile)} is empty` });
    } catch (error) {
      problems.push({
        line: lineOf(['api', 'keyFile']),
        path: 'api.keyFile',
        message: `cannot read the key file: ${(error as Error).message}`,
      });
    }
  }
  const sources = raw.sources.map((source, index) =>
    registry.resolve(source, {
      resolvePath: resolve,
      env,
      report: (at, message) =>
        problems.push({ line: lineOf(['sources', index, ...at]), path: formatPath(['sources', index, ...at]), message }),
    }),
  );
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
