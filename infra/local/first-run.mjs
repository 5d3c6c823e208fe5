// First start of the demo (npm start): once the backend is healthy, make sure there is a viewer token for the wall
// and an admin account for the console, created through the dxoc CLI (it reaches the running server's embedded
// database) and kept under .dxoc/ (git-ignored, mode 0600). Then print where to look. Node built-ins only.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './ensure-install.mjs';

const dir = path.join(repoRoot, '.dxoc', 'demo');
const tokenFile = path.join(dir, 'wall.token');
const passwordFile = path.join(dir, 'admin.password');

function dxoc(args, env = {}) {
  const result = spawnSync('npm', ['run', '-s', 'dxoc', '--', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`dxoc ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim().split('\n').at(-1) ?? '';
}

async function healthy(apiUrl) {
  const deadline = Date.now() + 300_000; // the first start migrates and seeds before it listens
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${apiUrl}/api/v1/health`)).status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

export async function prepareDemo({ apiUrl, webUrl }) {
  if (!(await healthy(apiUrl))) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(tokenFile))
    writeFileSync(tokenFile, dxoc(['viewer-tokens', 'create', '--name', 'Demo wall (npm start)']), { mode: 0o600 });
  if (!existsSync(passwordFile)) {
    const password = randomBytes(12).toString('base64url');
    dxoc(['users', 'create', '--username', 'admin', '--role', 'admin'], { DXOC_PASSWORD: password });
    writeFileSync(passwordFile, password, { mode: 0o600 });
  }
  const token = readFileSync(tokenFile, 'utf8').trim();
  console.log(`\n[dxoc] operations wall:  ${webUrl}/wall?token=${token}`);
  console.log(`[dxoc] staff console:    ${webUrl}/console  (user "admin", password in ${path.relative(repoRoot, passwordFile)})`);
  console.log(`[dxoc] API and its docs: ${apiUrl}/api/docs/\n`);
}
