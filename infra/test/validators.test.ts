// The checks themselves, on small inline fixtures: each must flag what it is there to flag, so a green run of the
// other tests means something.
import { describe, expect, it } from 'vitest';
import {
  checkComposeBasics,
  checkComposeSecrets,
  containerPort,
  envFileKeys,
  undocumentedVariables,
  type ComposeFile,
} from '../src/compose';
import { checkDockerfile, dockerStages } from '../src/dockerfile';
import { backendDefaultPort, backendEnvKeys, parseYaml, parseYamlStream, type KubeObject } from '../src/files';
import { imageName, imagePinProblem, imageTag, interpolate } from '../src/images';
import { checkKubernetes } from '../src/kubernetes';
import { block, directives, nginxSeconds } from '../src/nginx';

describe('imagePinProblem', () => {
  it.each([
    'timescale/timescaledb:2.23.1-pg17',
    'redis:8.2.2-alpine',
    'nginx:1.28.0-alpine',
    'node:20.20.2-bookworm-slim',
    'registry.example.gov.vn:5000/dxoc/backend:0.1.0',
    `nginx@sha256:${'a'.repeat(64)}`,
  ])('accepts %s', (ref) => expect(imagePinProblem(ref)).toBeNull());

  it.each([
    ['redis', 'no tag'],
    ['redis:latest', 'floating'],
    ['registry.example.gov.vn:5000/dxoc/backend', 'no tag'],
    ['timescale/timescaledb:latest-pg17', 'not an exact version'],
    ['postgres:17', 'not an exact version'],
    ['nginx:alpine', 'not an exact version'],
    ['dxoc/backend:${TAG}', 'unresolved variable'],
  ])('flags %s', (ref, why) => expect(imagePinProblem(ref)).toContain(why));

  it('tells a registry port from a tag', () => {
    expect([
      imageName('registry.example.gov.vn:5000/dxoc/backend:0.1.0'),
      imageTag('registry.example.gov.vn:5000/dxoc/backend:0.1.0'),
    ]).toEqual(['registry.example.gov.vn:5000/dxoc/backend', '0.1.0']);
    expect(imageTag('registry.example.gov.vn:5000/dxoc/backend')).toBeNull();
  });
});

describe('interpolate', () => {
  it('follows Compose: defaults, required values, $$', () => {
    expect(interpolate('a:${V:-1.0}', {}).value).toBe('a:1.0');
    expect(interpolate('a:${V:-1.0}', { V: '' }).value).toBe('a:1.0');
    expect(interpolate('a:${V-1.0}', { V: '' }).value).toBe('a:');
    expect(interpolate('${V:?set V}', {}).unresolved).toEqual(['V']);
    expect(interpolate('${V}', { V: 'x' })).toEqual({ value: 'x', unresolved: [] });
    expect(interpolate('$${NOT}', {}).value).toBe('${NOT}');
  });
});

describe('checkComposeBasics', () => {
  const fixture = parseYaml(
    `
services:
  db:
    image: postgres
    healthcheck: { test: ["CMD", "pg_isready"] }
  cache:
    image: redis:latest
  web:
    image: \${WEB_IMAGE:-nginx:1.28.0}
    healthcheck: { disable: true }
    depends_on:
      db: { condition: service_healthy }
      cache: { condition: service_healthy }
  once:
    image: app:1.0.0
    restart: "no"
  app:
    image: app:1.0.0
    healthcheck: { test: ["CMD", "true"] }
    depends_on: { once: { condition: service_completed_successfully } }
    volumes: ["data:/data"]
`,
    'fixture',
  ) as ComposeFile;

  it('flags an untagged and a latest image, missing health checks', () => {
    const problems = checkComposeBasics(fixture, {});
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^db: image .*no tag/),
        expect.stringMatching(/^cache: image .*floating tag "latest"/),
        'cache: no health check',
        'web: no health check',
        'web: waits for cache to be healthy, but cache has no health check',
      ]),
    );
    // a one-shot that others wait for needs no health check; a pinned default passes
    expect(problems.some((p) => p.startsWith('once:'))).toBe(false);
    expect(problems.some((p) => p.startsWith('web: image'))).toBe(false);
  });

  it('resolves the image tag from the environment', () => {
    expect(checkComposeBasics(fixture, { WEB_IMAGE: 'nginx:latest' })).toContain(
      'web: image "nginx:latest" uses the floating tag "latest"',
    );
  });
});

