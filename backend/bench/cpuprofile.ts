/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): where the CPU time went, optionally only within a time
 * window. V8 profile timestamps are CLOCK_MONOTONIC microseconds, the same clock as process.hrtime in any
 * process on the machine, so the benchmark can cut the server's profile to its measurement window.
 *
 * Standalone: npx tsx backend/bench/cpuprofile.ts <file.cpuprofile> [top]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** microseconds of samples inside the window */
  totalUs: number;
  /** self time by function */
  selfByFunction: [string, number][];
  /** inclusive time by function (each sample counted once per function) */
  totalByFunction: [string, number][];
  /** self time by where the code lives: a package, a source folder, node internals, wasm, GC, idle */
  selfByArea: [string, number][];
}

function shortUrl(url: string): string {
  if (!url) return '';
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) return clean.slice(nm + '/node_modules/'.length);
  const src = clean.indexOf('/backend/');
  if (src >= 0) return clean.slice(src + 1);
  const ingest = clean.indexOf('/ingest/src/');
  if (ingest >= 0) return clean.slice(ingest + 1);
  return clean;
}

function area(frame: CallFrame): string {
  const { functionName, url } = frame;
  if (!url) {
    if (functionName === '(garbage collector)' || functionName === '(idle)' || functionName === '(program)' || functionName === '(root)')
      return functionName;
    return '(native/builtin)';
  }
  if (url.startsWith('wasm://')) return 'wasm (PGlite Postgres)';
  if (url.startsWith('node:')) return `node internals (${url.replace(/^node:(internal\/)?/, '').split('/')[0]})`;
  const clean = url.replace(/^file:\/\//, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = clean.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? clean);
  }
  const backend = clean.indexOf('/backend/src/');
  if (backend >= 0) return `backend/src/${clean.slice(backend + '/backend/src/'.length).split('/')[0]}`;
  if (clean.includes('/ingest/src/')) return '@dxoc/ingest (contract)';
  return shortUrl(url);
}

function label(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  const where = shortUrl(frame.url);
  return where ? `${name}  ${where}:${frame.lineNumber + 1}` : name;
}

function top(map: Map<string, number>, n: number): [string, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
}

/** windowUs: [from, to] in CLOCK_MONOTONIC microseconds; samples outside are ignored. */
export function summariseProfile(file: string, options: { windowUs?: [number, number]; top?: number } = {}): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const n = options.top ?? 25;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  let totalUs = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    t += profile.timeDeltas[i] ?? 0;
    // a sample's time is the gap to the next sample
    const duration = profile.timeDeltas[i + 1] ?? 0;
    if (options.windowUs && (t < options.windowUs[0] || t > options.windowUs[1])) continue;
    const node = byId.get(profile.samples[i] as number);
    if (!node) continue;
    totalUs += duration;
    const own = label(node.callFrame);
    self.set(own, (self.get(own) ?? 0) + duration);
    const where = area(node.callFrame);
    areas.set(where, (areas.get(where) ?? 0) + duration);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (!frame) break;
      const key = label(frame);
      if (seen.has(key) || frame.functionName === '(root)') continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + duration);
    }
  }
  return { totalUs, selfByFunction: top(self, n), totalByFunction: top(total, n), selfByArea: top(areas, n) };
}

/** The profile node --cpu-prof wrote into dir for process pid, or null. */
export function profileFileFor(dir: string, pid: number | null): string | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
  const own = pid === null ? undefined : files.find((f) => f.split('.')[3] === String(pid));
  return own ? path.join(dir, own) : null;
}

export function printProfileSummary(summary: ProfileSummary, out: (line: string) => void = console.log): void {
  const pct = (us: number) => `${((100 * us) / Math.max(1, summary.totalUs)).toFixed(1).padStart(5)}%`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  out(`  sampled ${(summary.totalUs / 1e6).toFixed(2)} s of the server's main thread`);
  out('  self time by area:');
  for (const [name, us] of summary.selfByArea) out(`    ${pct(us)} ${ms(us)}  ${name}`);
  out('  self time by function:');
  for (const [name, us] of summary.selfByFunction) out(`    ${pct(us)} ${ms(us)}  ${name}`);
  out('  inclusive time by function:');
  for (const [name, us] of summary.totalByFunction) out(`    ${pct(us)} ${ms(us)}  ${name}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, count] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx backend/bench/cpuprofile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  printProfileSummary(summariseProfile(file, { top: count ? Number(count) : 30 }));
}
