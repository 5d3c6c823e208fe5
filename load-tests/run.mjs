#!/usr/bin/env node
// `npm run load -- --scenario <ingest|viewers|mixed|spike|smoke> [--duration 60s] [options]`
//
// 1. installs k6 when missing (install-k6.mjs: go install go.k6.io/k6@<pinned>),
// 2. starts the stack: `dxoc serve` in its own process group on a fresh embedded database in a temp dir (or, with
//    DATABASE_URL, on a fresh database of that TimescaleDB server, dropped at the end), a free port, rate limits
//    raised so they do not cap the test; waits for /api/v1/health,
// 3. creates a viewer token and agent keys through the CLI (it works while the server runs), reads the catalog,
//    and writes them to a JSON file for the k6 scripts,
// 4. runs the scenario with k6, sampling the server's CPU and RSS from /proc (pid from `${DXOC_DATA_DIR}.lock`),
//    and on a server the CPU of its postgres processes,
// 5. stops the server, prints k6's summary and our table, writes results/<time>-<scenario>.json (git-ignored).
//
// Exit code: k6's (0: thresholds passed, 99: a threshold failed), 1 when the run itself failed, 2 for bad options.
// Node built-ins only.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureK6, K6_VERSION } from './install-k6.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
export const SCENARIOS = ['ingest', 'viewers', 'mixed', 'spike', 'smoke'];
/** Measured seconds when --duration is not given. */
export const DEFAULT_DURATION_S = { ingest: 60, viewers: 60, mixed: 60, spike: 60, smoke: 20 };
const CLI = ['tsx', '--tsconfig', 'backend/tsconfig.json', 'backend/src/cli/main.ts'];

const out = (line = '') => process.stdout.write(`${line}\n`);
const log = (line) => process.stdout.write(`load: ${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class UsageError extends Error {}

const USAGE = `usage: npm run load -- --scenario <${SCENARIOS.join('|')}> [options]

  --duration <d>        measured phase: 90, 90s, 2m (default 60s; smoke 20s)
  --rate <points/s>     ingest rate (ingest, mixed: 50000; spike: the steady rate, 5000; smoke: 1000)
  --viewers <n>         wall clients (viewers, mixed: 1000; smoke: 10)
  --batch <n>           points per ingest batch (1000)
  --probe-rate <n/s>    latency probe batches per second (5; smoke 2)
  --read-rate <n/s>     REST reads per second (mixed 20; smoke 1)
  --keys <n>            agent keys, units split among them (4; smoke 2; 0: one --all-units key)
  -e, --env NAME=value  passed to k6 as -e (repeatable)
  --report <file>       also write our results as JSON to this file
  --keep                keep the temp dir (data dir, server log, k6 config)

DATABASE_URL set: the server runs on a fresh database of that TimescaleDB server (created with psql, with the
TimescaleDB version of the database DATABASE_URL names, dropped at the end unless --keep) instead of an embedded
database; the table adds the CPU of the server's postgres processes.`;

// ---------------------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------------------

function parseDuration(text) {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(String(text).trim());
  if (!match) throw new UsageError(`--duration must look like 90, 90s or 2m, got "${text}"`);
  const seconds = Number(match[1]) * ({ s: 1, m: 60, h: 3600 }[match[2] ?? 's'] ?? 1);
  if (seconds < 5) throw new UsageError('--duration must be at least 5 s');
  return Math.round(seconds);
}

function count(name, text) {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a non-negative number, got "${text}"`);
  return value;
}

export function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string', short: 's' },
        duration: { type: 'string', short: 'd' },
        rate: { type: 'string' },
        viewers: { type: 'string' },
        batch: { type: 'string' },
        'probe-rate': { type: 'string' },
        'read-rate': { type: 'string' },
        keys: { type: 'string' },
        env: { type: 'string', short: 'e', multiple: true },
        report: { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const v = parsed.values;
  if (v.help) {
    out(USAGE);
    process.exit(0);
  }
  if (!v.scenario || !SCENARIOS.includes(v.scenario))
    throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')}${v.scenario ? `, got "${v.scenario}"` : ''}`);
  const batch = count('batch', v.batch);
  if (batch !== undefined && (batch < 1 || batch > 5000))
    throw new UsageError('--batch must be 1–5000 (the API takes at most 5,000 points per batch)');
  const env = {};
  for (const pair of v.env ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--env takes NAME=value, got "${pair}"`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const set = (name, value) => {
    if (value !== undefined) env[name] = String(value);
  };
  const durationS = v.duration ? parseDuration(v.duration) : DEFAULT_DURATION_S[v.scenario];
  set('DURATION_S', durationS);
  set('INGEST_RATE', count('rate', v.rate));
  set('VIEWERS', count('viewers', v.viewers));
  set('BATCH_SIZE', batch);
  set('PROBE_RATE', count('probe-rate', v['probe-rate']));
  set('READ_RATE', count('read-rate', v['read-rate']));
  if (v.scenario === 'smoke' && env.TAIL_S === undefined) env.TAIL_S = '5';
  const keys = count('keys', v.keys) ?? (v.scenario === 'smoke' ? 2 : 4);
  return { scenario: v.scenario, durationS, env, keys: Math.floor(keys), report: v.report ?? null, keep: Boolean(v.keep) };
}

// ---------------------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Runs a command to completion; resolves with stdout, rejects with the output on a non-zero exit. */
function run(command, args, { env, timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited ${code ?? signal}:\n${stdout}${stderr}`.slice(0, 4000)));
    });
  });
}