describe('checkComposeSecrets', () => {
  it('flags literal and defaulted passwords, also inside URLs', () => {
    const fixture = parseYaml(
      `
services:
  a:
    image: x:1.0.0
    environment:
      POSTGRES_PASSWORD: hunter2
      REDIS_PASSWORD: \${REDIS_PASSWORD:-changeme}
      OK_PASSWORD: \${OK_PASSWORD:?set it}
      DATABASE_URL: postgres://u:hunter2@db:5432/x
      GOOD_URL: postgres://\${U:-u}:\${P:?set P}@db:5432/x
`,
      'fixture',
    ) as ComposeFile;
    expect(checkComposeSecrets(fixture)).toEqual([
      'a: POSTGRES_PASSWORD is not taken from the environment file (${VAR} with no default)',
      'a: REDIS_PASSWORD is not taken from the environment file (${VAR} with no default)',
      'a: DATABASE_URL has a password in its URL that is not taken from the environment file',
    ]);
  });

  it('finds variables the example file does not document', () => {
    expect(undocumentedVariables('image: x:${TAG:-1.0.0}\ncommand: echo $${NOT_ONE}\n# ${IN_A_COMMENT}', 'TAG=1.0.0')).toEqual([]);
    expect(undocumentedVariables('x: ${AA}${BB}', '# AA=1')).toEqual(['BB']);
    expect(envFileKeys('A=1\n# BB=2\n#   CC: explained\n# plain words', { includeCommented: true })).toEqual(new Set(['A', 'BB', 'CC']));
  });

  it('reads the container side of port mappings', () => {
    expect(containerPort('8080')).toBe(8080);
    expect(containerPort('${BIND:-0.0.0.0}:${PORT:-80}:8080')).toBe(8080);
    expect(containerPort('127.0.0.1:80:8080/tcp')).toBe(8080);
    expect(containerPort({ target: 8080 })).toBe(8080);
  });
});

describe('checkKubernetes', () => {
  const objects = parseYamlStream(
    `
apiVersion: v1
kind: Namespace
metadata: { name: ns }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ns }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:latest
          ports: [{ name: http, containerPort: 8080 }]
          envFrom: [{ secretRef: { name: missing } }]
          readinessProbe: { httpGet: { path: /, port: metrics } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: other }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 9090 }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: cfg, namespace: ns }
data: { PORT: 3000 }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web, namespace: ns }
spec: { minAvailable: 1, selector: { matchLabels: { app: web } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: ns }
spec:
  rules:
    - http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: nope, port: { number: 80 } } } }
`,
    'fixture',
  ) as KubeObject[];

  it('flags an unpinned image, missing probes, resources and pod security, and broken references', () => {
    const problems = checkKubernetes(objects, { namespace: 'ns' });
    for (const expected of [
      'Deployment/web container web: image "nginx:latest" uses the floating tag "latest"',
      'Deployment/web container web: no livenessProbe',
      'Deployment/web container web: readinessProbe port metrics is not a declared containerPort',
      'Deployment/web container web: no memory limit',
      'Deployment/web container web: runAsNonRoot is not true',
      'Deployment/web container web: allowPrivilegeEscalation is not false',
      'Deployment/web container web: envFrom names unknown Secret missing',
      'Service/web: namespace is other, not ns',
      'Service/web: targetPort 9090 is not a containerPort of Deployment/web',
      'PodDisruptionBudget/web: minAvailable 1 with 1 replicas blocks every voluntary eviction (node drains)',
      'Ingress/web: / goes to unknown Service nope',
    ])
      expect(problems).toContain(expected);
  });
});

