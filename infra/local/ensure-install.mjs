// Installs the workspace's dependencies when they are missing or older than the lockfile, so the README's
// two commands work on a fresh clone. Only Node built-ins here: this runs before anything is installed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function ensureInstall() {
  const lockfile = path.join(repoRoot, 'package-lock.json');
  const stamp = path.join(repoRoot, 'node_modules', '.dxoc-install-stamp');
  const wanted = createHash('sha256').update(readFileSync(lockfile)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  console.log('[dxoc] installing dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[dxoc] npm ci failed: see the output above');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, wanted);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureInstall();
