// infra/nginx checked by nginx itself: the frontend image's configuration, rendered as the image's entrypoint does,
// for `nginx -t` and for a real nginx in front of a stand-in backend. Needs an nginx binary (Debian's: nginx).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { read } from './files';

/** The nginx binary on this machine (Debian puts it in /usr/sbin, which a non-root PATH may lack), or null. */
export const nginxBinary: string | null =
  [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/sbin']
    .map((dir) => path.join(dir, 'nginx'))
    .find((file) => existsSync(file)) ?? null;

export function nginxVersion(binary: string): number[] {
  const banner = spawnSync(binary, ['-v'], { encoding: 'utf8' }).stderr; // "nginx version: nginx/1.22.1"
  return (/nginx\/(\d+)\.(\d+)\.(\d+)/.exec(banner) ?? []).slice(1).map(Number);
}

/** What the image's entrypoint substitutes into dxoc.conf, and where this copy listens. */
export interface Render {
  /** the upstream server (the image's default is backend:3000); here an address that resolves */
  backendAddress: string;
  /** `listen` as written (8080), or an address of this machine for a running copy */
  listen?: string;
  /** edits of dxoc.conf, for the tests that show a broken configuration is caught */
  edit?: (dxocConf: string) => string;
}

/**
 * A prefix directory with nginx.conf and conf.d/dxoc.conf as the frontend image has them: its paths under /tmp and
 * /etc/nginx moved into the directory (the image owns its /tmp; this machine's is shared), the template variables
 * filled in. nginx before 1.27.3 has no `resolve` on upstream servers: for those the parameter is dropped, so the
 * rest of the file is still checked (re-resolving backend names is then untested).
 */
export function renderNginx(binary: string, render: Render): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dxoc-nginx-'));
  mkdirSync(path.join(dir, 'conf.d'));
  const [major = 0, minor = 0, patch = 0] = nginxVersion(binary);
  const knowsResolve = major * 1e6 + minor * 1e3 + patch >= 1_027_003;
  let dxoc = read('infra/nginx/dxoc.conf')
    .replaceAll('${DXOC_BACKEND_ADDRESS}', render.backendAddress)
    .replaceAll('${NGINX_LOCAL_RESOLVERS}', '127.0.0.1');
  if (!knowsResolve) dxoc = dxoc.replace(/^(\s*server\s+\S+.*?)\s+resolve\b/m, '$1');
  if (render.listen) dxoc = dxoc.replace(/^(\s*)listen\s+\d+;/m, `$1listen ${render.listen};`);
  writeFileSync(path.join(dir, 'conf.d', 'dxoc.conf'), render.edit ? render.edit(dxoc) : dxoc);
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    read('infra/nginx/nginx.conf').replaceAll('/tmp/', `${dir}/`).replaceAll('/etc/nginx/', `${dir}/`),
  );
  if (existsSync('/etc/nginx/mime.types')) copyFileSync('/etc/nginx/mime.types', path.join(dir, 'mime.types'));
  else writeFileSync(path.join(dir, 'mime.types'), 'types { text/html html; application/javascript js; text/css css; }\n');
  return dir;
}

/** nginx's arguments for a prefix directory made by renderNginx: errors on stderr before the config is read too. */
export const nginxArgs = (dir: string): string[] => ['-p', `${dir}/`, '-c', path.join(dir, 'nginx.conf'), '-e', 'stderr'];

/**
 * A file for nginx's stdout and stderr: the image logs to /dev/stdout and /dev/stderr, which nginx opens by name,
 * and a pipe from Node is a socket that cannot be opened that way.
 */
export function nginxOutput(dir: string): { fd: number; text: () => string } {
  const file = path.join(dir, 'nginx.out');
  return { fd: openSync(file, 'a'), text: () => readFileSync(file, 'utf8') };
}

/** The arguments of every `name …;` directive in a piece of configuration, comments dropped (nginx -t judges syntax). */
export const directives = (conf: string, name: string): string[][] =>
  [...conf.replace(/#.*$/gm, '').matchAll(new RegExp(`(?:^|[;{}\\s])${name}\\s+([^;{}]*);`, 'g'))].map((m) =>
    (m[1] as string).trim().split(/\s+/),
  );

/** The body of the first block whose header matches (a location, upstream or map: blocks with no block inside). */
export const block = (conf: string, header: RegExp): string | undefined =>
  new RegExp(`${header.source}\\s*\\{([^{}]*)\\}`).exec(conf.replace(/#.*$/gm, ''))?.[1];

/** nginx time ("3600s", "1h", "90", "1m30s") in seconds. */
export const nginxSeconds = (value: string): number =>
  [...value.matchAll(/(\d+)(ms|[smhd]?)/g)].reduce(
    (sum, [, n, unit]) => sum + Number(n) * ({ ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[unit || 's'] as number),
    0,
  );