/** Children of a pid, from /proc (to find the node process under npx → tsx when there is no lock file). */
function childrenOf(pid) {
  const kids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return kids;
}

/** The deepest of npx → tsx → node running the CLI's serve (a helper process tsx or esbuild starts is not it). */
function servingDescendant(pid) {
  let current = pid;
  for (let depth = 0; depth < 6; depth += 1) {
    const kids = childrenOf(current).filter((kid) => {
      try {
        return readFileSync(`/proc/${kid}/cmdline`, 'utf8').includes('serve');
      } catch {
        return false;
      }
    });
    if (kids.length === 0) break;
    current = kids[kids.length - 1];
  }
  return current;
}

// ---------------------------------------------------------------------------------------------------------
// /proc sampling: CPU (% of one core) and RSS of a process
// ---------------------------------------------------------------------------------------------------------

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function procSample(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { at: performance.now(), cpuS: ticks / CLK_TCK, rssBytes: rssKb * 1024 };
  } catch {
    return null;
  }
}

class ProcWatch {
  constructor(pid) {
    this.pid = pid;
    this.first = null;
    this.last = null;
    this.prev = null;
    this.peakRss = 0;
    this.peakCpu = 0;
    this.timer = null;
  }
  sample() {
    if (this.pid === null) return;
    const s = procSample(this.pid);
    if (!s) return;
    if (this.prev && s.at - this.prev.at > 500)
      this.peakCpu = Math.max(this.peakCpu, ((s.cpuS - this.prev.cpuS) / ((s.at - this.prev.at) / 1000)) * 100);
    this.first ??= s;
    this.last = s;
    this.prev = s;
    this.peakRss = Math.max(this.peakRss, s.rssBytes);
  }
  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
    return this;
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
    const { first, last } = this;
    const wallS = first && last ? (last.at - first.at) / 1000 : 0;
    return {
      pid: this.pid,
      cpuSeconds: first && last ? last.cpuS - first.cpuS : null,
      wallSeconds: wallS,
      avgCpuPct: wallS > 0 ? ((last.cpuS - first.cpuS) / wallS) * 100 : null,
      peakCpuPct: this.peakCpu || null,
      peakRssBytes: this.peakRss || null,
      endRssBytes: last?.rssBytes ?? null,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------
// A TimescaleDB server (DATABASE_URL): a database of the run's own, and the CPU of its postgres processes
// ---------------------------------------------------------------------------------------------------------

function psql(url, sql) {
  const result = spawnSync('psql', [url, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw new Error(`psql (needed with DATABASE_URL to create the run's database): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`psql: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** The URL of database `name` on the server `url` names (same host, port and credentials). */
export function databaseUrlFor(url, name) {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/**
 * A fresh database on the server, with TimescaleDB at the version of the database DATABASE_URL names: every build
 * installed on a server is available to CREATE EXTENSION and the default is the newest, so a server kept on 2.23
 * would otherwise be measured on 2.28 (dxoc's migration keeps the version it finds).
 */
function createServerDatabase(url) {
  const [server, named] = psql(
    url,
    `SELECT current_setting('server_version'), coalesce((SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'), '')`,
  ).split('|');
  const name = `dxoc_load_${randomBytes(5).toString('hex')}`;
  psql(url, `CREATE DATABASE ${name}`);
  const fresh = databaseUrlFor(url, name);
  const drop = () => psql(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  try {
    psql(fresh, named ? `CREATE EXTENSION timescaledb VERSION '${named.replace(/'/g, "''")}'` : 'CREATE EXTENSION timescaledb');
  } catch (error) {
    drop();
    throw error;
  }
  const version = psql(fresh, `SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'`);
  const dataDir = psql(url, `SELECT current_setting('data_directory')`);
  return {
    url: fresh,
    name,
    description: `TimescaleDB server (PostgreSQL ${server}, TimescaleDB ${version})`,
    postmaster: findPostmaster(dataDir),
    drop,
  };
}

/** The postmaster of the cluster in dataDir: its postmaster.pid, or the process started with -D dataDir; null when not on this machine. */
function findPostmaster(dataDir) {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0 && isAlive(pid)) return pid;
  } catch {
    // not readable by this user
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const d = args.indexOf('-D');
      if (/postgres$/.test(args[0]) && d >= 0 && path.resolve(args[d + 1] ?? '') === path.resolve(dataDir)) return Number(entry);
    } catch {
      // gone
    }
  }
  return null;
}

/**
 * CPU seconds of a cluster so far: the postmaster with the backends it has reaped (cutime + cstime) and every
 * live child, so connections that come and go during the run are counted. Other databases' work on the same
 * server is included.
 */
function clusterCpuSeconds(postmaster) {
  try {
    const stat = readFileSync(`/proc/${postmaster}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    for (const child of childrenOf(postmaster)) {
      try {
        const c = readFileSync(`/proc/${child}/stat`, 'utf8');
        const g = c.slice(c.lastIndexOf(')') + 2).split(' ');
        ticks += Number(g[11]) + Number(g[12]);
      } catch {
        // exited meanwhile: its CPU moves to the postmaster's cutime
      }
    }
    return ticks / CLK_TCK;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The stack
// ---------------------------------------------------------------------------------------------------------

async function startStack(tmp, database) {
  const port = await freePort();
  const metricsPort = await freePort();
  const dataDir = path.join(tmp, 'data');
  const external = database !== null;
  const env = {
    ...process.env,
    ...(database ? { DATABASE_URL: database.url } : {}),
    PORT: String(port),
    HOST: '127.0.0.1',
    DXOC_DATA_DIR: dataDir,
    // a port of its own: the default 9464 is often taken by a dxoc already running on the machine
    DXOC_METRICS_PORT: String(metricsPort),
    DXOC_METRICS_HOST: '127.0.0.1',
    // the per-key limiter must not be what the test measures
    DXOC_RATE_LIMIT_POINTS_PER_SEC: '100000000',
    DXOC_RATE_LIMIT_BATCHES_PER_SEC: '1000000',
  };
  const logFile = path.join(tmp, 'server.log');
  const logStream = createWriteStream(logFile);
  log(
    `starting dxoc serve on 127.0.0.1:${port} (${external ? `database ${database.name}, ${database.description}` : `embedded database in ${dataDir}`}; log: ${logFile})`,
  );
  const child = spawn('npx', [...CLI, 'serve'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(logStream);
  child.stderr.pipe(logStream);
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const tail = () => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  };
  let stopped = false;
  const stack = {
    baseUrl,
    env,
    dataDir,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    child,
    logFile,
    serverPid() {
      try {
        const lock = JSON.parse(readFileSync(`${dataDir}.lock`, 'utf8'));
        if (typeof lock.pid === 'number' && isAlive(lock.pid)) return lock.pid;
      } catch {
        // DATABASE_URL (no lock file) or not written yet
      }
      return child.pid ? servingDescendant(child.pid) : null;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const pid = stack.serverPid();
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && ((child.exitCode === null && child.signalCode === null) || (pid && isAlive(pid)))) await sleep(200);
      if (pid && isAlive(pid)) {
        log('the server did not stop within 30 s of SIGTERM: killing it');
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      }
      logStream.end();
    },
  };
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`dxoc serve exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${tail()}`);
    if (Date.now() > deadline) {
      await stack.stop();
      throw new Error(`dxoc serve did not answer GET /api/v1/health with 200 within 240 s:\n${tail()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  log(`server pid ${stack.serverPid()} healthy after ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return stack;
}

async function dxoc(stack, args) {
  const stdout = await run('npx', [...CLI, ...args], { env: stack.env });
  return stdout.trim().split('\n').pop().trim();
}

/** Runs the jobs at most `limit` at a time (each CLI call is a node process of its own). */
async function pool(jobs, limit) {
  const results = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]();
      }
    }),
  );
  return results;
}

/** Viewer token, catalog, agent keys (units in force split into `groups` keys), probe key → the k6 config. */
async function prepare(stack, groups) {
  const started = performance.now();
  const [viewerToken, probeKey] = await Promise.all([
    dxoc(stack, ['viewer-tokens', 'create', '--name', 'k6 load']),
    dxoc(stack, ['keys', 'create', '--all-units', '--name', 'k6 probe']),
  ]);
  if (!/^dxv_/.test(viewerToken)) throw new Error(`viewer-tokens create printed "${viewerToken}" as its last line, not a token`);
  if (!/^dxoc_/.test(probeKey)) throw new Error(`keys create printed "${probeKey}" as its last line, not a key`);
  const get = async (p) => {
    const res = await fetch(`${stack.baseUrl}${p}`, { headers: { Authorization: `Bearer ${viewerToken}` } });
    if (res.status !== 200) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const [{ units }, { metrics }] = await Promise.all([get('/api/v1/catalog/units'), get('/api/v1/catalog/metrics')]);
  const { current, unitGroups } = splitUnits(units, groups);
  const agentKeys = await pool(
    unitGroups.map((group, g) => () => dxoc(stack, ['keys', 'create', '--unit', group.join(','), '--name', `k6 agents ${g + 1}`])),
    3,
  );
  for (const key of agentKeys) if (!/^dxoc_/.test(key)) throw new Error(`keys create printed "${key}" as its last line, not a key`);
  const config = k6Config({ baseUrl: stack.baseUrl, viewerToken, probeKey, agentKeys, unitGroups, current, units, metrics });
  const took = ((performance.now() - started) / 1000).toFixed(1);
  if (groups > 0)
    log(
      `viewer token and ${agentKeys.length + 1} agent keys (${config.agents.length} for the ${current.length} units in force, 1 --all-units for the probe) in ${took} s`,
    );
  else log(`viewer token and 1 --all-units agent key (the probe's and the ${current.length} units') in ${took} s`);
  return config;
}

/**
 * The units in force today (codes, sorted) and, for `groups` > 0, the same split into that many groups, one agent
 * key each (round-robin, so every group has provinces and ministries). Pure, so that the tests build the k6 config
 * exactly as a run does.
 */
export function splitUnits(units, groups, today = new Date().toISOString().slice(0, 10)) {
  const current = units
    .filter((u) => (!u.validUntil || u.validUntil > today) && (!u.validFrom || u.validFrom <= today))
    .map((u) => u.code)
    .sort();
  const unitGroups = [];
  for (let g = 0; g < Math.min(groups, current.length); g += 1) unitGroups.push(current.filter((_, i) => i % groups === g));
  return { current, unitGroups };
}

/** The JSON the k6 scripts open() (DXOC_LOAD_CONFIG); without agent keys the probe's --all-units key writes every unit. */
export function k6Config({ baseUrl, viewerToken, probeKey, agentKeys, unitGroups, current, units, metrics, createdAt = Date.now() }) {
  return {
    baseUrl,
    viewerToken,
    probeKey,
    agents:
      agentKeys.length > 0 ? unitGroups.map((group, g) => ({ key: agentKeys[g], units: group })) : [{ key: probeKey, units: current }],
    units: units.map(({ code, kind, validFrom, validUntil }) => ({ code, kind, validFrom, validUntil })),
    metrics: metrics.map(({ code, kind, unitKinds }) => ({ code, kind, unitKinds })),
    createdAt,
  };
}

/** A few counters of the server's Prometheus endpoint, as a cross-check of k6's numbers. */
async function scrape(url) {
  try {
    const text = await (await fetch(url, { signal: AbortSignal.timeout(5000) })).text();
    const sum = (re) =>
      text
        .split('\n')
        .filter((l) => re.test(l))
        .reduce((s, l) => s + Number(l.split(' ').pop()), 0);
    return {
      pointsStored: sum(/^dxoc_ingest_points_total\{[^}]*result="(accepted|stored|revised)"/),
      liveMessages: sum(/^dxoc_live_messages_total/),
    };
  } catch {
    return null;
  }
}

function loadAverage() {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

/** Share of the last 60 s in which some runnable task waited for a CPU (Linux PSI): how contended the machine is. */
function cpuPressure() {
  try {
    const match = /some avg10=([\d.]+) avg60=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return match ? Number(match[2]) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// k6
// ---------------------------------------------------------------------------------------------------------

function runK6(k6, scenario, configFile, summaryFile, env) {
  const args = ['run', '--address=', '--no-usage-report', '--summary-export', summaryFile, '-e', `DXOC_LOAD_CONFIG=${configFile}`];
  for (const [name, value] of Object.entries(env)) args.push('-e', `${name}=${value}`);
  if (!process.stdout.isTTY) args.push('--quiet');
  args.push(path.join(HERE, 'scenarios', `${scenario}.js`));
  log(`k6 ${args.map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`);
  const child = spawn(k6, args, { cwd: HERE, stdio: 'inherit', env: { ...process.env, K6_NO_USAGE_REPORT: 'true' } });
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  return { child, done };
}

// ---------------------------------------------------------------------------------------------------------
// Our table
// ---------------------------------------------------------------------------------------------------------

const fmtInt = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US'));
const fmtMs = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n >= 100 ? `${Math.round(n)} ms` : `${n.toFixed(1)} ms`);
const fmtPct = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : `${n.toFixed(n < 1 ? 2 : 1)}%`);
const fmtMb = (n) => (n ? `${Math.round(n / 1048576)} MB` : '–');

function trend(metrics, name) {
  const m = metrics[name];
  if (!m) return null;
  return { avg: m.avg, med: m.med, p95: m['p(95)'], p99: m['p(99)'], max: m.max, count: m.count };
}

export function thresholdResults(metrics) {
  const results = [];
  for (const [name, m] of Object.entries(metrics)) {
    for (const [expr, value] of Object.entries(m.thresholds ?? {})) {
      // --summary-export: { "<expression>": <true when the threshold FAILED> } (k6's legacy format)
      const failed = typeof value === 'object' ? !value.ok : Boolean(value);
      results.push({ metric: name, threshold: expr, ok: !failed });
    }
  }
  return results;
}

function buildResults(options, summary, server, k6proc, context) {
  const metrics = summary?.metrics ?? {};
  const c = (name) => metrics[name]?.count ?? 0;
  const rateFails = (name) => metrics[name]?.passes ?? 0; // our error Rates add true for an error: "passes" are errors
  const rateTotal = (name) => (metrics[name]?.passes ?? 0) + (metrics[name]?.fails ?? 0);
  const durationS = options.durationS;
  const ingest = trend(metrics, 'http_req_duration{name:ingest}');
  const connects = metrics.viewer_connected?.passes ?? 0;
  const connectAttempts = rateTotal('viewer_connected');
  return {
    scenario: options.scenario,
    k6Version: K6_VERSION,
    k6Exit: context.k6Exit,
    startedAt: context.startedAt,
    durationS,
    env: options.env,
    database: context.database ?? 'embedded',
    machine: context.machine,
    ingest: {
      pointsAccepted: c('points_accepted'),
      pointsPerSecond: c('points_accepted') / durationS,
      pointsRevised: c('points_revised'),
      batchesAccepted: c('batches_accepted'),
      batchErrors: rateFails('ingest_errors'),
      connectionErrors: c('ingest_connection_errors'),
      batchErrorRate: rateTotal('ingest_errors') ? rateFails('ingest_errors') / rateTotal('ingest_errors') : null,
      pointsNotAccepted: c('points_not_accepted'),
      droppedIterations: c('dropped_iterations'),
      latencyMs: ingest,
      phases: Object.fromEntries(
        ['steady', 'spike', 'recovery'].map((p) => [p, trend(metrics, `http_req_duration{name:ingest,phase:${p}}`)]).filter(([, t]) => t),
      ),
    },
    live: {
      viewersConnected: c('viewer_clients'),
      viewerConnectFailures: connectAttempts - connects,
      reconnects: c('viewer_reconnects'),
      connectTimeMs: trend(metrics, 'viewer_connect_time'),
      messagesReceived: c('live_messages'),
      pointsReceived: c('live_points'),
      probesSent: c('probe_batches'),
      probeErrors: c('probe_errors'),
      probeLatencyMs: trend(metrics, 'http_req_duration{name:probe}'),
      probesReceived: c('live_probes_received'),
      latencyMs: trend(metrics, 'live_latency'),
      drops: c('viewer_drops'),
      streamResets: c('viewer_stream_resets'),
      subscribeFailures: c('viewer_subscribe_failures'),
    },
    reads: {
      requests: rateTotal('read_errors'),
      errors: rateFails('read_errors'),
      seriesMs: trend(metrics, 'http_req_duration{name:series}'),
      latestMs: trend(metrics, 'http_req_duration{name:latest}'),
    },
    server,
    postgres: context.postgres ?? null,
    k6Process: k6proc,
    serverMetrics: context.serverMetrics,
    thresholds: thresholdResults(metrics),
  };
}

function printTable(r) {
  const rows = [];
  const row = (label, value) => rows.push([label, value]);
  const lat = (t) => (t ? `p50 ${fmtMs(t.med)} · p95 ${fmtMs(t.p95)} · p99 ${fmtMs(t.p99)} · max ${fmtMs(t.max)}` : '–');
  row(
    'scenario',
    `${r.scenario}, ${r.durationS} s measured, ${r.database === 'embedded' ? 'embedded database' : r.database}, k6 ${r.k6Version}`,
  );
  row('k6 exit', `${r.k6Exit}${r.k6Exit === 0 ? ' (thresholds passed)' : r.k6Exit === 99 ? ' (a threshold failed)' : ''}`);
  if (r.ingest.batchesAccepted + r.ingest.batchErrors > 0) {
    row('points accepted', `${fmtInt(r.ingest.pointsAccepted)} (${fmtInt(r.ingest.pointsPerSecond)}/s)`);
    row(
      'batches accepted',
      `${fmtInt(r.ingest.batchesAccepted)}, errors ${fmtInt(r.ingest.batchErrors)} (${fmtPct((r.ingest.batchErrorRate ?? 0) * 100)}; ${fmtInt(r.ingest.connectionErrors)} without an answer), dropped iterations ${fmtInt(r.ingest.droppedIterations)}`,
    );
    row('batch latency', lat(r.ingest.latencyMs));
    for (const [phase, t] of Object.entries(r.ingest.phases)) row(`  ${phase}`, lat(t));
  }
  if (r.live.viewersConnected + r.live.viewerConnectFailures > 0) {
    row(
      'viewers connected',
      `${fmtInt(r.live.viewersConnected)}; failed attempts ${fmtInt(r.live.viewerConnectFailures)}, drops ${fmtInt(r.live.drops)}, reconnects ${fmtInt(r.live.reconnects)}, stream resets ${fmtInt(r.live.streamResets)}`,
    );
    row('  connect time', lat(r.live.connectTimeMs));
    row('messages received', `${fmtInt(r.live.messagesReceived)} live:tick (${fmtInt(r.live.pointsReceived)} points)`);
    const expected = r.live.probesSent * r.live.viewersConnected;
    row(
      'probes received',
      `${fmtInt(r.live.probesReceived)} of ${fmtInt(expected)} (${fmtInt(r.live.probesSent)} posted × ${fmtInt(r.live.viewersConnected)} clients)`,
    );
    row('ingest→receive', lat(r.live.latencyMs));
    if (r.live.probeLatencyMs) row('  probe POST', `${lat(r.live.probeLatencyMs)}; errors ${fmtInt(r.live.probeErrors)}`);
  }
  if (r.reads.requests > 0) {
    row('REST reads', `${fmtInt(r.reads.requests)}, errors ${fmtInt(r.reads.errors)}`);
    row('  /series', lat(r.reads.seriesMs));
    row('  /latest', lat(r.reads.latestMs));
  }
  const s = r.server;
  row(
    'server (pid ' + (s.pid ?? '?') + ')',
    `CPU avg ${fmtPct(s.avgCpuPct)} · peak ${fmtPct(s.peakCpuPct)} of one core; RSS peak ${fmtMb(s.peakRssBytes)}, end ${fmtMb(s.endRssBytes)}`,
  );
  const pgc = r.postgres;
  if (pgc)
    row(
      `postgres (cluster${pgc.postmaster ? `, postmaster ${pgc.postmaster}` : ''})`,
      pgc.cpuSeconds === null
        ? 'CPU not measured (the postmaster is not a process of this machine, or not readable)'
        : `CPU avg ${fmtPct((pgc.cpuSeconds / pgc.wallSeconds) * 100)} of one core (${pgc.cpuSeconds.toFixed(1)} s in ${pgc.wallSeconds.toFixed(0)} s; other databases on the server included)`,
    );
  const k = r.k6Process;
  row('k6 (same machine)', `CPU avg ${fmtPct(k.avgCpuPct)} · peak ${fmtPct(k.peakCpuPct)}; RSS peak ${fmtMb(k.peakRssBytes)}`);
  if (r.serverMetrics)
    row(
      'server /metrics',
      `points stored ${fmtInt(r.serverMetrics.pointsStored)}, live messages sent ${fmtInt(r.serverMetrics.liveMessages)}`,
    );
  if (r.serverMetrics?.pointsStored && s.cpuSeconds)
    row(
      '  per CPU-second',
      `${fmtInt(r.serverMetrics.pointsStored / s.cpuSeconds)} points stored per second of server CPU (${s.cpuSeconds.toFixed(1)} s CPU in ${s.wallSeconds.toFixed(0)} s)${pgc?.cpuSeconds ? `, ${fmtInt(r.serverMetrics.pointsStored / (s.cpuSeconds + pgc.cpuSeconds))} per second of server + postgres CPU` : ''}`,
    );
  const pressure =
    r.machine.cpuPressureAfter === null
      ? ''
      : `; CPU pressure ${r.machine.cpuPressureBefore}% before, ${r.machine.cpuPressureAfter}% after (share of time tasks waited for a CPU, /proc/pressure/cpu avg60)`;
  row(
    'machine',
    `${r.machine.nproc} cores, ${r.machine.memGb} GB; load average ${r.machine.loadBefore} before, ${r.machine.loadAfter} after${pressure}`,
  );
  const failed = r.thresholds.filter((t) => !t.ok);
  row(
    'thresholds',
    `${r.thresholds.length - failed.length} of ${r.thresholds.length} passed${failed.length ? `; failed: ${failed.map((t) => `${t.metric} ${t.threshold}`).join(', ')}` : ''}`,
  );
  const width = Math.max(...rows.map(([l]) => l.length));
  out('');
  out(`── dxoc load test: ${r.scenario} ${'─'.repeat(Math.max(0, 60 - r.scenario.length))}`);
  for (const [label, value] of rows) out(`${label.padEnd(width)}  ${value}`);
  out('');
}

// ---------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const k6 = await ensureK6();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dxoc-load-'));
  let stack = null;
  let k6child = null;
  let interrupted = false;
  let database = null;
  const cleanup = async () => {
    if (k6child && k6child.exitCode === null) k6child.kill('SIGINT');
    if (stack) await stack.stop();
    if (database && !options.keep) {
      database.drop();
      log(`database ${database.name} dropped`);
    } else if (database) log(`kept database ${database.name} (${database.url})`);
    database = null;
    if (!options.keep) rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      log(`${signal}: stopping k6 and the server`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    const machine = {
      nproc: os.availableParallelism?.() ?? os.cpus().length,
      memGb: Math.round(os.totalmem() / 1073741824),
      loadBefore: loadAverage(),
      loadAfter: null,
      cpuPressureBefore: null,
      cpuPressureAfter: null,
    };
    if (process.env.DATABASE_URL) database = createServerDatabase(process.env.DATABASE_URL);
    const databaseInfo = database ? { description: database.description, postmaster: database.postmaster } : null;
    stack = await startStack(tmp, database);
    const config = await prepare(stack, options.keys);
    const configFile = path.join(tmp, 'k6-config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const summaryFile = path.join(tmp, 'k6-summary.json');
    const startedAt = new Date().toISOString();
    machine.loadBefore = loadAverage();
    machine.cpuPressureBefore = cpuPressure();
    const serverWatch = new ProcWatch(stack.serverPid()).start();
    const postgresStart = databaseInfo?.postmaster ? { at: performance.now(), cpuS: clusterCpuSeconds(databaseInfo.postmaster) } : null;
    const { child, done } = runK6(k6, options.scenario, configFile, summaryFile, options.env);
    k6child = child;
    const k6Watch = new ProcWatch(child.pid).start();
    const k6Exit = await done;
    const server = serverWatch.stop();
    const k6proc = k6Watch.stop();
    const postgresEnd = databaseInfo?.postmaster ? clusterCpuSeconds(databaseInfo.postmaster) : null;
    const postgres = databaseInfo && {
      postmaster: databaseInfo.postmaster,
      cpuSeconds: postgresStart && postgresStart.cpuS !== null && postgresEnd !== null ? postgresEnd - postgresStart.cpuS : null,
      wallSeconds: postgresStart ? (performance.now() - postgresStart.at) / 1000 : 0,
    };
    machine.loadAfter = loadAverage();
    machine.cpuPressureAfter = cpuPressure();
    const serverMetrics = await scrape(stack.metricsUrl);
    await stack.stop();
    let summary = null;
    if (existsSync(summaryFile)) summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    else log('k6 wrote no summary');
    const results = buildResults(options, summary, server, k6proc, {
      k6Exit,
      startedAt,
      machine,
      serverMetrics,
      database: databaseInfo?.description,
      postgres,
    });
    printTable(results);
    const resultsDir = path.join(HERE, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `${startedAt.replace(/[:.]/g, '-')}-${options.scenario}.json`);
    writeFileSync(file, `${JSON.stringify({ ...results, k6Summary: summary }, null, 2)}\n`);
    if (options.report) writeFileSync(options.report, `${JSON.stringify(results, null, 2)}\n`);
    log(`results: ${path.relative(process.cwd(), file)}`);
    await cleanup();
    return k6Exit;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

// Run only as a command: the load-tests workspace's own tests import the pure parts (options, k6 config, threshold
// results) without starting anything.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(
        `load: ${error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
