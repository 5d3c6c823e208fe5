// Reads the deployment files and the backend configuration they must agree with.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(infraDir, '..');

export const read = (relativeToRepo: string): string => readFileSync(path.join(repoRoot, relativeToRepo), 'utf8');

/** Every document of a YAML file (empty ones dropped); throws on any YAML error or warning (duplicate keys, …). */
export function parseYamlStream(text: string, name: string): unknown[] {
  // merge: Compose files use YAML merge keys (<<: *anchor)
  return parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true, merge: true })
    .map((doc) => {
      const problems = [...doc.errors, ...doc.warnings];
      if (problems.length > 0) throw new Error(`${name}: ${problems.map((p) => p.message).join('; ')}`);
      return doc.toJS({ maxAliasCount: 100 }) as unknown;
    })
    .filter((doc) => doc !== null && doc !== undefined);
}

export const parseYaml = (text: string, name: string): unknown => parseYamlStream(text, name)[0];

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export function readKubernetesDir(relativeDir = 'infra/k8s'): Array<{ file: string; objects: KubeObject[] }> {
  const dir = path.join(repoRoot, relativeDir);
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && name !== 'kustomization.yaml')
    .sort()
    .map((name) => ({ file: name, objects: parseYamlStream(readFileSync(path.join(dir, name), 'utf8'), name) as KubeObject[] }));
}

/**
 * The environment variables the backend reads: the keys of EnvSchema in backend/src/config/config.ts (the only
 * place that reads the environment), so these checks follow the code.
 */
export function backendEnvKeys(configSource = read('backend/src/config/config.ts')): string[] {
  const keys = [...envSchemaBlock(configSource).matchAll(/^\s+([A-Z][A-Z0-9_]+)\s*:/gm)].map((match) => match[1] as string);
  if (keys.length === 0) throw new Error('no keys found in EnvSchema of backend/src/config/config.ts');
  return keys;
}

/** PORT's default in EnvSchema. */
export function backendDefaultPort(configSource = read('backend/src/config/config.ts')): number {
  const match = /^\s+PORT\s*:.*\.default\((\d+)\)/m.exec(envSchemaBlock(configSource));
  if (!match) throw new Error('no PORT default found in EnvSchema of backend/src/config/config.ts');
  return Number(match[1]);
}

function envSchemaBlock(source: string): string {
  const start = source.search(/const EnvSchema\s*=\s*z\.object\(\{/);
  if (start < 0) throw new Error('EnvSchema = z.object({ … }) not found in backend/src/config/config.ts');
  const end = source.indexOf('\n});', start);
  if (end < 0) throw new Error('end of EnvSchema not found');
  return source.slice(start, end);
}

/** MAX_BODY_BYTES of the ingest contract: the largest request body the backend accepts. */
export function ingestMaxBodyBytes(): number {
  // the wire contract lives in @dxoc/contracts (it used to live in @dxoc/ingest)
  for (const dir of ['contracts/src', 'ingest/src'].map((d) => path.join(repoRoot, d)).filter(existsSync)) {
    const sources = readdirSync(dir, { recursive: true })
      .map(String)
      .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'));
    for (const name of sources) {
      const match = /export const MAX_BODY_BYTES\s*=\s*([\d\s*_]+);/.exec(readFileSync(path.join(dir, name), 'utf8'));
      if (match) return (match[1] as string).split('*').reduce((product, factor) => product * Number(factor.replace(/[\s_]/g, '')), 1);
    }
  }
  throw new Error('export const MAX_BODY_BYTES = … not found in contracts/src or ingest/src');
}
