// The demo simulator next to `npm start` (infra/local/start.mjs): waits for the backend, makes sure it has an
// agent key and a viewer token (created once through the dxoc CLI and kept in .dxoc/simulator/, git-ignored),
// then runs `dxoc-agent simulate` until it is stopped. DXOC_SIMULATOR=off or `npm start -- --no-simulator`
// keep it from starting. Only Node built-ins here, like the other scripts behind `npm start`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stateDir = path.resolve(process.env.DXOC_SIMULATOR_DIR ?? path.join(repoRoot, '.dxoc', 'simulator'));
const keyFile = path.join(stateDir, 'agent.key');
const tokenFile = path.join(stateDir, 'viewer.token');
const apiUrl = process.env.DXOC_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
const say = (line) => console.log(`[dxoc] simulator: ${line}`);

let child = null;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopping = true;
    if (child) child.kill('SIGTERM');
    else process.exit(0);
  });
}

async function healthy() {
  // the first start migrates and seeds before it listens: give it time
  const deadline = Date.now() + 300_000;
  while (!stopping && Date.now() < deadline) {
    try {
      if ((await fetch(`${apiUrl}/api/v1/health`)).status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/** An agent key is tried with an empty batch: 400 means the key was accepted and nothing was stored. */
async function keyWorks(key) {
  const response = await fetch(`${apiUrl}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ batchId: 'simulator-check', points: [] }),
  });
  return response.status === 400;
}

async function tokenWorks(token) {
  return (await fetch(`${apiUrl}/api/v1/catalog/units`, { headers: { authorization: `Bearer ${token}` } })).status === 200;
}

/** `npm run -s dxoc -- <args>`: the secret is the last line of stdout. */
function createWithCli(args, what) {
  const result = spawnSync('npm', ['run', '-s', 'dxoc', '--', ...args], { cwd: repoRoot, env: process.env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`could not create the ${what}: ${result.stderr.trim().split('\n').at(-1)}`);
  return result.stdout.trim().split('\n').at(-1);
}

async function credential(file, works, args, what) {
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored && (await works(stored))) return { fresh: false };
  }
  const secret = createWithCli(args, what);
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { fresh: true };
}

async function main() {
  if (!(await healthy())) {
    if (!stopping) say(`the backend at ${apiUrl} did not become healthy: not starting`);
    return 1;
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const key = await credential(keyFile, keyWorks, ['keys', 'create', '--all-units', '--name', 'demo simulator'], 'agent key');
  await credential(tokenFile, tokenWorks, ['viewer-tokens', 'create', '--name', 'demo simulator'], 'viewer token');
  // a new key means a new database (.dxoc/data was removed): send the history again
  if (key.fresh) rmSync(path.join(stateDir, 'simulator.json'), { force: true });
  if (stopping) return 0;
  say(`playing every unit of the catalog against ${apiUrl} (DXOC_SIMULATOR=off or --no-simulator turns it off)`);
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve('tsx/esm')).href;
  const args = [
    '--import',
    tsx,
    path.join(repoRoot, 'ingest/src/agent/main.ts'),
    'simulate',
    '--api',
    apiUrl,
    '--key-file',
    keyFile,
    '--viewer-token-file',
    tokenFile,
    '--state-dir',
    stateDir,
  ];
  child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'inherit', env: process.env });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

main().then(
  (code) => process.exit(code),
  (error) => {
    say(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
