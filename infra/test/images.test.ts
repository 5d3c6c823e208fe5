// The Dockerfiles, the backend's container health check and the nginx configuration of the frontend image.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDockerfile, execForm, exposedPorts, finalStage, parseDockerfile, stageEnv } from '../src/dockerfile';
import { backendDefaultPort, ingestMaxBodyBytes, infraDir, read, repoRoot } from '../src/files';
import { checkProxyConfig, first, parseNginx } from '../src/nginx';
import { readFileSync } from 'node:fs';

const backendDockerfile = read('infra/docker/backend.Dockerfile');
const frontendDockerfile = read('infra/docker/frontend.Dockerfile');
const port = backendDefaultPort();

describe('backend.Dockerfile', () => {
  const final = finalStage(backendDockerfile);
  const env = stageEnv(final);

  it('pins its base image, runs as non-root, has a HEALTHCHECK', () => {
    expect(checkDockerfile(backendDockerfile)).toEqual([]);
    expect(parseDockerfile(backendDockerfile).stages.length).toBeGreaterThanOrEqual(2);
  });

  it('builds from the lockfile with npm ci, for the backend workspace and the root tools', () => {
    const runs = parseDockerfile(backendDockerfile).stages.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && r.includes('@dxoc/backend') && r.includes('--include-workspace-root'))).toBe(true);
    expect(runs.some((r) => /\bnpm (install|i)\b/.test(r))).toBe(false);
  });

  it('starts `dxoc serve` through tsx with the backend tsconfig, and listens on PORT', () => {
    const entrypoint = execForm(final.instructions.find((i) => i.keyword === 'ENTRYPOINT')?.args ?? '') ?? [];
    const cmd = execForm(final.instructions.find((i) => i.keyword === 'CMD')?.args ?? '') ?? [];
    expect([...entrypoint, ...cmd].join(' ')).toMatch(/\btsx\b.*backend\/src\/cli\/main\.ts serve$/);
    // tsx's --tsconfig, given as the variable tsx itself reads (or as the flag)
    expect(env.TSX_TSCONFIG_PATH === 'backend/tsconfig.json' || entrypoint.join(' ').includes('--tsconfig backend/tsconfig.json')).toBe(true);
    expect(exposedPorts(final)).toEqual([Number(env.PORT ?? port)]);
    expect(Number(env.PORT ?? port)).toBe(port);
  });

  it('copies every workspace the backend depends on, and what it reads at run time', () => {
    const copies = final.instructions.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from')).map((i) => i.args.split(/\s+/)[0]?.replace(/\/$/, ''));
    const manifest = JSON.parse(read('backend/package.json')) as { dependencies: Record<string, string> };
    const workspaces = Object.keys(manifest.dependencies).filter((name) => name.startsWith('@dxoc/')).map((name) => name.slice('@dxoc/'.length));
    expect(workspaces.length).toBeGreaterThan(0);
    for (const needed of [...workspaces, 'backend/src', 'backend/migrations', 'backend/tsconfig.json', 'tsconfig.base.json', 'infra/docker/healthcheck.mjs']) {
      expect(copies, needed).toContain(needed);
    }
  });

  it('health-checks with infra/docker/healthcheck.mjs', () => {
    const health = final.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(execForm(health)).toEqual(['node', 'infra/docker/healthcheck.mjs']);
  });
});

describe('infra/docker/healthcheck.mjs', () => {
  let server: Server;
  let status = 200;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/api/v1/health' ? status : 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const check = (env: Record<string, string>, args: string[] = []) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [path.join(infraDir, 'docker', 'healthcheck.mjs'), ...args], { env: { ...env, PATH: process.env.PATH ?? '' }, stdio: 'ignore' });
      child.on('exit', (code) => resolve(code));
    });

  it('passes on 200 at the PORT it is given', async () => {
    status = 200;
    expect(await check({ PORT: new URL(url).port })).toBe(0);
    expect(await check({}, [`${url}/api/v1/health`])).toBe(0);
  });

  it('fails on 503 (database down) and when nothing listens', async () => {
    status = 503;
    expect(await check({ PORT: new URL(url).port })).toBe(1);
    expect(await check({}, ['http://127.0.0.1:9/api/v1/health'])).toBe(1);
  });
});

