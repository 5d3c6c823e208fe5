/**
 * Vitest global setup of the browser tests: what every test file's stack needs is made once per run, into temporary
 * directories removed after the last file:
 * - the frontend's production build, which every stack serves (startStack({ dist })). Each file used to build its
 *   own copy while its backend started: fourteen identical builds of 1–2 s each, competing with that backend for the
 *   2 cores (load-tests/RESULTS.md, fifth session). The build is never written to while a preview server reads it
 *   (every file starts after it is done), so the files can share it; frontend/dist, which a developer's own build
 *   empties, is not used.
 * - a backend data directory with its first administrator (prepareBackendData), which every stack starts on a copy
 *   of (startStack({ data })). Each file used to create its embedded database (~3 s), migrate and seed it, then run
 *   `dxoc users create` (~4 s, a whole CLI process) before its first test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildFrontend, prepareBackendData } from './stack';

declare module 'vitest' {
  interface ProvidedContext {
    /** the directory of this run's frontend build */
    frontendDist: string;
    /** this run's backend data directory with its administrator, to copy (never to serve itself) */
    backendData: string;
  }
}

export default async function runOnce(project: TestProject): Promise<() => void> {
  const dist = mkdtempSync(path.join(os.tmpdir(), 'dxoc-frontend-e2e-dist-'));
  const data = mkdtempSync(path.join(os.tmpdir(), 'dxoc-frontend-e2e-data-'));
  const timed = async (work: Promise<void>) => {
    const started = performance.now();
    await work;
    return ((performance.now() - started) / 1000).toFixed(1);
  };
  const [built, prepared] = await Promise.all([timed(buildFrontend(dist)), timed(prepareBackendData(path.join(data, 'data')))]);
  console.log(`[e2e] for every browser test: frontend built in ${built} s (${dist}), backend data prepared in ${prepared} s (${data})`);
  project.provide('frontendDist', dist);
  project.provide('backendData', path.join(data, 'data'));
  return () => {
    rmSync(dist, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  };
}
