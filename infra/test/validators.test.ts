// The validators themselves, on small inline fixtures: each must flag what it is there to flag, so a green run
// of the other tests means something.
import { describe, expect, it } from 'vitest';
import { checkComposeBasics, checkComposeSecrets, containerPort, envFileKeys, undocumentedVariables, type ComposeFile } from '../src/compose';
import { checkDockerfile, parseDockerfile } from '../src/dockerfile';
import { backendDefaultPort, backendEnvKeys, parseYaml, parseYamlStream, type KubeObject } from '../src/files';
import { imagePinProblem, interpolate } from '../src/images';
import { checkKubernetes } from '../src/kubernetes';
import { checkProxyConfig, nginxBytes, nginxSeconds, parseNginx } from '../src/nginx';

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

  it('flags an untagged and a latest image, missing health checks, undeclared volumes', () => {
    const problems = checkComposeBasics(fixture, {});
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^db: image .*no tag/),
      expect.stringMatching(/^cache: image .*floating tag "latest"/),
      'cache: no health check',
      'web: no health check',
      'web: waits for cache to be healthy, but cache has no health check',
      'app: volume data is not declared under volumes:',
    ]));
    // a one-shot that others wait for needs no health check; a pinned default passes
    expect(problems.some((p) => p.startsWith('once:'))).toBe(false);
    expect(problems.some((p) => p.startsWith('web: image'))).toBe(false);
  });

  it('resolves the image tag from the environment', () => {
    expect(checkComposeBasics(fixture, { WEB_IMAGE: 'nginx:latest' })).toContain('web: image "nginx:latest" uses the floating tag "latest"');
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
      'ConfigMap/cfg: PORT is a number; ConfigMap values must be strings (quote it)',
      'PodDisruptionBudget/web: minAvailable 1 with 1 replicas blocks every voluntary eviction (node drains)',
      'Ingress/web: / goes to unknown Service nope',
    ]) expect(problems).toContain(expected);
  });
});

describe('checkProxyConfig', () => {
  const expectations = { backendPort: 3000, listenPort: 8080, maxBodyBytes: 2 * 1024 * 1024, templateValues: { ADDR: 'backend:3000' } };
  const good = `
    map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
    upstream be { hash $remote_addr consistent; server \${ADDR}; }
    server {
      listen 8080;
      client_max_body_size 4m;
      location = /healthz { return 200 "ok"; }
      location /api/ { proxy_pass http://be; proxy_http_version 1.1; }
      location /socket.io/ {
        proxy_pass http://be;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        proxy_read_timeout 1h;
        proxy_send_timeout 3600s;
      }
    }`;

  it('accepts a complete proxy', () => {
    expect(checkProxyConfig(good, expectations)).toEqual([]);
  });

  it('flags a websocket location without upgrade headers or long timeouts, and a round-robin upstream', () => {
    const bad = good
      .replace('proxy_set_header Upgrade $http_upgrade;', '')
      .replace('proxy_set_header Connection $connection_upgrade;', '')
      .replace('proxy_read_timeout 1h;', '')
      .replace('hash $remote_addr consistent;', '')
      .replace('client_max_body_size 4m;', 'client_max_body_size 1m;');
    expect(checkProxyConfig(bad, expectations)).toEqual([
      'upstream be: no ip_hash or hash $remote_addr (socket.io\'s polling fallback needs one backend per client)',
      'client_max_body_size 1m is below the backend\'s limit of 2097152 bytes: nginx would refuse ingest batches the backend accepts',
      'location /socket.io/: no "proxy_set_header Upgrade $http_upgrade"',
      'location /socket.io/: no "proxy_set_header Connection" upgrade header',
      'location /socket.io/: proxy_read_timeout (default 60s) is shorter than an hour: idle live streams would be cut',
    ]);
  });

  it('flags a wrong backend port, a missing /api location and unbalanced braces', () => {
    expect(checkProxyConfig(good.replace('/api/', '/apix/'), expectations)).toContain('no location /api/');
    expect(checkProxyConfig(good, { ...expectations, templateValues: { ADDR: 'backend:4000' } })).toContain('upstream be: server backend:4000 is not on the backend port 3000');
    expect(checkProxyConfig(`${good} }`, expectations)).toEqual(['does not parse: unbalanced }']);
  });

  it('parses nginx sizes, times and quoting', () => {
    expect(nginxBytes('4m')).toBe(4 * 1024 * 1024);
    expect(nginxSeconds('1h')).toBe(3600);
    expect(nginxSeconds('1m30s')).toBe(90);
    expect(parseNginx('return 200 "a;b{";')).toEqual([{ name: 'return', args: ['200', 'a;b{'] }]);
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
    const text = 'ARG NODE=node:20.20.2-bookworm-slim\nFROM ${NODE} AS build\nRUN a \\\n  && b\nFROM build\nUSER 1000\nHEALTHCHECK CMD ["true"]\n';
    expect(checkDockerfile(text)).toEqual([]);
    expect(parseDockerfile(text).stages[0]?.instructions).toEqual([{ keyword: 'RUN', args: 'a    && b' }]);
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