describe('frontend.Dockerfile', () => {
  const final = finalStage(frontendDockerfile);
  const env = stageEnv(final);

  it('pins its base images, runs as non-root, has a HEALTHCHECK', () => {
    expect(checkDockerfile(frontendDockerfile)).toEqual([]);
  });

  it('builds the frontend with vite (npm run build -w @dxoc/frontend) and serves frontend/dist with nginx', () => {
    const stages = parseDockerfile(frontendDockerfile).stages;
    const runs = stages.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs).toContain('npm run build -w @dxoc/frontend');
    expect(final.from).toMatch(/^nginx:\d+\.\d+\.\d+/);
    expect(final.instructions.some((i) => i.keyword === 'COPY' && /--from=\S+ \/app\/frontend\/dist\/? \/usr\/share\/nginx\/html/.test(i.args))).toBe(true);
  });

  it('installs the proxy configuration as the template the nginx entrypoint renders', () => {
    const copies = final.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toContain('infra/nginx/dxoc.conf /etc/nginx/templates/dxoc.conf.template');
    expect(copies).toContain('infra/nginx/nginx.conf /etc/nginx/nginx.conf');
    expect(env.NGINX_ENTRYPOINT_LOCAL_RESOLVERS).toBe('1');
    expect(env.DXOC_BACKEND_ADDRESS).toBe(`backend:${port}`);
    const health = execForm(final.instructions.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '') ?? [];
    expect(health.join(' ')).toContain(`http://127.0.0.1:${exposedPorts(final)[0]}/healthz`);
  });
});

describe('infra/nginx', () => {
  const final = finalStage(frontendDockerfile);
  const env = stageEnv(final);
  const expectations = {
    backendPort: port,
    listenPort: exposedPorts(final)[0] as number,
    maxBodyBytes: ingestMaxBodyBytes(),
    templateValues: { DXOC_BACKEND_ADDRESS: env.DXOC_BACKEND_ADDRESS ?? '', NGINX_LOCAL_RESOLVERS: '127.0.0.11' },
  };

  it('dxoc.conf proxies /api and /socket.io (upgrade headers, long timeouts, client-address hashing) and answers /healthz', () => {
    expect(checkProxyConfig(read('infra/nginx/dxoc.conf'), expectations)).toEqual([]);
  });

  it('nginx.conf runs unprivileged: pid and temporary files in /tmp, and includes conf.d', () => {
    const conf = parseNginx(read('infra/nginx/nginx.conf'));
    expect(first(conf, 'pid')?.args[0]).toMatch(/^\/tmp\//);
    expect(first(conf, 'user')).toBeUndefined();
    const http = first(conf, 'http')?.block ?? [];
    for (const temp of ['client_body_temp_path', 'proxy_temp_path']) expect(first(http, temp)?.args[0], temp).toMatch(/^\/tmp\//);
    expect(http.some((d) => d.name === 'include' && d.args[0] === '/etc/nginx/conf.d/*.conf')).toBe(true);
  });

  it('the Dockerfiles ignore files keep secrets, data and node_modules out of the build context', () => {
    for (const file of ['backend.Dockerfile.dockerignore', 'frontend.Dockerfile.dockerignore']) {
      const lines = readFileSync(path.join(repoRoot, 'infra', 'docker', file), 'utf8').split('\n');
      for (const pattern of ['**/node_modules', '.git', '.dxoc', '**/.env', '**/*.dump']) expect(lines, `${file}: ${pattern}`).toContain(pattern);
    }
  });
});
