/**
 * YAML in, zod out, and every problem located: "agent.yaml:14: sources[1].mapping.ts.format: ...". The operator
 * editing an agent config on a provincial server, or the analyst reviewing a wall page, has only the message to go
 * on: it says where, what was expected and what was written. Used by the agent's config and the dashboards.
 */
import { LineCounter, isMap, isNode, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

export interface FileProblem {
  line: number | null;
  path: string;
  message: string;
}

export function formatFileProblem(file: string, problem: FileProblem): string {
  const where = problem.line === null ? file : `${file}:${problem.line}`;
  return problem.path ? `${where}: ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}

export type ParsedYaml<T> =
  { ok: true; value: T; lineOf(path: readonly PropertyKey[]): number | null } | { ok: false; problems: FileProblem[] };

export interface YamlReadOptions {
  /** Says more than the generic message for some issues (e.g. a panel kind); undefined keeps the generic one. */
  describe?: (issue: z.core.$ZodIssue, got: unknown) => string | undefined;
  /** Appended to "unknown field …": where the valid fields are documented. */
  unknownFieldHint?: string;
}

export function parseYamlWith<S extends z.ZodType>(text: string, schema: S, options: YamlReadOptions = {}): ParsedYaml<z.infer<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        line: lineCounter.linePos(e.pos[0]).line,
        path: '',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const data: unknown = doc.toJS();
  const lineOf = (at: readonly PropertyKey[]) => locate(doc, lineCounter, at);
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const at = asWritten(issue.path, data);
        return {
          line: lineOf(at),
          path: formatPath(at),
          message: describeIssue({ ...issue, path: at } as z.core.$ZodIssue, data, options) + flowHint(doc, issue, data),
        };
      }),
    };
  }
  return { ok: true, value: parsed.data, lineOf };
}

export function formatPath(at: readonly PropertyKey[]): string {
  return at.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
}

/** Zod's messages say what was expected; operators also need to see what they wrote. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown, options: YamlReadOptions): string {
  const got = valueAt(data, issue.path);
  const specific = options.describe?.(issue, got);
  if (specific !== undefined) return specific;
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${options.unknownFieldHint ? ` ${options.unknownFieldHint}` : ''}`;
    case 'invalid_type':
      return got === undefined ? `missing (expected ${article(issue.expected)})` : `expected ${article(issue.expected)}, got ${show(got)}`;
    case 'invalid_union':
      if (issue.discriminator)
        return `${issue.message === 'Invalid input' ? `unknown ${issue.discriminator}` : issue.message} ${show(got)}`;
      {
        const expected = issue.errors.map((branch) => branch.map(expectation).join(' and ')).join(' or ');
        return got === undefined ? `missing (expected ${expected})` : `expected ${expected}; got ${show(got)}`;
      }
    case 'invalid_format':
    case 'invalid_value':
    case 'too_small':
    case 'too_big':
      return `${issue.message}; got ${show(got)}`;
    default:
      return issue.message;
  }
}

function expectation(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return article(issue.expected);
  if (issue.code === 'invalid_value') return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping of fields';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/**
 * A field that takes one item or a list is read as a list: "mapping[0].unit" is "mapping.unit" for someone who
 * wrote a single mapping. Drop the indexes the file does not have.
 */
function asWritten(at: readonly PropertyKey[], data: unknown): PropertyKey[] {
  const result: PropertyKey[] = [];
  let current = data;
  for (const key of at) {
    if (typeof key === 'number' && !Array.isArray(current)) continue;
    result.push(key);
    current = current !== null && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return result;
}

/** "{ vi: Tỉnh, thành phố, en: ... }" reads "thành phố" as a field without a value. */
function flowHint(doc: Document, issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code !== 'unrecognized_keys') return '';
  const node = issue.path.length === 0 ? doc.contents : doc.getIn(issue.path as (string | number)[], true);
  const valueless = issue.keys.some((key) => valueAt(data, [...issue.path, key]) === null);
  return isMap(node) && node.flow && valueless ? '; inside { } a comma separates fields: put text that contains commas in quotes' : '';
}

function valueAt(data: unknown, at: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of at) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function locate(doc: Document, counter: LineCounter, at: readonly PropertyKey[]): number | null {
  for (let depth = at.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(at.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return null;
}
