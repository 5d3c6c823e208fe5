// `npm start`: install if needed, then migrate, seed and serve the product on the embedded database
// (`dxoc serve` migrates and seeds at startup), the demo simulator, and the built wall and console.
import { spawn, spawnSync } from 'node:child_process';
import { ensureInstall, repoRoot } from './ensure-install.mjs';
import { prepareDemo } from './first-run.mjs';

ensureInstall();
const children = [];

/**
 * Each child leads a process group of its own, and stopping signals the whole group: npx does not pass signals on
 * to the program it runs, so killing only npx left the backend or vite running (and holding their ports).
 * No stdin: a process outside the terminal's foreground group that reads it would be stopped (SIGTTIN).
 */
function spawnGroup(command, args) {
  const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'], env: process.env, detached: true });
  children.push(child);
  return child;
}
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}
function launch(name, command, args) {
  spawnGroup(command, args).on('exit', (code, signal) => {
    console.log(`[dxoc] ${name} stopped (${signal ?? code})`);
    shutdown(code ?? 1);
  });
}
let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) signalGroup(child, 'SIGTERM');
  setTimeout(() => {
    for (const child of children) signalGroup(child, 'SIGKILL');
    process.exit(code);
  }, 5000).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

// The simulator's requests would fill the console with one info line each: the demo shows the backend's warnings
// and errors unless DXOC_LOG_LEVEL says otherwise (production logs default to info, see README).
process.env.DXOC_LOG_LEVEL ??= 'warn';
launch('backend', 'npx', ['tsx', '--tsconfig', 'backend/tsconfig.json', 'backend/src/cli/main.ts', 'serve']);

// The demo simulator plays every unit of the catalog through the ingest API once the backend is healthy (it creates
// its key and viewer token itself, kept in .dxoc/simulator/). DXOC_SIMULATOR=off or --no-simulator: no simulator.
// Its end does not stop the product, so it is not launch()ed; shutdown() still stops it.
if (process.env.DXOC_SIMULATOR !== 'off' && !process.argv.includes('--no-simulator')) {
  spawnGroup(process.execPath, ['ingest/scripts/start-simulator.mjs']);
}

// The wall and the console: built once, then served by `vite preview` with /api and /socket.io proxied to the backend.
const webPort = process.env.DXOC_WEB_PORT ?? '5173';
if (spawnSync('npm', ['run', '-s', 'build', '-w', '@dxoc/frontend'], { cwd: repoRoot, stdio: 'inherit' }).status !== 0) shutdown(1);
else {
  process.env.DXOC_BACKEND_URL ??= `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  launch('frontend', 'npx', ['vite', 'preview', 'frontend', '--host', process.env.HOST ?? '0.0.0.0', '--port', webPort, '--strictPort']);
  prepareDemo({ apiUrl: process.env.DXOC_BACKEND_URL, webUrl: `http://localhost:${webPort}` }).catch((error) =>
    console.error(`[dxoc] ${error.message}`),
  );
}
