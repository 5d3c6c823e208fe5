// `npm start`: install if needed, then migrate, seed and serve the product on the embedded database
// (`dxoc serve` migrates and seeds at startup), the demo simulator, and the built wall and console.
import { spawn, spawnSync } from 'node:child_process';
import { ensureInstall, repoRoot } from './ensure-install.mjs';
import { prepareDemo } from './first-run.mjs';

ensureInstall();
const children = [];
function launch(name, command, args) {
  const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    console.log(`[dxoc] ${name} stopped (${signal ?? code})`);
    shutdown(code ?? 1);
  });
  children.push(child);
}
let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
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
  children.push(spawn(process.execPath, ['ingest/scripts/start-simulator.mjs'], { cwd: repoRoot, stdio: 'inherit', env: process.env }));
}

// The wall and the console: built once, then served by `vite preview` with /api and /socket.io proxied to the backend.
const webPort = process.env.DXOC_WEB_PORT ?? '5173';
if (spawnSync('npm', ['run', '-s', 'build', '-w', '@dxoc/frontend'], { cwd: repoRoot, stdio: 'inherit' }).status !== 0) shutdown(1);
else {
  process.env.DXOC_BACKEND_URL ??= `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  launch('frontend', 'npx', ['vite', 'preview', 'frontend', '--host', process.env.HOST ?? '0.0.0.0', '--port', webPort, '--strictPort']);
  prepareDemo({ apiUrl: process.env.DXOC_BACKEND_URL, webUrl: `http://localhost:${webPort}` }).catch((error) => console.error(`[dxoc] ${error.message}`));
}
