#!/usr/bin/env node
// Installs k6 when it is missing: `go install go.k6.io/k6@<K6_VERSION>` into load-tests/.bin/k6-<version>/k6
// (git-ignored). k6 is neither on npm nor in Debian, but the Go module proxy has it. Idempotent: a binary that
// already reports the pinned version is reused; a build takes several minutes on 2 cores, with progress lines.
//
//   node load-tests/install-k6.mjs          # prints the binary's path as its last line
//   K6_BIN=/path/to/k6 …                    # use this binary instead (must report the pinned version)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The one place k6's version is pinned. */
export const K6_VERSION = 'v1.8.1';

const here = path.dirname(fileURLToPath(import.meta.url));
export const K6_DIR = path.join(here, '.bin', `k6-${K6_VERSION}`);
export const K6_PATH = path.join(K6_DIR, 'k6');

/** The version a k6 binary reports ("k6 v1.8.1 (commit/…, go1.26.8, linux/amd64)"), or null. */
export function k6Version(bin) {
  const result = spawnSync(bin, ['version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) return null;
  return /k6 (v\d+\.\d+\.\d+\S*)/.exec(result.stdout)?.[1] ?? null;
}

function findGo() {
  for (const candidate of [process.env.GO, 'go', '/usr/local/go/bin/go', path.join(process.env.HOME || os.homedir(), 'go/bin/go')]) {
    if (!candidate) continue;
    const result = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (result.status === 0) return candidate;
  }
  return null;
}

const log = (line) => process.stderr.write(`k6: ${line}\n`);

/**
 * Returns the path of a k6 binary of the pinned version, building it when needed. `dir` is where it lives
 * (K6_DIR; the tests build a stand-in elsewhere, so they never replace the real binary).
 */
export async function ensureK6({ quiet = false, dir = K6_DIR } = {}) {
  const say = quiet ? () => {} : log;
  const bin = path.join(dir, 'k6');
  if (process.env.K6_BIN) {
    const version = k6Version(process.env.K6_BIN);
    if (version !== K6_VERSION) throw new Error(`K6_BIN=${process.env.K6_BIN} reports ${version ?? 'no version'}, expected ${K6_VERSION}`);
    return process.env.K6_BIN;
  }
  if (existsSync(bin) && k6Version(bin) === K6_VERSION) {
    say(`${K6_VERSION} already installed at ${path.relative(process.cwd(), bin) || bin}`);
    return bin;
  }
  const go = findGo();
  if (!go) throw new Error('k6 is missing and Go is not installed: install Go (https://go.dev/dl) or set K6_BIN');

  // Build into a temp GOBIN beside the final one, then rename: an interrupted build never leaves a half binary.
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  say(
    `building go.k6.io/k6@${K6_VERSION} with ${go} (downloads modules from the Go proxy, then compiles ~1,000 packages: several minutes on 2 cores)`,
  );
  const started = Date.now();
  let packages = 0;
  let last = '';
  const child = spawn(go, ['install', '-v', '-trimpath', '-ldflags=-s -w', `go.k6.io/k6@${K6_VERSION}`], {
    // HOME: Go derives GOPATH and GOCACHE from it, and a task runner may not pass it on
    env: {
      ...process.env,
      HOME: process.env.HOME || os.homedir(),
      GOBIN: staging,
      CGO_ENABLED: '0',
      GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim(),
      GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = [];
  const onLine = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (/^go: downloading /.test(line)) continue;
      if (!/\s/.test(line.trim())) {
        packages += 1; // `go install -v` prints each package it compiles
        last = line.trim();
      }
    }
  };
  child.stdout.on('data', onLine);
  child.stderr.on('data', onLine);
  const timer = setInterval(
    () => say(`… ${Math.round((Date.now() - started) / 1000)} s, ${packages} packages compiled${last ? ` (${last})` : ''}`),
    15_000,
  );
  const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  clearInterval(timer);
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`go install go.k6.io/k6@${K6_VERSION} failed (exit ${code}):\n${tail.join('\n')}`);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  const version = k6Version(bin);
  if (version !== K6_VERSION) throw new Error(`the built k6 reports ${version ?? 'no version'}, expected ${K6_VERSION}`);
  say(`built ${K6_VERSION} in ${Math.round((Date.now() - started) / 1000)} s: ${bin}`);
  return bin;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureK6().then(
    (bin) => process.stdout.write(`${bin}\n`),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
