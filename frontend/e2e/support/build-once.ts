/**
 * Vitest global setup of the browser tests: the frontend is built once per run, into a temporary directory that
 * every test file's stack serves (startStack({ dist })), and removed after the last file. Each file used to build
 * its own copy while its backend started: fourteen identical builds of 1–2 s each, competing with that backend for
 * the 2 cores (load-tests/RESULTS.md, fifth session: within the machine's drift over the whole suite).
 * The build is never written to while a preview server reads it (every file starts after it is done), so the files
 * can share it; frontend/dist, which a developer's own build empties, is not used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildFrontend } from './stack';

declare module 'vitest' {
  interface ProvidedContext {
    /** the directory of this run's frontend build (build-once.ts) */
    frontendDist: string;
  }
}

export default async function buildOnce(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dxoc-frontend-e2e-dist-'));
  const started = performance.now();
  await buildFrontend(dir);
  console.log(`[e2e] frontend built once for every browser test in ${((performance.now() - started) / 1000).toFixed(1)} s: ${dir}`);
  project.provide('frontendDist', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
