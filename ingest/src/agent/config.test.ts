import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFileError, loadAgentConfig } from './config';

/** The configuration example of ingest/README.md: the README shows what this test loads. */
const EXAMPLE = (() => {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('ingest/README.md has no ```yaml example');
  return block[1] as string;
})();

describe('loadAgentConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-config-'));
    writeFileSync(path.join(dir, 'hcm.key'), 'dxoc_0123456789abcdef_secret\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (text: string) => {
    const file = path.join(dir, `agent-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, text);
    return file;
  };
  const problems = (text: string, env: NodeJS.ProcessEnv = {}) => {
    try {
      loadAgentConfig(write(text), env);
    } catch (error) {
      if (error instanceof ConfigFileError)
        return error.message.split('\n').map((line) => line.replace(/^.*?agent-[a-z0-9]+\.yaml/, 'agent.yaml'));
      throw error;
    }
    return [];
  };

  it('reads the README example: defaults, the key file, paths relative to the file, the connection from the environment', () => {
    const config = loadAgentConfig(write(EXAMPLE), { INVOICES_DB_URL: 'postgres://reader@db.local/invoices' });
    expect(config.api).toEqual({ url: 'https://dxoc.example.gov.vn', key: 'dxoc_0123456789abcdef_secret', timeoutMs: 30_000 });
    expect(config.agent).toMatchObject({ name: 'hcm-one-stop', stateDir: path.join(dir, 'state'), offsetMinutes: 420 });
    const [files, http, sql] = config.sources;
    expect(files).toMatchObject({
      kind: 'files',
      dir: path.join(dir, 'inbox'),
      doneDir: path.join(dir, 'inbox', 'done'),
      failedDir: path.join(dir, 'inbox', 'failed'),
      csv: { delimiter: ';' },
    });
    expect(files?.mapping[0]?.metric).toEqual({ const: 'dvc.services_online' });
    expect(http).toMatchObject({ kind: 'http', timeoutSeconds: 10, items: '$.data[*]' });
    expect(sql).toMatchObject({ kind: 'sql', connectionString: 'postgres://reader@db.local/invoices' });
  });

  it.each([
    [
      'no key',
      'api: { url: "http://x" }\nagent: { name: a }\n',
      ['agent.yaml:1: api: give exactly one of key (the agent key) or keyFile (a file holding it)'],
    ],
    ['an unknown field', 'api: { url: "http://x", key: k }\nagent: { name: a, nmae: b }\n', ['agent.yaml:2: agent: unknown field "nmae"']],
    [
      'a name with spaces',
      'api: { url: "http://x", key: k }\nagent: { name: "Sở TT" }\n',
      [expect.stringContaining('agent.yaml:2: agent.name: letters, digits, "-" and "_"')],
    ],
    [
      'a time zone name',
      'api: { url: "http://x", key: k }\nagent: { name: a, timezone: Asia/Ho_Chi_Minh }\n',
      [expect.stringContaining('agent.yaml:2: agent.timezone: an offset such as "+07:00"')],
    ],
    [
      'a JSON path in a files source',
      'api: { url: "http://x", key: k }\nagent: { name: a }\nsources:\n  - name: f\n    kind: files\n    dir: in\n    mapping:\n      metric: m\n      unit: u\n      ts: { path: $.t }\n      value: { column: v }\n',
      ['agent.yaml:10: sources[0].mapping.ts.path: a files source reads columns: use column: <name>'],
    ],
    [
      'a mapping without a unit',
      'api: { url: "http://x", key: k }\nagent: { name: a }\nsources:\n  - name: f\n    kind: files\n    dir: in\n    mapping:\n      metric: m\n      ts: { path: $.t }\n      value: { column: v }\n',
      ['agent.yaml:8: sources[0].mapping.unit: missing (expected a string or a mapping of fields)'],
    ],
    [
      'a cursor without $1, and a bad path',
      'api: { url: "http://x", key: k }\nagent: { name: a }\nsources:\n  - name: s\n    kind: sql\n    connection: postgres://x\n    query: SELECT 1\n    cursor: { column: c, initial: 0 }\n    mapping: { metric: m, unit: u, ts: { now: day }, value: { column: v } }\n  - name: h\n    kind: http\n    url: http://y\n    items: data\n    mapping: { metric: m, unit: u, ts: { now: day }, value: { path: $.v } }\n',
      [
        'agent.yaml:13: sources[1].items: a path starts with "$", such as "$.data.items[*]"; got "data"',
        'agent.yaml:7: sources[0].query: with a cursor, the query must use $1 (the last value of the cursor column), e.g. WHERE updated_at > $1',
      ],
    ],
    [
      'an unknown source kind',
      'api: { url: "http://x", key: k }\nagent: { name: a }\nsources:\n  - { name: q, kind: ftp }\n',
      [expect.stringContaining('agent.yaml:4: sources[0].kind: ')],
    ],
    [
      'a missing environment variable',
      'api: { url: "http://x", key: k }\nagent: { name: a }\nsources:\n  - name: s\n    kind: sql\n    connectionEnv: NOT_SET\n    query: SELECT 1\n    mapping: { metric: m, unit: u, ts: { now: day }, value: { column: v } }\n',
      ['agent.yaml:6: sources[0].connectionEnv: the environment variable NOT_SET is not set'],
    ],
    ['not YAML', 'api: [\n', [expect.stringContaining('not valid YAML')]],
  ])('names the line, the path and the problem: %s', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });
});