describe('reading nginx directives', () => {
  const conf = `
    # proxy_read_timeout 1s; (a comment)
    upstream be { hash $remote_addr consistent; server backend:3000 resolve; }
    server {
      listen 8080;
      location /socket.io/ { proxy_pass http://be; proxy_read_timeout 1h; proxy_send_timeout 3600s; }
      location /api/ { proxy_read_timeout 120s; }
    }`;

  it('finds directives and blocks, not comments', () => {
    expect(directives(conf, 'listen')).toEqual([['8080']]);
    expect(directives(conf, 'proxy_read_timeout')).toEqual([['1h'], ['120s']]);
    expect(directives(block(conf, /upstream\s+be/) ?? '', 'server')).toEqual([['backend:3000', 'resolve']]);
    expect(directives(block(conf, /location\s+\/api\//) ?? '', 'proxy_send_timeout')).toEqual([]);
    expect(block(conf, /location\s+\/nope\//)).toBeUndefined();
  });

  it('reads nginx times', () => {
    expect(nginxSeconds('1h')).toBe(3600);
    expect(nginxSeconds('1m30s')).toBe(90);
    expect(nginxSeconds('90')).toBe(90);
    expect(nginxSeconds('500ms')).toBe(0.5);
  });
});

describe('checkDockerfile', () => {
  it('flags an unpinned base, a root user and a missing health check', () => {
    expect(checkDockerfile('FROM node\nRUN true\n')).toEqual([
      'FROM "node" has no tag (it means :latest)',
      'the final stage has no USER: it would run as root',
      'the final stage has no HEALTHCHECK',
    ]);
    expect(checkDockerfile('ARG BASE=node:20\nFROM ${BASE}\nUSER root\nHEALTHCHECK NONE\n')).toEqual([
      'FROM "node:20" uses "20", not an exact version (e.g. 1.2.3-alpine)',
      'the final stage runs as root',
      'the final stage has no HEALTHCHECK',
    ]);
  });

  it('substitutes ARG defaults and knows earlier stages by name', () => {
    const text =
      'ARG NODE=node:20.20.2-bookworm-slim\nFROM ${NODE} AS build\nRUN a \\\n  && b\nFROM build\nUSER 1000\nHEALTHCHECK CMD ["true"]\n';
    expect(checkDockerfile(text)).toEqual([]);
    expect(dockerStages(text)[0]?.instructions).toEqual([{ keyword: 'RUN', args: 'a    && b' }]);
    // a comment line inside a continued instruction is not part of it
    expect(dockerStages('FROM x:1.0\nRUN a \\\n  # why\n  && b\n')[0]?.instructions).toEqual([{ keyword: 'RUN', args: 'a    && b' }]);
  });
});

describe('reading the backend configuration', () => {
  it('finds the EnvSchema keys and the PORT default', () => {
    const source = `
const EnvSchema = z.object({
  PORT: z.coerce.number().int().default(4000),
  // a comment
  DXOC_X: interval.prefault('off'),
  DATABASE_URL: z.string().url().optional(),
});
const Other = z.object({ NOT_THIS: z.string() });`;
    expect(backendEnvKeys(source)).toEqual(['PORT', 'DXOC_X', 'DATABASE_URL']);
    expect(backendDefaultPort(source)).toBe(4000);
    expect(() => backendEnvKeys('const Nothing = 1;')).toThrow(/EnvSchema/);
  });

  it('finds them in the real backend/src/config/config.ts', () => {
    const keys = backendEnvKeys();
    expect(keys).toEqual(expect.arrayContaining(['PORT', 'HOST', 'DATABASE_URL']));
  });
});
