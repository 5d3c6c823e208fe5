// The Dockerfiles, the backend's container health check and the nginx configuration of the frontend image.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDockerfile, dockerStages, execForm, exposedPorts, finalStage, stageEnv } from '../src/dockerfile';
import { backendDefaultPort, ingestMaxBodyBytes, infraDir, read, repoRoot } from '../src/files';
import { block, directives, nginxArgs, nginxBinary, nginxOutput, nginxSeconds, renderNginx, type Render } from '../src/nginx';

const backendDockerfile = read('infra/docker/backend.Dockerfile');
const frontendDockerfile = read('infra/docker/frontend.Dockerfile');
const port = backendDefaultPort();

describe('backend.Dockerfile', () => {
  const final = finalStage(backendDockerfile);
  const env = stageEnv(final);

  it('pins its base image, runs as non-root, has a HEALTHCHECK', () => {
    expect(checkDockerfile(backendDockerfile)).toEqual([]);
    expect(dockerStages(backendDockerfile).length).toBeGreaterThanOrEqual(2);
  });

  it('builds from the lockfile with npm ci, for the backend workspace and the root tools', () => {
    const runs = dockerStages(backendDockerfile)
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && r.includes('@dxoc/backend') && r.includes('--include-workspace-root'))).toBe(true);
    expect(runs.some((r) => /\bnpm (install|i)\b/.test(r))).toBe(false);
  });

  it('starts `dxoc serve` through tsx with the backend tsconfig, and listens on PORT', () => {
    const entrypoint = execForm(final.instructions.find((i) => i.keyword === 'ENTRYPOINT')?.args ?? '') ?? [];
    const cmd = execForm(final.instructions.find((i) => i.keyword === 'CMD')?.args ?? '') ?? [];
    expect([...entrypoint, ...cmd].join(' ')).toMatch(/\btsx\b.*backend\/src\/cli\/main\.ts serve$/);
    // tsx's --tsconfig, given as the variable tsx itself reads (or as the flag)
    expect(env.TSX_TSCONFIG_PATH === 'backend/tsconfig.json' || entrypoint.join(' ').includes('--tsconfig backend/tsconfig.json')).toBe(
      true,
    );
    expect(exposedPorts(final)).toEqual([Number(env.PORT ?? port)]);
    expect(Number(env.PORT ?? port)).toBe(port);
  });

  it('copies every workspace the backend depends on, and what it reads at run time', () => {
    const copies = final.instructions
      .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
      .map((i) => i.args.split(/\s+/)[0]?.replace(/\/$/, ''));
    const manifest = JSON.parse(read('backend/package.json')) as { dependencies: Record<string, string> };
    const workspaces = Object.keys(manifest.dependencies)
      .filter((name) => name.startsWith('@dxoc/'))
      .map((name) => name.slice('@dxoc/'.length));
    expect(workspaces.length).toBeGreaterThan(0);
    for (const needed of [
      ...workspaces,
      'backend/src',
      'backend/migrations',
      'backend/tsconfig.json',
      'tsconfig.base.json',
      'infra/docker/healthcheck.mjs',
    ]) {
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
      const child = spawn(process.execPath, [path.join(infraDir, 'docker', 'healthcheck.mjs'), ...args], {
        env: { ...env, PATH: process.env.PATH ?? '' },
        stdio: 'ignore',
      });
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
    const stages = dockerStages(frontendDockerfile);
    const runs = stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs).toContain('npm run build -w @dxoc/frontend');
    expect(final.from).toMatch(/^nginx:\d+\.\d+\.\d+/);
    expect(
      final.instructions.some((i) => i.keyword === 'COPY' && /--from=\S+ \/app\/frontend\/dist\/? \/usr\/share\/nginx\/html/.test(i.args)),
    ).toBe(true);
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
  const listenPort = exposedPorts(final)[0] as number;
  const template = read('infra/nginx/dxoc.conf');
  // as the image's entrypoint renders it (envsubst of the variables it is given)
  const dxocConf = template
    .replaceAll('${DXOC_BACKEND_ADDRESS}', env.DXOC_BACKEND_ADDRESS ?? '')
    .replaceAll('${NGINX_LOCAL_RESOLVERS}', '127.0.0.11');
  const nginxConf = read('infra/nginx/nginx.conf');

  it('dxoc.conf listens on the port the image EXPOSEs and uses only variables the image sets', () => {
    expect(directives(dxocConf, 'listen')).toEqual([[String(listenPort)]]);
    const variables = [...template.replace(/#.*$/gm, '').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
    expect(variables.filter((name) => name !== 'NGINX_LOCAL_RESOLVERS' && !Object.hasOwn(env, name as string))).toEqual([]);
  });

  it('dxoc.conf sends the backend port, hashes client addresses (socket.io polling), follows replicas, keeps live streams for an hour', () => {
    const upstream = block(dxocConf, /upstream\s+\w+/) ?? '';
    expect(directives(upstream, 'server').map((args) => args[0])).toEqual([`backend:${port}`]);
    expect(directives(upstream, 'hash')[0]?.[0]).toBe('$remote_addr');
    // "resolve" re-resolves the name as replicas come and go; it needs a shared-memory zone and a resolver
    expect(directives(upstream, 'server')[0]).toContain('resolve');
    expect(directives(upstream, 'zone')).toHaveLength(1);
    expect(directives(dxocConf, 'resolver')[0]).toContain('valid=10s');
    const socket = block(dxocConf, /location\s+\/socket\.io\//) ?? '';
    for (const timeout of ['proxy_read_timeout', 'proxy_send_timeout']) {
      expect(nginxSeconds(directives(socket, timeout)[0]?.[0] ?? '0'), timeout).toBeGreaterThanOrEqual(3600);
    }
  });

  it('nginx.conf runs unprivileged: pid and temporary files in /tmp, no user switch, and includes conf.d', () => {
    expect(directives(nginxConf, 'pid')[0]?.[0]).toMatch(/^\/tmp\//);
    expect(directives(nginxConf, 'user')).toEqual([]);
    for (const temp of ['client_body_temp_path', 'proxy_temp_path']) expect(directives(nginxConf, temp)[0]?.[0], temp).toMatch(/^\/tmp\//);
    expect(directives(nginxConf, 'include').map((args) => args[0])).toContain('/etc/nginx/conf.d/*.conf');
  });

  it('dxoc.conf sends the web app the headers of frontend/security-headers.json (what vite preview sends), the backend its own CSP', () => {
    const expected = webAppHeaders();
    const csp = /map\s+\$uri\s+\$dxoc_web_csp\s*\{([^}]*)\}/.exec(dxocConf.replace(/#.*$/gm, ''))?.[1] ?? '';
    expect(/default\s+"([^"]*)";/.exec(csp)?.[1]).toBe(expected['Content-Security-Policy']);
    // the backend's answers get no second policy from nginx
    expect(csp).toMatch(/~\^\/\(api\|socket\\\.io\)\/\s+"";/);
    const added = Object.fromEntries(directives(dxocConf, 'add_header').map(([name, ...rest]) => [name, rest]));
    expect(added).toEqual({
      'Content-Security-Policy': ['$dxoc_web_csp', 'always'],
      ...Object.fromEntries(
        Object.entries(expected)
          .filter(([name]) => name !== 'Content-Security-Policy')
          .map(([name, value]) => [name, [value, 'always']]),
      ),
    });
    // an add_header inside a location would drop the server's for that location (nginx inherits them only when it has none)
    expect(dxocConf.replace(/#.*$/gm, '').match(/location[^{]*\{[^}]*add_header/g)).toBeNull();
  });

  it('the Dockerfiles ignore files keep secrets, data and node_modules out of the build context', () => {
    for (const file of ['backend.Dockerfile.dockerignore', 'frontend.Dockerfile.dockerignore']) {
      const lines = readFileSync(path.join(repoRoot, 'infra', 'docker', file), 'utf8').split('\n');
      for (const pattern of ['**/node_modules', '.git', '.dxoc', '**/.env', '**/*.dump'])
        expect(lines, `${file}: ${pattern}`).toContain(pattern);
    }
  });
});

/** The web app's headers as frontend/security-headers.json gives them (the policy's directives joined with "; "). */
function webAppHeaders(): Record<string, string> {
  const json = JSON.parse(read('frontend/security-headers.json')) as Record<string, string | string[]>;
  return Object.fromEntries(
    Object.entries(json)
      .filter(([name]) => !name.startsWith('$'))
      .map(([name, value]) => [name, Array.isArray(value) ? value.join('; ') : value]),
  );
}

// The real nginx on the rendered configuration: where Debian's nginx is installed (apt-get install nginx).
const withNginx = nginxBinary ? 'under nginx' : 'under nginx (skipped: no nginx binary here; apt-get install -y nginx)';
describe.skipIf(!nginxBinary)(withNginx, () => {
  const binary = nginxBinary as string;
  const maxBody = ingestMaxBodyBytes();
  const dirs: string[] = [];
  const render = (options: Render) => {
    const dir = renderNginx(binary, options);
    dirs.push(dir);
    return dir;
  };
  // a stand-in backend: says what reached it, and answers websocket upgrades
  let backend: Server;
  let backendPort = 0;
  const upgraded: string[] = [];
  beforeAll(async () => {
    backend = createServer((req, res) => {
      let size = 0;
      req.on('data', (chunk: Buffer) => (size += chunk.length));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.statusCode = req.headers.upgrade ? 200 : req.url?.startsWith('/socket.io/') ? 426 : 200;
        res.end(JSON.stringify({ from: 'backend', url: req.url, httpVersion: req.httpVersion, size }));
      });
    });
    backend.on('upgrade', (req, socket) => {
      upgraded.push(req.url ?? '');
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendPort = (backend.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => backend?.close(() => resolve()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** nginx in the foreground, one process, on a free port of 127.0.0.1; stopped by the caller. */
  async function startNginx(edit?: Render['edit']): Promise<{ url: string; stop: () => Promise<void> }> {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const listen = `127.0.0.1:${(free.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const dir = render({ backendAddress: `127.0.0.1:${backendPort}`, listen, edit });
    const output = nginxOutput(dir);
    const child: ChildProcess = spawn(binary, [...nginxArgs(dir), '-g', 'daemon off; master_process off;'], {
      stdio: ['ignore', output.fd, output.fd],
    });
    closeSync(output.fd);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = `http://${listen}`;
    for (let attempt = 0; ; attempt += 1) {
      if (
        await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (child.exitCode !== null || attempt > 100) {
        child.kill('SIGTERM');
        throw new Error(`nginx did not start: ${output.text()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { url, stop: async () => void (child.kill('SIGTERM'), await exited) };
  }

  /** The status a websocket handshake on /socket.io/ gets back: 101 when the upgrade went through to the backend. */
  const handshake = (url: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${url}/socket.io/?EIO=4&transport=websocket`, {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('upgrade', (res, socket) => (socket.destroy(), resolve(res.statusCode ?? 0)));
      req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.on('error', reject);
      req.end();
    });
  /** POST a body of `size` bytes to the ingest path: the status, and whether the backend answered. */
  const post = (url: string, size: number) =>
    fetch(`${url}/api/v1/ingest`, { method: 'POST', body: Buffer.alloc(size, 0x20), headers: { 'content-type': 'application/json' } }).then(
      async (r) => ({ status: r.status, body: await r.text() }),
      () => ({ status: 0, body: 'connection closed' }),
    );

  it('nginx -t accepts nginx.conf with dxoc.conf as the image renders it', () => {
    const dir = render({ backendAddress: `127.0.0.1:${port}` });
    const output = nginxOutput(dir);
    const result = spawnSync(binary, ['-t', ...nginxArgs(dir)], { stdio: ['ignore', output.fd, output.fd] });
    closeSync(output.fd);
    expect(result.status, output.text()).toBe(0);
    expect(output.text()).toContain('test is successful');
  });

  it('answers /healthz itself and passes /api/ and /socket.io/ to the backends: paths unchanged, websockets upgraded, ingest-sized bodies through', async () => {
    const nginx = await startNginx();
    try {
      const health = await fetch(`${nginx.url}/healthz`);
      expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
      const api = await fetch(`${nginx.url}/api/v1/series?metric=dvc.services_online&unit=79`).then((r) => r.json());
      // HTTP/1.1 upstream: keepalive connections to the backends (and the upgrade below needs it)
      expect(api).toMatchObject({ from: 'backend', url: '/api/v1/series?metric=dvc.services_online&unit=79', httpVersion: '1.1' });
      expect(await handshake(nginx.url)).toBe(101);
      expect(upgraded).toContain('/socket.io/?EIO=4&transport=websocket');
      // one byte over the backend's own limit still reaches it, so the backend answers with its JSON 413
      const big = await post(nginx.url, maxBody + 1);
      expect(big.status).toBe(200);
      expect(JSON.parse(big.body)).toMatchObject({ from: 'backend', size: maxBody + 1 });
    } finally {
      await nginx.stop();
    }
  });

  it('sends the web app its Content-Security-Policy and headers, and the backend answers without a second policy', async () => {
    const html = mkdtempSync(path.join(tmpdir(), 'dxoc-nginx-html-'));
    dirs.push(html);
    writeFileSync(path.join(html, 'index.html'), '<!doctype html><title>dxoc</title>');
    const nginx = await startNginx((conf) => conf.replace(/^(\s*)root\s+\S+;/m, `$1root ${html};`));
    try {
      const expected = webAppHeaders();
      const header = (response: Response) => Object.fromEntries(Object.keys(expected).map((name) => [name, response.headers.get(name)]));
      // the single-page app's routes (index.html), and a missing asset's 404
      for (const route of ['/wall', '/console/units', '/assets/missing.js']) {
        const response = await fetch(`${nginx.url}${route}`);
        expect(header(response), route).toEqual(expected);
      }
      const api = await fetch(`${nginx.url}/api/v1/health`);
      expect(api.headers.get('content-security-policy')).toBeNull();
      expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await nginx.stop();
    }
  });

  it('the same requests catch a proxy that drops the upgrade headers or refuses large bodies', async () => {
    const nginx = await startNginx((conf) =>
      conf
        .replace(/^\s*proxy_set_header (Upgrade|Connection) \$\S+;$/gm, '')
        .replace(/client_max_body_size \S+;/, 'client_max_body_size 1m;'),
    );
    try {
      expect(await handshake(nginx.url)).toBe(426);
      expect((await post(nginx.url, maxBody + 1)).body).not.toContain('"from":"backend"');
    } finally {
      await nginx.stop();
    }
  });
});
